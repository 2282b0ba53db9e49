"""The outbox sender: drains due pushes at Telegram's limits and records every outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.core import outbox
from bot.core.leader import live_workers
from bot.core.models import utcnow
from bot.core.outbox_listen import OutboxListener
from bot.core.outbox_sent import Sent
from handlers.context import BotContext
from handlers.replies import NO_RETRY, send_lean
from jobs.outbox_gate import DEFER_AFTER, Limits, RateGate
from jobs.outbox_recorder import (
    FIRST_DELAY,
    MAX_DELAY,
    RECONCILE_SECONDS,
    STUCK_SECONDS,
    Claims,
    Reconciled,
    Write,
    first_line,
)

logger = logging.getLogger(__name__)

_UNREACHABLE_BAD_REQUESTS = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "user is deactivated",
)


# An idle sender that knows nobody committed still looks at the database this often.
IDLE_SECONDS = 60.0


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
    # Changes whenever another connection commits (SQLite: HotReader.version) or a push is
    # queued (PostgreSQL: run() listens for the NOTIFY, bot/core/outbox_listen.py); None when it
    # cannot tell: an idle sender then looks at the database every poll.
    data_version: Callable[[], int | None] = lambda: None

    def __post_init__(self) -> None:
        """Prepare the gate and the wake-up event."""
        self.gate = self.gate or RateGate(self.limits)
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None  # set while run() runs
        self._stopping = asyncio.Event()
        self._migrated: dict[int, int] = {}  # old group id → supergroup id, seen this run
        self.claims = Claims(self.engine)
        self._listening: asyncio.Task[None] | None = None  # PostgreSQL's NOTIFY listener

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
        """Drain until stopped, sleeping until woken or the next poll when idle; reconcile
        this sender's long-held rows now and then (see jobs/outbox_recorder.py)."""
        self._loop = asyncio.get_running_loop()
        logger.info("Outbox sender %s started", self.worker)
        reconciler = asyncio.create_task(self._reconcile_loop(), name="outbox-reconcile")
        if self.engine.dialect.name == "postgresql":  # idle until a NOTIFY, not every poll
            listener = OutboxListener(self.engine, self.wake)
            self.data_version = listener.version
            self._listening = asyncio.create_task(listener.run(), name="outbox-listener")
        try:
            while not self._stopping.is_set():
                version = self.data_version()
                self._wake.clear()
                try:
                    sent = await self.drain_once()
                except Exception:
                    logger.exception("Outbox sender pass failed")
                    sent = 0
                if sent == 0 and not self._stopping.is_set():
                    await self._idle(poll_seconds, version)
        finally:
            helpers = [reconciler] + ([self._listening] if self._listening else [])
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            self._listening = None
        await self.reconcile(stuck_after=0.0)  # nothing is in flight any more
        logger.info("Outbox sender %s stopped", self.worker)

    async def _idle(self, poll_seconds: float, version: int | None) -> None:
        """Nothing was due: sleep until a commit here wakes the sender, the next pending row is
        due, or another process committed (looked at every `poll_seconds` without a thread or
        a query where `data_version` can tell; else the database is asked every poll)."""
        loop = asyncio.get_running_loop()
        wait = poll_seconds
        if version is not None:
            try:
                oldest = (await self.claims.db(lambda s: outbox.backlog(session=s))).oldest_due
            except SQLAlchemyError:
                oldest = None  # look again at the next poll
                version = None
            if oldest is not None:
                wait = (oldest - self.clock()).total_seconds()
            elif version is not None:
                wait = IDLE_SECONDS
        # At least a poll: a due row can wait for an earlier one to the same chat in flight.
        deadline = loop.time() + min(max(wait, poll_seconds), IDLE_SECONDS)
        while not self._wake.is_set():
            try:
                timeout = min(poll_seconds, max(deadline - loop.time(), 0.0))
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
            except TimeoutError:
                if loop.time() >= deadline or version is None or self.data_version() != version:
                    return

    async def _reconcile_loop(self) -> None:
        """reconcile() every RECONCILE_SECONDS."""
        while True:
            await asyncio.sleep(RECONCILE_SECONDS)
            try:
                await self.reconcile()
            except Exception:
                logger.exception("Outbox reconcile failed")

    async def reconcile(self, stuck_after: float = STUCK_SECONDS) -> Reconciled:
        """Rows this sender has held too long: record known outcomes, return abandoned rows to
        pending, leave sends in flight alone."""
        return await self.claims.reconcile(stuck_after)

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
                except Exception:  # reconcile() returns it to pending: sent again (at least once)
                    logger.exception("Outbox row %s: sending failed unexpectedly", row.id)
                    self.claims.abandon(row.id)

        workers = [asyncio.create_task(worker()) for _ in range(self.limits.concurrency)]
        try:
            while not self._stopping.is_set():
                batch = await self._claim()
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

    async def _claim(self) -> list[outbox.Claimed]:
        """The next batch of due rows; a busy database is waited out (off the event loop)."""
        delay = FIRST_DELAY
        while not self._stopping.is_set():
            try:
                batch = await self.claims.db(partial(self._claim_due, now=self.clock()))
            except SQLAlchemyError as exc:
                logger.warning("Outbox: claiming rows failed (%s); trying again", first_line(exc))
                try:
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                except TimeoutError:
                    delay = min(delay * 2, MAX_DELAY)
                continue
            self.claims.hold(batch)
            return batch
        return []

    def _claim_due(self, session: Session, now: dt.datetime) -> list[outbox.Claimed]:
        """claim_due with this sender's batch size and worker id (in a worker thread)."""
        limit, worker = self.limits.batch, self.worker
        return outbox.claim_due(session=session, limit=limit, worker=worker, now=now)

    async def drain_all(self) -> int:
        """Drain until nothing is due (tests, the console, shutdown)."""
        total = 0
        while n := await self.drain_once():
            total += n
        return total

    async def _send(self, row: outbox.Claimed) -> None:
        """Send one row, then record the outcome until it sticks (jobs/outbox_recorder.py)."""
        assert self.gate is not None
        chat_id = self._migrated.get(row.chat_id, row.chat_id)
        async with self.gate.chat_lock(chat_id):
            if self._stopping.is_set():  # not started yet: leave it to the next run
                await self._settle(row, self.claims.release_write(row.id, row.claim))
                return
            delay = self.gate.chat_delay(chat_id)
            if delay > DEFER_AFTER:  # a group's minute is full: free the worker meanwhile
                await self._settle(row, self._defer(row, delay))
                return
            await self.gate.acquire(chat_id)
            if self._stopping.is_set():
                await self._settle(row, self.claims.release_write(row.id, row.claim))
                return
            try:
                try:
                    message_id = await self._deliver(row, chat_id)
                finally:
                    self.gate.done(chat_id)
            except Exception as exc:
                write = self._outcome_of_error(row, exc)
            else:
                self.stats.sent += 1
                write = Sent(row.id, message_id, chat_id, row.claim)
            await self._settle(row, write)

    async def _settle(self, row: outbox.Claimed, write: Write) -> None:
        """Record an outcome, retried until it sticks (bounded only once stopping)."""
        await self.claims.settle(row, write, self._stopping)

    def _outcome_of_error(self, row: outbox.Claimed, exc: Exception) -> Write:
        """What to record after Telegram (or reading the row's photo) refused a send."""
        claim = row.claim
        if isinstance(exc, RetryAfter):
            seconds = exc.retry_after
            wait = seconds.total_seconds() if isinstance(seconds, dt.timedelta) else seconds
            assert self.gate is not None
            self.gate.pause(float(wait))
            self.stats.flood_waits += 1
            return self._retry(row, dt.timedelta(seconds=float(wait)), str(exc), count=False)
        if isinstance(exc, ChatMigrated):
            self.stats.migrated += 1
            self._migrated[row.chat_id] = exc.new_chat_id
            return self._migration(row, exc.new_chat_id, str(exc))
        if isinstance(exc, Forbidden) or (
            isinstance(exc, BadRequest)
            and any(s in exc.message.lower() for s in _UNREACHABLE_BAD_REQUESTS)
        ):
            self.stats.unreachable += 1
            return _write(
                outbox.mark_unreachable,
                outbox_id=row.id,
                chat_id=row.chat_id,
                reason=str(exc),
                claim=claim,
            )
        if isinstance(exc, BadRequest):
            return self._failed(row, f"BadRequest: {exc.message}")
        if isinstance(exc, NetworkError):  # includes TimedOut and 5xx answers
            if row.attempts + 1 >= self.limits.max_attempts:
                return self._failed(row, f"NetworkError: {exc}")
            return self._retry(row, backoff(row.attempts), f"NetworkError: {exc}")
        if isinstance(exc, SQLAlchemyError):  # the photo could not be read: nothing was sent
            logger.warning("Outbox row %s: reading it failed (%s)", row.id, first_line(exc))
            return self._retry(row, dt.timedelta(seconds=1), first_line(exc), count=False)
        logger.error("Unexpected error sending outbox row %s", row.id, exc_info=exc)
        return self._failed(row, f"{type(exc).__name__}: {exc}")

    def _migration(self, row: outbox.Claimed, new_chat_id: int, error: str) -> Write:
        """A group became a supergroup: move its subscription and rows, send again at once."""

        def write(session: Session) -> None:
            if self.on_migrate is not None:
                self.on_migrate(session, row.chat_id, new_chat_id)
            outbox.redirect_chat(session=session, old_chat_id=row.chat_id, new_chat_id=new_chat_id)
            outbox.mark_retry(
                session=session,
                outbox_id=row.id,
                not_before=utcnow(),
                error=error,
                count_attempt=False,
                claim=row.claim,
            )

        return write

    async def _deliver(self, row: outbox.Claimed, chat_id: int) -> int | None:
        """The Bot API call for a row (no retry inside: RetryAfter pauses the whole sender).

        A text goes through the lean path (handlers/replies.send_lean: the stored JSON as it
        is, no Message built from the answer, only its id kept).
        """
        payload = row.payload
        markup = payload.get("reply_markup")
        if row.method == "sendMessage":
            return await send_lean(self.bot, chat_id, payload["text"], markup, retry=False)
        if row.method == "sendPhoto":
            # The application's bot resends replies after a 429 (handlers/replies.py); the
            # sender paces itself, so it asks for no retry.
            own: dict[str, Any] = (
                {"rate_limit_args": NO_RETRY} if getattr(self.bot, "rate_limiter", None) else {}
            )
            sha = payload["photo"]
            data = await self.claims.db(lambda s: outbox.attachment_data(session=s, sha256=sha))
            if data is None:
                raise ValueError(f"outbox attachment {payload['photo']} is missing")
            message = await self.bot.send_photo(
                chat_id,
                InputFile(data, filename="chart.png"),
                caption=payload.get("caption") or None,
                reply_markup=InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None,
                **own,
            )
            return message.message_id
        raise ValueError(f"unsupported outbox method {row.method}")

    def _retry(
        self, row: outbox.Claimed, delay: dt.timedelta, error: str, count: bool = True
    ) -> Write:
        """Back to pending after a delay."""
        self.stats.retried += 1
        return _write(
            outbox.mark_retry,
            outbox_id=row.id,
            not_before=utcnow() + delay,
            error=error,
            count_attempt=count,
            claim=row.claim,
        )

    def _defer(self, row: outbox.Claimed, seconds: float) -> Write:
        """Back to pending until the chat may receive again (no attempt counted)."""
        return _write(
            outbox.mark_retry,
            outbox_id=row.id,
            not_before=self.clock() + dt.timedelta(seconds=seconds),
            error="waiting for the chat's limit",
            count_attempt=False,
            claim=row.claim,
        )

    def _failed(self, row: outbox.Claimed, error: str) -> Write:
        """Give up."""
        self.stats.failed += 1
        logger.warning("Outbox row %s to %s failed: %s", row.id, row.chat_id, error)
        return _write(outbox.mark_failed, outbox_id=row.id, error=error, claim=row.claim)


def _write(mark: Callable[..., object], **kwargs: object) -> Write:
    """An outcome: one of bot.core.outbox's mark_* functions with its arguments."""
    return lambda session: mark(session=session, **kwargs)


RECOVER_SECONDS = 10.0


async def recover_orphans_job(context: BotContext) -> None:
    """Scheduled on the leader: rows of workers that died mid-send are sent by the others."""
    job = context.job
    assert job is not None and isinstance(job.data, OutboxSender)
    sender = job.data
    if await asyncio.to_thread(sender.recover, startup=False):
        sender.wake()
