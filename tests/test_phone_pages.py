"""Issue 13 §4, the rest: every reply that lists units or people pages with ◀️/▶️ (10–15 items a
page, the buttons refused to anyone else, still working after a restart) and no reply of any
command is longer than a phone screen unpaged."""

from __future__ import annotations

import re
from typing import Any

from bot.app import all_commands
from bot.core.config import Settings
from tests.app_kit import every_page
from tests.conftest import ADMIN_ID, Harness
from tests.deadline_kit import at, create_template, restarted, use_clock
from tests.import_kit import tsv, units_table
from tests.warnings_kit import link_all

OTHER_ADMIN = 8101
NUMBERED = re.compile(r"^\d+\. ")
MAX_LINES = 25  # a phone screen, give or take
MAX_CHARS = 4096  # Telegram's limit for one message
# Replies whose length does not grow with the data, and why they may be a little longer.
BOUNDED = {"tonghop": "the summary: five best and five lowest units whatever their number"}


def numbered(text: str) -> list[str]:
    """The numbered item lines of a page ('12. Đảng ủy xã …')."""
    return [line for line in text.splitlines() if NUMBERED.match(line)]


def alerts(bot: Harness, start: int) -> list[dict[str, Any]]:
    """The answerCallbackQuery calls since `start`."""
    return [c.params for c in bot.request.calls[start:] if c.method == "answerCallbackQuery"]


async def test_deadline_status_of_104_units_pages_and_comes_whole_as_a_file(
    loaded: Harness, settings: Settings
) -> None:
    """/hanchot_tt of the 100 % deadline (all 104 units): a first page of at most 15 units under
    the counts, ▶️ shows the next units, every page together names each unit once, the CSV has
    them all, and the buttons still work in a new process (a restart)."""
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded, "sign100")
    (first,) = await loaded.send(ADMIN_ID, f"/hanchot_tt {deadline_id}")
    assert first.startswith("📊 <b>100% văn bản điện tử được ký số</b>")
    assert "✅ Đã đạt: 14 · ❌ Chưa đạt: 90" in first
    assert 10 <= len(numbered(first)) <= 15 and "Trang 1/9" in first
    assert len(first.splitlines()) <= MAX_LINES
    buttons = dict(loaded.last_keyboard())
    assert {"Tiếp ▶️", "📥 Tải bảng (CSV)"} <= set(buttons)
    (second,) = await loaded.press(ADMIN_ID, buttons["Tiếp ▶️"])
    assert "Trang 2/9" in second and second.startswith("📊 <b>100% văn bản")
    assert numbered(second)[0].startswith("13. ") and not set(numbered(second)) & set(
        numbered(first)
    )
    assert "◀️ Quay lại" in dict(loaded.last_keyboard())

    whole = await every_page(loaded, ADMIN_ID, f"/hanchot_tt {deadline_id}")
    listed = numbered(whole)
    assert len(listed) == 104 and len(set(listed)) == 104
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, buttons["📥 Tải bảng (CSV)"])
    (document,) = [c for c in loaded.request.calls[start:] if c.method == "sendDocument"]
    _name, data = next(iter(document.uploads.values()))
    assert len(data.decode("utf-8-sig").strip().splitlines()) == 1 + 104  # a header row

    async with restarted(settings, clock) as again:
        (page,) = await again.press(ADMIN_ID, buttons["Tiếp ▶️"])
    assert page == second


async def test_page_buttons_are_refused_to_another_presser_and_expire_politely(
    loaded: Harness,
) -> None:
    """Another member of the secretariat pressing someone's ▶️ gets an alert and nothing
    changes; a button of a list this version no longer has says the list expired."""
    use_clock(loaded, at(6, 22, 16))
    await loaded.send(ADMIN_ID, f"/quantri_them {OTHER_ADMIN}")
    deadline_id = await create_template(loaded, "sign100")
    await loaded.send(ADMIN_ID, f"/hanchot_tt {deadline_id}")
    forward = dict(loaded.last_keyboard())["Tiếp ▶️"]
    start = len(loaded.request.calls)
    assert await loaded.press(OTHER_ADMIN, forward) == []
    (refused,) = alerts(loaded, start)
    assert refused["show_alert"] and "người đã hỏi" in refused["text"]
    start = len(loaded.request.calls)
    assert await loaded.press(ADMIN_ID, f"pg:gone:{ADMIN_ID}:1") == []
    (expired,) = alerts(loaded, start)
    assert expired["show_alert"] and "đã hết hạn" in expired["text"]
    assert "gõ lại lệnh" in expired["text"]


async def test_not_confirmed_units_of_an_announcement_page(loaded: Harness) -> None:
    """An announcement to the heads of all 104 units, none confirmed: /thongbao_tt lists at most
    15 units a page (not 40 names and "and 64 more"), keeps the remind button on every page, and
    the file names all 104."""
    link_all(loaded)
    await loaded.send(ADMIN_ID, "/thongbao")
    await loaded.send(ADMIN_ID, "Đề nghị báo cáo.")
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["Tất cả đơn vị"])
    heads = dict(loaded.last_keyboard())["Chỉ người đứng đầu (bí thư / chủ tịch)"]
    await loaded.press(ADMIN_ID, heads)
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["✅ Gửi tới 104 người nhận"])
    await loaded.drain()
    (first,) = await loaded.send(ADMIN_ID, "/thongbao_tt 1")
    bullets = [line for line in first.splitlines() if line.startswith("• ")]
    assert "Chưa xác nhận (104 đơn vị):" in first and 10 <= len(bullets) <= 15
    assert "và 64 đơn vị khác" not in first and len(first.splitlines()) <= MAX_LINES
    buttons = dict(loaded.last_keyboard())
    remind = "🔔 Nhắc 104 đơn vị chưa xác nhận"
    assert {"Tiếp ▶️", "📄 Cả danh sách (tệp)", remind} <= set(buttons)
    (second,) = await loaded.press(ADMIN_ID, buttons["Tiếp ▶️"])
    assert "Trang 2/" in second and remind in dict(loaded.last_keyboard())
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, buttons["📄 Cả danh sách (tệp)"])
    (document,) = [c for c in loaded.request.calls[start:] if c.method == "sendDocument"]
    name, data = next(iter(document.uploads.values()))
    assert name == "chua-xac-nhan-1.txt" and data.decode("utf-8").count("\n• ") == 104


async def test_no_reply_of_any_command_is_longer_than_a_phone_screen(loaded: Harness) -> None:
    """A guard against new offenders: every command of every feature, as the secretariat, with
    the 104 units, an official in each, a deadline for all of them and an announcement to all,
    bare and with an argument: no reply over ~25 lines or 4,096 characters unpaged."""
    use_clock(loaded, at(6, 22, 16))
    link_all(loaded)
    await create_template(loaded, "sign100")
    await create_template(loaded, "report80")
    await loaded.send(ADMIN_ID, "/thongbao")
    await loaded.send(ADMIN_ID, "Đề nghị báo cáo.")
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["Tất cả đơn vị"])
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    await loaded.drain()
    too_long = []
    for spec in all_commands():
        if spec.names[0] in BOUNDED:
            continue
        for argument in ("", " 1", " Tiền Hải", " xã"):
            command = f"/{spec.names[0]}{argument}"
            for text in await loaded.send(ADMIN_ID, command):
                if len(text.splitlines()) > MAX_LINES or len(text) > MAX_CHARS:
                    too_long.append(f"{command}: {len(text.splitlines())} lines, {len(text)} chars")
            await loaded.send(ADMIN_ID, "/huy")  # leave any dialog the command opened
    assert not too_long, "\n".join(too_long)


async def test_import_previews_fit_a_phone_screen(loaded: Harness) -> None:
    """A table of 104 rows that are all wrong, and one of 104 new units: each preview stays
    within a screen (the first problems and names, the full list as a file)."""
    wrong = tsv(*([str(i), f"Đảng ủy đơn vị số {i}", "mười", "9", ""] for i in range(1, 105)))
    new_units = units_table(104, prefix="Đảng ủy phường Mới")
    for data in (wrong, new_units):
        texts = await loaded.send_document(ADMIN_ID, data, "thong-ke.tsv")
        assert texts, "no preview"
        for text in texts:
            assert len(text.splitlines()) <= MAX_LINES and len(text) <= MAX_CHARS, text
        await loaded.send(ADMIN_ID, "/huy")
