"""In-chat import: a secretariat user sends or pastes a table, sees a preview, and confirms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, select

from bot.app import build_application
from bot.console import DEMO_TITLE
from bot.core.config import Settings
from bot.core.models import (
    AppUser,
    AuditLog,
    ImportBatch,
    Measurement,
    PendingImport,
    ReportingPeriod,
    Role,
    Unit,
)
from bot.core.text import fold, short_key
from bot.imports.options import parse_caption
from bot.offline import OfflineRequest
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness

OTHER_ADMIN = 2
STRANGER = 555


@pytest.fixture
def titled(shared_tsv: bytes) -> bytes:
    """The shared table with its title line, as the secretariat receives it."""
    return DEMO_TITLE.encode("utf-8") + shared_tsv


def count(h: Harness, model: Any) -> int:
    """Rows in a table."""
    with Session(h.engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def methods(h: Harness, start: int = 0) -> list[str]:
    """Bot API methods called since `start`."""
    return [c.method for c in h.request.calls[start:]]


def last_call(h: Harness, method: str) -> Any:
    """The latest call of a method."""
    return [c for c in h.request.calls if c.method == method][-1]


def alert_texts(h: Harness, start: int) -> list[str]:
    """Alert texts of answered button presses since `start`."""
    return [
        str(c.params.get("text"))
        for c in h.request.calls[start:]
        if c.method == "answerCallbackQuery" and c.params.get("text")
    ]


async def upload_preview(h: Harness, data: bytes, name: str = SHARED_NAME, **kw: Any) -> str:
    """Upload as the admin and return the callback data of the Confirm button."""
    texts = await h.send_document(ADMIN_ID, data, name, **kw)
    keyboard = h.last_keyboard()
    assert keyboard and keyboard[0][1].startswith("imp:ok:"), texts
    return keyboard[0][1]


async def test_upload_preview_confirm_and_overview(bot: Harness, titled: bytes) -> None:
    """The published table: one status message edited into the preview; Confirm imports it."""
    start = len(bot.request.calls)
    texts = await bot.send_document(ADMIN_ID, titled, SHARED_NAME, first_name="Thu Hà")
    # one message, edited in place: reading → checking → preview
    assert methods(bot, start).count("sendMessage") == 1
    assert texts[0] == "⏳ Đang đọc tệp…"
    assert texts[1] == "⏳ Đang kiểm tra 108 dòng…"  # three title lines, the header, 104 units
    preview = texts[-1]
    assert "Kỳ báo cáo: 08/06/2026 – 22/06/2026 (số liệu đến 15:00 22/06/2026)" in preview
    assert "Số đơn vị: 104" in preview
    assert "Tỷ lệ chung: <b>82,29%</b> (4.299/5.224 văn bản)" in preview
    assert "38 đơn vị dưới ngưỡng cảnh báo 80%" in preview
    assert "6 đơn vị dưới ngưỡng nghiêm trọng 50%" in preview
    assert "Sẽ thêm 104 đơn vị mới: Đảng ủy xã Nghĩa Trụ" in preview
    assert "Chưa ghi gì" in preview
    labels = [label for label, _data in bot.last_keyboard()]
    assert labels == ["✅ Xác nhận nhập", "✖️ Hủy"]
    assert all(len(data.encode()) <= 64 for _l, data in bot.last_keyboard())
    assert count(bot, Measurement) == 0 and count(bot, Unit) == 0
    assert count(bot, PendingImport) == 1

    texts = await bot.press(ADMIN_ID, bot.last_keyboard()[0][1], first_name="Thu Hà")
    assert texts[0] == "⏳ Đang ghi số liệu…"
    result = texts[-1]
    assert "✅ <b>Đã nhập “" + SHARED_NAME + "”</b>" in result
    assert "Số đơn vị: 104" in result and "<b>82,29%</b>" in result
    assert "38 đơn vị dưới ngưỡng cảnh báo 80%" in result
    assert "6 đơn vị dưới ngưỡng nghiêm trọng 50%" in result
    assert "Đã thêm 104 đơn vị mới" in result
    assert count(bot, Measurement) == 104 and count(bot, PendingImport) == 0

    with Session(bot.engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "import")).one()
        assert entry.actor_telegram_id == ADMIN_ID
        assert entry.details["rows"] == 104 and entry.details["source"] == SHARED_NAME
        batch = session.exec(select(ImportBatch)).one()
        assert batch.actor_telegram_id == ADMIN_ID
        user = session.get(AppUser, ADMIN_ID)
        assert user is not None and user.display_name == "Thu Hà"

    overview = (await bot.send(ADMIN_ID, "/tyle", language_code="vi"))[0]
    assert "82,29%" in overview and "38 đơn vị dưới ngưỡng cảnh báo 80%" in overview


async def test_preview_in_english(bot: Harness, titled: bytes) -> None:
    """The preview follows the uploader's language."""
    texts = await bot.send_document(ADMIN_ID, titled, SHARED_NAME, language_code="en")
    assert texts[0] == "⏳ Reading the file…"
    assert "Overall: <b>82.29%</b> (4,299/5,224 documents)" in texts[-1]
    assert "38 units below the warning threshold of 80%" in texts[-1]
    assert [label for label, _d in bot.last_keyboard()] == ["✅ Confirm import", "✖️ Cancel"]


async def test_cancel_writes_nothing(bot: Harness, titled: bytes) -> None:
    """Cancel removes the pending file and imports nothing."""
    confirm = await upload_preview(bot, titled)
    cancel = bot.last_keyboard()[1][1]
    texts = await bot.press(ADMIN_ID, cancel)
    assert texts == [f"✖️ Đã hủy nhập “{SHARED_NAME}”. Không ghi gì vào cơ sở dữ liệu."]
    assert count(bot, PendingImport) == 0
    assert count(bot, Measurement) == 0 and count(bot, Unit) == 0 and count(bot, AuditLog) == 0
    # the old Confirm button is dead now
    start = len(bot.request.calls)
    assert await bot.press(ADMIN_ID, confirm) == []
    assert "không còn hiệu lực" in alert_texts(bot, start)[0]
    assert count(bot, Measurement) == 0


async def test_bad_rows_are_all_listed_and_nothing_is_stored(bot: Harness) -> None:
    """Every bad row with its column, value and reason; no Confirm button; nothing written."""
    table = (
        "THỐNG KÊ (từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)\n"
        "STT;Đơn vị;Tổng;Ký số\n"
        "1;Xã An;10;12\n"
        "2;Xã Bình;abc;1\n"
        "3;Xã An;5;5\n"
        "4;Xã <Đông>;-3;0\n"
    ).encode()
    start = len(bot.request.calls)
    texts = await bot.send_document(ADMIN_ID, table, "loi.csv")
    text = texts[-1]
    assert text.startswith("❌ <b>Tệp “loi.csv” bị từ chối.</b> Chưa ghi gì vào cơ sở dữ liệu.")
    assert "Tìm thấy 4 lỗi" in text
    assert "dòng 3, cột “Ký số”, giá trị “12”: Số văn bản ký số (12) lớn hơn tổng" in text
    assert "dòng 4, cột “Tổng”, giá trị “abc”: “Tổng” không phải là số" in text
    assert "dòng 5, cột “Đơn vị”, giá trị “Xã An”: “Xã An” bị lặp lại (đã có ở dòng 3)" in text
    assert "dòng 6" in text and "không được là số âm" in text
    assert "&lt;Đông&gt;" in text or "Đông" not in text  # user text is escaped
    edits = [c for c in bot.request.calls[start:] if c.method == "editMessageText"]
    assert "reply_markup" not in edits[-1].params  # no Confirm button
    assert count(bot, PendingImport) == 0 and count(bot, Unit) == 0
    assert count(bot, Measurement) == 0


async def test_many_bad_rows_fit_one_message_with_the_full_list_attached(bot: Harness) -> None:
    """Hundreds of problems: the message stays under 4,096 characters, a file has them all."""
    lines = ["Đơn vị;Tổng;Ký số"] + [f"Đơn vị số {i};10;{20 + i}" for i in range(400)]
    data = ("từ ngày 08/6/2026 đến ngày 22/6/2026\n" + "\n".join(lines)).encode()
    texts = await bot.send_document(ADMIN_ID, data, "dai.csv")
    text = texts[-1]
    assert len(text) <= 4096
    assert "Tìm thấy 400 lỗi" in text and "… và " in text and "lỗi khác" in text
    name, content = last_call(bot, "sendDocument").uploads["document"]
    assert name == "dai-problems.txt"
    listed = content.decode("utf-8-sig").splitlines()
    assert sum(1 for line in listed if line.startswith("dòng ")) == 400
    assert listed[-1].startswith("dòng 402, cột “Ký số”, giá trị “419”")
    assert count(bot, Unit) == 0


async def test_oversized_file_is_refused_before_download(bot: Harness, titled: bytes) -> None:
    """A file above MAX_UPLOAD_MB is refused from its announced size: no getFile call."""
    start = len(bot.request.calls)
    texts = await bot.send_document(ADMIN_ID, titled, "to.xlsx", file_size=6 * 1024 * 1024)
    assert len(texts) == 1 and "Tệp quá lớn (6 MB; giới hạn là 5 MB)" in texts[0]
    assert "getFile" not in methods(bot, start)
    assert count(bot, PendingImport) == 0


async def test_upload_limit_is_configurable(tmp_path: Any, titled: bytes) -> None:
    """MAX_UPLOAD_MB=0.5 refuses a 600 KB file."""
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, MAX_UPLOAD_MB="0.5")
    request = OfflineRequest()
    app = build_application(settings, request=request)
    async with app:
        h = Harness(app, request)
        texts = await h.send_document(ADMIN_ID, titled, "a.csv", file_size=600 * 1024)
        assert "giới hạn là 0,5 MB" in texts[0]
        assert "getFile" not in methods(h)
    app.bot_data.runtime.engine.dispose()


@pytest.mark.parametrize("who", ["stranger", "head"])
async def test_files_from_others_are_politely_refused_unread(
    loaded: Harness, titled: bytes, who: str
) -> None:
    """Officials and strangers get a polite refusal, and the file is never downloaded."""
    user = STRANGER
    if who == "head":
        loaded.link(STRANGER, "Quang Lịch", Role.HEAD)
    start = len(loaded.request.calls)
    texts = await loaded.send_document(user, titled, SHARED_NAME)
    assert len(texts) == 1 and "chỉ Văn phòng mới được nhập bảng thống kê" in texts[0]
    assert "getFile" not in methods(loaded, start)
    assert count(loaded, PendingImport) == 0


async def test_unsupported_types_are_explained(bot: Harness) -> None:
    """A picture or an old .xls file gets a clear message without being downloaded (a PDF
    or Word file is a letter: tests/test_letters_chat.py)."""
    start = len(bot.request.calls)
    png = await bot.send_document(ADMIN_ID, b"\x89PNG\r\n", "bang.png")
    xls = await bot.send_document(ADMIN_ID, b"\xd0\xcf\x11\xe0", "bang.xls")
    assert "Tôi không đọc được tệp “bang.png”" in png[0] and "Excel (.xlsx)" in png[0]
    assert "định dạng Excel cũ (.xls)" in xls[0] and "Save As" in xls[0]
    assert "getFile" not in methods(bot, start)


async def test_unreadable_content_is_refused_after_reading(bot: Harness) -> None:
    """A binary file disguised as .csv is refused with the importer's reason."""
    texts = await bot.send_document(ADMIN_ID, b"\x89PNG\r\n\x1a\n\x00\x00", "anh.csv")
    assert "Không đọc được tệp “anh.csv”" in texts[-1] and "Chưa ghi gì" in texts[-1]


async def test_double_confirm_imports_once(bot: Harness, titled: bytes) -> None:
    """A second press on Confirm says the preview is closed and imports nothing more."""
    confirm = await upload_preview(bot, titled)
    await bot.press(ADMIN_ID, confirm)
    start = len(bot.request.calls)
    assert await bot.press(ADMIN_ID, confirm) == []
    assert "không còn hiệu lực" in alert_texts(bot, start)[0]
    assert count(bot, ImportBatch) == 1 and count(bot, Measurement) == 104
    assert count(bot, AuditLog) == 1


async def test_preview_survives_a_restart(settings: Settings, bot: Harness, titled: bytes) -> None:
    """Confirm pressed on a new Application (same database) imports the stored file."""
    confirm = await upload_preview(bot, titled)
    request = OfflineRequest()
    app = build_application(settings, request=request)
    async with app:
        restarted = Harness(app, request)
        texts = await restarted.press(ADMIN_ID, confirm)
        assert "Đã nhập" in texts[-1] and "<b>82,29%</b>" in texts[-1]
        assert count(restarted, Measurement) == 104 and count(restarted, PendingImport) == 0
    app.bot_data.runtime.engine.dispose()


async def test_only_the_uploader_may_confirm(bot: Harness, titled: bytes) -> None:
    """Another secretariat member's press is refused and leaves the preview open."""
    from bot.core.db import session_scope
    from bot.core.people import link_official

    with session_scope(bot.engine) as session:
        link_official(session=session, telegram_id=OTHER_ADMIN, unit_id=None, role=Role.SECRETARIAT)
    confirm = await upload_preview(bot, titled)
    start = len(bot.request.calls)
    assert await bot.press(OTHER_ADMIN, confirm) == []
    assert alert_texts(bot, start) == [
        "Chỉ người đã gửi tệp này mới được xác nhận hoặc hủy việc nhập."
    ]
    assert count(bot, Measurement) == 0 and count(bot, PendingImport) == 1
    # an official outside the secretariat gets the command refusal
    start = len(bot.request.calls)
    assert await bot.press(STRANGER, confirm) == []
    assert "chỉ dành cho Văn phòng" in alert_texts(bot, start)[0]
    assert "Đã nhập" in (await bot.press(ADMIN_ID, confirm))[-1]


async def test_expired_preview_is_refused_and_deleted(bot: Harness, titled: bytes) -> None:
    """A preview older than a day cannot be confirmed; it is removed."""
    confirm = await upload_preview(bot, titled)
    with Session(bot.engine) as session:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.exec(update(PendingImport).values(expires_at=past))  # type: ignore[call-overload]
        session.commit()
    texts = await bot.press(ADMIN_ID, confirm)
    assert texts == [
        f"⌛ Bản xem trước của “{SHARED_NAME}” đã hết hạn, chưa ghi gì. "
        "Đồng chí gửi lại tệp để nhập."
    ]
    assert count(bot, PendingImport) == 0 and count(bot, Measurement) == 0


async def test_a_newer_upload_replaces_the_earlier_preview(bot: Harness, titled: bytes) -> None:
    """Only the latest file of a user can be confirmed."""
    first = await upload_preview(bot, titled)
    second = await upload_preview(bot, titled)
    assert first != second and count(bot, PendingImport) == 1
    start = len(bot.request.calls)
    await bot.press(ADMIN_ID, first)
    assert "không còn hiệu lực" in alert_texts(bot, start)[0]
    assert count(bot, Measurement) == 0
    assert "Đã nhập" in (await bot.press(ADMIN_ID, second))[-1]


async def test_confirm_revalidates_against_the_current_database(
    bot: Harness, titled: bytes
) -> None:
    """If the database changed so the file no longer fits, Confirm refuses and writes nothing."""
    confirm = await upload_preview(bot, titled)
    name = "Đảng ủy xã Nghĩa Trụ"
    with Session(bot.engine) as session:
        for code in ("nghia-tru-a", "nghia-tru-b"):  # two active units with the same name
            key = fold(name)
            session.add(Unit(code=code, name=name, name_key=key, short_key=short_key(key)))
        session.commit()
    texts = await bot.press(ADMIN_ID, confirm)
    assert "không còn hợp lệ" in texts[-1] and "Chưa ghi gì" in texts[-1]
    assert "“Đảng ủy xã Nghĩa Trụ” trùng với 2 đơn vị đã có" in texts[-1]
    assert count(bot, Measurement) == 0 and count(bot, PendingImport) == 0


async def test_preview_warns_when_a_period_is_replaced(loaded: Harness, shared_tsv: bytes) -> None:
    """Re-sending a period says it replaces stored figures, and which units would lose theirs."""
    lines = shared_tsv.decode("utf-8").splitlines()
    shorter = "\n".join([DEMO_TITLE.strip(), *lines[:-2]]).encode()  # two units fewer
    await upload_preview(loaded, shorter)
    preview = loaded.request.texts()[-1]
    assert "Kỳ này đã có số liệu (104 đơn vị)" in preview
    assert "2 đơn vị đã có số liệu nhưng không có trong tệp này" in preview
    assert "Sẽ thêm" not in preview


async def test_caption_gives_the_period(bot: Harness, shared_tsv: bytes) -> None:
    """A file without a title imports with the period written in its caption."""
    texts = await bot.send_document(
        ADMIN_ID, shared_tsv, "bang.tsv", caption="Kỳ 08/06/2026 - 22/06/2026"
    )
    assert "Kỳ báo cáo: 08/06/2026 – 22/06/2026" in texts[-1]
    await bot.press(ADMIN_ID, bot.last_keyboard()[0][1])
    with Session(bot.engine) as session:
        period = session.exec(select(ReportingPeriod)).one()
        assert (period.start_date, period.end_date) == (dt.date(2026, 6, 8), dt.date(2026, 6, 22))
    bad = await bot.send_document(ADMIN_ID, shared_tsv, "bang.tsv", caption="31/02/2026")
    assert bad == ["“31/02/2026” trong chú thích không phải là ngày hợp lệ."]


def test_caption_parsing() -> None:
    """Two dates give the period, a code the indicator; anything else is ignored."""
    opts = parse_caption("08/06/2026 - 22/06/2026 phat-hanh-dien-tu")
    assert opts.period_start == dt.date(2026, 6, 8) and opts.period_end == dt.date(2026, 6, 22)
    assert opts.indicator_code == "phat-hanh-dien-tu"
    assert parse_caption("2026-06-08 đến 2026-06-22").period_end == dt.date(2026, 6, 22)
    assert parse_caption("bảng tuần này").period_start is None
    assert parse_caption(None).indicator_code == "ky-so"


async def test_unknown_indicator_in_caption_is_refused(bot: Harness, titled: bytes) -> None:
    """A wrong indicator code is listed as a problem."""
    texts = await bot.send_document(ADMIN_ID, titled, "bang.tsv", caption="chi-tieu-la")
    assert "Không có chỉ tiêu “chi-tieu-la”" in texts[-1]


async def test_pasted_table_is_previewed_and_imported(bot: Harness) -> None:
    """A table pasted as text (semicolons, period on the first line) imports like a file."""
    text = (
        "08/06/2026 - 22/06/2026\n"
        "STT;Đơn vị;Tổng số văn bản đi;Số văn bản ký số;Tỷ lệ\n"
        "1;Đảng ủy xã An Bình;40;33;82,5%\n"
        "2;Đảng ủy xã Đông Hòa;10;4;40%"
    )
    texts = await bot.send(ADMIN_ID, text)
    assert texts[0] == "⏳ Đang đọc bảng…"
    assert "Số đơn vị: 2" in texts[-1] and "1 đơn vị dưới ngưỡng nghiêm trọng 50%" in texts[-1]
    assert len(texts) == 3 and texts[-1].startswith("📋")  # a preview, not a rate answer
    result = await bot.press(ADMIN_ID, bot.last_keyboard()[0][1])
    assert "Đã nhập “pasted-table.txt”" in result[-1] and "<b>74%</b> (37/50" in result[-1]
    assert count(bot, Measurement) == 2


async def test_tab_separated_paste_from_excel(bot: Harness, shared_tsv: bytes) -> None:
    """Cells copied from Excel arrive tab-separated; the title line gives the period."""
    period_line = DEMO_TITLE.strip().splitlines()[-1]  # "… từ ngày 08/6/2026 đến 15 giờ …"
    head = "\n".join([period_line, *shared_tsv.decode("utf-8").splitlines()[:5]])
    texts = await bot.send(ADMIN_ID, head, language_code="en")
    assert "Units: 4" in texts[-1] and "08/06/2026 – 22/06/2026" in texts[-1]


async def test_ordinary_text_is_not_taken_for_a_table(loaded: Harness) -> None:
    """Chat text with semicolons still reaches the rate question or the fallback."""
    start = len(loaded.request.calls)
    texts = await loaded.send(ADMIN_ID, "Chào đồng chí; hẹn gặp\nchiều nay; phòng họp 2")
    assert texts == [
        "Tôi chưa hiểu ý đồng chí. Gõ /tyle để xem tỷ lệ ký số hoặc /trogiup để xem hướng dẫn."
    ]
    assert "⏳" not in " ".join(texts)
    rate = await loaded.send(ADMIN_ID, "tỷ lệ ký số của tôi")
    assert "82,29%" in rate[0]
    assert count(loaded, PendingImport) == 0
    assert "getFile" not in methods(loaded, start)


async def test_pasted_table_from_an_official_is_refused(loaded: Harness) -> None:
    """Only the secretariat may import a pasted table; nothing else answers it."""
    loaded.link(STRANGER, "Quang Lịch", Role.HEAD)
    texts = await loaded.send(STRANGER, "Đơn vị;Tổng;Ký số\nĐảng ủy xã Quang Lịch;30;30")
    assert len(texts) == 1 and "chỉ Văn phòng mới được nhập" in texts[0]
    assert count(loaded, PendingImport) == 0


async def test_import_help(bot: Harness) -> None:
    """/nhap explains the import for the secretariat; others are refused."""
    text = (await bot.send(ADMIN_ID, "/nhap"))[0]
    assert "Nhập bảng thống kê" in text and "tối đa 5 MB" in text and "Xác nhận nhập" in text
    english = (await bot.send(ADMIN_ID, "/import", language_code="en"))[0]
    assert "Importing a statistics table" in english
    refused = await bot.send(STRANGER, "/nhap")
    assert refused == ["Lệnh này chỉ dành cho Văn phòng (quản trị)."]
    help_admin = (await bot.send(ADMIN_ID, "/trogiup"))[0]
    help_other = (await bot.send(STRANGER, "/trogiup"))[0]
    assert "/nhap —" in help_admin and "/nhap" not in help_other


async def test_a_failure_on_a_pasted_table_apologises_once(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If checking a pasted table breaks, the user gets the apology, not also a rate answer."""
    from bot.imports import staging

    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(staging, "stage_upload", broken)
    text = "STT;Đơn vị;Tổng;Số văn bản ký số;Tỷ lệ\n1;Đảng ủy xã Quang Lịch;30;24;80%"
    texts = await loaded.send(ADMIN_ID, text)
    assert "82,29%" not in " ".join(texts)  # no overview answer to "… ký số; Tỷ lệ"
    assert texts[-1] == "Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."
    assert count(loaded, PendingImport) == 0


async def test_a_failed_download_is_explained(bot: Harness) -> None:
    """Telegram not serving the file gives a message to send it again."""
    from telegram import Update

    from bot.offline import document_update

    payload = document_update(ADMIN_ID, file_id="gone", file_name="bang.xlsx", file_size=100)
    await bot.app.process_update(Update.de_json(payload, bot.app.bot))
    assert bot.request.texts()[-1] == (
        "Tôi không tải được tệp “bang.xlsx” từ Telegram. Đồng chí vui lòng gửi lại."
    )
    assert count(bot, PendingImport) == 0


async def test_xlsx_upload(bot: Harness, published: list[Any]) -> None:
    """An Excel workbook with the title in A1 previews the same figures."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([DEMO_TITLE.strip()])
    sheet.append(["STT", "Đơn vị", "Tổng số lượng văn bản đi", "Số lượng văn bản ký số điện tử"])
    for number, row in enumerate(published, start=1):
        sheet.append([number, row.name, row.total, row.signed])
    buffer = io.BytesIO()
    workbook.save(buffer)
    texts = await bot.send_document(ADMIN_ID, buffer.getvalue(), "thong-ke.xlsx")
    assert "Số đơn vị: 104" in texts[-1] and "<b>82,29%</b>" in texts[-1]
    assert "(số liệu đến 15:00 22/06/2026)" in texts[-1]
