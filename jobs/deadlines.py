"""Deadline reminder jobs on PTB's JobQueue (APScheduler 3).

One date job per future reminder step, named `deadline:<id>:<step>` (also its APScheduler id),
with `misfire_grace_time=None`, `coalesce=True` and `replace_existing=True`. The jobs only say
"look now": each run asks the database which steps are due (bot.deadlines.reminders.run_due) and
queues their pushes under dedupe keys, so a job that runs twice, late, or after a restart never
repeats a push. At start-up every deadline job is rebuilt from the database and a catch-up pass
queues the steps that fell due while the bot was down (if their deadline has not passed).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from telegram.ext import Application

from bot.core.db import session_scope
from bot.core.i18n import set_timezone
from bot.core.outbox import QuietHours
from bot.core.runtime import Runtime
from handlers.context import BotContext, BotData, KysoApp

if TYPE_CHECKING:
    from bot.deadlines.pushes import PushContext
    from bot.deadlines.reminders import RunResult
    from bot.deadlines.schedule import Schedule

# Imported inside the functions that use them: bot.deadlines loads at its first use, not at start-
# up.

logger = logging.getLogger(__name__)

JOB_PREFIX = "deadline:"

# The application as a callback context hands it over (`context.application`) or the factory.
AnyApp = Application[Any, Any, Any, Any, BotData, Any]


def job_name(deadline_id: int, step_code: str) -> str:
    """Deterministic name (and APScheduler id) of a step's job."""
    return f"{JOB_PREFIX}{deadline_id}:{step_code}"


def push_context(rt: Runtime) -> PushContext:
    """Zone, quiet hours, secretariat and language for pushes, from the settings."""
    from bot.deadlines.pushes import PushContext

    settings = rt.settings
    return PushContext(
        tz=settings.tz,
        quiet=QuietHours.from_settings(settings),
        admin_ids=settings.admin_telegram_ids,
        default_language=settings.default_language,
        basis=rt.links.deadline_basis,
    )


def _runtime(app: AnyApp) -> Runtime:
    """The application's runtime."""
    return app.bot_data.runtime


def run_pass(app: AnyApp, deadline_id: int | None = None) -> RunResult:
    """Queue every step due now (one deadline or all); the commit wakes the sender."""
    from bot.deadlines.reminders import run_due

    rt = _runtime(app)
    set_timezone(rt.settings.tz)
    with session_scope(rt.engine) as session:
        result = run_due(
            session=session, now=rt.clock(), ctx=push_context(rt), deadline_id=deadline_id
        )
    if result.queued:
        logger.info("Deadline steps %s queued %d pushes", result.steps, result.queued)
    return result


async def step_job(context: BotContext) -> None:
    """A reminder step is due: queue what is owed now."""
    data = context.job.data if context.job is not None else None
    deadline_id = int(data["deadline_id"]) if isinstance(data, dict) else None
    # Reading, rendering and queueing a step for thousands of units takes seconds: a worker
    # thread, so the event loop keeps answering meanwhile.
    await asyncio.to_thread(run_pass, context.application, deadline_id)


def queue_names(app: KysoApp) -> list[str]:
    """Names of the deadline jobs in the queue."""
    queue = app.job_queue
    if queue is None:
        return []
    return sorted(j.name for j in queue.jobs() if j.name and j.name.startswith(JOB_PREFIX))


def unschedule(app: AnyApp, deadline_id: int | None = None) -> int:
    """Remove the jobs of one deadline (or of all deadlines); returns how many."""
    queue = app.job_queue
    if queue is None:
        return 0
    prefix = JOB_PREFIX if deadline_id is None else f"{JOB_PREFIX}{deadline_id}:"
    removed = 0
    for job in queue.jobs():
        if job.name and job.name.startswith(prefix):
            job.schedule_removal()
            removed += 1
    return removed


def _add_jobs(app: AnyApp, schedule: Schedule) -> list[str]:
    """One job per future step of a schedule."""
    from bot.deadlines.schedule import future_steps

    queue = app.job_queue
    rt = _runtime(app)
    if queue is None:
        logger.warning("No JobQueue: reminders only run at start-up")
        return []
    names = []
    for step in future_steps(schedule, rt.clock(), rt.settings.tz):
        name = job_name(schedule.deadline_id, step.code)
        queue.run_once(
            step_job,
            when=step.at,
            name=name,
            data={"deadline_id": schedule.deadline_id, "step": step.code},
            job_kwargs={
                "id": name,
                "misfire_grace_time": None,  # a late wake-up still runs (default would skip)
                "coalesce": True,
                "replace_existing": True,
            },
        )
        names.append(name)
    return names


def schedule_deadline(app: AnyApp, deadline_id: int) -> list[str]:
    """(Re)build the jobs of one deadline from the database, e.g. after it changed."""
    from bot.deadlines.lifecycle import get_deadline
    from bot.deadlines.schedule import Schedule

    unschedule(app, deadline_id)
    with Session(_runtime(app).engine) as session:
        schedule = Schedule.of(get_deadline(session=session, deadline_id=deadline_id))
    return _add_jobs(app, schedule)


def rebuild(app: KysoApp) -> list[str]:
    """Drop every deadline job and schedule them again from the database."""
    from bot.deadlines.reminders import open_schedules

    unschedule(app)
    rt = _runtime(app)
    with Session(rt.engine) as session:
        schedules = open_schedules(session=session, now=rt.clock())
    names: list[str] = []
    for schedule in schedules:
        names.extend(_add_jobs(app, schedule))
    return names


async def on_startup(app: KysoApp) -> RunResult:
    """Rebuild the jobs, then catch up on steps that fell due while the bot was down."""
    names = await asyncio.to_thread(rebuild, app)
    result = await asyncio.to_thread(run_pass, app)
    logger.info(
        "Deadline jobs rebuilt: %d scheduled; catch-up queued %d pushes", len(names), result.queued
    )
    return result
