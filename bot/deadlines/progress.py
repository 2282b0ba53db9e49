"""What each unit of a deadline still owes: rate figures and shortfalls, reports."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.core.audiences import Audience, AudienceKind
from bot.core.db import stored_id
from bot.core.models import Deadline, ExplanationReport, Measurement, ReportingPeriod
from bot.core.stats import PeriodInfo, load_indicator
from bot.deadlines.audience import Draft


@dataclass(frozen=True)
class Progress:
    """A unit's figures for a rate deadline (None: no figures)."""

    numerator: int
    denominator: int
    period: PeriodInfo

    def reached(self, required: float) -> bool:
        """At or above the required rate (nothing to count counts as reached)."""
        if self.denominator <= 0:
            return True
        return Fraction(self.numerator, self.denominator) >= Fraction(str(required)) / 100

    def shortfall(self, required: float) -> int:
        """Items still to count to reach the required rate."""
        needed = math.ceil(Fraction(str(required)) / 100 * self.denominator)
        return max(0, needed - self.numerator)


@dataclass(frozen=True)
class Owing:
    """A unit that has not fulfilled a deadline, and what it owes."""

    unit_id: int
    unit_name: str
    progress: Progress | None = None  # rate deadlines
    below: tuple[int, int] | None = None  # report deadlines chosen by a threshold
    report: ExplanationReport | None = None  # a report the secretariat asked more of


def unit_progress(
    *, session: Session, deadline: Deadline | Draft, unit_ids: Iterable[int]
) -> dict[int, Progress]:
    """Each unit's figures: in the deadline's period, or the unit's latest period."""
    ids = list(unit_ids)
    if not ids:
        return {}
    indicator = load_indicator(session=session, code=deadline.indicator_code)
    if indicator is None:
        return {}
    stmt = (
        sa_select(  # the period's columns, not the entity: no ORM object per unit and period
            col(Measurement.unit_id),
            col(Measurement.numerator),
            col(Measurement.denominator),
            col(ReportingPeriod.id),
            col(ReportingPeriod.start_date),
            col(ReportingPeriod.end_date),
            col(ReportingPeriod.as_of),
        )
        .join(ReportingPeriod, col(ReportingPeriod.id) == col(Measurement.period_id))
        .where(col(Measurement.indicator_id) == indicator.id, col(Measurement.unit_id).in_(ids))
        .order_by(col(ReportingPeriod.end_date).desc(), col(ReportingPeriod.start_date).desc())
    )
    if deadline.period_id is not None:
        stmt = stmt.where(col(Measurement.period_id) == deadline.period_id)
    found: dict[int, Progress] = {}
    periods: dict[int, PeriodInfo] = {}
    for unit_id, num, den, period_id, start, end, as_of in session.execute(stmt).all():
        if unit_id not in found:
            info = periods.get(period_id)
            if info is None:
                info = periods[period_id] = PeriodInfo(stored_id(period_id), start, end, as_of)
            found[int(unit_id)] = Progress(int(num), int(den), info)
    return found


def below_rates(
    *, session: Session, audience: Audience | None, unit_ids: Iterable[int], indicator_code: str
) -> dict[int, tuple[int, int]]:
    """The figures that put units in a below-threshold audience (for the reminder text)."""
    if audience is None or audience.kind is not AudienceKind.BELOW:
        return {}
    period_id = audience.period_id
    indicator = load_indicator(session=session, code=indicator_code)
    ids = list(unit_ids)
    if indicator is None or period_id is None or not ids:
        return {}
    rows = session.exec(
        select(Measurement.unit_id, Measurement.numerator, Measurement.denominator).where(
            Measurement.indicator_id == indicator.id,
            Measurement.period_id == period_id,
            col(Measurement.unit_id).in_(ids),
        )
    ).all()
    return {int(u): (int(n), int(d)) for u, n, d in rows}
