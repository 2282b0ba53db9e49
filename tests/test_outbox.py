"""The durable outbox and its sender: dedupe, splitting, limits and every Telegram answer."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from bot.core import outbox
from bot.core.models import AppUser, OutboxMessage, OutboxStatus, utcnow
from bot.core.outbox import split_text
from jobs.outbox import Limits, RateGate
from tests.conftest import Harness
from tests.outbox_kit import FakeClock, enqueue, push, rows, sender, sent_to


async def test_same_key_is_queued_once(bot: Harness) -> None:
    """Enqueueing the same dedupe key twice (e.g. after a restart) sends one message."""
    assert enqueue(bot, push(501)) == 1
    assert enqueue(bot, push(501, text="khác")) == 0
    await sender(bot).drain_all()
    assert sent_to(bot) == [501]
    assert enqueue(bot, push(501)) == 0  # still deduplicated after it was sent
    assert await sender(bot).drain_all() == 0


async def test_enqueue_is_part_of_the_callers_transaction(bot: Harness) -> None:
    """If the event's transaction rolls back, the push is not queued."""
    with Session(bot.engine) as session:
        outbox.enqueue(session=session, push=push(502))
        session.rollback()
    assert rows(bot) == []


def test_split_text_at_line_boundaries() -> None:
    """A long text becomes parts ≤ 4,096 characters, cut between lines, nothing lost."""
    lines = [f"{i:04d}. Đảng ủy xã Thử Nghiệm — 82,5% (33/40 văn bản)" for i in range(300)]
    text = "\n".join(lines)
    parts = split_text(text)
    assert len(parts) > 2 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
    assert all(part.split("\n")[0] in lines for part in parts)
    giant = "x" * 5000 + " " + "y" * 5000
    assert all(len(p) <= 4096 for p in split_text(giant))
    assert "".join(split_text(giant)).replace(" ", "") == giant.replace(" ", "")


async def test_long_text_arrives_in_order_with_buttons_on_the_last_part(bot: Harness) -> None:
    """A 12,000-character summary goes as ordered parts; the keyboard rides on the last."""
    text = "\n".join(f"Dòng {i}: " + "ký số " * 10 for i in range(200))
    markup = {"inline_keyboard": [[{"text": "Đã nhận", "callback_data": "ack:t:1"}]]}
    enqueue(bot, push(503, text=text, reply_markup=markup))
    await sender(bot).drain_all()
    calls = [c for c in bot.request.calls if c.method == "sendMessage"]
    assert len(calls) == len(split_text(text)) >= 3
    assert "\n".join(str(c.params["text"]) for c in calls) == text
    assert [("reply_markup" in c.params) for c in calls] == [False] * (len(calls) - 1) + [True]
    assert all(r.status == OutboxStatus.SENT.value and r.telegram_message_id for r in rows(bot))


async def test_priority_then_due_time_order(bot: Harness) -> None:
    """An urgent reminder goes before an earlier-queued broadcast; future rows wait."""
    enqueue(bot, push(504, key="b", priority=outbox.PRIORITY_BROADCAST))
    enqueue(bot, push(505, key="r", priority=outbox.PRIORITY_URGENT))
    enqueue(bot, push(506, key="later", not_before=utcnow() + dt.timedelta(hours=1)))
    s = sender(bot)
    s.limits = Limits(concurrency=1)
    await s.drain_all()
    assert sent_to(bot) == [505, 504]
    assert [r.status for r in rows(bot) if r.dedupe_key == "later"] == ["pending"]


async def test_retry_after_waits_what_telegram_asks(bot: Harness) -> None:
    """429: the row returns to pending for retry_after seconds, the gate pauses, then it sends."""
    bot.request.fail(507, 429, "Too Many Requests: retry after 7", retry_after=7)
    enqueue(bot, push(507))
    s = sender(bot)
    before = utcnow()
    await s.drain_all()
    (row,) = rows(bot)
    assert row.status == "pending" and row.attempts == 0
    assert dt.timedelta(seconds=6) < row.not_before - before < dt.timedelta(seconds=9)
    assert s.gate is not None and s.gate._paused_until > s.gate.clock() + 5
    with Session(bot.engine) as session:
        session.get(OutboxMessage, row.id).not_before = utcnow()  # type: ignore[union-attr]
        session.commit()
    s.gate.pause(-100)
    s.gate._paused_until = 0
    await s.drain_all()
    assert sent_to(bot) == [507]


async def test_blocked_user_becomes_unreachable(bot: Harness) -> None:
    """403 marks the row and the person unreachable; no retry."""
    bot.request.fail(508, 403, "Forbidden: bot was blocked by the user")
    enqueue(bot, push(508))
    await sender(bot).drain_all()
    (row,) = rows(bot)
    assert row.status == "unreachable" and "blocked" in (row.last_error or "")
    with Session(bot.engine) as session:
        user = session.get(AppUser, 508)
        assert user is not None and not user.reachable


async def test_user_who_writes_again_is_reachable(bot: Harness) -> None:
    """Someone marked unreachable who messages the bot is reachable again."""
    bot.request.fail(509, 403, "Forbidden: bot was blocked by the user")
    enqueue(bot, push(509))
    await sender(bot).drain_all()
    await bot.send(509, "/trogiup")
    with Session(bot.engine) as session:
        assert session.get(AppUser, 509).reachable  # type: ignore[union-attr]


async def test_migrated_group_gets_the_message_at_its_new_id(bot: Harness) -> None:
    """ChatMigrated: the row and other unsent rows move to the supergroup id and are sent."""
    old, new = -4001, -1004001
    bot.request.fail(old, 400, "Bad Request: group chat was upgraded", migrate_to_chat_id=new)
    enqueue(bot, push(old, key="g1"), push(old, key="g2", text="Tổng hợp 2"))
    s = sender(bot)
    s.limits = Limits(concurrency=1)
    await s.drain_all()
    assert sent_to(bot) == [new, new]
    assert all(r.chat_id == new and r.status == "sent" for r in rows(bot))


async def test_network_errors_back_off_then_fail(bot: Harness) -> None:
    """5xx retries with growing delays and gives up after the attempt limit."""
    for _ in range(3):
        bot.request.fail(510, 502, "Bad Gateway")
    enqueue(bot, push(510))
    s = sender(bot)
    s.limits = Limits(max_attempts=3)
    delays = []
    for _ in range(3):
        await s.drain_all()
        (row,) = rows(bot)
        if row.status == "pending":
            delays.append(row.not_before - utcnow())
            with Session(bot.engine) as session:
                session.get(OutboxMessage, row.id).not_before = utcnow()  # type: ignore[union-attr]
                session.commit()
    (row,) = rows(bot)
    assert row.status == "failed" and row.attempts == 3
    assert len(delays) == 2 and delays[1] > delays[0] > dt.timedelta(seconds=3)


async def test_other_bad_request_fails_without_retry(bot: Harness) -> None:
    """A malformed message is not retried forever."""
    bot.request.fail(511, 400, "Bad Request: can't parse entities")
    enqueue(bot, push(511))
    await sender(bot).drain_all()
    (row,) = rows(bot)
    assert row.status == "failed" and "parse entities" in (row.last_error or "")


async def test_rows_left_sending_by_a_crash_are_sent_after_restart(bot: Harness) -> None:
    """Rows a killed sender had claimed go back to pending on start and are delivered."""
    enqueue(bot, *(push(600 + i) for i in range(5)))
    with Session(bot.engine) as session:
        claimed = outbox.claim_due(session=session, limit=3, worker="dead")
    assert len(claimed) == 3
    s = sender(bot)
    assert s.recover() == 3
    await s.drain_all()
    assert sorted(sent_to(bot)) == [600 + i for i in range(5)]


async def test_gate_spaces_private_chats_one_second_apart() -> None:
    """Three messages to one person take two seconds; to three people they need no wait."""
    fake = FakeClock()
    gate = RateGate(Limits(overall_per_second=1000), clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        await gate.acquire(42)
    assert fake.now == pytest.approx(2.0, abs=0.01)
    start = fake.now
    for chat in (1, 2, 3):
        await gate.acquire(chat)
    assert fake.now - start < 0.01


async def test_gate_keeps_the_overall_rate() -> None:
    """100 messages to different people at 25/s take about four seconds."""
    fake = FakeClock()
    gate = RateGate(Limits(overall_per_second=25), clock=fake.clock, sleep=fake.sleep)
    for chat in range(100):
        await gate.acquire(1000 + chat)
    assert fake.now == pytest.approx(99 / 25, rel=0.01)


async def test_gate_limits_a_group_to_20_per_minute() -> None:
    """The 21st message to one group waits until a minute after the first."""
    fake = FakeClock()
    gate = RateGate(Limits(overall_per_second=1000), clock=fake.clock, sleep=fake.sleep)
    for _ in range(20):
        await gate.acquire(-100)
    assert fake.now < 1
    await gate.acquire(-100)
    assert fake.now == pytest.approx(60.0, abs=0.1)


async def test_flood_pause_holds_every_chat() -> None:
    """After a RetryAfter of 30 s nobody gets a message for 30 s."""
    fake = FakeClock()
    gate = RateGate(Limits(overall_per_second=1000), clock=fake.clock, sleep=fake.sleep)
    gate.pause(30)
    await gate.acquire(77)
    assert fake.now == pytest.approx(30.0, abs=0.01)


async def test_many_sends_are_recorded_together_with_their_message_ids(bot: Harness) -> None:
    """Sends finishing at the same moment are recorded in shared writes: every row is marked
    sent once, with the message id Telegram gave it and one attempt."""
    chats = [9_000 + i for i in range(120)]
    enqueue(bot, *(push(c) for c in chats))
    s = sender(bot, concurrency=16)
    assert await s.drain_all() == len(chats)
    assert sorted(sent_to(bot)) == chats
    ids = {
        int(c.params["chat_id"]): c.result["message_id"]
        for c in bot.request.calls
        if c.method == "sendMessage" and isinstance(c.result, dict)
    }
    got = rows(bot)
    assert {r.status for r in got} == {"sent"} and {r.attempts for r in got} == {1}
    assert {r.chat_id: r.telegram_message_id for r in got} == ids
    assert s.claims.batched_writes > 0  # some writes recorded several sends at once


def test_recording_sent_only_applies_to_the_claim_that_holds_the_row(bot: Harness) -> None:
    """A late "sent" from a claim that lost the row changes nothing; repeating one is harmless."""
    from bot.core.outbox_sent import Sent, mark_sent_many

    enqueue(bot, push(9_500), push(9_501))
    with Session(bot.engine) as session:
        a, b = outbox.claim_due(session=session, limit=2, worker="w")
    with Session(bot.engine) as session:
        sent = [Sent(a.id, 11, a.chat_id, a.claim), Sent(b.id, 12, b.chat_id, "someone-else")]
        assert mark_sent_many(session=session, sent=sent) == 1
        assert mark_sent_many(session=session, sent=sent[:1]) == 0
        session.commit()
    by_chat = {r.chat_id: r for r in rows(bot)}
    assert by_chat[9_500].status == "sent" and by_chat[9_500].telegram_message_id == 11
    assert by_chat[9_500].sent_at is not None and by_chat[9_500].sent_at.tzinfo is not None
    assert by_chat[9_501].status == "sending"
