"""`python -m bot report`: the workbook of a period, written to a file."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from sqlmodel import Session

from bot.core.config import Settings
from bot.core.dates import parse_day
from bot.core.db import create_db_engine, migrate_first_text, needs_migration
from bot.core.i18n import _
from bot.core.links import Links, Subcommands
from bot.core.stats import PeriodInfo
from bot.reports.service import build_report, find_period, list_periods

EXIT_USAGE = 2


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """`python -m bot report [--period latest|DATE] [--out FILE.xlsx]`."""
    parser = subparsers.add_parser(
        "report", help=_("write the XLSX report of a period (appendix, acknowledgements, …)")
    )
    parser.add_argument(
        "--period",
        default="latest",
        help=_("'latest' (default) or a day of the period, YYYY-MM-DD or DD/MM/YYYY"),
    )
    parser.add_argument("--out", type=Path, help=_("output file (default: bao-cao-START_END.xlsx)"))
    parser.set_defaults(run=functools.partial(run_report, links=links))


def run_report(settings: Settings, args: argparse.Namespace, *, links: Links) -> int:
    """Write the report; exit 2 when the period is unknown or unreadable."""

    engine = create_db_engine(settings.database_url, existing=True)  # a report writes nothing
    try:
        if needs_migration(engine):
            print(migrate_first_text(settings.database_url), file=sys.stderr)
            return EXIT_USAGE
        with Session(engine) as session:
            periods = list_periods(session=session)
            if not periods:
                print(_("No statistics have been imported yet."), file=sys.stderr)
                return EXIT_USAGE
            if args.period.strip().lower() in ("latest", "moi-nhat", "moinhat"):
                period: PeriodInfo | None = periods[0]
            else:
                day = parse_day(args.period)
                if day is None:
                    print(
                        _("Invalid date “{value}”: write it as YYYY-MM-DD or DD/MM/YYYY.").format(
                            value=args.period
                        ),
                        file=sys.stderr,
                    )
                    return EXIT_USAGE
                period = find_period(session=session, day=day)
            if period is None:
                known = ", ".join(f"{p.start.isoformat()}..{p.end.isoformat()}" for p in periods)
                print(
                    _("No imported period contains {value}. Periods: {periods}").format(
                        value=args.period, periods=known
                    ),
                    file=sys.stderr,
                )
                return EXIT_USAGE
            report = build_report(
                session=session, period=period, tz=settings.tz, sections=links.report_sections
            )
    finally:
        engine.dispose()
    out: Path = args.out or Path(report.filename)
    try:
        out.write_bytes(report.data)
    except OSError as exc:
        print(
            _("Cannot write {path}: {reason}").format(path=out, reason=exc.strerror),
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(_("Wrote {path}: {sheets}").format(path=out, sheets=", ".join(report.sheets)))
    return 0
