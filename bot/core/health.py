"""Health of one running bot: database, scheduler, sender and outbox backlog."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session

from bot.core import outbox
from bot.core.metrics import pending_age

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    """What /healthz reports."""

    database: bool
    scheduler_running: bool
    sender_running: bool
    leader: bool
    pending: int | None
    oldest_pending_age: float | None

    @property
    def healthy(self) -> bool:
        """Database reachable, and this process's scheduler and sender are running."""
        return self.database and self.scheduler_running and self.sender_running

    def as_dict(self) -> dict[str, Any]:
        """The JSON body of /healthz."""
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "database": "ok" if self.database else "unreachable",
            # A follower's scheduler is paused until it wins the election: "standby".
            "scheduler": (
                ("running" if self.leader else "standby") if self.scheduler_running else "stopped"
            ),
            "leader": self.leader,
            "sender": "running" if self.sender_running else "stopped",
            "outbox": {
                "pending": self.pending,
                "oldest_pending_age_seconds": (
                    None if self.oldest_pending_age is None else round(self.oldest_pending_age, 1)
                ),
            },
        }


def probe_database(engine: Engine) -> outbox.Backlog | None:
    """SELECT 1 and the outbox backlog; None when the database does not answer (blocking)."""
    try:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            return outbox.backlog(session=session)
    except Exception:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return None


def check(
    *,
    engine: Engine,
    scheduler_running: bool,
    sender_running: bool,
    leader: bool = True,
) -> Health:
    """Probe the database and combine it with the process's own state (blocking)."""
    backlog = probe_database(engine)
    return Health(
        database=backlog is not None,
        scheduler_running=scheduler_running,
        sender_running=sender_running,
        leader=leader,
        pending=backlog.pending if backlog else None,
        oldest_pending_age=pending_age(backlog) if backlog else None,
    )
