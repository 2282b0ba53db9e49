"""The application factory: the one place that wires settings, database and handlers."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.db import create_db_engine, init_db
from bot.groups import migrate_chat
from bot.runtime import Runtime
from handlers.common import RUNTIME_KEY, BotContext
from handlers.start import bot_commands
from jobs import reminders
from jobs.sender import Limits, OutboxSender

logger = logging.getLogger(__name__)


class MissingTokenError(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


SENDER_KEY = "outbox_sender"
SENDER_TASK_KEY = "outbox_sender_task"


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Publish the command menus, recover the outbox and start the sender."""
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    specs = handlers.all_commands()
    for language in SUPPORTED_LANGUAGES:
        await app.bot.set_my_commands(bot_commands(specs, language), language_code=language)
    await app.bot.set_my_commands(bot_commands(specs, rt.settings.default_language))
    sender: OutboxSender = app.bot_data[SENDER_KEY]
    sender.recover()
    await reminders.on_startup(app)
    app.bot_data[SENDER_TASK_KEY] = asyncio.create_task(sender.run(), name="outbox-sender")


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    """Let in-flight sends finish, then stop the sender."""
    task: asyncio.Task[None] | None = app.bot_data.pop(SENDER_TASK_KEY, None)
    if task is not None:
        app.bot_data[SENDER_KEY].stop()
        await task


def _move_group(session: Session, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup while we were sending to it: move its subscription."""
    migrate_chat(session=session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    engine: Engine | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the Application: bot, defaults, database, handlers (nothing runs yet)."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        raise MissingTokenError("TELEGRAM_BOT_TOKEN")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_file_url or ""
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # No AIORateLimiter: pushes are paced by the outbox sender, and replies to a user's own
    # question must never wait behind a broadcast.
    app = builder.build()
    if engine is None:
        engine = create_db_engine(settings.database_url)
    init_db(engine)
    sender = OutboxSender(
        engine=engine,
        bot=app.bot,
        limits=Limits(
            overall_per_second=settings.outbox_rate_per_second,
            concurrency=settings.outbox_concurrency,
        ),
        on_migrate=_move_group,
    )
    app.bot_data[SENDER_KEY] = sender
    runtime = Runtime(settings=settings, engine=engine, wake_sender=sender.wake)
    sender.clock = lambda: runtime.clock()
    app.bot_data[RUNTIME_KEY] = runtime
    handlers.register_all(app)
    return app
