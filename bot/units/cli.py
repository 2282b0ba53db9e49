"""`python -m bot units …`: unit administration from the command line, for bulk work."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

from sqlmodel import Session

from bot.core.areas import KINDS, kind_label, parse_kind
from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db, session_scope
from bot.core.i18n import _, fmt_date, fmt_number
from bot.core.links import Links, Subcommands
from bot.core.lookup import find_units
from bot.core.roles import role_label
from bot.units.changes import add_unit, rename_unit, set_active, set_area, set_kind
from bot.units.errors import UnitAdminError
from bot.units.files import NO_AREA, UnitsFileRejected, apply_units_file, units_csv
from bot.units.officials import official_by_telegram_id, remove_official, unit_officials
from bot.units.queries import get_unit, unit_card

logger = logging.getLogger(__name__)

EXIT_REFUSED = 1
EXIT_USAGE = 2


class _Usage(Exception):
    """A name that does not designate exactly one unit (exit code 2)."""


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured database."""
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _err(text: str) -> None:
    """A line on stderr (messages are HTML for Telegram; plain here)."""
    print(unescape(text), file=sys.stderr)


def _out(text: str) -> None:
    """A line on stdout."""
    print(unescape(text))


def _unit_id(session: Session, name: str) -> int:
    """The one unit a typed name designates (deactivated ones included); else _Usage."""
    matches = find_units(session=session, query=name, include_inactive=True)
    if matches.unique is not None:
        return matches.unique.id
    if not matches:
        _err(_("No unit matches “{query}”.").format(query=name))
    else:
        _err(_("“{query}” does not name exactly one unit. Candidates:").format(query=name))
        for match in matches:
            _err(f"  {match.name}")
    raise _Usage


def _run(action: Callable[[Session, argparse.Namespace], str]) -> Callable[..., int]:
    """Wrap an action: one transaction, its message on success, exit codes on refusal."""

    def run(settings: Settings, args: argparse.Namespace) -> int:
        """Run the action and report."""
        try:
            with _session(settings) as session:
                message = action(session, args)
        except _Usage:
            return EXIT_USAGE
        except UnitAdminError as exc:
            _err(exc.message())
            return EXIT_REFUSED
        if message:
            _out(message)
        return 0

    return run


def _list(session: Session, args: argparse.Namespace) -> str:
    """Units as CSV."""
    kind = parse_kind(args.kind) if args.kind else None
    if args.kind and kind is None:
        raise UnitAdminError("unknown_kind", kind=args.kind)
    sys.stdout.write(units_csv(session=session, kind=kind, include_inactive=args.inactive))
    return ""


def _add(session: Session, args: argparse.Namespace) -> str:
    """Add a unit."""
    area_id = _unit_id(session, args.area) if args.area else None
    unit = add_unit(session=session, name=args.name, actor=None, kind=args.kind, area_id=area_id)
    return _("Added “{unit}” ({kind}).").format(unit=unit.name, kind=kind_label(unit.kind))


def _rename(session: Session, args: argparse.Namespace) -> str:
    """Rename a unit, keeping the old name."""
    unit_id = _unit_id(session, args.old)
    old = get_unit(session=session, unit_id=unit_id).name
    unit = rename_unit(session=session, unit_id=unit_id, new_name=args.new, actor=None)
    return _("Renamed “{old}” to “{new}”; the old name still finds it.").format(
        old=old, new=unit.name
    )


def _activity(active: bool) -> Callable[[Session, argparse.Namespace], str]:
    """Deactivate or reactivate a unit."""

    def action(session: Session, args: argparse.Namespace) -> str:
        """Change one unit."""
        unit_id = _unit_id(session, args.name)
        unit = set_active(session=session, unit_id=unit_id, active=active, actor=None)
        if active:
            return _("Reactivated “{unit}”.").format(unit=unit.name)
        return _("Deactivated “{unit}”.").format(unit=unit.name)

    return action


def _set_kind(session: Session, args: argparse.Namespace) -> str:
    """Change a unit's kind."""
    unit_id = _unit_id(session, args.name)
    changed = set_kind(session=session, unit_id=unit_id, kind=args.kind, actor=None)
    unit = get_unit(session=session, unit_id=unit_id)
    text = _("“{unit}” is now: {kind}.") if changed else _("“{unit}” already is: {kind}.")
    return text.format(unit=unit.name, kind=kind_label(unit.kind))


def _set_area(session: Session, args: argparse.Namespace) -> str:
    """Place a unit under an area ('-' for none)."""
    unit_id = _unit_id(session, args.name)
    area_id = None if args.area == NO_AREA else _unit_id(session, args.area)
    set_area(session=session, unit_id=unit_id, area_id=area_id, actor=None)
    card = unit_card(session=session, unit_id=unit_id)
    return _("“{unit}” is now in area: {area}.").format(
        unit=card.name, area=card.area_name or _("none")
    )


def _officials(session: Session, args: argparse.Namespace) -> str:
    """People linked to a unit."""
    unit_id = _unit_id(session, args.name)
    rows = unit_officials(session=session, unit_id=unit_id)
    lines = [
        "\t".join(
            [
                str(r.telegram_id),
                r.role,
                r.display_name or "-",
                f"@{r.username}" if r.username else "-",
                fmt_date(r.since.date()),
            ]
        )
        for r in rows
    ]
    return "\n".join(lines) if lines else _("Nobody is linked to this unit yet.")


def _remove_official(session: Session, args: argparse.Namespace) -> str:
    """End a person's link to their unit."""
    row = official_by_telegram_id(session=session, telegram_id=args.telegram_id)
    if row is None:
        raise UnitAdminError("official_gone")
    remove_official(session=session, official_id=row.id, actor=None)
    return _("Removed {id} from {unit} (their role was {role}).").format(
        id=row.telegram_id, role=role_label(row.role), unit=row.unit_name or "—"
    )


def cmd_apply(settings: Settings, args: argparse.Namespace) -> int:
    """Apply a units CSV: everything or nothing."""
    path: Path = args.file
    if not path.is_file():
        _err(_("File not found: {path}").format(path=path))
        return EXIT_USAGE
    try:
        with _session(settings) as session:
            result = apply_units_file(session=session, data=path.read_bytes(), actor=None)
    except UnitsFileRejected as exc:
        _err(_("Nothing was changed. Problems found: {n}").format(n=fmt_number(len(exc.problems))))
        for problem in exc.problems:
            where = _("row {row}").format(row=problem.row) if problem.row else ""
            _err(f"  {where}: {problem.message}" if where else f"  {problem.message}")
        return EXIT_REFUSED
    _out(
        _("Applied: {created} added, {updated} changed, {unchanged} unchanged.").format(
            created=fmt_number(len(result.created)),
            updated=fmt_number(len(result.updated)),
            unchanged=fmt_number(result.unchanged),
        )
    )
    for name in result.created:
        _out(_("  added: {unit}").format(unit=name))
    for name in result.updated:
        _out(_("  changed: {unit}").format(unit=name))
    return 0


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """Register `units` and its subcommands."""
    units = subparsers.add_parser("units", help=_("list and change units (bulk work)"))
    sub = units.add_subparsers(dest="units_command", required=True)
    kinds = ", ".join(KINDS)

    p = sub.add_parser("list", help=_("print units as CSV (name, kind, area, active, …)"))
    p.add_argument("--kind", help=kinds)
    p.add_argument("--inactive", action="store_true", help=_("include deactivated units"))
    p.set_defaults(run=_run(_list))

    p = sub.add_parser("add", help=_("add a unit"))
    p.add_argument("name")
    p.add_argument("--kind", help=kinds)
    p.add_argument("--area")
    p.set_defaults(run=_run(_add))

    p = sub.add_parser("rename", help=_("rename a unit (the old name keeps matching)"))
    p.add_argument("old")
    p.add_argument("new")
    p.set_defaults(run=_run(_rename))

    p = sub.add_parser("deactivate", help=_("deactivate a unit"))
    p.add_argument("name")
    p.set_defaults(run=_run(_activity(False)))

    p = sub.add_parser("activate", help=_("reactivate a unit"))
    p.add_argument("name")
    p.set_defaults(run=_run(_activity(True)))

    p = sub.add_parser("set-kind", help=_("change a unit's kind"))
    p.add_argument("name")
    p.add_argument("kind", help=kinds)
    p.set_defaults(run=_run(_set_kind))

    p = sub.add_parser("set-area", help=_("place a unit under an area ('-' for none)"))
    p.add_argument("name")
    p.add_argument("area")
    p.set_defaults(run=_run(_set_area))

    p = sub.add_parser("officials", help=_("list the people linked to a unit"))
    p.add_argument("name")
    p.set_defaults(run=_run(_officials))

    p = sub.add_parser("remove-official", help=_("end a person's link to their unit"))
    p.add_argument("telegram_id", type=int)
    p.set_defaults(run=_run(_remove_official))

    p = sub.add_parser("apply", help=_("apply a CSV of units (name, kind, area[, active])"))
    p.add_argument("file", type=Path)
    p.set_defaults(run=cmd_apply)
