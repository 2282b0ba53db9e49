"""Outgoing pushes: the outbox, its attachments, announcements and acknowledgements."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field

from bot.core.models.base import Table, _ts


class OutboxStatus(StrEnum):
    """Life of an outgoing push."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


class OutboxMessage(Table, table=True):
    """One outgoing push (one part of a long text); the unique key makes enqueueing idempotent."""

    __table_args__ = (Index("ix_outbox_due", "status", "priority", "not_before", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, max_length=255)
    kind: str = Field(max_length=32, index=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    broadcast_id: int | None = Field(default=None, foreign_key="broadcast.id", index=True)
    priority: int = Field(default=5)
    method: str = Field(default="sendMessage", max_length=32)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=16)
    attempts: int = Field(default=0)
    not_before: dt.datetime = _ts()
    claimed_at: dt.datetime | None = _ts(nullable=True, default=False)
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: dt.datetime | None = _ts(nullable=True, default=False)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: dt.datetime = _ts()


class OutboxAttachment(Table, table=True):
    """A file an outbox row sends (e.g. a chart for sendPhoto), stored once per content."""

    sha256: str = Field(primary_key=True, max_length=64)
    filename: str = Field(default="image.png", max_length=255)
    data: bytes = Field(sa_type=LargeBinary)
    created_at: dt.datetime = _ts()


class Broadcast(Table, table=True):
    """A secretariat announcement to a chosen audience."""

    id: int | None = Field(default=None, primary_key=True)
    text: str
    audience: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    recipients: int = 0
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    progress_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    progress_message_id: int | None = Field(default=None, sa_type=BigInteger)
    finished_at: dt.datetime | None = _ts(nullable=True, default=False)


class Acknowledgement(Table, table=True):
    """Someone pressed "Đã nhận" on a push."""

    __table_args__ = (UniqueConstraint("subject", "telegram_id", name="uq_ack_subject_person"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=64, index=True)  # e.g. "broadcast:12"
    telegram_id: int = Field(sa_type=BigInteger)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    at: dt.datetime = _ts()
