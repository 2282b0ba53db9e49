"""One unit on the dashboard: the secretariat's unit page and an official's own card."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session, col, select

from bot.core.areas import kind_label
from bot.core.i18n import _, fmt_date, fmt_datetime, fmt_number, fmt_rate, rate_percent
from bot.core.models import (
    Acknowledgement,
    AppUser,
    Broadcast,
    Deadline,
    DeadlineKind,
    ExplanationReport,
    ReportStatus,
    Unit,
)
from bot.core.roles import short_role_label
from bot.core.stats import IndicatorInfo
from bot.core.telegram_html import plain
from bot.dashboard.api import (
    Audience,
    Caller,
    Context,
    Forbidden,
    NotFound,
    choose_indicator,
    indicator_json,
    periods_of,
    unit_figures,
)

logger = logging.getLogger(__name__)

TREND_PERIODS = 12
HISTORY_LIMIT = 30


def trend(
    *, session: Session, ctx: Context, revision: int, ind: IndicatorInfo, unit_id: int
) -> list[dict[str, Any]]:
    """The unit's rate in each of the last periods, oldest first (for the chart and the list)."""
    points = []
    for period in periods_of(session, ind.id)[:TREND_PERIODS]:
        table = ctx.tables.table(session=session, revision=revision, indicator=ind, period=period)
        s = table.by_unit.get(unit_id)
        if s is None or s.denominator <= 0:
            continue
        rate = rate_percent(s.numerator, s.denominator)
        points.append(
            {
                "label": fmt_date(period.end)[:5],
                "period": f"{fmt_date(period.start)} – {fmt_date(period.end)}",
                "rate": float(rate) if rate is not None else None,
                "rate_text": fmt_rate(s.numerator, s.denominator),
                "figures": f"{fmt_number(s.numerator)}/{fmt_number(s.denominator)}",
                "rank": f"{fmt_number(s.rank)}/{fmt_number(table.ranked)}" if s.rank else None,
            }
        )
    points.reverse()
    return points


def _officials(session: Session, ctx: Context, unit_id: int) -> list[dict[str, Any]]:
    """People linked to the unit, heads first, and whether the bot can reach them."""
    rows = ctx.sources.unit_officials(session=session, unit_id=unit_id)
    users = {
        u.telegram_id: u
        for u in session.exec(
            select(AppUser).where(col(AppUser.telegram_id).in_([r.telegram_id for r in rows]))
        )
    }
    found = []
    for r in rows:
        user = users.get(r.telegram_id)
        reachable = user is not None and user.reachable
        found.append(
            {
                "name": r.display_name or str(r.telegram_id),
                "username": r.username,
                "telegram_id": r.telegram_id,
                "role": short_role_label(r.role),
                "reachable": reachable,
                "reason": ""
                if reachable
                else ctx.sources.unreachable_reason(
                    user.unreachable_reason if user else None, user is not None
                ),
            }
        )
    return found


def _warning_kind(kind: str, repeat: int) -> str:
    """'🔴 critical warning', '🟠 warning (repeat no. 2)', '✅ no longer below the threshold'."""
    if kind == "resolved":
        return _("✅ no longer below the threshold")
    label = _("🔴 critical warning") if kind == "critical" else _("🟠 warning")
    if repeat:
        label += " " + _("(repeat no. {n})").format(n=fmt_number(repeat))
    return label


def _warnings(
    session: Session, ctx: Context, unit_id: int, only: int | None = None
) -> list[dict[str, Any]]:
    """Warnings and resolved notes queued for the unit (or for one person of it)."""
    found = []
    for w in ctx.sources.warning_history(session=session, unit_id=unit_id, limit=HISTORY_LIMIT):
        if only is not None and w.telegram_id != only:
            continue
        delivered = w.status == "sent" and w.sent_at is not None
        found.append(
            {
                "at": fmt_datetime(w.at),
                "kind": _warning_kind(w.kind, w.repeat),
                "to": w.name or str(w.telegram_id),
                "role": short_role_label(w.role),
                "delivered": delivered,
                "status": _("delivered {at}").format(at=fmt_datetime(w.sent_at))
                if delivered and w.sent_at is not None
                else _("not delivered"),
            }
        )
    return found


def report_json(report: ExplanationReport) -> dict[str, Any]:
    """An explanation report: receipt, when, review, text and whether a file came with it."""
    review = {
        ReportStatus.SUBMITTED.value: _("waiting for review"),
        ReportStatus.ACCEPTED.value: _("accepted"),
        ReportStatus.MORE.value: _("asked for more"),
    }.get(report.status, report.status)
    return {
        "id": report.id,
        "receipt": report.receipt,
        "submitted": fmt_datetime(report.submitted_at),
        "late": report.late,
        "review": review,
        "text": report.text,
        "file_name": (report.file_name or _("photo")) if report.file_id else None,
    }


def deadline_state(kind: str, fulfilled: bool, late: bool) -> tuple[str, str]:
    """(code, words) of a unit's standing on a deadline."""
    is_report = kind == DeadlineKind.REPORT.value
    if not fulfilled:
        return "missing", _("missing") if is_report else _("not reached")
    if late:
        return "late", _("late")
    return "on_time", _("on time") if is_report else _("reached")


def _deadlines(session: Session, ctx: Context, unit_id: int) -> list[dict[str, Any]]:
    """Every open deadline the unit is part of, with its standing and its report."""
    found = []
    for row in ctx.sources.list_deadlines(session=session, now=ctx.now, lookback=None):
        deadline = row.deadline
        assert deadline.id is not None
        view = ctx.sources.status_view(
            session=session, deadline_id=deadline.id, now=ctx.now, tz=ctx.settings.tz
        )
        line = next((x for x in view.lines if x.unit_id == unit_id), None)
        if line is None:
            continue
        late = bool(line.report and line.report.late)
        state, words = deadline_state(deadline.kind, line.fulfilled_at is not None, late)
        found.append(
            {
                "id": deadline.id,
                "title": deadline.title,
                "due": fmt_datetime(deadline.due_at),
                "left": ctx.sources.time_left(deadline.due_at, ctx.now),
                "state": state,
                "state_text": words,
                "acknowledged": line.acknowledged,
                "report": report_json(line.report) if line.report else None,
            }
        )
    return found


def _subject(session: Session, subject: str) -> str:
    """What was acknowledged: an announcement's first words or a deadline's title."""
    kind, _sep, ident = subject.partition(":")
    if kind == "broadcast" and ident.isdigit():
        row = session.get(Broadcast, int(ident))
        text = " ".join(plain(row.text).split()) if row is not None else ""
        label = _("Announcement #{id}").format(id=ident)
        return f"{label}: {text[:80]}{'…' if len(text) > 80 else ''}" if text else label
    if kind == "deadline" and ident.isdigit():
        deadline = session.get(Deadline, int(ident))
        return deadline.title if deadline is not None else subject
    return subject


def _acknowledgements(session: Session, unit_id: int) -> list[dict[str, Any]]:
    """Who of the unit pressed "Đã nhận", on what, newest first."""
    rows = session.exec(
        select(Acknowledgement, AppUser)
        .join(AppUser, col(AppUser.telegram_id) == col(Acknowledgement.telegram_id), isouter=True)
        .where(Acknowledgement.unit_id == unit_id)
        .order_by(col(Acknowledgement.at).desc(), col(Acknowledgement.id).desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return [
        {
            "subject": _subject(session, ack.subject),
            "who": (user.display_name if user else "") or str(ack.telegram_id),
            "at": fmt_datetime(ack.at),
        }
        for ack, user in rows
    ]


def _unit_json(session: Session, unit: Unit) -> dict[str, Any]:
    """Name, kind and area of a unit."""
    area = session.get(Unit, unit.parent_id) if unit.parent_id else None
    return {
        "id": unit.id,
        "name": unit.name,
        "kind": kind_label(unit.kind),
        "area": area.name if area else None,
        "active": unit.active,
    }


def unit_page(
    *,
    session: Session,
    caller: Caller,
    ctx: Context,
    unit_id: int,
    indicator_code: str | None = None,
) -> dict[str, Any]:
    """A unit for the secretariat; an official asking for their own unit gets their card."""
    caller.require_unit(unit_id)
    if caller.audience is not Audience.SECRETARIAT:
        return card(session=session, caller=caller, ctx=ctx, indicator_code=indicator_code)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound
    ind = choose_indicator(session, indicator_code)
    revision = caller.viewer.revision
    page: dict[str, Any] = {
        "view": "unit",
        "unit": _unit_json(session, unit),
        "indicator": indicator_json(ind) if ind else None,
        "figures": None,
        "trend": [],
        "officials": _officials(session, ctx, unit_id),
        "warnings": _warnings(session, ctx, unit_id),
        "deadlines": _deadlines(session, ctx, unit_id),
        "acknowledgements": _acknowledgements(session, unit_id),
    }
    if ind is not None:
        page["figures"] = unit_figures(
            session=session, ctx=ctx, revision=revision, ind=ind, unit_id=unit_id
        )
        page["trend"] = trend(session=session, ctx=ctx, revision=revision, ind=ind, unit_id=unit_id)
    return page


def _open_deadlines(session: Session, ctx: Context, unit_id: int) -> list[dict[str, Any]]:
    """The unit's open deadlines: time left, what is still owed and what to do."""
    found = []
    for item in ctx.sources.open_unit_deadlines(session=session, unit_id=unit_id, now=ctx.now):
        deadline = item.deadline
        owed = plain(ctx.sources.owed_text(deadline, item.owing)) if item.owing else ""
        if item.owing is None:
            todo = _("Done: nothing more is owed for this deadline.")
        elif deadline.kind == DeadlineKind.REPORT.value:
            todo = _("Send the explanation report with /explain in the chat with the bot.")
        else:
            todo = _("Sign the remaining documents digitally before the deadline.")
        found.append(
            {
                "id": deadline.id,
                "title": deadline.title,
                "due": fmt_datetime(deadline.due_at),
                "left": ctx.sources.time_left(deadline.due_at, ctx.now),
                "owed": owed,
                "todo": todo,
                "report": report_json(item.report) if item.report else None,
            }
        )
    return found


def card(
    *, session: Session, caller: Caller, ctx: Context, indicator_code: str | None = None
) -> dict[str, Any]:
    """An official's own unit: rate, rank, what is owed, trend, open deadlines, their warnings."""
    viewer = caller.viewer
    if caller.audience is Audience.STRANGER:
        raise Forbidden
    if caller.audience is not Audience.OFFICIAL or viewer.unit_id is None:
        raise NotFound  # the secretariat has no unit of its own
    unit = session.get(Unit, viewer.unit_id)
    if unit is None:
        raise NotFound
    ind = choose_indicator(session, indicator_code)
    revision = viewer.revision
    answer: dict[str, Any] = {
        "view": "card",
        "unit": _unit_json(session, unit),
        "indicator": indicator_json(ind) if ind else None,
        "figures": None,
        "trend": [],
        "deadlines": _open_deadlines(session, ctx, viewer.unit_id),
        "warnings": _warnings(session, ctx, viewer.unit_id, only=viewer.telegram_id),
    }
    if ind is not None:
        answer["figures"] = unit_figures(
            session=session, ctx=ctx, revision=revision, ind=ind, unit_id=viewer.unit_id
        )
        answer["trend"] = trend(
            session=session, ctx=ctx, revision=revision, ind=ind, unit_id=viewer.unit_id
        )
    return answer
