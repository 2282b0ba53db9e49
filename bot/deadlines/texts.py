"""Texts of the pushes deadlines send: reminders, escalations, lists, notices (HTML)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from html import escape

from bot.core import messages
from bot.core.audiences import Audience
from bot.core.i18n import _, fmt_datetime, fmt_number, fmt_percent_value, fmt_rate, ngettext
from bot.core.links import Cited
from bot.core.models import Deadline, DeadlineKind, ExplanationReport, ReportStatus
from bot.deadlines.progress import Owing, Progress

logger = logging.getLogger(__name__)

SIGNING = "ky-so"


# --- small pieces -------------------------------------------------------------------------


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
        audience = Audience.from_dict(deadline.audience)
        percent = audience.threshold if audience and audience.threshold is not None else 80.0
        threshold = fmt_percent_value(percent)
        return _(
            "an explanation report, because your signing rate {rate} ({done}/{total}) is below "
            "{threshold}"
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


def _with_basis(lines: list[str], cited: Cited | None) -> str:
    """The lines, and the letter that requires it last ('📜 Căn cứ: Công văn số …, mục 3')."""
    if cited is not None:
        lines.append(messages.basis_line(cited.citation()))
    return "\n".join(lines)


def due_line(deadline: Deadline, now: dt.datetime) -> str:
    """'Deadline: 23:59 26/06/2026 (3 days 15 hours left)'."""
    return _("Deadline: <b>{due}</b> ({left})").format(
        due=fmt_datetime(deadline.due_at), left=time_left(deadline.due_at, now)
    )


# --- pushes -------------------------------------------------------------------------------


def reminder(
    deadline: Deadline,
    item: Owing,
    *,
    now: dt.datetime,
    due_day: bool = False,
    cited: Cited | None = None,
) -> str:
    """A reminder to a unit's office staff (citing the letter that requires it)."""
    title = escape(deadline.title)
    head = (
        _("⏰ <b>Due today: {title}</b>") if due_day else _("⏰ <b>Reminder: {title}</b>")
    ).format(title=title)
    lines = [
        head,
        _("Unit: <b>{unit}</b>").format(unit=escape(item.unit_name)),
        _("Still owed: {owed}").format(owed=owed_text(deadline, item)),
        due_line(deadline, now),
    ]
    if deadline.kind == DeadlineKind.REPORT.value:
        lines.append(_("Send it with the “Submit explanation” button or by typing /explain."))
    else:
        lines.append(_("Your rate is checked again after each update of the figures."))
    return _with_basis(lines, cited)


def escalation(
    deadline: Deadline, item: Owing, *, now: dt.datetime, cited: Cited | None = None
) -> str:
    """The due-day message to a unit's head: firmer, personal."""
    lines = [
        _("🚨 <b>Due today: {title}</b>").format(title=escape(deadline.title)),
        _(
            "To the head of <b>{unit}</b>: your unit has still not done what this deadline "
            "requires."
        ).format(unit=escape(item.unit_name)),
        _("Still owed: {owed}").format(owed=owed_text(deadline, item)),
        due_line(deadline, now),
        _(
            "You are personally accountable for this. Please see that it is done today; the "
            "secretariat receives the list of units that miss the deadline."
        ),
    ]
    return _with_basis(lines, cited)


def overdue_notice(deadline: Deadline, item: Owing, cited: Cited | None = None) -> str:
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
        lines.append(_("You can still send the report (it will be marked late): /explain"))
    return _with_basis(lines, cited)


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
        when = due_line(deadline, now)
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
    lines.append(_("Details: /deadline_status {id}").format(id=deadline.id))
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
    deadline: Deadline,
    report: ExplanationReport,
    unit: str,
    *,
    now: dt.datetime,
    cited: Cited | None = None,
) -> str:
    """The secretariat asks the unit to complete its report."""
    return _with_basis(
        [
            _("↩️ <b>Please complete your explanation report: {title}</b>").format(
                title=escape(deadline.title)
            ),
            _("Unit: <b>{unit}</b> · receipt {receipt}").format(
                unit=escape(unit), receipt=report.receipt
            ),
            _("The secretariat asks: {note}").format(note=escape(report.review_note)),
            _("Send the completed report with /explain; it replaces the one you sent."),
        ],
        cited,
    )
