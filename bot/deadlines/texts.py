"""Texts of deadlines, reminders and explanation reports (HTML, translated at call time)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from bot.core import messages
from bot.core.i18n import (
    _,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_percent_value,
    fmt_rate,
    ngettext,
)
from bot.core.models import Deadline, DeadlineKind, DeadlineStatus, ExplanationReport, ReportStatus
from bot.core.stats import PeriodInfo

if TYPE_CHECKING:
    from bot.deadlines.lifecycle import Draft, Owing, Progress, StatusView, Step

logger = logging.getLogger(__name__)

SIGNING = "ky-so"


# --- small pieces -------------------------------------------------------------------------


def template_title(template: str) -> str:
    """The letters' names of the two templates."""
    if template == "report80":
        return _("Explanation report — units below 80%")
    return _("100% of electronic documents digitally signed")


def ack_label() -> str:
    """The 'received' button."""
    return _("✅ Received")


def submit_label() -> str:
    """The 'submit explanation' button."""
    return _("📝 Submit explanation")


def _span(delta: dt.timedelta) -> str:
    """'3 days 15 hours', '5 hours 20 minutes', '20 minutes'."""
    minutes = max(1, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    day_text = ngettext("{n} day", "{n} days", days).format(n=fmt_number(days))
    hour_text = ngettext("{n} hour", "{n} hours", hours).format(n=fmt_number(hours))
    minute_text = ngettext("{n} minute", "{n} minutes", mins).format(n=fmt_number(mins))
    if days:
        return f"{day_text} {hour_text}" if hours else day_text
    if hours:
        return f"{hour_text} {minute_text}" if mins else hour_text
    return minute_text


def time_left(due_at: dt.datetime, now: dt.datetime) -> str:
    """'3 days 15 hours left' or 'overdue by 2 hours'."""
    if now >= due_at:
        return _("overdue by {span}").format(span=_span(now - due_at))
    return _("{span} left").format(span=_span(due_at - now))


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
        rate=rate, indicator=name, period=_period_span(period)
    )


def _period_span(period: PeriodInfo) -> str:
    """'08/06/2026 – 22/06/2026'."""
    return _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))


def audience_all(count: int) -> str:
    """Every unit."""
    return ngettext("all {n} unit", "all {n} units", count).format(n=fmt_number(count))


def audience_below(count: int, threshold: float, period: PeriodInfo | None) -> str:
    """Units below a threshold in a period."""
    return ngettext(
        "{n} unit below {threshold} in {period}",
        "{n} units below {threshold} in {period}",
        count,
    ).format(
        n=fmt_number(count),
        threshold=fmt_percent_value(threshold),
        period=_period_span(period) if period else "?",
    )


def audience_kind(count: int, kind: str) -> str:
    """Units of a kind."""
    from bot.units.service import kind_label

    return ngettext("{n} unit of kind “{kind}”", "{n} units of kind “{kind}”", count).format(
        n=fmt_number(count), kind=kind_label(kind)
    )


def audience_area(count: int, area: str) -> str:
    """Units in an area."""
    return ngettext("{n} unit in {area}", "{n} units in {area}", count).format(
        n=fmt_number(count), area=escape(area)
    )


def _shortfall_text(deadline: Deadline, progress: Progress | None) -> str:
    """'9 documents not yet digitally signed, 100% required'."""
    required = float(deadline.required_rate or 100)
    rate = fmt_percent_value(required)
    if progress is None:
        return _("no figures yet; {rate} required").format(rate=rate)
    missing = progress.shortfall(required)
    if deadline.indicator_code == SIGNING and required >= 100:
        text = ngettext(
            "{n} document not yet digitally signed, {rate} required",
            "{n} documents not yet digitally signed, {rate} required",
            missing,
        )
    elif deadline.indicator_code == SIGNING:
        text = ngettext(
            "{n} more document to sign to reach {rate}",
            "{n} more documents to sign to reach {rate}",
            missing,
        )
    else:
        text = ngettext("{n} short of {rate}", "{n} short of {rate}", missing)
    current = _(" (now {rate}: {done}/{total})").format(
        rate=fmt_rate(progress.numerator, progress.denominator),
        done=fmt_number(progress.numerator),
        total=fmt_number(progress.denominator),
    )
    return text.format(n=fmt_number(missing), rate=rate) + current


def owed_text(deadline: Deadline, item: Owing) -> str:
    """Exactly what a unit still owes."""
    if deadline.kind == DeadlineKind.RATE.value:
        return _shortfall_text(deadline, item.progress)
    if item.report is not None and item.report.status == ReportStatus.MORE.value:
        return _("a completed explanation report (the secretariat asked: “{note}”)").format(
            note=escape(item.report.review_note)
        )
    if item.below is not None:
        num, den = item.below
        threshold = fmt_percent_value(float(deadline.audience.get("threshold", 80)))
        return _(
            "an explanation report: your signing rate {rate} ({done}/{total}) is below {threshold}"
        ).format(
            rate=fmt_rate(num, den),
            done=fmt_number(num),
            total=fmt_number(den),
            threshold=threshold,
        )
    return _("an explanation report")


def _short_owed(deadline: Deadline, item: Owing) -> str:
    """A unit's line in a list: name and, for rates, how far off it is."""
    name = escape(item.unit_name)
    if deadline.kind == DeadlineKind.RATE.value:
        if item.progress is None:
            return name + " — " + _("no figures")
        missing = item.progress.shortfall(float(deadline.required_rate or 100))
        return (
            name
            + " — "
            + _("{rate}, {n} to go").format(
                rate=fmt_rate(item.progress.numerator, item.progress.denominator),
                n=fmt_number(missing),
            )
        )
    if item.report is not None and item.report.status == ReportStatus.MORE.value:
        return name + " — " + _("asked to complete its report")
    if item.below is not None:
        return name + " — " + fmt_rate(*item.below)
    return name


def _due_line(deadline: Deadline, now: dt.datetime) -> str:
    """'Deadline: 23:59 26/06/2026 (3 days 15 hours left)'."""
    return _("Deadline: <b>{due}</b> ({left})").format(
        due=fmt_datetime(deadline.due_at), left=time_left(deadline.due_at, now)
    )


# --- pushes -------------------------------------------------------------------------------


def reminder(deadline: Deadline, item: Owing, *, now: dt.datetime, due_day: bool = False) -> str:
    """A reminder to a unit's office staff."""
    title = escape(deadline.title)
    head = (
        _("⏰ <b>Due today: {title}</b>") if due_day else _("⏰ <b>Reminder: {title}</b>")
    ).format(title=title)
    lines = [
        head,
        _("Unit: <b>{unit}</b>").format(unit=escape(item.unit_name)),
        _("Still owed: {owed}").format(owed=owed_text(deadline, item)),
        _due_line(deadline, now),
    ]
    if deadline.kind == DeadlineKind.REPORT.value:
        lines.append(_("Send it with the “Submit explanation” button or by typing /giaitrinh."))
    else:
        lines.append(_("Your rate is checked again after each update of the figures."))
    return "\n".join(lines)


def escalation(deadline: Deadline, item: Owing, *, now: dt.datetime) -> str:
    """The due-day message to a unit's head: firmer, personal."""
    lines = [
        _("🚨 <b>Due today: {title}</b>").format(title=escape(deadline.title)),
        _(
            "To the head of <b>{unit}</b>: your unit has still not done what this deadline "
            "requires."
        ).format(unit=escape(item.unit_name)),
        _("Still owed: {owed}").format(owed=owed_text(deadline, item)),
        _due_line(deadline, now),
        _(
            "You are personally accountable for this. Please see that it is done today; the "
            "secretariat receives the list of units that miss the deadline."
        ),
    ]
    return "\n".join(lines)


def overdue_notice(deadline: Deadline, item: Owing) -> str:
    """The one notice a unit gets when the deadline has passed."""
    lines = [
        _("⛔ <b>Deadline missed: {title}</b>").format(title=escape(deadline.title)),
        _("<b>{unit}</b> has not done it: {owed}").format(
            unit=escape(item.unit_name), owed=owed_text(deadline, item)
        ),
        _("The deadline was {due}; the secretariat has the list of units overdue.").format(
            due=fmt_datetime(deadline.due_at)
        ),
    ]
    if deadline.kind == DeadlineKind.REPORT.value:
        lines.append(_("You can still send the report (it will be marked late): /giaitrinh"))
    return "\n".join(lines)


def secretariat_list(
    deadline: Deadline, owing: Sequence[Owing], *, total: int, overdue: bool, now: dt.datetime
) -> str:
    """The due-day or overdue list for the secretariat."""
    title = escape(deadline.title)
    if overdue:
        head = _("⛔ <b>Deadline passed: {title}</b> (#{id})").format(title=title, id=deadline.id)
        when = _("The deadline was {due}.").format(due=fmt_datetime(deadline.due_at))
    else:
        head = _("📋 <b>Due today: {title}</b> (#{id})").format(title=title, id=deadline.id)
        when = _due_line(deadline, now)
    lines = [head, when]
    if not owing:
        lines.append(
            ngettext(
                "✅ The {total} unit has done it.", "✅ All {total} units have done it.", total
            ).format(total=fmt_number(total))
        )
    else:
        lines.append(
            ngettext(
                "{n} of {total} units has not done it:",
                "{n} of {total} units have not done it:",
                len(owing),
            ).format(n=fmt_number(len(owing)), total=fmt_number(total))
        )
        lines.extend(f"{n}. {_short_owed(deadline, o)}" for n, o in enumerate(owing, start=1))
    lines.append(_("Details: /hanchot_tt {id}").format(id=deadline.id))
    return "\n".join(lines)


def postponed_notice(deadline: Deadline, *, old_due: dt.datetime) -> str:
    """Told to everyone already reminded when a deadline moves."""
    return "\n".join(
        [
            _("📅 <b>Deadline postponed: {title}</b>").format(title=escape(deadline.title)),
            _("New deadline: <b>{due}</b> (was {old}).").format(
                due=fmt_datetime(deadline.due_at), old=fmt_datetime(old_due)
            ),
        ]
    )


def cancelled_notice(deadline: Deadline) -> str:
    """Told to everyone already reminded when a deadline is cancelled."""
    return "\n".join(
        [
            _("🗑 <b>Deadline cancelled: {title}</b>").format(title=escape(deadline.title)),
            _("Nothing more is required for it; you will get no more reminders about it."),
        ]
    )


def accepted_notice(deadline: Deadline, report: ExplanationReport, unit: str) -> str:
    """The unit's report was accepted."""
    return _(
        "✅ The secretariat accepted the explanation report of <b>{unit}</b> for “{title}” "
        "(receipt {receipt})."
    ).format(unit=escape(unit), title=escape(deadline.title), receipt=report.receipt)


def more_notice(
    deadline: Deadline, report: ExplanationReport, unit: str, *, now: dt.datetime
) -> str:
    """The secretariat asks the unit to complete its report."""
    return "\n".join(
        [
            _("↩️ <b>Please complete your explanation report: {title}</b>").format(
                title=escape(deadline.title)
            ),
            _("Unit: <b>{unit}</b> · receipt {receipt}").format(
                unit=escape(unit), receipt=report.receipt
            ),
            _("The secretariat asks: {note}").format(note=escape(report.review_note)),
            _("Send the completed report with /giaitrinh; it replaces the one you sent."),
        ]
    )


# --- replies ------------------------------------------------------------------------------


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
    lines.append(_("Status: /hanchot_tt {id}").format(id=deadline.id))
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
        _due_line(deadline, now),
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


def status_text(view: StatusView, *, period: PeriodInfo | None, now: dt.datetime) -> str:
    """Who has and has not complied, for the secretariat."""
    deadline = view.deadline
    lines = [
        _("📊 <b>{title}</b> (#{id})").format(title=escape(deadline.title), id=deadline.id),
        _("Required: {what}").format(what=requirement(deadline, period)),
        _due_line(deadline, now),
        _("Applies to: {audience}").format(audience=view.audience_text),
    ]
    if deadline.status == DeadlineStatus.CANCELLED.value:
        lines.append(_("🗑 Cancelled."))
    elif view.next_step is not None and view.next_step.days >= 0:  # not the overdue step
        lines.append(_("Next reminder: {when}").format(when=fmt_datetime(view.next_step.at)))
    acks = sum(1 for line in view.lines if line.acknowledged)
    if deadline.kind == DeadlineKind.REPORT.value:
        lines.append(
            _(
                "✅ On time: {on_time} · ⏰ Late: {late} · ❌ Missing: {missing} · "
                "👁 “Received” pressed: {acks} units"
            ).format(
                on_time=fmt_number(len(view.on_time)),
                late=fmt_number(len(view.late)),
                missing=fmt_number(len(view.missing)),
                acks=fmt_number(acks),
            )
        )
        sections = [
            (_("✅ <b>Submitted on time ({n})</b>"), view.on_time),
            (_("⏰ <b>Submitted late ({n})</b>"), view.late),
        ]
        for head, group in sections:
            if group:
                lines.append("")
                lines.append(head.format(n=fmt_number(len(group))))
                for n, line in enumerate(group, start=1):
                    assert line.report is not None
                    lines.append(f"{n}. {escape(line.unit_name)} — {_report_line(line.report)}")
        if view.missing:
            lines.append("")
            lines.append(_("❌ <b>Missing ({n})</b>").format(n=fmt_number(len(view.missing))))
            for n, line in enumerate(view.missing, start=1):
                extra = ""
                if line.report is not None:
                    extra = " — " + _("asked to complete ({receipt})").format(
                        receipt=line.report.receipt
                    )
                mark = " 👁" if line.acknowledged else ""
                lines.append(f"{n}. {escape(line.unit_name)}{mark}{extra}")
        if view.reports:
            lines.append("")
            lines.append(_("Tap a unit below to read its report and accept it or ask for more."))
    else:
        lines.append(
            _(
                "✅ Reached: {done} · ❌ Not yet: {missing} · 👁 “Received” pressed: {acks} units"
            ).format(
                done=fmt_number(len(view.on_time)),
                missing=fmt_number(len(view.missing)),
                acks=fmt_number(acks),
            )
        )
        if view.missing:
            lines.append("")
            lines.append(_("❌ <b>Not yet ({n})</b>").format(n=fmt_number(len(view.missing))))
            for n, line in enumerate(view.missing, start=1):
                if line.progress is None:
                    figures = _("no figures")
                else:
                    figures = _("{rate} ({done}/{total}), {n} to go").format(
                        rate=fmt_rate(line.progress.numerator, line.progress.denominator),
                        done=fmt_number(line.progress.numerator),
                        total=fmt_number(line.progress.denominator),
                        n=fmt_number(line.progress.shortfall(float(deadline.required_rate or 100))),
                    )
                mark = " 👁" if line.acknowledged else ""
                lines.append(f"{n}. {escape(line.unit_name)}{mark} — {figures}")
        if view.on_time:
            lines.append("")
            lines.append(_("✅ <b>Reached ({n})</b>").format(n=fmt_number(len(view.on_time))))
            lines.append(", ".join(escape(line.unit_name) for line in view.on_time))
    return "\n".join(lines)


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
        _("Unit: <b>{unit}</b> · deadline: {title}").format(
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
            _("You can replace it until {due} with /giaitrinh.").format(
                due=fmt_datetime(deadline.due_at)
            )
        )
    return "\n".join(lines)


def unit_list_text(unit: str, items: Sequence[Any], *, now: dt.datetime) -> str:
    """/hanchot for an official: the unit's open deadlines."""
    if not items:
        return _("<b>{unit}</b> has no open deadlines. 👍").format(unit=escape(unit))
    lines = [_("🗓 <b>Deadlines of {unit}</b>").format(unit=escape(unit))]
    for n, item in enumerate(items, start=1):
        deadline: Deadline = item.deadline
        lines.append("")
        lines.append(f"{n}. <b>{escape(deadline.title)}</b>")
        lines.append("   " + _due_line(deadline, now))
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
        lines.append(_("To send an explanation report, type /giaitrinh."))
    return "\n".join(lines)


def secretariat_list_text(rows: Sequence[Any], *, now: dt.datetime) -> str:
    """/hanchot for the secretariat: every open deadline."""
    if not rows:
        return _("No open deadlines. Create one with /hanchot_moi.")
    lines = [_("🗓 <b>Open deadlines</b>")]
    for row in rows:
        deadline: Deadline = row.deadline
        lines.append("")
        lines.append(_("#{id} <b>{title}</b>").format(id=deadline.id, title=escape(deadline.title)))
        lines.append("   " + _due_line(deadline, now))
        lines.append(
            "   "
            + _("Done: {done}/{total} units").format(
                done=fmt_number(row.fulfilled), total=fmt_number(row.units)
            )
        )
    lines.append("")
    lines.append(_("Tap a deadline to manage it; /hanchot_tt &lt;id&gt; shows who has complied."))
    return "\n".join(lines)
