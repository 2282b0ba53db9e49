"""Issue 13 §4: long lists page with ◀️/▶️ and come whole as a file; help fits a screen and
shows a person's own commands; an unknown command gets the closest one suggested."""

from __future__ import annotations

from typing import Any

from bot.core.models import Role
from tests.conftest import ADMIN_ID, Harness

OTHER_ADMIN = 8001


def answers(bot: Harness, start: int) -> list[dict[str, Any]]:
    """The answerCallbackQuery calls since `start`."""
    return [c.params for c in bot.request.calls[start:] if c.method == "answerCallbackQuery"]


def bullets(text: str) -> list[str]:
    """The item lines of a page."""
    return [line for line in text.splitlines() if line.startswith("• ")]


async def test_a_long_list_pages_with_buttons_and_comes_whole_as_a_file(loaded: Harness) -> None:
    """/khonglienlac over 104 units: one message of at most 15 items with ◀️/▶️, the next page
    in place, and the whole list as a file."""
    texts = await loaded.send(ADMIN_ID, "/khonglienlac")
    assert len(texts) == 1
    first = texts[0]
    assert first.startswith("🏢 <b>104 đơn vị chưa có ai dùng bot</b>")
    assert 10 <= len(bullets(first)) <= 15 and "Trang 1/9" in first
    buttons = dict(loaded.last_keyboard())
    assert set(buttons) == {"Tiếp ▶️", "📄 Cả danh sách (tệp)"}
    (second,) = await loaded.press(ADMIN_ID, buttons["Tiếp ▶️"])
    assert "Trang 2/9" in second and not set(bullets(second)) & set(bullets(first))
    assert second.startswith("🏢 <b>104 đơn vị")  # the heading stays on every page
    assert "◀️ Quay lại" in dict(loaded.last_keyboard())
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, buttons["📄 Cả danh sách (tệp)"])
    (document,) = [c for c in loaded.request.calls[start:] if c.method == "sendDocument"]
    name, data = next(iter(document.uploads.values()))
    listed = data.decode("utf-8")
    assert name.endswith(".txt") and listed.count("\n• ") == 104 and "<b>" not in listed


async def test_a_forged_page_button_from_another_person_is_refused(loaded: Harness) -> None:
    """Another member of the secretariat pressing (or forging) someone's page button gets an
    alert; nothing is edited or sent."""
    await loaded.send(ADMIN_ID, f"/quantri_them {OTHER_ADMIN}")
    await loaded.send(ADMIN_ID, "/khonglienlac")
    buttons = dict(loaded.last_keyboard())
    start = len(loaded.request.calls)
    for data in (
        buttons["Tiếp ▶️"],
        buttons["📄 Cả danh sách (tệp)"],
        f"pg:unreachable:{ADMIN_ID}:8",
    ):
        assert await loaded.press(OTHER_ADMIN, data) == []
    refused = answers(loaded, start)
    assert len(refused) == 3
    assert all(a["show_alert"] and "người đã hỏi" in a["text"] for a in refused)
    assert not [c for c in loaded.request.calls[start:] if c.method == "sendDocument"]
    # The list names officials: its buttons, even the asker's own, do nothing in a group.
    start = len(loaded.request.calls)
    assert await loaded.press(ADMIN_ID, buttons["📄 Cả danh sách (tệp)"], chat_id=-100) == []
    (alert,) = answers(loaded, start)
    assert alert["show_alert"] and "trò chuyện riêng" in alert["text"]
    assert not [c for c in loaded.request.calls[start:] if c.method == "sendDocument"]
    # A stranger forging a button in their own name is refused too (not the secretariat).
    start = len(loaded.request.calls)
    assert await loaded.press(4242, "pg:unreachable:4242:1") == []
    (alert,) = answers(loaded, start)
    assert alert["show_alert"] and "văn phòng" in alert["text"].lower()


async def test_a_short_list_is_one_message_without_buttons(loaded: Harness) -> None:
    """Twelve units left without anyone: one message, no paging buttons."""
    from sqlmodel import Session, col, select, update

    from bot.core.models import Unit

    with Session(loaded.engine) as session:
        ids = session.exec(select(Unit.id).order_by(col(Unit.id))).all()
        session.execute(update(Unit).where(col(Unit.id).in_(ids[12:])).values(active=False))
        session.commit()
    start = len(loaded.request.calls)
    (text,) = await loaded.send(ADMIN_ID, "/khonglienlac")
    assert len(bullets(text)) == 12 and "Trang" not in text
    assert "reply_markup" not in loaded.request.calls[start].params


STAFF = 5003
HEAD = 5002


def commands_in(text: str) -> set[str]:
    """The /commands a text names at the start of its lines."""
    return {line.split()[0] for line in text.splitlines() if line.startswith("/")}


async def topic_pages(bot: Harness, user_id: int, **kwargs: Any) -> dict[str, str]:
    """Every topic page of the help the person was just shown, by button label."""
    pages = {}
    for label, data in bot.last_keyboard():
        (pages[label],) = await bot.press(user_id, data, **kwargs)
    return pages


async def test_secretariat_help_is_short_and_grouped_without_unit_commands(
    loaded: Harness,
) -> None:
    """Six favourites and topic buttons; no /roi, /giaitrinh or 'your unit' for the secretariat."""
    (text,) = await loaded.send(ADMIN_ID, "/trogiup")
    assert commands_in(text) == {"/tyle", "/nhap", "/hanchot_moi", "/thongbao", "/moi", "/canhbao"}
    assert len(text.splitlines()) <= 12
    assert "tỷ lệ của đơn vị bất kỳ, ví dụ /tyle Nam Tiền Hải" in text
    pages = await topic_pages(loaded, ADMIN_ID)
    assert "⏰ Hạn chót" in pages and "👥 Lời mời và Văn phòng" in pages
    everything = set().union(*(commands_in(page) for page in pages.values()))
    assert {"/hanchot_tt", "/khonglienlac", "/nhatky", "/quantri_bo", "/lichsu"} <= everything
    assert not everything & {"/roi", "/giaitrinh", "/start", "/rate"}
    assert "đơn vị mình" not in "\n".join(pages.values())


async def test_an_officials_help_shows_only_their_commands(loaded: Harness) -> None:
    """Staff: their unit's commands first; no secretariat topic buttons at all."""
    loaded.link(STAFF, "Quang Lịch", Role.STAFF)
    (text,) = await loaded.send(STAFF, "/trogiup")
    assert commands_in(text) == {"/tyle", "/hanchot", "/giaitrinh", "/lichsu", "/hoi", "/toi"}
    pages = await topic_pages(loaded, STAFF)
    assert not {"⚠️ Cảnh báo", "👥 Lời mời và Văn phòng", "🗂 Dữ liệu và đơn vị"} & set(pages)
    everything = set().union(*(commands_in(page) for page in pages.values()))
    assert "/roi" in everything and not everything & {"/nhap", "/moi", "/hanchot_tt", "/start"}


async def test_english_help_names_english_commands_and_refuses_another_presser(
    loaded: Harness,
) -> None:
    """In English every command is the English alias; help buttons belong to the asker."""
    loaded.link(HEAD, "Quang Lịch")
    (text,) = await loaded.send(HEAD, "/help", language_code="en")
    assert commands_in(text) == {"/rate", "/deadlines", "/explain", "/history", "/summary", "/ask"}
    data = loaded.last_keyboard()[0][1]
    pages = await topic_pages(loaded, HEAD, language_code="en")
    assert all(
        line.split()[0] not in {"/tyle", "/toi", "/roi"}
        for p in pages.values()
        for line in p.splitlines()
    )
    start = len(loaded.request.calls)
    assert await loaded.press(ADMIN_ID, data) == []
    (alert,) = answers(loaded, start)
    assert alert["show_alert"] and "người đã hỏi" in alert["text"]


async def test_an_unknown_command_suggests_the_closest_one_the_person_may_use(
    loaded: Harness,
) -> None:
    """'/tyel' → '/tyle'; '/rat' in English → '/rate'; never a command of another role."""
    (typo,) = await loaded.send(ADMIN_ID, "/tyel")
    assert "Có phải đồng chí muốn gõ /tyle?" in typo
    (english,) = await loaded.send(ADMIN_ID, "/rat", language_code="en")
    assert "Did you mean /rate?" in english
    loaded.link(STAFF, "Quang Lịch", Role.STAFF)
    (staff,) = await loaded.send(STAFF, "/nhpa")
    assert "/nhap" not in staff and "Lệnh không tồn tại" in staff
    (nothing,) = await loaded.send(ADMIN_ID, "/xyzxyzxyz")
    assert "Có phải" not in nothing and "/trogiup" in nothing
