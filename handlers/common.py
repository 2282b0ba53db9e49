"""The middleware (who is asking, in which language, may they) and shared reply helpers."""

from __future__ import annotations

import functools
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.core.db import session_scope
from bot.core.i18n import _, normalize_language, set_language, set_timezone
from bot.core.logs import set_unit
from bot.core.outbox import mark_reachable
from bot.core.people import load_viewer
from handlers.commands import audience_of, command_name, refusal_for, refusal_text
from handlers.context import BotContext, HandlerCallback, HandlerGroup, KysoApp
from handlers.dispatch import dispatched_command

logger = logging.getLogger(__name__)


async def resolve_viewer(update: object, context: BotContext) -> None:
    """Look the sender up once per update, switch language and zone, enforce command rights."""
    rt = context.runtime
    set_timezone(rt.settings.tz)
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        set_language(rt.settings.default_language)
        return
    viewer = load_viewer(
        reader=rt.reader,
        telegram_id=user.id,
        admin_ids=rt.settings.admin_telegram_ids,
        cache=rt.viewers,
    )
    context.viewer = viewer
    chat = update.effective_chat if isinstance(update, Update) else None
    context.chat_id = chat.id if chat is not None else None
    set_unit(viewer.unit_id)
    if not viewer.reachable:  # they were marked unreachable, but here they are
        with session_scope(rt.engine) as session:
            mark_reachable(session=session, telegram_id=user.id)
    set_language(
        viewer.language or normalize_language(user.language_code) or rt.settings.default_language
    )
    assert isinstance(update, Update)
    message = update.message or update.edited_message
    if message is None:  # commands come in messages (a button's message is the bot's own)
        return
    # The rights of the command as kyso names it and as PTB's CommandHandlers see it: they
    # differ for '/moi@bot@x' (PTB runs /moi), which must not get past the check.
    name = command_name(update, context.bot.username)
    dispatched = dispatched_command(update)
    audience = audience_of(viewer)
    for typed in (name, dispatched) if dispatched != name else (name,):
        spec = context.bot_data.commands.get(typed) if typed else None
        if spec is not None and audience not in spec.allowed:
            logger.info("Refused /%s to %s (%s)", typed, user.id, audience.value)
            await message.reply_text(refusal_for(spec, audience))
            raise ApplicationHandlerStop


def secretariat_only(func: HandlerCallback) -> HandlerCallback:
    """Refuse a callback or non-command update unless the sender is in the secretariat."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> None:
        """Run the handler for the secretariat, refuse everyone else."""
        viewer = context.viewer
        if viewer is not None and viewer.is_secretariat:
            await func(update, context)
            return
        logger.info("Refused a secretariat action to %s", viewer and viewer.telegram_id)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal_text(), show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(refusal_text())

    return wrapper


async def private_only(update: Update, *, contact_data: bool = True) -> bool:
    """True in a private chat; elsewhere say why not (an alert on buttons) and return False."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    text = (
        _("Please use this in a private chat with me: it shows officials' contact data.")
        if contact_data
        else _("Please use this in a private chat with me.")
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
    return False


def register(app: KysoApp) -> None:
    """Install the per-update middleware before every other handler."""
    app.add_handler(TypeHandler(Update, resolve_viewer), group=HandlerGroup.MIDDLEWARE)


def extra_buttons(update: Update, context: BotContext) -> InlineKeyboardMarkup | None:
    """Buttons another feature puts under answers (the dashboard's), when linked."""
    link = context.bot_data.answer_buttons
    return link(update, context) if link is not None else None


def with_extra_buttons(
    markup: InlineKeyboardMarkup | None, update: Update, context: BotContext
) -> InlineKeyboardMarkup | None:
    """An answer's buttons with the linked extra buttons below them."""
    extra = extra_buttons(update, context)
    if extra is None:
        return markup
    if markup is None:
        return extra
    return InlineKeyboardMarkup([*markup.inline_keyboard, *extra.inline_keyboard])
