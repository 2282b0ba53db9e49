"""The onboarding loop end to end, from an empty database, as the secretariat and two officials."""

from __future__ import annotations

import re

from sqlmodel import Session, func, select

from bot.console import DEMO_TITLE
from bot.core.models import AuditLog, Measurement, Official, Unit
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness

CODE_RE = re.compile(r"start=([A-Za-z0-9_-]+)")
HEAD, CLERK = 4101, 4102


def count(h: Harness, model: type) -> int:
    """Rows of a table."""
    with Session(h.engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


async def test_import_invite_redeem_and_ask(bot: Harness, shared_tsv: bytes) -> None:
    """Upload the table, invite a head and a clerk, they redeem and ask their rate."""
    table = DEMO_TITLE.encode() + shared_tsv
    await bot.send_document(ADMIN_ID, table, SHARED_NAME)
    confirm = bot.last_keyboard()[0][1]
    assert count(bot, Measurement) == 0  # a preview writes nothing
    (*_progress, done) = await bot.press(ADMIN_ID, confirm)
    assert "Số đơn vị: 104" in done and count(bot, Unit) == 104

    (head_link,) = await bot.send(ADMIN_ID, "/moi Quang Lịch bí thư")
    (clerk_link,) = await bot.send(ADMIN_ID, "/moi Quang Lịch văn thư")
    head_code = CODE_RE.search(head_link)
    clerk_code = CODE_RE.search(clerk_link)
    assert head_code and clerk_code and head_code.group(1) != clerk_code.group(1)

    (welcome_head,) = await bot.send(HEAD, f"/start {head_code.group(1)}", first_name="Lan")
    (welcome_clerk,) = await bot.send(CLERK, f"/start {clerk_code.group(1)}", first_name="Minh")
    assert "Đảng ủy xã Quang Lịch" in welcome_head and "Đảng ủy xã Quang Lịch" in welcome_clerk
    assert welcome_head != welcome_clerk.replace("Minh", "Lan")  # greeted by role

    for person in (HEAD, CLERK):
        (rate,) = await bot.send(person, "tỷ lệ ký số của tôi")
        assert "Đảng ủy xã Quang Lịch" in rate and "<b>80%</b>" in rate and "24/30" in rate

    # A used code is refused and links nobody.
    (again,) = await bot.send(4103, f"/start {head_code.group(1)}")
    assert "đã được sử dụng" in again
    with Session(bot.engine) as session:
        roles = session.exec(select(Official.telegram_id, Official.role)).all()
        actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert sorted(roles) == [(HEAD, "head"), (CLERK, "staff")]
    assert actions == ["import", "invite.create", "invite.create", "invite.use", "invite.use"]
