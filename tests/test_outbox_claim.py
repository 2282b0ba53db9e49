"""Which rows a claim takes: send order, and a chat's rows strictly one after another."""

from __future__ import annotations

from sqlmodel import Session

from bot.core import outbox
from tests.conftest import Harness
from tests.outbox_kit import enqueue, push


def claim(h: Harness, limit: int) -> list[tuple[int, str]]:
    """(chat, text) of the rows one claim takes."""
    with Session(h.engine) as session:
        return [
            (r.chat_id, r.payload["text"])
            for r in outbox.claim_due(session=session, limit=limit, worker="w")
        ]


def test_an_urgent_row_behind_a_chats_earlier_row_brings_that_row_forward(bot: Harness) -> None:
    """A reminder queued after a broadcast to the same person: the broadcast goes first (order
    per chat), ahead of other chats' warnings, and the reminder only once it is sent."""
    enqueue(bot, push(1, "thông báo", key="b", priority=outbox.PRIORITY_BROADCAST))
    enqueue(bot, *(push(10 + i, "cảnh báo", key=f"w{i}", priority=4) for i in range(5)))
    enqueue(bot, push(1, "nhắc hạn", key="r", priority=outbox.PRIORITY_REMINDER))
    assert claim(bot, 1) == [(1, "thông báo")]
    assert (1, "nhắc hạn") not in claim(bot, 10)  # its chat's first row is still being sent


def test_rows_behind_rows_in_flight_do_not_hide_the_others(bot: Harness) -> None:
    """More waiting rows than a claim looks at first: the complete search still finds the
    chats that may receive."""
    chats = range(100, 130)
    enqueue(bot, *(push(c, "một", key=f"a{c}", priority=2) for c in chats))
    enqueue(
        bot, *(push(c, f"hai {n}", key=f"b{c}{n}", priority=2) for c in chats for n in range(3))
    )
    enqueue(bot, push(999, "khác", key="other", priority=6))
    assert len(claim(bot, 30)) == 30  # every chat's first row: in flight
    assert claim(bot, 5) == [(999, "khác")]
