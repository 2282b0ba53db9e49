"""User-facing texts built from domain results (HTML for Telegram, translated at call time)."""

from __future__ import annotations

from html import escape

from bot.core.i18n import (
    _,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_percent_value,
    fmt_points,
    fmt_rate,
    ngettext,
)
from bot.core.stats import PeriodInfo, RateReport, Status

STATUS_ICON = {
    Status.CRITICAL: "🔴",
    Status.BELOW_WARNING: "🟠",
    Status.BELOW_TARGET: "🟡",
    Status.AT_TARGET: "🟢",
    Status.NO_ITEMS: "⚪",
}


def items(kind: str, n: int) -> str:
    """'12 documents' / '12 party members', counted in the current language."""
    if kind == "member":
        return ngettext("{n} party member", "{n} party members", n).format(n=fmt_number(n))
    return ngettext("{n} document", "{n} documents", n).format(n=fmt_number(n))


def indicator_name(code: str, stored_name: str) -> str:
    """Translated name of a built-in indicator, else the stored name."""
    names = {
        "ky-so": _("Rate of electronic documents digitally signed"),
        "phat-hanh-dien-tu": _("Rate of documents issued electronically"),
        "so-tay-dang-vien": _("Rate of party members using the e-handbook app"),
    }
    return names.get(code, stored_name)


def period_text(period: PeriodInfo) -> str:
    """'08/06/2026 – 22/06/2026 (figures as of 15:00 22/06/2026)'."""
    span = _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))
    if period.as_of is None:
        return span
    return _("{span} (figures as of {as_of})").format(span=span, as_of=fmt_datetime(period.as_of))


def rate_report(report: RateReport) -> str:
    """The answer to 'what is my signing rate' for one unit."""
    ind = report.indicator
    warn = fmt_percent_value(ind.warning_percent)
    target = fmt_percent_value(ind.target_percent)
    crit = fmt_percent_value(ind.critical_percent)
    lines = [f"📊 <b>{escape(report.unit_name)}</b>"]
    name = indicator_name(ind.code, ind.name)
    if report.status is Status.NO_ITEMS:
        lines.append(_("{indicator}: nothing to count in this period.").format(indicator=name))
    else:
        lines.append(
            _("{indicator}: <b>{rate}</b> ({signed}/{total})").format(
                indicator=name,
                rate=fmt_percent_value(report.rate or 0),
                signed=fmt_number(report.numerator),
                total=items(ind.item_kind, report.denominator),
            )
        )
    lines.append(_("Period: {period}").format(period=period_text(report.period)))
    if report.rank is not None:
        lines.append(
            _("Rank: {rank}/{count}").format(
                rank=fmt_number(report.rank), count=fmt_number(report.ranked)
            )
        )
    icon = STATUS_ICON[report.status]
    if report.status in (Status.CRITICAL, Status.BELOW_WARNING):
        if report.status is Status.CRITICAL:
            headline = _("<b>Critical: below {critical}.</b>").format(critical=crit)
        else:
            headline = _("<b>Below the {warning} warning threshold.</b>").format(warning=warn)
        shortfall = _(
            "{need_warning} more signed would have reached {warning}, and {need_target} more "
            "the {target} target."
        ).format(
            warning=warn,
            target=target,
            need_warning=items(ind.item_kind, report.need_warning),
            need_target=items(ind.item_kind, report.need_target),
        )
        lines.append(f"{icon} {headline} {shortfall}")
    elif report.status is Status.BELOW_TARGET:
        lines.append(
            icon
            + " "
            + _(
                "At or above the {warning} threshold, {need_target} short of the {target} target."
            ).format(
                warning=warn, target=target, need_target=items(ind.item_kind, report.need_target)
            )
        )
    elif report.status is Status.AT_TARGET:
        lines.append(
            icon + " " + _("Target of {target} reached. Keep it up!").format(target=target)
        )
    change = report.change_points
    if change is not None and report.previous_period is not None:
        prev_rate = fmt_rate(report.previous_numerator or 0, report.previous_denominator or 0)
        lines.append(
            _("Since the previous period ({period}, {rate}): {change} percentage points.").format(
                period=_("{start} – {end}").format(
                    start=fmt_date(report.previous_period.start),
                    end=fmt_date(report.previous_period.end),
                ),
                rate=prev_rate,
                change=fmt_points(change),
            )
        )
    todo = what_to_do(report.status, warn)
    if todo:
        lines.append("")
        lines.append(todo)
    return "\n".join(lines)


def what_to_do(status: Status, warning: str) -> str:
    """Short advice on what the unit has to do next."""
    if status in (Status.CRITICAL, Status.BELOW_WARNING):
        return _(
            "👉 What to do: units below {warning} must send an explanation report to the "
            "secretariat by the deadline in its letter; the head of the unit is personally "
            "accountable. Sign every outgoing document with the competent person's own "
            "digital signature; never hand a signing token or password to someone else, and "
            "do not scan paper copies instead of signing."
        ).format(warning=warning)
    if status is Status.BELOW_TARGET:
        return _(
            "👉 What to do: every outgoing electronic document must be digitally signed by the "
            "competent person; sign the remaining ones instead of scanning paper copies."
        )
    return ""


def basis_line(citation: str) -> str:
    """'📜 Basis: Công văn số … của …, mục 3' (the citation is plain text)."""
    return _("📜 Basis: {citation}").format(citation=escape(citation))


def not_linked(telegram_id: int) -> str:
    """Instruction for someone the bot does not know yet."""
    return _(
        "You are not linked to any unit yet, so I cannot tell you its rate.\n"
        "Open the invitation link the secretariat sent you, or send them your Telegram ID "
        "<code>{telegram_id}</code> and ask to be added to your unit."
    ).format(telegram_id=telegram_id)


def no_data() -> str:
    """No statistics imported yet."""
    return _("No statistics have been imported yet. Please try again after the next report.")


def no_figures_for_unit(name: str) -> str:
    """The unit is known but missing from the latest period's table."""
    return _("{unit} has no figures in the latest reporting period.").format(unit=escape(name))


def no_unit_found(query: str) -> str:
    """Search for a unit found nothing."""
    return _("No unit matches “{query}”. Try part of its name, e.g. /rate Nam Tiền Hải").format(
        query=escape(query)
    )


def choose_unit(count: int) -> str:
    """Several units matched: ask to choose."""
    return ngettext("{n} unit matches. Choose one:", "{n} units match. Choose one:", count).format(
        n=fmt_number(count)
    )


def did_you_mean() -> str:
    """Only spelling-close units were found."""
    return _("No unit has exactly that name. Did you mean:")


def only_own_unit() -> str:
    """A non-secretariat user asked for another unit."""
    return _("Only the secretariat can look up other units. Here is your own unit:")


def unknown_user_secretariat() -> str:
    """Secretariat without a unit asked /tyle with no argument."""
    return _("Type a unit's name after the command, e.g. /rate Nam Tiền Hải")


def error_apology() -> str:
    """Shown when a handler fails."""
    return _("Sorry, something went wrong on our side. Please try again in a moment.")
