"""A busy database never leaves a push stuck: outcomes are recorded until they stick, long-held
rows are reconciled by their own sender, and users still get their answers (issue 12 §1)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bot.broadcasts.service import create as create_broadcast
from bot.core import outbox
from bot.core.audiences import Audience, AudienceKind
from bot.core.db import create_db_engine
from bot.core.models import Role, Unit
from bot.core.people import link_official
from jobs.outbox import Limits, OutboxSender, RateGate
from tests.conftest import ADMIN_ID, ON_POSTGRES, Harness
from tests.outbox_kit import enqueue, push, rows, sender, sent_to

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's single write lock")

# Longer than the 5 s busy timeout SQLite connections had before issue 12, shorter than now.
HOLD = 6.5


def database_file(h: Harness) -> str:
    """Path of the harness's SQLite file."""
    return str(make_url(h.app.bot_data.runtime.settings.database_url).database)


def hold_write_lock(path: str, seconds: float) -> threading.Timer:
    """Take SQLite's write lock now (as an import parsing inside its transaction would) and
    release it after `seconds` from another thread; returns the timer."""
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE appstate SET value = value")

    def release() -> None:
        conn.execute("COMMIT")
        conn.close()

    timer = threading.Timer(seconds, release)
    timer.start()
    return timer


def statuses(h: Harness) -> Counter[str]:
    """Outbox rows by status."""
    return Counter(r.status for r in rows(h))


async def wait_until(check: Callable[[], bool], seconds: float = 90) -> bool:
    """Poll `check` (bounded, so a bug fails instead of hanging)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return check()


def link_two_per_unit(h: Harness) -> list[int]:
    """A head and a staff member in every unit; returns their Telegram ids."""
    ids: list[int] = []
    with Session(h.engine) as session:
        units = session.exec(select(Unit).order_by(Unit.id)).all()
        for n, unit in enumerate(units):
            for k, role in enumerate((Role.HEAD, Role.STAFF)):
                telegram_id = 500_000 + 2 * n + k
                link_official(session=session, telegram_id=telegram_id, unit_id=unit.id, role=role)
                ids.append(telegram_id)
        session.commit()
    return ids


def delivered(h: Harness, chats: set[int]) -> Counter[int]:
    """Successful sends per recipient chat."""
    return Counter(c for c in sent_to(h) if c in chats)


@sqlite_only
async def test_write_lock_during_a_broadcast_loses_nothing_and_users_get_answers(
    loaded: Harness,
) -> None:
    """An import holding the write lock for 6.5 s mid-broadcast to 208 officials: everyone gets
    the announcement exactly once, nothing stays sending or pending, and a language button
    pressed meanwhile, and /tyle, get their normal answers."""
    officials = link_two_per_unit(loaded)
    with Session(loaded.engine) as session:
        broadcast, recipients = create_broadcast(
            session=session,
            text="Họp giao ban trực tuyến lúc 14:00",
            audience=Audience(AudienceKind.ALL),
            actor=ADMIN_ID,
            ack_label="✅ Đã nhận",
        )
        broadcast_id = broadcast.id
    assert recipients == len(officials) == 208
    s: OutboxSender = loaded.app.bot_data.sender
    s.gate = RateGate(Limits(overall_per_second=100, private_interval=0, group_per_minute=10**6))
    running = asyncio.create_task(s.run(poll_seconds=0.05))
    chats = set(officials)
    try:
        assert await wait_until(lambda: sum(delivered(loaded, chats).values()) >= 30)
        release = hold_write_lock(database_file(loaded), HOLD)
        language = await loaded.press(officials[0], "lang:en")  # writes while locked
        rate = await loaded.send(ADMIN_ID, "/tyle nam tien hai")  # reads while locked
        await asyncio.to_thread(release.join)
        assert await wait_until(lambda: not statuses(loaded).keys() & {"pending", "sending"})
    finally:
        s.stop()
        await running
    assert language == ["From now on I will answer you in English."]
    # the answer is worked out in a worker thread, so sends of the broadcast may come between
    assert any("Đảng ủy xã Nam Tiền Hải" in text and "82,5%" in text for text in rate)
    assert delivered(loaded, chats) == Counter({chat: 1 for chat in chats})
    with Session(loaded.engine) as session:
        counts = outbox.status_counts(session=session, broadcast_id=broadcast_id or 0)
    assert counts == {"sent": 208}


def impatient_engine(url: str) -> Any:
    """The test database with a 50 ms busy timeout, so a short lock outlasts it."""
    engine = create_db_engine(url)

    @event.listens_for(engine, "connect")
    def _short_wait(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=50")

    return engine


@sqlite_only
async def test_recording_an_outcome_is_retried_until_it_sticks(bot: Harness) -> None:
    """Recording waits out a lock longer than the busy timeout instead of leaving rows sending
    (and the chats' later pushes pending) until a restart."""
    chats = [7000 + i for i in range(60)]
    enqueue(bot, *(push(c, f"Thông báo {c}") for c in chats))
    engine = impatient_engine(bot.app.bot_data.runtime.settings.database_url)
    gate = RateGate(Limits(overall_per_second=40, private_interval=0, group_per_minute=10**6))
    s = OutboxSender(engine, bot.app.bot, gate=gate)
    running = asyncio.create_task(s.run(poll_seconds=0.05))
    try:
        assert await wait_until(lambda: len(sent_to(bot)) >= 10)
        release = hold_write_lock(database_file(bot), 1.5)
        await asyncio.to_thread(release.join)
        assert await wait_until(lambda: not statuses(bot).keys() & {"pending", "sending"})
    finally:
        s.stop()
        await running
        engine.dispose()
    assert Counter(sent_to(bot)) == Counter({c: 1 for c in chats})
    assert statuses(bot) == {"sent": 60}
    assert s.claims.write_retries > 0  # the lock was met, and waited out


async def test_reconcile_leaves_a_send_in_flight_alone(bot: Harness) -> None:
    """A row 'sending' for long while Telegram has not answered is never sent a second time."""
    enqueue(bot, push(801))
    s = sender(bot)
    answer = asyncio.Event()
    deliver = s._deliver

    async def slow(row: outbox.Claimed, chat_id: int) -> int | None:
        await answer.wait()
        return await deliver(row, chat_id)

    s._deliver = slow  # type: ignore[method-assign]
    draining = asyncio.create_task(s.drain_all())
    # the claim commits 'sending' in a thread; the sender holds the row once the claim returns
    assert await wait_until(lambda: statuses(bot) == {"sending": 1} and len(s.claims.held) == 1)
    done = await s.reconcile(stuck_after=0.0)
    assert (done.in_flight, done.recorded, done.released) == (1, 0, 0)
    assert statuses(bot) == {"sending": 1} and sent_to(bot) == []
    answer.set()
    await draining
    assert sent_to(bot) == [801] and statuses(bot) == {"sent": 1}


async def test_reconcile_records_an_outcome_known_but_not_written(bot: Harness) -> None:
    """Telegram answered, the database refused the write: reconcile writes it, once."""
    enqueue(bot, push(802))
    s = sender(bot)
    with Session(bot.engine) as session:
        (row,) = outbox.claim_due(session=session, limit=1, worker=s.worker)
    s.claims.hold([row])
    s.claims.held[row.id].write = lambda session: outbox.mark_sent(
        session=session, outbox_id=row.id, message_id=77, claim=row.claim
    )
    done = await s.reconcile(stuck_after=0.0)
    assert (done.in_flight, done.recorded, done.released) == (0, 1, 0)
    (stored,) = rows(bot)
    assert (stored.status, stored.telegram_message_id, stored.attempts) == ("sent", 77, 1)
    with Session(bot.engine) as session:  # the same outcome written again changes nothing
        assert not outbox.mark_sent(
            session=session, outbox_id=row.id, message_id=78, claim=row.claim
        )
        session.commit()
    assert rows(bot)[0].attempts == 1 and rows(bot)[0].telegram_message_id == 77
    assert await s.drain_all() == 0 and sent_to(bot) == []


async def test_reconcile_returns_an_abandoned_row_to_pending(bot: Harness) -> None:
    """A send that ended in an unexpected error, unanswered, is returned to pending and sent."""
    enqueue(bot, push(803))
    s = sender(bot)
    assert s.gate is not None
    acquire = s.gate.acquire

    async def broken(chat_id: int) -> None:
        s.gate.acquire = acquire  # type: ignore[method-assign,union-attr]
        raise RuntimeError("a bug before the Bot API call")

    s.gate.acquire = broken  # type: ignore[method-assign]
    assert await s.drain_once() == 1
    assert statuses(bot) == {"sending": 1} and sent_to(bot) == []
    done = await s.reconcile()  # abandoned rows go back at once, whatever their age
    assert (done.in_flight, done.recorded, done.released) == (0, 0, 1)
    assert statuses(bot) == {"pending": 1}
    assert await s.drain_all() == 1
    assert sent_to(bot) == [803] and statuses(bot) == {"sent": 1}


def test_the_sqlite_busy_timeout_and_wal_are_set_on_every_connection(tmp_path: Any) -> None:
    """Each pooled connection waits for the writer instead of failing at once, in WAL mode."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        connections = [engine.raw_connection() for _ in range(3)]
        for conn in connections:
            cursor = conn.cursor()
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 15000
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            cursor.close()
        for conn in connections:
            conn.close()
    finally:
        engine.dispose()
