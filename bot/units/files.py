"""Unit administration: add, rename (keeping old names), kind, area, activity, officials."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from sqlalchemy import Subquery, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from bot.core import audit
from bot.core.db import REVISION_KEY, SIGNING_INDICATOR, bump_revision
from bot.core.i18n import LazyString, _, fmt_number, lazy_gettext
from bot.core.lookup import UnitRef, former_name_units
from bot.core.models import AppState, AppUser, Official, Unit, UnitNameHistory
from bot.core.people import end_role
from bot.core.stats import RateReport, Snapshot, StandingsCache, build_report
from bot.core.text import fold, guess_unit_kind, short_key, slugify

logger = logging.getLogger(__name__)

AREA_KIND = "khu-vuc"
KINDS: tuple[str, ...] = ("xa", "phuong", "thi-tran", "so", "ban", AREA_KIND, "khac")
KIND_LABELS: dict[str, LazyString] = {
    "xa": lazy_gettext("commune"),
    "phuong": lazy_gettext("ward"),
    "thi-tran": lazy_gettext("township"),
    "so": lazy_gettext("department"),
    "ban": lazy_gettext("party board"),
    AREA_KIND: lazy_gettext("area"),
    "khac": lazy_gettext("other"),
}
# What people type for a kind (folded), in Vietnamese or English.
_KIND_WORDS: dict[str, str] = {
    "xa": "xa",
    "commune": "xa",
    "phuong": "phuong",
    "ward": "phuong",
    "thi tran": "thi-tran",
    "township": "thi-tran",
    "so": "so",
    "so nganh": "so",
    "department": "so",
    "ban": "ban",
    "board": "ban",
    "party board": "ban",
    "khu vuc": AREA_KIND,
    "area": AREA_KIND,
    "khac": "khac",
    "other": "khac",
}
MAX_NAME = 255
PAGE_SIZE = 10


def kind_label(kind: str) -> str:
    """Translated name of a unit kind (the code if unknown)."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def parse_kind(text: str) -> str | None:
    """Kind code from a code or label typed in either language; None if not a kind."""
    return _KIND_WORDS.get(fold(text))


def parse_search(text: str) -> tuple[str | None, str]:
    """'/donvi phuong an' → ('phuong', 'an'); a leading kind word filters by kind."""
    key = fold(text)
    words = key.split()
    for size in (2, 1):
        if len(words) >= size:
            kind = _KIND_WORDS.get(" ".join(words[:size]))
            if kind is not None:
                return kind, " ".join(words[size:])
    return None, key


# --- errors -------------------------------------------------------------------------------


class UnitAdminError(Exception):
    """A change that cannot be made; `message()` says why in the current language."""

    def __init__(self, code: str, **params: str) -> None:
        """Remember the reason and its parameters."""
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        """The reason, translated and HTML-escaped where it quotes names."""
        p = {k: escape(v) for k, v in self.params.items()}
        code = self.code
        if code == "empty_name":
            return _("The name is empty.")
        if code == "name_too_long":
            return _("The name is too long (at most {n} characters).").format(
                n=fmt_number(MAX_NAME)
            )
        if code == "name_taken":
            return _("There is already a unit named “{unit}”.").format(unit=p["unit"])
        if code == "name_taken_inactive":
            return _(
                "There is already a deactivated unit named “{unit}”: reactivate it instead."
            ).format(unit=p["unit"])
        if code == "former_name":
            return _("“{name}” is a former name of “{unit}”.").format(
                name=p["name"], unit=p["unit"]
            )
        if code == "same_name":
            return _("That is already the unit's name.")
        if code == "unknown_kind":
            return _("Unknown kind “{kind}”. Use one of: {kinds}.").format(
                kind=p["kind"], kinds=", ".join(KINDS)
            )
        if code == "own_area":
            return _("A unit cannot be its own area.")
        if code == "cycle":
            return _(
                "“{area}” is inside “{unit}”: a unit cannot be placed under one of its own "
                "sub-units."
            ).format(area=p["area"], unit=p["unit"])
        if code == "area_inactive":
            return _("“{area}” is deactivated and cannot be an area.").format(area=p["area"])
        if code == "already_inactive":
            return _("“{unit}” is already deactivated.").format(unit=p["unit"])
        if code == "already_active":
            return _("“{unit}” is already active.").format(unit=p["unit"])
        if code == "official_gone":
            return _("This official is no longer linked to a unit.")
        return _("This unit no longer exists.")


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """One line of the unit list."""

    id: int
    code: str
    name: str
    kind: str
    area_name: str | None
    active: bool
    officials: int


@dataclass(frozen=True)
class UnitPage:
    """One page of units matching a search."""

    rows: list[UnitRow]
    page: int
    pages: int
    total: int
    kind: str | None
    query: str


def _official_counts() -> Subquery:
    """Subquery: active officials per unit."""
    return (
        select(Official.unit_id, func.count().label("n"))
        .where(Official.active == True)  # noqa: E712
        .group_by(col(Official.unit_id))
        .subquery()
    )


def list_units(
    *,
    session: Session,
    query: str = "",
    kind: str | None = None,
    include_inactive: bool = True,
    page: int = 0,
    per_page: int | None = PAGE_SIZE,
) -> UnitPage:
    """Units whose folded name contains the query, by name without its prefix; one page."""
    parent = aliased(Unit)
    counts = _official_counts()
    stmt = (
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.kind,
            parent.name,
            Unit.active,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(parent, col(parent.id) == col(Unit.parent_id))
        .outerjoin(counts, counts.c.unit_id == col(Unit.id))
    )
    key = fold(query)
    if key:
        stmt = stmt.where(col(Unit.name_key).contains(key, autoescape=True))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if not include_inactive:
        stmt = stmt.where(Unit.active == True)  # noqa: E712
    total = int(session.exec(select(func.count()).select_from(stmt.subquery())).one())
    stmt = stmt.order_by(col(Unit.short_key), col(Unit.name_key), col(Unit.id))
    if per_page is None:
        pages, page = 1, 0
    else:
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        stmt = stmt.offset(page * per_page).limit(per_page)
    rows = [
        UnitRow(int(i), c, n, k, a, bool(act), int(o))
        for i, c, n, k, a, act, o in session.exec(stmt).all()
    ]
    return UnitPage(rows=rows, page=page, pages=pages, total=total, kind=kind, query=key)


def get_unit(*, session: Session, unit_id: int) -> Unit:
    """A unit by id, or UnitAdminError('not_found')."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise UnitAdminError("not_found")
    return unit


def _active_officials(session: Session, unit_id: int) -> int:
    """How many people are linked to a unit now."""
    return int(
        session.exec(
            select(func.count())
            .select_from(Official)
            .where(Official.unit_id == unit_id, Official.active == True)  # noqa: E712
        ).one()
    )


@dataclass(frozen=True)
class UnitCard:
    """Everything the secretariat sees about one unit."""

    id: int
    code: str
    name: str
    kind: str
    active: bool
    area_id: int | None
    area_name: str | None
    officials: int
    sub_units: int
    former_names: list[str]
    report: RateReport | None


def unit_card(*, session: Session, unit_id: int, snapshot: Snapshot | None = None) -> UnitCard:
    """A unit's details, with its latest rate when the standings have it."""
    unit = get_unit(session=session, unit_id=unit_id)
    area = session.get(Unit, unit.parent_id) if unit.parent_id is not None else None
    sub_units = int(
        session.exec(select(func.count()).select_from(Unit).where(Unit.parent_id == unit_id)).one()
    )
    former = [
        name
        for name in session.exec(
            select(UnitNameHistory.old_name)
            .where(UnitNameHistory.unit_id == unit_id)
            .order_by(col(UnitNameHistory.id).desc())
        ).all()
        if name != unit.name
    ]
    return UnitCard(
        id=unit_id,
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        active=unit.active,
        area_id=unit.parent_id,
        area_name=area.name if area else None,
        officials=_active_officials(session, unit_id),
        sub_units=sub_units,
        former_names=list(dict.fromkeys(former)),
        report=build_report(snapshot, unit_id) if snapshot is not None else None,
    )


def latest_snapshot(
    *, session: Session, standings: StandingsCache, indicator_code: str = SIGNING_INDICATOR
) -> Snapshot | None:
    """Standings at the database's current revision (fresh right after a change)."""
    state = session.get(AppState, REVISION_KEY)
    revision = state.value if state is not None else 0
    return standings.get(session=session, indicator_code=indicator_code, revision=revision)


def resolve_exact(*, session: Session, name: str) -> list[Unit]:
    """Units (active or not) with exactly this name now, else those that had it before."""
    key = fold(name)
    if not key:
        return []
    found = list(session.exec(select(Unit).where(Unit.name_key == key).order_by(col(Unit.id))))
    if found:
        return found
    ids = former_name_units(session=session, key=key, short=False)
    if not ids:
        return []
    return list(session.exec(select(Unit).where(col(Unit.id).in_(ids)).order_by(col(Unit.id))))


def _ancestors(session: Session, unit_id: int | None) -> list[int]:
    """The chain of areas above a unit, nearest first (stops on a loop)."""
    chain: list[int] = []
    while unit_id is not None and unit_id not in chain:
        chain.append(unit_id)
        unit = session.get(Unit, unit_id)
        unit_id = unit.parent_id if unit else None
    return chain[1:]


def descendants(*, session: Session, unit_id: int) -> set[int]:
    """Every unit below a unit, at any depth."""
    children: dict[int, list[int]] = {}
    for child, parent in session.exec(
        select(Unit.id, Unit.parent_id).where(col(Unit.parent_id).is_not(None))
    ).all():
        children.setdefault(int(parent), []).append(int(child))  # type: ignore[arg-type]
    found: set[int] = set()
    todo = [unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def list_areas(*, session: Session, for_unit_id: int | None = None) -> list[UnitRef]:
    """Active units that are areas (kind 'khu-vuc' or already a parent), by name; for a unit,
    leaves out the unit itself and everything below it."""
    parents = select(Unit.parent_id).where(col(Unit.parent_id).is_not(None))
    stmt = (
        select(Unit.id, Unit.name)
        .where(
            Unit.active == True,  # noqa: E712
            or_(Unit.kind == AREA_KIND, col(Unit.id).in_(parents)),
        )
        .order_by(col(Unit.short_key), col(Unit.id))
    )
    excluded: set[int] = set()
    if for_unit_id is not None:
        excluded = descendants(session=session, unit_id=for_unit_id) | {for_unit_id}
    return [UnitRef(int(i), n) for i, n in session.exec(stmt).all() if i not in excluded]  # type: ignore[arg-type]


# --- changing -----------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """Collapse spaces; refuse an empty or over-long name."""
    cleaned = " ".join(name.split())
    if not fold(cleaned):
        raise UnitAdminError("empty_name")
    if len(cleaned) > MAX_NAME:
        raise UnitAdminError("name_too_long")
    return cleaned


def _check_name_free(session: Session, name: str, unit_id: int | None) -> None:
    """Refuse a name another unit has now or had before (naming that unit)."""
    key = fold(name)
    for other in session.exec(select(Unit).where(Unit.name_key == key)):
        if other.id != unit_id:
            raise UnitAdminError(
                "name_taken" if other.active else "name_taken_inactive", unit=other.name
            )
    for other_id in former_name_units(session=session, key=key, short=False):
        if other_id != unit_id:
            other = get_unit(session=session, unit_id=other_id)
            if fold(other.name) != key:
                raise UnitAdminError("former_name", name=name, unit=other.name)


def _unique_code(session: Session, name: str) -> str:
    """A free code from the name: slug, slug-2, slug-3 …"""
    base = (slugify(name) or "unit")[:110].strip("-") or "unit"
    taken = set(session.exec(select(Unit.code).where(col(Unit.code).startswith(base))).all())
    code, suffix = base, 2
    while code in taken:
        code = f"{base}-{suffix}"
        suffix += 1
    return code


def _check_kind(kind: str) -> str:
    """A valid kind code (codes and typed labels accepted)."""
    found = kind if kind in KINDS else parse_kind(kind)
    if found is None:
        raise UnitAdminError("unknown_kind", kind=kind)
    return found


def _check_area(session: Session, unit: Unit | None, area_id: int | None) -> Unit | None:
    """The area a unit may be placed under; refuses itself, sub-units and inactive areas."""
    if area_id is None:
        return None
    area = get_unit(session=session, unit_id=area_id)
    if unit is not None:
        if area.id == unit.id:
            raise UnitAdminError("own_area")
        if unit.id in _ancestors(session, area.id):
            raise UnitAdminError("cycle", area=area.name, unit=unit.name)
    if not area.active:
        raise UnitAdminError("area_inactive", area=area.name)
    return area


def _subject(unit: Unit) -> str:
    """Audit subject of a unit."""
    return f"unit:{unit.id}"


def add_unit(
    *,
    session: Session,
    name: str,
    actor: int | None,
    kind: str | None = None,
    area_id: int | None = None,
    active: bool = True,
) -> Unit:
    """Create a unit (kind guessed from the name unless given); audited, in the caller's
    transaction."""
    name = clean_name(name)
    _check_name_free(session, name, None)
    kind = _check_kind(kind) if kind else guess_unit_kind(name)
    area = _check_area(session, None, area_id)
    key = fold(name)
    unit = Unit(
        code=_unique_code(session, name),
        name=name,
        name_key=key,
        short_key=short_key(key),
        kind=kind,
        parent_id=area.id if area else None,
        active=active,
    )
    session.add(unit)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="unit.create",
        subject=_subject(unit),
        name=name,
        kind=kind,
        area=area.name if area else None,
        active=active,
    )
    bump_revision(session)
    logger.info("unit %s created: %s", unit.id, name)
    return unit


def rename_unit(*, session: Session, unit_id: int, new_name: str, actor: int | None) -> Unit:
    """Rename a unit, keeping the old name so files and searches using it still find it."""
    unit = get_unit(session=session, unit_id=unit_id)
    new_name = clean_name(new_name)
    if new_name == unit.name:
        raise UnitAdminError("same_name")
    _check_name_free(session, new_name, unit.id)
    old_name, old_key = unit.name, unit.name_key
    session.add(
        UnitNameHistory(
            unit_id=unit_id,
            old_name=old_name,
            old_name_key=old_key,
            new_name=new_name,
            changed_by=actor,
        )
    )
    key = fold(new_name)
    unit.name, unit.name_key, unit.short_key = new_name, key, short_key(key)
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.rename",
        subject=_subject(unit),
        old=old_name,
        new=new_name,
    )
    bump_revision(session)
    session.flush()
    return unit


def set_kind(*, session: Session, unit_id: int, kind: str, actor: int | None) -> bool:
    """Change a unit's kind; False if it already had it."""
    unit = get_unit(session=session, unit_id=unit_id)
    kind = _check_kind(kind)
    if unit.kind == kind:
        return False
    old = unit.kind
    unit.kind = kind
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.update",
        subject=_subject(unit),
        field="kind",
        old=old,
        new=kind,
    )
    bump_revision(session)
    session.flush()
    return True


def set_area(
    *, session: Session, unit_id: int, area_id: int | None, actor: int | None, check: bool = True
) -> bool:
    """Place a unit under an area (None: top level); refuses cycles. False if unchanged."""
    unit = get_unit(session=session, unit_id=unit_id)
    if check:
        area = _check_area(session, unit, area_id)
    else:
        area = session.get(Unit, area_id) if area_id is not None else None
    if unit.parent_id == (area.id if area else None):
        return False
    old = session.get(Unit, unit.parent_id) if unit.parent_id is not None else None
    unit.parent_id = area.id if area else None
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.update",
        subject=_subject(unit),
        field="area",
        old=old.name if old else None,
        new=area.name if area else None,
    )
    bump_revision(session)
    session.flush()
    return True


def set_active(*, session: Session, unit_id: int, active: bool, actor: int | None) -> Unit:
    """Deactivate (leaves lookups and rankings; figures, officials and history are kept) or
    reactivate a unit."""
    unit = get_unit(session=session, unit_id=unit_id)
    if unit.active == active:
        raise UnitAdminError("already_active" if active else "already_inactive", unit=unit.name)
    if active:
        _check_name_free(session, unit.name, unit.id)
    unit.active = active
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.activate" if active else "unit.deactivate",
        subject=_subject(unit),
        name=unit.name,
    )
    bump_revision(session)
    session.flush()
    return unit


# --- officials ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialRow:
    """A person linked to a unit."""

    id: int
    telegram_id: int
    display_name: str
    username: str
    role: str
    since: dt.datetime
    unit_id: int | None
    unit_name: str | None


def _official_rows(session: Session, *conditions: object) -> list[OfficialRow]:
    """Active officials matching conditions, with their name and unit."""
    stmt = (
        select(Official, AppUser.display_name, AppUser.username, Unit.name)
        .outerjoin(AppUser, col(AppUser.telegram_id) == col(Official.telegram_id))
        .outerjoin(Unit, col(Unit.id) == col(Official.unit_id))
        .where(Official.active == True, *conditions)  # noqa: E712
        .order_by(col(Official.role), col(Official.created_at), col(Official.id))
    )
    return [
        OfficialRow(
            id=o.id,  # type: ignore[arg-type]
            telegram_id=o.telegram_id,
            display_name=display or "",
            username=username or "",
            role=o.role,
            since=o.created_at,
            unit_id=o.unit_id,
            unit_name=unit_name,
        )
        for o, display, username, unit_name in session.exec(stmt).all()
    ]


def unit_officials(*, session: Session, unit_id: int) -> list[OfficialRow]:
    """People linked to a unit now, heads first."""
    get_unit(session=session, unit_id=unit_id)
    rows = _official_rows(session, Official.unit_id == unit_id)
    order = {"head": 0, "staff": 1, "viewer": 2}
    return sorted(rows, key=lambda r: (order.get(r.role, 3), r.since, r.id))


def official(*, session: Session, official_id: int) -> OfficialRow:
    """One active official, or UnitAdminError('official_gone')."""
    rows = _official_rows(session, Official.id == official_id)
    if not rows:
        raise UnitAdminError("official_gone")
    return rows[0]


def official_by_telegram_id(*, session: Session, telegram_id: int) -> OfficialRow | None:
    """The active role of a Telegram user, if any."""
    rows = _official_rows(session, Official.telegram_id == telegram_id)
    return rows[0] if rows else None


def remove_official(*, session: Session, official_id: int, actor: int | None) -> OfficialRow:
    """End a person's link to their unit (the row is kept, with ended_at); audited."""
    row = official(session=session, official_id=official_id)
    record = session.get(Official, official_id)
    assert record is not None
    end_role(
        session=session,
        official=record,
        actor=actor,
        action="official.remove",
        subject=f"official:{official_id}",
        telegram_id=row.telegram_id,
        unit=row.unit_name,
        role=row.role,
    )
    session.flush()
    return row


# --- bulk changes from a CSV file ---------------------------------------------------------

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


def _cell(cells: list[str], index: int | None) -> str:
    """A stripped cell, '' when missing."""
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _name_lists(units: Iterable[Unit]) -> str:
    """'A; B' for messages."""
    return "; ".join(u.name for u in units)


def _plan_rows(session: Session, data: bytes) -> list[_Row]:
    """Validate every row of a units file; raise UnitsFileRejected listing every problem."""
    problems: list[FileProblem] = []
    try:
        lines = _read_csv(data)
    except UnicodeDecodeError:
        raise UnitsFileRejected([FileProblem(None, _("The file is not UTF-8 text."))]) from None
    lines = [(i, cells) for i, cells in enumerate(lines, start=1) if any(c.strip() for c in cells)]
    if not lines:
        raise UnitsFileRejected([FileProblem(None, _("The file is empty."))])
    header_row, header = lines[0]
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
    planned: list[_Row] = []
    seen: dict[str, int] = {}
    new_names: dict[str, int] = {}
    for number, cells in lines[1:]:
        row_problems: list[str] = []
        name = " ".join(_cell(cells, columns["name"]).split())
        key = fold(name)
        unit: Unit | None = None
        if not key:
            row_problems.append(_("The name is empty."))
        elif key in seen:
            row_problems.append(
                _("“{name}” is listed twice (first on row {first_row}).").format(
                    name=escape(name), first_row=seen[key]
                )
            )
        else:
            seen[key] = number
            found = resolve_exact(session=session, name=name)
            if len(found) > 1:
                row_problems.append(
                    _("“{name}” matches several units: {units}.").format(
                        name=escape(name), units=escape(_name_lists(found))
                    )
                )
            elif found:
                unit = found[0]
            elif len(name) > MAX_NAME:
                row_problems.append(
                    _("The name is too long (at most {n} characters).").format(
                        n=fmt_number(MAX_NAME)
                    )
                )
            else:
                new_names[key] = number
        kind_text = _cell(cells, columns["kind"])
        kind = None
        if kind_text:
            kind = kind_text if kind_text in KINDS else parse_kind(kind_text)
            if kind is None:
                row_problems.append(UnitAdminError("unknown_kind", kind=kind_text).message())
        area_text = _cell(cells, columns["area"])
        area: str | None = None
        if area_text == NO_AREA:
            area = NO_AREA
        elif area_text:
            area = fold(area_text)
        active_text = fold(_cell(cells, columns.get("active")))
        active: bool | None = None
        if active_text in _YES:
            active = True
        elif active_text in _NO:
            active = False
        elif active_text:
            row_problems.append(
                _("“{value}” in “active” is not yes/no (1/0, có/không).").format(
                    value=escape(_cell(cells, columns.get("active")))
                )
            )
        problems.extend(FileProblem(number, text) for text in row_problems)
        planned.append(_Row(number, name, unit, kind, area, area_text, active))

    # Areas: an existing unit (exact or former name) or a unit added by this file.
    for row in planned:
        if row.area in (None, NO_AREA):
            continue
        assert row.area is not None
        if row.area in new_names:
            continue
        found = resolve_exact(session=session, name=row.area)
        area_text = escape(row.area_text)
        if not found:
            problems.append(
                FileProblem(
                    row.row, _("No unit named “{area}” for the area.").format(area=area_text)
                )
            )
        elif len(found) > 1:
            problems.append(
                FileProblem(
                    row.row,
                    _("The area “{area}” matches several units: {units}.").format(
                        area=area_text, units=escape(_name_lists(found))
                    ),
                )
            )
        elif not found[0].active and not any(r.unit is found[0] and r.active for r in planned):
            problems.append(
                FileProblem(row.row, UnitAdminError("area_inactive", area=found[0].name).message())
            )
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
            [
                row.name,
                row.kind,
                row.area_name or "",
                "1" if row.active else "0",
                row.officials,
                row.code,
            ]
        )
    return out.getvalue()
