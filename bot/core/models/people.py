"""People and chats: users, officials, invitations, audit log, dialogs, dashboard logins."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, text
from sqlmodel import Field

from bot.core.models.base import Table, UTCDateTime, _ts, utcnow


class Role(StrEnum):
    """What an official may do."""

    SECRETARIAT = "secretariat"
    HEAD = "head"
    STAFF = "staff"
    VIEWER = "viewer"


class AppUser(Table, table=True):
    """A Telegram user the bot has seen, with their language preference."""

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    display_name: str = Field(default="", max_length=255)
    username: str = Field(default="", max_length=64)
    language: str | None = Field(default=None, max_length=8)
    reachable: bool = Field(default=True)
    unreachable_reason: str | None = Field(default=None, max_length=64)
    unreachable_since: dt.datetime | None = _ts(nullable=True, default=False)
    created_at: dt.datetime = _ts()
    updated_at: dt.datetime = _ts()


class Official(Table, table=True):
    """A person's role in a unit (or the secretariat); history kept by deactivating rows."""

    # One active role per person: partial on SQLite, and on PostgreSQL (bot.core.db adds its
    # postgresql_where when it makes a PostgreSQL engine; naming it here loads that dialect).
    __table_args__ = (
        Index("uq_official_active_person", "telegram_id", unique=True, sqlite_where=text("active")),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    role: str = Field(max_length=16)
    active: bool = Field(default=True)
    created_at: dt.datetime = _ts()
    ended_at: dt.datetime | None = _ts(nullable=True, default=False)


class Chat(Table, table=True):
    """A private chat or group the bot talks to; inactive once the bot left or was removed."""

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    type: str = Field(max_length=16)
    title: str = Field(default="", max_length=255)
    active: bool = Field(default=True)
    migrated_to: int | None = Field(default=None, sa_type=BigInteger)
    left_at: dt.datetime | None = _ts(nullable=True, default=False)
    created_at: dt.datetime = _ts()
    updated_at: dt.datetime = _ts()


class GroupSubscription(Table, table=True):
    """A group chat receiving an area's summaries (area None: every unit)."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    area_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    active: bool = Field(default=True)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    ended_at: dt.datetime | None = _ts(nullable=True, default=False)


class Invite(Table, table=True):
    """A single-use invitation to a unit and role; only the code's SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, index=True, max_length=64)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    role: str = Field(max_length=16)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    expires_at: dt.datetime = _ts(default=False)
    used_by: int | None = Field(default=None, sa_type=BigInteger)
    used_at: dt.datetime | None = _ts(nullable=True, default=False)
    revoked_at: dt.datetime | None = _ts(nullable=True, default=False)


class RedeemAttempt(Table, table=True):
    """One attempt to redeem an invite code, for throttling guessers."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    ok: bool
    at: dt.datetime = _ts()


class AuditLog(Table, table=True):
    """Who did what, when: every administrative action."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    actor_telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    action: str = Field(max_length=64, index=True)
    subject: str = Field(default="", max_length=255)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class AppState(Table, table=True):
    """Small key/value counters, e.g. the data revision caches compare against."""

    key: str = Field(primary_key=True, max_length=64)
    value: int = 0


# --- dialogs: the question the bot is waiting for a person to answer ----------------------


class Dialog(Table, table=True):
    """One open multi-step dialog per person: which feature asked, at which step, its draft."""

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_type=BigInteger)  # where the question was asked; answers come there
    feature: str = Field(max_length=32)
    state: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: dt.datetime = _ts()
    expires_at: dt.datetime = _ts(default=False)


# --- the dashboard (Mini App): single-use login links and the sessions they open -----------


class DashboardLogin(Table, table=True):
    """A single-use login link to the dashboard (only hashes stored); once used, a session."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, index=True, max_length=64)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    created_at: dt.datetime = _ts()
    expires_at: dt.datetime = _ts(default=False)
    used_at: dt.datetime | None = _ts(nullable=True, default=False)
    session_hash: str | None = Field(default=None, unique=True, index=True, max_length=64)
    session_expires_at: dt.datetime | None = _ts(nullable=True, default=False)
