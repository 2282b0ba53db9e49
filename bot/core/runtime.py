"""Long-lived objects one Application shares between handlers and jobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.core.config import Settings
from bot.core.leader import Leadership
from bot.core.links import Links
from bot.core.metrics import Metrics
from bot.core.models import utcnow
from bot.core.people import ViewerCache
from bot.core.reader import HotReader
from bot.core.stats import StandingsCache


@dataclass
class Runtime:
    """Settings, database engine and caches, built by the application factory."""

    settings: Settings
    engine: Engine
    standings: StandingsCache = field(default_factory=StandingsCache)
    reader: HotReader = field(init=False)
    # Identity rows of recent askers, emptied by any committed write (bot.core.people).
    viewers: ViewerCache = field(default_factory=ViewerCache)
    # "Now" for schedules, deadlines and the outbox; tests and the console demo replace it with
    # a simulated clock (bot.core.clock.SimulatedClock).
    clock: Callable[[], dt.datetime] = field(default=utcnow)
    metrics: Metrics = field(default_factory=Metrics)
    # How features reach each other (bot.features.links, set by the factory).
    links: Links = field(default_factory=Links)
    # Whether this process runs the scheduled jobs (leader election with several workers);
    # reported by /healthz. A single process is always the leader.
    is_leader: Callable[[], bool] = field(default=lambda: True)
    # Whether this worker runs the scheduler (bot.core.leader; decided when the application starts).
    leadership: Leadership = field(
        default_factory=lambda: Leadership(worker_id="single", backend="single")
    )

    def __post_init__(self) -> None:
        """Hot-path reader on the same engine."""
        self.reader = HotReader(self.engine)
