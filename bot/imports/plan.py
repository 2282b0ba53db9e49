"""Planning an import: a parsed table matched with the stored units and period; writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.core.db import SIGNING_INDICATOR, stored_id
from bot.core.models import Indicator, Measurement, ReportingPeriod, Unit, UnitNameHistory
from bot.core.text import fold
from bot.imports.cells import exact_key
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.limits import DEFAULT_LIMITS, Budget, LimitExceeded, ReadLimits
from bot.imports.parse import ParsedRow, ParsedTable, ParseOutcome, parse_file
from bot.imports.period import resolve_period

# --- rates against thresholds -------------------------------------------------------------


def _fraction(value: float) -> Fraction:
    """Exact fraction of a threshold stored as float (80.0 → 80)."""
    return Fraction(str(value))


def _exact(row: ParsedRow) -> Fraction:
    """Exact rate of a row in percent (total must be positive)."""
    return Fraction(row.signed * 100, row.total)


def count_below(rows: Sequence[ParsedRow], threshold: float) -> int:
    """Rows with a defined rate strictly below a threshold in percent."""
    limit = _fraction(threshold)
    return sum(1 for r in rows if r.total > 0 and _exact(r) < limit)


def count_at_target(rows: Sequence[ParsedRow], target: float) -> int:
    """Rows with a defined rate at or above the target in percent."""
    goal = _fraction(target)
    return sum(1 for r in rows if r.total > 0 and _exact(r) >= goal)


# --- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPlan:
    """A validated import, nothing written yet (for a preview with Confirm/Cancel)."""

    table: ParsedTable
    indicator_code: str
    period_start: date
    period_end: date
    as_of: datetime | None
    matched: list[tuple[ParsedRow, int]]
    new_units: list[ParsedRow]
    sha256: str
    source: str
    warning_threshold: float = 80.0
    critical_threshold: float = 50.0
    target: float = 100.0
    existing_period_id: int | None = None
    existing_measurements: int = 0
    folded: list[tuple[ParsedRow, int, str]] = field(default_factory=list)
    existing_units: int = 0

    @property
    def many_new_units(self) -> bool:
        """More new units than an import should add without a second look."""
        return many_new_units(len(self.new_units), self.existing_units)

    @property
    def rows(self) -> list[ParsedRow]:
        """All rows in file order."""
        return self.table.rows

    @property
    def total(self) -> int:
        """Sum of totals."""
        return sum(r.total for r in self.table.rows)

    @property
    def signed(self) -> int:
        """Sum of signed counts."""
        return sum(r.signed for r in self.table.rows)

    @property
    def below_warning(self) -> int:
        """Rows strictly below the warning threshold (exactly at it is not below)."""
        return count_below(self.table.rows, self.warning_threshold)

    @property
    def below_critical(self) -> int:
        """Rows strictly below the critical threshold."""
        return count_below(self.table.rows, self.critical_threshold)

    @property
    def at_target(self) -> int:
        """Rows at or above the target rate."""
        return count_at_target(self.table.rows, self.target)

    @property
    def replaces_existing(self) -> bool:
        """Whether applying replaces figures already stored for this indicator and period."""
        return self.existing_measurements > 0


# --- units --------------------------------------------------------------------------------

# a key → [(unit id, active)], lowest id first
UnitsByKey = dict[str, list[tuple[int, bool]]]

# A table adding more new units than this is flagged: in the preview, and the CLI wants
# --allow-new-units (a first import into an empty database is not flagged).
NEW_UNITS_FLOOR = 10
NEW_UNITS_PERCENT = 10  # of the units already known
NEW_UNITS_CAP = 500


@dataclass(frozen=True)
class KnownUnits:
    """Stored units by folded key and by exact key (current and former names), and names."""

    by_key: UnitsByKey
    by_exact: UnitsByKey
    names: dict[int, str]

    def get(self, key: str, default: list[tuple[int, bool]]) -> list[tuple[int, bool]]:
        """Units whose folded name is `key` (as the plain mapping did)."""
        return self.by_key.get(key, default)

    @property
    def active_count(self) -> int:
        """How many units are active."""
        return len({i for entries in self.by_key.values() for i, active in entries if active})


def _add(mapping: UnitsByKey, key: str, entry: tuple[int, bool]) -> None:
    """Append an entry under a key once."""
    entries = mapping.setdefault(key, [])
    if entry not in entries:
        entries.append(entry)


def load_units(session: Session) -> KnownUnits:
    """Existing units by folded and exact name: (id, active), lowest id first; former names of
    renamed units map to them unless a unit has that name now."""
    by_key: UnitsByKey = {}
    by_exact: UnitsByKey = {}
    names: dict[int, str] = {}
    active_of: dict[int, bool] = {}
    for row_id, name, name_key, active in session.exec(
        select(Unit.id, Unit.name, Unit.name_key, Unit.active).order_by(col(Unit.id))
    ).all():
        unit_id = stored_id(row_id)
        by_key.setdefault(name_key, []).append((unit_id, active))
        by_exact.setdefault(exact_key(name), []).append((unit_id, active))
        names[unit_id] = name
        active_of[unit_id] = active
    former: UnitsByKey = {}
    former_exact: UnitsByKey = {}
    for unit_id, old_name, old_key in session.exec(
        select(
            UnitNameHistory.unit_id, UnitNameHistory.old_name, UnitNameHistory.old_name_key
        ).order_by(col(UnitNameHistory.id))
    ).all():
        entry = (unit_id, active_of[unit_id])
        if old_key not in by_key:
            _add(former, old_key, entry)
        if exact_key(old_name) not in by_exact:
            _add(former_exact, exact_key(old_name), entry)
    by_key.update(former)
    by_exact.update(former_exact)
    return KnownUnits(by_key, by_exact, names)


def pick_unit(candidates: list[tuple[int, bool]]) -> tuple[int | None, int]:
    """Unit id to use for a name and how many active units share it."""
    active = [unit_id for unit_id, is_active in candidates if is_active]
    if len(active) == 1:
        return active[0], 1
    if len(active) > 1:
        return None, len(active)
    if candidates:
        return candidates[-1][0], 0  # only inactive ones: reuse the latest
    return None, 0


@dataclass
class Matching:
    """Rows matched with stored units: exactly, by a name that differs only in diacritics
    (shown, never applied silently), as new units, or refused as ambiguous."""

    matched: list[tuple[ParsedRow, int]] = field(default_factory=list)
    folded: list[tuple[ParsedRow, int, str]] = field(default_factory=list)
    new_units: list[ParsedRow] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)


def match_units(
    units: KnownUnits,
    rows: Sequence[ParsedRow],
    unit_title: str | None,
    budget: Budget | None = None,
) -> Matching:
    """An exact name always wins over a folded one; a unit the table names exactly is never
    also given to a row whose name only folds to it (that row is a new unit). With a `budget`,
    LimitExceeded once its time is up."""
    result = Matching()
    exact_ids: set[int] = set()
    pending: list[ParsedRow] = []
    for row in rows:
        if budget is not None:
            budget.check()
        candidates = units.by_exact.get(exact_key(row.name), [])
        unit_id, active_count = pick_unit(candidates)
        if active_count > 1:
            result.issues.append(_ambiguous(row, unit_title, active_count))
        elif unit_id is not None:
            result.matched.append((row, unit_id))
            exact_ids.add(unit_id)
        else:
            pending.append(row)
    claimed: dict[int, ParsedRow] = {}
    for row in pending:
        if budget is not None:
            budget.check()
        unit_id, active_count = pick_unit(units.by_key.get(fold(row.name), []))
        if active_count > 1:
            result.issues.append(_ambiguous(row, unit_title, active_count))
        elif unit_id is None or unit_id in exact_ids:
            result.new_units.append(row)
        elif unit_id in claimed:
            first = claimed[unit_id]
            result.issues.append(
                RowIssue(
                    row.row, unit_title, row.name, "duplicate_unit", {"first_row": str(first.row)}
                )
            )
        else:
            claimed[unit_id] = row
            result.matched.append((row, unit_id))
            result.folded.append((row, unit_id, units.names.get(unit_id, "")))
    return result


def _ambiguous(row: ParsedRow, unit_title: str | None, count: int) -> RowIssue:
    """A name several active units share."""
    return RowIssue(row.row, unit_title, row.name, "ambiguous_unit", {"count": str(count)})


def many_new_units(new: int, existing: int) -> bool:
    """More new units than a small share of the existing ones (at least NEW_UNITS_FLOOR), or
    more than NEW_UNITS_CAP; a first import into an empty database only by the cap."""
    if new > NEW_UNITS_CAP:
        return True
    if existing == 0:
        return False
    return new > NEW_UNITS_FLOOR and new * 100 > existing * NEW_UNITS_PERCENT


# --- planning -----------------------------------------------------------------------------


def _stored_figures(
    session: Session, indicator_id: int | None, start: date, end: date
) -> tuple[int | None, int]:
    """The stored period with these dates (if any) and how many figures it holds."""
    period_id = session.exec(
        select(ReportingPeriod.id).where(
            ReportingPeriod.start_date == start, ReportingPeriod.end_date == end
        )
    ).first()
    if period_id is None:
        return None, 0
    existing = session.exec(
        select(func.count())
        .select_from(Measurement)
        .where(Measurement.indicator_id == indicator_id, Measurement.period_id == period_id)
    ).one()
    return period_id, int(existing)


def plan_import(
    *,
    session: Session,
    data: bytes,
    filename: str,
    indicator_code: str = SIGNING_INDICATOR,
    period_start: date | None = None,
    period_end: date | None = None,
    tz: ZoneInfo,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ImportPlan:
    """Parse, validate and match units with the database; raises ImportRejected; writes nothing."""
    return plan_parsed(
        session=session,
        outcome=parse_file(data, filename, limits),
        sha256=hashlib.sha256(data).hexdigest(),
        filename=filename,
        indicator_code=indicator_code,
        period_start=period_start,
        period_end=period_end,
        tz=tz,
    )


def plan_parsed(
    *,
    session: Session,
    outcome: ParseOutcome,
    sha256: str,
    filename: str,
    indicator_code: str = SIGNING_INDICATOR,
    period_start: date | None = None,
    period_end: date | None = None,
    tz: ZoneInfo,
) -> ImportPlan:
    """Match a parsed table with the database (reads only); raises ImportRejected."""
    issues: list[RowIssue] = []
    indicator = session.exec(select(Indicator).where(Indicator.code == indicator_code)).first()
    if indicator is None:
        issues.append(RowIssue(None, None, indicator_code, "unknown_indicator", {}))
    issues.extend(outcome.issues)
    table = outcome.table
    if table is None:
        raise ImportRejected(issues)
    start, end, as_of, period_issues = resolve_period(
        outcome.title_period, period_start, period_end, tz
    )
    if not any(i.code == "empty_file" for i in outcome.issues):
        issues.extend(period_issues)
    unit_title = outcome.columns.titles[outcome.columns.unit] if outcome.columns else None
    try:
        units = load_units(session)
        matching = match_units(units, table.rows, unit_title, outcome.budget)
    except LimitExceeded as exc:  # the file's time budget ran out while matching its units
        raise ImportRejected([exc.issue]) from exc
    issues.extend(matching.issues)
    if issues:
        raise ImportRejected(issues)
    assert indicator is not None and start is not None and end is not None
    period_id, existing = _stored_figures(session, indicator.id, start, end)
    return ImportPlan(
        table=table,
        indicator_code=indicator.code,
        period_start=start,
        period_end=end,
        as_of=as_of,
        matched=matching.matched,
        new_units=matching.new_units,
        sha256=sha256,
        source=filename,
        warning_threshold=indicator.warning_threshold,
        critical_threshold=indicator.critical_threshold,
        target=indicator.target,
        existing_period_id=period_id,
        existing_measurements=existing,
        folded=matching.folded,
        existing_units=units.active_count,
    )
