"""Shared set-up for the benches: synthetic tables, a populated database, logging, RSS."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, insert
from sqlmodel import Session, col, select

from bot.core.config import Settings
from bot.core.links import AfterImport
from bot.core.models import AppUser, Official, OutboxMessage, OutboxStatus, Role, Unit
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


def import_period(
    engine: Engine,
    settings: Settings,
    units: int,
    index: int,
    after_import: tuple[AfterImport, ...] | None = None,
) -> float:
    """Import period `index` (0, 1, 2) through the real importer (with the bot's after-import
    listeners unless others are given); seconds taken."""
    start, end = PERIODS[index]
    if after_import is None:
        after_import = links(default_language="vi").after_import
    t0 = time.perf_counter()
    with Session(engine) as session:
        import_statistics(
            session=session,
            data=make_table(units, index + 1),
            filename=f"p{index + 1}.tsv",
            period_start=start,
            period_end=end,
            tz=settings.tz,
            after_import=after_import,
        )
    return time.perf_counter() - t0


def link_heads(
    engine: Engine,
    count: int,
    *,
    seed: int = 3,
    first_id: int = 10_000,
    every_unit: bool = False,
    role: Role = Role.HEAD,
) -> list[int]:
    """`count` people who started the bot, each the head (or `role`) of a random unit (with
    `every_unit`, unit after unit, so that every unit has one); their ids."""
    with Session(engine) as session:
        unit_ids = sorted(session.exec(select(Unit.id)))
        rng = random.Random(seed)
        pairs = [
            (first_id + i, unit_ids[i % len(unit_ids)] if every_unit else rng.choice(unit_ids))
            for i in range(count)
        ]
        session.execute(
            insert(AppUser), [{"telegram_id": t, "display_name": f"u{t}"} for t, _ in pairs]
        )
        session.execute(
            insert(Official),
            [
                {"telegram_id": t, "unit_id": u, "role": role.value, "active": True}
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


def peak_rss_getrusage_mib() -> float:
    """Peak resident set size of this process (getrusage ru_maxrss), MiB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Phase:
    """Wall and CPU time (this process, every thread) of one timed step."""

    name: str
    wall: float = 0.0
    cpu: float = 0.0
    note: str = ""
    load: str = ""


class Phases:
    """Times named steps (wall and process CPU) and prints them as a table."""

    def __init__(self) -> None:
        """No step yet."""
        self.done: list[Phase] = []

    @contextlib.contextmanager
    def time(self, name: str) -> Any:
        """Time the block; yields the Phase (set `.note` to add a figure)."""
        phase = Phase(name)
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield phase
        finally:
            phase.wall = time.perf_counter() - wall
            phase.cpu = time.process_time() - cpu
            phase.load = load_average()
            self.done.append(phase)
            print(f"  {name}: {phase.wall:.2f} s wall, {phase.cpu:.2f} s CPU", flush=True)

    def table(self) -> str:
        """One line per step: wall s, CPU s, load average, note."""
        width = max((len(p.name) for p in self.done), default=10)
        lines = [f"{'step':<{width}}  {'wall s':>8}  {'CPU s':>8}  {'load':>5}  figures"]
        for p in self.done:
            lines.append(f"{p.name:<{width}}  {p.wall:8.2f}  {p.cpu:8.2f}  {p.load:>5}  {p.note}")
        return "\n".join(lines)


class Driver:
    """Feeds updates to a real Application on the offline Bot API and reads its keyboards."""

    def __init__(self, app: Any, request: Any) -> None:
        """Wrap an initialised application and its OfflineRequest."""
        self.app = app
        self.request = request

    async def send(self, user_id: int, text: str, **kwargs: Any) -> None:
        """A text message from a user."""
        from telegram import Update

        from bot.offline import message_update

        payload = message_update(user_id, text, **kwargs)
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    async def press(self, user_id: int, data: str, **kwargs: Any) -> None:
        """A button pressed by a user."""
        from telegram import Update

        from bot.offline import callback_update

        payload = callback_update(user_id, data, message_id=1, **kwargs)
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    async def send_document(self, user_id: int, data: bytes, name: str, **kwargs: Any) -> None:
        """A file sent by a user (served by the offline Bot API)."""
        from telegram import Update

        from bot.offline import document_update

        file_id = f"file{len(self.request.files) + 1}"
        self.request.files[file_id] = data
        payload = document_update(
            user_id, file_id=file_id, file_name=name, file_size=len(data), **kwargs
        )
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    def button(self, label_start: str) -> str:
        """Callback data of the last keyboard's button whose label starts so."""
        for call in reversed(self.request.calls):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                for row in markup["inline_keyboard"]:
                    for b in row:
                        if str(b["text"]).startswith(label_start):
                            return str(b["callback_data"])
                raise LookupError(label_start)
        raise LookupError(label_start)


class LagMeter:
    """A 10 ms ticker on the event loop: how late each tick woke up (the loop's lag)."""

    def __init__(self, interval: float = 0.010) -> None:
        """Not started."""
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        """Tick until cancelled."""
        while True:
            start = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.lags.append(time.perf_counter() - start - self.interval)

    def start(self) -> None:
        """Start ticking."""
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop ticking."""
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def summary(self) -> str:
        """max, p99, p50 of the lag in ms, and the number of ticks."""
        lags = sorted(self.lags) or [0.0]
        p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
        return (
            f"max {lags[-1] * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"p50 {lags[len(lags) // 2] * 1000:.1f} ms over {len(self.lags):,} ticks"
        )

    @property
    def max_ms(self) -> float:
        """The longest lag, ms."""
        return max(self.lags, default=0.0) * 1000


# Frames where a worker thread waits rather than computes (not what holds the loop back).
IDLE_FRAMES = ("in wait", "in _worker", "in get", "in select", "in serve_forever", "in _watch")


class StallSpy:
    """(Diagnosis) Samples the loop thread's stack while it has not ticked for 50 ms."""

    def __init__(self, meter: LagMeter, threshold: float = 0.05) -> None:
        """Watch the meter's ticks."""
        import threading

        self.meter, self.threshold = meter, threshold
        self.loop_thread = threading.get_ident()
        self.stop = threading.Event()
        self.stalls: list[tuple[float, dict[str, int]]] = []
        self.others: dict[str, int] = {}  # busy worker threads' stacks during stalls
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        """Sample the loop thread's stack every 10 ms of a stall."""
        import threading
        import traceback

        last_count, last_change = 0, time.perf_counter()
        samples: dict[str, int] = {}
        while not self.stop.wait(0.01):
            count = len(self.meter.lags)
            now = time.perf_counter()
            if count != last_count:
                if samples:
                    self.stalls.append((now - last_change, samples))
                last_count, last_change, samples = count, now, {}
            elif now - last_change > self.threshold:
                frames = sys._current_frames()
                frame = frames.get(self.loop_thread)
                if frame is not None:
                    stack = "".join(traceback.format_stack(frame)[-14:])
                    samples[stack] = samples.get(stack, 0) + 1
                for ident, other in frames.items():  # what the other threads were doing
                    if ident in (self.loop_thread, threading.get_ident()):
                        continue
                    top = traceback.format_stack(other)[-6:]
                    if any(w in top[-1] for w in IDLE_FRAMES):
                        continue
                    key = "".join(top)
                    self.others[key] = self.others.get(key, 0) + 1

    def report(self) -> None:
        """Print the longest stalls with their most sampled stacks."""
        self.stop.set()
        for seconds, samples in sorted(self.stalls, key=lambda x: -x[0])[:6]:
            stack, n = max(samples.items(), key=lambda kv: kv[1])
            print(
                f"--- stall of {seconds * 1000:.0f} ms, {n} sample(s) in:\n{stack}", file=sys.stderr
            )
        for stack, n in sorted(self.others.items(), key=lambda kv: -kv[1])[:6]:
            print(f"--- another thread busy during stalls ({n} samples):\n{stack}", file=sys.stderr)


def unsettled(engine: Engine) -> int:
    """Outbox rows still pending or being sent."""
    with Session(engine) as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    col(OutboxMessage.status).in_(
                        [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]
                    )
                )
            ).one()
        )
