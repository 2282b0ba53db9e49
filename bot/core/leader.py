"""Which worker runs the scheduler: one leader elected through a PostgreSQL advisory lock.

Any number of workers (`python -m bot run`) may share a PostgreSQL database. Every worker sends
the outbox; exactly one, the leader, runs the scheduled jobs (and, with long polling, fetches
updates, since Telegram serves getUpdates to one client only). Each worker holds, on one
dedicated connection kept for its whole life:

- a worker lock (class WORKER_LOCK_CLASS, its random key), which tells the others it is alive,
  so rows it left "sending" are recovered only once it is dead;
- while leader, the scheduler lock (SCHEDULER_LOCK).

PostgreSQL releases both the moment the connection ends — a killed process, a crashed machine
(after `idle_session_timeout`) — and a follower, retrying every few seconds, takes over.
SQLite allows one worker: it is always the leader, and a second `run` on the same file is refused.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlmodel import Session

from bot.core.db import DatabaseSetupError
from bot.core.i18n import _
from bot.core.models import utcnow

logger = logging.getLogger(__name__)

LOCK_CLASS = 0x6B79_736F  # "kyso"; two-int advisory lock keys (classid, objid)
SCHEDULER_LOCK = (LOCK_CLASS, 1)
WORKER_LOCK_CLASS = LOCK_CLASS + 1
CHECK_SECONDS = 2.0
# A leader that stops talking to the server (frozen, cut off) loses its locks after this long.
IDLE_SESSION_TIMEOUT = "60s"


class WorkerAlreadyRunning(RuntimeError):
    """Another `run` already uses this SQLite database."""


@dataclass
class Leadership:
    """This process's part: its worker id and whether it runs the scheduler (for /healthz)."""

    worker_id: str
    backend: str  # "postgresql": elected; "single": the only worker, always the leader
    is_leader: bool = False
    since: dt.datetime | None = None
    changes: int = 0

    @property
    def role(self) -> str:
        """'leader' or 'follower'."""
        return "leader" if self.is_leader else "follower"

    def describe(self) -> dict[str, Any]:
        """Plain values for health reports and logs."""
        return {
            "worker": self.worker_id,
            "backend": self.backend,
            "role": self.role,
            "scheduler_running": self.is_leader,
            "since": self.since.isoformat() if self.since else None,
        }

    def _set(self, leader: bool) -> bool:
        """Record the outcome of an election round; True if it changed."""
        if leader == self.is_leader:
            return False
        self.is_leader = leader
        self.since = utcnow()
        self.changes += 1
        return True


def worker_key(worker_id: str) -> int | None:
    """The advisory lock key in a worker id such as 'w12345' (None for other ids)."""
    if worker_id.startswith("w") and worker_id[1:].isdigit():
        return int(worker_id[1:])
    return None


def live_workers(*, session: Session) -> set[str] | None:
    """Worker ids holding their lock on this database; None where workers cannot be seen."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    rows = session.execute(
        text(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = :cls AND objsubid = 2 "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ).bindparams(cls=WORKER_LOCK_CLASS)
    ).all()
    return {f"w{int(row[0])}" for row in rows}


@dataclass
class LeaderElector:
    """Keeps this worker's locks and tells the application when leadership changes."""

    engine: Engine
    check_seconds: float = CHECK_SECONDS
    leadership: Leadership = field(init=False)
    _conn: Connection | None = field(default=None, init=False, repr=False)
    _lock_file: IO[bytes] | None = field(default=None, init=False, repr=False)
    _stopping: asyncio.Event | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        """Pick a worker id; nobody leads until the first round (start())."""
        if self.engine.dialect.name == "postgresql":
            key = secrets.randbelow(2**31 - 2) + 1
            self.leadership = Leadership(worker_id=f"w{key}", backend="postgresql")
        else:  # SQLite: the only worker, leader from its first round on
            self.leadership = Leadership(worker_id=f"pid{os.getpid()}", backend="single")

    @property
    def elected(self) -> bool:
        """True when leadership is decided by the database (PostgreSQL)."""
        return self.leadership.backend == "postgresql"

    # --- one election round (blocking; run in a thread) ---------------------------------------

    def step(self) -> bool:
        """Connect if needed, keep the worker lock, try or keep the scheduler lock."""
        if not self.elected:
            self._claim_sqlite_file()
            return True
        try:
            conn = self._connection()
            if self.leadership.is_leader:
                conn.execute(text("SELECT 1"))  # the session, and so the lock, is still there
                return True
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(:cls, :key)"),
                {"cls": SCHEDULER_LOCK[0], "key": SCHEDULER_LOCK[1]},
            ).scalar()
            return bool(got)
        except (SQLAlchemyError, OSError) as exc:
            logger.warning("Leader election: database connection lost (%s); retrying", exc)
            self._drop_connection()
            return False

    def elect(self) -> bool:
        """One round, recorded in `leadership`; True if leadership changed."""
        return self.leadership._set(self.step())

    def _connection(self) -> Connection:
        """The dedicated election connection, holding this worker's lock."""
        if self._conn is not None:
            return self._conn
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            conn.execute(
                text("SELECT set_config('application_name', :name, false)"),
                {"name": self.worker_name()},
            )
            try:
                conn.execute(
                    text("SELECT set_config('idle_session_timeout', :value, false)"),
                    {"value": IDLE_SESSION_TIMEOUT},
                )
            except DBAPIError:  # PostgreSQL before 14 has no such setting
                pass
            while not conn.execute(
                text("SELECT pg_try_advisory_lock(:cls, :key)"),
                {"cls": WORKER_LOCK_CLASS, "key": worker_key(self.leadership.worker_id)},
            ).scalar():  # another live worker drew the same key: draw again
                self.leadership.worker_id = f"w{secrets.randbelow(2**31 - 2) + 1}"
        except BaseException:
            conn.invalidate()
            conn.close()
            raise
        self._conn = conn
        return conn

    def worker_name(self) -> str:
        """How this worker appears in pg_stat_activity and logs."""
        return f"kyso-bot {self.leadership.worker_id} pid {os.getpid()}"

    def _release_locks(self) -> None:
        """Unlock everything now: closing the connection releases the locks only when the
        server's backend has finished exiting, which other workers could see a moment later."""
        if self._conn is None or self.engine.dialect.name != "postgresql":
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
        except Exception:  # a broken connection: dropping it releases them anyway
            logger.debug("unlocking on a broken election connection", exc_info=True)

    def _drop_connection(self) -> None:
        """Close the election connection for good: the server releases its locks."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # already broken
                logger.debug("closing a broken election connection", exc_info=True)

    def _claim_sqlite_file(self) -> None:
        """One worker per SQLite database: an exclusive lock on '<db>.lock' for the process life."""
        if self._lock_file is not None:
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            return
        path = Path(f"{database.removeprefix('file:')}.lock")
        try:
            handle = path.open("ab")
        except OSError as exc:
            raise DatabaseSetupError(
                _(
                    "Cannot create the lock file {path} next to the database ({reason}): let "
                    "the bot's user write to that folder."
                ).format(path=path, reason=exc.strerror or exc)
            ) from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise WorkerAlreadyRunning(database) from None
        self._lock_file = handle

    # --- the loop -------------------------------------------------------------------------------

    async def start(self) -> None:
        """The first round, before the application starts (raises WorkerAlreadyRunning)."""
        await asyncio.to_thread(self.elect)
        logger.info("Worker %s starts as the %s", self.leadership.worker_id, self.leadership.role)

    async def run(self, on_tick: Callable[[Leadership], Awaitable[None]]) -> None:
        """Re-check every few seconds until stopped; `on_tick` aligns the application each time.
        SQLite's one worker leads from its first round to its end: it is not woken again (an
        idle bot then costs no CPU for the election)."""
        self._stopping = asyncio.Event()
        while not self._stopping.is_set():
            try:
                if await asyncio.to_thread(self.elect):
                    if self.leadership.is_leader:
                        logger.warning(
                            "Worker %s took over: it now runs the scheduler",
                            self.leadership.worker_id,
                        )
                    else:
                        logger.warning(
                            "Worker %s lost leadership: its scheduler is paused",
                            self.leadership.worker_id,
                        )
                await on_tick(self.leadership)
            except Exception:
                logger.exception("Leader election round failed")
            try:
                timeout = self.check_seconds if self.elected else None
                await asyncio.wait_for(self._stopping.wait(), timeout=timeout)
            except TimeoutError:
                pass

    def stop(self) -> None:
        """End the loop (the locks are kept until close())."""
        if self._stopping is not None:
            self._stopping.set()

    def step_down(self) -> None:
        """Give up the scheduler (another worker takes over) but stay registered as alive."""
        if not self.leadership.is_leader:
            return
        if self._conn is not None:
            try:
                self._conn.execute(
                    text("SELECT pg_advisory_unlock(:cls, :key)"),
                    {"cls": SCHEDULER_LOCK[0], "key": SCHEDULER_LOCK[1]},
                )
            except SQLAlchemyError:
                self._drop_connection()
        self.leadership._set(False)
        logger.info("Worker %s stepped down", self.leadership.worker_id)

    def close(self) -> None:
        """Give up every lock: this worker is gone (its unsent claims may be recovered)."""
        self.step_down()
        self._release_locks()
        self._drop_connection()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
