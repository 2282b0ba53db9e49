"""A summary's figures: the latest period of the province or an area, units ranked in order."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from sqlmodel import Session, col, select

from bot.core.areas import descendants
from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import rate_percent
from bot.core.models import Indicator, Unit
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    PeriodTable,
    Standing,
    StandingsCache,
    Status,
    display_order,
    latest_snapshot,
    load_indicator,
    recent_periods,
)

logger = logging.getLogger(__name__)

TOP = 5
# Above this many units with figures, charts show each area's highest and lowest units
# (one image per area) instead of every unit (one image per 40 units).
LARGE_SUMMARY = 120

# --- ordering ------------------------------------------------------------------------------


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigure:
    """One unit's figures in a summary, ranked within the summary's units."""

    unit_id: int
    name: str
    numerator: int
    denominator: int
    rank: int | None
    status: Status

    @property
    def percent(self) -> Decimal | None:
        """Rate in percent, two decimals."""
        return rate_percent(self.numerator, self.denominator)


def _figures(indicator: IndicatorInfo, standings: Iterable[Standing]) -> list[UnitFigure]:
    """Ranked figures (competition ranking within these units: 1, 1, 3)."""
    ordered = display_order(standings)
    figures: list[UnitFigure] = []
    rank = 0
    previous: Fraction | None = None
    for position, s in enumerate(ordered, start=1):
        if s.denominator > 0:
            rate = Fraction(s.numerator, s.denominator)
            if rate != previous:
                rank, previous = position, rate
            unit_rank: int | None = rank
        else:
            unit_rank = None
        figures.append(
            UnitFigure(
                unit_id=s.unit_id,
                name=s.unit_name,
                numerator=s.numerator,
                denominator=s.denominator,
                rank=unit_rank,
                status=indicator.status(s.numerator, s.denominator),
            )
        )
    return figures


@dataclass(frozen=True)
class UnitGroup:
    """The units of a summary under one area just below its scope (name None: in no area)."""

    name: str | None
    unit_ids: frozenset[int]


@dataclass(frozen=True)
class Summary:
    """The latest period of one indicator for the province (area None) or one area."""

    indicator: IndicatorInfo
    period: PeriodInfo
    area_unit_id: int | None
    area_name: str | None
    units: tuple[UnitFigure, ...]
    previous_period: PeriodInfo | None = None
    previous_numerator: int | None = None
    previous_denominator: int | None = None
    previous_below_warning: int | None = None
    groups: tuple[UnitGroup, ...] = ()  # filled in for a large summary only

    @property
    def numerator(self) -> int:
        """Signed documents of every unit."""
        return sum(u.numerator for u in self.units)

    @property
    def denominator(self) -> int:
        """Documents of every unit."""
        return sum(u.denominator for u in self.units)

    def count(self, *statuses: Status) -> int:
        """Units with any of these statuses."""
        return sum(1 for u in self.units if u.status in statuses)

    @property
    def at_target(self) -> int:
        """Units at the target (100 %)."""
        return self.count(Status.AT_TARGET)

    @property
    def below_warning(self) -> int:
        """Units strictly below the warning threshold (critical ones included)."""
        return self.count(Status.BELOW_WARNING, Status.CRITICAL)

    @property
    def critical(self) -> int:
        """Units strictly below the critical threshold."""
        return self.count(Status.CRITICAL)

    @property
    def rated(self) -> list[UnitFigure]:
        """Units that had something to count, best first."""
        return [u for u in self.units if u.denominator > 0]

    def best(self, n: int = TOP) -> list[UnitFigure]:
        """The `n` highest rates."""
        return self.rated[:n]

    def tied_after_best(self, n: int = TOP) -> int:
        """Units left out of the best `n` although their rate equals the n-th one's."""
        rated = self.rated
        if len(rated) <= n:
            return 0
        last = Fraction(rated[n - 1].numerator, rated[n - 1].denominator)
        return sum(1 for u in rated[n:] if Fraction(u.numerator, u.denominator) == last)

    def worst(self, n: int = TOP) -> list[UnitFigure]:
        """The `n` lowest rates, lowest first (more documents first among equal rates)."""
        rated = self.rated
        rated = sorted(rated, key=lambda u: (Fraction(u.numerator, u.denominator), -u.denominator))
        return rated[:n]

    @property
    def change_points(self) -> Decimal | None:
        """Change of the overall rate since the previous period, in percentage points."""
        if not self.previous_denominator or self.previous_numerator is None:
            return None
        now = rate_percent(self.numerator, self.denominator)
        before = rate_percent(self.previous_numerator, self.previous_denominator)
        if now is None or before is None:
            return None
        return now - before


def _scoped(table: PeriodTable, scope: set[int] | None) -> list[Standing]:
    """The table's standings limited to a set of units (None: all)."""
    return [s for uid, s in table.by_unit.items() if scope is None or uid in scope]


def build_summary(
    *,
    latest: PeriodTable,
    previous: PeriodTable | None,
    scope: set[int] | None,
    area_unit_id: int | None = None,
    area_name: str | None = None,
) -> Summary:
    """A summary from period tables, limited to `scope` (None: every unit)."""
    indicator = latest.indicator
    prev_rows = _scoped(previous, scope) if previous is not None else []
    prev_num = sum(s.numerator for s in prev_rows) if prev_rows else None
    prev_den = sum(s.denominator for s in prev_rows) if prev_rows else None
    prev_below = (
        sum(
            1
            for s in prev_rows
            if indicator.status(s.numerator, s.denominator)
            in (Status.BELOW_WARNING, Status.CRITICAL)
        )
        if prev_rows
        else None
    )
    return Summary(
        indicator=indicator,
        period=latest.period,
        area_unit_id=area_unit_id,
        area_name=area_name,
        units=tuple(_figures(indicator, _scoped(latest, scope))),
        previous_period=previous.period if prev_rows and previous is not None else None,
        previous_numerator=prev_num,
        previous_denominator=prev_den,
        previous_below_warning=prev_below,
    )


def load_summary(
    *,
    session: Session,
    standings: StandingsCache,
    area_unit_id: int | None,
    indicator_code: str = SIGNING_INDICATOR,
) -> Summary | None:
    """The latest summary of an area (None: the province); None if nothing was imported."""
    snapshot = latest_snapshot(session=session, standings=standings, indicator_code=indicator_code)
    if snapshot is None or snapshot.latest is None:
        return None
    scope: set[int] | None = None
    area_name: str | None = None
    if area_unit_id is not None:
        area = session.get(Unit, area_unit_id)
        if area is None:
            return None
        area_name = area.name
        scope = {area_unit_id} | descendants(session=session, unit_id=area_unit_id)
    summary = build_summary(
        latest=snapshot.latest,
        previous=snapshot.previous,
        scope=scope,
        area_unit_id=area_unit_id,
        area_name=area_name,
    )
    if len(summary.rated) <= LARGE_SUMMARY:
        return summary
    groups = area_groups(
        session=session, root=area_unit_id, unit_ids=[u.unit_id for u in summary.rated]
    )
    return replace(summary, groups=groups)


def area_groups(
    *, session: Session, root: int | None, unit_ids: Iterable[int]
) -> tuple[UnitGroup, ...]:
    """Units by the area just below `root` (None: the province) that holds them, largest
    group first; units directly under `root` form the group without a name."""
    parent_of: dict[int, int | None] = {
        unit_id: parent
        for unit_id, parent in session.exec(select(col(Unit.id), col(Unit.parent_id))).all()
        if unit_id is not None
    }
    members: dict[int | None, set[int]] = {}
    for unit_id in unit_ids:
        top, seen = unit_id, {unit_id}
        parent = parent_of.get(top)
        while parent is not None and parent != root and parent not in seen:
            top = parent
            seen.add(top)
            parent = parent_of.get(top)
        members.setdefault(None if top == unit_id else top, set()).add(unit_id)
    names = {
        unit_id: name
        for unit_id, name in session.exec(
            select(col(Unit.id), col(Unit.name)).where(
                col(Unit.id).in_([k for k in members if k is not None])
            )
        ).all()
    }
    groups = [UnitGroup(names.get(k) if k else None, frozenset(v)) for k, v in members.items()]
    return tuple(sorted(groups, key=lambda g: (g.name is None, -len(g.unit_ids), g.name or "")))


def indicators_with_data(*, session: Session) -> list[str]:
    """Codes of indicators that have at least one imported period, signing first."""
    codes = list(session.exec(select(Indicator.code).order_by(col(Indicator.id))).all())
    found = []
    for code in codes:
        info = load_indicator(session=session, code=code)
        if info is not None and recent_periods(session=session, indicator_id=info.id, limit=1):
            found.append(code)
    return found
