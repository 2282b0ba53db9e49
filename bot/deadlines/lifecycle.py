"""Creating, changing and cancelling deadlines; units whose figures reach the rate."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from bot.core import audit
from bot.core.links import Imported
from bot.core.models import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    ExplanationReport,
    utcnow,
)
from bot.deadlines.audience import Draft, audience_unit_ids
from bot.deadlines.errors import DeadlineError
from bot.deadlines.progress import unit_progress
from bot.deadlines.pushes import (
    PushContext,
    cancel_pending,
    cancel_pending_units,
    notify_cancelled,
    notify_postponed,
)

logger = logging.getLogger(__name__)

MAX_TITLE = 200


def get_deadline(*, session: Session, deadline_id: int) -> Deadline:
    """A deadline by id, or DeadlineError('not_found')."""
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        raise DeadlineError("not_found", id=deadline_id)
    return deadline


def check_title(title: str) -> str:
    """Trimmed, non-empty, not too long."""
    title = " ".join((title or "").split())
    if not title:
        raise DeadlineError("empty_title")
    if len(title) > MAX_TITLE:
        raise DeadlineError("long_title", max=MAX_TITLE)
    return title


def check_rate(value: float) -> float:
    """A required rate or threshold in percent: above 0, at most 100."""
    if not 0 < value <= 100:
        raise DeadlineError("bad_rate")
    return value


def create_deadline(
    *, session: Session, draft: Draft, actor: int | None, now: dt.datetime
) -> Deadline:
    """Write a complete draft as a deadline with its fixed audience, in one transaction."""
    title = check_title(draft.title)
    if draft.missing() is not None or draft.due_at is None or draft.kind is None:
        raise DeadlineError("incomplete")
    if draft.due_at <= now:
        raise DeadlineError("due_past")
    if draft.kind == DeadlineKind.RATE.value:
        check_rate(float(draft.required_rate or 0))
    unit_ids = audience_unit_ids(
        session=session, audience=draft.audience, indicator_code=draft.indicator_code
    )
    if not unit_ids:
        raise DeadlineError("empty_audience")
    deadline = Deadline(
        title=title,
        kind=draft.kind,
        due_at=draft.due_at,
        indicator_code=draft.indicator_code,
        period_id=draft.period_id,
        required_rate=draft.required_rate,
        audience=draft.audience.as_dict() if draft.audience else {},
        plan_days=sorted(set(draft.plan_days), reverse=True),
        plan_time=draft.plan_time.strftime("%H:%M"),
        template=draft.template,
        schedule_from=now,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(deadline)
    session.flush()
    assert deadline.id is not None
    for unit_id in unit_ids:
        session.add(DeadlineUnit(deadline_id=deadline.id, unit_id=unit_id))
    session.flush()
    reached: list[int] = []
    if deadline.kind == DeadlineKind.RATE.value:
        reached = refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.create",
        subject=f"deadline:{deadline.id}",
        title=title,
        kind=deadline.kind,
        due_at=deadline.due_at.isoformat(),
        units=len(unit_ids),
        already_fulfilled=len(reached),
        template=draft.template,
    )
    return deadline


def edit_title(
    *, session: Session, deadline_id: int, title: str, actor: int | None, now: dt.datetime
) -> Deadline:
    """Rename a deadline (future pushes use the new title)."""
    deadline = open_deadline(session, deadline_id)
    title = check_title(title)
    old = deadline.title
    deadline.title = title
    deadline.updated_at = now
    session.add(deadline)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.edit",
        subject=f"deadline:{deadline_id}",
        field="title",
        old=old,
        new=title,
    )
    return deadline


def edit_plan(
    *,
    session: Session,
    deadline_id: int,
    days: Sequence[int],
    time: dt.time,
    actor: int | None,
    now: dt.datetime,
) -> Deadline:
    """Change the reminder plan; steps that would now lie in the past are not sent."""
    deadline = open_deadline(session, deadline_id)
    old = {"days": list(deadline.plan_days), "time": deadline.plan_time}
    deadline.plan_days = sorted(set(days), reverse=True)
    deadline.plan_time = time.strftime("%H:%M")
    deadline.schedule_from = now
    deadline.updated_at = now
    session.add(deadline)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.edit",
        subject=f"deadline:{deadline_id}",
        field="plan",
        old=old,
        new={"days": list(deadline.plan_days), "time": deadline.plan_time},
    )
    return deadline


def open_deadline(session: Session, deadline_id: int) -> Deadline:
    """A deadline that has not been cancelled."""
    deadline = get_deadline(session=session, deadline_id=deadline_id)
    if deadline.status != DeadlineStatus.OPEN.value:
        raise DeadlineError("cancelled", title=deadline.title)
    return deadline


@dataclass(frozen=True)
class ChangeResult:
    """A postponement or cancellation and how many people were told."""

    deadline: Deadline
    notified: int
    old_due: dt.datetime | None = None


def _recheck_lateness(session: Session, deadline_id: int, due: dt.datetime) -> None:
    """Mark the deadline's reports late or on time against a new due time."""
    for report in session.exec(
        select(ExplanationReport).where(ExplanationReport.deadline_id == deadline_id)
    ):
        late = report.first_submitted_at > due
        if report.late != late:
            report.late = late
            session.add(report)


def postpone(
    *,
    session: Session,
    deadline_id: int,
    new_due: dt.datetime,
    actor: int | None,
    now: dt.datetime,
    ctx: PushContext,
) -> ChangeResult:
    """Move the deadline later; a fresh set of reminder steps; everyone reminded is told."""
    deadline = open_deadline(session, deadline_id)
    if new_due <= now:
        raise DeadlineError("due_past")
    if new_due <= deadline.due_at:
        raise DeadlineError("not_later", due=deadline.due_at)
    old_due = deadline.due_at
    deadline.due_at = new_due
    deadline.version += 1
    deadline.schedule_from = now
    deadline.updated_at = now
    session.add(deadline)
    # Reports sent before the new deadline are on time now.
    _recheck_lateness(session, deadline_id, new_due)
    cancel_pending(session, deadline_id)
    notified = notify_postponed(session, deadline, old_due=old_due, ctx=ctx, now=now)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.postpone",
        subject=f"deadline:{deadline_id}",
        title=deadline.title,
        old_due=old_due.isoformat(),
        new_due=new_due.isoformat(),
        notified=notified,
    )
    return ChangeResult(deadline, notified, old_due)


def cancel(
    *, session: Session, deadline_id: int, actor: int | None, now: dt.datetime, ctx: PushContext
) -> ChangeResult:
    """Cancel a deadline: no more reminders; everyone reminded is told."""
    deadline = open_deadline(session, deadline_id)
    deadline.status = DeadlineStatus.CANCELLED.value
    deadline.cancelled_at = now
    deadline.updated_at = now
    session.add(deadline)
    cancel_pending(session, deadline_id)
    notified = notify_cancelled(session, deadline, ctx=ctx, now=now)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.cancel",
        subject=f"deadline:{deadline_id}",
        title=deadline.title,
        notified=notified,
    )
    return ChangeResult(deadline, notified)


# --- fulfilment ---------------------------------------------------------------------------


def audience_rows(session: Session, deadline_id: int) -> list[DeadlineUnit]:
    """The deadline's units."""
    return list(session.exec(select(DeadlineUnit).where(DeadlineUnit.deadline_id == deadline_id)))


def refresh_rate_fulfilment(*, session: Session, deadline: Deadline, now: dt.datetime) -> list[int]:
    """Mark units whose figures reached the required rate (for good); returns the newly marked."""
    if deadline.kind != DeadlineKind.RATE.value or deadline.id is None:
        return []
    rows = [r for r in audience_rows(session, deadline.id) if r.fulfilled_at is None]
    progress = unit_progress(session=session, deadline=deadline, unit_ids=[r.unit_id for r in rows])
    reached: list[int] = []
    for row in rows:
        found = progress.get(row.unit_id)
        if found is not None and found.reached(float(deadline.required_rate or 100)):
            row.fulfilled_at = found.period.as_of or now
            session.add(row)
            reached.append(row.unit_id)
    cancel_pending_units(session, deadline.id, reached)
    return reached


def after_import(*, session: Session, imported: Imported) -> None:
    """After an import: units whose new figures reach a rate deadline stop being reminded."""
    deadlines = session.exec(
        select(Deadline).where(
            Deadline.status == DeadlineStatus.OPEN.value,
            Deadline.kind == DeadlineKind.RATE.value,
            Deadline.indicator_code == imported.indicator_code,
        )
    ).all()
    for deadline in deadlines:
        if deadline.period_id is not None and deadline.period_id != imported.period_id:
            continue
        reached = refresh_rate_fulfilment(session=session, deadline=deadline, now=utcnow())
        if reached:
            logger.info("Deadline %s: %d units reached the rate", deadline.id, len(reached))
