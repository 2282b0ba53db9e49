"""The sender's bookkeeping: claiming due outbox rows, recording outcomes, recovering claims."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from bot.core.db import table_of
from bot.core.models import AppUser, Chat, OutboxMessage, OutboxStatus, utcnow
from bot.core.outbox_claim import due_heads

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claimed:
    """A row claimed for sending."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    attempts: int
    kind: str
    broadcast_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    claim: str = ""  # the claim token: recording an outcome applies only while it holds


def claim_due(
    *, session: Session, limit: int, worker: str, now: dt.datetime | None = None
) -> list[Claimed]:
    """Mark up to `limit` due rows as sending for this worker and return them (commits).

    A row waits while an earlier due row for the same chat is pending or being sent, so the
    parts of a long text, and messages to one chat, keep their order even when several
    workers claim at once (each row is claimed once: FOR UPDATE SKIP LOCKED on PostgreSQL).
    """
    now = now or utcnow()
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    ids = due_heads(session=session, limit=limit, now=now)
    if not ids:
        session.rollback()
        return []
    session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_(ids), col(OutboxMessage.status) == OutboxStatus.PENDING.value
        )
        .values(status=OutboxStatus.SENDING.value, claimed_at=now, claimed_by=token)
    )
    t = table_of(OutboxMessage).c
    rows = session.connection().execute(  # columns, not ORM objects (~90,000 in a national run)
        sa_select(t.id, t.chat_id, t.method, t.payload, t.attempts, t.kind, t.broadcast_id)
        .where(t.id.in_(ids), t.claimed_by == token, t.status == OutboxStatus.SENDING.value)
        .order_by(t.priority, t.not_before, t.id)
    )
    claimed = [
        Claimed(row_id, chat_id, method, dict(payload), attempts, kind, broadcast_id, claim=token)
        for row_id, chat_id, method, payload, attempts, kind, broadcast_id in rows
    ]
    session.commit()
    return claimed


def _set(session: Session, outbox_id: int, claim: str | None, values: dict[str, Any]) -> bool:
    """Update one row (caller commits); with `claim`, only while that claim still holds it
    (status sending, claimed_by the token), so recording the same outcome twice is harmless
    and a late outcome never overwrites a row someone else has claimed since. True if applied."""
    stmt = update(OutboxMessage).where(col(OutboxMessage.id) == outbox_id)
    if claim is not None:
        stmt = stmt.where(
            col(OutboxMessage.status) == OutboxStatus.SENDING.value,
            col(OutboxMessage.claimed_by) == claim,
        )
    result = session.exec(stmt.values(**values))
    return bool(result.rowcount)


def mark_sent(
    *,
    session: Session,
    outbox_id: int,
    message_id: int | None,
    chat_id: int | None = None,
    claim: str | None = None,
) -> bool:
    """Telegram accepted the message (in `chat_id` if it moved)."""
    values: dict[str, Any] = {"chat_id": chat_id} if chat_id is not None else {}
    values.update(
        status=OutboxStatus.SENT.value,
        sent_at=utcnow(),
        telegram_message_id=message_id,
        attempts=OutboxMessage.attempts + 1,
        last_error=None,
    )
    return _set(session, outbox_id, claim, values)


def mark_retry(
    *,
    session: Session,
    outbox_id: int,
    not_before: dt.datetime,
    error: str,
    count_attempt: bool = True,
    claim: str | None = None,
) -> bool:
    """Back to pending, due again at `not_before`."""
    values = {
        "status": OutboxStatus.PENDING.value,
        "not_before": not_before,
        "claimed_by": None,
        "last_error": error[:500],
        "attempts": OutboxMessage.attempts + (1 if count_attempt else 0),
    }
    return _set(session, outbox_id, claim, values)


def release(*, session: Session, outbox_id: int, claim: str | None = None) -> bool:
    """A claimed row that was not sent (the sender is stopping): pending again, unchanged."""
    values = {"status": OutboxStatus.PENDING.value, "claimed_by": None}
    return _set(session, outbox_id, claim, values)


def mark_failed(*, session: Session, outbox_id: int, error: str, claim: str | None = None) -> bool:
    """Give up on this row."""
    values = {
        "status": OutboxStatus.FAILED.value,
        "last_error": error[:500],
        "attempts": OutboxMessage.attempts + 1,
    }
    return _set(session, outbox_id, claim, values)


def mark_unreachable(
    *, session: Session, outbox_id: int, chat_id: int, reason: str, claim: str | None = None
) -> bool:
    """The chat cannot be reached (blocked, kicked, never started): this row and the person."""
    values = {
        "status": OutboxStatus.UNREACHABLE.value,
        "last_error": reason[:500],
        "attempts": OutboxMessage.attempts + 1,
    }
    if not _set(session, outbox_id, claim, values):
        return False
    now = utcnow()
    if chat_id > 0:
        user = session.get(AppUser, chat_id)
        if user is None:
            user = AppUser(telegram_id=chat_id)
        if user.reachable:
            user.reachable = False
            user.unreachable_reason = reason[:64]
            user.unreachable_since = now
        session.add(user)
    else:
        chat = session.get(Chat, chat_id)
        if chat is not None and chat.active:
            chat.active = False
            chat.left_at = now
            session.add(chat)
    return True


def mark_reachable(*, session: Session, telegram_id: int) -> None:
    """The person talked to the bot again: they can be reached."""
    user = session.get(AppUser, telegram_id)
    if user is not None and not user.reachable:
        user.reachable = True
        user.unreachable_reason = None
        user.unreachable_since = None
        session.add(user)


def redirect_chat(*, session: Session, old_chat_id: int, new_chat_id: int) -> int:
    """Point unsent rows of a migrated group at its new id; returns rows moved."""
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.chat_id) == old_chat_id,
            col(OutboxMessage.status).in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]),
        )
        .values(chat_id=new_chat_id)
    )
    return int(result.rowcount or 0)


def recover_stale(*, session: Session, older_than: dt.datetime | None = None) -> int:
    """Return rows left 'sending' by a dead sender to pending (all of them if no cut-off)."""
    # The table, not the ORM class: start-up runs this before the first answer, and the ORM's
    # one-off set-up (~40 ms) is left to whatever needs it later.
    t = table_of(OutboxMessage)
    stmt = update(t).where(t.c.status == OutboxStatus.SENDING.value)
    if older_than is not None:
        stmt = stmt.where(t.c.claimed_at < older_than)
    result = session.connection().execute(
        stmt.values(status=OutboxStatus.PENDING.value, claimed_by=None)
    )
    session.commit()
    count = int(result.rowcount or 0)
    if count:
        logger.warning("Recovered %d outbox rows left in flight by a stopped sender", count)
    return count


def claim_worker(claimed_by: str | None) -> str:
    """The worker id in a claim token '<worker>:<random>'."""
    return (claimed_by or "").split(":", 1)[0]


def recover_orphans(*, session: Session, live_workers: Iterable[str]) -> int:
    """Return to pending the rows claimed by workers that are gone; live workers keep theirs."""
    live = set(live_workers)
    tokens = session.exec(
        select(OutboxMessage.claimed_by)
        .where(OutboxMessage.status == OutboxStatus.SENDING.value)
        .distinct()
    ).all()
    dead = [t for t in tokens if claim_worker(t) not in live]
    if not dead:
        session.rollback()
        return 0
    owner = col(OutboxMessage.claimed_by)
    named = [t for t in dead if t is not None]
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.SENDING.value,
            or_(owner.in_(named), owner.is_(None)),
        )
        .values(status=OutboxStatus.PENDING.value, claimed_by=None)
    )
    session.commit()
    count = int(result.rowcount or 0)
    if count:
        logger.warning(
            "Recovered %d outbox rows left in flight by stopped workers: %s",
            count,
            ", ".join(sorted({claim_worker(t) for t in dead})),
        )
    return count
