"""Deadlines, their reminder steps, who still owes what, and explanation reports.

The database is the source of truth. Reminder steps are a pure function of a deadline and "now"
(`plan_steps`, `due_steps`); `run_due` turns the steps that are due into outbox pushes whose
dedupe keys (`deadline:<id>:<step>:<unit or list>:<chat>`) make every push happen at most once,
however often it runs (scheduled jobs, the start-up catch-up, the console's simulated clock).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.dates import DEFAULT_PLAN_DAYS, DEFAULT_PLAN_TIME
from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import _, fmt_datetime, use_language
from bot.core.models import (
    Acknowledgement,
    AppUser,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    ExplanationReport,
    Indicator,
    Measurement,
    Official,
    OutboxMessage,
    OutboxStatus,
    ReportingPeriod,
    ReportStatus,
    Role,
    Unit,
    utcnow,
)
from bot.core.outbox import PRIORITY_REMINDER, Push, QuietHours, enqueue_many
from bot.core.stats import PeriodInfo, load_indicator, load_period_table, recent_periods
from bot.deadlines import texts
from bot.deadlines.errors import DeadlineError
from bot.units.service import AREA_KIND

logger = logging.getLogger(__name__)

TEMPLATE_REPORT = "report80"
TEMPLATE_RATE = "sign100"
TEMPLATES = (TEMPLATE_REPORT, TEMPLATE_RATE)
# The letters' dates (day, month) for the templates.
TEMPLATE_DUE = {TEMPLATE_REPORT: (26, 6), TEMPLATE_RATE: (30, 6)}
MAX_TITLE = 200
MAX_REPORT_TEXT = 8000
LOOKBACK = dt.timedelta(days=30)  # overdue deadlines still shown and still followed up
REPORT_EXTENSIONS = {".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".webp", ".heic"}
REPORT_MIME_PREFIXES = ("image/",)
REPORT_MIMES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Outbox kinds.
KIND_REMINDER = "deadline_reminder"
KIND_ESCALATION = "deadline_escalation"
KIND_LIST = "deadline_list"
KIND_NOTICE = "deadline_notice"


# --- reminder steps (pure) ----------------------------------------------------------------


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


# --- drafts and audiences -----------------------------------------------------------------


@dataclass
class Draft:
    """A deadline being set up in the guided conversation (kept as a dict in user_data)."""

    title: str = ""
    kind: str | None = None
    due_at: dt.datetime | None = None
    indicator_code: str = SIGNING_INDICATOR
    period_id: int | None = None  # rate deadlines: measured period (None: latest)
    required_rate: float | None = None
    audience: dict[str, Any] = field(default_factory=dict)
    plan_days: tuple[int, ...] = DEFAULT_PLAN_DAYS
    plan_time: dt.time = DEFAULT_PLAN_TIME
    template: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "title": self.title,
            "kind": self.kind,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "indicator_code": self.indicator_code,
            "period_id": self.period_id,
            "required_rate": self.required_rate,
            "audience": dict(self.audience),
            "plan_days": list(self.plan_days),
            "plan_time": self.plan_time.strftime("%H:%M"),
            "template": self.template,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """Back from to_dict."""
        due = data.get("due_at")
        return cls(
            title=data.get("title", ""),
            kind=data.get("kind"),
            due_at=dt.datetime.fromisoformat(due) if due else None,
            indicator_code=data.get("indicator_code", SIGNING_INDICATOR),
            period_id=data.get("period_id"),
            required_rate=data.get("required_rate"),
            audience=dict(data.get("audience") or {}),
            plan_days=tuple(data["plan_days"]) if "plan_days" in data else DEFAULT_PLAN_DAYS,
            plan_time=parse_hhmm(data.get("plan_time", "08:00")),
            template=data.get("template"),
        )

    def missing(self) -> str | None:
        """The first thing still to ask: title, due, kind, rate, audience (None: complete)."""
        if not self.title:
            return "title"
        if self.due_at is None:
            return "due"
        if self.kind is None:
            return "kind"
        if self.kind == DeadlineKind.RATE.value and self.required_rate is None:
            return "rate"
        if not self.audience.get("type"):
            return "audience"
        if self.audience["type"] == "below" and (
            self.audience.get("threshold") is None or not self.audience.get("period_id")
        ):
            return "audience"
        return None


def latest_period(
    *, session: Session, indicator_code: str = SIGNING_INDICATOR
) -> PeriodInfo | None:
    """The newest period with figures for an indicator."""
    indicator = load_indicator(session=session, code=indicator_code)
    if indicator is None:
        return None
    periods = recent_periods(session=session, indicator_id=indicator.id, limit=1)
    return periods[0] if periods else None


def choosable_periods(
    *, session: Session, indicator_code: str = SIGNING_INDICATOR, limit: int = 4
) -> list[PeriodInfo]:
    """Recent periods with figures, newest first, to choose from."""
    indicator = load_indicator(session=session, code=indicator_code)
    if indicator is None:
        return []
    return recent_periods(session=session, indicator_id=indicator.id, limit=limit)


def period_info(*, session: Session, period_id: int | None) -> PeriodInfo | None:
    """A period by id."""
    if period_id is None:
        return None
    row = session.get(ReportingPeriod, period_id)
    if row is None or row.id is None:
        return None
    return PeriodInfo(row.id, row.start_date, row.end_date, row.as_of)


def template_draft(*, session: Session, template: str, now: dt.datetime, tz: ZoneInfo) -> Draft:
    """A draft reproducing one of the letters' deadlines (due date None if the letter's date
    has already passed this year: then it is asked)."""
    if template not in TEMPLATES:
        raise DeadlineError("unknown_template")
    period = latest_period(session=session)
    if period is None:
        raise DeadlineError("no_figures")
    indicator = load_indicator(session=session, code=SIGNING_INDICATOR)
    assert indicator is not None
    day, month = TEMPLATE_DUE[template]
    year = period.end.year
    due_local = dt.datetime.combine(dt.date(year, month, day), dt.time(23, 59), tzinfo=tz)
    due = due_local.astimezone(dt.UTC)
    with use_language("vi"):  # the letters' names, stored as written
        title = texts.template_title(template)
    draft = Draft(title=title, template=template, due_at=due if due > now else None)
    if template == TEMPLATE_REPORT:
        draft.kind = DeadlineKind.REPORT.value
        draft.audience = {
            "type": "below",
            "threshold": float(indicator.warning_percent),
            "period_id": period.id,
        }
    else:
        draft.kind = DeadlineKind.RATE.value
        draft.required_rate = float(indicator.target_percent)
        draft.audience = {"type": "all"}
    return draft


def _active_units(session: Session) -> list[tuple[int, str, str, int | None]]:
    """(id, name, kind, parent id) of active units."""
    rows = session.exec(
        select(Unit.id, Unit.name, Unit.kind, Unit.parent_id)
        .where(Unit.active == True)  # noqa: E712
        .order_by(col(Unit.short_key), col(Unit.id))
    ).all()
    return [(int(i), n, k, p) for i, n, k, p in rows]  # type: ignore[arg-type]


def audience_unit_ids(
    *, session: Session, audience: dict[str, Any], indicator_code: str = SIGNING_INDICATOR
) -> list[int]:
    """The active units an audience names, in name order (areas themselves never)."""
    units = _active_units(session)
    kind_of = audience.get("type")
    chosen: set[int]
    if kind_of == "all":
        chosen = {uid for uid, _n, kind, _p in units if kind != AREA_KIND}
    elif kind_of == "kind":
        chosen = {uid for uid, _n, kind, _p in units if kind == audience.get("kind")}
    elif kind_of == "area":
        children: dict[int, list[int]] = {}
        for uid, _n, _k, parent in units:
            if parent is not None:
                children.setdefault(parent, []).append(uid)
        chosen, todo = set(), [int(audience.get("area_id") or 0)]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in chosen:
                    chosen.add(child)
                    todo.append(child)
    elif kind_of == "below":
        indicator = load_indicator(session=session, code=indicator_code)
        period = period_info(session=session, period_id=audience.get("period_id"))
        if indicator is None or period is None:
            return []
        table = load_period_table(session=session, indicator=indicator, period=period)
        threshold = Fraction(str(audience.get("threshold", 80))) / 100
        chosen = {
            s.unit_id
            for s in table.by_unit.values()
            if s.denominator > 0 and Fraction(s.numerator, s.denominator) < threshold
        }
    else:
        return []
    return [uid for uid, _n, _k, _p in units if uid in chosen]


# --- progress: what each unit still owes ---------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A unit's figures for a rate deadline (None: no figures)."""

    numerator: int
    denominator: int
    period: PeriodInfo

    def reached(self, required: float) -> bool:
        """At or above the required rate (nothing to count counts as reached)."""
        if self.denominator <= 0:
            return True
        return Fraction(self.numerator, self.denominator) >= Fraction(str(required)) / 100

    def shortfall(self, required: float) -> int:
        """Items still to count to reach the required rate."""
        needed = math.ceil(Fraction(str(required)) / 100 * self.denominator)
        return max(0, needed - self.numerator)


def unit_progress(
    *, session: Session, deadline: Deadline | Draft, unit_ids: Iterable[int]
) -> dict[int, Progress]:
    """Each unit's figures: in the deadline's period, or the unit's latest period."""
    ids = list(unit_ids)
    if not ids:
        return {}
    indicator = load_indicator(session=session, code=deadline.indicator_code)
    if indicator is None:
        return {}
    stmt = (
        select(
            Measurement.unit_id,
            Measurement.numerator,
            Measurement.denominator,
            ReportingPeriod,
        )
        .join(ReportingPeriod, ReportingPeriod.id == Measurement.period_id)  # type: ignore[arg-type]
        .where(Measurement.indicator_id == indicator.id, col(Measurement.unit_id).in_(ids))
        .order_by(col(ReportingPeriod.end_date).desc(), col(ReportingPeriod.start_date).desc())
    )
    if deadline.period_id is not None:
        stmt = stmt.where(Measurement.period_id == deadline.period_id)
    found: dict[int, Progress] = {}
    for unit_id, num, den, period in session.exec(stmt).all():
        if unit_id not in found:
            info = PeriodInfo(period.id, period.start_date, period.end_date, period.as_of)  # type: ignore[arg-type]
            found[int(unit_id)] = Progress(int(num), int(den), info)
    return found


def below_rates(
    *, session: Session, audience: dict[str, Any], unit_ids: Iterable[int], indicator_code: str
) -> dict[int, tuple[int, int]]:
    """The figures that put units in a below-threshold audience (for the reminder text)."""
    if audience.get("type") != "below":
        return {}
    period_id = audience.get("period_id")
    indicator = load_indicator(session=session, code=indicator_code)
    ids = list(unit_ids)
    if indicator is None or period_id is None or not ids:
        return {}
    rows = session.exec(
        select(Measurement.unit_id, Measurement.numerator, Measurement.denominator).where(
            Measurement.indicator_id == indicator.id,
            Measurement.period_id == period_id,
            col(Measurement.unit_id).in_(ids),
        )
    ).all()
    return {int(u): (int(n), int(d)) for u, n, d in rows}


# --- creating and changing ----------------------------------------------------------------


def get_deadline(*, session: Session, deadline_id: int) -> Deadline:
    """A deadline by id, or DeadlineError('not_found')."""
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        raise DeadlineError("not_found", id=deadline_id)
    return deadline


def check_title(title: str) -> str:
    """Trimmed, non-empty, not too long."""
    title = " ".join((title or "").split())
    if not title:
        raise DeadlineError("empty_title")
    if len(title) > MAX_TITLE:
        raise DeadlineError("long_title", max=MAX_TITLE)
    return title


def check_rate(value: float) -> float:
    """A required rate or threshold in percent: above 0, at most 100."""
    if not 0 < value <= 100:
        raise DeadlineError("bad_rate")
    return value


def create_deadline(
    *, session: Session, draft: Draft, actor: int | None, now: dt.datetime
) -> Deadline:
    """Write a complete draft as a deadline with its fixed audience, in one transaction."""
    title = check_title(draft.title)
    if draft.missing() is not None or draft.due_at is None or draft.kind is None:
        raise DeadlineError("incomplete")
    if draft.due_at <= now:
        raise DeadlineError("due_past")
    if draft.kind == DeadlineKind.RATE.value:
        check_rate(float(draft.required_rate or 0))
    unit_ids = audience_unit_ids(
        session=session, audience=draft.audience, indicator_code=draft.indicator_code
    )
    if not unit_ids:
        raise DeadlineError("empty_audience")
    deadline = Deadline(
        title=title,
        kind=draft.kind,
        due_at=draft.due_at,
        indicator_code=draft.indicator_code,
        period_id=draft.period_id,
        required_rate=draft.required_rate,
        audience=dict(draft.audience),
        plan_days=sorted(set(draft.plan_days), reverse=True),
        plan_time=draft.plan_time.strftime("%H:%M"),
        template=draft.template,
        schedule_from=now,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(deadline)
    session.flush()
    assert deadline.id is not None
    for unit_id in unit_ids:
        session.add(DeadlineUnit(deadline_id=deadline.id, unit_id=unit_id))
    session.flush()
    reached: list[int] = []
    if deadline.kind == DeadlineKind.RATE.value:
        reached = refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.create",
        subject=f"deadline:{deadline.id}",
        title=title,
        kind=deadline.kind,
        due_at=deadline.due_at.isoformat(),
        units=len(unit_ids),
        already_fulfilled=len(reached),
        template=draft.template,
    )
    return deadline


def edit_title(
    *, session: Session, deadline_id: int, title: str, actor: int | None, now: dt.datetime
) -> Deadline:
    """Rename a deadline (future pushes use the new title)."""
    deadline = open_deadline(session, deadline_id)
    title = check_title(title)
    old = deadline.title
    deadline.title = title
    deadline.updated_at = now
    session.add(deadline)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.edit",
        subject=f"deadline:{deadline_id}",
        field="title",
        old=old,
        new=title,
    )
    return deadline


def edit_plan(
    *,
    session: Session,
    deadline_id: int,
    days: Sequence[int],
    time: dt.time,
    actor: int | None,
    now: dt.datetime,
) -> Deadline:
    """Change the reminder plan; steps that would now lie in the past are not sent."""
    deadline = open_deadline(session, deadline_id)
    old = {"days": list(deadline.plan_days), "time": deadline.plan_time}
    deadline.plan_days = sorted(set(days), reverse=True)
    deadline.plan_time = time.strftime("%H:%M")
    deadline.schedule_from = now
    deadline.updated_at = now
    session.add(deadline)
    audit.record(
        session=session,
        actor=actor,
        action="deadline.edit",
        subject=f"deadline:{deadline_id}",
        field="plan",
        old=old,
        new={"days": list(deadline.plan_days), "time": deadline.plan_time},
    )
    return deadline


def open_deadline(session: Session, deadline_id: int) -> Deadline:
    """A deadline that has not been cancelled."""
    deadline = get_deadline(session=session, deadline_id=deadline_id)
    if deadline.status != DeadlineStatus.OPEN.value:
        raise DeadlineError("cancelled", title=deadline.title)
    return deadline


@dataclass(frozen=True)
class PushContext:
    """What rendering and queueing pushes needs from the settings."""

    tz: ZoneInfo
    quiet: QuietHours
    admin_ids: frozenset[int] = frozenset()
    default_language: str = "vi"


def _cancel_pending(session: Session, deadline_id: int, unit_id: int | None = None) -> int:
    """Withdraw queued, unsent pushes of a deadline (of one unit only, if given)."""
    pattern = f"deadline:{deadline_id}:%"
    if unit_id is not None:
        pattern = f"deadline:{deadline_id}:%:u{unit_id}:%"
    result = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage)
        .where(
            col(OutboxMessage.dedupe_key).like(pattern),
            OutboxMessage.status == OutboxStatus.PENDING.value,
        )
        .values(status=OutboxStatus.CANCELLED.value)
    )
    return int(result.rowcount or 0)


def _reminded_chats(session: Session, deadline_id: int) -> dict[int, str]:
    """Chats that received a push of this deadline → the unit part of its key ('u12', 'list')."""
    rows = session.exec(
        select(OutboxMessage.chat_id, OutboxMessage.dedupe_key).where(
            col(OutboxMessage.dedupe_key).like(f"deadline:{deadline_id}:%"),
            col(OutboxMessage.status).in_([OutboxStatus.SENT.value, OutboxStatus.SENDING.value]),
        )
    ).all()
    found: dict[int, str] = {}
    for chat_id, key in rows:
        parts = key.split("#", 1)[0].split(":")
        if len(parts) == 5:
            found.setdefault(int(chat_id), parts[3])
    return found


def _languages(session: Session, chat_ids: Iterable[int], default: str) -> dict[int, str]:
    """Each person's stored language, else the default."""
    ids = [c for c in chat_ids if c > 0]
    found = {c: default for c in chat_ids}
    if ids:
        for tid, lang in session.exec(
            select(AppUser.telegram_id, AppUser.language).where(col(AppUser.telegram_id).in_(ids))
        ).all():
            found[int(tid)] = lang or default
    return found


@dataclass(frozen=True)
class ChangeResult:
    """A postponement or cancellation and how many people were told."""

    deadline: Deadline
    notified: int
    old_due: dt.datetime | None = None


def _tell_reminded(
    session: Session,
    deadline: Deadline,
    *,
    ctx: PushContext,
    now: dt.datetime,
    tag: str,
    render: Callable[[], str],
) -> int:
    """Queue a notice (rendered in each person's language) to everyone already reminded."""
    chats = _reminded_chats(session, deadline.id)  # type: ignore[arg-type]
    languages = _languages(session, chats, ctx.default_language)
    pushes: list[Push] = []
    for chat_id, part in sorted(chats.items()):
        with use_language(languages[chat_id]):
            text = render()
        pushes.append(
            Push(
                key=f"deadline:{deadline.id}:{tag}:{part}:{chat_id}",
                chat_id=chat_id,
                text=text,
                kind=KIND_NOTICE,
                priority=PRIORITY_REMINDER,
                not_before=ctx.quiet.defer(now),
                unit_id=int(part[1:]) if part.startswith("u") else None,
            )
        )
    enqueue_many(session=session, pushes=pushes)
    return len(pushes)


def postpone(
    *,
    session: Session,
    deadline_id: int,
    new_due: dt.datetime,
    actor: int | None,
    now: dt.datetime,
    ctx: PushContext,
) -> ChangeResult:
    """Move the deadline later; a fresh set of reminder steps; everyone reminded is told."""
    deadline = open_deadline(session, deadline_id)
    if new_due <= now:
        raise DeadlineError("due_past")
    if new_due <= deadline.due_at:
        raise DeadlineError("not_later", due=deadline.due_at)
    old_due = deadline.due_at
    deadline.due_at = new_due
    deadline.version += 1
    deadline.schedule_from = now
    deadline.updated_at = now
    session.add(deadline)
    # Reports sent before the new deadline are on time now.
    for report in session.exec(
        select(ExplanationReport).where(ExplanationReport.deadline_id == deadline_id)
    ):
        late = report.first_submitted_at > new_due
        if report.late != late:
            report.late = late
            session.add(report)
    _cancel_pending(session, deadline_id)
    notified = _tell_reminded(
        session,
        deadline,
        ctx=ctx,
        now=now,
        tag=f"v{deadline.version}-post",
        render=lambda: texts.postponed_notice(deadline, old_due=old_due),
    )
    audit.record(
        session=session,
        actor=actor,
        action="deadline.postpone",
        subject=f"deadline:{deadline_id}",
        title=deadline.title,
        old_due=old_due.isoformat(),
        new_due=new_due.isoformat(),
        notified=notified,
    )
    return ChangeResult(deadline, notified, old_due)


def cancel(
    *, session: Session, deadline_id: int, actor: int | None, now: dt.datetime, ctx: PushContext
) -> ChangeResult:
    """Cancel a deadline: no more reminders; everyone reminded is told."""
    deadline = open_deadline(session, deadline_id)
    deadline.status = DeadlineStatus.CANCELLED.value
    deadline.cancelled_at = now
    deadline.updated_at = now
    session.add(deadline)
    _cancel_pending(session, deadline_id)
    notified = _tell_reminded(
        session,
        deadline,
        ctx=ctx,
        now=now,
        tag="cancel",
        render=lambda: texts.cancelled_notice(deadline),
    )
    audit.record(
        session=session,
        actor=actor,
        action="deadline.cancel",
        subject=f"deadline:{deadline_id}",
        title=deadline.title,
        notified=notified,
    )
    return ChangeResult(deadline, notified)


# --- fulfilment ---------------------------------------------------------------------------


def _audience_rows(session: Session, deadline_id: int) -> list[DeadlineUnit]:
    """The deadline's units."""
    return list(session.exec(select(DeadlineUnit).where(DeadlineUnit.deadline_id == deadline_id)))


def refresh_rate_fulfilment(*, session: Session, deadline: Deadline, now: dt.datetime) -> list[int]:
    """Mark units whose figures reached the required rate (for good); returns the newly marked."""
    if deadline.kind != DeadlineKind.RATE.value or deadline.id is None:
        return []
    rows = [r for r in _audience_rows(session, deadline.id) if r.fulfilled_at is None]
    progress = unit_progress(session=session, deadline=deadline, unit_ids=[r.unit_id for r in rows])
    reached: list[int] = []
    for row in rows:
        found = progress.get(row.unit_id)
        if found is not None and found.reached(float(deadline.required_rate or 100)):
            row.fulfilled_at = found.period.as_of or now
            session.add(row)
            _cancel_pending(session, deadline.id, row.unit_id)
            reached.append(row.unit_id)
    return reached


def after_import(*, session: Session, result: Any) -> None:
    """AFTER_IMPORT listener: units whose new figures reach a rate deadline stop being reminded."""
    deadlines = session.exec(
        select(Deadline).where(
            Deadline.status == DeadlineStatus.OPEN.value,
            Deadline.kind == DeadlineKind.RATE.value,
            Deadline.indicator_code == result.indicator_code,
        )
    ).all()
    for deadline in deadlines:
        if deadline.period_id is not None and deadline.period_id != result.period_id:
            continue
        reached = refresh_rate_fulfilment(session=session, deadline=deadline, now=utcnow())
        if reached:
            logger.info("Deadline %s: %d units reached the rate", deadline.id, len(reached))


# --- who owes, who is told ----------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A person a push goes to."""

    telegram_id: int
    unit_id: int | None
    role: str
    language: str


def unit_recipients(
    *, session: Session, unit_ids: Iterable[int], default_language: str
) -> dict[int, list[Recipient]]:
    """Heads and staff of units who can be reached, by unit."""
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Official.telegram_id, Official.unit_id, Official.role, AppUser.language)
        .join(AppUser, AppUser.telegram_id == Official.telegram_id, isouter=True)  # type: ignore[arg-type]
        .where(
            Official.active == True,  # noqa: E712
            col(Official.unit_id).in_(ids),
            col(Official.role).in_([Role.HEAD.value, Role.STAFF.value]),
            col(AppUser.reachable).is_not(False),
        )
        .order_by(col(Official.telegram_id))
    ).all()
    found: dict[int, list[Recipient]] = {}
    for tid, unit_id, role, lang in rows:
        found.setdefault(int(unit_id), []).append(  # type: ignore[arg-type]
            Recipient(int(tid), int(unit_id), role, lang or default_language)  # type: ignore[arg-type]
        )
    return found


def secretariat_recipients(
    *, session: Session, admin_ids: frozenset[int], default_language: str
) -> list[Recipient]:
    """Everyone in the secretariat who can be reached."""
    ids = set(admin_ids)
    ids.update(
        int(t)
        for t in session.exec(
            select(Official.telegram_id).where(
                Official.active == True,  # noqa: E712
                Official.role == Role.SECRETARIAT.value,
            )
        ).all()
    )
    if not ids:
        return []
    users = {
        int(u.telegram_id): u
        for u in session.exec(select(AppUser).where(col(AppUser.telegram_id).in_(ids)))
    }
    found = []
    for tid in sorted(ids):
        user = users.get(tid)
        if user is not None and not user.reachable:
            continue
        language = (user.language if user else None) or default_language
        found.append(Recipient(tid, None, Role.SECRETARIAT.value, language))
    return found


@dataclass(frozen=True)
class Owing:
    """A unit that has not fulfilled a deadline, and what it owes."""

    unit_id: int
    unit_name: str
    progress: Progress | None = None  # rate deadlines
    below: tuple[int, int] | None = None  # report deadlines chosen by a threshold
    report: ExplanationReport | None = None  # a report the secretariat asked more of


def owing_units(*, session: Session, deadline: Deadline, now: dt.datetime) -> list[Owing]:
    """Units of the deadline that have not fulfilled it, by name (rate figures refreshed)."""
    assert deadline.id is not None
    if deadline.kind == DeadlineKind.RATE.value:
        refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
    rows = session.exec(
        select(DeadlineUnit.unit_id, Unit.name)
        .join(Unit, Unit.id == DeadlineUnit.unit_id)  # type: ignore[arg-type]
        .where(
            DeadlineUnit.deadline_id == deadline.id,
            col(DeadlineUnit.fulfilled_at).is_(None),
        )
        .order_by(col(Unit.short_key), col(Unit.name), col(Unit.id))
    ).all()
    ids = [int(u) for u, _n in rows]
    progress = (
        unit_progress(session=session, deadline=deadline, unit_ids=ids)
        if deadline.kind == DeadlineKind.RATE.value
        else {}
    )
    below = below_rates(
        session=session,
        audience=deadline.audience,
        unit_ids=ids,
        indicator_code=deadline.indicator_code,
    )
    reports = {
        r.unit_id: r
        for r in session.exec(
            select(ExplanationReport).where(ExplanationReport.deadline_id == deadline.id)
        )
    }
    return [
        Owing(int(u), name, progress.get(int(u)), below.get(int(u)), reports.get(int(u)))
        for u, name in rows
    ]


def _markup(deadline: Deadline) -> dict[str, Any]:
    """'Đã nhận' and, for reports, 'Nộp giải trình' (Bot API JSON, callback data ≤ 64 bytes)."""
    row = [{"text": texts.ack_label(), "callback_data": f"dl:ack:{deadline.id}"}]
    if deadline.kind == DeadlineKind.REPORT.value:
        row.append({"text": texts.submit_label(), "callback_data": f"dl:rep:{deadline.id}"})
    return {"inline_keyboard": [row]}


def step_pushes(
    *, session: Session, deadline: Deadline, step: Step, now: dt.datetime, ctx: PushContext
) -> list[Push]:
    """The pushes of one step: reminders, the due-day escalation and lists, overdue notices."""
    assert deadline.id is not None
    owing = owing_units(session=session, deadline=deadline, now=now)
    send_at = ctx.quiet.defer(now)
    people = unit_recipients(
        session=session, unit_ids=[o.unit_id for o in owing], default_language=ctx.default_language
    )
    total = len(_audience_rows(session, deadline.id))
    pushes: list[Push] = []
    prefix = f"deadline:{deadline.id}:{step.code}"

    def add(
        key: str, person: Recipient, text: str, kind: str, unit_id: int | None, buttons: bool
    ) -> None:
        """Queue one push to one person."""
        pushes.append(
            Push(
                key=f"{prefix}{key}:{person.telegram_id}",
                chat_id=person.telegram_id,
                text=text,
                kind=kind,
                priority=PRIORITY_REMINDER,
                not_before=send_at,
                reply_markup=_markup(deadline) if buttons else None,
                unit_id=unit_id,
            )
        )

    is_report = deadline.kind == DeadlineKind.REPORT.value
    for item in owing:
        staff = [p for p in people.get(item.unit_id, []) if p.role == Role.STAFF.value]
        heads = [p for p in people.get(item.unit_id, []) if p.role == Role.HEAD.value]
        unit = f":u{item.unit_id}"
        if step.kind is StepKind.REMIND:
            for person in staff or heads:  # a unit without office staff: its head is reminded
                with use_language(person.language):
                    text = texts.reminder(deadline, item, now=send_at)
                add(unit, person, text, KIND_REMINDER, item.unit_id, True)
        elif step.kind is StepKind.DUE_DAY:
            for person in staff:
                with use_language(person.language):
                    text = texts.reminder(deadline, item, now=send_at, due_day=True)
                add(unit, person, text, KIND_REMINDER, item.unit_id, True)
            for person in heads:
                with use_language(person.language):
                    text = texts.escalation(deadline, item, now=send_at)
                add(f"-esc{unit}", person, text, KIND_ESCALATION, item.unit_id, True)
        else:
            for person in staff + heads:
                with use_language(person.language):
                    text = texts.overdue_notice(deadline, item)
                add(unit, person, text, KIND_REMINDER, item.unit_id, is_report)
    if step.kind in (StepKind.DUE_DAY, StepKind.OVERDUE):
        for person in secretariat_recipients(
            session=session, admin_ids=ctx.admin_ids, default_language=ctx.default_language
        ):
            with use_language(person.language):
                text = texts.secretariat_list(
                    deadline, owing, total=total, overdue=step.kind is StepKind.OVERDUE, now=send_at
                )
            add(":list", person, text, KIND_LIST, None, False)
    return pushes


@dataclass(frozen=True)
class RunResult:
    """What one pass of `run_due` did."""

    steps: list[tuple[int, Step]]
    queued: int


def run_due(
    *, session: Session, now: dt.datetime, ctx: PushContext, deadline_id: int | None = None
) -> RunResult:
    """Queue every reminder step due at `now` (idempotent: dedupe keys make repeats no-ops)."""
    stmt = select(Deadline).where(
        Deadline.status == DeadlineStatus.OPEN.value, col(Deadline.due_at) >= now - LOOKBACK
    )
    if deadline_id is not None:
        stmt = stmt.where(Deadline.id == deadline_id)
    done: list[tuple[int, Step]] = []
    queued = 0
    for deadline in session.exec(stmt.order_by(col(Deadline.due_at), col(Deadline.id))).all():
        assert deadline.id is not None
        for step in due_steps(Schedule.of(deadline), now, ctx.tz):
            pushes = step_pushes(session=session, deadline=deadline, step=step, now=now, ctx=ctx)
            queued += enqueue_many(session=session, pushes=pushes)
            done.append((deadline.id, step))
    return RunResult(done, queued)


def open_schedules(*, session: Session, now: dt.datetime) -> list[Schedule]:
    """Schedules of every deadline still followed (for rebuilding jobs)."""
    stmt = select(Deadline).where(
        Deadline.status == DeadlineStatus.OPEN.value, col(Deadline.due_at) >= now - LOOKBACK
    )
    return [Schedule.of(d) for d in session.exec(stmt.order_by(col(Deadline.id))).all()]


# --- acknowledgements ---------------------------------------------------------------------


def acknowledge(
    *, session: Session, deadline_id: int, telegram_id: int, unit_id: int | None, now: dt.datetime
) -> bool:
    """Record "Đã nhận" once per person; False if they had already pressed it."""
    get_deadline(session=session, deadline_id=deadline_id)
    subject = f"deadline:{deadline_id}"
    existing = session.exec(
        select(Acknowledgement).where(
            Acknowledgement.subject == subject, Acknowledgement.telegram_id == telegram_id
        )
    ).first()
    if existing is not None:
        return False
    session.add(Acknowledgement(subject=subject, telegram_id=telegram_id, unit_id=unit_id, at=now))
    return True


# --- explanation reports ------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFile:
    """A file sent with a report, kept by Telegram file_id (never downloaded)."""

    file_id: str
    kind: str  # document | photo
    name: str | None
    size: int | None
    mime_type: str | None


def report_file_problem(file: ReportFile, *, max_bytes: int) -> str | None:
    """Why a file cannot be an explanation report (None: it can)."""
    if file.kind == "photo":
        ok_type = True
    else:
        suffix = PurePath(file.name or "").suffix.lower()
        mime = (file.mime_type or "").lower()
        ok_type = (
            suffix in REPORT_EXTENSIONS
            or mime in REPORT_MIMES
            or mime.startswith(REPORT_MIME_PREFIXES)
        )
    if not ok_type:
        return DeadlineError("file_type", name=file.name or "").message()
    if file.size is not None and file.size > max_bytes:
        return DeadlineError("file_size", size=file.size, max=max_bytes).message()
    return None


def report_deadlines(
    *, session: Session, unit_id: int, now: dt.datetime
) -> list[tuple[Deadline, ExplanationReport | None]]:
    """Report deadlines of a unit that it may still submit to (or replace before the due)."""
    rows = session.exec(
        select(Deadline)
        .join(DeadlineUnit, DeadlineUnit.deadline_id == Deadline.id)  # type: ignore[arg-type]
        .where(
            DeadlineUnit.unit_id == unit_id,
            Deadline.status == DeadlineStatus.OPEN.value,
            Deadline.kind == DeadlineKind.REPORT.value,
            col(Deadline.due_at) >= now - LOOKBACK,
        )
        .order_by(col(Deadline.due_at), col(Deadline.id))
    ).all()
    found = []
    for deadline in rows:
        report = _report_of(session, deadline.id, unit_id)  # type: ignore[arg-type]
        if report is None or _may_replace(deadline, report, now):
            found.append((deadline, report))
    return found


def _report_of(session: Session, deadline_id: int, unit_id: int) -> ExplanationReport | None:
    """The unit's report for a deadline."""
    return session.exec(
        select(ExplanationReport).where(
            ExplanationReport.deadline_id == deadline_id, ExplanationReport.unit_id == unit_id
        )
    ).first()


def _may_replace(deadline: Deadline, report: ExplanationReport, now: dt.datetime) -> bool:
    """Until the deadline, or at any time when the secretariat asked for more."""
    return now <= deadline.due_at or report.status == ReportStatus.MORE.value


def check_can_submit(
    *, session: Session, deadline_id: int, unit_id: int | None, now: dt.datetime
) -> tuple[Deadline, ExplanationReport | None]:
    """The deadline and the unit's current report, if this unit may submit now; else raises."""
    deadline = get_deadline(session=session, deadline_id=deadline_id)
    if deadline.status != DeadlineStatus.OPEN.value:
        raise DeadlineError("cancelled", title=deadline.title)
    if deadline.kind != DeadlineKind.REPORT.value:
        raise DeadlineError("not_report", title=deadline.title)
    if unit_id is None:
        raise DeadlineError("no_unit")
    member = session.exec(
        select(DeadlineUnit).where(
            DeadlineUnit.deadline_id == deadline_id, DeadlineUnit.unit_id == unit_id
        )
    ).first()
    if member is None:
        raise DeadlineError("not_audience", title=deadline.title)
    report = _report_of(session, deadline_id, unit_id)
    if report is not None and not _may_replace(deadline, report, now):
        raise DeadlineError("closed", title=deadline.title, receipt=report.receipt)
    return deadline, report


@dataclass(frozen=True)
class Submission:
    """A stored explanation report."""

    deadline: Deadline
    report: ExplanationReport
    unit_name: str
    replaced: bool


def submit_report(
    *,
    session: Session,
    deadline_id: int,
    unit_id: int | None,
    telegram_id: int,
    text: str,
    file: ReportFile | None,
    now: dt.datetime,
    max_bytes: int,
) -> Submission:
    """Store (or replace) a unit's explanation report; it stops the unit's reminders."""
    deadline, report = check_can_submit(
        session=session, deadline_id=deadline_id, unit_id=unit_id, now=now
    )
    assert unit_id is not None
    text = (text or "").strip()
    if not text and file is None:
        raise DeadlineError("empty_report")
    if len(text) > MAX_REPORT_TEXT:
        raise DeadlineError("long_report", max=MAX_REPORT_TEXT)
    if file is not None:
        problem = report_file_problem(file, max_bytes=max_bytes)
        if problem is not None:
            raise DeadlineError("file", text=problem)
    replaced = report is not None
    if report is None:
        report = ExplanationReport(
            deadline_id=deadline_id,
            unit_id=unit_id,
            receipt="",
            submitted_by=telegram_id,
            first_submitted_at=now,
            late=now > deadline.due_at,
        )
    else:
        report.version += 1
    report.text = text
    report.file_id = file.file_id if file else None
    report.file_kind = file.kind if file else None
    report.file_name = file.name if file else None
    report.file_size = file.size if file else None
    report.mime_type = file.mime_type if file else None
    report.submitted_by = telegram_id
    report.submitted_at = now
    report.status = ReportStatus.SUBMITTED.value
    session.add(report)
    session.flush()
    assert report.id is not None
    report.receipt = f"GT{deadline_id}-{report.id:04d}" + (
        f"-{report.version}" if report.version > 1 else ""
    )
    session.add(report)
    member = session.exec(
        select(DeadlineUnit).where(
            DeadlineUnit.deadline_id == deadline_id, DeadlineUnit.unit_id == unit_id
        )
    ).one()
    member.fulfilled_at = now
    session.add(member)
    _cancel_pending(session, deadline_id, unit_id)
    unit = session.get(Unit, unit_id)
    audit.record(
        session=session,
        actor=telegram_id,
        action="report.replace" if replaced else "report.submit",
        subject=f"deadline:{deadline_id}",
        unit=unit.name if unit else str(unit_id),
        receipt=report.receipt,
        late=report.late,
        file=report.file_name or report.file_kind,
        chars=len(text),
    )
    return Submission(deadline, report, unit.name if unit else "", replaced)


def get_report(*, session: Session, report_id: int) -> ExplanationReport:
    """A report by id."""
    report = session.get(ExplanationReport, report_id)
    if report is None:
        raise DeadlineError("no_report")
    return report


def _unit_push_targets(
    session: Session, report: ExplanationReport, default_language: str
) -> list[Recipient]:
    """The submitter and the unit's heads and staff, once each."""
    people = unit_recipients(
        session=session, unit_ids=[report.unit_id], default_language=default_language
    ).get(report.unit_id, [])
    ids = {p.telegram_id for p in people}
    if report.submitted_by not in ids:
        language = _languages(session, [report.submitted_by], default_language)
        people = [
            Recipient(
                report.submitted_by, report.unit_id, "submitter", language[report.submitted_by]
            ),
            *people,
        ]
    return people


def accept_report(
    *, session: Session, report_id: int, actor: int | None, now: dt.datetime, ctx: PushContext
) -> tuple[ExplanationReport, Deadline]:
    """Mark a report accepted and tell the unit."""
    report = get_report(session=session, report_id=report_id)
    deadline = get_deadline(session=session, deadline_id=report.deadline_id)
    if report.status == ReportStatus.ACCEPTED.value:
        raise DeadlineError("already_accepted", receipt=report.receipt)
    report.status = ReportStatus.ACCEPTED.value
    report.reviewed_by = actor
    report.reviewed_at = now
    session.add(report)
    unit = session.get(Unit, report.unit_id)
    pushes = []
    for person in _unit_push_targets(session, report, ctx.default_language):
        with use_language(person.language):
            text = texts.accepted_notice(deadline, report, unit.name if unit else "")
        pushes.append(
            Push(
                key=f"deadline:{deadline.id}:acc{report.version}:u{report.unit_id}:{person.telegram_id}",
                chat_id=person.telegram_id,
                text=text,
                kind=KIND_NOTICE,
                priority=PRIORITY_REMINDER,
                not_before=ctx.quiet.defer(now),
                unit_id=report.unit_id,
            )
        )
    enqueue_many(session=session, pushes=pushes)
    audit.record(
        session=session,
        actor=actor,
        action="report.accept",
        subject=f"deadline:{deadline.id}",
        unit=unit.name if unit else str(report.unit_id),
        receipt=report.receipt,
    )
    return report, deadline


def request_more(
    *,
    session: Session,
    report_id: int,
    note: str,
    actor: int | None,
    now: dt.datetime,
    ctx: PushContext,
) -> tuple[ExplanationReport, Deadline, int]:
    """Ask the unit to complete its report: it owes again (reminders resume) and is told why."""
    note = (note or "").strip()
    if not note:
        raise DeadlineError("empty_note")
    if len(note) > 2000:
        raise DeadlineError("long_report", max=2000)
    report = get_report(session=session, report_id=report_id)
    deadline = open_deadline(session, report.deadline_id)
    report.status = ReportStatus.MORE.value
    report.review_note = note
    report.reviewed_by = actor
    report.reviewed_at = now
    session.add(report)
    member = session.exec(
        select(DeadlineUnit).where(
            DeadlineUnit.deadline_id == deadline.id, DeadlineUnit.unit_id == report.unit_id
        )
    ).one()
    member.fulfilled_at = None
    session.add(member)
    unit = session.get(Unit, report.unit_id)
    pushes = []
    for person in _unit_push_targets(session, report, ctx.default_language):
        with use_language(person.language):
            text = texts.more_notice(deadline, report, unit.name if unit else "", now=now)
        pushes.append(
            Push(
                key=f"deadline:{deadline.id}:more{report.version}:u{report.unit_id}:{person.telegram_id}",
                chat_id=person.telegram_id,
                text=text,
                kind=KIND_NOTICE,
                priority=PRIORITY_REMINDER,
                not_before=ctx.quiet.defer(now),
                reply_markup=_markup(deadline),
                unit_id=report.unit_id,
            )
        )
    queued = enqueue_many(session=session, pushes=pushes)
    audit.record(
        session=session,
        actor=actor,
        action="report.more",
        subject=f"deadline:{deadline.id}",
        unit=unit.name if unit else str(report.unit_id),
        receipt=report.receipt,
        note=note[:500],
    )
    return report, deadline, queued


# --- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    """One unit in a deadline's status table."""

    unit_id: int
    unit_name: str
    fulfilled_at: dt.datetime | None
    report: ExplanationReport | None
    progress: Progress | None
    acknowledged: bool


@dataclass(frozen=True)
class StatusView:
    """Who has and has not complied with a deadline."""

    deadline: Deadline
    lines: list[UnitLine]
    audience_text: str
    next_step: Step | None

    @property
    def on_time(self) -> list[UnitLine]:
        """Reports in before the deadline (or rate reached)."""
        return [
            line
            for line in self.lines
            if line.fulfilled_at is not None and not (line.report and line.report.late)
        ]

    @property
    def late(self) -> list[UnitLine]:
        """Reports in after the deadline."""
        return [
            line
            for line in self.lines
            if line.fulfilled_at is not None and line.report is not None and line.report.late
        ]

    @property
    def missing(self) -> list[UnitLine]:
        """Units that still owe (including reports sent back for more)."""
        return [line for line in self.lines if line.fulfilled_at is None]

    @property
    def reports(self) -> list[ExplanationReport]:
        """Every report received, by unit name."""
        return [line.report for line in self.lines if line.report is not None]


def status_view(
    *, session: Session, deadline_id: int, now: dt.datetime, tz: ZoneInfo
) -> StatusView:
    """The status table of one deadline."""
    deadline = get_deadline(session=session, deadline_id=deadline_id)
    if deadline.kind == DeadlineKind.RATE.value and deadline.status == DeadlineStatus.OPEN.value:
        refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
    rows = session.exec(
        select(DeadlineUnit, Unit.name)
        .join(Unit, Unit.id == DeadlineUnit.unit_id)  # type: ignore[arg-type]
        .where(DeadlineUnit.deadline_id == deadline_id)
        .order_by(col(Unit.short_key), col(Unit.name), col(Unit.id))
    ).all()
    ids = [m.unit_id for m, _n in rows]
    reports = {
        r.unit_id: r
        for r in session.exec(
            select(ExplanationReport).where(ExplanationReport.deadline_id == deadline_id)
        )
    }
    progress = (
        unit_progress(session=session, deadline=deadline, unit_ids=ids)
        if deadline.kind == DeadlineKind.RATE.value
        else {}
    )
    acked = set(
        session.exec(
            select(Acknowledgement.unit_id).where(
                Acknowledgement.subject == f"deadline:{deadline_id}"
            )
        ).all()
    )
    lines = [
        UnitLine(
            m.unit_id,
            name,
            m.fulfilled_at,
            reports.get(m.unit_id),
            progress.get(m.unit_id),
            m.unit_id in acked,
        )
        for m, name in rows
    ]
    upcoming = future_steps(Schedule.of(deadline), now, tz)
    return StatusView(
        deadline=deadline,
        lines=lines,
        audience_text=describe_audience(session=session, deadline=deadline, count=len(lines)),
        next_step=upcoming[0] if upcoming else None,
    )


def describe_audience(*, session: Session, deadline: Deadline | Draft, count: int) -> str:
    """'38 units below 80% in 08/06/2026 – 22/06/2026', translated."""
    audience = deadline.audience
    kind = audience.get("type")
    if kind == "below":
        period = period_info(session=session, period_id=audience.get("period_id"))
        return texts.audience_below(count, float(audience.get("threshold", 80)), period)
    if kind == "kind":
        return texts.audience_kind(count, str(audience.get("kind")))
    if kind == "area":
        area = session.get(Unit, int(audience.get("area_id") or 0))
        return texts.audience_area(count, area.name if area else "?")
    return texts.audience_all(count)


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline in a list, with its progress."""

    deadline: Deadline
    units: int
    fulfilled: int


def list_deadlines(
    *, session: Session, now: dt.datetime, lookback: dt.timedelta | None = LOOKBACK
) -> list[DeadlineRow]:
    """Open deadlines (overdue ones for `lookback`; None: all), soonest first, with how many
    units complied."""
    stmt = select(Deadline).where(Deadline.status == DeadlineStatus.OPEN.value)
    if lookback is not None:
        stmt = stmt.where(col(Deadline.due_at) >= now - lookback)
    deadlines = session.exec(stmt.order_by(col(Deadline.due_at), col(Deadline.id))).all()
    found = []
    for deadline in deadlines:
        if deadline.kind == DeadlineKind.RATE.value:
            refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
        members = _audience_rows(session, deadline.id)  # type: ignore[arg-type]
        done = sum(1 for m in members if m.fulfilled_at is not None)
        found.append(DeadlineRow(deadline, len(members), done))
    return found


@dataclass(frozen=True)
class UnitDeadline:
    """A deadline as one unit sees it."""

    deadline: Deadline
    owing: Owing | None  # None: fulfilled
    report: ExplanationReport | None
    progress: Progress | None


def unit_deadlines(*, session: Session, unit_id: int, now: dt.datetime) -> list[UnitDeadline]:
    """A unit's open deadlines: upcoming ones, and overdue ones it still owes."""
    deadlines = session.exec(
        select(Deadline)
        .join(DeadlineUnit, DeadlineUnit.deadline_id == Deadline.id)  # type: ignore[arg-type]
        .where(
            DeadlineUnit.unit_id == unit_id,
            Deadline.status == DeadlineStatus.OPEN.value,
            col(Deadline.due_at) >= now - LOOKBACK,
        )
        .order_by(col(Deadline.due_at), col(Deadline.id))
    ).all()
    found = []
    for deadline in deadlines:
        owing = {o.unit_id: o for o in owing_units(session=session, deadline=deadline, now=now)}
        item = owing.get(unit_id)
        if item is None and deadline.due_at < now:
            continue  # done and past: nothing left to show
        progress = (
            unit_progress(session=session, deadline=deadline, unit_ids=[unit_id]).get(unit_id)
            if deadline.kind == DeadlineKind.RATE.value
            else None
        )
        found.append(
            UnitDeadline(deadline, item, _report_of(session, deadline.id, unit_id), progress)  # type: ignore[arg-type]
        )
    return found


def unit_name_of(*, session: Session, unit_id: int) -> str:
    """A unit's name ('' if unknown)."""
    unit = session.get(Unit, unit_id)
    return unit.name if unit else ""


def preview_count(*, session: Session, draft: Draft) -> int:
    """How many units a draft's audience has now."""
    return len(
        audience_unit_ids(
            session=session, audience=draft.audience, indicator_code=draft.indicator_code
        )
    )


def first_reminder(draft: Draft, *, now: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    """When a draft's first reminder would go out if created now."""
    if draft.due_at is None:
        return None
    schedule = Schedule(0, draft.due_at, draft.plan_days, draft.plan_time, 1, now)
    steps = [s for s in plan_steps(schedule, tz) if s.kind is not StepKind.OVERDUE]
    return steps[0].at if steps else None


def ack_count(*, session: Session, deadline_id: int) -> int:
    """People who pressed "Đã nhận"."""
    return len(
        session.exec(
            select(Acknowledgement.id).where(Acknowledgement.subject == f"deadline:{deadline_id}")
        ).all()
    )


def status_csv(view: StatusView) -> str:
    """The status table as CSV (write with a BOM so Excel reads Vietnamese), one row per unit."""
    out = io.StringIO()
    writer = csv.writer(out)
    deadline = view.deadline
    is_report = deadline.kind == DeadlineKind.REPORT.value
    writer.writerow(
        [
            _("No."),
            _("Unit"),
            _("Status"),
            _("Submitted at"),
            _("Receipt"),
            _("Review"),
            _("Current figures"),
            _("“Received” pressed"),
        ]
    )
    for n, line in enumerate(view.lines, start=1):
        report = line.report
        if line.fulfilled_at is None:
            state = _("missing") if is_report else _("not reached")
        elif report is not None and report.late:
            state = _("late")
        else:
            state = _("on time") if is_report else _("reached")
        review = ""
        if report is not None:
            review = {
                ReportStatus.SUBMITTED.value: _("waiting for review"),
                ReportStatus.ACCEPTED.value: _("accepted"),
                ReportStatus.MORE.value: _("asked for more"),
            }.get(report.status, report.status)
        figures = ""
        if line.progress is not None:
            figures = f"{line.progress.numerator}/{line.progress.denominator}"
        writer.writerow(
            [
                n,
                line.unit_name,
                state,
                fmt_datetime(report.submitted_at) if report else "",
                report.receipt if report else "",
                review,
                figures,
                _("yes") if line.acknowledged else "",
            ]
        )
    return out.getvalue()


# --- used by other features -----------------------------------------------------------------


def units_with_open_reminder(
    *, session: Session, indicator_id: int, unit_ids: Iterable[int], now: dt.datetime
) -> set[int]:
    """Units still owing an open deadline on this indicator (warnings give way to its reminders)."""
    ids = set(unit_ids)
    if not ids:
        return set()
    code = session.exec(select(Indicator.code).where(Indicator.id == indicator_id)).first()
    if code is None:
        return set()
    rows = session.exec(
        select(DeadlineUnit.unit_id)
        .join(Deadline, Deadline.id == DeadlineUnit.deadline_id)  # type: ignore[arg-type]
        .where(
            Deadline.status == DeadlineStatus.OPEN.value,
            Deadline.indicator_code == code,
            col(Deadline.due_at) > now,
            col(DeadlineUnit.fulfilled_at).is_(None),
            col(DeadlineUnit.unit_id).in_(ids),
        )
    ).all()
    return {int(u) for u in rows}


def compliance_sheets(
    *, session: Session, period: Any, tz: ZoneInfo
) -> list[tuple[str, list[str], list[list[object]]]]:
    """The report's deadline sheet: every unit of every deadline, on time / late / missing."""
    deadlines = session.exec(
        select(Deadline)
        .where(Deadline.status == DeadlineStatus.OPEN.value)
        .order_by(col(Deadline.due_at), col(Deadline.id))
    ).all()
    if not deadlines:
        return []
    now = utcnow()
    rows: list[list[object]] = []
    for deadline in deadlines:
        assert deadline.id is not None
        view = status_view(session=session, deadline_id=deadline.id, now=now, tz=tz)
        due = deadline.due_at.astimezone(tz).replace(tzinfo=None)
        for line in view.lines:
            report = line.report
            if line.fulfilled_at is None:
                state = (
                    _("missing, overdue") if deadline.due_at <= now else _("missing, still open")
                )
            elif report is not None and report.late:
                state = _("late")
            else:
                state = _("on time")
            rows.append(
                [
                    deadline.id,
                    deadline.title,
                    due,
                    line.unit_name,
                    state,
                    report.submitted_at.astimezone(tz).replace(tzinfo=None) if report else None,
                    report.receipt if report else "",
                    _("yes") if line.acknowledged else "",
                ]
            )
    header = [
        _("No."),
        _("Deadline"),
        _("Due"),
        _("Unit"),
        _("Status"),
        _("Submitted at"),
        _("Receipt"),
        _("Acknowledged"),
    ]
    return [(_("Deadlines"), header, rows)]
