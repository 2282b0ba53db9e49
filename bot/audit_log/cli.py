"""`python -m bot audit`: the audit log between two days, as CSV or JSON lines."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from sqlmodel import Session

from bot.audit_log.service import export_records, write_csv, write_jsonl
from bot.core.config import Settings
from bot.core.dates import local_midnight, parse_day
from bot.core.db import create_db_engine, init_db
from bot.core.i18n import _, fmt_number, ngettext
from bot.core.links import Links, Subcommands

EXIT_USAGE = 2


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """`python -m bot audit --since DATE [--until DATE] [--format csv|jsonl] [--out FILE]`."""
    parser = subparsers.add_parser("audit", help=_("export the audit log (CSV or JSON lines)"))
    parser.add_argument(
        "--since", required=True, help=_("first day, YYYY-MM-DD or DD/MM/YYYY (local time)")
    )
    parser.add_argument("--until", help=_("last day, included (default: today)"))
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--out", type=Path, help=_("write to this file instead of the screen"))
    parser.set_defaults(run=run_export)


def _bad_date(value: str) -> int:
    """Print the one-line error for an unreadable date."""
    print(
        _("Invalid date “{value}”: write it as YYYY-MM-DD or DD/MM/YYYY.").format(value=value),
        file=sys.stderr,
    )
    return EXIT_USAGE


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the entries between two local days as CSV (UTF-8 with BOM) or JSON lines."""

    since = parse_day(args.since)
    if since is None:
        return _bad_date(args.since)
    until: dt.date | None = None
    if args.until is not None:
        until = parse_day(args.until)
        if until is None:
            return _bad_date(args.until)
        if until < since:
            print(
                _("--until ({until}) is before --since ({since}).").format(
                    until=args.until, since=args.since
                ),
                file=sys.stderr,
            )
            return EXIT_USAGE
    tz = settings.tz
    start = local_midnight(since, tz)
    end = local_midnight(until + dt.timedelta(days=1), tz) if until else None
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with Session(engine) as session:
            records = export_records(session=session, start=start, end=end, tz=tz)
    finally:
        engine.dispose()
    buffer = io.StringIO(newline="")
    if args.format == "csv":
        write_csv(records, buffer)
        payload = "\ufeff" + buffer.getvalue()
    else:
        write_jsonl(records, buffer)
        payload = buffer.getvalue()
    if args.out is not None:
        try:
            args.out.write_bytes(payload.encode("utf-8"))
        except OSError as exc:
            print(
                _("Cannot write {path}: {reason}").format(path=args.out, reason=exc.strerror),
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(
            ngettext(
                "Exported {n} entry to {path}", "Exported {n} entries to {path}", len(records)
            ).format(n=fmt_number(len(records)), path=args.out),
            file=sys.stderr,
        )
    else:
        stream = getattr(sys.stdout, "buffer", None)
        sys.stdout.flush()
        if stream is not None:
            stream.write(payload.encode("utf-8"))
            stream.flush()
        else:
            sys.stdout.write(payload)
    return 0
