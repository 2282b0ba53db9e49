"""Helpers for the deadline tests: a simulated clock, the dialog, stepping time, restarts."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.app import build_application
from bot.core.clock import SimulatedClock
from bot.core.config import Settings
from bot.core.models import Deadline, DeadlineUnit, OutboxMessage, OutboxStatus, Role, Unit
from bot.offline import OfflineRequest
from jobs import deadlines as reminders
from tests.conftest import ADMIN_ID, Harness

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Officials used across the tests (units of the shared June 2026 table).
PHU_DUC_STAFF, PHU_DUC_HEAD = 2001, 2002  # 18/24 = 75%: below 80%, below 100%
TIEN_HUNG_STAFF = 2101  # 4/20 = 20%: below 80%; no head linked
QUANG_LICH_STAFF = 2201  # 24/30 = 80%: not below 80%, below 100%
NGHIA_TRU_STAFF = 2301  # 92/92 = 100%


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A local time in June–July 2026, as aware UTC."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


def use_clock(h: Harness, when: dt.datetime) -> SimulatedClock:
    """Install a simulated clock on the harness's application."""
    clock = SimulatedClock(when)
    h.app.bot_data.runtime.clock = clock
    return clock


def link_officials(h: Harness) -> None:
    """Staff and heads of a few units (every one has started the bot: linking creates users)."""
    h.link(PHU_DUC_STAFF, "Phụ Dực", Role.STAFF)
    h.link(PHU_DUC_HEAD, "Phụ Dực", Role.HEAD)
    h.link(TIEN_HUNG_STAFF, "Tiên Hưng", Role.STAFF)
    h.link(QUANG_LICH_STAFF, "Quang Lịch", Role.STAFF)
    h.link(NGHIA_TRU_STAFF, "Nghĩa Trụ", Role.STAFF)


async def create_template(h: Harness, template: str = "report80") -> int:
    """Create one of the letters' deadlines through the dialog; returns its id."""
    await h.send(ADMIN_ID, "/hanchot_moi")
    await h.press(ADMIN_ID, f"dl:new:t:{template}")
    replies = await h.press(ADMIN_ID, "dl:new:ok")
    assert replies and "#" in replies[-1], replies
    with Session(h.engine) as session:
        deadline = session.exec(select(Deadline).order_by(Deadline.id.desc())).first()  # type: ignore[union-attr]
        assert deadline is not None and deadline.id is not None
        return deadline.id


async def fire_due_jobs(h: Harness, now: dt.datetime) -> list[str]:
    """Do what the scheduler does at `now`: run each deadline job that is due, then drop it."""
    assert h.app.job_queue is not None
    fired = []
    for job in h.app.job_queue.jobs():
        if not (job.name or "").startswith(reminders.JOB_PREFIX):
            continue
        if job.job.trigger.run_date <= now:
            await job.run(h.app)
            job.schedule_removal()
            fired.append(str(job.name))
    return fired


async def step(h: Harness, clock: SimulatedClock, when: dt.datetime) -> list[str]:
    """Move the clock, fire the jobs due by then, run a pass again (a repeat must change
    nothing), and deliver what was queued."""
    clock.set(when)
    await fire_due_jobs(h, when)
    reminders.run_pass(h.app)
    return await h.drain()


def _pushes(h: Harness, chat_id: int) -> list[OutboxMessage]:
    """Pushes delivered to one chat through the outbox (first parts), oldest first."""
    with Session(h.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.status == OutboxStatus.SENT.value,
            )
            .order_by(OutboxMessage.id)  # type: ignore[arg-type]
        ).all()
    return [r for r in rows if "#" not in r.dedupe_key]


def sent_to(h: Harness, chat_id: int) -> list[str]:
    """Texts pushed to one chat (not replies to their own messages), in order."""
    return [str(r.payload["text"]) for r in _pushes(h, chat_id)]


def markup_of(h: Harness, chat_id: int) -> list[tuple[str, str]]:
    """Buttons of the last push delivered to a chat."""
    rows = _pushes(h, chat_id)
    markup = rows[-1].payload.get("reply_markup") or {} if rows else {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def audience_names(h: Harness, deadline_id: int) -> set[str]:
    """Names of the units a deadline follows."""
    with Session(h.engine) as session:
        return set(
            session.exec(
                select(Unit.name)
                .join(DeadlineUnit, DeadlineUnit.unit_id == Unit.id)  # type: ignore[arg-type]
                .where(DeadlineUnit.deadline_id == deadline_id)
            ).all()
        )


def outbox_keys(h: Harness) -> list[str]:
    """Every dedupe key in the outbox."""
    with Session(h.engine) as session:
        return list(session.exec(select(OutboxMessage.dedupe_key)).all())


@asynccontextmanager
async def restarted(settings: Settings, clock: SimulatedClock) -> AsyncIterator[Harness]:
    """A new process on the same database: new application, same clock, start-up run."""
    request = OfflineRequest()
    app = build_application(settings, request=request)
    app.bot_data.runtime.clock = clock
    async with app:
        await reminders.on_startup(app)
        yield Harness(app, request)
    app.bot_data.runtime.engine.dispose()
