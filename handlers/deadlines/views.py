"""The deadlines' keyboards and the prompts and texts only the chat shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.areas import AREA_KIND, KINDS, kind_label
from bot.core.i18n import _, fmt_date, fmt_datetime, fmt_number
from bot.core.lookup import UnitRef
from bot.core.models import Deadline, ExplanationReport
from bot.core.stats import PeriodInfo

if TYPE_CHECKING:  # types only: bot.deadlines loads at its first use, not at start-up
    from bot.deadlines.audience import Draft
    from bot.deadlines.views import DeadlineRow

Button = InlineKeyboardButton


def _markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """A keyboard of rows."""
    return InlineKeyboardMarkup(list(rows))


def cancel_row() -> list[InlineKeyboardButton]:
    """The dialog's cancel button."""
    return [Button(_("✖ Cancel"), callback_data="dl:x")]


def cancel_markup() -> InlineKeyboardMarkup:
    """Just the dialog's cancel button."""
    return _markup(cancel_row())


# --- creating -----------------------------------------------------------------------------


def templates_markup() -> InlineKeyboardMarkup:
    """The letters' deadlines, one's own, cancel."""
    # bot.deadlines loads at its first use, not at start-up
    from bot.deadlines.audience import TEMPLATES, template_title

    rows = [[Button(template_title(t), callback_data=f"dl:new:t:{t}")] for t in TEMPLATES]
    rows.append([Button(_("➕ Set up my own"), callback_data="dl:new:custom")])
    rows.append(cancel_row())
    return InlineKeyboardMarkup(rows)


def due_prompt() -> str:
    """How to type the deadline."""
    return _(
        "Type the deadline: a date, optionally with a time, e.g. <code>26/06/2026</code>, "
        "<code>26/6 17:00</code> or <code>17h 26/6</code>. A date alone means 23:59 that day."
    )


def plan_prompt(draft: Draft) -> str:
    """How to type a reminder plan."""
    # bot.deadlines loads at its first use, not at start-up
    from bot.deadlines import replies

    return _(
        "Now: reminders {plan}.\nType the days before the deadline and optionally the time, "
        "e.g. <code>7 3 1 08:00</code> or <code>5 2 9h</code>; <code>0</code> for the due day "
        "only. The due day always has a reminder."
    ).format(plan=replies.plan_text(draft.plan_days, draft.plan_time))


def kind_markup() -> InlineKeyboardMarkup:
    """An explanation report or a signing rate."""
    return _markup(
        [Button(_("📝 Send an explanation report"), callback_data="dl:new:k:report")],
        [Button(_("🎯 Reach a signing rate"), callback_data="dl:new:k:rate")],
        cancel_row(),
    )


def rate_markup() -> InlineKeyboardMarkup:
    """The usual required rates."""
    return _markup(
        [Button("100%", callback_data="dl:new:r:100"), Button("80%", callback_data="dl:new:r:80")],
        cancel_row(),
    )


def threshold_markup() -> InlineKeyboardMarkup:
    """The usual thresholds for "units below a rate"."""
    return _markup(
        [
            Button("80%", callback_data="dl:new:th:80"),
            Button("50%", callback_data="dl:new:th:50"),
            Button("100%", callback_data="dl:new:th:100"),
        ],
        cancel_row(),
    )


def audience_markup() -> InlineKeyboardMarkup:
    """The kinds of audience."""
    return _markup(
        [Button(_("🌐 All units"), callback_data="dl:new:a:all")],
        [Button(_("🟠 Units below a rate in a period"), callback_data="dl:new:a:below")],
        [Button(_("🗂 Units of a kind"), callback_data="dl:new:a:kind")],
        [Button(_("🏘 Units of an area"), callback_data="dl:new:a:area")],
        cancel_row(),
    )


def unit_kinds_markup() -> InlineKeyboardMarkup:
    """Every kind of unit except areas."""
    rows = [
        [Button(kind_label(k), callback_data=f"dl:new:ak:{k}")] for k in KINDS if k != AREA_KIND
    ]
    rows.append(cancel_row())
    return InlineKeyboardMarkup(rows)


def areas_markup(areas: Sequence[UnitRef]) -> InlineKeyboardMarkup:
    """One button per area (id and name)."""
    rows = [[Button(a.name[:60], callback_data=f"dl:new:aa:{a.id}")] for a in areas]
    rows.append(cancel_row())
    return InlineKeyboardMarkup(rows)


def periods_markup(periods: Sequence[PeriodInfo], prefix: str) -> InlineKeyboardMarkup:
    """Recent periods (rp: with "each unit's latest figures" first)."""
    rows = []
    if prefix == "rp":
        rows.append([Button(_("📈 Each unit's latest figures"), callback_data="dl:new:rp:0")])
    for period in periods:
        label = _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))
        rows.append([Button(label, callback_data=f"dl:new:{prefix}:{period.id}")])
    rows.append(cancel_row())
    return InlineKeyboardMarkup(rows)


def period_question(prefix: str) -> str:
    """What the period is for."""
    if prefix == "rp":
        return _("Which figures count for the rate?")
    return _("In which period? (units below the rate in that period)")


def summary_markup() -> InlineKeyboardMarkup:
    """Create, change a detail, cancel."""
    return _markup(
        [Button(_("✅ Create the deadline"), callback_data="dl:new:ok")],
        [
            Button(_("📅 Change the date"), callback_data="dl:new:due"),
            Button(_("🔔 Change reminders"), callback_data="dl:new:plan"),
        ],
        [Button(_("👥 Change the audience"), callback_data="dl:new:aud")],
        cancel_row(),
    )


# --- cards and lists ----------------------------------------------------------------------


def card_markup(deadline_id: int, *, is_open: bool) -> InlineKeyboardMarkup:
    """Status, and for an open deadline: rename, reminders, postpone, cancel."""
    rows = [[Button(_("📊 Status"), callback_data=f"dl:st:{deadline_id}:0")]]
    if is_open:
        rows += [
            [
                Button(_("✏️ Rename"), callback_data=f"dl:ed:{deadline_id}:title"),
                Button(_("🔔 Reminders"), callback_data=f"dl:ed:{deadline_id}:plan"),
            ],
            [
                Button(_("⏩ Postpone"), callback_data=f"dl:ed:{deadline_id}:due"),
                Button(_("🗑 Cancel deadline"), callback_data=f"dl:cx:{deadline_id}"),
            ],
        ]
    return InlineKeyboardMarkup(rows)


def cancel_confirm_markup(deadline_id: int) -> InlineKeyboardMarkup:
    """Yes, cancel it / No, keep it."""
    return _markup(
        [
            Button(_("🗑 Yes, cancel it"), callback_data=f"dl:cxy:{deadline_id}"),
            Button(_("↩️ No, keep it"), callback_data=f"dl:cxn:{deadline_id}"),
        ]
    )


def deadline_buttons(
    rows: Sequence[DeadlineRow], action: str, limit: int = 30
) -> list[list[InlineKeyboardButton]]:
    """One button per open deadline (at most `limit`): dl:card:<id> or dl:st:<id>:0."""
    suffix = ":0" if action == "st" else ""
    return [
        [
            Button(
                f"#{r.deadline.id} {r.deadline.title}"[:60],
                callback_data=f"dl:{action}:{r.deadline.id}{suffix}",
            )
        ]
        for r in rows[:limit]
    ]


# --- explanation reports ------------------------------------------------------------------


def pick_markup(choices: Sequence[tuple[int, str, dt.datetime]]) -> InlineKeyboardMarkup:
    """Which deadline the report is for."""
    rows = [
        [Button(f"{title} — {fmt_datetime(due)}"[:60], callback_data=f"dl:pick:{deadline_id}")]
        for deadline_id, title, due in choices
    ]
    rows.append(cancel_row())
    return InlineKeyboardMarkup(rows)


def report_prompt(
    deadline: Deadline, report: ExplanationReport | None, *, unit: str, max_mb: str
) -> str:
    """What the report is for, what was sent before, and how to send it."""
    lines = [
        _("📝 <b>Explanation report: {title}</b>").format(title=escape(deadline.title)),
        _("Unit: <b>{unit}</b> · deadline {due}").format(
            unit=escape(unit), due=fmt_datetime(deadline.due_at)
        ),
    ]
    if report is not None:
        lines.append(
            _("Already sent {when} (receipt {receipt}); what you send now replaces it.").format(
                when=fmt_datetime(report.submitted_at), receipt=report.receipt
            )
        )
        if report.review_note:
            lines.append(_("The secretariat asks: {note}").format(note=escape(report.review_note)))
    lines.append(
        _(
            "Type the explanation and/or send a file (PDF, DOCX or an image, at most {max} MB), "
            "then tap “📨 Submit”. Send /cancel to stop."
        ).format(max=max_mb)
    )
    return "\n".join(lines)


def draft_markup() -> InlineKeyboardMarkup:
    """Submit or cancel the report."""
    return _markup([Button(_("📨 Submit"), callback_data="dl:send"), *cancel_row()])


def draft_text(state: dict[str, Any]) -> str:
    """What the report holds so far."""
    parts = []
    if state.get("text"):
        parts.append(_("text of {n} characters").format(n=fmt_number(len(state["text"]))))
    file = state.get("file")
    if file:
        parts.append(_("file {name}").format(name=escape(file.get("name") or _("image"))))
    return (
        _("Ready to send: {parts}.").format(parts=", ".join(parts))
        + "\n"
        + _("Tap “📨 Submit”, or add more text or a file (a new file replaces the previous one).")
    )


def review_markup(report_id: int) -> InlineKeyboardMarkup:
    """Accept a report, or ask the unit for more."""
    return _markup(
        [
            Button(_("✅ Accept"), callback_data=f"dl:acc:{report_id}"),
            Button(_("↩️ Ask for more"), callback_data=f"dl:more:{report_id}"),
        ]
    )
