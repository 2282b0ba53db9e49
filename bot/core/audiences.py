"""Who a push goes to beyond one person: group chats and the areas they follow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.core.db import binary_order
from bot.core.models import Chat, GroupSubscription, Unit


@dataclass(frozen=True)
class Subscription:
    """What a group receives: an area's units, or every unit (area None)."""

    chat_id: int
    chat_title: str
    area_unit_id: int | None
    area_name: str | None
    since: dt.datetime
    created_by: int | None


def active_subscriptions(*, session: Session, chat_id: int) -> list[GroupSubscription]:
    """Subscriptions of a chat that have not ended."""
    return list(
        session.exec(
            select(GroupSubscription)
            .where(GroupSubscription.chat_id == chat_id, GroupSubscription.active == True)  # noqa: E712
            .order_by(col(GroupSubscription.id))
        )
    )


def area_name(*, session: Session, area_unit_id: int | None) -> str | None:
    """Name of an area unit (None for the whole province)."""
    if area_unit_id is None:
        return None
    unit = session.get(Unit, area_unit_id)
    return unit.name if unit else None


def current_subscription(*, session: Session, chat_id: int) -> Subscription | None:
    """What a group receives now, if anything."""
    subs = active_subscriptions(session=session, chat_id=chat_id)
    if not subs:
        return None
    sub = subs[-1]
    chat = session.get(Chat, chat_id)
    return Subscription(
        chat_id=chat_id,
        chat_title=chat.title if chat else "",
        area_unit_id=sub.area_unit_id,
        area_name=area_name(session=session, area_unit_id=sub.area_unit_id),
        since=sub.created_at,
        created_by=sub.created_by,
    )


def subscribed_groups(*, session: Session) -> list[Subscription]:
    """Every group receiving summaries, by title."""
    rows = session.exec(
        select(GroupSubscription, Chat)
        .join(Chat, col(Chat.id) == col(GroupSubscription.chat_id))
        .where(GroupSubscription.active == True, Chat.active == True)  # noqa: E712
        .order_by(binary_order(col(Chat.title)), col(Chat.id))
    ).all()
    return [
        Subscription(
            chat_id=chat.id,
            chat_title=chat.title,
            area_unit_id=sub.area_unit_id,
            area_name=area_name(session=session, area_unit_id=sub.area_unit_id),
            since=sub.created_at,
            created_by=sub.created_by,
        )
        for sub, chat in rows
    ]
