"""The dashboard's JSON: who is asking, the province table, and the rules of who sees what.

Permissions are the chat commands' rules, unchanged: the secretariat sees everything; an
official sees their own unit only (its card); a stranger is told how to get linked. Every
answer is a plain dict, already formatted for the caller's language (vi: 82,5%, 1.234,
22/06/2026), so the page never formats numbers itself.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from operator import itemgetter
from typing import Any

from sqlalchemy import and_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from bot.core import messages
from bot.core.areas import kind_label
from bot.core.config import Settings
from bot.core.db import SIGNING_INDICATOR, stored_id
from bot.core.i18n import (
    _,
    fmt_number,
    fmt_percent_value,
    fmt_points,
    fmt_rate,
    ngettext,
    rate_percent,
)
from bot.core.links import Links
from bot.core.models import (
    AppUser,
    Indicator,
    Measurement,
    Official,
    ReportingPeriod,
    Role,
    Unit,
)
from bot.core.people import Viewer
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    PeriodTable,
    Status,
    load_period_table,
    rank_rows,
)
from bot.core.telegram_html import plain
from bot.dashboard.fastformat import FastFormat
from bot.dashboard.sources import Sources

logger = logging.getLogger(__name__)

MAX_PERIODS = 24  # periods offered by the switcher and drawn in a trend
TABLE_CACHE_SIZE = 32
GZIP_KEEP_BYTES = 64 * 1024  # answers this large are gzipped once and kept
GZIP_CACHE_SIZE = 8


class Forbidden(Exception):
    """The caller's role does not include this (403)."""


class NotFound(Exception):
    """Nothing by that id (404; only said to the secretariat, who may see everything)."""


class Audience(StrEnum):
    """Who the caller is, for the dashboard's permissions."""

    SECRETARIAT = "secretariat"
    OFFICIAL = "official"
    STRANGER = "stranger"


@dataclass(frozen=True)
class Caller:
    """The person behind an API call, as the bot knows them, and their language."""

    viewer: Viewer
    language: str

    @property
    def audience(self) -> Audience:
        """Secretariat, an official linked to a unit, or a stranger."""
        if self.viewer.is_secretariat:
            return Audience.SECRETARIAT
        if self.viewer.role is not None and self.viewer.unit_id is not None:
            return Audience.OFFICIAL
        return Audience.STRANGER

    def require_secretariat(self) -> None:
        """Forbidden unless the caller is in the secretariat."""
        if self.audience is not Audience.SECRETARIAT:
            raise Forbidden

    def require_unit(self, unit_id: int) -> None:
        """Forbidden unless the caller may see this unit (their own, or any for the secretariat)."""
        if self.audience is Audience.SECRETARIAT:
            return
        if self.audience is Audience.OFFICIAL and self.viewer.unit_id == unit_id:
            return
        raise Forbidden


# --- period tables, cached per data revision ---------------------------------------------------


class TableCache:
    """Period tables and rendered table answers of this process, dropped when the data changes."""

    def __init__(self) -> None:
        """Empty."""
        self._revision: int | None = None
        self._tables: OrderedDict[tuple[int, int], PeriodTable] = OrderedDict()
        self._answers: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._gzipped: OrderedDict[bytes, bytes] = OrderedDict()  # body → gzipped body
        self._lock = threading.Lock()

    def _check(self, revision: int) -> None:
        """Forget everything computed at another revision."""
        if revision != self._revision:
            self._tables.clear()
            self._answers.clear()
            self._gzipped.clear()
            self._revision = revision

    def table(
        self, *, session: Session, revision: int, indicator: IndicatorInfo, period: PeriodInfo
    ) -> PeriodTable:
        """The standings of one indicator in one period."""
        key = (indicator.id, period.id)
        with self._lock:
            self._check(revision)
            found = self._tables.get(key)
            if found is not None:
                self._tables.move_to_end(key)
                return found
        found = load_period_table(session=session, indicator=indicator, period=period)
        with self._lock:
            if revision == self._revision:
                self._tables[key] = found
                while len(self._tables) > TABLE_CACHE_SIZE:
                    self._tables.popitem(last=False)
        return found

    def answer(self, revision: int, key: tuple[Any, ...]) -> bytes | None:
        """A rendered answer, if still current."""
        with self._lock:
            self._check(revision)
            return self._answers.get(key)

    def gzipped(self, body: bytes) -> bytes:
        """A body gzipped; a large one (the table) once, not on every view."""
        if len(body) < GZIP_KEEP_BYTES:
            return gzip.compress(body, compresslevel=5)
        with self._lock:
            found = self._gzipped.get(body)
        if found is None:
            found = gzip.compress(body, compresslevel=5)
            with self._lock:
                self._gzipped[body] = found
                while len(self._gzipped) > GZIP_CACHE_SIZE:
                    self._gzipped.popitem(last=False)
        return found

    def keep(self, revision: int, key: tuple[Any, ...], body: bytes) -> None:
        """Remember a rendered answer."""
        with self._lock:
            if revision == self._revision:
                self._answers[key] = body
                while len(self._answers) > TABLE_CACHE_SIZE:
                    self._answers.popitem(last=False)


@dataclass
class Context:
    """What every answer needs besides the session and the caller."""

    settings: Settings
    now: dt.datetime
    tables: TableCache
    links: Links
    sources: Sources


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


# --- who is asking -------------------------------------------------------------------------------


def me(*, session: Session, caller: Caller) -> dict[str, Any]:
    """The caller's role, unit and language; strangers get how to get linked."""
    viewer = caller.viewer
    answer: dict[str, Any] = {
        "role": caller.audience.value,
        "language": caller.language,
        "telegram_id": viewer.telegram_id,
        "unit": None,
    }
    if caller.audience is Audience.OFFICIAL:
        answer["unit"] = {"id": viewer.unit_id, "name": viewer.unit_name or ""}
    if caller.audience is Audience.STRANGER:
        answer["message"] = plain(messages.not_linked(viewer.telegram_id))
    return answer


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


def secretariat_members(
    *, session: Session, admin_ids: frozenset[int]
) -> list[tuple[int, str | None]]:
    """(Telegram id, stored language) of everyone in the secretariat, for their menu button."""
    ids = set(admin_ids)
    ids.update(
        int(t)
        for t in session.exec(
            select(Official.telegram_id).where(
                Official.active == True,  # noqa: E712
                Official.role == Role.SECRETARIAT.value,
            )
        ).all()
    )
    languages = dict(
        session.exec(
            select(AppUser.telegram_id, AppUser.language).where(col(AppUser.telegram_id).in_(ids))
        ).all()
    )
    return [(tid, languages.get(tid)) for tid in sorted(ids)]
