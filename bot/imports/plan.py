"""Planning an import: a parsed table matched with the stored units and period; writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.core.db import SIGNING_INDICATOR, stored_id
from bot.core.models import Indicator, Measurement, ReportingPeriod, Unit, UnitNameHistory
from bot.core.text import fold
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.parse import ParsedRow, ParsedTable, parse_file
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

# name_key → [(unit id, active)], lowest id first
UnitsByKey = dict[str, list[tuple[int, bool]]]


def load_units(session: Session) -> UnitsByKey:
    """Existing units by name_key: (id, active), lowest id first; former names of renamed
    units map to them unless a unit has that name now."""
    by_key: UnitsByKey = {}
    active_of: dict[int, bool] = {}
    for row_id, name_key, active in session.exec(
        select(Unit.id, Unit.name_key, Unit.active).order_by(col(Unit.id))
    ).all():
        unit_id = stored_id(row_id)
        by_key.setdefault(name_key, []).append((unit_id, active))
        active_of[unit_id] = active
    former: UnitsByKey = {}
    for unit_id, old_key in session.exec(
        select(UnitNameHistory.unit_id, UnitNameHistory.old_name_key).order_by(
            col(UnitNameHistory.id)
        )
    ).all():
        entries = former.setdefault(old_key, [])
        if old_key not in by_key and (unit_id, active_of[unit_id]) not in entries:
            entries.append((unit_id, active_of[unit_id]))
    by_key.update({key: entries for key, entries in former.items() if entries})
    return by_key


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


def _match_units(
    units: UnitsByKey, rows: Sequence[ParsedRow], unit_title: str | None
) -> tuple[list[tuple[ParsedRow, int]], list[ParsedRow], list[RowIssue]]:
    """Rows matched with a stored unit, rows naming a new unit, and ambiguous names."""
    matched: list[tuple[ParsedRow, int]] = []
    new_units: list[ParsedRow] = []
    issues: list[RowIssue] = []
    for row in rows:
        unit_id, active_count = pick_unit(units.get(fold(row.name), []))
        if active_count > 1:
            issues.append(
                RowIssue(
                    row.row, unit_title, row.name, "ambiguous_unit", {"count": str(active_count)}
                )
            )
        elif unit_id is not None:
            matched.append((row, unit_id))
        else:
            new_units.append(row)
    return matched, new_units, issues


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
) -> ImportPlan:
    """Parse, validate and match units with the database; raises ImportRejected; writes nothing."""
    issues: list[RowIssue] = []
    indicator = session.exec(select(Indicator).where(Indicator.code == indicator_code)).first()
    if indicator is None:
        issues.append(RowIssue(None, None, indicator_code, "unknown_indicator", {}))
    outcome = parse_file(data, filename)
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
    matched, new_units, unit_issues = _match_units(load_units(session), table.rows, unit_title)
    issues.extend(unit_issues)
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
        matched=matched,
        new_units=new_units,
        sha256=hashlib.sha256(data).hexdigest(),
        source=filename,
        warning_threshold=indicator.warning_threshold,
        critical_threshold=indicator.critical_threshold,
        target=indicator.target,
        existing_period_id=period_id,
        existing_measurements=existing,
    )
