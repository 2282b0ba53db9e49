"""PostgreSQL's outbox wake-up: a NOTIFY sent by every transaction that queues a push, and a
listening connection held by the sender, so that an idle sender sleeps until a push is queued
by any process (SQLite's equivalent is its data version, `HotReader.version` in bot/core/reader.py).

The listener counts what it hears: `version()` changes whenever a push was queued anywhere (or
the connection came back, since notifications sent meanwhile are lost), and is None while it
is not listening, so the sender then looks at the database every poll, as it did before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

logger = logging.getLogger(__name__)

CHANNEL = "kyso_outbox"
APPLICATION_NAME = "kyso-outbox-listener"  # how the connection shows in pg_stat_activity
RETRY_SECONDS = 5.0  # between attempts to listen again after the connection failed
SAFETY_SECONDS = 30.0  # the idle sender looks anyway this often (and the connection is tested)


def notify(session: Session) -> None:
    """In the caller's transaction: tell the listeners a push is queued (delivered on commit;
    several in one transaction arrive as one). Nothing on other databases."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"NOTIFY {CHANNEL}"))


class OutboxListener:
    """A connection LISTENing on CHANNEL, kept open (reconnecting after errors) while run()."""

    def __init__(self, engine: Engine, on_notify: Callable[[], None]) -> None:
        """`on_notify` is called on the event loop for every notification (the sender's wake)."""
        url = engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._on_notify = on_notify
        self._count = 0
        self._listening = False
        self.retry_seconds = RETRY_SECONDS
        self.safety_seconds = SAFETY_SECONDS

    def version(self) -> int | None:
        """Changes when a push may have been queued; None while not listening."""
        return self._count if self._listening else None

    def _heard(self) -> None:
        """Something to look at: count it and wake the sender."""
        self._count += 1
        self._on_notify()

    async def run(self) -> None:
        """Listen until cancelled; after an error, listen again RETRY_SECONDS later."""
        failures = 0
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                log = logger.warning if failures == 1 else logger.debug
                log("Outbox listener: %s; the sender polls until it listens again", exc)
            finally:
                self._listening = False
            await self._pause()

    async def _pause(self) -> None:
        """Between a failure and the next attempt."""
        await asyncio.sleep(self.retry_seconds)

    async def _listen(self) -> None:
        """One connection's life: LISTEN, then count notifications until it fails."""
        import psycopg

        conn = await psycopg.AsyncConnection.connect(
            self._conninfo, autocommit=True, application_name=APPLICATION_NAME
        )
        async with conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            self._listening = True
            self._heard()  # what was queued while nobody listened: look once
            logger.info("Outbox listener: listening for queued pushes")
            while True:
                async for _ in conn.notifies(timeout=self.safety_seconds):
                    self._heard()
                await conn.execute("SELECT 1")  # a dead connection fails here
                self._heard()  # the safety look
