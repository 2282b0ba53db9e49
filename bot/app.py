"""The application factory: the one place that wires settings, database and handlers."""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.db import create_db_engine, init_db
from bot.runtime import Runtime
from handlers.common import RUNTIME_KEY, BotContext
from handlers.start import bot_commands

logger = logging.getLogger(__name__)


class MissingTokenError(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Publish the command menu in every supported language."""
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    specs = handlers.all_commands()
    for language in SUPPORTED_LANGUAGES:
        await app.bot.set_my_commands(bot_commands(specs, language), language_code=language)
    await app.bot.set_my_commands(bot_commands(specs, rt.settings.default_language))


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
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_file_url or ""
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    app = builder.build()
    if engine is None:
        engine = create_db_engine(settings.database_url)
    init_db(engine)
    app.bot_data[RUNTIME_KEY] = Runtime(settings=settings, engine=engine)
    handlers.register_all(app)
    return app
