"""Explanation reports: what a unit may still report on, storing reports, their review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.db import stored_id
from bot.core.models import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    DeadlineUnit,
    ExplanationReport,
    ReportStatus,
    Unit,
)
from bot.core.people import Recipient, languages_of, unit_recipients
from bot.deadlines.errors import DeadlineError
from bot.deadlines.lifecycle import get_deadline, open_deadline
from bot.deadlines.pushes import (
    PushContext,
    cancel_pending,
    notify_accepted,
    notify_more,
)
from bot.deadlines.schedule import LOOKBACK

MAX_REPORT_TEXT = 8000
REPORT_EXTENSIONS = {".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".webp", ".heic"}
REPORT_MIME_PREFIXES = ("image/",)
REPORT_MIMES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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
        .join(DeadlineUnit, col(DeadlineUnit.deadline_id) == Deadline.id)
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
        report = report_of(session, stored_id(deadline.id), unit_id)
        if report is None or _may_replace(deadline, report, now):
            found.append((deadline, report))
    return found


def report_of(session: Session, deadline_id: int, unit_id: int) -> ExplanationReport | None:
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
    report = report_of(session, deadline_id, unit_id)
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


def _checked_text(text: str, file: ReportFile | None, *, max_bytes: int) -> str:
    """A report's text, trimmed, once it and its file are acceptable; else raises."""
    text = (text or "").strip()
    if not text and file is None:
        raise DeadlineError("empty_report")
    if len(text) > MAX_REPORT_TEXT:
        raise DeadlineError("long_report", max=MAX_REPORT_TEXT)
    if file is not None:
        problem = report_file_problem(file, max_bytes=max_bytes)
        if problem is not None:
            raise DeadlineError("file", text=problem)
    return text


def _store_report(
    session: Session,
    deadline: Deadline,
    report: ExplanationReport | None,
    *,
    unit_id: int,
    telegram_id: int,
    text: str,
    file: ReportFile | None,
    now: dt.datetime,
) -> ExplanationReport:
    """Write a unit's first report, or the next version of it, and give it a receipt number."""
    assert deadline.id is not None
    if report is None:
        report = ExplanationReport(
            deadline_id=deadline.id,
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
    report.receipt = f"GT{deadline.id}-{report.id:04d}" + (
        f"-{report.version}" if report.version > 1 else ""
    )
    session.add(report)
    return report


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
    text = _checked_text(text, file, max_bytes=max_bytes)
    replaced = report is not None
    report = _store_report(
        session,
        deadline,
        report,
        unit_id=unit_id,
        telegram_id=telegram_id,
        text=text,
        file=file,
        now=now,
    )
    member = session.exec(
        select(DeadlineUnit).where(
            DeadlineUnit.deadline_id == deadline_id, DeadlineUnit.unit_id == unit_id
        )
    ).one()
    member.fulfilled_at = now
    session.add(member)
    cancel_pending(session, deadline_id, unit_id)
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


def _review_recipients(
    session: Session, report: ExplanationReport, default_language: str
) -> list[Recipient]:
    """The submitter and the unit's heads and staff, once each."""
    people = unit_recipients(
        session=session, unit_ids=[report.unit_id], default_language=default_language
    ).get(report.unit_id, [])
    ids = {p.telegram_id for p in people}
    if report.submitted_by not in ids:
        language = languages_of(
            session=session,
            telegram_ids=[report.submitted_by],
            default_language=default_language,
        )
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
    notify_accepted(
        session,
        deadline,
        report,
        unit=unit.name if unit else "",
        people=_review_recipients(session, report, ctx.default_language),
        ctx=ctx,
        now=now,
    )
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
    queued = notify_more(
        session,
        deadline,
        report,
        unit=unit.name if unit else "",
        people=_review_recipients(session, report, ctx.default_language),
        ctx=ctx,
        now=now,
    )
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
