"""Group chats: which groups the bot is in, what each receives, and moves to supergroups."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import ClassVar

from sqlmodel import Session

from bot.core import audit
from bot.core.audiences import active_subscriptions, area_name
from bot.core.errors import CodedError, Message
from bot.core.i18n import _
from bot.core.models import Chat, GroupSubscription, Unit, utcnow

logger = logging.getLogger(__name__)

GROUP_TYPES = frozenset({"group", "supergroup"})


def _chat(session: Session, chat_id: int) -> Chat | None:
    """The Chat row."""
    return session.get(Chat, chat_id)


def record_chat(*, session: Session, chat_id: int, chat_type: str, title: str) -> Chat:
    """Remember a chat the bot is in (re-adding an old group makes it active again)."""
    chat = _chat(session, chat_id)
    now = utcnow()
    if chat is None:
        chat = Chat(id=chat_id, type=chat_type, title=title[:255])
    else:
        chat.type, chat.active, chat.left_at, chat.updated_at = chat_type, True, None, now
        if title:
            chat.title = title[:255]
    session.add(chat)
    session.flush()
    return chat


def _end(session: Session, subs: list[GroupSubscription], actor: int | None, reason: str) -> None:
    """End subscriptions now, each with its audit record."""
    now = utcnow()
    for sub in subs:
        sub.active = False
        sub.ended_at = now
        session.add(sub)
        audit.record(
            session=session,
            actor=actor,
            action="group.unsubscribe",
            subject=f"chat:{sub.chat_id}",
            area=area_name(session=session, area_unit_id=sub.area_unit_id),
            area_unit_id=sub.area_unit_id,
            reason=reason,
        )


def record_chat_left(*, session: Session, chat_id: int, actor: int | None) -> int:
    """The bot left or was removed: the chat goes inactive and its subscriptions end.

    Returns how many subscriptions ended.
    """
    chat = _chat(session, chat_id)
    now = utcnow()
    if chat is None:
        return 0
    chat.active = False
    chat.left_at = now
    chat.updated_at = now
    session.add(chat)
    subs = active_subscriptions(session=session, chat_id=chat_id)
    _end(session, subs, actor, "removed")
    session.flush()
    logger.info("left chat %s; %d subscriptions ended", chat_id, len(subs))
    return len(subs)


class GroupError(CodedError):
    """A subscription change that cannot be made."""

    MESSAGES: ClassVar[Mapping[str, Message]] = {
        "not_subscribed": lambda p: _("This group does not receive summaries."),
        "not_area": lambda p: _("That area no longer exists or is deactivated. Type /group again."),
    }


def subscribe(
    *,
    session: Session,
    chat_id: int,
    chat_type: str,
    title: str,
    area_unit_id: int | None,
    actor: int | None,
) -> bool:
    """Make a group receive an area (None: every unit); ends the previous choice.

    Returns False when the group already received exactly that.
    """
    if area_unit_id is not None:
        area = session.get(Unit, area_unit_id)
        if area is None or not area.active:
            raise GroupError("not_area")
    record_chat(session=session, chat_id=chat_id, chat_type=chat_type, title=title)
    subs = active_subscriptions(session=session, chat_id=chat_id)
    if len(subs) == 1 and subs[0].area_unit_id == area_unit_id:
        return False
    _end(session, subs, actor, "changed")
    session.add(GroupSubscription(chat_id=chat_id, area_unit_id=area_unit_id, created_by=actor))
    audit.record(
        session=session,
        actor=actor,
        action="group.subscribe",
        subject=f"chat:{chat_id}",
        area=area_name(session=session, area_unit_id=area_unit_id),
        area_unit_id=area_unit_id,
        title=title[:255],
    )
    session.flush()
    return True


def unsubscribe(*, session: Session, chat_id: int, actor: int | None) -> None:
    """Stop sending anything to a group."""
    subs = active_subscriptions(session=session, chat_id=chat_id)
    if not subs:
        raise GroupError("not_subscribed")
    _end(session, subs, actor, "unsubscribed")
    session.flush()


def migrate_chat(*, session: Session, old_chat_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup with a new id: move the chat and its subscription there.

    Idempotent (the service messages in both chats and a ChatMigrated error may each call it).
    Returns True if anything moved.
    """
    if old_chat_id == new_chat_id:
        return False
    old = _chat(session, old_chat_id)
    new = _chat(session, new_chat_id)
    now = utcnow()
    if new is None:
        new = Chat(
            id=new_chat_id, type="supergroup", title=old.title if old else "", created_at=now
        )
    elif not new.title and old is not None:
        new.title = old.title
    new.type, new.active, new.left_at, new.updated_at = "supergroup", True, None, now
    session.add(new)
    if old is None:
        old = Chat(id=old_chat_id, type="group", title=new.title)
    old.active, old.left_at = False, old.left_at or now
    old.migrated_to, old.updated_at = new_chat_id, now
    session.add(old)
    session.flush()
    moving = active_subscriptions(session=session, chat_id=old_chat_id)
    if not moving:
        return False
    already = active_subscriptions(session=session, chat_id=new_chat_id)
    for sub in moving:
        sub.active, sub.ended_at = False, now
        session.add(sub)
    if not already:
        keep = moving[-1]
        session.add(
            GroupSubscription(
                chat_id=new_chat_id, area_unit_id=keep.area_unit_id, created_by=keep.created_by
            )
        )
        audit.record(
            session=session,
            actor=None,
            action="group.subscribe",
            subject=f"chat:{new_chat_id}",
            area=area_name(session=session, area_unit_id=keep.area_unit_id),
            area_unit_id=keep.area_unit_id,
            migrated_from=old_chat_id,
        )
    session.flush()
    logger.info("chat %s migrated to %s", old_chat_id, new_chat_id)
    return True
