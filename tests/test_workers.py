"""Several workers on one database: outbox claims never overlap, one scheduler, takeover."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core import outbox
from bot.core.db import create_db_engine
from bot.core.leader import LeaderElector, live_workers
from bot.core.models import OutboxMessage, OutboxStatus
from tests.app_kit import REPO, wait_for
from tests.conftest import ON_POSTGRES, needs_postgres
from tests.fake_bot_api import FakeBotApi

TOKEN = "777777:WORKERS-TEST"


def enqueue(engine: Engine, count: int, first_chat: int = 10_000, kind: str = "broadcast") -> None:
    """`count` one-part pushes to distinct private chats."""
    with Session(engine) as session:
        outbox.enqueue_many(
            session=session,
            pushes=[
                outbox.Push(
                    key=f"{kind}:1:{first_chat + i}",
                    chat_id=first_chat + i,
                    text=f"Thông báo gửi đồng chí số {i}",
                    kind=kind,
                    priority=outbox.PRIORITY_BROADCAST,
                )
                for i in range(count)
            ],
        )
        session.commit()


def statuses(engine: Engine) -> Counter[str]:
    """Outbox rows by status."""
    with Session(engine) as session:
        return Counter(session.exec(select(OutboxMessage.status)).all())


# --- claiming ---------------------------------------------------------------------------------


def test_two_senders_claiming_at_once_never_get_the_same_row(engine: Engine) -> None:
    """1,000 due rows, two senders claiming batches concurrently: every row exactly once."""
    enqueue(engine, 1000)
    start = threading.Barrier(2)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def sender(name: str) -> None:
        try:
            start.wait()
            while True:
                with Session(engine) as session:
                    batch = outbox.claim_due(session=session, limit=25, worker=name)
                if not batch:
                    return
                claimed[name].extend(row.id for row in batch)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    a, b = set(claimed["a"]), set(claimed["b"])
    assert len(claimed["a"]) == len(a) and len(claimed["b"]) == len(b)
    assert not a & b
    assert len(a | b) == 1000
    assert statuses(engine) == {OutboxStatus.SENDING.value: 1000}
    if ON_POSTGRES:  # SQLite serialises writers, and one thread may win every round
        with Session(engine) as session:
            owners = {
                outbox.claim_worker(r) for r in session.exec(select(OutboxMessage.claimed_by))
            }
        assert owners == {"a", "b"}


def test_parts_of_a_long_text_are_claimed_in_order_across_workers(engine: Engine) -> None:
    """Part 2 of a long text waits until part 1 is sent; other chats are not held up."""
    text = "\n".join(f"Dòng {i}: " + "ký số " * 10 for i in range(200))
    with Session(engine) as session:
        outbox.enqueue_many(
            session=session,
            pushes=[
                outbox.Push(key="summary:42", chat_id=42, text=text, kind="summary"),
                outbox.Push(key="summary:43", chat_id=43, text="Ngắn", kind="summary"),
            ],
        )
        session.commit()
        parts = session.exec(
            select(OutboxMessage.id, OutboxMessage.dedupe_key)
            .where(OutboxMessage.chat_id == 42)
            .order_by(col(OutboxMessage.id))
        ).all()
    assert len(parts) >= 3 and [key for _, key in parts[:2]] == ["summary:42", "summary:42#2"]
    with Session(engine) as session:
        first = outbox.claim_due(session=session, limit=100, worker="a")
    assert sorted((r.chat_id, r.id) for r in first) == [(42, parts[0][0]), (43, first[-1].id)]
    with Session(engine) as session:
        assert outbox.claim_due(session=session, limit=100, worker="b") == []
    with Session(engine) as session:
        outbox.mark_sent(session=session, outbox_id=parts[0][0], message_id=1)
        session.commit()
    with Session(engine) as session:
        second = outbox.claim_due(session=session, limit=100, worker="b")
    assert [r.id for r in second] == [parts[1][0]]


@needs_postgres
def test_claim_skips_rows_another_sender_is_claiming_instead_of_waiting(engine: Engine) -> None:
    """PostgreSQL: rows locked by a claim in progress are skipped (FOR UPDATE SKIP LOCKED)."""
    enqueue(engine, 30)
    with Session(engine) as holder:
        locked = list(
            holder.exec(
                select(OutboxMessage.id)
                .order_by(col(OutboxMessage.id))
                .limit(10)
                .with_for_update(skip_locked=True)
            ).all()
        )
        with Session(engine) as other:
            batch = outbox.claim_due(session=other, limit=100, worker="b")
        assert len(batch) == 20
        assert not {row.id for row in batch} & set(locked)
        holder.rollback()
    with Session(engine) as session:
        again = outbox.claim_due(session=session, limit=100, worker="c")
    assert sorted(row.id for row in again) == sorted(locked)


# --- election ---------------------------------------------------------------------------------


def test_sqlite_worker_is_always_the_leader(tmp_path: Path) -> None:
    """With SQLite there is one worker: it runs the scheduler without any election."""
    eng = create_db_engine(f"sqlite:///{tmp_path / 'one.db'}")
    elector = LeaderElector(eng)
    elector.elect()
    assert elector.leadership.is_leader
    assert elector.leadership.describe()["scheduler_running"] is True
    elector.close()
    eng.dispose()


@needs_postgres
def test_one_leader_takeover_and_orphan_recovery(engine: Engine, tmp_path: Path) -> None:
    """One of two electors leads; only dead workers' rows are recovered; the other takes over."""
    second = create_db_engine(str(engine.url.render_as_string(hide_password=False)))
    a, b = LeaderElector(engine), LeaderElector(second)
    try:
        a.elect()
        b.elect()
        assert a.leadership.is_leader
        assert not b.leadership.is_leader  # the scheduler lock is taken
        with Session(engine) as session:
            assert live_workers(session=session) == {
                a.leadership.worker_id,
                b.leadership.worker_id,
            }
        enqueue(engine, 30)
        for worker in (a.leadership.worker_id, b.leadership.worker_id, "w424242"):  # last: dead
            with Session(engine) as session:
                assert len(outbox.claim_due(session=session, limit=10, worker=worker)) == 10
        with Session(engine) as session:
            live = live_workers(session=session)
            assert live is not None
            assert outbox.recover_orphans(session=session, live_workers=live) == 10
        with Session(engine) as session:
            by_owner = Counter(
                outbox.claim_worker(r.claimed_by)
                for r in session.exec(
                    select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENDING.value)
                )
            )
        assert by_owner == {a.leadership.worker_id: 10, b.leadership.worker_id: 10}
        a.close()  # the leader stops (or dies): its locks go with its connection
        assert b.elect() and b.leadership.is_leader
        with Session(engine) as session:
            live = live_workers(session=session)
            assert live == {b.leadership.worker_id}
            assert outbox.recover_orphans(session=session, live_workers=live) == 10  # a's rows
    finally:
        a.close()
        b.close()
        second.dispose()


# --- real processes ---------------------------------------------------------------------------


def start_worker(
    api: FakeBotApi,
    db: str,
    cwd: Path,
    *,
    concurrency: int,
    module: str = "tests.worker_with_ticks",
) -> subprocess.Popen[str]:
    """A worker process against the fake Bot API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(REPO),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        DATABASE_URL=db,
        OUTBOX_RATE_PER_SECOND="100",
        OUTBOX_CONCURRENCY=str(concurrency),
    )
    args = [sys.executable, "-m", module] if module != "bot" else [sys.executable, "-m", "bot"]
    if module == "bot":
        args.append("run")
    return subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def ticks(engine: Engine) -> list[tuple[int, float]]:
    """(pid, time) of every scheduler tick enqueued so far."""
    with Session(engine) as session:
        texts = session.exec(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "tick")
        ).all()
    found = []
    for payload in texts:
        _, pid, at = payload["text"].split()
        found.append((int(pid), float(at)))
    return sorted(found, key=lambda t: t[1])


def workers_connected(engine: Engine) -> int:
    """Workers holding their lock on this database."""
    with Session(engine) as session:
        return len(live_workers(session=session) or ())


@needs_postgres
def test_two_workers_one_killed_no_duplicate_or_lost_push(engine: Engine, tmp_path: Path) -> None:
    """SIGKILL the leading worker mid-broadcast: the other takes over, nothing lost or doubled."""
    # Two `run` processes share the outbox; only the leader runs the scheduler (its ticks).
    # After the kill the survivor takes the scheduler over, recovers the dead worker's claimed
    # rows, and every push arrives once (repeats ≤ what was in flight in the killed worker).
    recipients, concurrency = 500, 4
    db = engine.url.render_as_string(hide_password=False)
    with FakeBotApi(TOKEN, send_delay=0.004) as api:
        first = start_worker(api, db, tmp_path, concurrency=concurrency)
        second: subprocess.Popen[str] | None = None
        try:
            assert wait_for(lambda: ticks(engine), 60), "the first worker never led"
            second = start_worker(api, db, tmp_path, concurrency=concurrency)
            assert wait_for(lambda: workers_connected(engine) == 2, 60)
            enqueue(engine, recipients)
            assert wait_for(lambda: len(api.sent_chats()) >= 150, 60)
            leader_pid = ticks(engine)[-1][0]
            assert leader_pid == first.pid  # the first worker leads; the second only sends
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            killed_at = time.time()
            sent_at_kill = len({c for c in api.sent_chats() if c < 900_000_000})
            assert sent_at_kill < recipients, "finished before the kill; slow the fake API down"

            def settled() -> bool:
                took_over = any(pid == second.pid for pid, _ in ticks(engine))
                return took_over and set(statuses(engine)) == {OutboxStatus.SENT.value}

            done = wait_for(settled, 120)
        finally:
            first.kill()
            if second is not None:
                second.send_signal(signal.SIGINT)
                _, err = second.communicate(timeout=60)
            else:
                err = ""
        assert done, err[-3000:]
        chats = api.sent_chats()

    broadcast = Counter(c for c in chats if c < 900_000_000)
    assert set(broadcast) == {10_000 + i for i in range(recipients)}  # nobody lost
    tick_chats = Counter(c for c in chats if c >= 900_000_000)
    repeated = sum(n - 1 for n in broadcast.values()) + sum(n - 1 for n in tick_chats.values())
    assert repeated <= concurrency, broadcast.most_common(5)  # only the killed worker's in-flight
    # Exactly one scheduler at a time: the first worker's ticks all before the kill, the
    # second worker's all after it (it took over), and nobody else's.
    log = ticks(engine)
    assert {pid for pid, _ in log} == {first.pid, second.pid}
    assert all(at <= killed_at for pid, at in log if pid == first.pid)
    assert all(at > killed_at - 0.05 for pid, at in log if pid == second.pid)
    assert "took over" in err
    # Both workers sent broadcast rows: the outbox was drained side by side.
    with Session(engine) as session:
        senders = {
            outbox.claim_worker(t)
            for t in session.exec(
                select(OutboxMessage.claimed_by).where(OutboxMessage.kind == "broadcast")
            ).all()
        }
    assert len(senders) == 2


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite only (covered by the SQLite pass)")
def test_second_worker_on_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    """SQLite allows one worker: a second `run` says so in one line and exits 2."""
    db = f"sqlite:///{tmp_path / 'kyso.db'}"
    with FakeBotApi(TOKEN) as api:
        first = start_worker(api, db, tmp_path, concurrency=2, module="bot")
        try:
            assert wait_for(lambda: any(m == "setMyCommands" for m, _ in api.calls), 60)
            second = start_worker(api, db, tmp_path, concurrency=2, module="bot")
            _, err = second.communicate(timeout=60)
        finally:
            first.send_signal(signal.SIGINT)
            _, first_err = first.communicate(timeout=60)
    assert second.returncode == 2, err
    assert "SQLite" in err and "PostgreSQL" in err and "Traceback" not in err
    assert first.returncode == 0, first_err


def test_run_with_an_unreachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    """A worker that cannot reach PostgreSQL exits 2 with one line naming the host and port and
    what to check, password hidden (issue 12 §5)."""
    from tests.app_kit import run_cli

    result = run_cli(
        "run",
        cwd=tmp_path,
        env={
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": "postgresql://kyso:s3cret@127.0.0.1:1/kyso",
            "DEFAULT_LANGUAGE": "vi",
        },
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("Không kết nối được tới máy chủ PostgreSQL tại 127.0.0.1:1")
    assert "DATABASE_URL" in lines[0] and "s3cret" not in result.stderr
