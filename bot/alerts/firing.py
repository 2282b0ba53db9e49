"""Who hears about what: firing levels, the officials warned, the inhibitors that cover units.

Inhibition: the composition (bot.features) passes inhibitors, each called as
fn(session=, indicator_id=, unit_ids=, now=) and returning the ids of units covered by an open
deadline reminder for the same shortfall; those units get the reminder instead of a warning.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from enum import StrEnum

from sqlmodel import Session, select

from bot.core.links import Inhibitor
from bot.core.models import AlertState
from bot.core.stats import IndicatorInfo, Status

logger = logging.getLogger(__name__)

KIND_WARNING = "warning"  # outbox kinds of the pushes
KIND_RESOLVED = "warning_resolved"


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


# --- inhibition --------------------------------------------------------------------------------


def inhibited_units(
    *,
    session: Session,
    indicator_id: int,
    unit_ids: Iterable[int],
    now: dt.datetime,
    inhibitors: Sequence[Inhibitor],
) -> set[int]:
    """Units an inhibitor covers (e.g. an open deadline reminder for the same shortfall)."""
    ids = set(unit_ids)
    covered: set[int] = set()
    if not ids:
        return covered
    for inhibitor in inhibitors:
        covered |= set(
            inhibitor(session=session, indicator_id=indicator_id, unit_ids=set(ids), now=now)
        )
    return covered & ids
