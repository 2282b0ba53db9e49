"""`python -m bot invites`: one new invitation link per unit, as CSV or XLSX."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db, session_scope
from bot.core.i18n import _, fmt_number, ngettext
from bot.core.links import Links, Subcommands
from bot.core.models import Role
from bot.core.roles import INVITE_ROLES
from bot.invites.codes import bulk_invites, parse_kind, parse_role
from bot.invites.export import invites_csv, invites_xlsx


def _role_arg(text: str) -> Role:
    """argparse type for a role word."""
    role = parse_role(text)
    if role is None or role not in INVITE_ROLES:
        raise argparse.ArgumentTypeError(_("unknown role: {value}").format(value=text))
    return role


def _kind_arg(text: str) -> str:
    """argparse type for a unit kind ('' = all)."""
    kind = parse_kind(text)
    if kind is None:
        raise argparse.ArgumentTypeError(_("unknown unit kind: {value}").format(value=text))
    return kind


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """`python -m bot invites`: one new invitation link per unit."""
    parser = subparsers.add_parser(
        "invites", help=_("create one invitation link per unit (CSV or XLSX)")
    )
    parser.add_argument(
        "--unit-kind",
        type=_kind_arg,
        default=None,
        help=_("xa, phuong, thi-tran, so, ban, khac or all (default: all active units)"),
    )
    parser.add_argument(
        "--role", type=_role_arg, default=Role.HEAD, help=_("head, staff or viewer (default head)")
    )
    parser.add_argument("--out", type=Path, help=_("links.csv or links.xlsx (default: stdout)"))
    parser.add_argument("--ttl-days", type=int, help=_("days the links stay valid"))
    parser.add_argument("--bot-username", help=_("the bot's @username, for the t.me links"))
    parser.set_defaults(run=run_cli)


def run_cli(settings: Settings, args: argparse.Namespace) -> int:
    """Create the invitations and write them where asked."""
    ttl_days = args.ttl_days if args.ttl_days is not None else settings.invite_ttl_days
    out: Path | None = args.out
    suffix = out.suffix.lower() if out else ""
    if out is not None and suffix not in (".csv", ".xlsx"):
        print(_("The output file must end in .csv or .xlsx."), file=sys.stderr)
        return 2
    if not 1 <= ttl_days <= 90:
        print(_("--ttl-days must be between 1 and 90."), file=sys.stderr)
        return 2
    username = args.bot_username or settings.bot_username
    username = username.removeprefix("@") if username else None
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with session_scope(engine) as session:  # a file that cannot be written undoes the codes
            invites = bulk_invites(
                session=session,
                kind=args.unit_kind or None,
                role=args.role,
                created_by=None,
                ttl=dt.timedelta(days=ttl_days),
                source="cli",
            )
            if not invites:
                print(_("No active unit of that kind."), file=sys.stderr)
                return 1
            if out is None:
                sys.stdout.write(invites_csv(invites, username, bom=False))
            elif suffix == ".xlsx":
                out.write_bytes(invites_xlsx(invites, username))
            else:
                out.write_text(invites_csv(invites, username, bom=True), encoding="utf-8")
    except OSError as exc:
        print(
            _("Cannot write {path}: {reason}").format(path=out, reason=exc.strerror),
            file=sys.stderr,
        )
        return 2
    finally:
        engine.dispose()
    if out is not None:
        print(
            ngettext(
                "{n} invitation written to {path}.",
                "{n} invitations written to {path}.",
                len(invites),
            ).format(n=fmt_number(len(invites)), path=out),
            file=sys.stderr,
        )
    if not username:
        print(
            _(
                "Without --bot-username (or BOT_USERNAME) only codes are listed: the person "
                "sends /start CODE to the bot."
            ),
            file=sys.stderr,
        )
    return 0
