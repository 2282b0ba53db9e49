"""Shared set-up for the benches: synthetic tables, a populated database, logging, RSS."""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from bot.core.config import Settings
from bot.core.models import AppUser, Official, Role, Unit
from bot.features import links
from bot.imports.apply import import_statistics

TOKEN = "123456:BENCH"

# Three weekly-ish periods, oldest first (the national-scale run uses all three).
PERIODS = (
    (dt.date(2026, 6, 1), dt.date(2026, 6, 7)),
    (dt.date(2026, 6, 8), dt.date(2026, 6, 22)),
    (dt.date(2026, 6, 23), dt.date(2026, 6, 30)),
)


def make_table(units: int, seed: int) -> bytes:
    """A TSV in the published layout with `units` synthetic communes."""
    rng = random.Random(seed)
    lines = ["STT\tĐơn vị\tTổng số lượng văn bản đi\tSố lượng văn bản ký số điện tử"]
    for i in range(1, units + 1):
        total = rng.randint(5, 150)
        signed = rng.randint(0, total)
        lines.append(f"{i}\tĐảng ủy xã Thử Nghiệm {i:05d}\t{total}\t{signed}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def settings_for(database_url: str, **extra: object) -> Settings:
    """Settings as a deployment would have them, without reading .env."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=database_url,
        **extra,  # type: ignore[arg-type]
    )


def import_period(engine: Engine, settings: Settings, units: int, index: int) -> float:
    """Import period `index` (0, 1, 2) through the real importer; seconds taken."""
    start, end = PERIODS[index]
    t0 = time.perf_counter()
    with Session(engine) as session:
        import_statistics(
            session=session,
            data=make_table(units, index + 1),
            filename=f"p{index + 1}.tsv",
            period_start=start,
            period_end=end,
            tz=settings.tz,
            after_import=links(default_language="vi").after_import,
        )
    return time.perf_counter() - t0


def link_heads(engine: Engine, count: int, *, seed: int = 3, first_id: int = 10_000) -> list[int]:
    """`count` people who started the bot, each the head of a random unit; their ids."""
    with Session(engine) as session:
        unit_ids = list(session.exec(select(Unit.id)))
        rng = random.Random(seed)
        pairs = [(first_id + i, rng.choice(unit_ids)) for i in range(count)]
        session.execute(
            insert(AppUser), [{"telegram_id": t, "display_name": f"u{t}"} for t, _ in pairs]
        )
        session.execute(
            insert(Official),
            [
                {"telegram_id": t, "unit_id": u, "role": Role.HEAD.value, "active": True}
                for t, u in pairs
            ],
        )
        session.commit()
    return [t for t, _ in pairs]


def bot_logging(settings: Settings, path: Path) -> IO[str]:
    """Logging exactly as `bot run` sets it up (format, level, filters), into a file."""
    from bot.cli import setup_logging

    setup_logging(settings)
    stream = path.open("a", encoding="utf-8")
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    return stream


def rss_mib() -> float:
    """Resident set size of this process, MiB."""
    return _status_kib("VmRSS") / 1024


def peak_rss_mib() -> float:
    """Peak resident set size of this process, MiB."""
    return _status_kib("VmHWM") / 1024


def _status_kib(field: str) -> int:
    """One kB field of /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@dataclass(frozen=True)
class Spread:
    """Median and range of a list of figures."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """Summarise figures."""
        return cls(statistics.median(values), min(values), max(values))

    def text(self, fmt: str = ".2f") -> str:
        """'median (low–high)'."""
        return f"{self.median:{fmt}} ({self.low:{fmt}}–{self.high:{fmt}})"


def load_average() -> str:
    """The 1-minute load average, as a hint of how shared the machine was."""
    return f"{os.getloadavg()[0]:.1f}"
