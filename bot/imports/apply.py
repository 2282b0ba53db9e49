"""Applying a planned import: the period, new units, the batch and its measurements, audited."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.db import SIGNING_INDICATOR, bump_revision, stored_id
from bot.core.links import AfterImport, Imported, ImportNote
from bot.core.models import (
    ImportBatch,
    Indicator,
    Measurement,
    ReportingPeriod,
    Unit,
    utcnow,
)
from bot.core.text import fold, guess_unit_kind, short_key, slugify
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.limits import DEFAULT_LIMITS, ReadLimits
from bot.imports.parse import ParsedRow, parse_file
from bot.imports.plan import (
    ImportPlan,
    count_at_target,
    count_below,
    load_units,
    match_units,
    plan_parsed,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    """What an applied import stored."""

    batch_id: int
    period_id: int
    period_start: date
    period_end: date
    as_of: datetime | None
    indicator_code: str
    rows: int
    new_units: list[str]
    total: int
    signed: int
    below_warning: int
    below_critical: int
    at_target: int
    replaced_existing: bool
    folded: list[tuple[str, str]] = field(default_factory=list)  # (name in the file, unit)

    def imported(self) -> Imported:
        """What other features are told about this import."""
        return Imported(self.batch_id, self.period_id, self.indicator_code)


_CHUNK = 500


def _in_chunks(values: list[Any]) -> list[list[Any]]:
    """Values in slices of at most _CHUNK, for bulk statements."""
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]


# --- one import at a time ----------------------------------------------------------------

# pg_advisory_xact_lock key of the import writer ("kysoimp" in ASCII).
_IMPORT_LOCK = 0x6B79736F696D70


def lock_imports(session: Session) -> None:
    """Start the import's write transaction holding the import lock: a second import waits
    for the first (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE, up to the busy
    timeout); ImportRejected("import_busy") if the wait runs out. Call before any statement."""
    dialect = session.get_bind().dialect.name
    try:
        if dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})
        elif dialect == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))
    except OperationalError as exc:
        session.rollback()
        logger.warning("Import lock not obtained: %s", exc)
        raise ImportRejected([RowIssue(None, None, None, "import_busy", {})]) from exc


# --- period and units ---------------------------------------------------------------------


def _indicator(session: Session, code: str) -> Indicator:
    """The plan's indicator; ImportRejected if it was removed since."""
    indicator = session.exec(select(Indicator).where(Indicator.code == code)).first()
    if indicator is None or indicator.id is None:
        raise ImportRejected([RowIssue(None, None, code, "unknown_indicator", {})])
    return indicator


def _period(session: Session, plan: ImportPlan) -> ReportingPeriod:
    """The stored period with the plan's dates, created if new; the title's as_of wins."""
    period = session.exec(
        select(ReportingPeriod).where(
            ReportingPeriod.start_date == plan.period_start,
            ReportingPeriod.end_date == plan.period_end,
        )
    ).first()
    if period is None:
        period = ReportingPeriod(
            start_date=plan.period_start, end_date=plan.period_end, as_of=plan.as_of
        )
        session.add(period)
    elif plan.as_of is not None:
        period.as_of = plan.as_of
        session.add(period)
    session.flush()
    return period


def _unique_code(name: str, taken: set[str]) -> str:
    """slugify(name), with -2, -3 … appended when already used."""
    base = (slugify(name) or "unit")[:110].strip("-") or "unit"
    code = base
    suffix = 2
    while code in taken:
        code = f"{base}-{suffix}"
        suffix += 1
    taken.add(code)
    return code


def _create_units(session: Session, rows: Sequence[ParsedRow]) -> dict[int, int]:
    """Insert new units in bulk; returns row number → new id."""
    if not rows:
        return {}
    taken = set(session.exec(select(Unit.code)).all())
    now = utcnow()
    values: list[dict[str, Any]] = []
    code_to_row: dict[str, int] = {}
    for row in rows:
        name = " ".join(row.name.split())
        key = fold(name)
        code = _unique_code(name, taken)
        code_to_row[code] = row.row
        values.append(
            {
                "code": code,
                "name": name,
                "name_key": key,
                "short_key": short_key(key),
                "kind": guess_unit_kind(name),
                "parent_id": None,
                "active": True,
                "created_at": now,
            }
        )
    created: dict[int, int] = {}
    for chunk in _in_chunks(values):
        result = session.exec(insert(Unit).returning(col(Unit.id), col(Unit.code)), params=chunk)
        for unit_id, code in result.all():
            created[code_to_row[code]] = stored_id(unit_id)
    return created


def _place_units(session: Session, plan: ImportPlan) -> tuple[dict[int, int], list[ParsedRow]]:
    """Unit id for each row number, and the rows whose units had to be created."""
    # Re-resolve units: the database may have changed between preview and confirmation.
    units = load_units(session)
    known_ids = set(units.names)
    unit_for_row: dict[int, int] = {}
    unplaced: list[ParsedRow] = list(plan.new_units)
    for row, unit_id in plan.matched:
        if unit_id in known_ids:
            unit_for_row[row.row] = unit_id
        else:
            unplaced.append(row)  # deleted since the preview
    taken = set(unit_for_row.values())
    matching = match_units(units, unplaced, None)
    to_create = list(matching.new_units)
    for row, unit_id in matching.matched:
        if unit_id in taken:
            to_create.append(row)  # a unit created since the preview, already this file's
        else:
            unit_for_row[row.row] = unit_id
            taken.add(unit_id)
    if matching.issues:
        raise ImportRejected(matching.issues)
    created = _create_units(session, to_create)
    for row in to_create:
        unit_for_row[row.row] = created[row.row]
    return unit_for_row, to_create


# --- measurements -------------------------------------------------------------------------


def _stored_measurements(session: Session, indicator_id: int, period_id: int) -> dict[int, int]:
    """Measurement id by unit id for the indicator and period."""
    return {
        unit_id: stored_id(measurement_id)
        for measurement_id, unit_id in session.exec(
            select(Measurement.id, Measurement.unit_id).where(
                Measurement.indicator_id == indicator_id, Measurement.period_id == period_id
            )
        ).all()
    }


@dataclass(frozen=True)
class _Target:
    """Where the figures go: indicator, period, batch, and each row's unit."""

    indicator_id: int
    period_id: int
    batch_id: int
    unit_for_row: dict[int, int]


def _write_measurements(
    session: Session, rows: Sequence[ParsedRow], target: _Target, existing: dict[int, int]
) -> int:
    """Update stored figures, insert new ones, delete the rest; returns how many were deleted."""
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    seen_units: set[int] = set()
    for row in rows:
        unit_id = target.unit_for_row[row.row]
        seen_units.add(unit_id)
        values: dict[str, Any] = {
            "numerator": row.signed,
            "denominator": row.total,
            "published_rate": float(row.published_rate) if row.published_rate is not None else None,
            "import_id": target.batch_id,
            "updated_at": now,
        }
        measurement_id = existing.get(unit_id)
        if measurement_id is not None:
            updates.append({"id": measurement_id, **values})
        else:
            inserts.append(
                {
                    "unit_id": unit_id,
                    "indicator_id": target.indicator_id,
                    "period_id": target.period_id,
                    **values,
                }
            )
    stale = [mid for unit_id, mid in existing.items() if unit_id not in seen_units]
    for chunk in _in_chunks(stale):
        session.exec(delete(Measurement).where(col(Measurement.id).in_(chunk)))
    for chunk in _in_chunks(updates):
        session.exec(update(Measurement), params=chunk)
    for chunk in _in_chunks(inserts):
        session.exec(insert(Measurement), params=chunk)
    return len(stale)


# --- applying -----------------------------------------------------------------------------


def _record(
    session: Session,
    plan: ImportPlan,
    batch: ImportBatch,
    indicator_code: str,
    *,
    actor_telegram_id: int | None,
    replaced: bool,
    stale: int,
) -> None:
    """Audit the import, flush, and log it."""
    audit.record(
        session=session,
        actor=actor_telegram_id,
        action="import",
        subject=f"period:{batch.period_id}",
        indicator=indicator_code,
        period=f"{plan.period_start.isoformat()}..{plan.period_end.isoformat()}",
        source=plan.source[:255],
        rows=len(plan.table.rows),
        new_units=batch.new_units,
        replaced=replaced,
    )
    session.flush()
    logger.info(
        "import %s: indicator=%s period=%s..%s rows=%d new_units=%d replaced=%s stale=%d",
        batch.id,
        indicator_code,
        plan.period_start,
        plan.period_end,
        len(plan.table.rows),
        batch.new_units,
        replaced,
        stale,
    )


def apply_import(
    *, session: Session, plan: ImportPlan, actor_telegram_id: int | None = None
) -> ImportResult:
    """Write a planned import in the caller's transaction (flush, no commit). The features
    listening for imports react after the commit (`after_import`), not in this transaction."""
    indicator = _indicator(session, plan.indicator_code)
    assert indicator.id is not None
    period = _period(session, plan)
    assert period.id is not None
    unit_for_row, created = _place_units(session, plan)
    existing = _stored_measurements(session, indicator.id, period.id)
    batch = ImportBatch(
        indicator_id=indicator.id,
        period_id=period.id,
        source=plan.source[:255],
        sha256=plan.sha256,
        row_count=len(plan.table.rows),
        new_units=len(created),
        actor_telegram_id=actor_telegram_id,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    target = _Target(indicator.id, period.id, batch.id, unit_for_row)
    stale = _write_measurements(session, plan.table.rows, target, existing)
    bump_revision(session)
    replaced = bool(existing)
    _record(
        session,
        plan,
        batch,
        indicator.code,
        actor_telegram_id=actor_telegram_id,
        replaced=replaced,
        stale=stale,
    )
    rows = plan.table.rows
    folded = [
        (row.name, name) for row, unit_id, name in plan.folded if unit_for_row[row.row] == unit_id
    ]
    result = ImportResult(
        batch_id=batch.id,
        period_id=period.id,
        period_start=plan.period_start,
        period_end=plan.period_end,
        as_of=period.as_of,
        indicator_code=indicator.code,
        rows=len(rows),
        new_units=[" ".join(r.name.split()) for r in created],
        total=plan.total,
        signed=plan.signed,
        below_warning=count_below(rows, indicator.warning_threshold),
        below_critical=count_below(rows, indicator.critical_threshold),
        at_target=count_at_target(rows, indicator.target),
        replaced_existing=replaced,
        folded=folded,
    )
    return result


def run_after_import(
    *, session: Session, result: ImportResult, listeners: Sequence[AfterImport]
) -> None:
    """Once the import is committed: each listening feature (deadlines reached, warnings)
    reads and renders first and writes what it queues in a short transaction of its own,
    committed here. A listener that fails is logged and undone; the import stays written."""
    session.rollback()  # nothing of the import's is left open
    for listener in listeners:
        try:
            listener(session=session, imported=result.imported())
            session.commit()
        except Exception:
            session.rollback()
            logger.exception("After import %s: a listener failed", result.batch_id)


def import_notes(
    *, session: Session, result: ImportResult, notes: Sequence[ImportNote]
) -> list[str]:
    """What the features linked to imports have to say about this one (Telegram HTML)."""
    lines = (note(session=session, imported=result.imported()) for note in notes)
    return [line for line in lines if line]


def import_statistics(
    *,
    session: Session,
    data: bytes,
    filename: str,
    indicator_code: str = SIGNING_INDICATOR,
    period_start: date | None = None,
    period_end: date | None = None,
    tz: ZoneInfo,
    after_import: Sequence[AfterImport],
    actor_telegram_id: int | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    allow_new_units: bool = True,
) -> ImportResult:
    """Parse (no transaction), plan (reads), then apply and commit in one short write
    transaction under the import lock; on any error roll back so nothing is written. The
    listeners run after the commit, each in its own short transaction (none if it failed).
    Without `allow_new_units` a table adding many new units is refused."""
    outcome = parse_file(data, filename, limits)
    try:
        plan = plan_parsed(
            session=session,
            outcome=outcome,
            sha256=hashlib.sha256(data).hexdigest(),
            filename=filename,
            indicator_code=indicator_code,
            period_start=period_start,
            period_end=period_end,
            tz=tz,
        )
    finally:
        session.rollback()  # end the read transaction before writing
    if plan.many_new_units and not allow_new_units:
        raise ImportRejected([new_units_issue(plan)])
    lock_imports(session)
    try:
        result = apply_import(session=session, plan=plan, actor_telegram_id=actor_telegram_id)
        session.commit()
    except Exception:
        session.rollback()
        raise
    run_after_import(session=session, result=result, listeners=after_import)
    return result


def new_units_issue(plan: ImportPlan) -> RowIssue:
    """The table adds more new units than an import should without a second look."""
    names = [" ".join(r.name.split()) for r in plan.new_units]
    return RowIssue(
        None,
        None,
        None,
        "too_many_new_units",
        {"count": str(len(names)), "names": ", ".join(names[:10])},
    )
