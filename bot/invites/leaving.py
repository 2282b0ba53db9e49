"""Leaving one's own unit or role (/roi)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from bot.core.models import Role, Unit
from bot.core.people import end_role
from bot.invites.secretariat import active_official, secretariat_count


class LeaveStatus(StrEnum):
    """Outcome of /roi."""

    LEFT = "left"
    NOT_LINKED = "not_linked"
    LAST_SECRETARIAT = "last_secretariat"


@dataclass(frozen=True)
class LeaveResult:
    """What /roi did; the unit and role that ended."""

    status: LeaveStatus
    unit_name: str | None = None
    role: Role | None = None


def check_leave(
    *, session: Session, telegram_id: int, admin_ids: frozenset[int]
) -> LeaveResult | None:
    """Why someone cannot leave (None: they can), without writing."""
    row = active_official(session=session, telegram_id=telegram_id)
    if row is None:
        return LeaveResult(LeaveStatus.NOT_LINKED)
    if (
        row.role == Role.SECRETARIAT.value
        and telegram_id not in admin_ids
        and secretariat_count(session=session, admin_ids=admin_ids) <= 1
    ):
        return LeaveResult(LeaveStatus.LAST_SECRETARIAT, role=Role.SECRETARIAT)
    return None


def leave(*, session: Session, telegram_id: int, admin_ids: frozenset[int]) -> LeaveResult:
    """End the person's own role (audited as official.leave)."""
    refused = check_leave(session=session, telegram_id=telegram_id, admin_ids=admin_ids)
    if refused is not None:
        return refused
    row = active_official(session=session, telegram_id=telegram_id)
    assert row is not None
    unit = session.get(Unit, row.unit_id) if row.unit_id else None
    end_role(
        session=session,
        official=row,
        actor=telegram_id,
        action="official.leave",
        subject=unit.name if unit else str(telegram_id),
        unit_id=row.unit_id,
        role=row.role,
    )
    return LeaveResult(LeaveStatus.LEFT, unit_name=unit.name if unit else None, role=Role(row.role))
