"""A unit's history: its rate and rank over the last periods, as text and as a chart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from sqlmodel import Session

from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import _, fmt_date, fmt_number, fmt_points, fmt_rate, rate_percent
from bot.core.messages import STATUS_ICON, indicator_name
from bot.core.models import Unit
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    load_indicator,
    load_period_table,
    recent_periods,
)
from bot.summaries import charts

HISTORY_PERIODS = 8


@dataclass(frozen=True)
class HistoryEntry:
    """A unit's figures in one period, with its rank among every unit then."""

    period: PeriodInfo
    numerator: int
    denominator: int
    rank: int | None
    ranked: int


@dataclass(frozen=True)
class UnitHistory:
    """A unit's rate over the last periods, oldest first."""

    unit_id: int
    unit_name: str
    indicator: IndicatorInfo
    entries: tuple[HistoryEntry, ...]


def unit_history(
    *,
    session: Session,
    unit_id: int,
    indicator_code: str = SIGNING_INDICATOR,
    limit: int = HISTORY_PERIODS,
) -> UnitHistory | None:
    """The unit's figures in the last `limit` periods of an indicator (None: unknown unit)."""
    unit = session.get(Unit, unit_id)
    indicator = load_indicator(session=session, code=indicator_code)
    if unit is None or indicator is None:
        return None
    entries: list[HistoryEntry] = []
    for period in recent_periods(session=session, indicator_id=indicator.id, limit=limit):
        table = load_period_table(session=session, indicator=indicator, period=period)
        standing = table.by_unit.get(unit_id)
        if standing is None:
            continue
        entries.append(
            HistoryEntry(
                period=period,
                numerator=standing.numerator,
                denominator=standing.denominator,
                rank=standing.rank,
                ranked=table.ranked,
            )
        )
    entries.reverse()
    return UnitHistory(
        unit_id=unit_id, unit_name=unit.name, indicator=indicator, entries=tuple(entries)
    )


def history_text(history: UnitHistory) -> str:
    """The history as lines, oldest first, with the change between periods."""
    ind = history.indicator
    lines = [
        f"📈 <b>{escape(history.unit_name)}</b>",
        indicator_name(ind.code, ind.name),
    ]
    if not history.entries:
        lines.append(_("No figures for this unit yet."))
        return "\n".join(lines)
    before: Decimal | None = None
    for entry in history.entries:
        rate = rate_percent(entry.numerator, entry.denominator)
        icon = STATUS_ICON[ind.status(entry.numerator, entry.denominator)]
        line = _("{icon} {start} – {end}: <b>{rate}</b> ({signed}/{total})").format(
            icon=icon,
            start=fmt_date(entry.period.start),
            end=fmt_date(entry.period.end),
            rate=fmt_rate(entry.numerator, entry.denominator),
            signed=fmt_number(entry.numerator),
            total=fmt_number(entry.denominator),
        )
        if entry.rank is not None:
            line += " · " + _("rank {rank}/{count}").format(
                rank=fmt_number(entry.rank), count=fmt_number(entry.ranked)
            )
        if before is not None and rate is not None:
            line += " · " + fmt_points(rate - before)
        lines.append(line)
        before = rate
    if len(history.entries) < 2:
        lines.append("")
        lines.append(_("The chart appears once there are two periods."))
    return "\n".join(lines)


def history_chart(history: UnitHistory) -> bytes | None:
    """PNG of the rate over periods (None with fewer than two periods)."""
    if len(history.entries) < 2:
        return None
    ind = history.indicator
    points = [
        charts.HistoryPoint(
            label=fmt_date(e.period.end)[:5], numerator=e.numerator, denominator=e.denominator
        )
        for e in history.entries
    ]
    return charts.history_chart(
        points=points,
        title=history.unit_name,
        subtitle=_("{indicator}, by period end").format(
            indicator=indicator_name(ind.code, ind.name)
        ),
        warning=ind.warning,
        critical=ind.critical,
        target=ind.target,
    )
