"""Warnings (issue 6): per-indicator policy, alert state, silences, evaluation runs."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, UniqueConstraint
from sqlmodel import Field

from bot.core.models.base import Table, UTCDateTime, _ts, utcnow


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
