"""Per-update context: who is asking, in which language; shared reply helpers."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackContext, ExtBot, TypeHandler

from bot.i18n import normalize_language, set_language, set_timezone
from bot.people import Viewer, load_viewer
from bot.queries import Answer
from bot.runtime import Runtime

logger = logging.getLogger(__name__)

RUNTIME_KEY = "runtime"
MIDDLEWARE_GROUP = -100


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):  # type: ignore[type-arg]
    """Callback context with the runtime and the resolved viewer."""

    viewer: Viewer | None = None

    @property
    def runtime(self) -> Runtime:
        """Settings, engine and caches of this application."""
        return self.application.bot_data[RUNTIME_KEY]  # type: ignore[no-any-return]

    def require_viewer(self) -> Viewer:
        """The viewer set by the middleware."""
        assert self.viewer is not None, "middleware did not run"
        return self.viewer


async def resolve_viewer(update: object, context: BotContext) -> None:
    """Look the sender up once per update and switch to their language and time zone."""
    rt = context.runtime
    set_timezone(rt.settings.tz)
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        set_language(rt.settings.default_language)
        return
    viewer = load_viewer(
        reader=rt.reader, telegram_id=user.id, admin_ids=rt.settings.admin_telegram_ids
    )
    context.viewer = viewer
    set_language(
        viewer.language or normalize_language(user.language_code) or rt.settings.default_language
    )


def answer_markup(answer: Answer, prefix: str) -> InlineKeyboardMarkup | None:
    """One button per choice, callback data '<prefix>:<unit id>' (well under 64 bytes)."""
    if not answer.choices:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(c.name, callback_data=f"{prefix}:{c.id}")] for c in answer.choices]
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Install the per-update middleware before every other handler."""
    app.add_handler(TypeHandler(Update, resolve_viewer), group=MIDDLEWARE_GROUP)
