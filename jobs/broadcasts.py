"""Repeating job: edit each running broadcast's progress message until it is done."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlmodel import Session
from telegram.error import BadRequest, TelegramError

from bot.core.i18n import use_language
from bot.core.models import AppUser
from bot.core.runtime import Runtime
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

JOB_NAME = "broadcast-progress"
PROGRESS_INTERVAL = 3.0  # seconds; Telegram allows editing a message about once a second


@dataclass(frozen=True)
class _Progress:
    """One running broadcast's progress message, as it should read now."""

    broadcast_id: int
    chat_id: int | None
    message_id: int | None
    text: str
    done: bool


def _progress(runtime: Runtime) -> list[_Progress]:
    """The progress texts of the unfinished broadcasts (in a worker thread: counting the
    outbox and the acknowledgements of 10,000 recipients takes a while)."""
    # the broadcasts' service loads at the first progress update, not at start-up
    from bot.broadcasts import service as broadcasts

    found: list[_Progress] = []
    with Session(runtime.engine) as session:
        for b in broadcasts.unfinished_with_progress(session=session):
            assert b.id is not None
            st = broadcasts.status(session=session, broadcast_id=b.id)
            if st is None:
                continue
            creator = session.get(AppUser, b.created_by) if b.created_by else None
            language = (creator and creator.language) or runtime.settings.default_language
            with use_language(language):
                text = broadcasts.progress_text(b.id, st.counts, b.recipients, done=st.done)
            found.append(_Progress(b.id, b.progress_chat_id, b.progress_message_id, text, st.done))
    return found


def _finish(runtime: Runtime, broadcast_ids: list[int]) -> None:
    """Mark broadcasts whose last message went out as finished."""
    # the broadcasts' service loads at the first progress update, not at start-up
    from bot.broadcasts import service as broadcasts

    with Session(runtime.engine) as session:
        for broadcast_id in broadcast_ids:
            broadcasts.mark_finished(session=session, broadcast_id=broadcast_id)


async def update_progress(context: BotContext) -> None:
    """For every unfinished broadcast with a progress message: show the counts; finish it.
    An idle bot does not look again until something was committed (no thread, no query)."""
    runtime = context.bot_data.runtime
    shown = context.bot_data.progress_texts
    finished: list[int] = []
    version = runtime.reader.version()  # SQLite: changes with every commit; PostgreSQL: None
    if version is not None and version == context.bot_data.progress_quiet_at:
        return  # no broadcast was running, and nobody has written anything since
    found = await asyncio.to_thread(_progress, runtime)
    context.bot_data.progress_quiet_at = None if found else version
    for p in found:
        if shown.get(p.broadcast_id) != p.text:
            try:
                await context.bot.edit_message_text(
                    p.text, chat_id=p.chat_id, message_id=p.message_id
                )
            except BadRequest as exc:  # deleted message, "not modified" …
                logger.info("Progress of broadcast %s not shown: %s", p.broadcast_id, exc)
            except TelegramError as exc:  # try again at the next tick
                logger.warning("Progress of broadcast %s: %s", p.broadcast_id, exc)
                continue
            shown[p.broadcast_id] = p.text
        if p.done:
            finished.append(p.broadcast_id)
            shown.pop(p.broadcast_id, None)
    if finished:
        await asyncio.to_thread(_finish, runtime, finished)


def schedule(app: KysoApp) -> None:
    """Run the progress job every few seconds (it does nothing while nothing is sending)."""
    if app.job_queue is None:
        return
    app.job_queue.run_repeating(
        update_progress,
        interval=PROGRESS_INTERVAL,
        first=PROGRESS_INTERVAL,
        name=JOB_NAME,
        job_kwargs={"id": JOB_NAME, "replace_existing": True, "coalesce": True},
    )
