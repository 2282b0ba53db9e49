"""The weekly group summaries: this week's summary for every subscribed group, queued once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.core import outbox
from bot.core.audiences import subscribed_groups
from bot.core.i18n import use_language
from bot.core.models import OutboxMessage
from bot.core.stats import StandingsCache
from bot.summaries.figures import indicators_with_data, load_summary
from bot.summaries.texts import Rendered, chart_caption, render

logger = logging.getLogger(__name__)

SUMMARY_KIND = "summary"


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
    subs = subscribed_groups(session=session)
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
