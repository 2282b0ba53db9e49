"""The units file: every unit as an editable CSV, and applying such a file (all rows or none)."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from sqlmodel import Session, select

from bot.core.areas import KINDS, parse_kind
from bot.core.cells import csv_row, restore
from bot.core.i18n import _, fmt_number
from bot.core.models import Unit
from bot.core.text import fold
from bot.units.changes import add_unit, set_active, set_area, set_kind
from bot.units.errors import MAX_NAME, UnitAdminError
from bot.units.queries import list_units, resolve_exact

logger = logging.getLogger(__name__)

_COLUMNS: dict[str, str] = {
    "name": "name",
    "ten": "name",
    "ten don vi": "name",
    "don vi": "name",
    "kind": "kind",
    "loai": "kind",
    "area": "area",
    "khu vuc": "area",
    "active": "active",
    "hoat dong": "active",
}
_YES = {"1", "yes", "y", "true", "co", "x", "active"}
_NO = {"0", "no", "n", "false", "khong", "inactive"}
NO_AREA = "-"


@dataclass(frozen=True)
class FileProblem:
    """One problem in a units file (row 1 is the header)."""

    row: int | None
    message: str


class UnitsFileRejected(Exception):
    """A units file that was not applied, with every problem found."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        """Keep the problems."""
        super().__init__(f"{len(problems)} problems")
        self.problems = list(problems)


@dataclass
class ApplyResult:
    """What applying a units file changed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class _Row:
    """A validated line of the file."""

    row: int
    name: str
    unit: Unit | None
    kind: str | None
    area: str | None  # None: unchanged, NO_AREA: top level, else a name key
    area_text: str
    active: bool | None


def _read_csv(data: bytes) -> list[list[str]]:
    """Rows of a UTF-8 CSV (comma or semicolon)."""
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _numbered_lines(data: bytes) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows with their row numbers; refuses a non-UTF-8 or empty file."""
    try:
        rows = _read_csv(data)
    except UnicodeDecodeError:
        raise UnitsFileRejected([FileProblem(None, _("The file is not UTF-8 text."))]) from None
    lines = [(i, cells) for i, cells in enumerate(rows, start=1) if any(c.strip() for c in cells)]
    if not lines:
        raise UnitsFileRejected([FileProblem(None, _("The file is empty."))])
    return lines


def _header_columns(header_row: int, header: list[str]) -> dict[str, int]:
    """Column index of each known title (first one wins); refuses a header missing a column."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        column = _COLUMNS.get(fold(title))
        if column is not None and column not in columns:
            columns[column] = index
    missing = [c for c in ("name", "kind", "area") if c not in columns]
    if missing:
        raise UnitsFileRejected(
            [
                FileProblem(
                    header_row,
                    _(
                        "The header must have the columns name, kind, area (and optionally "
                        "active); missing: {columns}."
                    ).format(columns=", ".join(missing)),
                )
            ]
        )
    return columns


def _cell(cells: list[str], index: int | None) -> str:
    """A stripped cell, '' when missing."""
    if index is None or index >= len(cells):
        return ""
    return restore(cells[index].strip())


def _name_lists(units: Iterable[Unit]) -> str:
    """'A; B' for messages."""
    return "; ".join(u.name for u in units)


@dataclass
class _Names:
    """Names seen so far in the file: row of each name, and of each name that adds a unit."""

    seen: dict[str, int] = field(default_factory=dict)
    new: dict[str, int] = field(default_factory=dict)


def _row_unit(
    session: Session, name: str, number: int, names: _Names
) -> tuple[Unit | None, str | None]:
    """The existing unit a row names (None: a new one), or why the name is refused."""
    key = fold(name)
    if not key:
        return None, _("The name is empty.")
    if key in names.seen:
        return None, _("“{name}” is listed twice (first on row {first_row}).").format(
            name=escape(name), first_row=names.seen[key]
        )
    names.seen[key] = number
    found = resolve_exact(session=session, name=name)
    if len(found) > 1:
        return None, _("“{name}” matches several units: {units}.").format(
            name=escape(name), units=escape(_name_lists(found))
        )
    if found:
        return found[0], None
    if len(name) > MAX_NAME:
        return None, _("The name is too long (at most {n} characters).").format(
            n=fmt_number(MAX_NAME)
        )
    names.new[key] = number
    return None, None


def _row_kind(text: str) -> tuple[str | None, str | None]:
    """The kind a cell names (None: unchanged), or why it is refused."""
    if not text:
        return None, None
    kind = text if text in KINDS else parse_kind(text)
    if kind is None:
        return None, UnitAdminError("unknown_kind", kind=text).message()
    return kind, None


def _row_area(text: str) -> str | None:
    """None: unchanged, NO_AREA: top level, else the area's name key."""
    if text == NO_AREA:
        return NO_AREA
    return fold(text) if text else None


def _row_active(text: str) -> tuple[bool | None, str | None]:
    """Yes/no from a cell (None: unchanged), or why it is refused."""
    value = fold(text)
    if value in _YES:
        return True, None
    if value in _NO:
        return False, None
    if value:
        return None, _("“{value}” in “active” is not yes/no (1/0, có/không).").format(
            value=escape(text)
        )
    return None, None


def _plan_row(
    session: Session, number: int, cells: list[str], columns: dict[str, int], names: _Names
) -> tuple[_Row, list[str]]:
    """One line of the file, read and checked on its own; the problems found in it."""
    name = " ".join(_cell(cells, columns["name"]).split())
    unit, name_problem = _row_unit(session, name, number, names)
    kind, kind_problem = _row_kind(_cell(cells, columns["kind"]))
    area_text = _cell(cells, columns["area"])
    active, active_problem = _row_active(_cell(cells, columns.get("active")))
    row = _Row(number, name, unit, kind, _row_area(area_text), area_text, active)
    return row, [p for p in (name_problem, kind_problem, active_problem) if p is not None]


def _area_problem(session: Session, row: _Row, planned: list[_Row]) -> str | None:
    """Why a row's area does not name exactly one active unit, or None."""
    assert row.area is not None
    found = resolve_exact(session=session, name=row.area)
    area_text = escape(row.area_text)
    if not found:
        return _("No unit named “{area}” for the area.").format(area=area_text)
    if len(found) > 1:
        return _("The area “{area}” matches several units: {units}.").format(
            area=area_text, units=escape(_name_lists(found))
        )
    if not found[0].active and not any(r.unit is found[0] and r.active for r in planned):
        return UnitAdminError("area_inactive", area=found[0].name).message()
    return None


def _area_problems(session: Session, planned: list[_Row], names: _Names) -> list[FileProblem]:
    """Areas must be an existing unit (exact or former name) or a unit added by this file."""
    problems: list[FileProblem] = []
    for row in planned:
        if row.area in (None, NO_AREA) or row.area in names.new:
            continue
        problem = _area_problem(session, row, planned)
        if problem is not None:
            problems.append(FileProblem(row.row, problem))
    return problems


def _plan_rows(session: Session, data: bytes) -> list[_Row]:
    """Validate every row of a units file; raise UnitsFileRejected listing every problem."""
    lines = _numbered_lines(data)
    header_row, header = lines[0]
    columns = _header_columns(header_row, header)
    names = _Names()
    planned: list[_Row] = []
    problems: list[FileProblem] = []
    for number, cells in lines[1:]:
        row, row_problems = _plan_row(session, number, cells, columns, names)
        problems.extend(FileProblem(number, text) for text in row_problems)
        planned.append(row)
    problems.extend(_area_problems(session, planned, names))
    if not problems:
        problems.extend(_cycle_problems(session, planned))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise UnitsFileRejected(problems)
    return planned


def _area_key_of(session: Session, key: str) -> str:
    """Identity of an area named in the file: 'id:N' for existing units, 'new:key' for new."""
    found = resolve_exact(session=session, name=key)
    return f"id:{found[0].id}" if found else f"new:{key}"


def _cycle_problems(session: Session, planned: list[_Row]) -> list[FileProblem]:
    """Rows whose final placement would put a unit under itself."""
    parent: dict[str, str | None] = {}
    for uid, pid in session.exec(select(Unit.id, Unit.parent_id)).all():
        parent[f"id:{uid}"] = f"id:{pid}" if pid is not None else None
    row_of: dict[str, _Row] = {}
    for row in planned:
        ident = f"id:{row.unit.id}" if row.unit is not None else f"new:{fold(row.name)}"
        row_of[ident] = row
        if row.area == NO_AREA:
            parent[ident] = None
        elif row.area is not None:
            parent[ident] = _area_key_of(session, row.area)
        else:
            parent.setdefault(ident, None)
    problems: list[FileProblem] = []
    for ident, row in row_of.items():
        seen: set[str] = set()
        current = parent.get(ident)
        while current is not None and current not in seen:
            if current == ident:
                message = (
                    UnitAdminError("own_area").message()
                    if parent.get(ident) == ident
                    else _("“{unit}” would end up inside itself through its areas.").format(
                        unit=escape(row.name)
                    )
                )
                problems.append(FileProblem(row.row, message))
                break
            seen.add(current)
            current = parent.get(current)
    return problems


def apply_units_file(*, session: Session, data: bytes, actor: int | None) -> ApplyResult:
    """Validate a CSV (name, kind, area[, active]) and apply all rows, or nothing; the caller
    commits. Empty cells leave a value unchanged; '-' as area means top level."""
    planned = _plan_rows(session, data)
    result = ApplyResult()
    created: dict[str, Unit] = {}
    for row in planned:
        if row.unit is None:
            try:
                unit = add_unit(
                    session=session,
                    name=row.name,
                    actor=actor,
                    kind=row.kind,
                    active=row.active if row.active is not None else True,
                )
            except UnitAdminError as exc:
                raise UnitsFileRejected([FileProblem(row.row, exc.message())]) from exc
            created[fold(row.name)] = unit
            result.created.append(unit.name)
    for row in planned:
        is_new = row.unit is None
        unit = row.unit if row.unit is not None else created[fold(row.name)]
        assert unit.id is not None
        changed = False
        try:
            if row.kind is not None and not is_new:
                changed |= set_kind(session=session, unit_id=unit.id, kind=row.kind, actor=actor)
            if row.active is not None and not is_new and unit.active != row.active:
                set_active(session=session, unit_id=unit.id, active=row.active, actor=actor)
                changed = True
            if row.area is not None:
                if row.area == NO_AREA:
                    area_id = None
                elif row.area in created:
                    area_id = created[row.area].id
                else:
                    area_id = resolve_exact(session=session, name=row.area)[0].id
                changed |= set_area(
                    session=session, unit_id=unit.id, area_id=area_id, actor=actor, check=False
                )
        except UnitAdminError as exc:
            raise UnitsFileRejected([FileProblem(row.row, exc.message())]) from exc
        if is_new:
            continue
        if changed:
            result.updated.append(unit.name)
        else:
            result.unchanged += 1
    return result


def units_csv(*, session: Session, kind: str | None = None, include_inactive: bool = False) -> str:
    """Units as CSV (name, kind, area, active, officials, code), editable for apply."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "kind", "area", "active", "officials", "code"])
    page = list_units(session=session, kind=kind, include_inactive=include_inactive, per_page=None)
    for row in page.rows:
        writer.writerow(
            csv_row(
                [
                    row.name,
                    row.kind,
                    row.area_name or "",
                    "1" if row.active else "0",
                    row.officials,
                    row.code,
                ]
            )
        )
    return out.getvalue()
