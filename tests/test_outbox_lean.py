"""The sender's lean send: the same request as send_message, every outcome still recorded."""

from __future__ import annotations

import pytest
import telegram

from handlers.replies import send_lean
from jobs.outbox_gate import Limits, RateGate
from tests.conftest import Harness
from tests.outbox_kit import FakeClock, enqueue, push, rows, sender, sent_to

BUTTONS = {"inline_keyboard": [[{"text": "Đã nhận", "callback_data": "ack:7"}]]}


async def test_a_push_is_the_request_send_message_makes(bot: Harness) -> None:
    """Text, buttons and the application's defaults (HTML, no link preview …) as PTB sends."""
    from telegram import InlineKeyboardMarkup

    text = "⏰ <b>Nhắc hạn</b>: còn 3 ngày — 82,5%"
    await bot.app.bot.send_message(
        701, text, reply_markup=InlineKeyboardMarkup.de_json(BUTTONS, None)
    )
    enqueue(bot, push(701, text, reply_markup=BUTTONS))
    await sender(bot).drain_all()
    classic, lean = bot.request.calls[-2:]
    assert lean.method == classic.method == "sendMessage"
    assert lean.params == classic.params
    (row,) = rows(bot)
    assert row.status == "sent" and row.telegram_message_id == lean.result["message_id"]


async def test_a_flood_wait_reaches_the_sender_at_once(bot: Harness) -> None:
    """429: no second try inside the call (the sender pauses everything instead)."""
    bot.request.fail(702, 429, "Too Many Requests: retry after 3", retry_after=3)
    enqueue(bot, push(702))
    s = sender(bot)
    await s.drain_all()
    assert [c.method for c in bot.request.calls if c.params.get("chat_id") == 702] == [
        "sendMessage"
    ]
    (row,) = rows(bot)
    assert row.status == "pending" and row.attempts == 0 and s.stats.flood_waits == 1


async def test_without_the_private_post_pushes_still_go_out_with_every_outcome(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PTB without `Bot._post`: public send_message; sent, 429 and blocked are recorded."""
    kind = type(bot.app.bot)
    original = kind.send_message
    calls: list[int] = []

    async def public(self: telegram.Bot, chat_id: int, *args: object, **kw: object) -> object:
        calls.append(chat_id)
        return await original(self, chat_id, *args, **kw)  # type: ignore[arg-type]

    # send_message needs _post inside PTB: hide it only from send_lean's lookup.
    monkeypatch.setattr("handlers.replies.getattr", _hiding("_post"), raising=False)
    monkeypatch.setattr(kind, "send_message", public)
    bot.request.fail(704, 429, "Too Many Requests: retry after 3", retry_after=3)
    bot.request.fail(705, 403, "Forbidden: bot was blocked by the user")
    enqueue(bot, push(703, reply_markup=BUTTONS), push(704), push(705))
    s = sender(bot)
    fake = FakeClock()  # the flood pause passes without waiting
    s.gate = RateGate(Limits(overall_per_second=1000, private_interval=0), fake.clock, fake.sleep)
    await s.drain_all()
    by_chat = {r.chat_id: r for r in rows(bot)}
    assert by_chat[703].status == "sent" and by_chat[703].telegram_message_id is not None
    assert by_chat[704].status == "pending" and s.stats.flood_waits == 1
    assert by_chat[705].status == "unreachable"
    assert sent_to(bot) == [703] and sorted(calls) == [703, 704, 705]


async def test_send_lean_returns_the_message_id(bot: Harness) -> None:
    """The id Telegram gave the message (what the outbox stores)."""
    message_id = await send_lean(bot.app.bot, 706, "Xin chào")
    assert message_id == bot.request.calls[-1].result["message_id"]


def _hiding(name: str) -> object:
    """A getattr that pretends `name` does not exist."""
    real = getattr

    def lookup(obj: object, attr: str, *default: object) -> object:
        if attr == name:
            if default:
                return default[0]
            raise AttributeError(attr)
        return real(obj, attr, *default)

    return lookup
