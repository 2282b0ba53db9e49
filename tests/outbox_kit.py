"""Helpers for the outbox tests: queue pushes, read the rows, a fast sender, a fake clock."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import Session, select

from bot.core import outbox
from bot.core.models import OutboxMessage
from bot.core.outbox import Push
from jobs.outbox import Limits, OutboxSender, RateGate
from tests.conftest import Harness


def rows(h: Harness) -> list[OutboxMessage]:
    """All outbox rows, in id order."""
    with Session(h.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def push(chat_id: int, text: str = "Nhắc việc", key: str | None = None, **kw: Any) -> Push:
    """A push with a default key."""
    return Push(key=key or f"test:{chat_id}", chat_id=chat_id, text=text, kind="test", **kw)


def enqueue(h: Harness, *pushes: Push) -> int:
    """Enqueue and commit."""
    with Session(h.engine) as session:
        n = outbox.enqueue_many(session=session, pushes=pushes)
        session.commit()
    return n


def sender(h: Harness, **limits: Any) -> OutboxSender:
    """The application's sender with a fast gate for tests."""
    s: OutboxSender = h.app.bot_data.sender
    s.gate = RateGate(Limits(overall_per_second=1000, private_interval=0, **limits))
    return s


def sent_to(h: Harness) -> list[int]:
    """Chat ids of successful sendMessage calls, in order."""
    return [
        int(c.params["chat_id"])
        for c in h.request.calls
        if c.method == "sendMessage" and isinstance(c.result, dict) and "message_id" in c.result
    ]


class FakeClock:
    """Monotonic time that only moves when the gate sleeps."""

    def __init__(self) -> None:
        """Start at zero."""
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        """Current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Advance instead of waiting."""
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)
