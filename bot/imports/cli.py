"""`python -m bot import FILE`: import a statistics table from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from pathlib import Path

from sqlmodel import Session

from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db
from bot.core.i18n import _, fmt_date, fmt_number, fmt_rate
from bot.core.links import Links, Subcommands
from bot.core.telegram_html import plain
from bot.imports.apply import ImportResult, import_notes, import_statistics
from bot.imports.issues import ImportRejected, describe_issue
from bot.imports.limits import limits_from
from bot.imports.plan import NEW_UNITS_CAP, NEW_UNITS_FLOOR

EXIT_REFUSED = 1
EXIT_USAGE = 2


def _date(text: str) -> dt.date:
    """Parse YYYY-MM-DD or DD/MM/YYYY."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(_("not a date: {value}").format(value=text))


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """The `import` subcommand."""
    imp = subparsers.add_parser("import", help=_("import a statistics table (TSV, CSV, XLSX)"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--period-start", type=_date)
    imp.add_argument("--period-end", type=_date)
    imp.add_argument("--indicator", default="ky-so")
    imp.add_argument(
        "--allow-new-units",
        action="store_true",
        help=_(
            "create the table's new units even when there are many (more than {floor} and "
            "more than a tenth of the units already known, or more than {cap} in any case)"
        ).format(floor=NEW_UNITS_FLOOR, cap=NEW_UNITS_CAP),
    )
    imp.set_defaults(run=functools.partial(cmd_import, links=links))


def _print_refusal(exc: ImportRejected) -> None:
    """Every problem found, on stderr."""
    print(
        _("Import refused, nothing was written. Problems found: {n}").format(
            n=fmt_number(len(exc.issues))
        ),
        file=sys.stderr,
    )
    for issue in exc.issues:
        print("  " + describe_issue(issue), file=sys.stderr)


def _summary(result: ImportResult) -> str:
    """One line: rows, period, overall rate, units below the thresholds, new units."""
    return _(
        "Imported {rows} units for {start} – {end}: overall {rate} ({signed}/{total}); "
        "{below} below the warning threshold, {critical} critical; {new} new units."
    ).format(
        rows=fmt_number(result.rows),
        start=fmt_date(result.period_start),
        end=fmt_date(result.period_end),
        rate=fmt_rate(result.signed, result.total),
        signed=fmt_number(result.signed),
        total=fmt_number(result.total),
        below=fmt_number(result.below_warning),
        critical=fmt_number(result.below_critical),
        new=fmt_number(len(result.new_units)),
    )


def cmd_import(settings: Settings, args: argparse.Namespace, *, links: Links) -> int:
    """Import one file and print a summary, or every problem found."""
    path: Path = args.file
    if not path.is_file():
        print(_("File not found: {path}").format(path=path), file=sys.stderr)
        return EXIT_USAGE
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with Session(engine) as session:
            result = import_statistics(
                session=session,
                data=path.read_bytes(),
                filename=path.name,
                indicator_code=args.indicator,
                period_start=args.period_start,
                period_end=args.period_end,
                tz=settings.tz,
                after_import=links.after_import,
                limits=limits_from(settings),
                allow_new_units=args.allow_new_units,
            )
            notes = import_notes(session=session, result=result, notes=links.import_notes)
    except ImportRejected as exc:
        _print_refusal(exc)
        return EXIT_REFUSED
    finally:
        engine.dispose()
    print(_summary(result))
    for name, unit in result.folded:
        print(
            _("“{name}” was taken as the unit “{unit}” (same name without diacritics)").format(
                name=name, unit=unit
            )
        )
    for line in notes:
        print(plain(line))
    return 0
