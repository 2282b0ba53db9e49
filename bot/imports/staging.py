"""Statistics import from chat: stage a checked file for preview, then confirm or cancel it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.core import messages
from bot.core.links import AfterImport
from bot.core.models import Indicator, Measurement, PendingImport, utcnow
from bot.core.people import ensure_user
from bot.imports.apply import ImportResult, apply_import, lock_imports, run_after_import
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.limits import DEFAULT_LIMITS, ReadLimits
from bot.imports.options import ImportOptions
from bot.imports.parse import parse_file
from bot.imports.plan import ImportPlan, plan_parsed
from bot.imports.restarts import aware as _aware

logger = logging.getLogger(__name__)

PENDING_TTL = dt.timedelta(days=1)


# --- staging a preview --------------------------------------------------------------------


@dataclass(frozen=True)
class StagedImport:
    """A valid file stored as a PendingImport and what its preview shows."""

    token: str  # identifies the PendingImport in the Confirm/Cancel buttons
    plan: ImportPlan
    indicator_name: str
    item_kind: str
    dropped_units: int
    expires_at: dt.datetime


@dataclass(frozen=True)
class Refused:
    """The file did not pass the checks; nothing was stored."""

    issues: list[RowIssue]


def purge_expired(*, session: Session, now: dt.datetime | None = None) -> int:
    """Delete pending imports past their expiry; returns how many."""
    result = session.exec(
        delete(PendingImport).where(col(PendingImport.expires_at) < (now or utcnow()))
    )
    return int(result.rowcount or 0)


def _plan(
    session: Session,
    data: bytes,
    filename: str,
    options: ImportOptions,
    tz: ZoneInfo,
    limits: ReadLimits,
) -> ImportPlan:
    """Parse first (no transaction), then match with the database (reads only) and end the
    read transaction, so nothing holds the database while a file is read."""
    session.rollback()
    outcome = parse_file(data, filename, limits)
    try:
        return plan_parsed(
            session=session,
            outcome=outcome,
            sha256=hashlib.sha256(data).hexdigest(),
            filename=filename,
            indicator_code=options.indicator_code,
            period_start=options.period_start,
            period_end=options.period_end,
            tz=tz,
        )
    finally:
        session.rollback()


def _dropped_units(session: Session, plan: ImportPlan) -> int:
    """Units with stored figures for the period that the new file no longer lists."""
    if not plan.existing_measurements or plan.existing_period_id is None:
        return 0
    kept_ids = {unit_id for _row, unit_id in plan.matched}
    stored_ids = session.exec(
        select(Measurement.unit_id)
        .join(Indicator, col(Indicator.id) == col(Measurement.indicator_id))
        .where(
            Indicator.code == plan.indicator_code,
            Measurement.period_id == plan.existing_period_id,
        )
    ).all()
    return sum(1 for unit_id in stored_ids if unit_id not in kept_ids)


def stage_upload(
    *,
    session: Session,
    telegram_id: int,
    data: bytes,
    filename: str,
    options: ImportOptions,
    tz: ZoneInfo,
    now: dt.datetime | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> StagedImport | Refused:
    """Validate a file; if valid, store it for confirmation (replacing the user's earlier one)
    in one short write transaction, committed here."""
    now = now or utcnow()
    try:
        plan = _plan(session, data, filename, options, tz, limits)
    except ImportRejected as exc:
        return Refused(exc.issues)
    indicator = session.exec(select(Indicator).where(Indicator.code == plan.indicator_code)).one()
    indicator_name = messages.indicator_name(indicator.code, indicator.name)
    item_kind = indicator.item_kind
    dropped = _dropped_units(session, plan)
    session.rollback()  # the reads are done: the write below starts a transaction of its own
    pending = PendingImport(
        token=secrets.token_urlsafe(12),
        telegram_id=telegram_id,
        filename=filename[:255],
        data=data,
        sha256=plan.sha256,
        options=options.to_json(),
        created_at=now,
        expires_at=now + PENDING_TTL,
    )
    try:
        purge_expired(session=session, now=now)
        session.exec(delete(PendingImport).where(col(PendingImport.telegram_id) == telegram_id))
        session.add(pending)
        session.commit()
    except OperationalError:  # the database stayed locked past the busy timeout
        session.rollback()
        logger.warning("Could not store the preview of %r: database busy", filename)
        return Refused([RowIssue(None, None, None, "import_busy", {})])
    return StagedImport(
        token=pending.token,
        plan=plan,
        indicator_name=indicator_name,
        item_kind=item_kind,
        dropped_units=dropped,
        expires_at=now + PENDING_TTL,
    )


# --- confirming or cancelling -------------------------------------------------------------


class PendingStatus(StrEnum):
    """What became of a Confirm or Cancel press."""

    IMPORTED = "imported"
    CANCELLED = "cancelled"
    REFUSED = "refused"  # no longer valid against the current database
    EXPIRED = "expired"
    MISSING = "missing"  # already confirmed, cancelled, replaced or purged
    FOREIGN = "foreign"  # someone else's preview
    BUSY = "busy"  # another import held the lock too long; the preview stays open


@dataclass(frozen=True)
class PendingOutcome:
    """Result of confirming or cancelling a pending import."""

    status: PendingStatus
    filename: str = ""
    result: ImportResult | None = None
    issues: list[RowIssue] = field(default_factory=list)
    item_kind: str = "document"
    thresholds: tuple[float, float, float] = (80.0, 50.0, 100.0)  # warning, critical, target


def _claim(session: Session, token: str, telegram_id: int) -> Any:
    """Delete the user's pending import and return its columns (None if not theirs or gone)."""
    return session.exec(
        delete(PendingImport)
        .where(col(PendingImport.token) == token, col(PendingImport.telegram_id) == telegram_id)
        .returning(
            col(PendingImport.filename),
            col(PendingImport.data),
            col(PendingImport.options),
            col(PendingImport.expires_at),
        )
    ).first()


def pending_status(
    *, session: Session, token: str, telegram_id: int, now: dt.datetime | None = None
) -> PendingOutcome | None:
    """None if the user's preview is open; else why not (an expired one is deleted)."""
    pending = session.exec(select(PendingImport).where(PendingImport.token == token)).first()
    if pending is None:
        return PendingOutcome(PendingStatus.MISSING)
    if pending.telegram_id != telegram_id:
        return PendingOutcome(PendingStatus.FOREIGN)
    if _aware(pending.expires_at) <= (now or utcnow()):
        session.delete(pending)
        return PendingOutcome(PendingStatus.EXPIRED, filename=pending.filename)
    return None


def _not_claimed(session: Session, token: str) -> PendingOutcome:
    """Why a claim failed: someone else's preview, or none at all."""
    owner = session.exec(
        select(PendingImport.telegram_id).where(PendingImport.token == token)
    ).first()
    return PendingOutcome(PendingStatus.FOREIGN if owner is not None else PendingStatus.MISSING)


def confirm_pending(
    *,
    session: Session,
    token: str,
    telegram_id: int,
    display_name: str,
    tz: ZoneInfo,
    after_import: Sequence[AfterImport],
    now: dt.datetime | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> PendingOutcome:
    """Re-validate the stored file outside any write transaction, then claim it and import it
    in one short write transaction under the import lock, committed here (once only)."""
    stored = session.exec(
        select(
            PendingImport.filename,
            PendingImport.data,
            PendingImport.options,
            PendingImport.expires_at,
        ).where(col(PendingImport.token) == token, col(PendingImport.telegram_id) == telegram_id)
    ).first()
    if stored is None:
        outcome = _not_claimed(session, token)
        session.rollback()
        return outcome
    filename, data, options, expires_at = stored
    if _aware(expires_at) <= (now or utcnow()):
        _claim(session, token, telegram_id)
        session.commit()
        return PendingOutcome(PendingStatus.EXPIRED, filename=filename)
    opts = ImportOptions.from_json(dict(options or {}))
    try:
        plan = _plan(session, bytes(data), filename, opts, tz, limits)
    except ImportRejected as exc:
        _claim(session, token, telegram_id)
        session.commit()
        return PendingOutcome(PendingStatus.REFUSED, filename=filename, issues=exc.issues)
    return _write(session, plan, token, telegram_id, display_name, after_import, filename)


def _write(
    session: Session,
    plan: ImportPlan,
    token: str,
    telegram_id: int,
    display_name: str,
    after_import: Sequence[AfterImport],
    filename: str,
) -> PendingOutcome:
    """The short write transaction of Confirm: claim, apply, commit (nothing on an error);
    then the listeners, each in a short transaction of its own."""
    try:
        lock_imports(session)
    except ImportRejected as exc:
        return PendingOutcome(PendingStatus.BUSY, filename=filename, issues=exc.issues)
    try:
        if _claim(session, token, telegram_id) is None:
            session.rollback()
            return _not_claimed(session, token)
        ensure_user(session=session, telegram_id=telegram_id, display_name=display_name)
        result = apply_import(session=session, plan=plan, actor_telegram_id=telegram_id)
        item_kind = _item_kind(session, plan.indicator_code)
        session.commit()
    except ImportRejected as exc:
        session.rollback()
        return PendingOutcome(PendingStatus.REFUSED, filename=filename, issues=exc.issues)
    except Exception:
        session.rollback()
        raise
    run_after_import(session=session, result=result, listeners=after_import)
    return PendingOutcome(
        PendingStatus.IMPORTED,
        filename=filename,
        result=result,
        item_kind=item_kind,
        thresholds=(plan.warning_threshold, plan.critical_threshold, plan.target),
    )


def _item_kind(session: Session, indicator_code: str) -> str:
    """What an indicator counts (documents, party members)."""
    kind = session.exec(select(Indicator.item_kind).where(Indicator.code == indicator_code)).first()
    return kind or "document"


def cancel_pending(*, session: Session, token: str, telegram_id: int) -> PendingOutcome:
    """Forget a pending import; nothing else is touched."""
    claimed = _claim(session, token, telegram_id)
    if claimed is None:
        return _not_claimed(session, token)
    return PendingOutcome(PendingStatus.CANCELLED, filename=claimed[0])
