"""The job queue of a worker: scheduled jobs run only while this worker is the leader."""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING
from telegram.ext import JobQueue

from bot.core.leader import Leadership
from handlers.context import BotContext

logger = logging.getLogger(__name__)

# A job whose time passed while no worker was leader (a takeover takes a few seconds) still
# runs if it is at most this late; missed runs are coalesced into one.
JOB_DEFAULTS = {"misfire_grace_time": 300, "coalesce": True}


class LeaderJobQueue(JobQueue[BotContext]):
    """PTB's JobQueue, paused on followers and resumed when this worker becomes the leader."""

    leadership: Leadership | None = None

    def set_application(self, application: Any) -> None:
        """Also set the job defaults (configure() replaces PTB's settings, so repeat them)."""
        super().set_application(application)
        self.scheduler.configure(job_defaults=JOB_DEFAULTS, **self.scheduler_configuration)

    @property
    def leading(self) -> bool:
        """True if this worker should run jobs."""
        return self.leadership is None or self.leadership.is_leader

    async def start(self) -> None:
        """Start the scheduler, paused unless this worker is the leader."""
        if not self.scheduler.running:
            self.scheduler.start(paused=not self.leading)

    def align(self) -> None:
        """Pause or resume to match the current leadership."""
        state = self.scheduler.state
        if self.leading and state == STATE_PAUSED:
            logger.info("Scheduler resumed: this worker is the leader")
            self.scheduler.resume()
        elif not self.leading and state == STATE_RUNNING:
            logger.info("Scheduler paused: another worker is the leader")
            self.scheduler.pause()
