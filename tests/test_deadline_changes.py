"""Creating by hand, editing, postponing and cancelling deadlines; rate deadlines and imports."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from bot.console import demo_table
from bot.core.audit import recent
from bot.core.config import Settings
from bot.core.models import Deadline, DeadlineUnit, OutboxMessage, OutboxStatus, Role, Unit
from jobs import deadlines as reminders
from tests.app_kit import every_page
from tests.conftest import ADMIN_ID, Harness
from tests.deadline_kit import (
    NGHIA_TRU_STAFF,
    PHU_DUC_HEAD,
    PHU_DUC_STAFF,
    QUANG_LICH_STAFF,
    TIEN_HUNG_STAFF,
    at,
    create_template,
    link_officials,
    restarted,
    sent_to,
    step,
    use_clock,
)


async def test_custom_deadline_through_the_dialog_with_typing_mistakes(loaded: Harness) -> None:
    """Title, date typed the Vietnamese way (impossible and past dates explained), a rate,
    an audience by kind and an edited plan; nothing is written until Create."""
    use_clock(loaded, at(6, 22, 16))
    await loaded.send(ADMIN_ID, "/hanchot_moi")
    ask = await loaded.press(ADMIN_ID, "dl:new:custom")
    assert "nhập tên hạn chót" in ask[-1]
    ask = await loaded.send(ADMIN_ID, "Ký số toàn bộ văn bản phường")
    assert "<code>26/6 17:00</code>" in ask[-1]
    error = await loaded.send(ADMIN_ID, "31/6 17:00")
    assert error == ["Không có ngày 31/6. Ví dụ: 26/06/2026, 26/6 17:00 hoặc 17h 26/6."]
    error = await loaded.send(ADMIN_ID, "21/6")
    assert "23:59 21/06/2026 đã qua (bây giờ là 16:00 22/06/2026)" in error[-1]
    error = await loaded.send(ADMIN_ID, "26/6 25:00")
    assert "25:00 không phải giờ hợp lệ" in error[-1]
    kind = await loaded.send(ADMIN_ID, "17h 30/6")
    assert kind == ["Mỗi đơn vị phải làm gì?"]
    await loaded.press(ADMIN_ID, "dl:new:k:rate")
    assert await loaded.send(ADMIN_ID, "120") == [
        "Đồng chí hãy nhập tỷ lệ phần trăm lớn hơn 0 và không quá 100, ví dụ 80 hoặc 100."
    ]
    periods = await loaded.send(ADMIN_ID, "95,5")
    assert periods == ["Tính tỷ lệ theo số liệu nào?"]
    assert ("📈 Số liệu mới nhất của từng đơn vị", "dl:new:rp:0") in loaded.last_keyboard()
    await loaded.press(ADMIN_ID, "dl:new:rp:0")
    await loaded.press(ADMIN_ID, "dl:new:a:kind")
    assert ("phường", "dl:new:ak:phuong") in loaded.last_keyboard()
    summary = (await loaded.press(ADMIN_ID, "dl:new:ak:phuong"))[-1]
    assert "Hạn chót: <b>17:00 30/06/2026</b>" in summary
    assert "Yêu cầu: đạt 95,5% — " in summary
    await loaded.press(ADMIN_ID, "dl:new:plan")
    unreadable = (await loaded.send(ADMIN_ID, "hai ngày"))[-1]
    assert unreadable.startswith("Không đọc được lịch nhắc này.")
    summary = (await loaded.send(ADMIN_ID, "5, 2 9h"))[-1]
    assert "Lịch nhắc: trước 5, 2 ngày và vào ngày hạn chót, lúc 09:00" in summary
    assert "Nhắc lần đầu: 09:00 25/06/2026" in summary
    with Session(loaded.engine) as session:
        assert session.exec(select(Deadline)).first() is None
        wards = session.exec(select(Unit).where(Unit.kind == "phuong")).all()
    created = (await loaded.press(ADMIN_ID, "dl:new:ok"))[-1]
    assert f"Theo dõi {len(wards)} đơn vị." in created
    with Session(loaded.engine) as session:
        deadline = session.exec(select(Deadline)).one()
    assert deadline.kind == "rate" and deadline.required_rate == 95.5
    assert deadline.plan_days == [5, 2] and deadline.plan_time == "09:00"
    assert deadline.due_at == at(6, 30, 17)
    assert deadline.audience == {"type": "kind", "kind": "phuong"}


async def test_cancel_in_the_dialog_writes_nothing_and_stale_buttons_are_explained(
    loaded: Harness,
) -> None:
    """/huy ends the dialog; its buttons afterwards say so instead of acting."""
    use_clock(loaded, at(6, 22, 16))
    await loaded.send(ADMIN_ID, "/hanchot_moi")
    await loaded.press(ADMIN_ID, "dl:new:t:report80")
    assert await loaded.send(ADMIN_ID, "/huy") == ["Đã hủy, không có gì được lưu."]
    await loaded.press(ADMIN_ID, "dl:new:ok")
    alerts = [
        c.params.get("text") for c in loaded.request.calls if c.method == "answerCallbackQuery"
    ]
    assert "Phiên thao tác này đã kết thúc" in str(alerts[-1])
    with Session(loaded.engine) as session:
        assert session.exec(select(Deadline)).first() is None
    # Text typed after the dialog goes to the usual handlers again.
    assert "82,29%" not in " ".join(await loaded.send(ADMIN_ID, "xin chào"))


async def test_the_dialog_survives_a_restart_and_expires_unanswered(
    loaded: Harness, settings: Settings
) -> None:
    """The draft is kept in the database: a new process carries on where the old one stopped;
    a question left unanswered for 30 minutes (on the runtime's clock) is forgotten."""
    clock = use_clock(loaded, at(6, 22, 16))
    await loaded.send(ADMIN_ID, "/hanchot_moi")
    await loaded.press(ADMIN_ID, "dl:new:custom")
    await loaded.send(ADMIN_ID, "Báo cáo quý II")
    async with restarted(settings, clock) as again:
        asked = await again.send(ADMIN_ID, "26/6")
        assert asked == ["Mỗi đơn vị phải làm gì?"]
        await again.press(ADMIN_ID, "dl:new:k:report")
        clock.set(at(6, 22, 16, 31))
        assert await again.press(ADMIN_ID, "dl:new:a:all") == []
        alerts = [
            c.params.get("text") for c in again.request.calls if c.method == "answerCallbackQuery"
        ]
        assert "Phiên thao tác này đã kết thúc" in str(alerts[-1])
        await again.send(ADMIN_ID, "/hanchot_moi")
        cancelled = await again.press(ADMIN_ID, "dl:x")
        assert cancelled == ["Đã hủy, không có gì được lưu."]
        assert await again.press(ADMIN_ID, "dl:x") == []  # the dialog has ended
    with Session(loaded.engine) as session:
        assert session.exec(select(Deadline)).first() is None


async def test_template_date_already_passed_is_asked(loaded: Harness) -> None:
    """In November the letter's 26/6 is gone: the dialog asks for the date."""
    use_clock(loaded, at(11, 23, 9))
    await loaded.send(ADMIN_ID, "/hanchot_moi")
    asked = (await loaded.press(ADMIN_ID, "dl:new:t:report80"))[-1]
    assert asked.startswith("Ngày hạn trong văn bản năm nay đã qua.")
    summary = (await loaded.send(ADMIN_ID, "5/12 17:00"))[-1]
    assert "Hạn chót: <b>17:00 05/12/2026</b>" in summary and "38 đơn vị" in summary


async def test_postponement_is_told_to_everyone_already_reminded(loaded: Harness) -> None:
    """Only people who received something hear of it; reminders follow the new date."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    clock.set(at(6, 24, 9))
    card = "\n".join(await loaded.send(ADMIN_ID, f"/hanchot {deadline_id}"))
    assert "Lần nhắc tới: 08:00 25/06/2026" in card
    assert ("⏩ Gia hạn", f"dl:ed:{deadline_id}:due") in loaded.last_keyboard()
    prompt = await loaded.press(ADMIN_ID, f"dl:ed:{deadline_id}:due")
    assert "có hạn chót 23:59 26/06/2026" in prompt[-1]
    refused = await loaded.send(ADMIN_ID, "25/6")
    assert refused[0].startswith("Hạn mới phải sau hạn hiện tại (23:59 26/06/2026).")
    reply = await loaded.send(ADMIN_ID, "17h 30/6/2026")
    assert reply[0] == (
        "✅ Đã gia hạn đến 17:00 30/06/2026. Đã báo cho 2 người đã được nhắc trước đó."
    )
    delivered = await loaded.drain()
    assert len(delivered) == 2
    notice = sent_to(loaded, PHU_DUC_STAFF)[-1]
    assert "📅 <b>Gia hạn: Báo cáo giải trình — đơn vị dưới 80%</b>" in notice
    assert "Hạn mới: <b>17:00 30/06/2026</b> (trước đây: 23:59 26/06/2026)." in notice
    assert sent_to(loaded, PHU_DUC_HEAD) == []  # not reminded yet: nothing to correct
    assert reminders.queue_names(loaded.app) == [
        f"deadline:{deadline_id}:v2-{code}" for code in ("d0", "d1", "d3", "over")
    ]
    await step(loaded, clock, at(6, 25, 8))  # the old 1-day step is gone
    await step(loaded, clock, at(6, 26, 8))  # and so is the old due day
    assert len(sent_to(loaded, PHU_DUC_STAFF)) == 2
    await step(loaded, clock, at(6, 27, 8))  # 3 days before 30/6
    last = sent_to(loaded, PHU_DUC_STAFF)[-1]
    assert "Hạn chót: <b>17:00 30/06/2026</b> (còn 3 ngày 9 giờ)" in last
    with Session(loaded.engine) as session:
        entry = recent(session=session, limit=1)[0]
    assert entry.action == "deadline.postpone" and entry.details["notified"] == 2


async def test_cancellation_is_told_and_stops_everything(loaded: Harness) -> None:
    """Cancel with confirmation: queued reminders are withdrawn, jobs removed, units told."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    clock.set(at(6, 24, 9))
    ask = await loaded.press(ADMIN_ID, f"dl:cx:{deadline_id}")
    assert "Hủy hạn chót “Báo cáo giải trình — đơn vị dưới 80%”?" in ask[-1]
    kept = await loaded.press(ADMIN_ID, f"dl:cxn:{deadline_id}")
    assert "Lần nhắc tới" in kept[-1]
    done = await loaded.press(ADMIN_ID, f"dl:cxy:{deadline_id}")
    assert "Đã hủy hạn chót" in done[-1] and "Đã báo cho 2 người" in done[-1]
    await loaded.drain()
    assert "🗑 <b>Đã hủy hạn chót" in sent_to(loaded, TIEN_HUNG_STAFF)[-1]
    assert reminders.queue_names(loaded.app) == []
    for when in (at(6, 25, 8), at(6, 26, 8), at(6, 27, 7)):
        assert await step(loaded, clock, when) == []
    assert "không có hạn chót nào đang mở" in (await loaded.send(PHU_DUC_STAFF, "/hanchot"))[-1]
    refused = await loaded.press(ADMIN_ID, f"dl:ed:{deadline_id}:title")
    assert refused == []  # an alert, no message
    again = await loaded.press(ADMIN_ID, f"dl:cxy:{deadline_id}")
    assert again == []


async def test_rename_and_reminder_plan_are_audited(loaded: Harness) -> None:
    """Edits go through the card's buttons; the card shows the result."""
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    await loaded.press(ADMIN_ID, f"dl:ed:{deadline_id}:title")
    assert await loaded.send(ADMIN_ID, "   ") == [
        "Tên hạn chót không được để trống. Đồng chí hãy nhập tên.\nGõ /huy để hủy."
    ]
    replies = await loaded.send(ADMIN_ID, "Giải trình tỷ lệ ký số tháng 6")
    assert replies[0] == "✅ Đã đổi tên."
    assert "🗓 <b>Giải trình tỷ lệ ký số tháng 6</b> (#1)" in replies[1]
    await loaded.press(ADMIN_ID, f"dl:ed:{deadline_id}:plan")
    replies = await loaded.send(ADMIN_ID, "2 14:00")
    assert replies[0] == "✅ Lịch nhắc: trước 2 ngày và vào ngày hạn chót, lúc 14:00."
    assert reminders.queue_names(loaded.app) == [
        "deadline:1:v1-d0",
        "deadline:1:v1-d2",
        "deadline:1:v1-over",
    ]
    del clock
    with Session(loaded.engine) as session:
        actions = [e.action for e in recent(session=session, limit=3)]
    assert actions == ["deadline.edit", "deadline.edit", "deadline.create"]


def table_with(changes: dict[str, tuple[int, int]]) -> bytes:
    """The shared table with some units' figures changed (name → (total, signed))."""
    lines = demo_table().decode("utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split("\t")
        if len(cells) >= 5 and cells[1] in changes:
            total, signed = changes[cells[1]]
            cells[2], cells[3], cells[4] = str(total), str(signed), ""
        out.append("\t".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8")


async def test_rate_deadline_stops_reminding_a_unit_that_reached_the_rate(
    loaded: Harness,
) -> None:
    """100 %: only units below are reminded, with what they still owe; an import that shows a
    unit at 100 % ends its reminders, and a later dip does not bring them back."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded, "sign100")
    await step(loaded, clock, at(6, 23, 8))
    owed = sent_to(loaded, PHU_DUC_STAFF)
    assert len(owed) == 1
    assert "Còn phải: còn 6 văn bản chưa ký số, cần đạt 100% (hiện đạt 75%: 18/24)" in owed[0]
    assert "Nộp giải trình" not in str(loaded.request.sent()[-1].params.get("reply_markup"))
    assert len(sent_to(loaded, QUANG_LICH_STAFF)) == 1  # 80 % is below 100 %
    assert sent_to(loaded, NGHIA_TRU_STAFF) == []  # already at 100 %

    clock.set(at(6, 24, 10))
    loaded.import_table(
        table_with({"Đảng ủy xã Phụ Dực": (26, 26)}),
        "thong-ke-2026-06-22_2026-06-24.tsv",
        period_start=dt.date(2026, 6, 22),
        period_end=dt.date(2026, 6, 24),
    )
    with Session(loaded.engine) as session:
        reached = session.exec(
            select(DeadlineUnit)
            .join(Unit, Unit.id == DeadlineUnit.unit_id)  # type: ignore[arg-type]
            .where(Unit.name == "Đảng ủy xã Phụ Dực", DeadlineUnit.deadline_id == deadline_id)
        ).one()
    assert reached.fulfilled_at is not None
    mine = "\n".join(await loaded.send(PHU_DUC_STAFF, "/hanchot"))
    assert "✅ Đã hoàn thành: đơn vị đã đạt tỷ lệ yêu cầu." in mine
    await step(loaded, clock, at(6, 27, 8))
    assert len(sent_to(loaded, PHU_DUC_STAFF)) == 1
    assert len(sent_to(loaded, QUANG_LICH_STAFF)) == 2
    # A later table in which the unit slipped again does not restart its reminders.
    loaded.import_table(
        table_with({"Đảng ủy xã Phụ Dực": (30, 25)}),
        "thong-ke-2026-06-22_2026-06-28.tsv",
        period_start=dt.date(2026, 6, 22),
        period_end=dt.date(2026, 6, 28),
    )
    await step(loaded, clock, at(6, 29, 8))
    assert len(sent_to(loaded, PHU_DUC_STAFF)) == 1
    status = await every_page(loaded, ADMIN_ID, f"/hanchot_tt {deadline_id}")
    assert "✅ Đã đạt: 15 · ❌ Chưa đạt: 89" in status
    assert "Đảng ủy xã Quang Lịch — 80% (24/30), còn thiếu 6" in status


async def test_head_without_staff_gets_the_reminders(loaded: Harness) -> None:
    """A unit with only its head linked still hears about the deadline before the day."""
    loaded.link(3001, "Tiên Hưng", Role.HEAD)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    await step(loaded, clock, at(6, 26, 8))
    texts = sent_to(loaded, 3001)
    assert "⏰ <b>Nhắc hạn" in texts[0] and "🚨 <b>Hôm nay là hạn chót" in texts[1]
    assert len(texts) == 2


async def test_unreachable_officials_are_skipped(loaded: Harness) -> None:
    """Someone who blocked the bot is not queued again."""
    link_officials(loaded)
    loaded.request.blocked_chats.add(TIEN_HUNG_STAFF)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    await step(loaded, clock, at(6, 25, 8))
    with Session(loaded.engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.chat_id == TIEN_HUNG_STAFF)
        ).all()
    assert [r.status for r in rows] == [OutboxStatus.UNREACHABLE.value]
