"""The sender's claimed rows until their outcome is written: nothing stays "sending".

Database work of the sender (claiming, recording, reading a photo) runs in a worker thread, a
few at a time, so a locked SQLite file or a slow server never blocks the event loop: replies to
users keep flowing while the sender waits.

The rule, for the rows one sender claimed (`Claims.held`):

- **Telegram answered** → the outcome (sent, retry later, failed, unreachable) is written and,
  if the database refuses (locked, restarting, unreachable), written again with backoff until
  it sticks. Writes only apply while the row is still "sending" under this claim's token, so a
  second write of the same outcome changes nothing.
- **reconcile()** (every RECONCILE_SECONDS while the sender runs, and once when it stops)
  looks at the rows held longer than STUCK_SECONDS:
  * the send is still in flight (queued, waiting for the rate gate or a flood wait, or the
    Bot API call not answered yet): left alone — sending it again could deliver it twice;
  * Telegram answered but the outcome is not written yet: written now;
  * its handling ended without an answer (an unexpected error): returned to pending at once,
    whatever its age, and sent again, as after a crash (delivery is at-least-once).
- **Stopping**: an outcome that still cannot be written STOP_GRACE seconds after the stop
  stays "sending" in the database; the next start returns it to pending (it may then arrive
  twice). Rows of a dead worker are recovered by `OutboxSender.recover`, not here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.core import outbox
from bot.core.outbox_sent import Sent, mark_sent_many

logger = logging.getLogger(__name__)

T = TypeVar("T")
Write = Callable[[Session], object]  # one outcome, written in the caller's session

RECONCILE_SECONDS = 30.0
STUCK_SECONDS = 60.0
STOP_GRACE = 30.0
FIRST_DELAY = 0.05
MAX_DELAY = 5.0
DB_THREADS = 2  # database calls of one sender at once (SQLite writes one at a time anyway)


def first_line(exc: BaseException) -> str:
    """The driver's first line of an error, for a one-line log."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@dataclass
class Claim:
    """One held row: its claim token, when it was claimed, and its outcome once known."""

    token: str
    since: float
    write: Write | None = None
    ended: bool = False  # handled without an outcome: to be returned to pending


@dataclass
class Reconciled:
    """What one reconcile pass did."""

    recorded: int = 0
    released: int = 0
    in_flight: int = 0


@dataclass
class Claims:
    """Rows this sender claimed and has not finished with, and its database calls."""

    engine: Engine
    clock: Callable[[], float] = time.monotonic
    held: dict[int, Claim] = field(default_factory=dict)
    write_retries: int = 0

    def __post_init__(self) -> None:
        """At most DB_THREADS database calls at once."""
        self._slots = asyncio.Semaphore(DB_THREADS)
        self._batch: list[Sent] = []  # "sent" outcomes waiting for the next batched write
        self._batch_done: asyncio.Future[bool] | None = None
        self._flushing = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self.batched_writes = 0  # statements that recorded several rows at once

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a session in a worker thread and commit; returns its result."""

        def run() -> T:
            with Session(self.engine) as session:
                result = work(session)
                session.commit()
                return result

        async with self._slots:
            return await asyncio.to_thread(run)

    def hold(self, rows: list[outbox.Claimed]) -> None:
        """Rows just claimed: in flight from now on."""
        now = self.clock()
        for row in rows:
            self.held[row.id] = Claim(row.claim, now)

    def abandon(self, row_id: int) -> None:
        """The row's handling ended without an outcome: reconcile() returns it to pending."""
        claim = self.held.get(row_id)
        if claim is not None and claim.write is None:
            claim.ended = True

    async def settle(self, row: outbox.Claimed, write: Write, stopping: asyncio.Event) -> bool:
        """Write a row's outcome, again and again until it sticks; False if given up at stop."""
        claim = self.held.setdefault(row.id, Claim(row.claim, self.clock()))
        claim.write = write
        if isinstance(write, Sent) and await self._together(write):
            if self.held.get(row.id) is claim:
                self.held.pop(row.id)
            return True
        delay, failures, stop_seen = FIRST_DELAY, 0, None
        while self.held.get(row.id) is claim:
            try:
                await self.db(write)
            except SQLAlchemyError as exc:
                failures += 1
                self.write_retries += 1
                if failures == 1 or failures % 20 == 0:
                    logger.warning(
                        "Outbox row %s: recording the outcome failed %d time(s) (%s); trying again",
                        row.id,
                        failures,
                        first_line(exc),
                    )
                if stopping.is_set():
                    stop_seen = stop_seen if stop_seen is not None else self.clock()
                    if self.clock() - stop_seen > STOP_GRACE:
                        logger.error(
                            "Outbox row %s: outcome still not recorded at stop; it stays "
                            "'sending' and is sent again after the next start",
                            row.id,
                        )
                        self.held.pop(row.id, None)
                        return False
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)
                continue
            if failures:
                logger.info("Outbox row %s: outcome recorded after %d retries", row.id, failures)
            self.held.pop(row.id, None)
        return True

    async def _together(self, sent: Sent) -> bool:
        """Record a "sent" outcome with the others of the moment, in one statement; False if
        that write failed (the caller then writes it alone, retrying until it sticks)."""
        if self._batch_done is None:
            self._batch_done = asyncio.get_running_loop().create_future()
            task = asyncio.create_task(self._flush())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        done = self._batch_done
        self._batch.append(sent)
        return await asyncio.shield(done)

    async def _flush(self) -> None:
        """Write the collected "sent" outcomes once the previous batch is written (outcomes
        arriving meanwhile join this batch)."""
        async with self._flushing:
            batch, done = self._batch, self._batch_done
            self._batch, self._batch_done = [], None
            assert done is not None
            try:
                await self.db(lambda session: mark_sent_many(session=session, sent=batch))
            except SQLAlchemyError as exc:
                logger.warning(
                    "Outbox: recording %d sends at once failed (%s); one by one",
                    len(batch),
                    first_line(exc),
                )
                done.set_result(False)
            except BaseException:
                done.set_result(False)
                raise
            else:
                self.batched_writes += len(batch) > 1
                done.set_result(True)

    def release_write(self, row_id: int, token: str) -> Write:
        """The write that returns a held row to pending, as it was."""
        return lambda session: outbox.release(session=session, outbox_id=row_id, claim=token)

    async def reconcile(self, stuck_after: float = STUCK_SECONDS) -> Reconciled:
        """Settle the rows held too long (see the module's rule); never re-sends one in flight."""
        done = Reconciled()
        now = self.clock()
        for row_id, claim in list(self.held.items()):
            if claim.write is None and not claim.ended:
                if now - claim.since >= stuck_after:
                    done.in_flight += 1
                continue
            if claim.write is not None and now - claim.since < stuck_after:
                continue  # its own settle() is writing it
            write = claim.write or self.release_write(row_id, claim.token)
            try:
                await self.db(write)
            except SQLAlchemyError as exc:
                logger.warning("Outbox row %s: reconciling failed (%s)", row_id, first_line(exc))
                continue
            if self.held.get(row_id) is claim:
                self.held.pop(row_id)
                if claim.write is not None:
                    done.recorded += 1
                else:
                    done.released += 1
        if done.recorded or done.released:
            logger.warning(
                "Outbox reconciled: %d outcome(s) recorded, %d row(s) returned to pending",
                done.recorded,
                done.released,
            )
        if done.in_flight:
            logger.info("Outbox: %d send(s) in flight for over %g s", done.in_flight, stuck_after)
        return done
