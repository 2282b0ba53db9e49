"""What the secretariat reads about warnings: status, a unit's history, run summaries."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from html import escape

from babel.dates import get_day_names
from sqlmodel import Session

from bot.alerts.firing import Level
from bot.alerts.policy import Policy
from bot.alerts.silence_texts import last_day
from bot.alerts.silences import SilenceInfo
from bot.alerts.status import SentWarning, UnitWarning, WarningStatus, run_for_import
from bot.core import messages
from bot.core.i18n import (
    _,
    babel_locale,
    current_language,
    fmt_datetime,
    fmt_number,
    fmt_percent_value,
    fmt_rate,
    ngettext,
    on_command_line,
)
from bot.core.links import Imported
from bot.core.models import OutboxStatus, WarningRun
from bot.core.roles import short_role_label
from bot.core.stats import IndicatorInfo, load_indicator
from bot.core.timespec import WeeklySchedule

logger = logging.getLogger(__name__)


# --- schedule and summaries --------------------------------------------------------------------


def schedule_text(schedule: WeeklySchedule | None) -> str:
    """'every Monday at 08:00', 'every day at 08:00', or 'no scheduled runs'."""
    if schedule is None:
        return _("no scheduled runs")
    at = f"{schedule.at:%H:%M}"
    if len(schedule.days) == 7:
        return _("every day at {time}").format(time=at)
    names = get_day_names("wide", locale=babel_locale(current_language()))
    days = ", ".join(names[d] for d in schedule.days)
    return _("every {days} at {time}").format(days=days, time=at)


def duration_text(value: dt.timedelta) -> str:
    """'7 days', '36 hours', '90 minutes'."""
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        n = seconds // 86400
        return ngettext("{n} day", "{n} days", n).format(n=fmt_number(n))
    if seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("{n} hour", "{n} hours", n).format(n=fmt_number(n))
    n = seconds // 60
    return ngettext("{n} minute", "{n} minutes", n).format(n=fmt_number(n))


def policy_text(policy: Policy, indicator: IndicatorInfo) -> str:
    """Thresholds, schedule and repeat interval in one line."""
    if not policy.enabled:
        return _("⛔ Warnings are turned off for this indicator.")
    return _(
        "🗓 Below {warning} warned, below {critical} critical; checked after every import and "
        "{schedule}; repeated every {repeat} while still below."
    ).format(
        warning=fmt_percent_value(indicator.warning_percent),
        critical=fmt_percent_value(indicator.critical_percent),
        schedule=schedule_text(policy.schedule),
        repeat=duration_text(policy.repeat_interval),
    )


def trigger_label(trigger: str) -> str:
    """Why a run happened."""
    labels = {
        "import": _("after an import"),
        "schedule": _("scheduled"),
        "manual": _("sent from the chat"),
        "cli": _("from the command line"),
    }
    return labels.get(trigger, trigger)


def summary_parts(counts: Mapping[str, object], warning: str) -> list[str]:
    """'38 units warned (6 critical)', '3 repeats', … for the non-zero counts."""

    def n(key: str) -> int:
        value = counts.get(key, 0)
        return value if isinstance(value, int) else 0

    parts = []
    if n("warned"):
        parts.append(
            ngettext(
                "{n} unit warned ({critical} critical)",
                "{n} units warned ({critical} critical)",
                n("warned"),
            ).format(n=fmt_number(n("warned")), critical=fmt_number(n("warned_critical")))
        )
    if n("repeated"):
        parts.append(
            ngettext("{n} repeat", "{n} repeats", n("repeated")).format(n=fmt_number(n("repeated")))
        )
    if n("resolved"):
        parts.append(
            ngettext(
                "{n} unit back at or above {warning} and told so",
                "{n} units back at or above {warning} and told so",
                n("resolved"),
            ).format(n=fmt_number(n("resolved")), warning=warning)
        )
    if n("no_recipients"):
        parts.append(
            ngettext(
                "{n} unit below the threshold has no linked official to warn",
                "{n} units below the threshold have no linked official to warn",
                n("no_recipients"),
            ).format(n=fmt_number(n("no_recipients")))
        )
    if n("silenced"):
        parts.append(
            ngettext("{n} unit silenced", "{n} units silenced", n("silenced")).format(
                n=fmt_number(n("silenced"))
            )
        )
    if n("inhibited"):
        parts.append(
            ngettext(
                "{n} unit covered by a deadline reminder",
                "{n} units covered by a deadline reminder",
                n("inhibited"),
            ).format(n=fmt_number(n("inhibited")))
        )
    return parts


def run_summary(counts: Mapping[str, object], indicator: IndicatorInfo) -> str:
    """'📨 Warnings: 38 units warned (6 critical); …' (one line)."""
    if counts.get("skipped") == "disabled":
        return _("📨 Warnings are turned off for this indicator.")
    parts = summary_parts(counts, fmt_percent_value(indicator.warning_percent))
    if not any(counts.get(k) for k in ("warned", "repeated", "resolved")):
        parts.insert(0, _("nothing new to send"))
    if on_command_line():
        return _(
            "📨 Warnings: {parts}. Details: python -m bot warnings status (in the chat: /warnings)"
        ).format(parts="; ".join(parts))
    return _("📨 Warnings: {parts}. Details: /warnings").format(parts="; ".join(parts))


# --- /canhbao ----------------------------------------------------------------------------------

LEVEL_ICON = {Level.CRITICAL: "🔴", Level.WARNING: "🟠"}


def unit_line(u: UnitWarning) -> str:
    """'🔴 Xã A — 40% (12/30), #104 · 📨 15:00 22/06/2026 → 2 · 🔁 1'."""
    line = f"{LEVEL_ICON[u.level]} {escape(u.unit_name)} — {fmt_rate(u.numerator, u.denominator)}"
    line += f" ({fmt_number(u.numerator)}/{fmt_number(u.denominator)})"
    if u.rank is not None:
        line += " " + _("#{rank}").format(rank=fmt_number(u.rank))
    if u.silenced_until is not None:
        line += " · " + _("🔕 silenced through {day}").format(day=last_day(u.silenced_until))
    elif u.inhibited:
        line += " · " + _("⏰ deadline reminder instead")
    elif u.notified and u.last_sent_at is not None:
        line += " · " + _("📨 {at} → {n}").format(
            at=fmt_datetime(u.last_sent_at), n=fmt_number(u.recipients)
        )
        if u.repeats:
            line += " · " + _("🔁 {n}").format(n=fmt_number(u.repeats))
    elif not u.recipients:
        line += " · " + _("👤 no linked official")
    else:
        line += " · " + _("⏳ not sent yet")
    return line


def status_head(status: WarningStatus) -> str:
    """The /canhbao screen above its units: counts, policy, next and last run."""
    ind = status.indicator
    warning = fmt_percent_value(ind.warning_percent)
    lines = [
        "🚨 <b>" + _("Warnings") + " — " + messages.indicator_name(ind.code, ind.name) + "</b>"
    ]
    if status.period is None:
        lines.append(messages.no_data())
        return "\n".join(lines)
    lines.append(_("Period: {period}").format(period=messages.period_text(status.period)))
    below = len(status.units)
    lines.append(
        "🟠 "
        + ngettext(
            "{n} unit below {warning}, {critical} of them below {critical_threshold}",
            "{n} units below {warning}, {critical} of them below {critical_threshold}",
            below,
        ).format(
            n=fmt_number(below),
            warning=warning,
            critical=fmt_number(status.critical),
            critical_threshold=fmt_percent_value(ind.critical_percent),
        )
    )
    if below:
        lines.append(
            "📨 "
            + _(
                "Warned: {notified} · silenced: {silenced} · deadline reminder instead: "
                "{inhibited} · no linked official: {unreachable}"
            ).format(
                notified=fmt_number(status.notified),
                silenced=fmt_number(status.silenced),
                inhibited=fmt_number(status.inhibited),
                unreachable=fmt_number(status.unreachable),
            )
        )
    lines.append(policy_text(status.policy, ind))
    if status.next_run is not None:
        lines.append(_("Next scheduled check: {at}.").format(at=fmt_datetime(status.next_run)))
    run: WarningRun | None = status.last_run
    if run is not None:
        lines.append(
            _("🕘 Last check {at} ({why}): {summary}.").format(
                at=fmt_datetime(run.at),
                why=trigger_label(run.trigger),
                summary="; ".join(summary_parts(run.counts, warning)) or _("nothing new to send"),
            )
        )
    if status.unreachable:
        lines.append(_unreachable_hint())
    return "\n".join(lines)


def _unreachable_hint() -> str:
    """How to reach units nobody can be warned in (on the command line: both ways)."""
    if on_command_line():
        return _(
            "👤 Units without a linked head or staff member cannot be warned: write their "
            "invitation links with python -m bot invites --out invites.csv, or invite one in the "
            "chat with /invite."
        )
    return _(
        "👤 Units without a linked head or staff member cannot be warned: invite them with /invite."
    )


def status_hint() -> str:
    """What the secretariat can do from the /canhbao screen."""
    return _(
        "/warnings &lt;unit&gt;: who was warned when · /silence: silence a unit · "
        "📣 Send now: warn the units not warned yet (and repeats that are due)."
    )


def status_text(status: WarningStatus) -> str:
    """The whole /canhbao screen with every unit (for the CLI)."""
    lines = [status_head(status)]
    if status.period is not None and status.units:
        lines.append("")
        lines.extend(unit_line(u) for u in status.units)
    return "\n".join(lines)


# --- /canhbao <unit> ---------------------------------------------------------------------------


def _kind_label(item: SentWarning) -> str:
    """'🔴 critical warning', '🔁 repeat no. 2', '✅ no longer below'."""
    if item.kind == "resolved":
        return _("✅ no longer below the threshold")
    label = _("🔴 critical warning") if item.kind == Level.CRITICAL.value else _("🟠 warning")
    if item.repeat:
        label += " " + _("(repeat no. {n})").format(n=fmt_number(item.repeat))
    return label


def _status_label(item: SentWarning) -> str:
    """Delivery status of a push."""
    if item.status == OutboxStatus.SENT.value and item.sent_at is not None:
        return _("delivered {at}").format(at=fmt_datetime(item.sent_at))
    labels = {
        OutboxStatus.PENDING.value: _("waiting to be sent"),
        OutboxStatus.SENDING.value: _("being sent"),
        OutboxStatus.FAILED.value: _("failed"),
        OutboxStatus.UNREACHABLE.value: _("not reachable (never started the bot or blocked it)"),
        OutboxStatus.CANCELLED.value: _("cancelled"),
    }
    return labels.get(item.status, item.status)


def unit_history_text(
    unit_name: str,
    current: UnitWarning | None,
    silence: SilenceInfo | None,
    history: list[SentWarning],
) -> str:
    """/canhbao <unit>: its current standing and who was warned when."""
    lines = ["🚨 <b>" + escape(unit_name) + "</b>"]
    if current is None:
        lines.append(_("Not below the warning threshold in the latest period."))
    else:
        lines.append(
            _("Now: {icon} {rate} ({signed}/{total}).").format(
                icon=LEVEL_ICON[current.level],
                rate=fmt_rate(current.numerator, current.denominator),
                signed=fmt_number(current.numerator),
                total=fmt_number(current.denominator),
            )
        )
        if current.notified and current.first_sent_at and current.last_sent_at:
            lines.append(
                _("Warned first {first}, last {last}; repeats: {n}.").format(
                    first=fmt_datetime(current.first_sent_at),
                    last=fmt_datetime(current.last_sent_at),
                    n=fmt_number(current.repeats),
                )
            )
        elif not current.recipients:
            lines.append(_("👤 No head or staff member is linked: nobody can be warned."))
    if silence is not None:
        line = _("🔕 Silenced through {day}.").format(day=last_day(silence.until))
        if silence.reason:
            line += " " + _("Reason: {reason}").format(reason=escape(silence.reason))
        lines.append(line)
    lines.append("")
    if not history:
        lines.append(_("No warning has been sent to this unit yet."))
        return "\n".join(lines)
    lines.append(_("Latest messages:"))
    for item in history:
        who = escape(item.name) if item.name else str(item.telegram_id)
        lines.append(
            f"• {fmt_datetime(item.at)} — {_kind_label(item)} → {who} "
            f"({short_role_label(item.role)}) · {_status_label(item)}"
        )
    return "\n".join(lines)


def import_summary(*, session: Session, imported: Imported) -> str | None:
    """The warnings line under an import's report (None if the import evaluated nothing)."""
    run = run_for_import(session=session, import_id=imported.batch_id)
    info = load_indicator(session=session, code=imported.indicator_code)
    if run is None or info is None:
        return None
    return run_summary(run.counts, info)
