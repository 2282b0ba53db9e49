"""Reminder steps of a deadline: a pure function of the deadline and "now"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.models import Deadline, DeadlineStatus

LOOKBACK = dt.timedelta(days=30)  # overdue deadlines still shown and still followed up


class StepKind(StrEnum):
    """What a reminder step does."""

    REMIND = "remind"  # N days before: remind units still owing
    DUE_DAY = "due_day"  # the due day: remind, escalate to heads, list to the secretariat
    OVERDUE = "overdue"  # the deadline passed: list to the secretariat, one notice per unit


@dataclass(frozen=True)
class Step:
    """One reminder step of a deadline."""

    code: str  # e.g. "v1-d3", "v1-d0", "v1-over"; part of job names and dedupe keys
    kind: StepKind
    days: int
    at: dt.datetime


@dataclass(frozen=True)
class Schedule:
    """The parts of a deadline its steps depend on."""

    deadline_id: int
    due_at: dt.datetime
    plan_days: tuple[int, ...]
    plan_time: dt.time
    version: int
    schedule_from: dt.datetime
    open: bool = True

    @classmethod
    def of(cls, deadline: Deadline) -> Schedule:
        """From a row."""
        assert deadline.id is not None
        return cls(
            deadline_id=deadline.id,
            due_at=deadline.due_at,
            plan_days=tuple(deadline.plan_days),
            plan_time=parse_hhmm(deadline.plan_time),
            version=deadline.version,
            schedule_from=deadline.schedule_from,
            open=deadline.status == DeadlineStatus.OPEN.value,
        )


def parse_hhmm(text: str) -> dt.time:
    """'08:00' → time(8, 0)."""
    hour, _sep, minute = text.partition(":")
    return dt.time(int(hour), int(minute or 0))


def plan_steps(schedule: Schedule, tz: ZoneInfo) -> list[Step]:
    """Every step of a deadline, in time order: the plan's days before at the plan's local time,
    the due day, and the overdue step at the deadline itself; steps before `schedule_from` (the
    creation, the last postponement or plan change) or not before the deadline are left out."""
    local_due = schedule.due_at.astimezone(tz)
    steps: list[Step] = []
    for days in sorted({*schedule.plan_days, 0}, reverse=True):
        day = local_due.date() - dt.timedelta(days=days)
        at = dt.datetime.combine(day, schedule.plan_time, tzinfo=tz).astimezone(dt.UTC)
        if days == 0 and at >= schedule.due_at:
            at = schedule.due_at - dt.timedelta(hours=1)  # due before the reminder hour
        if at >= schedule.due_at or at < schedule.schedule_from:
            continue
        kind = StepKind.DUE_DAY if days == 0 else StepKind.REMIND
        steps.append(Step(f"v{schedule.version}-d{days}", kind, days, at))
    steps.append(Step(f"v{schedule.version}-over", StepKind.OVERDUE, -1, schedule.due_at))
    return sorted(steps, key=lambda s: s.at)


def due_steps(schedule: Schedule, now: dt.datetime, tz: ZoneInfo) -> list[Step]:
    """Steps to send at `now`: before the deadline only the latest step already due (steps missed
    while the bot was down are coalesced into it); from the deadline on only the overdue step."""
    if not schedule.open:
        return []
    steps = plan_steps(schedule, tz)
    if now >= schedule.due_at:
        return [s for s in steps if s.kind is StepKind.OVERDUE]
    passed = [s for s in steps if s.kind is not StepKind.OVERDUE and s.at <= now]
    return passed[-1:]


def future_steps(schedule: Schedule, now: dt.datetime, tz: ZoneInfo) -> list[Step]:
    """Steps still ahead of `now` (what the job queue must wake up for)."""
    if not schedule.open:
        return []
    return [s for s in plan_steps(schedule, tz) if s.at > now]
