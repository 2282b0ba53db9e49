"""The scheduled warnings run: one job per indicator, by default every Monday at 08:00 local."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from bot.alerts.policy import Policy, all_policies, load_policy
from bot.core import heap
from bot.core.config import Settings
from bot.core.db import session_scope
from bot.core.i18n import set_timezone
from bot.core.links import Inhibitor, RuleBasis
from bot.core.models import Indicator
from handlers.context import BotContext, KysoApp

if TYPE_CHECKING:
    from bot.alerts.evaluate import RunOutcome

logger = logging.getLogger(__name__)


def job_name(indicator_code: str) -> str:
    """Deterministic job name (and APScheduler id) of an indicator's run."""
    return f"warnings:{indicator_code}"


def run_scheduled(
    *,
    engine: Engine,
    settings: Settings,
    indicator_id: int,
    inhibitors: Sequence[Inhibitor],
    now: dt.datetime | None = None,
    basis: RuleBasis | None = None,
) -> RunOutcome | None:
    """Evaluate one indicator with repeats, in one transaction (None: indicator gone)."""
    # the evaluation loads at the first run, not at start-up
    from bot.alerts.evaluate import Trigger, evaluate

    with heap.bulk(), session_scope(engine) as session:
        indicator = session.get(Indicator, indicator_id)
        if indicator is None:
            return None
        policy = load_policy(session=session, indicator=indicator, settings=settings)
        return evaluate(
            session=session,
            indicator_id=indicator_id,
            trigger=Trigger.SCHEDULE,
            inhibitors=inhibitors,
            default_language=settings.default_language,
            repeat_interval=policy.repeat_interval,
            now=now,
            basis=basis,
        )


async def scheduled_warnings(context: BotContext) -> None:
    """Job callback: evaluate the job's indicator (the commit wakes the sender)."""
    rt = context.bot_data.runtime
    job = context.job
    assert job is not None and isinstance(job.data, int)
    set_timezone(rt.settings.tz)
    try:
        await asyncio.to_thread(
            run_scheduled,
            engine=rt.engine,
            settings=rt.settings,
            indicator_id=job.data,
            inhibitors=rt.links.alert_inhibitors,
            basis=rt.links.rule_basis,
        )
    except Exception:
        logger.exception("Scheduled warnings run %s failed", job.name)


def schedule_warning_jobs(app: KysoApp) -> list[Policy]:
    """(Re)create each indicator's job from its policy; returns the scheduled policies."""
    rt = app.bot_data.runtime
    queue = app.job_queue
    if queue is None:
        logger.warning("No job queue (python-telegram-bot[job-queue] missing): no weekly warnings")
        return []
    with Session(rt.engine) as session:
        policies = all_policies(session=session, settings=rt.settings)
    scheduled = []
    for policy in policies:
        name = job_name(policy.indicator_code)
        for job in queue.get_jobs_by_name(name):
            job.schedule_removal()
        if not policy.enabled or policy.schedule is None:
            continue
        queue.run_daily(
            scheduled_warnings,
            time=policy.schedule.at.replace(tzinfo=rt.settings.tz),
            days=policy.schedule.ptb_days(),
            name=name,
            data=policy.indicator_id,
            job_kwargs={
                "id": name,
                "replace_existing": True,
                "misfire_grace_time": None,
                "coalesce": True,
            },
        )
        scheduled.append(policy)
    logger.info("Warning jobs: %s", ", ".join(job_name(p.indicator_code) for p in scheduled))
    return scheduled
