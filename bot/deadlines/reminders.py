"""Who owes a deadline, who is told, and running the reminder steps that are due.

Reminder steps are a pure function of a deadline and "now" (bot.deadlines.schedule); `run_due`
turns the steps that are due into outbox pushes (bot.deadlines.pushes) whose dedupe keys make
every push happen at most once, however often it runs (scheduled jobs, the start-up catch-up, the
console's simulated clock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.core.audiences import Audience
from bot.core.models import (
    Acknowledgement,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    ExplanationReport,
    Indicator,
    OutboxMessage,
    Unit,
)
from bot.core.outbox import Push, enqueue_many
from bot.core.people import secretariat_recipients, unit_recipients
from bot.deadlines.errors import DeadlineError
from bot.deadlines.lifecycle import audience_rows, get_deadline, refresh_rate_fulfilment
from bot.deadlines.progress import Owing, below_rates, unit_progress
from bot.deadlines.pushes import PushContext, compose_step
from bot.deadlines.schedule import LOOKBACK, Schedule, Step, StepKind, due_steps


def owing_units(*, session: Session, deadline: Deadline, now: dt.datetime) -> list[Owing]:
    """Units of the deadline that have not fulfilled it, by name (rate figures refreshed)."""
    assert deadline.id is not None
    if deadline.kind == DeadlineKind.RATE.value:
        refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
    rows = session.exec(
        select(DeadlineUnit.unit_id, Unit.name)
        .join(Unit, col(Unit.id) == DeadlineUnit.unit_id)
        .where(
            DeadlineUnit.deadline_id == deadline.id,
            col(DeadlineUnit.fulfilled_at).is_(None),
        )
        .order_by(col(Unit.short_key), col(Unit.name), col(Unit.id))
    ).all()
    ids = [int(u) for u, _n in rows]
    progress = (
        unit_progress(session=session, deadline=deadline, unit_ids=ids)
        if deadline.kind == DeadlineKind.RATE.value
        else {}
    )
    below = below_rates(
        session=session,
        audience=Audience.from_dict(deadline.audience),
        unit_ids=ids,
        indicator_code=deadline.indicator_code,
    )
    reports = {
        r.unit_id: r
        for r in session.exec(
            select(ExplanationReport).where(ExplanationReport.deadline_id == deadline.id)
        )
    }
    return [
        Owing(int(u), name, progress.get(int(u)), below.get(int(u)), reports.get(int(u)))
        for u, name in rows
    ]


def step_pushes(
    *, session: Session, deadline: Deadline, step: Step, now: dt.datetime, ctx: PushContext
) -> list[Push]:
    """The pushes of one step: reminders, the due-day escalation and lists, overdue notices."""
    assert deadline.id is not None
    owing = owing_units(session=session, deadline=deadline, now=now)
    people = unit_recipients(
        session=session, unit_ids=[o.unit_id for o in owing], default_language=ctx.default_language
    )
    total = len(audience_rows(session, deadline.id))
    secretariat = (
        secretariat_recipients(
            session=session, admin_ids=ctx.admin_ids, default_language=ctx.default_language
        )
        if step.kind in (StepKind.DUE_DAY, StepKind.OVERDUE)
        else []
    )
    return compose_step(
        deadline,
        step,
        owing=owing,
        people=people,
        secretariat=secretariat,
        total=total,
        now=now,
        ctx=ctx,
        cited=ctx.cited(session, deadline),
    )


@dataclass(frozen=True)
class RunResult:
    """What one pass of `run_due` did."""

    steps: list[tuple[int, Step]]
    queued: int


def run_due(
    *, session: Session, now: dt.datetime, ctx: PushContext, deadline_id: int | None = None
) -> RunResult:
    """Queue every reminder step due at `now` (idempotent: dedupe keys make repeats no-ops)."""
    stmt = select(Deadline).where(
        Deadline.status == DeadlineStatus.OPEN.value, col(Deadline.due_at) >= now - LOOKBACK
    )
    if deadline_id is not None:
        stmt = stmt.where(Deadline.id == deadline_id)
    done: list[tuple[int, Step]] = []
    queued = 0
    for deadline in session.exec(stmt.order_by(col(Deadline.due_at), col(Deadline.id))).all():
        assert deadline.id is not None
        for step in due_steps(Schedule.of(deadline), now, ctx.tz):
            pushes = step_pushes(session=session, deadline=deadline, step=step, now=now, ctx=ctx)
            queued += enqueue_many(session=session, pushes=pushes)
            done.append((deadline.id, step))
    return RunResult(done, queued)


def open_schedules(*, session: Session, now: dt.datetime) -> list[Schedule]:
    """Schedules of every deadline still followed (for rebuilding jobs)."""
    stmt = select(Deadline).where(
        Deadline.status == DeadlineStatus.OPEN.value, col(Deadline.due_at) >= now - LOOKBACK
    )
    return [Schedule.of(d) for d in session.exec(stmt.order_by(col(Deadline.id))).all()]


# --- acknowledgements ---------------------------------------------------------------------


def acknowledge(
    *, session: Session, deadline_id: int, telegram_id: int, unit_id: int | None, now: dt.datetime
) -> bool:
    """Record "Đã nhận" once per person; False if they had already pressed it. Only a person
    the deadline's pushes were sent to may (else DeadlineError "not_recipient", nothing written);
    the acknowledgement counts for the unit they were reminded for."""
    get_deadline(session=session, deadline_id=deadline_id)
    reminded_for = session.exec(
        select(OutboxMessage.unit_id).where(
            col(OutboxMessage.dedupe_key).like(f"deadline:{deadline_id}:%"),
            OutboxMessage.chat_id == telegram_id,
            col(OutboxMessage.unit_id).is_not(None),
        )
    ).first()
    if reminded_for is None:
        raise DeadlineError("not_recipient")
    if unit_id is None:
        unit_id = reminded_for
    subject = f"deadline:{deadline_id}"
    existing = session.exec(
        select(Acknowledgement).where(
            Acknowledgement.subject == subject, Acknowledgement.telegram_id == telegram_id
        )
    ).first()
    if existing is not None:
        return False
    session.add(Acknowledgement(subject=subject, telegram_id=telegram_id, unit_id=unit_id, at=now))
    return True


# --- used by other features ---------------------------------------------------------------


def units_with_open_reminder(
    *, session: Session, indicator_id: int, unit_ids: Iterable[int], now: dt.datetime
) -> set[int]:
    """Units still owing an open deadline on this indicator (warnings give way to its reminders)."""
    ids = set(unit_ids)
    if not ids:
        return set()
    code = session.exec(select(Indicator.code).where(Indicator.id == indicator_id)).first()
    if code is None:
        return set()
    rows = session.exec(
        select(DeadlineUnit.unit_id)
        .join(Deadline, col(Deadline.id) == DeadlineUnit.deadline_id)
        .where(
            Deadline.status == DeadlineStatus.OPEN.value,
            Deadline.indicator_code == code,
            col(Deadline.due_at) > now,
            col(DeadlineUnit.fulfilled_at).is_(None),
            col(DeadlineUnit.unit_id).in_(ids),
        )
    ).all()
    return {int(u) for u in rows}
