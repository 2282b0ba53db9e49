"""`python -m bot deadlines …`: deadlines and who has complied, from the command line."""

from __future__ import annotations

import argparse
import logging
import sys
from html import unescape
from pathlib import Path

from sqlmodel import Session

from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db
from bot.core.i18n import _, fmt_datetime
from bot.core.links import Links, Subcommands
from bot.core.models import utcnow
from bot.deadlines.errors import DeadlineError
from bot.deadlines.views import list_deadlines, status_csv, status_view

logger = logging.getLogger(__name__)

EXIT_USAGE = 2


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """`deadlines list` and `deadlines status ID [--out FILE.csv]`."""
    parser = subparsers.add_parser("deadlines", help=_("deadlines and who has complied"))
    sub = parser.add_subparsers(dest="deadlines_command", required=True)
    listing = sub.add_parser("list", help=_("open deadlines, oldest first"))
    listing.set_defaults(run=run_list)
    status = sub.add_parser("status", help=_("one row per unit: complied or not (CSV)"))
    status.add_argument("deadline_id", type=int, metavar="ID")
    status.add_argument("--out", type=Path, help=_("write to this file instead of the screen"))
    status.set_defaults(run=run_status)


def run_list(settings: Settings, args: argparse.Namespace) -> int:
    """Print id, due time, progress and title of every open deadline."""
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with Session(engine) as session:
            rows = list_deadlines(session=session, now=utcnow(), lookback=None)
            for row in rows:
                d = row.deadline
                print(
                    f"#{d.id}\t{fmt_datetime(d.due_at)}\t{row.fulfilled}/{row.units}\t"
                    f"{d.kind}\t{d.title}"
                )
            session.commit()
    finally:
        engine.dispose()
    if not rows:
        print(unescape(_("No open deadlines. Create one with /hanchot_moi.")), file=sys.stderr)
    return 0


def run_status(settings: Settings, args: argparse.Namespace) -> int:
    """Write a deadline's status table as CSV (UTF-8 with BOM) to a file or stdout."""
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with Session(engine) as session:
            try:
                view = status_view(
                    session=session, deadline_id=args.deadline_id, now=utcnow(), tz=settings.tz
                )
            except DeadlineError as exc:
                print(unescape(exc.message()), file=sys.stderr)
                return EXIT_USAGE
            text = status_csv(view)
            session.commit()
    finally:
        engine.dispose()
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8-sig")
    except OSError as exc:
        print(
            _("Cannot write {path}: {reason}").format(path=args.out, reason=exc.strerror),
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(_("Written: {path}").format(path=args.out), file=sys.stderr)
    return 0
