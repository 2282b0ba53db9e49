"""The secretariat's boards (deadlines, announcements) and the downloads, checked by role."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from bot.core.errors import CodedError
from bot.core.i18n import _, fmt_datetime, fmt_number
from bot.core.models import DeadlineKind, ReportingPeriod, Unit
from bot.core.stats import PeriodInfo
from bot.core.telegram_html import plain
from bot.dashboard.api import Caller, Context, NotFound
from bot.dashboard.unitview import deadline_state, report_json

logger = logging.getLogger(__name__)

MAX_BROADCASTS = 50


def deadline_board(*, session: Session, caller: Caller, ctx: Context) -> dict[str, Any]:
    """Every open deadline: on time / late / missing, with the units of each."""
    caller.require_secretariat()
    found = []
    for row in ctx.sources.list_deadlines(session=session, now=ctx.now, lookback=None):
        deadline = row.deadline
        assert deadline.id is not None
        view = ctx.sources.status_view(
            session=session, deadline_id=deadline.id, now=ctx.now, tz=ctx.settings.tz
        )
        units = []
        for line in view.lines:
            late = bool(line.report and line.report.late)
            state, words = deadline_state(deadline.kind, line.fulfilled_at is not None, late)
            figures = None
            if line.progress is not None:
                figures = f"{fmt_number(line.progress.numerator)}/" + fmt_number(
                    line.progress.denominator
                )
            units.append(
                {
                    "unit_id": line.unit_id,
                    "name": line.unit_name,
                    "state": state,
                    "state_text": words,
                    "figures": figures,
                    "acknowledged": line.acknowledged,
                    "report": report_json(line.report) if line.report else None,
                }
            )
        found.append(
            {
                "id": deadline.id,
                "title": deadline.title,
                "kind": _("explanation report")
                if deadline.kind == DeadlineKind.REPORT.value
                else _("rate"),
                "due": fmt_datetime(deadline.due_at),
                "left": ctx.sources.time_left(deadline.due_at, ctx.now),
                "overdue": deadline.due_at <= ctx.now,
                "audience": plain(view.audience_text),
                "counts": {
                    "on_time": len(view.on_time),
                    "late": len(view.late),
                    "missing": len(view.missing),
                },
                "units": units,
            }
        )
    return {"deadlines": found}


def broadcast_board(*, session: Session, caller: Caller, ctx: Context) -> dict[str, Any]:
    """Recent announcements: delivered / acknowledged / unreachable, and who has not confirmed."""
    caller.require_secretariat()
    found = []
    for broadcast in ctx.sources.recent_broadcasts(session=session, limit=MAX_BROADCASTS):
        assert broadcast.id is not None
        status = ctx.sources.broadcast_status(session=session, broadcast_id=broadcast.id)
        if status is None:
            continue
        counts = status.counts
        text = " ".join(plain(broadcast.text).split())
        found.append(
            {
                "id": broadcast.id,
                "text": text[:300] + ("…" if len(text) > 300 else ""),
                "at": fmt_datetime(broadcast.created_at),
                "recipients": broadcast.recipients,
                "delivered": counts.get("sent", 0),
                "pending": counts.get("pending", 0) + counts.get("sending", 0),
                "failed": counts.get("failed", 0),
                "unreachable": counts.get("unreachable", 0),
                "acknowledged": status.acknowledged_people,
                "units": len(status.units),
                "units_acknowledged": len(status.units) - len(status.units_not_acknowledged),
                "not_acknowledged": [name for _id, name in status.units_not_acknowledged],
            }
        )
    return {"broadcasts": found}


@dataclass(frozen=True)
class ReportFile:
    """An explanation report's file, kept by Telegram file_id, to be sent to the viewer."""

    file_id: str
    kind: str  # document | photo
    name: str
    caption: str


def _allowed_report(session: Session, caller: Caller, ctx: Context, report_id: int) -> Any:
    """The report if the caller may see it (its unit's officials, the secretariat)."""
    try:
        report = ctx.sources.get_report(session=session, report_id=report_id)
    except CodedError:
        caller.require_secretariat()  # an official learns nothing about other ids
        raise NotFound from None
    caller.require_unit(report.unit_id)
    return report


def report_detail(
    *, session: Session, caller: Caller, ctx: Context, report_id: int
) -> dict[str, Any]:
    """An explanation report's text and details."""
    report = _allowed_report(session, caller, ctx, report_id)
    unit = session.get(Unit, report.unit_id)
    return {**report_json(report), "unit": unit.name if unit else ""}


def report_file(*, session: Session, caller: Caller, ctx: Context, report_id: int) -> ReportFile:
    """The file of a report the caller may see (NotFound when it has none)."""
    report = _allowed_report(session, caller, ctx, report_id)
    if not report.file_id:
        raise NotFound
    unit = session.get(Unit, report.unit_id)
    caption = _("Explanation report {receipt} — {unit}").format(
        receipt=report.receipt, unit=unit.name if unit else ""
    )
    return ReportFile(
        file_id=report.file_id,
        kind=report.file_kind or "document",
        name=report.file_name or "",
        caption=caption,
    )


@dataclass(frozen=True)
class Workbook:
    """The /baocao workbook of one period."""

    filename: str
    data: bytes


def workbook(*, session: Session, caller: Caller, ctx: Context, period_id: int | None) -> Workbook:
    """The Excel report of a period (the latest with figures by default); secretariat only."""
    caller.require_secretariat()
    if period_id is None:
        period_row = session.exec(
            select(ReportingPeriod).order_by(
                col(ReportingPeriod.end_date).desc(), col(ReportingPeriod.start_date).desc()
            )
        ).first()
    else:
        period_row = session.get(ReportingPeriod, period_id)
    if period_row is None or period_row.id is None:
        raise NotFound
    period = PeriodInfo(period_row.id, period_row.start_date, period_row.end_date, period_row.as_of)
    report = ctx.sources.build_workbook(
        session=session, period=period, tz=ctx.settings.tz, sections=ctx.links.report_sections
    )
    return Workbook(filename=report.filename, data=report.data)
