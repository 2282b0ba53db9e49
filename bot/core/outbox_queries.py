"""What the outbox holds: the backlog, a broadcast's rows by status, keys already queued."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from bot.core.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class Backlog:
    """How much is waiting."""

    pending: int
    oldest_due: dt.datetime | None


def backlog(*, session: Session) -> Backlog:
    """Pending rows and the oldest due time."""
    count, oldest = session.exec(
        select(func.count(), func.min(OutboxMessage.not_before)).where(
            OutboxMessage.status == OutboxStatus.PENDING.value
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return Backlog(int(count), oldest)


def status_counts(*, session: Session, broadcast_id: int) -> dict[str, int]:
    """Rows of a broadcast by status (first parts only, i.e. one per recipient; no reminders)."""
    rows = session.exec(
        select(OutboxMessage.status, func.count())
        .where(
            OutboxMessage.broadcast_id == broadcast_id,
            OutboxMessage.kind == "broadcast",
            ~col(OutboxMessage.dedupe_key).contains("#"),
        )
        .group_by(OutboxMessage.status)
    ).all()
    return {status: int(n) for status, n in rows}


def pending_for(*, session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these keys are already queued (any status)."""
    return set(
        session.exec(
            select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(list(keys)))
        ).all()
    )
