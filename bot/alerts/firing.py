"""Who hears about what: firing levels, the officials warned, the inhibitors that cover units.

Inhibition seam: INHIBITORS lists "module:function" names, each called as
fn(session=, indicator_id=, unit_ids=, now=) and returning the ids of units covered by an open
deadline reminder for the same shortfall; those units get the reminder instead of a warning.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.core.models import AlertState, AppUser, Official, Role, Unit
from bot.core.stats import IndicatorInfo, Status

logger = logging.getLogger(__name__)

# "module:function" names of inhibitors (see the module docstring): a unit still owing an open
# deadline on the indicator gets that deadline's reminders instead of a second message.
INHIBITORS: tuple[str, ...] = ("bot.deadlines.reminders:units_with_open_reminder",)

PUSH_LANGUAGE = "vi"  # for people who never chose a language: officials read Vietnamese
KIND_WARNING = "warning"  # outbox kinds of the pushes
KIND_RESOLVED = "warning_resolved"
RECIPIENT_ROLES = (Role.HEAD.value, Role.STAFF.value)


class Level(StrEnum):
    """How far below the thresholds a unit is."""

    WARNING = "warning"
    CRITICAL = "critical"


def level_of(indicator: IndicatorInfo, numerator: int, denominator: int) -> Level | None:
    """Firing level of a rate (None: not below the warning threshold, or nothing to count)."""
    status = indicator.status(numerator, denominator)
    if status is Status.CRITICAL:
        return Level.CRITICAL
    if status is Status.BELOW_WARNING:
        return Level.WARNING
    return None


def alert_states(*, session: Session, indicator_id: int) -> dict[int, AlertState]:
    """Unit id → alert state for one indicator (what each unit was last told)."""
    rows = session.exec(select(AlertState).where(AlertState.indicator_id == indicator_id)).all()
    return {row.unit_id: row for row in rows}


# --- who is warned -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """An official who receives a unit's warnings."""

    telegram_id: int
    role: str
    language: str


def recipients_for(*, session: Session, unit_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    """Active, reachable heads and staff of each unit (heads first)."""
    ids = list(unit_ids)
    found: dict[int, list[Recipient]] = {}
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(Official.unit_id, Official.telegram_id, Official.role, AppUser.language)
            .join(AppUser, col(AppUser.telegram_id) == Official.telegram_id, isouter=True)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(
                col(Official.unit_id).in_(ids[start : start + 500]),
                Official.active == True,  # noqa: E712
                col(Official.role).in_(RECIPIENT_ROLES),
                Unit.active == True,  # noqa: E712
                col(AppUser.reachable).is_not(False),
            )
            .order_by(col(Official.role), col(Official.telegram_id))
        ).all()
        for unit_id, telegram_id, role, language in rows:
            assert unit_id is not None
            found.setdefault(unit_id, []).append(
                Recipient(int(telegram_id), role, language or PUSH_LANGUAGE)
            )
    return found


# --- inhibition --------------------------------------------------------------------------------


def inhibited_units(
    *, session: Session, indicator_id: int, unit_ids: Iterable[int], now: dt.datetime
) -> set[int]:
    """Units an inhibitor covers (e.g. an open deadline reminder for the same shortfall)."""
    ids = set(unit_ids)
    covered: set[int] = set()
    if not ids:
        return covered
    for target in INHIBITORS:
        module_name, _sep, func_name = target.partition(":")
        inhibitor = getattr(importlib.import_module(module_name), func_name)
        covered |= set(
            inhibitor(session=session, indicator_id=indicator_id, unit_ids=set(ids), now=now)
        )
    return covered & ids
