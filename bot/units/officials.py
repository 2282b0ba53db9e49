"""The people linked to a unit: who they are, and ending a person's link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from bot.core.db import stored_id
from bot.core.models import AppUser, Official, Unit
from bot.core.people import end_role
from bot.units.errors import UnitAdminError
from bot.units.queries import get_unit


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


def _official_rows(session: Session, *conditions: ColumnElement[bool]) -> list[OfficialRow]:
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
            id=stored_id(o.id),
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
    rows = _official_rows(session, col(Official.unit_id) == unit_id)
    order = {"head": 0, "staff": 1, "viewer": 2}
    return sorted(rows, key=lambda r: (order.get(r.role, 3), r.since, r.id))


def official(*, session: Session, official_id: int) -> OfficialRow:
    """One active official, or UnitAdminError('official_gone')."""
    rows = _official_rows(session, col(Official.id) == official_id)
    if not rows:
        raise UnitAdminError("official_gone")
    return rows[0]


def official_by_telegram_id(*, session: Session, telegram_id: int) -> OfficialRow | None:
    """The active role of a Telegram user, if any."""
    rows = _official_rows(session, col(Official.telegram_id) == telegram_id)
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
