"""An idle bot stays asleep: nothing on SQLite wakes the election once the worker leads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

import bot.core.leader as leader
import jobs.broadcasts as broadcast_jobs
from bot.core import outbox
from bot.core.db import create_db_engine
from bot.core.leader import LeaderElector, Leadership
from bot.core.outbox import Push
from bot.core.outbox_listen import APPLICATION_NAME, OutboxListener
from handlers.context import BotContext
from jobs.outbox import OutboxSender
from jobs.outbox_gate import Limits, RateGate
from tests.conftest import ADMIN_ID, Harness
from tests.outbox_kit import sent_to


def sqlite_only(h: Harness) -> None:
    """Skip on PostgreSQL: it has no cheap data version, so an idle bot asks it every poll."""
    if not h.app.bot_data.runtime.settings.database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has no data version to watch: the bot asks it every poll")


async def test_sqlite_election_runs_one_round_and_then_only_waits_for_the_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's one worker leads for its whole life: after the first round the election waits
    for the bot to stop, with no timer (each wake-up of an idle bot costs CPU)."""
    waits: list[float | None] = []
    real_wait_for = asyncio.wait_for

    async def recording(awaitable: Any, timeout: float | None) -> Any:
        waits.append(timeout)
        return await real_wait_for(awaitable, timeout)

    monkeypatch.setattr(leader.asyncio, "wait_for", recording)
    engine = create_db_engine(f"sqlite:///{tmp_path / 'one.db'}")
    elector = LeaderElector(engine, check_seconds=0.0)
    ticked = asyncio.Event()
    rounds: list[bool] = []

    async def on_tick(leadership: Leadership) -> None:
        rounds.append(leadership.is_leader)
        ticked.set()

    running = asyncio.create_task(elector.run(on_tick))
    await ticked.wait()
    for _ in range(20):  # give a timer every chance to fire (it would at once: 0 s)
        await asyncio.sleep(0)
    elector.stop()
    await running
    assert rounds == [True]
    assert waits == [None]
    elector.close()
    engine.dispose()


async def test_the_progress_job_of_an_idle_bot_looks_again_only_after_a_write(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no broadcast running, the progress job's ticks query nothing (no thread, no SQL)
    until something is committed; then it looks again (its texts: tests/test_broadcasts.py)."""
    sqlite_only(bot)
    looked: list[int] = []
    real = broadcast_jobs._progress

    def counting(runtime: Any) -> Any:
        looked.append(1)
        return real(runtime)

    monkeypatch.setattr(broadcast_jobs, "_progress", counting)
    context = BotContext(bot.app)
    for _ in range(3):
        await broadcast_jobs.update_progress(context)
    assert len(looked) == 1
    await bot.send(ADMIN_ID, "/thongbao", language_code="en")  # its draft is written
    await broadcast_jobs.update_progress(context)
    assert len(looked) == 2


def counted_claims(sender: OutboxSender, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one at each of the sender's claims."""
    claims: list[int] = []
    claim = sender._claim_due

    def counting(session: Any, now: Any) -> Any:
        claims.append(1)
        return claim(session, now)

    monkeypatch.setattr(sender, "_claim_due", counting)
    return claims


async def test_an_idle_sender_leaves_the_database_alone_until_another_process_writes(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing to send, the sender's polls ask SQLite's data version only (no thread, no
    query); a push queued by another process (the CLI) still goes out at the next poll."""
    sqlite_only(bot)
    s: OutboxSender = bot.app.bot_data.sender
    s.gate = RateGate(Limits(overall_per_second=1000, private_interval=0))
    claims = counted_claims(s, monkeypatch)
    polls = asyncio.Event()
    looked: list[int] = []
    version = s.data_version

    def watched() -> int | None:
        looked.append(1)
        if len(looked) >= 8:
            polls.set()
        return version()

    s.data_version = watched
    running = asyncio.create_task(s.run(poll_seconds=0.01))
    try:
        await polls.wait()  # seven idle polls after the first pass
        assert len(claims) == 1
        other = create_db_engine(bot.app.bot_data.runtime.settings.database_url)
        with Session(other) as session:  # another process: no wake-up by commit here
            outbox.enqueue_many(session=session, pushes=[Push("cli:1", 4242, "Nhắc việc", "test")])
            session.commit()
        other.dispose()
        while 4242 not in sent_to(bot):
            await asyncio.sleep(0.01)
    finally:
        s.stop()
        await running
    assert len(claims) >= 2


def postgres_only(h: Harness) -> None:
    """Skip on SQLite (its idle sender watches the data version, tested above)."""
    if h.app.bot_data.runtime.settings.database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's NOTIFY: run with .ci/with-postgres")


async def polls(count: int) -> None:
    """Let the event loop run `count` of the tests' 10 ms polls."""
    for _ in range(count):
        await asyncio.sleep(0.01)


async def listening(s: OutboxSender) -> None:
    """Wait (bounded) until the sender's listener listens and its first look is over."""
    for _ in range(1000):
        if s.data_version() is not None:
            break
        await polls(1)
    assert s.data_version() is not None
    await polls(10)


@contextlib.contextmanager
def elsewhere(h: Harness) -> Iterator[Callable[[int], None]]:
    """Queue pushes as another process would (another engine: no wake-up by commit here), one
    transaction each, on the same pooled connection."""
    other = create_db_engine(h.app.bot_data.runtime.settings.database_url)

    def queue(chat_id: int) -> None:
        with Session(other) as session:
            push = Push(f"cli:{chat_id}", chat_id, "Nhắc", "t")
            outbox.enqueue_many(session=session, pushes=[push])
            session.commit()

    try:
        yield queue
    finally:
        other.dispose()


async def sent_soon(h: Harness, chat_id: int) -> bool:
    """Whether the push to `chat_id` goes out within a bounded number of polls."""
    for _ in range(1000):
        if chat_id in sent_to(h):
            return True
        await polls(1)
    return False


async def test_an_idle_sender_on_postgresql_leaves_the_database_alone(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: with nothing to send, the sender no longer claims every poll."""
    postgres_only(bot)
    s: OutboxSender = bot.app.bot_data.sender
    claims = counted_claims(s, monkeypatch)
    running = asyncio.create_task(s.run(poll_seconds=0.01))
    try:
        await listening(s)
        before = len(claims)
        await polls(30)
        assert len(claims) == before  # 30 polls, no claim
    finally:
        s.stop()
        await running


async def test_a_push_queued_by_another_process_wakes_the_idle_sender_on_postgresql(
    bot: Harness,
) -> None:
    """A push queued elsewhere (the CLI, another worker) goes out at once (its NOTIFY), though
    the idle sender would otherwise look again only after a minute."""
    postgres_only(bot)
    s: OutboxSender = bot.app.bot_data.sender
    s.gate = RateGate(Limits(overall_per_second=1000, private_interval=0))
    running = asyncio.create_task(s.run(poll_seconds=3600))
    try:
        await listening(s)
        with elsewhere(bot) as queue:
            queue(4242)
            assert await sent_soon(bot, 4242)
            await polls(20)  # the sender is idle again
            queue(4243)  # the same process again (its second transaction notifies too)
            assert await sent_soon(bot, 4243)
    finally:
        s.stop()
        await running


async def test_nothing_queued_while_the_listening_connection_is_down_is_lost(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listener's connection is killed; a push queued before it listens again (its NOTIFY
    heard by nobody) still goes out as soon as it is back, with the sender idle for a minute."""
    postgres_only(bot)
    s: OutboxSender = bot.app.bot_data.sender
    s.gate = RateGate(Limits(overall_per_second=1000, private_interval=0))
    back = asyncio.Event()

    async def held(_self: Any) -> None:
        await back.wait()

    monkeypatch.setattr(OutboxListener, "_pause", held)
    running = asyncio.create_task(s.run(poll_seconds=3600))
    try:
        await listening(s)
        with bot.engine.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name AND datname = current_database()"
                ),
                {"name": APPLICATION_NAME},
            ).all()
        assert killed == [(True,)]
        for _ in range(1000):
            if s.data_version() is None:
                break
            await polls(1)
        assert s.data_version() is None  # not listening
        with elsewhere(bot) as queue:
            queue(4343)
        await polls(20)
        assert 4343 not in sent_to(bot)  # nobody heard it (the idle wait is a minute)
        back.set()
        assert await sent_soon(bot, 4343)
    finally:
        s.stop()
        await running
