"""`python -m bot migrate`: upgrade the database, report its revision, write a new revision."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from bot.core.config import Settings
from bot.core.i18n import _, fmt_number, ngettext
from bot.core.links import Links, Subcommands

logger = logging.getLogger(__name__)


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """Register the `migrate` subcommand."""
    parser = subparsers.add_parser(
        "migrate", help=_("create or upgrade the database schema (Alembic migrations)")
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--status",
        action="store_true",
        help=_("show the database's revision; exit 1 if it is behind or differs from the code"),
    )
    group.add_argument(
        "--new",
        metavar="MESSAGE",
        help=_("developers: write the next revision from the changes to bot/core/models/"),
    )
    parser.set_defaults(run=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Upgrade to the newest revision (or report, or write a revision)."""
    from bot.core import migrate
    from bot.core.db import create_db_engine, database_url, init_db

    if args.new:
        path = migrate.new_revision(args.new)
        print(_("Wrote {path}: review it, then run the tests.").format(path=path))
        return 0
    where = database_url(settings.database_url).render_as_string(hide_password=True)
    engine = create_db_engine(settings.database_url)
    try:
        if args.status:
            return _status(engine, where)
        before = migrate.current_revision(engine)
        init_db(engine)
        after = migrate.current_revision(engine)
    finally:  # a database error is worded once for every command, by bot.cli.main
        engine.dispose()
    if before == after:
        print(_("{where}: already at the newest revision {rev}.").format(where=where, rev=after))
    else:
        print(
            _("{where}: migrated from {before} to {after}.").format(
                where=where, before=before or _("an empty database"), after=after
            )
        )
    return 0


def database_error(url: str, exc: BaseException) -> str:
    """One line naming the database (password hidden) and the driver's first line."""
    from bot.core.db import hide_password

    where = hide_password(url)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__]
    return _("Database error ({where}): {error}").format(where=where, error=reason[0])


def _status(engine: Any, where: str) -> int:
    """Print the revision and any difference from the models; 0 only when all is current."""
    from bot.core import migrate

    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    print(
        _("{where}: revision {current}, newest {head}.").format(
            where=where, current=current or _("none (empty database)"), head=head
        )
    )
    if current != head:
        print(_("Run `python -m bot migrate` to upgrade."))
        return 1
    diffs = migrate.differences(engine)
    if diffs:
        print(
            ngettext(
                "The schema differs from the code in {n} place:",
                "The schema differs from the code in {n} places:",
                len(diffs),
            ).format(n=fmt_number(len(diffs)))
        )
        for diff in diffs:
            print(f"  {diff}")
        return 1
    return 0
