"""Replies about deadlines: drafts, confirmations, cards, status tables, reports (HTML)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from bot.core import messages
from bot.core.i18n import _, fmt_datetime, fmt_number, fmt_percent_value, fmt_rate, ngettext
from bot.core.models import Deadline, DeadlineKind, DeadlineStatus, ExplanationReport, ReportStatus
from bot.core.stats import PeriodInfo
from bot.deadlines.audience import Draft, period_span
from bot.deadlines.schedule import Step
from bot.deadlines.texts import due_line, owed_text

if TYPE_CHECKING:  # types only: the views load at the first deadline list, not at start-up
    from bot.deadlines.views import DeadlineRow, StatusView, UnitDeadline, UnitLine


def plan_text(days: Sequence[int], time: dt.time | str) -> str:
    """'7, 3 and 1 days before and on the due day, at 08:00'."""
    clock = time if isinstance(time, str) else time.strftime("%H:%M")
    ordered = sorted({d for d in days if d > 0}, reverse=True)
    if not ordered:
        return _("on the due day, at {time}").format(time=clock)
    return _("{days} days before and on the due day, at {time}").format(
        days=", ".join(fmt_number(d) for d in ordered), time=clock
    )


def requirement(deadline: Deadline | Draft, period: PeriodInfo | None = None) -> str:
    """What each unit must do."""
    if deadline.kind == DeadlineKind.REPORT.value:
        return _("send an explanation report")
    rate = fmt_percent_value(deadline.required_rate or 100)
    name = messages.indicator_name(deadline.indicator_code, deadline.indicator_code)
    if period is None:
        return _("reach {rate} — {indicator} (each unit's latest figures)").format(
            rate=rate, indicator=name
        )
    return _("reach {rate} — {indicator}, period {period}").format(
        rate=rate, indicator=name, period=period_span(period)
    )


def notified_text(count: int) -> str:
    """How many people were told of a change."""
    if not count:
        return _("Nobody had been reminded yet, so nobody needs to be told.")
    return ngettext(
        "{n} person already reminded is told.", "{n} people already reminded are told.", count
    ).format(n=fmt_number(count))


def draft_summary(
    draft: Draft,
    *,
    audience: str,
    period: PeriodInfo | None,
    first: dt.datetime | None,
) -> str:
    """The deadline being created, before it is saved."""
    due = fmt_datetime(draft.due_at) if draft.due_at else _("not set yet")
    lines = [
        _("🗓 <b>New deadline</b>"),
        _("Title: <b>{title}</b>").format(title=escape(draft.title)),
        _("Required: {what}").format(what=requirement(draft, period)),
        _("Deadline: <b>{due}</b>").format(due=due),
        _("Applies to: {audience}").format(audience=audience),
        _("Reminders: {plan}").format(plan=plan_text(draft.plan_days, draft.plan_time)),
    ]
    if first is not None:
        lines.append(_("First reminder: {when}").format(when=fmt_datetime(first)))
    return "\n".join(lines)


def created_text(deadline: Deadline, *, units: int, fulfilled: int, first: Step | None) -> str:
    """Confirmation after creating a deadline."""
    lines = [
        _("✅ Deadline #{id} created: <b>{title}</b>").format(
            id=deadline.id, title=escape(deadline.title)
        ),
        _("Deadline: <b>{due}</b>").format(due=fmt_datetime(deadline.due_at)),
        ngettext("{n} unit is followed.", "{n} units are followed.", units).format(
            n=fmt_number(units)
        ),
    ]
    if fulfilled:
        lines.append(
            ngettext(
                "{n} of them already meets the requirement and will not be reminded.",
                "{n} of them already meet the requirement and will not be reminded.",
                fulfilled,
            ).format(n=fmt_number(fulfilled))
        )
    if first is not None:
        lines.append(_("First reminder: {when}").format(when=fmt_datetime(first.at)))
    lines.append(_("Status: /deadline_status {id}").format(id=deadline.id))
    return "\n".join(lines)


def card_text(
    deadline: Deadline,
    *,
    audience: str,
    period: PeriodInfo | None,
    units: int,
    fulfilled: int,
    acks: int,
    next_step: Step | None,
    now: dt.datetime,
) -> str:
    """A deadline's card for the secretariat."""
    lines = [
        _("🗓 <b>{title}</b> (#{id})").format(title=escape(deadline.title), id=deadline.id),
        _("Required: {what}").format(what=requirement(deadline, period)),
        due_line(deadline, now),
        _("Applies to: {audience}").format(audience=audience),
        _("Reminders: {plan}").format(plan=plan_text(deadline.plan_days, deadline.plan_time)),
    ]
    if deadline.status == DeadlineStatus.CANCELLED.value:
        lines.append(_("🗑 Cancelled."))
    elif next_step is not None and next_step.days >= 0:  # not the overdue step
        lines.append(_("Next reminder: {when}").format(when=fmt_datetime(next_step.at)))
    lines.append(
        _("Done: {done}/{total} units · “Received” pressed by {acks}").format(
            done=fmt_number(fulfilled), total=fmt_number(units), acks=fmt_number(acks)
        )
    )
    return "\n".join(lines)


def _report_line(report: ExplanationReport) -> str:
    """'10:32 24/06/2026 · GT1-0003 · accepted'."""
    parts = [fmt_datetime(report.submitted_at), report.receipt]
    if report.status == ReportStatus.ACCEPTED.value:
        parts.append(_("accepted"))
    elif report.status == ReportStatus.MORE.value:
        parts.append(_("asked for more"))
    if report.file_id:
        parts.append("📎")
    return " · ".join(parts)


@dataclass(frozen=True)
class StatusSection:
    """One group of a status table: its heading, a line per unit, and per line the unit's
    report to read ((unit name, report id), or None)."""

    heading: str
    texts: list[str]
    reports: list[tuple[str, int] | None]


def _section(heading: str, group: list[UnitLine], texts: list[str]) -> StatusSection:
    """A section of these units' lines, with their reports."""
    reports = [
        (line.unit_name, line.report.id)
        if line.report is not None and line.report.id is not None
        else None
        for line in group
    ]
    return StatusSection(heading, texts, reports)


def status_head(view: StatusView, *, period: PeriodInfo | None, now: dt.datetime) -> str:
    """The deadline, what it asks, when, of whom, the next reminder and the counts."""
    deadline = view.deadline
    lines = [
        _("📊 <b>{title}</b> (#{id})").format(title=escape(deadline.title), id=deadline.id),
        _("Required: {what}").format(what=requirement(deadline, period)),
        due_line(deadline, now),
        _("Applies to: {audience}").format(audience=view.audience_text),
    ]
    if deadline.status == DeadlineStatus.CANCELLED.value:
        lines.append(_("🗑 Cancelled."))
    elif view.next_step is not None and view.next_step.days >= 0:  # not the overdue step
        lines.append(_("Next reminder: {when}").format(when=fmt_datetime(view.next_step.at)))
    acks = fmt_number(sum(1 for line in view.lines if line.acknowledged))
    if deadline.kind == DeadlineKind.REPORT.value:
        lines.append(
            _(
                "✅ On time: {on_time} · ⏰ Late: {late} · ❌ Missing: {missing} · "
                "👁 “Received” pressed: {acks} units"
            ).format(
                on_time=fmt_number(len(view.on_time)),
                late=fmt_number(len(view.late)),
                missing=fmt_number(len(view.missing)),
                acks=acks,
            )
        )
    else:
        lines.append(
            _(
                "✅ Reached: {done} · ❌ Not yet: {missing} · 👁 “Received” pressed: {acks} units"
            ).format(
                done=fmt_number(len(view.on_time)),
                missing=fmt_number(len(view.missing)),
                acks=acks,
            )
        )
    return "\n".join(lines)


def status_sections(view: StatusView) -> list[StatusSection]:
    """Who submitted on time, late, and who is missing (a rate: not yet, then reached)."""
    if view.deadline.kind != DeadlineKind.REPORT.value:
        return _rate_sections(view)
    sections = []
    for head, group in (
        (_("✅ <b>Submitted on time ({n})</b>"), view.on_time),
        (_("⏰ <b>Submitted late ({n})</b>"), view.late),
    ):
        texts = []
        for n, line in enumerate(group, start=1):
            assert line.report is not None
            texts.append(f"{n}. {escape(line.unit_name)} — {_report_line(line.report)}")
        sections.append(_section(head.format(n=fmt_number(len(group))), group, texts))
    missing = view.missing
    sections.append(
        _section(
            _("❌ <b>Missing ({n})</b>").format(n=fmt_number(len(missing))),
            missing,
            [_missing_report(n, line) for n, line in enumerate(missing, start=1)],
        )
    )
    return [section for section in sections if section.texts]


def status_footer(view: StatusView) -> str:
    """How to read the reports, when there are any."""
    if any(line.report is not None for line in view.lines):
        return _("Tap a unit below to read its report and accept it or ask for more.")
    return ""


def _missing_report(n: int, line: UnitLine) -> str:
    """A unit still owing its report: pressed “Received”? sent back to be completed?"""
    extra = ""
    if line.report is not None:
        extra = " — " + _("asked to complete ({receipt})").format(receipt=line.report.receipt)
    mark = " 👁" if line.acknowledged else ""
    return f"{n}. {escape(line.unit_name)}{mark}{extra}"


def _rate_sections(view: StatusView) -> list[StatusSection]:
    """The units not there yet with their figures, then those that reached the rate."""
    required = float(view.deadline.required_rate or 100)
    missing, reached = view.missing, view.on_time
    sections = [
        _section(
            _("❌ <b>Not yet ({n})</b>").format(n=fmt_number(len(missing))),
            missing,
            [
                f"{n}. {escape(line.unit_name)}{' 👁' if line.acknowledged else ''} — "
                f"{_figures(line, required)}"
                for n, line in enumerate(missing, start=1)
            ],
        ),
        _section(
            _("✅ <b>Reached ({n})</b>").format(n=fmt_number(len(reached))),
            reached,
            [f"{n}. {escape(line.unit_name)}" for n, line in enumerate(reached, start=1)],
        ),
    ]
    return [section for section in sections if section.texts]


def _figures(line: UnitLine, required: float) -> str:
    """'82,5% (33/40), 7 to go', or that the unit has no figures."""
    if line.progress is None:
        return _("no figures")
    return _("{rate} ({done}/{total}), {n} to go").format(
        rate=fmt_rate(line.progress.numerator, line.progress.denominator),
        done=fmt_number(line.progress.numerator),
        total=fmt_number(line.progress.denominator),
        n=fmt_number(line.progress.shortfall(required)),
    )


def report_text(report: ExplanationReport, *, deadline: Deadline, unit: str, submitter: str) -> str:
    """An explanation report as the secretariat reads it."""
    status = {
        ReportStatus.SUBMITTED.value: _("waiting for review"),
        ReportStatus.ACCEPTED.value: _("accepted"),
        ReportStatus.MORE.value: _("asked for more"),
    }.get(report.status, report.status)
    timing = _("late") if report.late else _("on time")
    lines = [
        _("📄 <b>Explanation report — {unit}</b>").format(unit=escape(unit)),
        _("Deadline: {title} (#{id})").format(title=escape(deadline.title), id=deadline.id),
        _("Sent {when} by {who} · {timing} · receipt {receipt}").format(
            when=fmt_datetime(report.submitted_at),
            who=escape(submitter),
            timing=timing,
            receipt=report.receipt,
        ),
        _("Status: {status}").format(status=status),
    ]
    if report.file_id:
        size = (
            _(" ({size} KB)").format(size=fmt_number(max(1, (report.file_size or 0) // 1024)))
            if report.file_size
            else ""
        )
        lines.append(
            _("File: {name}{size} (sent below)").format(
                name=escape(report.file_name or _("image")), size=size
            )
        )
    if report.review_note:
        lines.append(_("Secretariat's note: {note}").format(note=escape(report.review_note)))
    if report.text:
        lines.append("")
        lines.append(escape(report.text))
    return "\n".join(lines)


def receipt_text(
    *, deadline: Deadline, report: ExplanationReport, unit: str, replaced: bool
) -> str:
    """Confirmation to the official who sent a report."""
    head = (
        _("✅ Your explanation report was replaced.")
        if replaced
        else _("✅ Your explanation report was received.")
    )
    lines = [
        head,
        _("Unit: <b>{unit}</b> · for “{title}”").format(
            unit=escape(unit), title=escape(deadline.title)
        ),
        _("Receipt number: <b>{receipt}</b> · received at {when}").format(
            receipt=report.receipt, when=fmt_datetime(report.submitted_at)
        ),
    ]
    if report.late:
        lines.append(
            _("⏰ Sent after the deadline ({due}): marked late.").format(
                due=fmt_datetime(deadline.due_at)
            )
        )
    else:
        lines.append(
            _("You can replace it until {due} with /explain.").format(
                due=fmt_datetime(deadline.due_at)
            )
        )
    return "\n".join(lines)


def unit_list_text(unit: str, items: Sequence[UnitDeadline], *, now: dt.datetime) -> str:
    """/hanchot for an official: the unit's open deadlines."""
    if not items:
        return _("<b>{unit}</b> has no open deadlines. 👍").format(unit=escape(unit))
    lines = [_("🗓 <b>Deadlines of {unit}</b>").format(unit=escape(unit))]
    for n, item in enumerate(items, start=1):
        deadline: Deadline = item.deadline
        lines.append("")
        lines.append(f"{n}. <b>{escape(deadline.title)}</b>")
        lines.append("   " + due_line(deadline, now))
        if item.owing is not None:
            lines.append(
                "   " + _("Still owed: {owed}").format(owed=owed_text(deadline, item.owing))
            )
        elif item.report is not None:
            lines.append(
                "   "
                + _(
                    "✅ Report sent {when} (receipt {receipt}); it can be replaced until the "
                    "deadline."
                ).format(when=fmt_datetime(item.report.submitted_at), receipt=item.report.receipt)
            )
        else:
            lines.append("   " + _("✅ Done: the required rate is reached."))
    if any(i.deadline.kind == DeadlineKind.REPORT.value for i in items):
        lines.append("")
        lines.append(_("To send an explanation report, type /explain."))
    return "\n".join(lines)


def secretariat_list_items(rows: Sequence[DeadlineRow], *, now: dt.datetime) -> list[str]:
    """/hanchot for the secretariat: an item per open deadline (title, due, done)."""
    items = []
    for row in rows:
        deadline: Deadline = row.deadline
        done = _("Done: {done}/{total} units").format(
            done=fmt_number(row.fulfilled), total=fmt_number(row.units)
        )
        title = _("#{id} <b>{title}</b>").format(id=deadline.id, title=escape(deadline.title))
        items.append(f"{title}\n   {due_line(deadline, now)}\n   {done}")
    return items


def secretariat_list_heading() -> str:
    """Above the open deadlines."""
    return _("🗓 <b>Open deadlines</b>")


def secretariat_list_footer() -> str:
    """Under the open deadlines."""
    return _("Tap a deadline to manage it; /deadline_status &lt;id&gt; shows who has complied.")
