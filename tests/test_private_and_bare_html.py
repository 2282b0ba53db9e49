"""Small holes (issue 12 §6): /khonglienlac only in a private chat; a bare "<" or "&" in an
announcement is escaped for the writer and shown as typed in the preview."""

from __future__ import annotations

from html import unescape

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.core.i18n import use_language
from bot.core.models import Broadcast, Role
from bot.core.telegram_html import escape_bare, html_problems
from handlers.broadcasts.views import text_problems
from tests.conftest import ADMIN_ID, Harness

GROUP = -100999
PRIVATE_ONLY = (
    "Đồng chí vui lòng dùng lệnh này trong cuộc trò chuyện riêng với bot: "
    "nội dung có thông tin liên hệ của cán bộ."
)


async def test_unreachable_list_is_refused_in_a_group(loaded: Harness) -> None:
    """In a group: one line sending the secretariat to a private chat, no names or ids."""
    loaded.link(5003, "Quang Lịch", Role.STAFF)
    replies = await loaded.send(ADMIN_ID, "/khonglienlac", chat_id=GROUP, chat_type="supergroup")
    assert len(replies) == 1 and "5003" not in replies[0] and "Quang Lịch" not in replies[0]
    assert replies[0].startswith("Đồng chí vui lòng dùng lệnh này trong cuộc trò chuyện riêng")
    in_private = await loaded.send(ADMIN_ID, "/khonglienlac")
    assert "đơn vị chưa có ai dùng bot" in in_private[0]


async def test_a_bare_less_than_and_ampersand_are_accepted(loaded: Harness) -> None:
    """“5 < 7 & <b>bold</b>”: taken, the preview and the announcement show it as typed."""
    loaded.link(5001, "Quang Lịch")
    await loaded.send(ADMIN_ID, "/thongbao")
    (ask,) = await loaded.send(ADMIN_ID, "Tỷ lệ < 80% & chưa nộp: <b>họp gấp</b> AT&T <3")
    assert ask == "Gửi cho ai?"
    await loaded.press(ADMIN_ID, dict(loaded.last_keyboard())["Tất cả đơn vị"])
    (preview,) = await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1])
    typed = "Tỷ lệ &lt; 80% &amp; chưa nộp: <b>họp gấp</b> AT&amp;T &lt;3"
    assert f"\n\n{typed}" in preview
    send = next(data for label, data in loaded.last_keyboard() if label.startswith("✅"))
    await loaded.press(ADMIN_ID, send)
    with Session(loaded.engine) as session:
        (broadcast,) = session.exec(select(Broadcast)).all()
    assert broadcast.text == typed


async def test_tags_telegram_does_not_know_are_still_explained(loaded: Harness) -> None:
    """<script> is a tag, not a bare “<”: still refused with the reason."""
    await loaded.send(ADMIN_ID, "/thongbao")
    (answer,) = await loaded.send(ADMIN_ID, "1 < 2 <script>x</script>")
    assert answer.startswith("⚠️ Chưa gửi được nội dung này:")
    assert "không được dùng thẻ &lt;script&gt;" in answer


def test_the_advice_for_a_bare_less_than_reads_once_escaped() -> None:
    """Where a bare “<” is still refused, the advice shows “&lt;” (not “&amp;lt;”)."""
    with use_language("vi"):
        (problem,) = html_problems("5 < 7")
        shown = unescape(text_problems([problem]))  # what Telegram displays
    assert "viết là &lt;" in shown and "&amp;" not in shown


@given(st.text(alphabet="<>&;/ 0123.,-đ"))
def test_escaping_keeps_the_text_and_passes_the_check(text: str) -> None:
    """Text without tags: escaped, it is valid Telegram HTML that reads exactly as typed."""
    escaped = escape_bare(text)
    assert html_problems(escaped) == []
    assert unescape(escaped) == text
    assert escape_bare(escaped) == escaped  # escaping twice changes nothing
