"""What the secretariat and units see: status tables, lists, the CSV, the report's sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.core.cells import csv_row
from bot.core.db import stored_id
from bot.core.i18n import _, fmt_datetime
from bot.core.models import (
    Acknowledgement,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    ExplanationReport,
    ReportStatus,
    Unit,
    utcnow,
)
from bot.deadlines.audience import describe_audience
from bot.deadlines.explanations import report_of
from bot.deadlines.lifecycle import audience_rows, get_deadline, refresh_rate_fulfilment
from bot.deadlines.progress import Owing, Progress, unit_progress
from bot.deadlines.reminders import owing_units
from bot.deadlines.schedule import LOOKBACK, Schedule, Step, future_steps


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


def _status_lines(session: Session, deadline: Deadline) -> list[UnitLine]:
    """Every unit of a deadline, by name: done or not, its report, figures and "Received"."""
    rows = session.exec(
        select(DeadlineUnit, Unit.name)
        .join(Unit, col(Unit.id) == DeadlineUnit.unit_id)
        .where(DeadlineUnit.deadline_id == deadline.id)
        .order_by(col(Unit.short_key), col(Unit.name), col(Unit.id))
    ).all()
    ids = [m.unit_id for m, _n in rows]
    reports = {
        r.unit_id: r
        for r in session.exec(
            select(ExplanationReport).where(ExplanationReport.deadline_id == deadline.id)
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
                Acknowledgement.subject == f"deadline:{deadline.id}"
            )
        ).all()
    )
    return [
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


def status_view(
    *, session: Session, deadline_id: int, now: dt.datetime, tz: ZoneInfo
) -> StatusView:
    """The status table of one deadline."""
    deadline = get_deadline(session=session, deadline_id=deadline_id)
    if deadline.kind == DeadlineKind.RATE.value and deadline.status == DeadlineStatus.OPEN.value:
        refresh_rate_fulfilment(session=session, deadline=deadline, now=now)
    lines = _status_lines(session, deadline)
    upcoming = future_steps(Schedule.of(deadline), now, tz)
    return StatusView(
        deadline=deadline,
        lines=lines,
        audience_text=describe_audience(session=session, deadline=deadline, count=len(lines)),
        next_step=upcoming[0] if upcoming else None,
    )


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
        members = audience_rows(session, stored_id(deadline.id))
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
        .join(DeadlineUnit, col(DeadlineUnit.deadline_id) == Deadline.id)
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
            UnitDeadline(
                deadline, item, report_of(session, stored_id(deadline.id), unit_id), progress
            )
        )
    return found


def unit_name_of(*, session: Session, unit_id: int) -> str:
    """A unit's name ('' if unknown)."""
    unit = session.get(Unit, unit_id)
    return unit.name if unit else ""


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
            csv_row(
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
        )
    return out.getvalue()


# --- used by other features ---------------------------------------------------------------


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
