"""The outbox sender: drains due pushes at Telegram's limits and records every outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.core import outbox
from bot.core.leader import live_workers
from bot.core.models import utcnow
from handlers.context import BotContext

logger = logging.getLogger(__name__)

_UNREACHABLE_BAD_REQUESTS = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "user is deactivated",
)


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits, with headroom (see the Bot FAQ and OUTBOX_RATE_PER_SECOND)."""

    overall_per_second: float = 27.0
    private_interval: float = 1.0
    group_per_minute: int = 20
    concurrency: int = 16
    max_attempts: int = 10
    batch: int = 100


class RateGate:
    """Decides when the next message may go: overall pace, per-chat spacing, flood pauses.

    The overall pace is an even grid of 1/rate slots (a GCRA pacer): a send that wakes up a
    little late keeps the grid instead of drifting, no two sends are closer than half a slot,
    and a sliding window allows at most `overall_per_second` sends in any second.
    A chat's next message is timed from when Telegram answered the previous one, which is after
    Telegram counted it, so a slow answer cannot bring two messages too close on its side.
    """

    def __init__(
        self,
        limits: Limits,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Start with no history."""
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._interval = 1.0 / limits.overall_per_second
        self._tolerance = self._interval / 2
        self._per_window = max(1, math.floor(limits.overall_per_second))
        self._next_global = 0.0  # the next slot of the grid
        self._window: deque[float] = deque()  # sends in the last second
        self._paused_until = 0.0
        self._next_private: dict[int, float] = {}
        self._group_times: dict[int, deque[float]] = {}
        self._chat_locks: dict[int, asyncio.Lock] = {}

    def pause(self, seconds: float) -> None:
        """Telegram asked us to wait (RetryAfter): hold every send that long."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def chat_lock(self, chat_id: int) -> asyncio.Lock:
        """Serialises sends to one chat so parts arrive in order and spaced."""
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = self._chat_locks[chat_id] = asyncio.Lock()
        return lock

    def _chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may receive again."""
        if chat_id > 0:
            return self._next_private.get(chat_id, 0.0) - now
        times = self._group_times.get(chat_id)
        if times is None or len(times) < self.limits.group_per_minute:
            return 0.0
        return times[0] + 60.0 - now

    def _window_wait(self, now: float) -> float:
        """Seconds until the last second holds fewer than the allowed number of sends."""
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) < self._per_window:
            return 0.0
        return window[0] + 1.0 - now

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to `chat_id` is allowed, then book the slot."""
        while True:
            now = self.clock()
            wait = max(
                self._paused_until - now,
                self._next_global - now,
                self._chat_wait(chat_id, now),
                self._window_wait(now),
            )
            if wait <= 0:
                break
            await self.sleep(wait)
        # Keep the grid when up to half a slot late (a late wake-up must not slow the pace);
        # later than that, restart it from now: never two sends closer than half a slot.
        self._next_global = max(
            self._next_global + self._interval, now + self._interval - self._tolerance
        )
        self._window.append(now)
        if chat_id > 0:
            self._next_private[chat_id] = now + self.limits.private_interval
        else:
            times = self._group_times.setdefault(chat_id, deque())
            times.append(now)
            while len(times) > self.limits.group_per_minute:
                times.popleft()

    def done(self, chat_id: int) -> None:
        """Telegram answered the send booked for `chat_id`: time the chat's next one from now."""
        now = self.clock()
        if chat_id > 0:
            self._next_private[chat_id] = max(
                self._next_private.get(chat_id, 0.0), now + self.limits.private_interval
            )
        elif times := self._group_times.get(chat_id):
            times[-1] = max(times[-1], now)


def backoff(attempts: int) -> dt.timedelta:
    """Retry delay after a transient failure: 5 s, 10 s, 20 s … capped at 15 minutes."""
    return dt.timedelta(seconds=min(5 * 2 ** max(0, attempts), 900))


@dataclass
class SenderStats:
    """Counts since start, for logs and health."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    flood_waits: int = 0
    migrated: int = 0


@dataclass
class OutboxSender:
    """Claims due rows and sends them with bounded concurrency under the rate gate."""

    engine: Engine
    bot: Bot
    limits: Limits = field(default_factory=Limits)
    worker: str = field(default_factory=lambda: f"pid{os.getpid()}")
    gate: RateGate | None = None
    on_migrate: Callable[[Session, int, int], None] | None = None
    stats: SenderStats = field(default_factory=SenderStats)
    clock: Callable[[], dt.datetime] = utcnow  # what counts as due (a simulated clock in demos)

    def __post_init__(self) -> None:
        """Prepare the gate and the wake-up event."""
        self.gate = self.gate or RateGate(self.limits)
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None  # set while run() runs
        self._stopping = asyncio.Event()
        self._migrated: dict[int, int] = {}  # old group id → supergroup id, seen this run

    def wake(self) -> None:
        """Something was enqueued: look now instead of at the next poll (from any thread: the
        commit that queued the push may run in a worker thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._wake.set()
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        """Finish the rows already claimed and stop."""
        self._stopping.set()
        self._wake.set()

    def recover(self, *, startup: bool = True) -> int:
        """Rows that dead senders left in flight go back to pending.

        With one worker (SQLite) everything still "sending" at start-up is a previous run's; with
        several (PostgreSQL) only rows whose worker no longer holds its lock are recovered.
        """
        with Session(self.engine) as session:
            live = live_workers(session=session)
            if live is None:
                return outbox.recover_stale(session=session) if startup else 0
            return outbox.recover_orphans(session=session, live_workers=live | {self.worker})

    async def run(self, poll_seconds: float = 1.0) -> None:
        """Drain until stopped, sleeping until woken or the next poll when idle."""
        self._loop = asyncio.get_running_loop()
        logger.info("Outbox sender %s started", self.worker)
        while not self._stopping.is_set():
            try:
                sent = await self.drain_once()
            except Exception:
                logger.exception("Outbox sender pass failed")
                sent = 0
            if sent == 0 and not self._stopping.is_set():
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
                except TimeoutError:
                    pass
        logger.info("Outbox sender %s stopped", self.worker)

    async def drain_once(self) -> int:
        """Send due rows until none is left; returns how many were handled.

        `concurrency` workers take claimed rows from a queue; the next batch is claimed while
        the queue still holds a few rows, so the database never leaves the workers idle. On
        stop(), no new batch is claimed and the rows already claimed are finished.
        """
        queue: asyncio.Queue[outbox.Claimed | None] = asyncio.Queue()
        low_water = self.limits.concurrency
        room = asyncio.Event()
        handled = 0

        async def worker() -> None:
            while (row := await queue.get()) is not None:
                if queue.qsize() <= low_water:
                    room.set()
                try:
                    await self._send(row)
                except Exception:  # the row stays "sending" until recover() at the next start
                    logger.exception("Outbox row %s: recording the outcome failed", row.id)

        workers = [asyncio.create_task(worker()) for _ in range(self.limits.concurrency)]
        try:
            while not self._stopping.is_set():
                with Session(self.engine) as session:
                    batch = outbox.claim_due(
                        session=session,
                        limit=self.limits.batch,
                        worker=self.worker,
                        now=self.clock(),
                    )
                if not batch:
                    break
                handled += len(batch)
                for row in batch:
                    queue.put_nowait(row)
                while queue.qsize() > low_water and not self._stopping.is_set():
                    room.clear()
                    await room.wait()
        finally:
            for _ in workers:
                queue.put_nowait(None)
            await asyncio.gather(*workers)
        return handled

    async def drain_all(self) -> int:
        """Drain until nothing is due (tests, the console, shutdown)."""
        total = 0
        while n := await self.drain_once():
            total += n
        return total

    async def _send(self, row: outbox.Claimed) -> None:
        """Send one row and record the outcome; never raises."""
        assert self.gate is not None
        chat_id = self._migrated.get(row.chat_id, row.chat_id)
        async with self.gate.chat_lock(chat_id):
            if self._stopping.is_set():  # not started yet: leave it to the next run
                self._release(row)
                return
            await self.gate.acquire(chat_id)
            if self._stopping.is_set():
                self._release(row)
                return
            try:
                try:
                    message_id = await self._deliver(row, chat_id)
                finally:
                    self.gate.done(chat_id)
            except RetryAfter as exc:
                seconds = exc.retry_after
                wait = seconds.total_seconds() if isinstance(seconds, dt.timedelta) else seconds
                self.gate.pause(float(wait))
                self.stats.flood_waits += 1
                self._record_retry(row, dt.timedelta(seconds=float(wait)), str(exc), count=False)
            except ChatMigrated as exc:
                self.stats.migrated += 1
                self._migrated[row.chat_id] = exc.new_chat_id
                with Session(self.engine) as session:
                    if self.on_migrate is not None:
                        self.on_migrate(session, row.chat_id, exc.new_chat_id)
                    outbox.redirect_chat(
                        session=session, old_chat_id=row.chat_id, new_chat_id=exc.new_chat_id
                    )
                    outbox.mark_retry(
                        session=session,
                        outbox_id=row.id,
                        not_before=utcnow(),
                        error=str(exc),
                        count_attempt=False,
                    )
                    session.commit()
            except Forbidden as exc:
                self._record_unreachable(row, str(exc))
            except BadRequest as exc:
                if any(s in exc.message.lower() for s in _UNREACHABLE_BAD_REQUESTS):
                    self._record_unreachable(row, str(exc))
                else:
                    self._record_failed(row, f"BadRequest: {exc.message}")
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                if row.attempts + 1 >= self.limits.max_attempts:
                    self._record_failed(row, f"NetworkError: {exc}")
                else:
                    self._record_retry(row, backoff(row.attempts), f"NetworkError: {exc}")
            except Exception as exc:
                logger.exception("Unexpected error sending outbox row %s", row.id)
                self._record_failed(row, f"{type(exc).__name__}: {exc}")
            else:
                with Session(self.engine) as session:
                    outbox.mark_sent(
                        session=session, outbox_id=row.id, message_id=message_id, chat_id=chat_id
                    )
                    session.commit()
                self.stats.sent += 1

    async def _deliver(self, row: outbox.Claimed, chat_id: int) -> int | None:
        """The Bot API call for a row."""
        payload = row.payload
        markup = payload.get("reply_markup")
        reply_markup = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        if row.method == "sendMessage":
            message = await self.bot.send_message(
                chat_id, payload["text"], reply_markup=reply_markup
            )
            return message.message_id
        if row.method == "sendPhoto":
            with Session(self.engine) as session:
                data = outbox.attachment_data(session=session, sha256=payload["photo"])
            if data is None:
                raise ValueError(f"outbox attachment {payload['photo']} is missing")
            message = await self.bot.send_photo(
                chat_id,
                InputFile(data, filename="chart.png"),
                caption=payload.get("caption") or None,
                reply_markup=reply_markup,
            )
            return message.message_id
        raise ValueError(f"unsupported outbox method {row.method}")

    def _record_retry(
        self, row: outbox.Claimed, delay: dt.timedelta, error: str, count: bool = True
    ) -> None:
        """Back to pending after a delay."""
        self.stats.retried += 1
        with Session(self.engine) as session:
            outbox.mark_retry(
                session=session,
                outbox_id=row.id,
                not_before=utcnow() + delay,
                error=error,
                count_attempt=count,
            )
            session.commit()

    def _release(self, row: outbox.Claimed) -> None:
        """Stopping: a claimed row that was not sent goes back to pending as it was."""
        with Session(self.engine) as session:
            outbox.release(session=session, outbox_id=row.id)
            session.commit()

    def _record_failed(self, row: outbox.Claimed, error: str) -> None:
        """Give up."""
        self.stats.failed += 1
        logger.warning("Outbox row %s to %s failed: %s", row.id, row.chat_id, error)
        with Session(self.engine) as session:
            outbox.mark_failed(session=session, outbox_id=row.id, error=error)
            session.commit()

    def _record_unreachable(self, row: outbox.Claimed, reason: str) -> None:
        """Blocked, kicked or never started."""
        self.stats.unreachable += 1
        with Session(self.engine) as session:
            outbox.mark_unreachable(
                session=session, outbox_id=row.id, chat_id=row.chat_id, reason=reason
            )
            session.commit()


RECOVER_SECONDS = 10.0


async def recover_orphans_job(context: BotContext) -> None:
    """Scheduled on the leader: rows of workers that died mid-send are sent by the others."""
    sender: OutboxSender = context.job.data  # type: ignore[union-attr,assignment]
    if await asyncio.to_thread(sender.recover, startup=False):
        sender.wake()
