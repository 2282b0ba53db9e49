"""Self-service (/toi, /ngonngu, /roi), the secretariat (/quantri*) and the console flow."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.app import build_application
from bot.console import demo_table, run_console
from bot.core.db import session_scope
from bot.core.models import AppUser, AuditLog, Official, Role
from bot.core.people import link_official
from bot.offline import OfflineRequest
from tests.conftest import ADMIN_ID, Harness, make_settings

OFFICIAL = 5001
MEMBER = 8001


def audits(h: Harness, action: str) -> list[AuditLog]:
    """Audit entries of one action."""
    with Session(h.engine) as session:
        return list(
            session.exec(
                select(AuditLog).where(AuditLog.action == action).order_by(col(AuditLog.id))
            )
        )


def roles_of(h: Harness, telegram_id: int) -> list[str]:
    """Active role values of a person."""
    with Session(h.engine) as session:
        return [
            o.role
            for o in session.exec(
                select(Official).where(
                    Official.telegram_id == telegram_id,
                    Official.active == True,  # noqa: E712
                )
            )
        ]


# --- /toi -----------------------------------------------------------------------------------


async def test_me_shows_id_unit_role_language_and_notifications(loaded: Harness) -> None:
    """A head sees their Telegram ID, unit, role, language and the warnings they get."""
    loaded.link(OFFICIAL, "Quang Lịch")
    (text,) = await loaded.send(OFFICIAL, "/toi", first_name="Hà")
    assert "Hà" in text and "<code>5001</code>" in text
    assert "Đảng ủy xã Quang Lịch" in text and "người đứng đầu" in text
    assert "Tiếng Việt (theo ứng dụng Telegram)" in text
    assert "Thông báo: bật" in text and "cảnh báo" in text
    assert "/roi" in text


async def test_me_in_english_for_staff_and_for_a_stranger(loaded: Harness) -> None:
    """/me in English: staff get reminders; a stranger is told how to be linked."""
    loaded.link(OFFICIAL, "Quang Lịch", Role.STAFF)
    (text,) = await loaded.send(OFFICIAL, "/me", language_code="en")
    assert "office staff" in text and "reminders of deadlines" in text
    (text,) = await loaded.send(4242, "/me", language_code="en")
    assert "<code>4242</code>" in text and "not linked to a unit yet" in text
    assert "/roi" not in text


async def test_me_for_a_bootstrap_administrator(bot: Harness) -> None:
    """An administrator from ADMIN_TELEGRAM_IDS is shown as secretariat by configuration."""
    (text,) = await bot.send(ADMIN_ID, "/toi")
    assert "Văn phòng" in text and "theo cấu hình" in text


# --- /ngonngu -------------------------------------------------------------------------------


async def test_language_buttons_store_the_choice_and_answers_switch(loaded: Harness) -> None:
    """/ngonngu shows buttons; English is stored and later replies are English."""
    loaded.link(OFFICIAL, "Quang Lịch")
    (text,) = await loaded.send(OFFICIAL, "/ngonngu")
    assert "Chọn ngôn ngữ" in text
    keyboard = loaded.last_keyboard()
    assert [data for _label, data in keyboard] == ["lang:vi", "lang:en"]
    (done,) = await loaded.press(OFFICIAL, "lang:en")
    assert done == "From now on I will answer you in English."
    with Session(loaded.engine) as session:
        user = session.get(AppUser, OFFICIAL)
        assert user is not None and user.language == "en"
    # The Telegram app still says Vietnamese; the stored choice wins.
    (rate,) = await loaded.send(OFFICIAL, "/tyle", language_code="vi")
    assert "24/30 documents" in rate and "văn bản" not in rate
    (back,) = await loaded.send(OFFICIAL, "/language tiếng việt", language_code="vi")
    assert back == "Từ nay tôi sẽ trả lời đồng chí bằng tiếng Việt."
    (rate,) = await loaded.send(OFFICIAL, "/tyle", language_code="en")
    assert "24/30 văn bản" in rate


# --- /roi -----------------------------------------------------------------------------------


async def test_leave_asks_first_and_cancel_keeps_the_role(loaded: Harness) -> None:
    """/roi asks; 'No, stay' changes nothing."""
    loaded.link(OFFICIAL, "Quang Lịch")
    (question,) = await loaded.send(OFFICIAL, "/roi")
    assert "Rời khỏi" in question and "Đảng ủy xã Quang Lịch" in question
    assert [d for _l, d in loaded.last_keyboard()] == ["leave:yes", "leave:no"]
    (text,) = await loaded.press(OFFICIAL, "leave:no")
    assert "Không có gì thay đổi" in text
    assert roles_of(loaded, OFFICIAL) == ["head"]
    assert audits(loaded, "official.leave") == []


async def test_leave_confirmed_unlinks_and_is_audited(loaded: Harness) -> None:
    """'Yes, leave' ends the role; /tyle then explains how to be linked again."""
    loaded.link(OFFICIAL, "Quang Lịch")
    await loaded.send(OFFICIAL, "/leave")
    (text,) = await loaded.press(OFFICIAL, "leave:yes")
    assert "Đồng chí đã rời khỏi <b>Đảng ủy xã Quang Lịch</b>" in text
    assert roles_of(loaded, OFFICIAL) == []
    (entry,) = audits(loaded, "official.leave")
    assert entry.actor_telegram_id == OFFICIAL and entry.details["role"] == "head"
    (rate,) = await loaded.send(OFFICIAL, "/tyle")
    assert "chưa được gắn với đơn vị" in rate
    (stale,) = await loaded.press(OFFICIAL, "leave:yes")
    assert "chưa được gắn với đơn vị nào" in stale
    assert len(audits(loaded, "official.leave")) == 1


async def test_strangers_cannot_leave(loaded: Harness) -> None:
    """/roi for someone not linked: the members-only refusal."""
    (text,) = await loaded.send(4242, "/roi")
    assert "dành cho cán bộ đã được gắn với đơn vị" in text


# --- /quantri -------------------------------------------------------------------------------


async def test_secretariat_list_marks_bootstrap_admins(bot: Harness) -> None:
    """/quantri lists the configured administrator as not removable in chat."""
    (text,) = await bot.send(ADMIN_ID, "/quantri")
    assert "<code>1</code>" in text and "không gỡ được trong chat" in text


async def test_grant_then_revoke_with_confirmation(loaded: Harness) -> None:
    """Grant: the member can invite and is told; revoke: asked, cancelled, then confirmed."""
    loaded.link(MEMBER, "Quang Lịch")
    (text,) = await loaded.send(ADMIN_ID, "/quantri_them 8001")
    assert "<code>8001</code>" in text and "đã là thành viên Văn phòng" in text
    assert "Quang Lịch" in text  # their unit role ended
    assert roles_of(loaded, MEMBER) == ["secretariat"]
    await loaded.drain()  # the notice goes through the outbox
    (notice,) = [c for c in loaded.request.sent() if c.params["chat_id"] == MEMBER]
    assert "/trogiup" in notice.params["text"]
    (grant,) = audits(loaded, "role.grant")
    assert grant.actor_telegram_id == ADMIN_ID and grant.details["telegram_id"] == MEMBER
    (listing,) = await loaded.send(ADMIN_ID, "/quantri")
    assert "<code>8001</code>" in listing and "từ " in listing
    (invite_text,) = await loaded.send(MEMBER, "/moi Quang Lịch head")
    assert "start=" in invite_text
    (again,) = await loaded.send(ADMIN_ID, "/quantri_them 8001")
    assert "đã ở trong Văn phòng" in again
    assert len(audits(loaded, "role.grant")) == 1

    (question,) = await loaded.send(ADMIN_ID, "/quantri_bo 8001")
    assert "Gỡ" in question and "8001" in question
    assert [d for _l, d in loaded.last_keyboard()] == ["adm:rm:8001", "adm:keep"]
    (kept,) = await loaded.press(ADMIN_ID, "adm:keep")
    assert "Đã hủy" in kept and roles_of(loaded, MEMBER) == ["secretariat"]
    (done,) = await loaded.press(ADMIN_ID, "adm:rm:8001")
    (notice_removed,) = await loaded.drain()  # the notice goes through the outbox
    assert "không còn trong Văn phòng" in done
    assert notice_removed == "Đồng chí không còn là thành viên Văn phòng."
    assert roles_of(loaded, MEMBER) == []
    (revoke,) = audits(loaded, "role.revoke")
    assert revoke.actor_telegram_id == ADMIN_ID
    (refused,) = await loaded.send(MEMBER, "/moi Quang Lịch head")
    assert refused == "Lệnh này chỉ dành cho Văn phòng (quản trị)."


async def test_bootstrap_admin_cannot_be_revoked_in_chat(bot: Harness) -> None:
    """/quantri_bo on an ADMIN_TELEGRAM_IDS member is refused without a button."""
    (text,) = await bot.send(ADMIN_ID, "/quantri_bo 1")
    assert "ADMIN_TELEGRAM_IDS" in text
    assert bot.last_keyboard() == []
    (text,) = await bot.send(ADMIN_ID, "/quantri_bo 999")
    assert "không ở trong Văn phòng" in text
    (text,) = await bot.send(ADMIN_ID, "/quantri_bo abc")
    assert "Cách dùng" in text
    assert audits(bot, "role.revoke") == []


async def test_grant_to_someone_who_never_started_the_bot(bot: Harness) -> None:
    """Granting works; the secretariat is told the person could not be reached."""
    bot.request.blocked_chats.add(MEMBER)
    (text,) = await bot.send(ADMIN_ID, "/quantri_them 8001")
    assert "đã là thành viên Văn phòng" in text and "chưa bắt đầu trò chuyện" in text
    assert roles_of(bot, MEMBER) == ["secretariat"]
    assert await bot.drain() == []  # the queued notice is tried, and not delivered


@pytest.fixture
async def no_bootstrap(tmp_path: Path) -> AsyncIterator[Harness]:
    """A deployment without ADMIN_TELEGRAM_IDS, with one secretariat member in the database."""
    request = OfflineRequest()
    app = build_application(make_settings(tmp_path, ADMIN_TELEGRAM_IDS=""), request=request)
    async with app:
        h = Harness(app, request)
        with session_scope(h.engine) as session:
            link_official(session=session, telegram_id=MEMBER, unit_id=None, role=Role.SECRETARIAT)
        yield h
    app.bot_data.runtime.engine.dispose()


async def test_the_last_secretariat_member_cannot_remove_or_unlink_themselves(
    no_bootstrap: Harness,
) -> None:
    """Nobody can leave the secretariat empty: /quantri_bo self and /roi are refused."""
    h = no_bootstrap
    (text,) = await h.send(MEMBER, "/quantri_bo 8001")
    assert "duy nhất" in text and h.last_keyboard() == []
    (text,) = await h.press(MEMBER, "adm:rm:8001")  # a forged confirmation
    assert "duy nhất" in text
    (text,) = await h.send(MEMBER, "/roi")
    assert "duy nhất" in text
    h.import_table(demo_table())
    (created,) = await h.send(MEMBER, "/moi Quang Lịch head")
    code = re.search(r"start=([A-Za-z0-9_-]+)", created)
    assert code is not None
    (text,) = await h.send(MEMBER, f"/start {code.group(1)}")  # joining a unit would empty it
    assert "duy nhất" in text
    assert roles_of(h, MEMBER) == ["secretariat"]
    assert audits(h, "role.revoke") == [] and audits(h, "official.leave") == []
    assert audits(h, "invite.use") == []
    # With a second member, removing oneself is allowed.
    await h.send(MEMBER, "/quantri_them 8002")
    (question,) = await h.send(MEMBER, "/quantri_bo 8001")
    assert "chính mình" in question
    await h.press(MEMBER, "adm:rm:8001")
    assert roles_of(h, MEMBER) == [] and roles_of(h, 8002) == ["secretariat"]


# --- console ----------------------------------------------------------------------------------


@pytest.mark.sqlite_pass_only  # the demo's own SQLite file
async def test_console_supports_the_whole_invitation_flow(tmp_path: Path) -> None:
    """Secretariat invites, a new user opens the code, then asks for their rate."""
    out = io.StringIO()

    def feed() -> Iterator[str]:
        """Lines for the console; the code is read from what it printed so far."""
        yield "/moi Quang Lịch head"
        found = re.search(r"start=([A-Za-z0-9_-]+)", out.getvalue())
        assert found, out.getvalue()
        yield "/as 5555"
        yield f"/start {found.group(1)}"
        yield "tỷ lệ ký số của tôi"
        yield "/as 1"
        yield "/moi_hangloat xa"

    code = await run_console(
        make_settings(tmp_path), demo=True, lines=feed(), out=out, files_dir=tmp_path / "files"
    )
    assert code == 0
    text = out.getvalue()
    assert "Bây giờ bạn là người dùng Telegram 5555" in text
    welcome = text.split("Bây giờ bạn là người dùng Telegram 5555", 1)[1]
    assert "Chào mừng" in welcome and "Đảng ủy xã Quang Lịch" in welcome
    after = welcome.split("Chào mừng", 1)[1]
    assert "Xếp hạng" in after and "80% (24/30 văn bản)" in after
    assert "📎 loi-moi-xa-head.xlsx" in after and "đường link mời (xã" in after
