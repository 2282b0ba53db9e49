"""Group chats: the bot added and removed, /nhom subscriptions, /nhom_ds, supergroup upgrades."""

from __future__ import annotations

import itertools
import time
from typing import Any

from sqlmodel import Session, col, select
from telegram import Update

from bot.core.db import session_scope
from bot.core.models import AuditLog, Chat, GroupSubscription, Role, Unit
from bot.groups.service import migrate_chat
from bot.offline import BOT_USER
from tests.conftest import ADMIN_ID, Harness

GROUP = -1001234
OLD_GROUP = -4321
NEW_SUPERGROUP = -1009876
REFUSAL = "Lệnh này chỉ dành cho Văn phòng (quản trị)."
HEAD = 5002

_ids = itertools.count(900_000)


def _person(user_id: int) -> dict[str, Any]:
    """A Telegram user."""
    return {"id": user_id, "is_bot": False, "first_name": "Cán bộ", "language_code": "vi"}


def membership(
    chat_id: int, by: int, old: str, new: str, chat_type: str = "supergroup"
) -> dict[str, Any]:
    """my_chat_member update: the bot's status in a group changed from `old` to `new`."""

    def member(status: str) -> dict[str, Any]:
        data: dict[str, Any] = {"user": BOT_USER, "status": status}
        if status == "kicked":
            data["until_date"] = 0
        return data

    return {
        "update_id": next(_ids),
        "my_chat_member": {
            "chat": {"id": chat_id, "type": chat_type, "title": "Văn phòng Đảng ủy"},
            "from": _person(by),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        },
    }


def service(chat_id: int, chat_type: str, **fields: Any) -> dict[str, Any]:
    """A service message (e.g. migrate_to_chat_id) in a chat."""
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, "title": "Văn phòng Đảng ủy"},
            "from": _person(ADMIN_ID),
            **fields,
        },
    }


async def feed(h: Harness, payload: dict[str, Any]) -> list[Any]:
    """Process a raw update; return the Bot API calls it caused."""
    start = len(h.request.calls)
    await h.app.process_update(Update.de_json(payload, h.app.bot))
    return h.request.calls[start:]


def chat(h: Harness, chat_id: int) -> Chat | None:
    """A Chat row."""
    with Session(h.engine) as session:
        row = session.get(Chat, chat_id)
        if row is not None:
            session.expunge(row)
        return row


def subscriptions(h: Harness, chat_id: int | None = None) -> list[GroupSubscription]:
    """Subscription rows, oldest first."""
    with Session(h.engine) as session:
        stmt = select(GroupSubscription).order_by(col(GroupSubscription.id))
        if chat_id is not None:
            stmt = stmt.where(GroupSubscription.chat_id == chat_id)
        return list(session.exec(stmt))


def active(h: Harness, chat_id: int) -> list[GroupSubscription]:
    """Active subscriptions of a chat."""
    return [s for s in subscriptions(h, chat_id) if s.active]


def audits(h: Harness, prefix: str = "group.") -> list[AuditLog]:
    """Group audit entries, oldest first."""
    with Session(h.engine) as session:
        return [
            e
            for e in session.exec(select(AuditLog).order_by(col(AuditLog.id)))
            if e.action.startswith(prefix)
        ]


def make_area(h: Harness, name: str) -> int:
    """Turn an existing unit into an area; return its id."""
    with session_scope(h.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == name)).one()
        unit.kind = "khu-vuc"
        session.add(unit)
        session.flush()
        assert unit.id is not None
        return unit.id


async def in_group(h: Harness, user: int, text: str, chat_id: int = GROUP) -> list[str]:
    """Send a message in the test group."""
    return await h.send(user, text, chat_id=chat_id, chat_type="supergroup")


async def test_added_to_a_group_greets_and_records_it(bot: Harness) -> None:
    """Adding the bot records the chat and posts a greeting pointing to /nhom."""
    calls = await feed(bot, membership(GROUP, ADMIN_ID, "left", "member"))
    (greeting,) = [c for c in calls if c.method == "sendMessage"]
    assert greeting.params["chat_id"] == GROUP
    assert "/nhom" in greeting.params["text"] and "Văn phòng" in greeting.params["text"]
    row = chat(bot, GROUP)
    assert row is not None and row.active and row.type == "supergroup"
    assert row.title == "Văn phòng Đảng ủy" and row.left_at is None


async def test_removed_from_a_group_ends_its_subscription(loaded: Harness) -> None:
    """Kicking the bot marks the chat inactive and ends its subscription, audited with the
    person who removed it."""
    await feed(loaded, membership(GROUP, ADMIN_ID, "left", "member"))
    await loaded.press(ADMIN_ID, "gs:all", chat_id=GROUP)
    assert len(active(loaded, GROUP)) == 1
    calls = await feed(loaded, membership(GROUP, 4242, "member", "kicked"))
    assert not [c for c in calls if c.method == "sendMessage"]
    row = chat(loaded, GROUP)
    assert row is not None and not row.active and row.left_at is not None
    (sub,) = subscriptions(loaded, GROUP)
    assert not sub.active and sub.ended_at is not None
    last = audits(loaded)[-1]
    assert last.action == "group.unsubscribe" and last.actor_telegram_id == 4242
    assert last.subject == f"chat:{GROUP}" and last.details["reason"] == "removed"
    (listed,) = await loaded.send(ADMIN_ID, "/nhom_ds")
    assert "Chưa có nhóm nào" in listed
    # Added back: active again, nothing subscribed until someone chooses.
    await feed(loaded, membership(GROUP, ADMIN_ID, "left", "member"))
    row = chat(loaded, GROUP)
    assert row is not None and row.active and row.left_at is None
    assert active(loaded, GROUP) == []


async def test_nhom_subscribe_change_and_unsubscribe(loaded: Harness) -> None:
    """/nhom shows the choice; whole province, then one area, then unsubscribe; one active
    subscription at a time; every change audited; /nhom_ds lists the group."""
    area = make_area(loaded, "Đảng ủy xã Nam Tiền Hải")
    (screen,) = await in_group(loaded, ADMIN_ID, "/nhom")
    assert "Nhóm này chưa nhận bản tổng hợp nào." in screen
    labels = [label for label, _ in loaded.last_keyboard()]
    assert labels == ["🌐 Toàn tỉnh", "Đảng ủy xã Nam Tiền Hải"]

    (done,) = await loaded.press(ADMIN_ID, "gs:all", chat_id=GROUP)
    assert done == "✅ Nhóm sẽ nhận bản tổng hợp của toàn tỉnh (tất cả đơn vị)."
    (sub,) = active(loaded, GROUP)
    assert sub.area_unit_id is None and sub.created_by == ADMIN_ID
    (screen,) = await in_group(loaded, ADMIN_ID, "/nhom")
    assert "Nhóm đang nhận bản tổng hợp của toàn tỉnh" in screen
    assert "✓ 🌐 Toàn tỉnh" in [label for label, _ in loaded.last_keyboard()]
    (listed,) = await loaded.send(ADMIN_ID, "/nhom_ds")
    assert "Demo group — toàn tỉnh" in listed and str(GROUP) in listed

    (changed,) = await loaded.press(ADMIN_ID, f"gs:a:{area}", chat_id=GROUP)
    assert "Đảng ủy xã Nam Tiền Hải" in changed
    (sub,) = active(loaded, GROUP)
    assert sub.area_unit_id == area
    assert len(subscriptions(loaded, GROUP)) == 2
    (listed,) = await loaded.send(ADMIN_ID, "/groups", language_code="en")
    assert "Demo group — Đảng ủy xã Nam Tiền Hải" in listed

    # Choosing the same again changes nothing.
    await loaded.press(ADMIN_ID, f"gs:a:{area}", chat_id=GROUP)
    assert len(subscriptions(loaded, GROUP)) == 2

    (off,) = await loaded.press(ADMIN_ID, "gs:off", chat_id=GROUP)
    assert off == "🔕 Nhóm sẽ không nhận bản tổng hợp nữa."
    assert active(loaded, GROUP) == []
    assert all(s.ended_at is not None for s in subscriptions(loaded, GROUP))
    actions = [(e.action, e.details.get("area"), e.actor_telegram_id) for e in audits(loaded)]
    assert actions == [
        ("group.subscribe", None, ADMIN_ID),
        ("group.unsubscribe", None, ADMIN_ID),
        ("group.subscribe", "Đảng ủy xã Nam Tiền Hải", ADMIN_ID),
        ("group.unsubscribe", "Đảng ủy xã Nam Tiền Hải", ADMIN_ID),
    ]
    (stale,) = await loaded.press(ADMIN_ID, "gs:off", chat_id=GROUP)
    assert stale == "Nhóm này không nhận bản tổng hợp nào."


async def test_nhom_in_private_explains(bot: Harness) -> None:
    """In a private chat /nhom says it must be used inside the group."""
    (text,) = await bot.send(ADMIN_ID, "/nhom")
    assert "dùng trong nhóm" in text and "/nhom_ds" in text
    assert subscriptions(bot) == []


async def test_non_secretariat_cannot_subscribe(loaded: Harness) -> None:
    """A group member who is not secretariat gets the refusal for /nhom and its buttons."""
    loaded.link(HEAD, "Quang Lịch", Role.HEAD)
    area = make_area(loaded, "Đảng ủy xã Quang Lịch")
    await in_group(loaded, ADMIN_ID, "/nhom")
    await loaded.press(ADMIN_ID, "gs:all", chat_id=GROUP)
    before = [(s.id, s.active) for s in subscriptions(loaded)]
    for user in (HEAD, 777):
        assert await in_group(loaded, user, "/nhom") == [REFUSAL]
        assert await in_group(loaded, user, "/nhom_ds") == [REFUSAL]
        for data in ("gs:all", f"gs:a:{area}", "gs:off", "gs:p:1"):
            start = len(loaded.request.calls)
            assert await loaded.press(user, data, chat_id=GROUP) == []
            (answer,) = [
                c for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"
            ]
            assert answer.params["text"] == REFUSAL
    assert [(s.id, s.active) for s in subscriptions(loaded)] == before
    assert len(audits(loaded)) == 1


async def test_upgrade_to_supergroup_moves_the_subscription(loaded: Harness) -> None:
    """The migrate_to/migrate_from service messages move the subscription to the new id once."""
    area = make_area(loaded, "Đảng ủy xã Nam Tiền Hải")
    await feed(loaded, membership(OLD_GROUP, ADMIN_ID, "left", "member", chat_type="group"))
    await loaded.press(ADMIN_ID, f"gs:a:{area}", chat_id=OLD_GROUP)
    assert len(active(loaded, OLD_GROUP)) == 1

    await feed(loaded, service(OLD_GROUP, "group", migrate_to_chat_id=NEW_SUPERGROUP))
    await feed(loaded, service(NEW_SUPERGROUP, "supergroup", migrate_from_chat_id=OLD_GROUP))
    old, new = chat(loaded, OLD_GROUP), chat(loaded, NEW_SUPERGROUP)
    assert old is not None and old.migrated_to == NEW_SUPERGROUP and not old.active
    assert new is not None and new.active and new.type == "supergroup"
    assert new.title == "Văn phòng Đảng ủy"
    assert active(loaded, OLD_GROUP) == []
    (moved,) = active(loaded, NEW_SUPERGROUP)
    assert moved.area_unit_id == area and moved.created_by == ADMIN_ID
    assert len(subscriptions(loaded, NEW_SUPERGROUP)) == 1
    (listed,) = await loaded.send(ADMIN_ID, "/nhom_ds")
    assert str(NEW_SUPERGROUP) in listed and str(OLD_GROUP) not in listed
    (screen,) = await in_group(loaded, ADMIN_ID, "/nhom", chat_id=NEW_SUPERGROUP)
    assert "Đảng ủy xã Nam Tiền Hải" in screen


async def test_migrate_chat_is_idempotent(loaded: Harness) -> None:
    """The delivery engine may call migrate_chat after a ChatMigrated error: twice is once."""
    await in_group(loaded, ADMIN_ID, "/nhom", chat_id=OLD_GROUP)
    await loaded.press(ADMIN_ID, "gs:all", chat_id=OLD_GROUP)
    with session_scope(loaded.engine) as session:
        assert migrate_chat(session=session, old_chat_id=OLD_GROUP, new_chat_id=NEW_SUPERGROUP)
    with session_scope(loaded.engine) as session:
        assert not migrate_chat(session=session, old_chat_id=OLD_GROUP, new_chat_id=NEW_SUPERGROUP)
    (moved,) = active(loaded, NEW_SUPERGROUP)
    assert moved.area_unit_id is None
    assert len(subscriptions(loaded, NEW_SUPERGROUP)) == 1
    assert active(loaded, OLD_GROUP) == []
    old = chat(loaded, OLD_GROUP)
    assert old is not None and old.migrated_to == NEW_SUPERGROUP
    moves = [e for e in audits(loaded) if e.details.get("migrated_from") == OLD_GROUP]
    assert len(moves) == 1


async def test_many_areas_are_paged(loaded: Harness, published: Any) -> None:
    """With more areas than fit, /nhom pages them with Previous/Next buttons."""
    names = sorted(r.name for r in published)[:11]
    for name in names:
        make_area(loaded, name)
    await in_group(loaded, ADMIN_ID, "/nhom")
    first = [label for label, data in loaded.last_keyboard() if data.startswith("gs:a:")]
    assert len(first) == 8
    (page2,) = await loaded.press(ADMIN_ID, "gs:p:1", chat_id=GROUP)
    assert "Chọn nội dung nhóm sẽ nhận" in page2
    second = [label for label, data in loaded.last_keyboard() if data.startswith("gs:a:")]
    assert len(second) == 3 and not set(first) & set(second)
    assert set(first) | set(second) == set(names)
    assert [label for label, _ in loaded.last_keyboard() if "Trước" in label]
    assert active(loaded, GROUP) == []
