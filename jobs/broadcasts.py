"""Repeating job: edit each running broadcast's progress message until it is done."""

from __future__ import annotations

import logging

from sqlmodel import Session
from telegram.error import BadRequest, TelegramError

from bot.broadcasts import service as broadcasts
from bot.core.i18n import set_language
from bot.core.models import AppUser
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

JOB_NAME = "broadcast-progress"
PROGRESS_INTERVAL = 3.0  # seconds; Telegram allows editing a message about once a second


async def update_progress(context: BotContext) -> None:
    """For every unfinished broadcast with a progress message: show the counts; finish it."""
    runtime = context.bot_data.runtime
    shown = context.bot_data.progress_texts
    with Session(runtime.engine) as session:
        running = broadcasts.unfinished_with_progress(session=session)
        for b in running:
            assert b.id is not None
            st = broadcasts.status(session=session, broadcast_id=b.id)
            if st is None:
                continue
            creator = session.get(AppUser, b.created_by) if b.created_by else None
            set_language((creator and creator.language) or runtime.settings.default_language)
            text = broadcasts.progress_text(b.id, st.counts, b.recipients, done=st.done)
            if shown.get(b.id) != text:
                try:
                    await context.bot.edit_message_text(
                        text, chat_id=b.progress_chat_id, message_id=b.progress_message_id
                    )
                except BadRequest as exc:  # deleted message, "not modified" …
                    logger.info("Progress of broadcast %s not shown: %s", b.id, exc)
                except TelegramError as exc:  # try again at the next tick
                    logger.warning("Progress of broadcast %s: %s", b.id, exc)
                    continue
                shown[b.id] = text
            if st.done:
                broadcasts.mark_finished(session=session, broadcast_id=b.id)
                shown.pop(b.id, None)


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
