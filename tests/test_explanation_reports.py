"""Explanation reports: sending, replacing, late, files, the secretariat's review; /hanchot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from telegram import Update

from bot import cli
from bot.core.config import Settings
from bot.core.models import (
    Acknowledgement,
    AuditLog,
    DeadlineUnit,
    ExplanationReport,
    Role,
    Unit,
)
from bot.offline import message_update
from tests.app_kit import every_page
from tests.conftest import ADMIN_ID, Harness
from tests.deadline_kit import (
    PHU_DUC_HEAD,
    PHU_DUC_STAFF,
    QUANG_LICH_STAFF,
    TIEN_HUNG_STAFF,
    at,
    create_template,
    link_officials,
    sent_to,
    step,
    use_clock,
)


async def send_report(h: Harness, user_id: int, text: str, deadline_id: int = 1) -> list[str]:
    """/giaitrinh (one open report deadline), the text, Submit; returns the receipt."""
    await h.send(user_id, "/giaitrinh")
    await h.send(user_id, text)
    return await h.press(user_id, "dl:send")


async def send_photo(h: Harness, user_id: int, size: int, caption: str = "") -> list[str]:
    """A compressed photo as Telegram sends it."""
    payload = message_update(user_id, "")
    message: dict[str, Any] = payload["message"]
    del message["text"]
    message["photo"] = [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 900},
        {"file_id": "big", "file_unique_id": "b", "width": 1280, "height": 960, "file_size": size},
    ]
    if caption:
        message["caption"] = caption
    start = len(h.request.calls)
    await h.app.process_update(Update.de_json(payload, h.app.bot))
    return [str(c.params["text"]) for c in h.request.calls[start:] if c.method == "sendMessage"]


async def test_report_replaced_before_the_deadline_late_after_it(loaded: Harness) -> None:
    """Replace until the deadline (new receipt); after it a first report is accepted as late and
    an on-time one can no longer be replaced."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 24, 9, 30))
    first = (await send_report(loaded, PHU_DUC_STAFF, "Lý do: chưa có chứng thư số."))[-1]
    assert "Số biên nhận: <b>GT1-0001</b> · nhận lúc 09:30 24/06/2026" in first
    clock.set(at(6, 25, 14))
    await loaded.send(PHU_DUC_STAFF, "/giaitrinh")
    prompt = loaded.request.texts()[-1]
    assert "Đơn vị đã nộp lúc 09:30 24/06/2026 (biên nhận GT1-0001)" in prompt
    await loaded.send(PHU_DUC_STAFF, "Bản đầy đủ, có số liệu từng tháng.")
    replaced = (await loaded.press(PHU_DUC_STAFF, "dl:send"))[-1]
    assert "✅ Đã thay thế báo cáo giải trình của đơn vị." in replaced
    assert "<b>GT1-0001-2</b>" in replaced
    with Session(loaded.engine) as session:
        report = session.exec(select(ExplanationReport)).one()
    assert report.text == "Bản đầy đủ, có số liệu từng tháng." and report.version == 2

    clock.set(at(6, 27, 9))
    closed = await loaded.send(PHU_DUC_STAFF, "/giaitrinh")
    assert closed == [
        "<b>Đảng ủy xã Phụ Dực</b> hiện không có báo cáo giải trình nào cần nộp. "
        "Gõ /hanchot để xem các hạn chót của đơn vị."
    ]
    await loaded.press(PHU_DUC_STAFF, "dl:rep:1")
    alerts = [
        c.params.get("text") for c in loaded.request.calls if c.method == "answerCallbackQuery"
    ]
    assert "đã quá hạn nên không thể thay thế nữa" in str(alerts[-1])
    late = (await send_report(loaded, TIEN_HUNG_STAFF, "Đơn vị xin giải trình muộn."))[-1]
    assert "⏰ Nộp sau hạn chót (23:59 26/06/2026): được ghi nhận là nộp muộn." in late
    status = "\n".join(await loaded.send(ADMIN_ID, "/hanchot_tt 1"))
    assert "✅ Đúng hạn: 1 · ⏰ Muộn: 1 · ❌ Chưa nộp: 36" in status
    assert "⏰ <b>Nộp muộn (1)</b>\n1. Đảng ủy xã Tiên Hưng — 09:00 27/06/2026 · GT1-0002" in status
    with Session(loaded.engine) as session:
        late_flags = {r.receipt: r.late for r in session.exec(select(ExplanationReport))}
    assert late_flags == {"GT1-0001-2": False, "GT1-0002": True}


async def test_secretariat_reads_the_file_accepts_and_asks_for_more(loaded: Harness) -> None:
    """The file is forwarded by its Telegram id; accepting and asking for more tell the unit;
    a unit asked for more owes again and may answer even after the deadline."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 24, 9))
    await loaded.press(PHU_DUC_STAFF, "dl:rep:1")
    await loaded.send_document(
        PHU_DUC_STAFF, b"PK docx", "giai-trinh.docx", caption="Kính gửi Văn phòng"
    )
    await loaded.press(PHU_DUC_STAFF, "dl:send")
    await send_report(loaded, TIEN_HUNG_STAFF, "Chúng tôi sẽ khắc phục trong tháng 7.")

    status = await loaded.send(ADMIN_ID, "/hanchot_tt 1")
    assert "Bấm vào đơn vị bên dưới" in status[-1]
    buttons = loaded.last_keyboard()
    assert [label for label, _data in buttons] == [
        "📄 Đảng ủy xã Phụ Dực",
        "📄 Đảng ủy xã Tiên Hưng",
        "Tiếp ▶️",
        "📥 Tải bảng (CSV)",
    ]
    await loaded.press(ADMIN_ID, "dl:csv:1")
    table = loaded.request.sent("sendDocument")[-1]
    name, data = next(iter(table.uploads.values()))
    assert name == "hanchot-1.csv" and data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("STT,Đơn vị,Trạng thái,Thời điểm nộp,Số biên nhận")
    assert len(rows) == 39
    assert any(
        r.startswith("22,Đảng ủy xã Phụ Dực,đúng hạn,09:00 24/06/2026,GT1-0001") for r in rows
    )
    with Session(loaded.engine) as session:
        report = session.exec(
            select(ExplanationReport).where(ExplanationReport.receipt == "GT1-0001")
        ).one()
    shown = await loaded.press(ADMIN_ID, buttons[0][1])
    assert "📄 <b>Báo cáo giải trình — Đảng ủy xã Phụ Dực</b>" in shown[0]
    assert "Tệp: giai-trinh.docx (1 KB) (gửi ngay bên dưới)" in shown[0]
    assert "Kính gửi Văn phòng" in shown[0] and "đúng hạn" in shown[0]
    document = loaded.request.sent("sendDocument")[-1]
    assert document.params["document"] == report.file_id and not document.uploads
    assert loaded.last_keyboard() == [
        ("✅ Chấp nhận", f"dl:acc:{report.id}"),
        ("↩️ Yêu cầu bổ sung", f"dl:more:{report.id}"),
    ]
    accepted = await loaded.press(ADMIN_ID, f"dl:acc:{report.id}")
    assert accepted == ["✅ Đã chấp nhận báo cáo GT1-0001 và báo cho đơn vị."]
    await loaded.drain()
    assert "Văn phòng đã chấp nhận báo cáo giải trình" in sent_to(loaded, PHU_DUC_STAFF)[-1]

    tien_hung = next(data for label, data in buttons if "Tiên Hưng" in label)
    rid = int(tien_hung.rsplit(":", 1)[1])
    ask = await loaded.press(ADMIN_ID, f"dl:more:{rid}")
    assert "cần bổ sung hoặc chỉnh sửa" in ask[-1]
    sent = await loaded.send(ADMIN_ID, "Đề nghị nêu rõ số văn bản chưa ký và lý do.")
    assert "đơn vị sẽ tiếp tục được nhắc" in sent[-1]
    await loaded.drain()
    notice = sent_to(loaded, TIEN_HUNG_STAFF)[-1]
    assert "↩️ <b>Đề nghị bổ sung báo cáo giải trình" in notice
    assert "Văn phòng đề nghị: Đề nghị nêu rõ số văn bản chưa ký và lý do." in notice
    await step(loaded, clock, at(6, 25, 8))  # it owes again: reminded with the note
    reminder = sent_to(loaded, TIEN_HUNG_STAFF)[-1]
    assert "báo cáo giải trình đã bổ sung (Văn phòng đề nghị:" in reminder
    assert all("Nhắc hạn" not in t for t in sent_to(loaded, PHU_DUC_STAFF)[1:])
    clock.set(at(6, 28, 9))  # after the deadline a unit asked for more may still answer
    done = (await send_report(loaded, TIEN_HUNG_STAFF, "Đã bổ sung đầy đủ."))[-1]
    assert "Đã thay thế báo cáo giải trình" in done
    with Session(loaded.engine) as session:
        actions = {e.action for e in session.exec(select(AuditLog)).all()}
    assert {"report.submit", "report.replace", "report.accept", "report.more"} <= actions


async def test_report_files_are_checked_before_anything_is_kept(loaded: Harness) -> None:
    """Only PDF, DOCX and images, within REPORT_MAX_MB; photos are accepted."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 24, 9))
    await loaded.send(PHU_DUC_STAFF, "/giaitrinh")
    refused = await loaded.send_document(PHU_DUC_STAFF, b"MZ", "baocao.exe")
    assert refused == [
        "“baocao.exe” không phải tệp PDF, DOCX hay ảnh. Đồng chí hãy gửi một trong các loại tệp đó."
    ]
    too_big = await loaded.send_document(
        PHU_DUC_STAFF, b"%PDF", "baocao.pdf", file_size=25 * 1024 * 1024
    )
    assert too_big == ["Tệp quá lớn (25 MB; tối đa 20 MB)."]
    empty = await loaded.press(PHU_DUC_STAFF, "dl:send")
    assert empty == []  # an alert: send something first
    photo = await send_photo(loaded, PHU_DUC_STAFF, 300_000, caption="Ảnh biên bản")
    assert "Sẵn sàng nộp: nội dung 12 ký tự, tệp ảnh." in photo[-1]
    await loaded.press(PHU_DUC_STAFF, "dl:send")
    with Session(loaded.engine) as session:
        report = session.exec(select(ExplanationReport)).one()
    assert (report.file_id, report.file_kind, report.text) == ("big", "photo", "Ảnh biên bản")
    assert not any(c.method == "getFile" for c in loaded.request.calls)


async def test_who_may_do_what(loaded: Harness) -> None:
    """Officials cannot create deadlines or read the status table; only audience units report;
    reports are sent in a private chat; viewers only read."""
    link_officials(loaded)
    loaded.link(4001, "Phụ Dực", Role.VIEWER)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 24, 9))
    assert await loaded.send(PHU_DUC_HEAD, "/hanchot_moi") == [
        "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    ]
    assert await loaded.send(PHU_DUC_HEAD, "/hanchot_tt 1") == [
        "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    ]
    assert "Vai trò của đồng chí" in (await loaded.send(4001, "/giaitrinh"))[0]
    assert "Hạn chót của Đảng ủy xã Phụ Dực" in (await loaded.send(4001, "/hanchot"))[0]
    assert await loaded.press(QUANG_LICH_STAFF, "dl:rep:1") == []
    alerts = [
        c.params.get("text") for c in loaded.request.calls if c.method == "answerCallbackQuery"
    ]
    assert (
        alerts[-1]
        == "Đơn vị của đồng chí không phải nộp báo cáo cho “Báo cáo giải trình — đơn vị dưới 80%”."
    )
    nothing = await loaded.send(QUANG_LICH_STAFF, "/giaitrinh")
    assert "hiện không có báo cáo giải trình nào cần nộp" in nothing[0]
    assert await loaded.press(PHU_DUC_STAFF, "dl:card:1") == []
    assert await loaded.press(PHU_DUC_STAFF, "dl:acc:1") == []
    in_group = await loaded.send(
        PHU_DUC_STAFF, "/giaitrinh", chat_id=-100123, chat_type="supergroup"
    )
    assert in_group == ["Đồng chí hãy dùng lệnh này trong cuộc trò chuyện riêng với bot."]
    assert await loaded.send(ADMIN_ID, "/giaitrinh") == [
        "Chỉ cán bộ của đơn vị mới nộp được báo cáo giải trình."
    ]
    with Session(loaded.engine) as session:
        assert session.exec(select(ExplanationReport)).first() is None


async def test_received_button_is_recorded_once_per_person(loaded: Harness) -> None:
    """“Đã nhận” answers with a short notice and counts in the status table."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    for _ in range(2):
        await loaded.press(PHU_DUC_STAFF, "dl:ack:1")
    toasts = [
        c.params.get("text") for c in loaded.request.calls if c.method == "answerCallbackQuery"
    ]
    assert toasts[-2:] == [
        "✅ Đã ghi nhận: đồng chí đã nhận lời nhắc này.",
        "Đã ghi nhận trước đó. Cảm ơn đồng chí!",
    ]
    with Session(loaded.engine) as session:
        acks = session.exec(select(Acknowledgement)).all()
        unit = session.exec(select(Unit).where(Unit.name == "Đảng ủy xã Phụ Dực")).one()
    assert [(a.subject, a.telegram_id, a.unit_id) for a in acks] == [
        ("deadline:1", PHU_DUC_STAFF, unit.id)
    ]
    status = await every_page(loaded, ADMIN_ID, "/hanchot_tt 1")
    assert "👁 Đã bấm “Đã nhận”: 1 đơn vị" in status
    assert "Đảng ủy xã Phụ Dực 👁" in status


async def test_officials_see_their_open_deadlines_with_time_left_and_what_is_owed(
    loaded: Harness,
) -> None:
    """/hanchot for an official: both letters' deadlines, in Vietnamese or English."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded, "report80")
    await create_template(loaded, "sign100")
    clock.set(at(6, 25, 16, 30))
    text = (await loaded.send(PHU_DUC_STAFF, "/hanchot"))[0]
    assert "🗓 <b>Hạn chót của Đảng ủy xã Phụ Dực</b>" in text
    assert "Hạn chót: <b>23:59 26/06/2026</b> (còn 1 ngày 7 giờ)" in text
    assert "tỷ lệ ký số của đơn vị là 75% (18/24), dưới 80%" in text
    assert "Hạn chót: <b>23:59 30/06/2026</b> (còn 5 ngày 7 giờ)" in text
    assert "còn 6 văn bản chưa ký số, cần đạt 100%" in text
    assert loaded.last_keyboard() == [("📝 Nộp giải trình", "dl:rep:1")]
    english = (await loaded.send(PHU_DUC_STAFF, "/deadlines", language_code="en"))[0]
    assert "6 documents not yet digitally signed, 100% required" in english
    assert "(1 day 7 hours left)" in english
    assert "80%" in (await loaded.send(QUANG_LICH_STAFF, "/hanchot"))[0]  # only the 100 % one
    assert "Báo cáo giải trình" not in (await loaded.send(QUANG_LICH_STAFF, "/hanchot"))[0]
    overview = "\n".join(await loaded.send(ADMIN_ID, "/hanchot"))
    assert "#1 <b>Báo cáo giải trình — đơn vị dưới 80%</b>" in overview
    assert "Đã hoàn thành: 14/104 đơn vị" in overview


async def test_two_report_deadlines_are_chosen_with_buttons(loaded: Harness) -> None:
    """/giaitrinh asks which deadline when the unit owes two reports."""
    link_officials(loaded)
    use_clock(loaded, at(6, 22, 16))
    await create_template(loaded, "report80")
    await loaded.send(ADMIN_ID, "/hanchot_moi")
    await loaded.press(ADMIN_ID, "dl:new:custom")
    await loaded.send(ADMIN_ID, "Giải trình tỷ lệ dưới 50%")
    await loaded.send(ADMIN_ID, "3/7")
    await loaded.press(ADMIN_ID, "dl:new:k:report")
    await loaded.press(ADMIN_ID, "dl:new:a:below")
    await loaded.press(ADMIN_ID, "dl:new:th:50")
    period = loaded.last_keyboard()[0][1]
    summary = (await loaded.press(ADMIN_ID, period))[-1]
    assert "đơn vị có tỷ lệ dưới 50%" in summary
    await loaded.press(ADMIN_ID, "dl:new:ok")
    asked = await loaded.send(TIEN_HUNG_STAFF, "/giaitrinh")  # 20 %: owes both
    assert asked == ["Báo cáo giải trình cho hạn chót nào?"]
    assert [data for _label, data in loaded.last_keyboard()] == ["dl:pick:1", "dl:pick:2", "dl:x"]
    await loaded.press(TIEN_HUNG_STAFF, "dl:pick:2")
    await loaded.send(TIEN_HUNG_STAFF, "Giải trình dưới 50%.")
    receipt = (await loaded.press(TIEN_HUNG_STAFF, "dl:send"))[-1]
    assert "GT2-0001" in receipt and "Giải trình tỷ lệ dưới 50%" in receipt
    with Session(loaded.engine) as session:
        fulfilled = session.exec(
            select(DeadlineUnit).where(DeadlineUnit.fulfilled_at.is_not(None))  # type: ignore[union-attr]
        ).all()
    assert [(f.deadline_id) for f in fulfilled] == [2]


async def test_command_line_lists_deadlines_and_writes_the_status_table(
    loaded: Harness,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m bot deadlines list|status ID --out FILE`; an unknown id exits 2."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 24, 9))
    await send_report(loaded, PHU_DUC_STAFF, "Giải trình.")
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_TELEGRAM_IDS", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    capsys.readouterr()
    assert cli.main(["deadlines", "list"]) == 0
    out = capsys.readouterr().out
    assert out == "#1\t23:59 26/06/2026\t1/38\treport\tBáo cáo giải trình — đơn vị dưới 80%\n"
    target = tmp_path / "giai-trinh.csv"
    assert cli.main(["deadlines", "status", "1", "--out", str(target)]) == 0
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 39 and sum(",chưa nộp," in r for r in rows) == 37
    assert cli.main(["deadlines", "status", "9"]) == 2
    assert "Không có hạn chót #9" in capsys.readouterr().err
