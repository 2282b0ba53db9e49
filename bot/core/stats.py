"""Standings per indicator and period, and the rate report an official asks for."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from sqlmodel import Session, col, select

from bot.core.db import REVISION_KEY, SIGNING_INDICATOR, stored_id
from bot.core.i18n import rate_percent
from bot.core.models import AppState, Indicator, Measurement, ReportingPeriod, Unit
from bot.core.text import vi_sort_key

logger = logging.getLogger(__name__)


class Status(StrEnum):
    """Where a rate stands against the indicator's thresholds."""

    NO_ITEMS = "no_items"
    CRITICAL = "critical"
    BELOW_WARNING = "below_warning"
    BELOW_TARGET = "below_target"
    AT_TARGET = "at_target"


@dataclass(frozen=True)
class IndicatorInfo:
    """Indicator with thresholds as exact fractions of one (80% → 4/5)."""

    id: int
    code: str
    name: str
    item_kind: str
    warning: Fraction
    critical: Fraction
    target: Fraction

    @classmethod
    def from_row(cls, row: Indicator) -> IndicatorInfo:
        """Build from a table row."""
        assert row.id is not None
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            item_kind=row.item_kind,
            warning=Fraction(str(row.warning_threshold)) / 100,
            critical=Fraction(str(row.critical_threshold)) / 100,
            target=Fraction(str(row.target)) / 100,
        )

    @property
    def warning_percent(self) -> Decimal:
        """Warning threshold in percent."""
        return Decimal(self.warning.numerator * 100) / Decimal(self.warning.denominator)

    @property
    def critical_percent(self) -> Decimal:
        """Critical threshold in percent."""
        return Decimal(self.critical.numerator * 100) / Decimal(self.critical.denominator)

    @property
    def target_percent(self) -> Decimal:
        """Target in percent."""
        return Decimal(self.target.numerator * 100) / Decimal(self.target.denominator)

    def status(self, numerator: int, denominator: int) -> Status:
        """Classify a rate; exactly at a threshold is not below it."""
        if denominator <= 0:
            return Status.NO_ITEMS
        rate = Fraction(numerator, denominator)
        if rate < self.critical:
            return Status.CRITICAL
        if rate < self.warning:
            return Status.BELOW_WARNING
        if rate < self.target:
            return Status.BELOW_TARGET
        return Status.AT_TARGET

    @staticmethod
    def shortfall(threshold: Fraction, numerator: int, denominator: int) -> int:
        """How many more items had to count to reach a threshold (0 if reached)."""
        needed = math.ceil(threshold * denominator)
        return max(0, needed - numerator)


@dataclass(frozen=True)
class PeriodInfo:
    """A reporting period."""

    id: int
    start: dt.date
    end: dt.date
    as_of: dt.datetime | None


@dataclass(frozen=True)
class Standing:
    """One unit's figures and rank in a period (rank None when it had nothing to count)."""

    unit_id: int
    unit_name: str
    numerator: int
    denominator: int
    rank: int | None


@dataclass(frozen=True)
class PeriodTable:
    """All units' standings for one indicator in one period."""

    indicator: IndicatorInfo
    period: PeriodInfo
    by_unit: dict[int, Standing]
    ranked: int
    numerator: int
    denominator: int

    def count(self, status: Status) -> int:
        """Number of units with a status."""
        return sum(
            1
            for s in self.by_unit.values()
            if self.indicator.status(s.numerator, s.denominator) is status
        )

    def below_warning(self) -> int:
        """Units strictly below the warning threshold (critical ones included)."""
        return self.count(Status.CRITICAL) + self.count(Status.BELOW_WARNING)


@dataclass(frozen=True)
class RateReport:
    """What an official sees when asking for a unit's rate."""

    unit_id: int
    unit_name: str
    indicator: IndicatorInfo
    period: PeriodInfo
    numerator: int
    denominator: int
    rank: int | None
    ranked: int
    status: Status
    need_warning: int
    need_target: int
    previous_period: PeriodInfo | None
    previous_numerator: int | None
    previous_denominator: int | None

    @property
    def rate(self) -> Decimal | None:
        """Rate in percent, two decimals."""
        return rate_percent(self.numerator, self.denominator)

    @property
    def change_points(self) -> Decimal | None:
        """Change in percentage points since the previous period."""
        if self.previous_numerator is None or not self.previous_denominator:
            return None
        now = rate_percent(self.numerator, self.denominator)
        before = rate_percent(self.previous_numerator, self.previous_denominator)
        if now is None or before is None:
            return None
        return now - before


def _rate_key(num: int, den: int) -> float | Fraction:
    """A sort key equal exactly when the rates are equal. For 0 <= num <= den < 2**26 two
    different rates differ by at least 2**-52, more than twice the rounding of a float in
    [0, 1], so num/den orders exactly (and sorts ~20x faster than Fraction); otherwise the
    Fraction itself."""
    if 0 <= num <= den < 1 << 26 and den > 0:
        return num / den
    return Fraction(num, den)


def _rank(rows: list[tuple[int, str, int, int]]) -> tuple[dict[int, Standing], int]:
    """Competition ranking by exact rate (ties share a rank: 1, 1, 3)."""
    rated = [(_rate_key(r[2], r[3]), r) for r in rows if r[3] > 0]
    if any(isinstance(key, Fraction) for key, _row in rated):  # huge counts: exact keys only
        rated = [(Fraction(r[2], r[3]), r) for _key, r in rated]
    rated.sort(key=lambda item: item[0], reverse=True)
    standings: dict[int, Standing] = {}
    prev: float | Fraction | None = None
    rank = 0
    for position, (key, (unit_id, name, num, den)) in enumerate(rated, start=1):
        if key != prev:
            rank, prev = position, key
        standings[unit_id] = Standing(unit_id, name, num, den, rank)
    for unit_id, name, num, den in rows:
        if den <= 0:
            standings[unit_id] = Standing(unit_id, name, num, den, None)
    return standings, len(rated)


def rank_rows(rows: list[tuple[int, str, int, int]]) -> tuple[dict[int, Standing], int]:
    """Standings of (unit id, name, numerator, denominator) rows, and how many were ranked."""
    return _rank(rows)


def load_indicator(*, session: Session, code: str) -> IndicatorInfo | None:
    """Indicator by code."""
    row = session.exec(select(Indicator).where(Indicator.code == code)).first()
    return IndicatorInfo.from_row(row) if row else None


def recent_periods(*, session: Session, indicator_id: int, limit: int = 2) -> list[PeriodInfo]:
    """Latest periods that have data for an indicator, newest first."""
    stmt = (
        select(ReportingPeriod)
        .where(
            col(ReportingPeriod.id).in_(
                select(Measurement.period_id)
                .where(Measurement.indicator_id == indicator_id)
                .distinct()
            )
        )
        .order_by(col(ReportingPeriod.end_date).desc(), col(ReportingPeriod.start_date).desc())
        .limit(limit)
    )
    return [
        PeriodInfo(stored_id(p.id), p.start_date, p.end_date, p.as_of) for p in session.exec(stmt)
    ]


def load_period_table(
    *, session: Session, indicator: IndicatorInfo, period: PeriodInfo
) -> PeriodTable:
    """All standings of one indicator in one period, from the database (active units only:
    a deactivated unit keeps its figures but leaves the rankings)."""
    stmt = (
        select(Unit.id, Unit.name, Measurement.numerator, Measurement.denominator)
        .join(Unit, col(Unit.id) == Measurement.unit_id)
        .where(
            Measurement.indicator_id == indicator.id,
            Measurement.period_id == period.id,
            Unit.active == True,  # noqa: E712
        )
    )
    rows = [(stored_id(u), str(n), int(a), int(b)) for u, n, a, b in session.exec(stmt)]
    by_unit, ranked = _rank(rows)
    return PeriodTable(
        indicator=indicator,
        period=period,
        by_unit=by_unit,
        ranked=ranked,
        numerator=sum(r[2] for r in rows),
        denominator=sum(r[3] for r in rows),
    )


@dataclass(frozen=True)
class Snapshot:
    """Latest and previous period tables of one indicator at one data revision."""

    revision: int
    latest: PeriodTable | None
    previous: PeriodTable | None
    rendered: dict[tuple[int, str], str] = field(default_factory=dict, compare=False)


class StandingsCache:
    """Per-process cache of standings, rebuilt when the database's data revision changes."""

    def __init__(self) -> None:
        """Start empty."""
        self._snapshots: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def get(self, *, session: Session, indicator_code: str, revision: int) -> Snapshot | None:
        """Snapshot for an indicator, loading it if the revision moved; None if unknown."""
        snap = self._snapshots.get(indicator_code)
        if snap is not None and snap.revision == revision:
            return snap
        with self._lock:
            snap = self._snapshots.get(indicator_code)
            if snap is not None and snap.revision == revision:
                return snap
            indicator = load_indicator(session=session, code=indicator_code)
            if indicator is None:
                return None
            periods = recent_periods(session=session, indicator_id=indicator.id, limit=2)
            tables = [
                load_period_table(session=session, indicator=indicator, period=p) for p in periods
            ]
            snap = Snapshot(
                revision=revision,
                latest=tables[0] if tables else None,
                previous=tables[1] if len(tables) > 1 else None,
            )
            self._snapshots[indicator_code] = snap
            logger.debug("standings for %s rebuilt at revision %s", indicator_code, revision)
            return snap


def build_report(snapshot: Snapshot, unit_id: int) -> RateReport | None:
    """Rate report of a unit; None if it has no figures in the latest period."""
    table = snapshot.latest
    if table is None or unit_id not in table.by_unit:
        return None
    s = table.by_unit[unit_id]
    ind = table.indicator
    prev = snapshot.previous.by_unit.get(unit_id) if snapshot.previous else None
    return RateReport(
        unit_id=unit_id,
        unit_name=s.unit_name,
        indicator=ind,
        period=table.period,
        numerator=s.numerator,
        denominator=s.denominator,
        rank=s.rank,
        ranked=table.ranked,
        status=ind.status(s.numerator, s.denominator),
        need_warning=ind.shortfall(ind.warning, s.numerator, s.denominator),
        need_target=ind.shortfall(ind.target, s.numerator, s.denominator),
        previous_period=snapshot.previous.period if (snapshot.previous and prev) else None,
        previous_numerator=prev.numerator if prev else None,
        previous_denominator=prev.denominator if prev else None,
    )


def display_order(standings: Iterable[Standing]) -> list[Standing]:
    """As the letters list units: highest rate first; then more documents; then by name.

    Units with nothing to count come last.
    """
    rated = [s for s in standings if s.denominator > 0]
    empty = [s for s in standings if s.denominator <= 0]
    rated.sort(
        key=lambda s: (
            -Fraction(s.numerator, s.denominator),
            -s.denominator,
            vi_sort_key(s.unit_name),
        )
    )
    empty.sort(key=lambda s: vi_sort_key(s.unit_name))
    return rated + empty


def latest_snapshot(
    *, session: Session, standings: StandingsCache, indicator_code: str = SIGNING_INDICATOR
) -> Snapshot | None:
    """Standings at the database's current revision (fresh right after a change)."""
    state = session.get(AppState, REVISION_KEY)
    revision = state.value if state is not None else 0
    return standings.get(session=session, indicator_code=indicator_code, revision=revision)
