"""Acknowledgements of announcements: "Đã nhận", recorded for the people it was sent to only."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.core.models import Acknowledgement, Broadcast, Chat, Official, OutboxMessage


class NotARecipientError(Exception):
    """The person pressing "Đã nhận" was not sent the announcement."""


def was_sent_to(*, session: Session, broadcast_id: int, chat_ids: set[int]) -> bool:
    """Whether the announcement was queued for one of these chats (a person or their group,
    also under the id the group had before it became a supergroup)."""
    earlier = session.exec(select(Chat.id).where(col(Chat.migrated_to).in_(chat_ids))).all()
    row = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.broadcast_id == broadcast_id,
            col(OutboxMessage.chat_id).in_(chat_ids | set(earlier)),
        )
    ).first()
    return row is not None


def acknowledge(
    *, session: Session, broadcast_id: int, telegram_id: int, chat_id: int | None = None
) -> bool:
    """Record "Đã nhận" from a recipient (the person, or a member of the group it was sent to,
    pressing in `chat_id`); False if they had already acknowledged. Nothing is written for
    anyone else: NotARecipientError."""
    if session.get(Broadcast, broadcast_id) is None:
        raise LookupError(broadcast_id)
    chats = {telegram_id} if chat_id is None else {telegram_id, chat_id}
    if not was_sent_to(session=session, broadcast_id=broadcast_id, chat_ids=chats):
        raise NotARecipientError(broadcast_id)
    unit_id = session.exec(
        select(Official.unit_id).where(
            Official.telegram_id == telegram_id,
            Official.active == True,  # noqa: E712
        )
    ).first()
    session.add(
        Acknowledgement(
            subject=f"broadcast:{broadcast_id}", telegram_id=telegram_id, unit_id=unit_id
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
