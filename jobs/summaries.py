"""The weekly group summaries: a job in the bot's zone that queues them in the outbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import TYPE_CHECKING

from bot.core.db import session_scope
from bot.core.models import utcnow
from bot.core.runtime import Runtime
from handlers.context import BotContext, KysoApp

if TYPE_CHECKING:
    from bot.summaries.scheduled import ScheduledRun

if TYPE_CHECKING:
    from bot.summaries.scheduled import ScheduledRun

logger = logging.getLogger(__name__)

JOB_NAME = "group-summaries-weekly"
CATCH_UP_NAME = "group-summaries-catch-up"
CATCH_UP_DELAY = dt.timedelta(seconds=60)


def queue_summaries(runtime: Runtime, now: dt.datetime | None = None) -> ScheduledRun:
    """Queue this week's summaries for every subscribed group (idempotent within a week)."""
    from bot.summaries.scheduled import enqueue_group_summaries  # loaded when the job runs

    with session_scope(runtime.engine) as session:
        return enqueue_group_summaries(
            session=session,
            standings=runtime.standings,
            now=now or utcnow(),
            tz=runtime.settings.tz,
            language=runtime.settings.default_language,
        )


async def send_group_summaries(context: BotContext) -> None:
    """The job: render and queue off the event loop (the commit wakes the sender)."""
    await asyncio.to_thread(queue_summaries, context.bot_data.runtime)


def this_weeks_moment(now: dt.datetime, weekday: int, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """This ISO week's scheduled moment (weekday 1 = Monday), aware in `tz`."""
    local = now.astimezone(tz)
    monday = local.date() - dt.timedelta(days=local.isoweekday() - 1)
    day = monday + dt.timedelta(days=weekday - 1)
    return dt.datetime.combine(day, at, tzinfo=tz)


def schedule(app: KysoApp, now: dt.datetime | None = None) -> None:
    """Schedule the weekly job (SUMMARY_WEEKDAY at SUMMARY_TIME); after a restart that missed
    this week's run, catch up once shortly after start (the job skips groups already served)."""
    runtime: Runtime = app.bot_data.runtime
    settings = runtime.settings
    when = settings.summary_schedule
    if app.job_queue is None or when is None:
        logger.info("Weekly group summaries are off")
        return
    weekday, at = when
    job_kwargs = {
        "id": JOB_NAME,
        "misfire_grace_time": None,
        "coalesce": True,
        "replace_existing": True,
    }
    app.job_queue.run_daily(
        send_group_summaries,
        time=at.replace(tzinfo=settings.tz),
        days=(weekday % 7,),  # PTB counts 0 = Sunday … 6 = Saturday
        name=JOB_NAME,
        job_kwargs=job_kwargs,
    )
    now = now or utcnow()
    if now >= this_weeks_moment(now, weekday, at, settings.tz):
        app.job_queue.run_once(
            send_group_summaries,
            when=CATCH_UP_DELAY,
            name=CATCH_UP_NAME,
            job_kwargs={**job_kwargs, "id": CATCH_UP_NAME},
        )
    logger.info("Weekly group summaries: %s %s %s", settings.summary_weekday, at, settings.tz)
