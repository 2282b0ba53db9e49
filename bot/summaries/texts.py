"""What a summary says: its message, its chart images and their captions."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape

from bot.core.i18n import (
    _,
    fmt_date,
    fmt_number,
    fmt_percent_value,
    fmt_points,
    fmt_rate,
    ngettext,
)
from bot.core.messages import STATUS_ICON, indicator_name, items, period_text
from bot.core.stats import Status
from bot.summaries import charts
from bot.summaries.figures import LARGE_SUMMARY, TOP, Summary, UnitFigure, UnitGroup

# A large summary's charts: at most this many images (one per area), each with at most
# AREA_BARS units (an area's highest and lowest when it has more).
MAX_AREA_IMAGES = 10
AREA_BARS = 40


def where_text(area_name: str | None) -> str:
    """'the whole province' or the area's name (escaped)."""
    return escape(area_name) if area_name else _("the whole province")


def _unit_line(unit: UnitFigure) -> str:
    """'• Đảng ủy xã A — 82,5% (33/40)'."""
    return _("• {unit} — {rate} ({signed}/{total})").format(
        unit=escape(unit.name),
        rate=fmt_rate(unit.numerator, unit.denominator),
        signed=fmt_number(unit.numerator),
        total=fmt_number(unit.denominator),
    )


def summary_text(summary: Summary) -> str:
    """The summary message (HTML, well under 4,096 characters)."""
    ind = summary.indicator
    lines = [
        _("📊 <b>Summary: {indicator}</b>").format(indicator=indicator_name(ind.code, ind.name)),
        _("🏛 {where}").format(where=where_text(summary.area_name)),
        _("Period: {period}").format(period=period_text(summary.period)),
    ]
    if not summary.rated:
        lines.append(_("No unit here has figures in this period."))
        return "\n".join(lines)
    warn = fmt_percent_value(ind.warning_percent)
    lines.extend(_overall_lines(summary))
    lines.append("")
    lines.extend(_count_lines(summary, warn))
    lines.append("")
    lines.extend(_unit_lines(summary))
    if summary.below_warning:
        lines.append("")
        lines.append(
            _(
                "👉 Units below {warning} send their explanation report to the secretariat; "
                "the head of each unit is personally accountable."
            ).format(warning=warn)
        )
    return "\n".join(lines)


def _overall_lines(summary: Summary) -> list[str]:
    """The overall rate, and its change since the previous period."""
    overall = _("Overall: <b>{rate}</b> ({signed}/{total})").format(
        rate=fmt_rate(summary.numerator, summary.denominator),
        signed=fmt_number(summary.numerator),
        total=items(summary.indicator.item_kind, summary.denominator),
    )
    change = summary.change_points
    if change is None or summary.previous_period is None:
        return [overall, _("No earlier period to compare with yet.")]
    arrow = "📈" if change > 0 else ("📉" if change < 0 else "➖")
    since = _("Since the previous period ({period}, {rate}): {change} percentage points.").format(
        period=_("{start} – {end}").format(
            start=fmt_date(summary.previous_period.start),
            end=fmt_date(summary.previous_period.end),
        ),
        rate=fmt_rate(summary.previous_numerator or 0, summary.previous_denominator or 0),
        change=fmt_points(change),
    )
    return [overall, arrow + " " + since]


def _count_lines(summary: Summary, warn: str) -> list[str]:
    """How many units have figures, reach the target, and fall below each threshold."""
    ind = summary.indicator
    rated = len(summary.rated)
    below = summary.below_warning
    below_line = ngettext("{n} unit below {warning}", "{n} units below {warning}", below).format(
        n=fmt_number(below), warning=warn
    )
    if summary.previous_below_warning is not None:
        below_line += " " + _("(previous period: {n})").format(
            n=fmt_number(summary.previous_below_warning)
        )
    at_target = ngettext("{n} unit at {target}", "{n} units at {target}", summary.at_target)
    critical = ngettext("{n} unit below {critical}", "{n} units below {critical}", summary.critical)
    return [
        ngettext("{n} unit with figures:", "{n} units with figures:", rated).format(
            n=fmt_number(rated)
        ),
        STATUS_ICON[Status.AT_TARGET]
        + " "
        + at_target.format(
            n=fmt_number(summary.at_target), target=fmt_percent_value(ind.target_percent)
        ),
        STATUS_ICON[Status.BELOW_WARNING] + " " + below_line,
        STATUS_ICON[Status.CRITICAL]
        + " "
        + critical.format(
            n=fmt_number(summary.critical), critical=fmt_percent_value(ind.critical_percent)
        ),
    ]


def _unit_lines(summary: Summary) -> list[str]:
    """Every unit when there are few; else the highest and the lowest TOP."""
    rated = summary.rated
    if len(rated) <= 2 * TOP:
        return [_("<b>Every unit:</b>"), *(_unit_line(u) for u in rated)]
    best = summary.best()
    lines = [_("🏆 <b>Highest {n}:</b>").format(n=fmt_number(TOP))]
    lines.extend(_unit_line(u) for u in best)
    tied = summary.tied_after_best()
    if tied:
        lines.append(
            ngettext(
                "… and {n} more unit at {rate}", "… and {n} more units at {rate}", tied
            ).format(n=fmt_number(tied), rate=fmt_rate(best[-1].numerator, best[-1].denominator))
        )
    lines.append("")
    lines.append(_("⚠️ <b>Lowest {n}:</b>").format(n=fmt_number(TOP)))
    lines.extend(_unit_line(u) for u in summary.worst())
    return lines


def chart_label(name: str) -> str:
    """A unit's name for a chart: without the leading 'Đảng ủy', capitalised ('Xã Nghĩa Trụ')."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    for prefix in ("Đảng ủy ", "Đảng uỷ ", "đảng ủy "):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            return text[0].upper() + text[1:]
    return text


def _bars(units: list[UnitFigure]) -> list[charts.Bar]:
    """Chart bars of units, in the order given."""
    return [
        charts.Bar(chart_label(u.name), u.rank or 0, u.numerator, u.denominator, u.status)
        for u in units
    ]


def _chart_pages(summary: Summary) -> list[tuple[str, list[UnitFigure]]]:
    """(subtitle addition, units) of each image of a large summary: one image per area (the
    largest areas, the rest together), an area's highest and lowest units when it has many."""
    rated = summary.rated
    groups = list(summary.groups)
    pages: list[tuple[str | None, list[UnitFigure]]] = []
    if len(groups) > MAX_AREA_IMAGES:
        kept, rest = groups[: MAX_AREA_IMAGES - 1], groups[MAX_AREA_IMAGES - 1 :]
        groups = [*kept, UnitGroup(None, frozenset().union(*(g.unit_ids for g in rest)))]
    if not groups:
        pages.append((None, rated))
    for group in groups:
        pages.append((group.name, [u for u in rated if u.unit_id in group.unit_ids]))
    out: list[tuple[str, list[UnitFigure]]] = []
    half = AREA_BARS // 2
    for name, units in pages:
        where = _drawn(name) if name else _("other units")
        if len(units) <= AREA_BARS:
            out.append((where, units))
            continue
        note = _("{where}: highest {n} and lowest {n} of {total} units").format(
            where=where, n=fmt_number(half), total=fmt_number(len(units))
        )
        out.append((note, units[:half] + units[-half:]))
    return out


def _drawn(name: str) -> str:
    """An area's name for a chart (drawn, not HTML)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def summary_charts(summary: Summary, per_image: int = charts.MAX_UNITS_PER_IMAGE) -> list[bytes]:
    """PNG charts of every unit's rate, best first, split into images of ≤ `per_image`; a
    summary of more than LARGE_SUMMARY units gets one image per area instead."""
    rated = summary.rated
    if not rated:
        return []
    ind = summary.indicator
    warn = fmt_percent_value(ind.warning_percent)
    crit = fmt_percent_value(ind.critical_percent)
    target = fmt_percent_value(ind.target_percent)
    title = _("{indicator} — {where}").format(
        indicator=indicator_name(ind.code, ind.name),
        where=summary.area_name or _("the whole province"),
    )
    subtitle = _("{start} – {end} · overall {rate} ({signed}/{total})").format(
        start=fmt_date(summary.period.start),
        end=fmt_date(summary.period.end),
        rate=fmt_rate(summary.numerator, summary.denominator),
        signed=fmt_number(summary.numerator),
        total=fmt_number(summary.denominator),
    )
    legend = charts.Legend(
        at_target=_("{target} reached").format(target=target),
        below_target=_("{warning} to below {target}").format(warning=warn, target=target),
        below_warning=_("{critical} to below {warning}").format(critical=crit, warning=warn),
        critical=_("below {critical}").format(critical=crit),
    )
    if len(rated) <= LARGE_SUMMARY:
        return charts.ranking_charts(
            bars=_bars(rated),
            title=title,
            subtitle=subtitle,
            legend=legend,
            warning=ind.warning,
            critical=ind.critical,
            page_label=_("image {page}/{pages}"),
            per_image=per_image,
        )
    images: list[bytes] = []
    for note, units in _chart_pages(summary):
        images.extend(
            charts.ranking_charts(
                bars=_bars(units),
                title=title,
                subtitle=subtitle + "  ·  " + note,
                legend=legend,
                warning=ind.warning,
                critical=ind.critical,
                per_image=AREA_BARS,
            )
        )
    return images


def chart_caption(summary: Summary, page: int, pages: int) -> str:
    """Short caption under a chart image."""
    text = _("📊 {where} · {start} – {end}").format(
        where=where_text(summary.area_name),
        start=fmt_date(summary.period.start),
        end=fmt_date(summary.period.end),
    )
    if pages > 1:
        text += " · " + _("image {page}/{pages}").format(page=page, pages=pages)
    return text


@dataclass(frozen=True)
class Rendered:
    """A summary's message and chart images in one language."""

    summary: Summary
    text: str
    images: tuple[bytes, ...]


def render(summary: Summary) -> Rendered:
    """Text and charts of a summary in the current language."""
    return Rendered(summary, summary_text(summary), tuple(summary_charts(summary)))
