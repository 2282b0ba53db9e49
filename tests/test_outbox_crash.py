"""Crash safety: SIGKILL the bot in the middle of a 1,000-recipient broadcast, start it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import Session, func, select

from bot.core import outbox
from bot.core.db import create_db_engine, init_db
from bot.core.models import OutboxMessage
from tests.app_kit import REPO, wait_for
from tests.conftest import database_url
from tests.fake_bot_api import FakeBotApi

TOKEN = "555555:CRASH-TEST"
RECIPIENTS = 1000
CONCURRENCY = 8


def start_bot(api: FakeBotApi, db: str, cwd: Path) -> subprocess.Popen[str]:
    """`python -m bot run` against the fake Bot API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        PYTHONPATH=str(REPO),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        DATABASE_URL=db,
        OUTBOX_RATE_PER_SECOND="400",
        OUTBOX_CONCURRENCY=str(CONCURRENCY),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_broadcast_loses_nothing_and_repeats_at_most_in_flight(
    tmp_path: Path,
) -> None:
    """Every recipient ends with the message; duplicates ≤ the sends in flight at the kill."""
    db = database_url(tmp_path, "kyso")
    engine = create_db_engine(db)
    init_db(engine)
    with Session(engine) as session:
        outbox.enqueue_many(
            session=session,
            pushes=[
                outbox.Push(
                    key=f"broadcast:1:{10_000 + i}",
                    chat_id=10_000 + i,
                    text=f"Thông báo số 1 gửi đồng chí {i}",
                    kind="broadcast",
                    priority=outbox.PRIORITY_BROADCAST,
                )
                for i in range(RECIPIENTS)
            ],
        )
        session.commit()

    with FakeBotApi(TOKEN, send_delay=0.004) as api:
        first = start_bot(api, db, tmp_path)
        started = wait_for(lambda: len(api.sent_chats()) >= 300, 120)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        at_kill = len(api.sent_chats())
        assert started, first.stderr.read() if first.stderr else ""
        assert at_kill < RECIPIENTS, "the broadcast finished before the kill; slow the fake down"

        second = start_bot(api, db, tmp_path)
        try:
            done = wait_for(lambda: len(set(api.sent_chats())) >= RECIPIENTS, 180)
            wait_for(lambda: _unsent(engine) == 0, 30)
        finally:
            second.send_signal(signal.SIGINT)
            _, err = second.communicate(timeout=60)
        assert done, err

    counts = Counter(api.sent_chats())
    assert set(counts) == {10_000 + i for i in range(RECIPIENTS)}
    repeated = sum(n - 1 for n in counts.values())
    assert repeated <= CONCURRENCY, counts.most_common(10)
    assert _unsent(engine) == 0
    engine.dispose()


def _unsent(engine: object) -> int:
    """Rows not yet marked sent."""
    with Session(engine) as session:  # type: ignore[arg-type]
        return int(
            session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status != "sent")
            ).one()
        )
