"""Summaries of the latest period for the province or an area, their charts, unit history,
and the weekly group summaries queued in the outbox."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import escape
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.core import outbox
from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import (
    _,
    fmt_date,
    fmt_number,
    fmt_percent_value,
    fmt_points,
    fmt_rate,
    ngettext,
    rate_percent,
    use_language,
)
from bot.core.messages import STATUS_ICON, indicator_name, items, period_text
from bot.core.models import Indicator, OutboxMessage, Unit
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    PeriodTable,
    Standing,
    StandingsCache,
    Status,
    load_indicator,
    load_period_table,
    recent_periods,
)
from bot.groups import service as groups
from bot.summaries import charts
from bot.units.queries import latest_snapshot

logger = logging.getLogger(__name__)

TOP = 5
HISTORY_PERIODS = 8
SUMMARY_KIND = "summary"

# --- ordering ------------------------------------------------------------------------------

_VI_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order: a < ă < â < b … đ after d, tones only break ties."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0] + "".join(m for m in parts[1:] if m in _SHAPE_MARKS)
        letter = unicodedata.normalize("NFC", base)
        index = _VI_ALPHABET.find(letter) if len(letter) == 1 else -1
        letters.append(1000 + index if index >= 0 else ord(letter[0]) + 2000)
        tones.append(max((_TONES.get(m, 0) for m in parts[1:]), default=0))
    return tuple(letters), tuple(tones)


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigure:
    """One unit's figures in a summary, ranked within the summary's units."""

    unit_id: int
    name: str
    numerator: int
    denominator: int
    rank: int | None
    status: Status

    @property
    def percent(self) -> Decimal | None:
        """Rate in percent, two decimals."""
        return rate_percent(self.numerator, self.denominator)


def display_order(standings: Iterable[Standing]) -> list[Standing]:
    """As the letters list units: highest rate first; then more documents; then by name.

    Units with nothing to count come last.
    """
    rated = [s for s in standings if s.denominator > 0]
    empty = [s for s in standings if s.denominator <= 0]
    rated.sort(
        key=lambda s: (
            -Fraction(s.numerator, s.denominator),
            -s.denominator,
            vi_sort_key(s.unit_name),
        )
    )
    empty.sort(key=lambda s: vi_sort_key(s.unit_name))
    return rated + empty


def _figures(indicator: IndicatorInfo, standings: Iterable[Standing]) -> list[UnitFigure]:
    """Ranked figures (competition ranking within these units: 1, 1, 3)."""
    ordered = display_order(standings)
    figures: list[UnitFigure] = []
    rank = 0
    previous: Fraction | None = None
    for position, s in enumerate(ordered, start=1):
        if s.denominator > 0:
            rate = Fraction(s.numerator, s.denominator)
            if rate != previous:
                rank, previous = position, rate
            unit_rank: int | None = rank
        else:
            unit_rank = None
        figures.append(
            UnitFigure(
                unit_id=s.unit_id,
                name=s.unit_name,
                numerator=s.numerator,
                denominator=s.denominator,
                rank=unit_rank,
                status=indicator.status(s.numerator, s.denominator),
            )
        )
    return figures


@dataclass(frozen=True)
class Summary:
    """The latest period of one indicator for the province (area None) or one area."""

    indicator: IndicatorInfo
    period: PeriodInfo
    area_unit_id: int | None
    area_name: str | None
    units: tuple[UnitFigure, ...]
    previous_period: PeriodInfo | None = None
    previous_numerator: int | None = None
    previous_denominator: int | None = None
    previous_below_warning: int | None = None

    @property
    def numerator(self) -> int:
        """Signed documents of every unit."""
        return sum(u.numerator for u in self.units)

    @property
    def denominator(self) -> int:
        """Documents of every unit."""
        return sum(u.denominator for u in self.units)

    def count(self, *statuses: Status) -> int:
        """Units with any of these statuses."""
        return sum(1 for u in self.units if u.status in statuses)

    @property
    def at_target(self) -> int:
        """Units at the target (100 %)."""
        return self.count(Status.AT_TARGET)

    @property
    def below_warning(self) -> int:
        """Units strictly below the warning threshold (critical ones included)."""
        return self.count(Status.BELOW_WARNING, Status.CRITICAL)

    @property
    def critical(self) -> int:
        """Units strictly below the critical threshold."""
        return self.count(Status.CRITICAL)

    @property
    def rated(self) -> list[UnitFigure]:
        """Units that had something to count, best first."""
        return [u for u in self.units if u.denominator > 0]

    def best(self, n: int = TOP) -> list[UnitFigure]:
        """The `n` highest rates."""
        return self.rated[:n]

    def tied_after_best(self, n: int = TOP) -> int:
        """Units left out of the best `n` although their rate equals the n-th one's."""
        rated = self.rated
        if len(rated) <= n:
            return 0
        last = Fraction(rated[n - 1].numerator, rated[n - 1].denominator)
        return sum(1 for u in rated[n:] if Fraction(u.numerator, u.denominator) == last)

    def worst(self, n: int = TOP) -> list[UnitFigure]:
        """The `n` lowest rates, lowest first (more documents first among equal rates)."""
        rated = self.rated
        rated = sorted(rated, key=lambda u: (Fraction(u.numerator, u.denominator), -u.denominator))
        return rated[:n]

    @property
    def change_points(self) -> Decimal | None:
        """Change of the overall rate since the previous period, in percentage points."""
        if not self.previous_denominator or self.previous_numerator is None:
            return None
        now = rate_percent(self.numerator, self.denominator)
        before = rate_percent(self.previous_numerator, self.previous_denominator)
        if now is None or before is None:
            return None
        return now - before


def area_unit_ids(*, session: Session, area_unit_id: int) -> set[int]:
    """The area and every unit below it, at any depth."""
    children: dict[int, list[int]] = {}
    for child, parent in session.exec(
        select(Unit.id, Unit.parent_id).where(col(Unit.parent_id).is_not(None))
    ).all():
        children.setdefault(int(parent), []).append(int(child))  # type: ignore[arg-type]
    found = {area_unit_id}
    todo = [area_unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _scoped(table: PeriodTable, scope: set[int] | None) -> list[Standing]:
    """The table's standings limited to a set of units (None: all)."""
    return [s for uid, s in table.by_unit.items() if scope is None or uid in scope]


def build_summary(
    *,
    latest: PeriodTable,
    previous: PeriodTable | None,
    scope: set[int] | None,
    area_unit_id: int | None = None,
    area_name: str | None = None,
) -> Summary:
    """A summary from period tables, limited to `scope` (None: every unit)."""
    indicator = latest.indicator
    prev_rows = _scoped(previous, scope) if previous is not None else []
    prev_num = sum(s.numerator for s in prev_rows) if prev_rows else None
    prev_den = sum(s.denominator for s in prev_rows) if prev_rows else None
    prev_below = (
        sum(
            1
            for s in prev_rows
            if indicator.status(s.numerator, s.denominator)
            in (Status.BELOW_WARNING, Status.CRITICAL)
        )
        if prev_rows
        else None
    )
    return Summary(
        indicator=indicator,
        period=latest.period,
        area_unit_id=area_unit_id,
        area_name=area_name,
        units=tuple(_figures(indicator, _scoped(latest, scope))),
        previous_period=previous.period if prev_rows and previous is not None else None,
        previous_numerator=prev_num,
        previous_denominator=prev_den,
        previous_below_warning=prev_below,
    )


def load_summary(
    *,
    session: Session,
    standings: StandingsCache,
    area_unit_id: int | None,
    indicator_code: str = SIGNING_INDICATOR,
) -> Summary | None:
    """The latest summary of an area (None: the province); None if nothing was imported."""
    snapshot = latest_snapshot(session=session, standings=standings, indicator_code=indicator_code)
    if snapshot is None or snapshot.latest is None:
        return None
    scope: set[int] | None = None
    area_name: str | None = None
    if area_unit_id is not None:
        area = session.get(Unit, area_unit_id)
        if area is None:
            return None
        area_name = area.name
        scope = area_unit_ids(session=session, area_unit_id=area_unit_id)
    return build_summary(
        latest=snapshot.latest,
        previous=snapshot.previous,
        scope=scope,
        area_unit_id=area_unit_id,
        area_name=area_name,
    )


def area_of_unit(*, session: Session, unit_id: int | None) -> int | None:
    """The nearest area above a unit (None: it is in no area)."""
    seen: set[int] = set()
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    while unit is not None and unit.parent_id is not None and unit.parent_id not in seen:
        seen.add(unit.parent_id)
        parent = session.get(Unit, unit.parent_id)
        if parent is not None and parent.active:
            return parent.id
        unit = parent
    return None


def indicators_with_data(*, session: Session) -> list[str]:
    """Codes of indicators that have at least one imported period, signing first."""
    codes = list(session.exec(select(Indicator.code).order_by(col(Indicator.id))).all())
    found = []
    for code in codes:
        info = load_indicator(session=session, code=code)
        if info is not None and recent_periods(session=session, indicator_id=info.id, limit=1):
            found.append(code)
    return found


# --- texts ---------------------------------------------------------------------------------


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
    name = indicator_name(ind.code, ind.name)
    warn = fmt_percent_value(ind.warning_percent)
    crit = fmt_percent_value(ind.critical_percent)
    target = fmt_percent_value(ind.target_percent)
    lines = [
        _("📊 <b>Summary: {indicator}</b>").format(indicator=name),
        _("🏛 {where}").format(where=where_text(summary.area_name)),
        _("Period: {period}").format(period=period_text(summary.period)),
    ]
    rated = summary.rated
    if not rated:
        lines.append(_("No unit here has figures in this period."))
        return "\n".join(lines)
    lines.append(
        _("Overall: <b>{rate}</b> ({signed}/{total})").format(
            rate=fmt_rate(summary.numerator, summary.denominator),
            signed=fmt_number(summary.numerator),
            total=items(ind.item_kind, summary.denominator),
        )
    )
    change = summary.change_points
    if change is not None and summary.previous_period is not None:
        arrow = "📈" if change > 0 else ("📉" if change < 0 else "➖")
        lines.append(
            arrow
            + " "
            + _("Since the previous period ({period}, {rate}): {change} percentage points.").format(
                period=_("{start} – {end}").format(
                    start=fmt_date(summary.previous_period.start),
                    end=fmt_date(summary.previous_period.end),
                ),
                rate=fmt_rate(summary.previous_numerator or 0, summary.previous_denominator or 0),
                change=fmt_points(change),
            )
        )
    else:
        lines.append(_("No earlier period to compare with yet."))
    lines.append("")
    lines.append(
        ngettext("{n} unit with figures:", "{n} units with figures:", len(rated)).format(
            n=fmt_number(len(rated))
        )
    )
    lines.append(
        STATUS_ICON[Status.AT_TARGET]
        + " "
        + ngettext("{n} unit at {target}", "{n} units at {target}", summary.at_target).format(
            n=fmt_number(summary.at_target), target=target
        )
    )
    below = summary.below_warning
    below_line = ngettext("{n} unit below {warning}", "{n} units below {warning}", below).format(
        n=fmt_number(below), warning=warn
    )
    if summary.previous_below_warning is not None:
        below_line += " " + _("(previous period: {n})").format(
            n=fmt_number(summary.previous_below_warning)
        )
    lines.append(STATUS_ICON[Status.BELOW_WARNING] + " " + below_line)
    lines.append(
        STATUS_ICON[Status.CRITICAL]
        + " "
        + ngettext(
            "{n} unit below {critical}", "{n} units below {critical}", summary.critical
        ).format(n=fmt_number(summary.critical), critical=crit)
    )
    if len(rated) <= 2 * TOP:
        lines.append("")
        lines.append(_("<b>Every unit:</b>"))
        lines.extend(_unit_line(u) for u in rated)
    else:
        lines.append("")
        lines.append(_("🏆 <b>Highest {n}:</b>").format(n=fmt_number(TOP)))
        best = summary.best()
        lines.extend(_unit_line(u) for u in best)
        tied = summary.tied_after_best()
        if tied:
            lines.append(
                ngettext(
                    "… and {n} more unit at {rate}", "… and {n} more units at {rate}", tied
                ).format(
                    n=fmt_number(tied), rate=fmt_rate(best[-1].numerator, best[-1].denominator)
                )
            )
        lines.append("")
        lines.append(_("⚠️ <b>Lowest {n}:</b>").format(n=fmt_number(TOP)))
        lines.extend(_unit_line(u) for u in summary.worst())
    if below:
        lines.append("")
        lines.append(
            _(
                "👉 Units below {warning} send their explanation report to the secretariat; "
                "the head of each unit is personally accountable."
            ).format(warning=warn)
        )
    return "\n".join(lines)


def chart_label(name: str) -> str:
    """A unit's name for a chart: without the leading 'Đảng ủy', capitalised ('Xã Nghĩa Trụ')."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    for prefix in ("Đảng ủy ", "Đảng uỷ ", "đảng ủy "):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            return text[0].upper() + text[1:]
    return text


def summary_charts(summary: Summary, per_image: int = charts.MAX_UNITS_PER_IMAGE) -> list[bytes]:
    """PNG charts of every unit's rate, best first, split into images of ≤ `per_image`."""
    rated = summary.rated
    if not rated:
        return []
    ind = summary.indicator
    bars = [
        charts.Bar(chart_label(u.name), u.rank or 0, u.numerator, u.denominator, u.status)
        for u in rated
    ]
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
    return charts.ranking_charts(
        bars=bars,
        title=title,
        subtitle=subtitle,
        legend=legend,
        warning=ind.warning,
        critical=ind.critical,
        page_label=_("image {page}/{pages}"),
        per_image=per_image,
    )


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


# --- a unit's history ----------------------------------------------------------------------


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


# --- scheduled group summaries ------------------------------------------------------------


def week_label(moment: dt.datetime, tz: ZoneInfo) -> str:
    """ISO week of a moment in the bot's zone, e.g. '2026-W26'."""
    year, week, _day = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def summary_key(chat_id: int, indicator_code: str, period_id: int, week: str) -> str:
    """Dedupe key of a scheduled summary."""
    return f"summary:{chat_id}:{indicator_code}:{period_id}:{week}"


def _sent_this_week(session: Session, chat_id: int, indicator_code: str, week: str) -> bool:
    """Whether a scheduled summary of this indicator already went to this chat this week."""
    pattern = f"summary:{chat_id}:{indicator_code}:%:{week}"
    found = session.exec(
        select(OutboxMessage.id).where(col(OutboxMessage.dedupe_key).like(pattern)).limit(1)
    ).first()
    return found is not None


@dataclass(frozen=True)
class Rendered:
    """A summary's message and chart images in one language."""

    summary: Summary
    text: str
    images: tuple[bytes, ...]


def render(summary: Summary) -> Rendered:
    """Text and charts of a summary in the current language."""
    return Rendered(summary, summary_text(summary), tuple(summary_charts(summary)))


def summary_pushes(
    *, chat_id: int, key: str, rendered: Rendered, not_before: dt.datetime | None = None
) -> list[outbox.Push]:
    """The text, then each chart image, as outbox pushes."""
    pushes = [
        outbox.Push(
            key=key,
            chat_id=chat_id,
            text=rendered.text,
            kind=SUMMARY_KIND,
            priority=outbox.PRIORITY_SUMMARY,
            not_before=not_before,
        )
    ]
    pages = len(rendered.images)
    for page, image in enumerate(rendered.images, start=1):
        pushes.append(
            outbox.Push(
                key=f"{key}:img{page}",
                chat_id=chat_id,
                text=chart_caption(rendered.summary, page, pages),
                kind=SUMMARY_KIND,
                priority=outbox.PRIORITY_SUMMARY,
                not_before=not_before,
                photo=image,
            )
        )
    return pushes


@dataclass(frozen=True)
class ScheduledRun:
    """What one scheduled run queued."""

    groups: int
    summaries: int
    rows: int


def enqueue_group_summaries(
    *,
    session: Session,
    standings: StandingsCache,
    now: dt.datetime,
    tz: ZoneInfo,
    language: str,
) -> ScheduledRun:
    """Queue this week's summary for every subscribed group, at most once per week and
    indicator (re-running the job, or a restart, queues nothing new). Caller commits."""
    week = week_label(now, tz)
    subs = groups.subscribed_groups(session=session)
    codes = indicators_with_data(session=session)
    cache: dict[tuple[int | None, str], Rendered | None] = {}
    pushes: list[outbox.Push] = []
    summaries = 0
    with use_language(language):
        for sub in subs:
            for code in codes:
                if _sent_this_week(session, sub.chat_id, code, week):
                    continue
                cache_key = (sub.area_unit_id, code)
                if cache_key not in cache:
                    summary = load_summary(
                        session=session,
                        standings=standings,
                        area_unit_id=sub.area_unit_id,
                        indicator_code=code,
                    )
                    cache[cache_key] = render(summary) if summary and summary.rated else None
                rendered = cache[cache_key]
                if rendered is None:
                    continue
                key = summary_key(sub.chat_id, code, rendered.summary.period.id, week)
                pushes.extend(summary_pushes(chat_id=sub.chat_id, key=key, rendered=rendered))
                summaries += 1
    # Writes come last: rendering above only reads, so it never holds the database's write lock.
    outbox.prune_attachments(session=session, older_than=now - dt.timedelta(days=14))
    rows = outbox.enqueue_many(session=session, pushes=pushes)
    logger.info(
        "Scheduled summaries for week %s: %d summaries to %d groups (%d rows)",
        week,
        summaries,
        len(subs),
        rows,
    )
    return ScheduledRun(groups=len(subs), summaries=summaries, rows=rows)
