"""Standings per indicator and period, and the rate report an official asks for."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Row
from sqlalchemy import select as sa_select
from sqlmodel import Session

from bot.core import heap
from bot.core.db import REVISION_KEY, SIGNING_INDICATOR, stored_id, table_of
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
    def from_row(cls, row: Indicator | Row[Any]) -> IndicatorInfo:
        """Build from a table row (an ORM entity or a Core row of its columns)."""
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


class Standing(NamedTuple):
    """One unit's figures and rank in a period (rank None when it had nothing to count).

    A named tuple: 10,000 of them are built per table on every data change, ~3x faster than
    a frozen dataclass.
    """

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


# Below this denominator, num/den as a float orders rates exactly (see `_rank`).
_FLOAT_EXACT = 1 << 26


def _rank(rows: list[tuple[int, str, int, int]]) -> tuple[dict[int, Standing], int]:
    """Competition ranking by exact rate (ties share a rank: 1, 1, 3).

    For 0 <= num <= den < 2**26 two different rates differ by at least 2**-52, more than twice
    the rounding of a float in [0, 1], so num/den is an exact sort key (~20x faster than
    Fraction); otherwise (huge or odd counts) the Fraction itself is the key.
    """
    rated = [r for r in rows if r[3] > 0]
    if all(0 <= r[2] <= r[3] < _FLOAT_EXACT for r in rated):
        keyed: list[tuple[float | Fraction, tuple[int, str, int, int]]] = [
            (r[2] / r[3], r) for r in rated
        ]
    else:
        keyed = [(Fraction(r[2], r[3]), r) for r in rated]
    keyed.sort(key=itemgetter(0), reverse=True)
    standings: dict[int, Standing] = {}
    prev: float | Fraction | None = None
    rank = 0
    for position, (key, (unit_id, name, num, den)) in enumerate(keyed, start=1):
        if key != prev:
            rank, prev = position, key
        standings[unit_id] = Standing(unit_id, name, num, den, rank)
    for unit_id, name, num, den in rows:
        if den <= 0:
            standings[unit_id] = Standing(unit_id, name, num, den, None)
    return standings, len(keyed)


def rank_rows(rows: list[tuple[int, str, int, int]]) -> tuple[dict[int, Standing], int]:
    """Standings of (unit id, name, numerator, denominator) rows, and how many were ranked."""
    return _rank(rows)


# The standings are read with Core statements on the tables, not ORM entities: they are what
# the first /tyle after a start reads, and the ORM's one-off set-up (~40 ms) is left to
# whatever needs it later.
_INDICATOR = table_of(Indicator)
_PERIOD = table_of(ReportingPeriod)
_MEASUREMENT = table_of(Measurement)
_UNIT = table_of(Unit)
_APP_STATE = table_of(AppState)


def load_indicator(*, session: Session, code: str) -> IndicatorInfo | None:
    """Indicator by code."""
    row = session.connection().execute(sa_select(_INDICATOR).where(_INDICATOR.c.code == code))
    first = row.first()
    return IndicatorInfo.from_row(first) if first else None


def _period(row: Row[Any]) -> PeriodInfo:
    """A PeriodInfo from a row of the period table."""
    return PeriodInfo(stored_id(row.id), row.start_date, row.end_date, row.as_of)


def period_info(*, session: Session, period_id: int | None) -> PeriodInfo | None:
    """A period by id (None: no id, or no such period)."""
    if period_id is None:
        return None
    row = session.connection().execute(sa_select(_PERIOD).where(_PERIOD.c.id == period_id))
    first = row.first()
    return _period(first) if first is not None else None


def recent_periods(*, session: Session, indicator_id: int, limit: int = 2) -> list[PeriodInfo]:
    """Latest periods that have data for an indicator, newest first."""
    measured = (
        sa_select(_MEASUREMENT.c.period_id)
        .where(_MEASUREMENT.c.indicator_id == indicator_id)
        .distinct()
    )
    stmt = (
        sa_select(_PERIOD)
        .where(_PERIOD.c.id.in_(measured))
        .order_by(_PERIOD.c.end_date.desc(), _PERIOD.c.start_date.desc())
        .limit(limit)
    )
    return [_period(row) for row in session.connection().execute(stmt)]


def load_period_table(
    *, session: Session, indicator: IndicatorInfo, period: PeriodInfo
) -> PeriodTable:
    """All standings of one indicator in one period, from the database (active units only:
    a deactivated unit keeps its figures but leaves the rankings)."""
    m, u = _MEASUREMENT.c, _UNIT.c
    stmt = (
        sa_select(u.id, u.name, m.numerator, m.denominator)
        .select_from(_MEASUREMENT.join(_UNIT, u.id == m.unit_id))
        .where(m.indicator_id == indicator.id, m.period_id == period.id, u.active == True)  # noqa: E712
    )
    # Core rows, not ORM entities: ~5x faster for 10,000 rows.
    rows = [
        (stored_id(u), str(n), int(a), int(b)) for u, n, a, b in session.connection().execute(stmt)
    ]
    by_unit, ranked = _rank(rows)
    return PeriodTable(
        indicator=indicator,
        period=period,
        by_unit=by_unit,
        ranked=ranked,
        numerator=sum(r[2] for r in rows),
        denominator=sum(r[3] for r in rows),
    )


# Rendered reports kept per snapshot. A report is ~620 characters; Python would store it at 4
# bytes a character (its emoji), ~2.6 KB, so it is kept as UTF-8, ~0.8 KB (~1.4 KB with the
# map's own cost). With 3,072 kept, PostgreSQL reached 121.6 MiB in bench/memory.py (goal 120),
# with 2,048 120.0 MiB; 2,048 still keep the 2,000 officials of bench/rate_query.py answered
# from the cache (1,024 lost ~15 % of its rate). A report not kept renders again without the
# database.
RENDERED_MAX = 2048


class RenderedCache:
    """A bounded least-recently-used map of rendered texts, safe to share between threads."""

    def __init__(self, limit: int | None = None) -> None:
        """Start empty; keep at most `limit` texts (RENDERED_MAX if not given)."""
        self.limit = RENDERED_MAX if limit is None else limit
        self._items: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many texts are kept."""
        return len(self._items)

    def get(self, key: tuple[int, str]) -> str | None:
        """The text for a key, marked as recently used; None if not kept."""
        with self._lock:
            data = self._items.get(key)
            if data is None:
                return None
            self._items.move_to_end(key)
        return data.decode()

    def put(self, key: tuple[int, str], text: str) -> str:
        """Keep a text (dropping the least recently used beyond the limit); returns it."""
        data = text.encode()
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return text


@dataclass(frozen=True)
class Snapshot:
    """Latest and previous period tables of one indicator at one data revision."""

    revision: int
    latest: PeriodTable | None
    previous: PeriodTable | None
    rendered: RenderedCache = field(default_factory=RenderedCache, compare=False)
    # Small texts shared by many reports at this revision (a rule's citation line per
    # language), so a report not kept in `rendered` renders again without the database.
    notes: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)


class StandingsCache:
    """Per-process cache of standings, rebuilt when the database's data revision changes."""

    def __init__(self) -> None:
        """Start empty."""
        self._snapshots: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def cached(self, *, indicator_code: str, revision: int) -> Snapshot | None:
        """The snapshot if it is already built at `revision` (no database); else None."""
        snap = self._snapshots.get(indicator_code)
        return snap if snap is not None and snap.revision == revision else None

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
            with heap.bulk():  # 10,000 units: no full collection pass in the middle
                tables = [
                    load_period_table(session=session, indicator=indicator, period=p)
                    for p in periods
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
    revision = (
        session.connection()
        .execute(sa_select(_APP_STATE.c.value).where(_APP_STATE.c.key == REVISION_KEY))
        .scalar()
    )
    revision = int(revision or 0)
    return standings.get(session=session, indicator_code=indicator_code, revision=revision)
