"""/bangdieukhien (/dashboard): the Mini App's button, a login link, the menu button."""

from __future__ import annotations

import logging
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core.config import Settings
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime, lazy_gettext
from bot.dashboard import auth
from bot.dashboard.serving import Outgoing, Sender
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.common import private_only
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

MENU_JOB = "dashboard-menu-buttons"


def app_url(settings: Settings) -> str | None:
    """The page's public address when the dashboard is on and has one."""
    if not settings.dashboard_enabled or not settings.dashboard_url:
        return None
    return settings.dashboard_url


def web_app_url(settings: Settings) -> str | None:
    """The address Telegram may open as a Mini App (https only)."""
    url = app_url(settings)
    return url if url is not None and url.startswith("https://") else None


def menu_button(settings: Settings) -> MenuButtonWebApp | None:
    """The chat's "📊 Dashboard" menu button (in the current language)."""
    url = web_app_url(settings)
    if url is None:
        return None
    return MenuButtonWebApp(text=_("📊 Dashboard"), web_app=WebAppInfo(url=url))


def web_app_markup(update: Update, context: BotContext) -> InlineKeyboardMarkup | None:
    """A "📊 Open the dashboard" button for officials and the secretariat in a private chat."""
    url = web_app_url(context.runtime.settings)
    chat = update.effective_chat
    viewer = context.viewer
    if url is None or chat is None or chat.type != ChatType.PRIVATE or viewer is None:
        return None
    if not viewer.is_secretariat and (viewer.role is None or viewer.unit_id is None):
        return None
    button = InlineKeyboardButton(_("📊 Open the dashboard"), web_app=WebAppInfo(url=url))
    return InlineKeyboardMarkup([[button]])


async def dashboard_command(update: Update, context: BotContext) -> None:
    """A single-use login link for a browser and the button that opens the Mini App."""
    message = update.effective_message
    assert message is not None
    if not await private_only(update, contact_data=False):
        return
    rt = context.runtime
    url = app_url(rt.settings)
    if not rt.settings.dashboard_enabled:
        await message.reply_text(_("The dashboard is turned off (DASHBOARD_ENABLED)."))
        return
    if url is None:
        await message.reply_text(
            _("The dashboard has no public address yet: the operator sets DASHBOARD_URL.")
        )
        return
    viewer = context.require_viewer()
    try:
        with session_scope(rt.engine) as session:
            code = auth.create_login_link(
                session=session, telegram_id=viewer.telegram_id, now=rt.clock()
            )
    except auth.TooManyLinks as exc:
        await message.reply_text(
            _("Too many login links lately. Ask again after {time}.").format(
                time=fmt_datetime(exc.retry_at)
            )
        )
        return
    link = f"{url}#login={code}"
    text = "\n".join(
        [
            _("📊 <b>Dashboard</b>: every unit, deadlines and announcements on one page."),
            _("In Telegram: the button below, or the menu button next to the message field."),
            _(
                "On a computer: open this link in a browser. It works once, within {minutes} "
                "minutes; do not share it:"
            ).format(minutes=int(auth.LINK_TTL.total_seconds() // 60)),
            f'<a href="{escape(link)}">{escape(link)}</a>',
        ]
    )
    await message.reply_text(text, reply_markup=web_app_markup(update, context))
    button = menu_button(rt.settings)
    if button is not None and update.effective_chat is not None:
        try:
            await context.bot.set_chat_menu_button(
                chat_id=update.effective_chat.id, menu_button=button
            )
        except TelegramError as exc:
            logger.info("Could not set the dashboard menu button: %s", exc)


def file_sender(app: KysoApp) -> Sender:
    """How the dashboard has the bot send a file to a viewer's private chat."""

    async def send(out: Outgoing) -> None:
        """By Telegram file_id (explanation reports) or as bytes (the workbook)."""
        caption = escape(out.caption) if out.caption else None
        if out.file_id is not None and out.kind == "photo":
            await app.bot.send_photo(chat_id=out.chat_id, photo=out.file_id, caption=caption)
        elif out.file_id is not None:
            await app.bot.send_document(chat_id=out.chat_id, document=out.file_id, caption=caption)
        else:
            document = InputFile(out.data or b"", filename=out.filename)
            await app.bot.send_document(chat_id=out.chat_id, document=document, caption=caption)

    return send


COMMANDS = (
    CommandSpec(
        names=("bangdieukhien", "dashboard"),
        description=lazy_gettext("the dashboard: every unit, deadlines and announcements"),
        allowed=SECRETARIAT,
        callback=dashboard_command,
    ),
)


def register(app: KysoApp) -> None:
    """Nothing beyond the command (the menu buttons are jobs.dashboard's)."""
