"""The province table (secretariat): every unit of a period in compact rows, cached per revision."""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import and_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from bot.core import messages
from bot.core.areas import kind_label
from bot.core.i18n import fmt_number, fmt_rate, ngettext
from bot.core.models import Measurement, Official, Unit
from bot.core.stats import IndicatorInfo, PeriodInfo, Status, rank_rows
from bot.dashboard.access import Caller, NotFound
from bot.dashboard.cache import Context
from bot.dashboard.fastformat import FastFormat
from bot.dashboard.figures import (
    choose_indicator,
    indicator_json,
    indicators_with_data,
    period_json,
    periods_of,
    status_text,
)

# --- the province table --------------------------------------------------------------------------

TABLE_COLUMNS = (
    "id",
    "name",
    "num",
    "den",
    "rate",
    "figures",
    "rank",
    "change",
    "change_text",
    "status",
    "area",
    "kind",
    "officials",
)


def _switchers(session: Session, ind: IndicatorInfo, periods: list[PeriodInfo]) -> dict[str, Any]:
    """The indicator and period choices."""
    return {
        "indicators": [
            {"code": i.code, "name": messages.indicator_name(i.code, i.name)}
            for i in indicators_with_data(session)
        ],
        "periods": [period_json(p) for p in periods],
        "indicator": indicator_json(ind),
    }


def _summary(
    ind: IndicatorInfo, statuses: list[str], numerator: int, denominator: int
) -> dict[str, Any]:
    """The overall figures of a period (statuses: every unit's, already computed)."""
    return {
        "overall": fmt_rate(numerator, denominator),
        "figures": f"{fmt_number(numerator)}/{fmt_number(denominator)}",
        "units": ngettext("{n} unit", "{n} units", len(statuses)).format(
            n=fmt_number(len(statuses))
        ),
        "at_target": statuses.count(Status.AT_TARGET.value),
        "below_warning": statuses.count(Status.BELOW_WARNING.value)
        + statuses.count(Status.CRITICAL.value),
        "critical": statuses.count(Status.CRITICAL.value),
        "status_labels": {s.value: status_text(ind, s) for s in Status},
    }


def status_of(ind: IndicatorInfo) -> Callable[[int, int], str]:
    """IndicatorInfo.status with integer arithmetic (same answers, no Fraction per unit)."""
    critical, warning, target = ind.critical, ind.warning, ind.target

    def status(num: int, den: int) -> str:
        """The status code of num/den."""
        if den <= 0:
            return Status.NO_ITEMS.value
        if num * critical.denominator < critical.numerator * den:
            return Status.CRITICAL.value
        if num * warning.denominator < warning.numerator * den:
            return Status.BELOW_WARNING.value
        if num * target.denominator < target.numerator * den:
            return Status.BELOW_TARGET.value
        return Status.AT_TARGET.value

    return status


def _table_rows(
    session: Session, ind: IndicatorInfo, current: PeriodInfo, previous: PeriodInfo | None
) -> list[tuple[Any, ...]]:
    """One query: every active unit of the period with its figures, the previous period's,
    its area (id, name), its kind and how many officials are linked to it."""
    before = aliased(Measurement)
    area = aliased(Unit)
    officials = (
        select(Official.unit_id, func.count().label("n"))
        .where(Official.active == True, col(Official.unit_id).is_not(None))  # noqa: E712
        .group_by(col(Official.unit_id))
        .subquery()
    )
    stmt = (
        sa_select(
            col(Unit.id),
            col(Unit.name),
            col(Measurement.numerator),
            col(Measurement.denominator),
            col(before.numerator),
            col(before.denominator),
            col(Unit.parent_id),
            col(area.name),
            col(Unit.kind),
            officials.c.n,
        )
        .join(Unit, col(Unit.id) == col(Measurement.unit_id))
        .outerjoin(
            before,
            and_(
                col(before.unit_id) == col(Measurement.unit_id),
                col(before.indicator_id) == ind.id,
                col(before.period_id) == (previous.id if previous is not None else -1),
            ),
        )
        .outerjoin(area, col(area.id) == col(Unit.parent_id))
        .outerjoin(officials, officials.c.unit_id == col(Unit.id))
        .where(
            col(Measurement.indicator_id) == ind.id,
            col(Measurement.period_id) == current.id,
            col(Unit.active) == True,  # noqa: E712
        )
    )
    return [tuple(row) for row in session.connection().execute(stmt)]


def _table_row(
    found: tuple[Any, ...], rank: int | None, status: Callable[[int, int], str], fast: FastFormat
) -> list[Any]:
    """One unit's row, in the order of TABLE_COLUMNS."""
    unit_id, name, num, den, num0, den0, area, _area_name, kind, officials = found
    change = None
    if num0 is not None and den > 0 and den0 > 0:
        change = fast.hundredths(num, den) - fast.hundredths(num0, den0)
    return [
        unit_id,
        name,
        num,
        den,
        fast.rate(num, den),
        fast.figure(num, den),
        rank,
        change / 100 if change is not None else None,
        fast.points(change) if change is not None else "",
        status(num, den),
        area,
        kind,
        officials or 0,
    ]


def table(
    *,
    session: Session,
    caller: Caller,
    ctx: Context,
    indicator_code: str | None = None,
    period_id: int | None = None,
) -> bytes:
    """Every unit of a period (secretariat): compact rows from one query, JSON-encoded, cached
    per revision."""
    caller.require_secretariat()
    ind = choose_indicator(session, indicator_code)
    if ind is None:
        return json.dumps({"empty": True, "message": messages.no_data()}).encode()
    periods = periods_of(session, ind.id)
    index = next((n for n, p in enumerate(periods) if p.id == period_id), 0)
    if period_id is not None and periods and periods[index].id != period_id:
        raise NotFound
    revision = caller.viewer.revision
    key = ("table", ind.id, periods[index].id, caller.language)
    cached = ctx.tables.answer(revision, key)
    if cached is not None:
        return cached
    previous = periods[index + 1] if index + 1 < len(periods) else None
    found = _table_rows(session, ind, periods[index], previous)
    standings, ranked = rank_rows([(r[0], r[1], r[2], r[3]) for r in found])
    status, fast = status_of(ind), FastFormat.current()
    rows = [_table_row(r, standings[r[0]].rank, status, fast) for r in found]
    # By rank, unranked last, then by name (two stable sorts: no key tuple per row).
    rows.sort(key=itemgetter(1))
    rows.sort(key=lambda r: r[6] if r[6] is not None else len(rows) + 1)
    areas = {r[6]: r[7] or "?" for r in found if r[6] is not None}
    answer = {
        **_switchers(session, ind, periods),
        "period": period_json(periods[index]),
        "previous": period_json(previous) if previous is not None else None,
        "ranked": ranked,
        "summary": _summary(
            ind, [r[9] for r in rows], sum(r[2] for r in rows), sum(r[3] for r in rows)
        ),
        "areas": sorted(([a, n] for a, n in areas.items()), key=lambda a: a[1]),
        "kinds": [[k, kind_label(k)] for k in sorted({r[11] for r in rows})],
        "columns": TABLE_COLUMNS,
        "rows": rows,
    }
    body = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ctx.tables.keep(revision, key, body)
    return body
