"""Shortly after start-up: the "📊 Dashboard" menu button in every secretariat member's chat."""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import Session
from telegram.error import TelegramError

from bot.core.i18n import use_language
from bot.core.runtime import Runtime
from handlers.context import BotContext, KysoApp
from handlers.dashboard import MENU_JOB, menu_button, web_app_url

logger = logging.getLogger(__name__)


def _members(runtime: Runtime) -> list[tuple[int, str | None]]:
    """Who gets the button, and in which language."""
    # the dashboard's API loads at the first menu update, not at start-up
    from bot.dashboard.api import secretariat_members

    with Session(runtime.engine) as session:
        return secretariat_members(session=session, admin_ids=runtime.settings.admin_telegram_ids)


async def set_menu_buttons(context: BotContext) -> int:
    """setChatMenuButton for each member (someone who never started the bot is skipped)."""
    runtime: Runtime = context.bot_data.runtime
    done = 0
    for telegram_id, language in await asyncio.to_thread(_members, runtime):
        with use_language(language or runtime.settings.default_language):
            button = menu_button(runtime.settings)
        if button is None:
            return done
        try:
            await context.bot.set_chat_menu_button(chat_id=telegram_id, menu_button=button)
            done += 1
        except TelegramError as exc:
            logger.info("No dashboard menu button for %s: %s", telegram_id, exc)
        await asyncio.sleep(0.05)  # a few dozen members at most; stay far below the limits
    logger.info("Dashboard menu button set for %d secretariat members", done)
    return done


def schedule(app: KysoApp) -> None:
    """Set the secretariat's menu buttons soon after start-up (when the dashboard has a URL)."""
    if web_app_url(app.bot_data.runtime.settings) is not None and app.job_queue is not None:
        app.job_queue.run_once(set_menu_buttons, when=5, name=MENU_JOB)
