"""Deadlines, their units and explanation reports (issue 5)."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Text, UniqueConstraint
from sqlmodel import Field

from bot.core.models.base import Table, _ts


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
