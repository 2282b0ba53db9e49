"""Long-lived objects one Application shares between handlers and jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.config import Settings
from bot.db import HotReader
from bot.leader import Leadership
from bot.stats import StandingsCache


@dataclass
class Runtime:
    """Settings, database engine and caches, built by the application factory."""

    settings: Settings
    engine: Engine
    standings: StandingsCache = field(default_factory=StandingsCache)
    reader: HotReader = field(init=False)
    wake_sender: Callable[[], None] = field(default=lambda: None)
    # Whether this worker runs the scheduler (bot.leader; decided when the application starts).
    leadership: Leadership = field(
        default_factory=lambda: Leadership(worker_id="single", backend="single")
    )

    def __post_init__(self) -> None:
        """Hot-path reader on the same engine."""
        self.reader = HotReader(self.engine)
