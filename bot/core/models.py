"""Database tables (SQLModel); datetimes are stored as aware UTC."""

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# A simulated clock for the console demo (and tests): when set, every "now" in this context —
# timestamps, due times of pushes — comes from it, so simulated time is consistent everywhere.
_clock_override: ContextVar[Callable[[], dt.datetime] | None] = ContextVar(
    "clock_override", default=None
)


def utcnow() -> dt.datetime:
    """Current time, aware, in UTC (the simulated clock's, when one is in use)."""
    clock = _clock_override.get()
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def use_clock(clock: Callable[[], dt.datetime] | None) -> None:
    """Make utcnow() follow a clock in this context and the tasks it starts (None: real time)."""
    _clock_override.set(clock)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamp column that only accepts aware datetimes and always returns UTC-aware ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        """Convert to UTC before writing; naive values are a programming error."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        """Attach UTC to values SQLite hands back naive."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _ts(nullable: bool = False, default: bool = True) -> Any:
    """A UTC timestamp field."""
    return Field(
        default_factory=utcnow if default else None,
        sa_column_kwargs={},
        sa_type=UTCDateTime,
        nullable=nullable,
    )


class Table(SQLModel):
    """A table: pydantic builds its validator when first used, not at start-up (~30 ms)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


class Role(StrEnum):
    """What an official may do."""

    SECRETARIAT = "secretariat"
    HEAD = "head"
    STAFF = "staff"
    VIEWER = "viewer"


class Unit(Table, table=True):
    """A measured body: commune/ward party committee, department, public service unit, area."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=255)
    name_key: str = Field(index=True, max_length=255)
    short_key: str = Field(index=True, max_length=255)
    kind: str = Field(default="khac", max_length=32, index=True)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    active: bool = Field(default=True)
    created_at: dt.datetime = _ts()


class Indicator(Table, table=True):
    """A tracked rate (numerator / denominator) with its thresholds, in percent."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=255)
    item_kind: str = Field(default="document", max_length=32)
    warning_threshold: float = Field(default=80.0)
    critical_threshold: float = Field(default=50.0)
    target: float = Field(default=100.0)
    builtin: bool = Field(default=False)
    created_at: dt.datetime = _ts()


class ReportingPeriod(Table, table=True):
    """A reporting window; the as-of time is when the figures were taken."""

    __table_args__ = (UniqueConstraint("start_date", "end_date", name="uq_period_dates"),)

    id: int | None = Field(default=None, primary_key=True)
    start_date: dt.date
    end_date: dt.date = Field(index=True)
    as_of: dt.datetime | None = _ts(nullable=True, default=False)
    created_at: dt.datetime = _ts()


class ImportBatch(Table, table=True):
    """One accepted import of a statistics table."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    period_id: int = Field(foreign_key="reportingperiod.id")
    source: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    row_count: int
    new_units: int
    actor_telegram_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()


class Measurement(Table, table=True):
    """Numerator and denominator of one indicator for one unit in one period."""

    __table_args__ = (
        UniqueConstraint("unit_id", "indicator_id", "period_id", name="uq_measurement"),
        Index("ix_measurement_indicator_period", "indicator_id", "period_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    indicator_id: int = Field(foreign_key="indicator.id")
    period_id: int = Field(foreign_key="reportingperiod.id")
    numerator: int
    denominator: int
    published_rate: float | None = None
    import_id: int | None = Field(default=None, foreign_key="importbatch.id")
    updated_at: dt.datetime = _ts()


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


class UnitNameHistory(Table, table=True):
    """A unit's earlier name, kept on rename so old files and searches still match."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    old_name: str = Field(max_length=255)
    old_name_key: str = Field(index=True, max_length=255)
    new_name: str = Field(max_length=255)
    changed_by: int | None = Field(default=None, sa_type=BigInteger)
    changed_at: dt.datetime = _ts()


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


class PendingImport(Table, table=True):
    """A statistics file previewed in chat and waiting for its uploader's confirmation."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(unique=True, index=True, max_length=32)  # in the buttons' callback data
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    filename: str = Field(max_length=255)
    data: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: dt.datetime = _ts()
    expires_at: dt.datetime = _ts(default=False)


# --- Warnings (issue 6): per-indicator policy, alert state, silences, evaluation runs --------


class WarningPolicy(Table, table=True):
    """Per-indicator overrides of the warning schedule and repeat interval (None: settings)."""

    indicator_id: int = Field(primary_key=True, foreign_key="indicator.id")
    enabled: bool = Field(default=True)
    schedule: str | None = Field(default=None, max_length=64)  # "mon 08:00", "off"
    repeat_seconds: int | None = Field(default=None)
    updated_at: dt.datetime = _ts()


class AlertState(Table, table=True):
    """Where one unit stands on one indicator's warnings and what it was last told (the
    notification log: repeats and "resolved" notes survive restarts)."""

    __table_args__ = (UniqueConstraint("unit_id", "indicator_id", name="uq_alert_state"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    period_id: int = Field(foreign_key="reportingperiod.id")  # last evaluated period
    level: str | None = Field(default=None, max_length=16)  # warning, critical; None: fine
    firing_since: dt.datetime | None = _ts(nullable=True, default=False)
    notified_period_id: int | None = Field(default=None, foreign_key="reportingperiod.id")
    notified_level: str | None = Field(default=None, max_length=16)
    first_sent_at: dt.datetime | None = _ts(nullable=True, default=False)
    last_sent_at: dt.datetime | None = _ts(nullable=True, default=False)
    repeats: int = Field(default=0)
    recipients: int = Field(default=0)
    resolved_at: dt.datetime | None = _ts(nullable=True, default=False)
    updated_at: dt.datetime = _ts()


class WarningSilence(Table, table=True):
    """The secretariat muted a unit's warnings until a moment (e.g. after an explanation)."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    indicator_id: int | None = Field(default=None, foreign_key="indicator.id")  # None: all
    until: dt.datetime = _ts(default=False)
    reason: str = Field(default="", max_length=255)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    ended_at: dt.datetime | None = _ts(nullable=True, default=False)
    ended_by: int | None = Field(default=None, sa_type=BigInteger)


class WarningRun(Table, table=True):
    """One evaluation of an indicator's warnings: why it ran and what it queued."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    period_id: int | None = Field(default=None, foreign_key="reportingperiod.id")
    trigger: str = Field(max_length=16)  # import, schedule, manual, cli
    import_id: int | None = Field(default=None, foreign_key="importbatch.id", index=True)
    actor_telegram_id: int | None = Field(default=None, sa_type=BigInteger)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    counts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


# --- deadlines, reminders and explanation reports (issue 5) -------------------------------


class DeadlineKind(StrEnum):
    """What a deadline asks of each unit."""

    REPORT = "report"  # send an explanation report ("báo cáo giải trình")
    RATE = "rate"  # reach a rate of an indicator


class DeadlineStatus(StrEnum):
    """Whether a deadline is still followed."""

    OPEN = "open"
    CANCELLED = "cancelled"


class Deadline(Table, table=True):
    """A hard date set by the secretariat, with its audience and reminder plan."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=255)
    kind: str = Field(max_length=16)
    due_at: dt.datetime = _ts(default=False)
    indicator_code: str = Field(default="ky-so", max_length=64)
    # Rate deadlines: the period measured (None: each unit's latest figures).
    period_id: int | None = Field(default=None, foreign_key="reportingperiod.id")
    required_rate: float | None = None  # percent, rate deadlines only
    # {"type": "all"} | {"type": "below", "threshold": 80, "period_id": 3}
    # | {"type": "kind", "kind": "xa"} | {"type": "area", "area_id": 7}
    audience: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    plan_days: list[int] = Field(default_factory=list, sa_type=JSON)  # days before; due day always
    plan_time: str = Field(default="08:00", max_length=5)  # local time of day, HH:MM
    template: str | None = Field(default=None, max_length=32)
    status: str = Field(default=DeadlineStatus.OPEN.value, max_length=16, index=True)
    version: int = Field(default=1)  # bumped when postponed: a fresh set of reminder steps
    schedule_from: dt.datetime = _ts()  # no step before this is sent
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    updated_at: dt.datetime = _ts()
    cancelled_at: dt.datetime | None = _ts(nullable=True, default=False)


class DeadlineUnit(Table, table=True):
    """A unit a deadline applies to (fixed when the deadline is created)."""

    __table_args__ = (UniqueConstraint("deadline_id", "unit_id", name="uq_deadline_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    # Report submitted (cleared when the secretariat asks for more) or rate reached (kept).
    fulfilled_at: dt.datetime | None = _ts(nullable=True, default=False)


class ReportStatus(StrEnum):
    """Where an explanation report stands with the secretariat."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    MORE = "more"  # the secretariat asked for more


class ExplanationReport(Table, table=True):
    """A unit's explanation for a deadline: text and/or a Telegram file (kept by file_id)."""

    __table_args__ = (UniqueConstraint("deadline_id", "unit_id", name="uq_report_unit"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    version: int = Field(default=1)
    receipt: str = Field(max_length=32)
    text: str = Field(default="", sa_type=Text)
    file_id: str | None = Field(default=None, max_length=255)
    file_kind: str | None = Field(default=None, max_length=16)  # document | photo
    file_name: str | None = Field(default=None, max_length=255)
    file_size: int | None = None
    mime_type: str | None = Field(default=None, max_length=128)
    submitted_by: int = Field(sa_type=BigInteger)
    first_submitted_at: dt.datetime = _ts()
    submitted_at: dt.datetime = _ts()
    late: bool = Field(default=False)  # first submitted after the deadline
    status: str = Field(default=ReportStatus.SUBMITTED.value, max_length=16)
    review_note: str = Field(default="", sa_type=Text)
    reviewed_by: int | None = Field(default=None, sa_type=BigInteger)
    reviewed_at: dt.datetime | None = _ts(nullable=True, default=False)


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


# --- directive letters: the library officials' questions are answered from (issue 16) ------


class LetterStatus(StrEnum):
    """Where a letter stands in the library."""

    PENDING = "pending"  # read and previewed, waiting for the secretariat's confirmation
    ACTIVE = "active"  # answers questions
    RETIRED = "retired"  # kept for citations (deadlines that link it), not searched


class Letter(Table, table=True):
    """A directive letter: its identity as cited ("Công văn số 484-CV/TU ngày 21/5/2026 …")."""

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default=LetterStatus.PENDING.value, max_length=16, index=True)
    token: str | None = Field(default=None, max_length=32, unique=True)  # preview buttons
    kind: str = Field(default="cv", max_length=8)  # cv, hd, kh… (bot.letters.header.KINDS)
    number: str = Field(default="", max_length=64)  # "484-CV/TU"; "…-CV/TU" if blank
    issued_on: dt.date | None = None
    date_precision: str = Field(default="", max_length=8)  # day, month, year or ""
    issuer: str = Field(default="", max_length=255)
    title: str = Field(default="", max_length=500)
    filename: str = Field(default="", max_length=255)
    sha256: str = Field(max_length=64, index=True)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    updated_at: dt.datetime = _ts()
    expires_at: dt.datetime | None = _ts(nullable=True, default=False)
    retired_at: dt.datetime | None = _ts(nullable=True, default=False)
    retired_by: int | None = Field(default=None, sa_type=BigInteger)


class LetterPassage(Table, table=True):
    """A citable piece of a letter: an item, a paragraph of it, an opening or closing
    paragraph, or the appendix (kept apart: not searched)."""

    __table_args__ = (UniqueConstraint("letter_id", "seq", name="uq_letter_passage"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    seq: int
    kind: str = Field(max_length=16)  # intro, item, end, appendix
    label: str = Field(default="", max_length=32)  # "1", "3.2", "1.a", "II.2"
    heading: str = Field(default="", sa_type=Text)
    text: str = Field(sa_type=Text)
    footnotes: list[str] = Field(default_factory=list, sa_type=JSON)


class DeadlineBasis(Table, table=True):
    """The letter passage a deadline carries out (its reminders cite it)."""

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", unique=True)
    passage_id: int = Field(foreign_key="letterpassage.id", index=True)
    linked_by: int | None = Field(default=None, sa_type=BigInteger)
    linked_at: dt.datetime = _ts()
