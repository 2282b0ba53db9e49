"""Reading units: the searchable list, a unit's card, its areas and sub-units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from bot.core.lookup import former_name_units
from bot.core.models import Official, Unit, UnitNameHistory
from bot.core.stats import RateReport, Snapshot, build_report
from bot.core.text import fold
from bot.units.errors import UnitAdminError

PAGE_SIZE = 10


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
    # sqlmodel's select() is typed for up to four columns; this is the Select it builds.
    stmt: Select[*tuple[Any, ...]] = (
        Select(
            col(Unit.id),
            col(Unit.code),
            col(Unit.name),
            col(Unit.kind),
            col(parent.name),
            col(Unit.active),
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
