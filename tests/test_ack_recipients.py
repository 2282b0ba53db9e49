"""Acknowledgements only from recipients (issue 12 §4): "Đã nhận" under an announcement or a
reminder pressed by someone it was not sent to is refused politely and writes nothing; the
explanation report's buttons are refused to viewers like /giaitrinh is."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from bot.core.db import session_scope
from bot.core.models import Acknowledgement, Deadline, ExplanationReport, Role
from bot.core.people import link_official
from tests.conftest import ADMIN_ID, Harness
from tests.deadline_kit import (
    PHU_DUC_HEAD,
    PHU_DUC_STAFF,
    QUANG_LICH_STAFF,
    at,
    create_template,
    link_officials,
    step,
    use_clock,
)

STRANGER = 9001
GROUP = -100777
NOT_SENT_ANNOUNCEMENT = "Thông báo này không được gửi tới đồng chí nên đồng chí không cần xác nhận."
NOT_SENT_REMINDER = "Lời nhắc này không được gửi tới đồng chí nên đồng chí không cần xác nhận."
ROLE_REFUSAL = (
    "Vai trò của đồng chí không dùng được lệnh này. Gõ /trogiup để xem các lệnh của đồng chí."
)


async def press(h: Harness, user_id: int, data: str, **kwargs: Any) -> dict[str, Any]:
    """Press a button; the bot's answer to it (answerCallbackQuery parameters)."""
    start = len(h.request.calls)
    await h.press(user_id, data, **kwargs)
    (answer,) = [c.params for c in h.request.calls[start:] if c.method == "answerCallbackQuery"]
    return answer


def acks(h: Harness) -> list[tuple[str, int]]:
    """(subject, person) of every acknowledgement."""
    with Session(h.engine) as session:
        return [(a.subject, a.telegram_id) for a in session.exec(select(Acknowledgement))]


async def announce(h: Harness, text: str, *labels: str) -> None:
    """/thongbao TEXT, choose by button labels, send it and deliver it."""
    await h.send(ADMIN_ID, "/thongbao")
    await h.send(ADMIN_ID, text)
    for label in labels:
        await h.press(ADMIN_ID, dict(h.last_keyboard())[label])
    await h.press(ADMIN_ID, h.last_keyboard()[0][1])
    await h.drain()


@pytest.fixture
async def heads_only(loaded: Harness) -> Harness:
    """Announcement #1 to every unit's head only: Phụ Dực's head gets it, its staff do not."""
    link_officials(loaded)
    loaded.link(2003, "Phụ Dực", Role.VIEWER)
    await announce(
        loaded, "Họp giao ban.", "Tất cả đơn vị", "Chỉ người đứng đầu (bí thư / chủ tịch)"
    )
    return loaded


@pytest.mark.parametrize(
    "who", [STRANGER, 2003, PHU_DUC_STAFF, ADMIN_ID], ids=["stranger", "viewer", "staff", "admin"]
)
async def test_a_heads_only_announcement_is_acknowledged_by_heads_only(
    heads_only: Harness, who: int
) -> None:
    """A stranger, a viewer, staff or the secretariat pressing its button: a polite alert."""
    answer = await press(heads_only, who, "ack:b:1")
    assert answer["text"] == NOT_SENT_ANNOUNCEMENT and answer["show_alert"] is True
    assert acks(heads_only) == []


async def test_the_head_it_was_sent_to_acknowledges(heads_only: Harness) -> None:
    """The head's press is recorded once."""
    answer = await press(heads_only, PHU_DUC_HEAD, "ack:b:1")
    assert answer["text"] == "Cảm ơn đồng chí: đã ghi nhận xác nhận."
    assert acks(heads_only) == [("broadcast:1", PHU_DUC_HEAD)]


async def test_in_english_too(heads_only: Harness) -> None:
    """The refusal follows the presser's language."""
    answer = await press(heads_only, STRANGER, "ack:b:1", language_code="en")
    assert answer["text"] == (
        "This announcement was not sent to you, so there is nothing for you to confirm."
    )


async def test_a_group_announcement_is_acknowledged_in_that_group(loaded: Harness) -> None:
    """Sent to a group: its members may acknowledge there, not from another chat."""
    await loaded.send(ADMIN_ID, "/nhom", chat_id=GROUP, chat_type="supergroup")
    await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1], chat_id=GROUP)
    await announce(loaded, "Tổng kết tuần.", "Các nhóm đã đăng ký nhận tin")
    elsewhere = await press(loaded, STRANGER, "ack:b:1", chat_id=-100888)
    assert elsewhere["text"] == NOT_SENT_ANNOUNCEMENT
    in_private = await press(loaded, STRANGER, "ack:b:1")
    assert in_private["text"] == NOT_SENT_ANNOUNCEMENT
    assert acks(loaded) == []
    there = await press(loaded, STRANGER, "ack:b:1", chat_id=GROUP)
    assert there["text"] == "Cảm ơn đồng chí: đã ghi nhận xác nhận."
    assert acks(loaded) == [("broadcast:1", STRANGER)]


@pytest.fixture
async def reminded(loaded: Harness) -> Harness:
    """Deadline #1 (reports from units below 80%): its first reminder went to Phụ Dực's staff."""
    link_officials(loaded)
    loaded.link(2003, "Phụ Dực", Role.VIEWER)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    return loaded


@pytest.mark.parametrize(
    "who",
    [STRANGER, 2003, QUANG_LICH_STAFF, ADMIN_ID],
    ids=["stranger", "viewer", "unit-not-owing", "admin"],
)
async def test_a_reminder_is_acknowledged_by_the_people_reminded_only(
    reminded: Harness, who: int
) -> None:
    """Anyone the reminder was not sent to: a polite alert, nothing written."""
    answer = await press(reminded, who, "dl:ack:1")
    assert answer["text"] == NOT_SENT_REMINDER and answer["show_alert"] is True
    assert acks(reminded) == []


async def test_the_staff_reminded_acknowledge(reminded: Harness) -> None:
    """The person reminded: recorded."""
    answer = await press(reminded, PHU_DUC_STAFF, "dl:ack:1")
    assert answer["text"] == "✅ Đã ghi nhận: đồng chí đã nhận lời nhắc này."
    assert acks(reminded) == [("deadline:1", PHU_DUC_STAFF)]


async def test_a_viewer_cannot_start_or_send_an_explanation_report(reminded: Harness) -> None:
    """dl:rep from a viewer of a unit that owes, and dl:send from staff made a viewer while
    writing: refused like /giaitrinh, no report stored."""
    answer = await press(reminded, 2003, "dl:rep:1")
    assert answer["text"] == ROLE_REFUSAL and answer["show_alert"] is True
    await reminded.press(PHU_DUC_STAFF, "dl:rep:1")
    await reminded.send(PHU_DUC_STAFF, "Chúng tôi sẽ khắc phục trong tháng 7.")
    reminded.link(PHU_DUC_STAFF, "Phụ Dực", Role.VIEWER)
    answer = await press(reminded, PHU_DUC_STAFF, "dl:send")
    assert answer["text"] == ROLE_REFUSAL
    with Session(reminded.engine) as session:
        assert session.exec(select(ExplanationReport)).first() is None


async def test_the_creation_dialog_checks_the_presser_on_every_button(loaded: Harness) -> None:
    """A secretariat member who is made unit staff while creating a deadline: the dialog's
    buttons are refused and no deadline is created."""
    member = 5010
    with session_scope(loaded.engine) as session:
        link_official(session=session, telegram_id=member, unit_id=None, role=Role.SECRETARIAT)
    await loaded.send(member, "/hanchot_moi")
    await loaded.press(member, "dl:new:t:report80")
    loaded.link(member, "Quang Lịch", Role.STAFF)
    answer = await press(loaded, member, "dl:new:ok")
    assert answer["text"] == "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    with Session(loaded.engine) as session:
        assert session.exec(select(Deadline)).first() is None
