"""The one error handler: log with traceback, apologise to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import RetryAfter

from bot.core import messages
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the user politely, in their language."""
    metrics = context.runtime.metrics
    if isinstance(context.error, RetryAfter):  # a reply hit Telegram's flood limit
        metrics.note_reply_flood_wait()
        logger.warning("Reply refused by Telegram: %s", context.error)
        return
    metrics.errors.inc()
    logger.error("Unhandled error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, messages.error_apology())
        except Exception:
            logger.warning("Could not send the apology", exc_info=True)


def register(app: KysoApp) -> None:
    """Install the error handler."""
    app.add_error_handler(on_error)
