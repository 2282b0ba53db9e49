"""Secretariat broadcasts: compose, audience, preview, send, progress, acknowledgements, status."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from sqlmodel import Session, func, select

from bot.core.models import AuditLog, Broadcast, OutboxMessage, Role
from handlers.context import BotContext
from jobs.broadcasts import update_progress
from tests.conftest import ADMIN_ID, Harness, PublishedRow

WARNING, CRITICAL = Fraction(4, 5), Fraction(1, 2)
FORBIDDEN = {
    "ok": False,
    "error_code": 403,
    "description": "Forbidden: bot was blocked by the user",
}


def below(published: list[PublishedRow], limit: Fraction) -> list[str]:
    """Names of published units below a rate."""
    return [r.name for r in published if r.rate < limit]


def at_least(published: list[PublishedRow], limit: Fraction) -> list[str]:
    """Names of published units at or above a rate."""
    return [r.name for r in published if r.rate >= limit]


def link_people(h: Harness, names: list[str], first_id: int, role: Role = Role.HEAD) -> list[int]:
    """Link one official per unit name (exact names); return their ids."""
    ids = []
    for offset, name in enumerate(names):
        h.link(first_id + offset, name, role)
        ids.append(first_id + offset)
    return ids


def sends_to(h: Harness, start: int = 0) -> list[tuple[int, str, Any]]:
    """(chat id, text, markup) of successful sendMessage calls since `start`."""
    return [
        (int(c.params["chat_id"]), str(c.params["text"]), c.params.get("reply_markup"))
        for c in h.request.calls[start:]
        if c.method == "sendMessage" and isinstance(c.result, dict) and "message_id" in c.result
    ]


def count(h: Harness, model: Any) -> int:
    """Rows of a table."""
    with Session(h.engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


async def progress_tick(h: Harness) -> list[str]:
    """Run the progress job once; return the texts it edited."""
    start = len(h.request.calls)
    await update_progress(BotContext(h.app))
    return [str(c.params["text"]) for c in h.request.calls[start:] if c.method == "editMessageText"]


async def compose(h: Harness, text: str, *choices: str, **kwargs: Any) -> str:
    """Run /thongbao with a text and press buttons by label; return the last text shown."""
    await h.send(ADMIN_ID, "/thongbao", **kwargs)
    shown = await h.send(ADMIN_ID, text, **kwargs)
    for label in choices:
        data = dict(h.last_keyboard())[label]
        shown = await h.press(ADMIN_ID, data, **kwargs)
    return shown[-1]


@pytest.fixture
def people(loaded: Harness, published: list[PublishedRow]) -> dict[str, list[int]]:
    """Heads and clerks in three units below 80% (one below 50%) and two at or above 80%."""
    low = [n for n in below(published, WARNING) if n not in below(published, CRITICAL)][:2]
    critical = below(published, CRITICAL)[:1]
    good = at_least(published, WARNING)[:2]
    return {
        "low_heads": link_people(loaded, low + critical, 3000),
        "low_staff": link_people(loaded, low + critical, 3100, Role.STAFF),
        "good_heads": link_people(loaded, good, 3200),
    }


async def test_broadcast_to_units_below_80_end_to_end(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """Preview with the exact text and count, confirm, delivery with ✅ Đã nhận, progress."""
    text = "<b>Khẩn:</b> các đơn vị hoàn thành ký số trước 30/6."
    await loaded.send(ADMIN_ID, "/thongbao")
    (ask,) = await loaded.send(ADMIN_ID, text)
    assert ask == "Gửi cho ai?"
    labels = [label for label, _data in loaded.last_keyboard()]
    assert "Đơn vị dưới ngưỡng cảnh báo" in labels and "Các nhóm đã đăng ký nhận tin" in labels
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["Đơn vị dưới ngưỡng cảnh báo"])
    (preview,) = await loaded.press(
        ADMIN_ID, dict(loaded.last_keyboard())["Tất cả cán bộ của các đơn vị đó"]
    )
    assert "Người nhận: đơn vị dưới 80% (08/06/2026 – 22/06/2026) · tất cả cán bộ" in preview
    assert "Sẽ gửi tới <b>6 người</b> ở 38 đơn vị." in preview
    assert "35 đơn vị chưa có ai dùng bot" in preview
    assert "📢 <b>Thông báo của Văn phòng</b>\n\n" + text in preview
    assert count(loaded, OutboxMessage) == 0  # a preview sends nothing

    send = dict(loaded.last_keyboard())["✅ Gửi tới 6 người nhận"]
    (progress,) = await loaded.press(ADMIN_ID, send)
    assert "Thông báo #1" in progress and "Đã gửi 0/6" in progress
    start = len(loaded.request.calls)
    delivered = await loaded.drain()
    received = {chat for chat, _t, _m in sends_to(loaded, start)}
    assert received == set(people["low_heads"]) | set(people["low_staff"])
    assert all(t == "📢 <b>Thông báo của Văn phòng</b>\n\n" + text for t in delivered)
    markup = sends_to(loaded, start)[0][2]
    assert markup["inline_keyboard"][0][0] == {"text": "✅ Đã nhận", "callback_data": "ack:b:1"}

    (final,) = await progress_tick(loaded)
    assert final.startswith("✅ <b>Đã gửi xong thông báo #1.</b>\nĐã gửi 6/6 · 0 lỗi")
    assert await progress_tick(loaded) == []  # finished: no more edits
    with Session(loaded.engine) as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "broadcast.create")).one()
    assert audit.actor_telegram_id == ADMIN_ID and audit.details["recipients"] == 6


async def test_a_second_press_of_send_sends_nothing_more(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """Pressing Send twice (a slow phone) queues the broadcast once."""
    await compose(
        loaded,
        "Họp giao ban 8h thứ Hai.",
        "Tất cả đơn vị",
        "Chỉ người đứng đầu (bí thư / chủ tịch)",
    )
    send = loaded.last_keyboard()[0][1]
    await loaded.press(ADMIN_ID, send)
    await loaded.press(ADMIN_ID, send)
    assert count(loaded, Broadcast) == 1
    delivered = await loaded.drain()
    assert len(delivered) == len(people["low_heads"]) + len(people["good_heads"])


async def test_progress_counts_errors_and_unreachable(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """A blocked official is reported unreachable in the progress and in /khonglienlac."""
    blocked = people["low_heads"][0]
    loaded.request.faults[blocked] = [(403, FORBIDDEN)]
    await compose(
        loaded,
        "Nhắc ký số.",
        "Đơn vị dưới ngưỡng cảnh báo",
        "Chỉ người đứng đầu (bí thư / chủ tịch)",
    )
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    await loaded.drain()
    (final,) = await progress_tick(loaded)
    assert "Đã gửi 2/3 · 0 lỗi · 1 không liên lạc được" in final

    (report, *_rest) = await loaded.send(ADMIN_ID, "/khonglienlac")
    assert "🚫 <b>1 cán bộ không liên lạc được</b>" in report
    assert f"({blocked})" in report
    assert "đơn vị chưa có ai dùng bot" in "".join([report, *_rest])


async def test_acknowledgements_status_and_reminder(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """Đã nhận is recorded once; the status names the units missing; remind reaches only them."""
    await compose(
        loaded,
        "Đề nghị báo cáo.",
        "Đơn vị dưới ngưỡng cảnh báo",
        "Chỉ người đứng đầu (bí thư / chủ tịch)",
    )
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    await loaded.drain()
    first, second, third = people["low_heads"]

    start = len(loaded.request.calls)
    await loaded.press(first, "ack:b:1")
    answers = [c.params for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
    assert answers[-1]["text"] == "Cảm ơn đồng chí: đã ghi nhận xác nhận."
    edits = [c for c in loaded.request.calls[start:] if c.method == "editMessageReplyMarkup"]
    assert edits[-1].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "✅ Đã xác nhận"
    start = len(loaded.request.calls)
    await loaded.press(first, "ack:b:1")
    answers = [c.params for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
    assert answers[-1]["text"] == "Đồng chí đã xác nhận rồi. Cảm ơn đồng chí."

    (status,) = await loaded.send(ADMIN_ID, "/thongbao_tt 1")
    assert "Số người nhận: 3" in status and "✅ Đã gửi tới: 3" in status
    assert "👍 Đã bấm “✅ Đã nhận”: 1 người; đơn vị: 1/3" in status
    assert "Chưa xác nhận (2 đơn vị):" in status
    (label, data) = loaded.last_keyboard()[0]
    assert label == "🔔 Nhắc 2 đơn vị chưa xác nhận" and data == "bcr:1"

    await loaded.press(ADMIN_ID, data)
    start = len(loaded.request.calls)
    reminded = await loaded.drain()
    assert {chat for chat, _t, _m in sends_to(loaded, start)} == {second, third}
    assert all(t.startswith("⏰ <b>Nhắc lại:</b>") for t in reminded)
    (status,) = await loaded.send(ADMIN_ID, "/thongbao_tt 1")
    assert "Số người nhận: 3" in status  # reminders are not counted as new recipients

    (listing,) = await loaded.send(ADMIN_ID, "/thongbao_ds")
    assert "#1 · " in listing and "đã gửi 3/3 · 1 người xác nhận" in listing


async def test_bad_html_is_explained_and_nothing_is_written(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """Unclosed or unknown tags: the problems are listed, the draft waits for a fixed text."""
    await loaded.send(ADMIN_ID, "/thongbao")
    (answer,) = await loaded.send(ADMIN_ID, "<b>Khẩn <script>x</script>")
    assert answer.startswith("⚠️ Chưa gửi được nội dung này:")
    assert "không được dùng thẻ &lt;script&gt;" in answer
    assert count(loaded, Broadcast) == 0 and count(loaded, OutboxMessage) == 0
    (ask,) = await loaded.send(ADMIN_ID, "<b>Khẩn</b>")
    assert ask == "Gửi cho ai?"


async def test_announcement_text_is_not_taken_for_a_question(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """While a draft waits, 'tỷ lệ ký số…' is the announcement, not a rate question."""
    await loaded.send(ADMIN_ID, "/thongbao")
    (ask,) = await loaded.send(ADMIN_ID, "Tỷ lệ ký số của tỉnh tuần này là 82,29%")
    assert ask == "Gửi cho ai?"


async def test_telegram_formatting_is_kept(loaded: Harness, people: dict[str, list[int]]) -> None:
    """Bold made with Telegram's own formatting arrives bold."""
    await loaded.send(ADMIN_ID, "/thongbao")
    await loaded.send(
        ADMIN_ID, "Khẩn: ký số", entities=[{"type": "bold", "offset": 0, "length": 5}]
    )
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["Tất cả đơn vị"])
    (preview,) = await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    assert "\n\n<b>Khẩn:</b> ký số" in preview


async def test_cancel_and_stale_buttons(loaded: Harness, people: dict[str, list[int]]) -> None:
    """Cancel sends nothing; the old buttons then say the draft is closed; /huy works too."""
    await compose(loaded, "Thử.", "Tất cả đơn vị")
    stale = loaded.last_keyboard()[0][1]
    cancel = dict(loaded.last_keyboard())["✖️ Hủy"]
    (done,) = await loaded.press(ADMIN_ID, cancel)
    assert done == "Đã hủy. Chưa gửi gì."
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, stale)
    alert = [c.params for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
    assert alert[-1]["text"].startswith("Bản nháp này đã đóng")
    await loaded.send(ADMIN_ID, "/thongbao")
    assert await loaded.send(ADMIN_ID, "/huy") == ["Đã hủy."]
    assert count(loaded, Broadcast) == 0


async def test_officials_cannot_press_draft_or_remind_buttons(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """A forged 'send' or 'remind' button from an official is refused."""
    head = people["low_heads"][0]
    await compose(loaded, "Thử.", "Tất cả đơn vị", "Chỉ người đứng đầu (bí thư / chủ tịch)")
    send = loaded.last_keyboard()[0][1]
    for data in (send, "bcr:1", "bcs:1"):
        start = len(loaded.request.calls)
        await loaded.press(head, data)
        alert = [
            c.params for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"
        ]
        assert alert[-1]["text"] == "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    assert count(loaded, Broadcast) == 0


async def test_groups_audience(loaded: Harness) -> None:
    """'Subscribed group chats' goes to each subscribed group once."""
    await loaded.send(ADMIN_ID, "/nhom", chat_id=-100500, chat_type="supergroup")
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1], chat_id=-100500)
    preview = await compose(loaded, "Tổng kết tuần.", "Các nhóm đã đăng ký nhận tin")
    assert "Sẽ gửi tới <b>1 nhóm</b>." in preview
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    start = len(loaded.request.calls)
    await loaded.drain()
    assert [chat for chat, _t, _m in sends_to(loaded, start)] == [-100500]


async def test_english_interface(loaded: Harness, people: dict[str, list[int]]) -> None:
    """The whole dialog in English for an English-speaking secretariat member."""
    await loaded.send(ADMIN_ID, "/broadcast", language_code="en")
    (ask,) = await loaded.send(ADMIN_ID, "Meeting at 8.", language_code="en")
    assert ask == "Who should receive it?"
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["All units"], language_code="en")
    (preview,) = await loaded.press(
        ADMIN_ID, dict(loaded.last_keyboard())["Heads only (bí thư / chủ tịch)"], language_code="en"
    )
    assert "It will go to <b>5 people</b> in 104 units." in preview


async def test_everyone_reachable_message(loaded: Harness) -> None:
    """/khonglienlac lists the 104 units nobody uses the bot in yet."""
    texts = await loaded.send(ADMIN_ID, "/khonglienlac")
    assert texts[0].startswith("🏢 <b>104 đơn vị chưa có ai dùng bot</b>")
    assert all(len(t) <= 4096 for t in texts)


async def test_group_upgraded_during_a_broadcast_keeps_its_subscription(loaded: Harness) -> None:
    """ChatMigrated while sending: delivered at the new id, and the subscription follows it."""
    from bot.core.models import GroupSubscription

    old, new = -4500, -1004500
    await loaded.send(ADMIN_ID, "/nhom", chat_id=old, chat_type="group")
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1], chat_id=old)
    loaded.request.fail(old, 400, "Bad Request: group chat was upgraded", migrate_to_chat_id=new)
    await compose(loaded, "Tổng kết tuần.", "Các nhóm đã đăng ký nhận tin")
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    start = len(loaded.request.calls)
    await loaded.drain()
    assert [chat for chat, _t, _m in sends_to(loaded, start)] == [new]
    with Session(loaded.engine) as session:
        active = session.exec(
            select(GroupSubscription.chat_id).where(GroupSubscription.active == True)  # noqa: E712
        ).all()
    assert active == [new]


async def test_draft_closes_after_half_an_hour(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """An untouched draft closes after 30 minutes: its buttons say so, text is not taken."""
    await compose(loaded, "Thử.", "Tất cả đơn vị")
    stale = loaded.last_keyboard()[0][1]
    now = loaded.app.bot_data.runtime.clock()
    loaded.app.bot_data.runtime.clock = lambda: now + dt.timedelta(minutes=31)
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, stale)
    alert = [c.params for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
    assert alert[-1]["text"].startswith("Bản nháp này đã đóng")
    await loaded.send(ADMIN_ID, "/thongbao")
    loaded.app.bot_data.runtime.clock = lambda: now + dt.timedelta(minutes=62)
    assert await loaded.send(ADMIN_ID, "Họp lúc 8 giờ.") != ["Gửi cho ai?"]
    assert count(loaded, Broadcast) == 0


async def test_group_messages_are_not_the_announcement(
    loaded: Harness, people: dict[str, list[int]]
) -> None:
    """While a draft waits for its text, the same person's rate question in a group is answered
    there as usual, and the draft still takes the text typed in the private chat."""
    await loaded.send(ADMIN_ID, "/thongbao")
    (answer,) = await loaded.send(
        ADMIN_ID, "Tỷ lệ ký số của Nam Tiền Hải", chat_id=-100500, chat_type="supergroup"
    )
    assert "Tỷ lệ" in answer
    assert await loaded.send(ADMIN_ID, "Họp lúc 8 giờ.") == ["Gửi cho ai?"]


async def test_progress_is_counted_off_the_event_loop(
    loaded: Harness, people: dict[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting a broadcast's deliveries and acknowledgements (10,000 rows at national scale)
    happens in a worker thread: chats keep being answered while the progress job reads."""
    import threading

    from bot.broadcasts import service

    await compose(loaded, "Khẩn.", "Tất cả đơn vị", "Chỉ người đứng đầu (bí thư / chủ tịch)")
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    threads: list[int] = []
    counted = service.status

    def status(**kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return counted(**kwargs)

    monkeypatch.setattr(service, "status", status)
    (shown,) = await progress_tick(loaded)
    assert "Đã gửi 0/" in shown
    assert threads and threading.get_ident() not in threads
