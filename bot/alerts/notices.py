"""Pushes to a unit's officials: the warning (firmer if critical), the resolved note."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from bot.alerts.firing import Level
from bot.core import messages, outbox
from bot.core.i18n import _, fmt_datetime, fmt_number, fmt_percent_value, fmt_rate, use_language
from bot.core.links import Cited
from bot.core.models import Role, utcnow
from bot.core.people import Recipient
from bot.core.stats import IndicatorInfo, PeriodInfo, Standing, Status

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnitFigures:
    """What a warning says about one unit."""

    indicator: IndicatorInfo
    period: PeriodInfo
    standing: Standing
    ranked: int

    @property
    def need_warning(self) -> int:
        """Items still owed to reach the warning threshold."""
        s = self.standing
        return self.indicator.shortfall(self.indicator.warning, s.numerator, s.denominator)

    @property
    def need_target(self) -> int:
        """Items still owed to reach the target."""
        s = self.standing
        return self.indicator.shortfall(self.indicator.target, s.numerator, s.denominator)


def _rate_line(fig: UnitFigures) -> str:
    """'Rate of … of your unit: 62.5% (25/40 documents), rank 90/104.'"""
    ind, s = fig.indicator, fig.standing
    return _(
        "{indicator} of your unit: <b>{rate}</b> ({signed}/{total}), rank {rank}/{count}."
    ).format(
        indicator=messages.indicator_name(ind.code, ind.name),
        rate=fmt_rate(s.numerator, s.denominator),
        signed=fmt_number(s.numerator),
        total=messages.items(ind.item_kind, s.denominator),
        rank=fmt_number(s.rank or 0),
        count=fmt_number(fig.ranked),
    )


def _shortfall_line(fig: UnitFigures) -> str:
    """'Sign 7 documents more to reach 80%, 15 documents to reach 100%.'"""
    ind = fig.indicator
    values = {
        "need_warning": messages.items(ind.item_kind, fig.need_warning),
        "need_target": messages.items(ind.item_kind, fig.need_target),
        "warning": fmt_percent_value(ind.warning_percent),
        "target": fmt_percent_value(ind.target_percent),
    }
    if ind.item_kind == "document":
        return _(
            "Sign {need_warning} more to reach {warning}, {need_target} to reach {target}."
        ).format(**values)
    return _(
        "{need_warning} more needed to reach {warning}, {need_target} to reach {target}."
    ).format(**values)


def warning_text(
    fig: UnitFigures,
    level: Level,
    *,
    repeat: int = 0,
    since: dt.datetime | None = None,
    head_included: bool = True,
    reader_role: str = Role.HEAD.value,
    cited: Cited | None = None,
) -> str:
    """The warning an official receives (firmer when critical), in the current language;
    `cited` is the letter that requires it."""
    ind = fig.indicator
    unit = escape(fig.standing.unit_name)
    warn = fmt_percent_value(ind.warning_percent)
    crit = fmt_percent_value(ind.critical_percent)
    if level is Level.CRITICAL:
        title = _("🔴 <b>CRITICAL WARNING: {unit} is below {critical}</b>").format(
            unit=unit, critical=crit
        )
    else:
        title = _("⚠️ <b>Warning: {unit} is below {warning}</b>").format(unit=unit, warning=warn)
    lines = [title]
    if repeat:
        lines.append(
            _("🔁 Reminder no. {n}: still below {warning} since {since}.").format(
                n=fmt_number(repeat), warning=warn, since=fmt_datetime(since or utcnow())
            )
        )
    lines.append(_("Dear comrade,"))
    lines.append(_rate_line(fig))
    lines.append(_("Period: {period}").format(period=messages.period_text(fig.period)))
    lines.append(_shortfall_line(fig))
    if level is Level.CRITICAL:
        lines.append("")
        lines.append(
            _(
                "This is among the lowest rates in the province. The head of the unit is "
                "personally accountable: direct at once that every outgoing document is signed "
                "digitally, and send the secretariat an explanation report."
            )
        )
        if reader_role == Role.HEAD.value:
            pass  # the paragraph above speaks to them
        elif head_included:
            lines.append(_("The head of the unit receives this warning too."))
        else:
            lines.append(
                _(
                    "No head of the unit is linked to the bot yet: report this warning to the "
                    "head of the unit today."
                )
            )
    todo = messages.what_to_do(Status.BELOW_WARNING, warn)
    lines.append("")
    lines.append(todo)
    if cited is not None:
        lines.append(messages.basis_line(cited.citation()))
    return "\n".join(lines)


def warning_for(
    fig: UnitFigures,
    level: Level,
    repeat: int,
    since: dt.datetime | None,
    head_included: bool,
    cited: Cited | None,
    reader_role: str,
) -> str:
    """warning_text with positional arguments, for functools.partial."""
    return warning_text(
        fig,
        level,
        repeat=repeat,
        since=since,
        head_included=head_included,
        reader_role=reader_role,
        cited=cited,
    )


def resolved_text(fig: UnitFigures) -> str:
    """The short note when a warned unit is no longer below the threshold."""
    ind = fig.indicator
    warn = fmt_percent_value(ind.warning_percent)
    lines = [
        _("✅ <b>{unit} is no longer below {warning}</b>").format(
            unit=escape(fig.standing.unit_name), warning=warn
        ),
        _rate_line(fig),
        _("Period: {period}").format(period=messages.period_text(fig.period)),
    ]
    if fig.need_target:
        lines.append(
            _(
                "The warning is lifted. Thank you, comrade: keep signing every outgoing document; "
                "{need_target} more to reach {target}."
            ).format(
                need_target=messages.items(ind.item_kind, fig.need_target),
                target=fmt_percent_value(ind.target_percent),
            )
        )
    else:
        lines.append(_("The warning is lifted and the target is reached. Thank you, comrade!"))
    return "\n".join(lines)


def render_pushes(
    recipients: list[Recipient],
    keys: dict[int, str],
    kind: str,
    unit_id: int,
    make: Callable[[str], str],
) -> list[outbox.Push]:
    """One push per recipient, the text (make(role)) rendered once per language and role."""
    rendered: dict[tuple[str, str], str] = {}
    found = []
    for r in recipients:
        variant = (r.language, r.role)
        if variant not in rendered:
            with use_language(r.language):
                rendered[variant] = make(r.role)
        found.append(
            outbox.Push(
                key=keys[r.telegram_id],
                chat_id=r.telegram_id,
                text=rendered[variant],
                kind=kind,
                priority=outbox.PRIORITY_WARNING,
                unit_id=unit_id,
            )
        )
    return found
