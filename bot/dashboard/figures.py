"""Indicators and periods with figures, their JSON, statuses in words, and a unit's figures."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlmodel import Session, col, select

from bot.core import messages
from bot.core.db import SIGNING_INDICATOR, stored_id
from bot.core.i18n import _, fmt_number, fmt_percent_value, fmt_points, fmt_rate, rate_percent
from bot.core.models import Indicator, Measurement, ReportingPeriod
from bot.core.stats import IndicatorInfo, PeriodInfo, Status
from bot.core.telegram_html import plain
from bot.dashboard.cache import Context

MAX_PERIODS = 24  # periods offered by the switcher and drawn in a trend


# --- indicators and periods ----------------------------------------------------------------------


def indicators_with_data(session: Session) -> list[IndicatorInfo]:
    """Indicators that have figures, the signing rate first."""
    ids = set(session.exec(select(Measurement.indicator_id).distinct()).all())
    rows = session.exec(select(Indicator).where(col(Indicator.id).in_(ids))).all()
    found = [IndicatorInfo.from_row(r) for r in rows]
    found.sort(key=lambda i: (i.code != SIGNING_INDICATOR, i.id))
    return found


def periods_of(session: Session, indicator_id: int) -> list[PeriodInfo]:
    """Periods with figures for an indicator, newest first."""
    with_data = select(Measurement.period_id).where(Measurement.indicator_id == indicator_id)
    rows = session.exec(
        select(ReportingPeriod)
        .where(col(ReportingPeriod.id).in_(with_data.distinct()))
        .order_by(col(ReportingPeriod.end_date).desc(), col(ReportingPeriod.start_date).desc())
        .limit(MAX_PERIODS)
    ).all()
    return [PeriodInfo(stored_id(p.id), p.start_date, p.end_date, p.as_of) for p in rows]


def choose_indicator(session: Session, code: str | None) -> IndicatorInfo | None:
    """The asked indicator if it has figures, else the signing rate (or the first with data)."""
    found = indicators_with_data(session)
    chosen = [i for i in found if i.code == code]
    return next(iter(chosen or found), None)


def indicator_json(ind: IndicatorInfo) -> dict[str, Any]:
    """An indicator with its translated name and thresholds."""
    return {
        "code": ind.code,
        "name": messages.indicator_name(ind.code, ind.name),
        "warning": float(ind.warning_percent),
        "critical": float(ind.critical_percent),
        "target": float(ind.target_percent),
        "warning_text": fmt_percent_value(ind.warning_percent),
        "critical_text": fmt_percent_value(ind.critical_percent),
        "target_text": fmt_percent_value(ind.target_percent),
    }


def period_json(period: PeriodInfo) -> dict[str, Any]:
    """A period's id and its text ('08/06/2026 – 22/06/2026 (figures as of …)')."""
    return {"id": period.id, "text": messages.period_text(period)}


def status_text(ind: IndicatorInfo, status: Status) -> str:
    """The status of a rate, in words with the indicator's thresholds."""
    labels = {
        Status.AT_TARGET: _("At the target of {target}"),
        Status.BELOW_TARGET: _("{warning} or more, below {target}"),
        Status.BELOW_WARNING: _("Below {warning}"),
        Status.CRITICAL: _("Below {critical}"),
        Status.NO_ITEMS: _("Nothing to count"),
    }
    return labels[status].format(
        target=fmt_percent_value(ind.target_percent),
        warning=fmt_percent_value(ind.warning_percent),
        critical=fmt_percent_value(ind.critical_percent),
    )


def change_points(now: tuple[int, int], before: tuple[int, int] | None) -> Any:
    """Percentage-point change since the previous period (None when not comparable)."""
    if before is None:
        return None
    a, b = rate_percent(*now), rate_percent(*before)
    if a is None or b is None:
        return None
    return a - b


def unit_figures(
    *, session: Session, ctx: Context, revision: int, ind: IndicatorInfo, unit_id: int
) -> dict[str, Any] | None:
    """A unit's figures in the latest period: rate, rank, what is owed to the thresholds."""
    periods = periods_of(session, ind.id)
    if not periods:
        return None
    current = ctx.tables.table(session=session, revision=revision, indicator=ind, period=periods[0])
    s = current.by_unit.get(unit_id)
    if s is None:
        return None
    previous = None
    if len(periods) > 1:
        prev_table = ctx.tables.table(
            session=session, revision=revision, indicator=ind, period=periods[1]
        )
        before = prev_table.by_unit.get(unit_id)
        previous = (before.numerator, before.denominator) if before else None
    status = ind.status(s.numerator, s.denominator)
    change = change_points((s.numerator, s.denominator), previous)
    need_warning = ind.shortfall(ind.warning, s.numerator, s.denominator)
    need_target = ind.shortfall(ind.target, s.numerator, s.denominator)
    return {
        "period": period_json(periods[0]),
        "rate": fmt_rate(s.numerator, s.denominator),
        "figures": f"{fmt_number(s.numerator)}/{fmt_number(s.denominator)}",
        "rank": f"{fmt_number(s.rank)}/{fmt_number(current.ranked)}" if s.rank else None,
        "status": status.value,
        "status_text": status_text(ind, status),
        "change": fmt_points(change) if change is not None else None,
        "need_warning": _owed(need_warning, ind.warning_percent, ind.item_kind),
        "need_target": _owed(need_target, ind.target_percent, ind.item_kind),
        "what_to_do": plain(messages.what_to_do(status, fmt_percent_value(ind.warning_percent))),
        "exact": float(Fraction(s.numerator, s.denominator)) if s.denominator else None,
    }


def _owed(missing: int, threshold: Any, item_kind: str) -> str:
    """'9 more documents to reach 80%' or 'reached 80%'."""
    target = fmt_percent_value(threshold)
    if missing <= 0:
        return _("{threshold} reached").format(threshold=target)
    return _("{items} more to reach {threshold}").format(
        items=messages.items(item_kind, missing), threshold=target
    )
