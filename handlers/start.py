"""/start, /trogiup (/help; see handlers/guide.py) and hints for what the bot missed."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.core.i18n import _, lazy_gettext
from bot.core.roles import ROLE_LABELS
from handlers import guide
from handlers.commands import ANYONE, CommandSpec, command_name
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)


async def start(update: Update, context: BotContext) -> None:
    """Redeem an invitation code (/start CODE, deep links), else greet the user."""
    payload = context.bot_data.start_payload
    if context.args and payload is not None:
        await payload(update, context, " ".join(context.args))
        return
    viewer = context.require_viewer()
    user = update.effective_user
    assert update.effective_message is not None and user is not None
    name = escape(user.full_name)
    if viewer.role is not None and (viewer.unit_name or viewer.is_secretariat):
        role = ROLE_LABELS[viewer.role]
        if viewer.unit_name:
            who = _("Hello {name}! You are registered with <b>{unit}</b> as {role}.").format(
                name=name, unit=escape(viewer.unit_name), role=role
            )
        else:
            who = _("Hello {name}! You are registered as {role}.").format(name=name, role=role)
        text = who + "\n\n" + guide.help_text(context)
    elif viewer.is_secretariat:
        text = _("Hello {name}! You are an administrator of the secretariat.").format(name=name)
        text += "\n\n" + guide.help_text(context)
    else:
        text = _(
            "Hello {name}! I follow the digital signing of electronic documents for your unit: "
            "your signing rate, deadlines and reminders.\n\n"
            "You are not linked to a unit yet. Open the invitation link the secretariat sent "
            "you, or send them your Telegram ID <code>{telegram_id}</code>."
        ).format(name=name, telegram_id=user.id)
    markup = guide.help_markup(context, user.id) if viewer.role or viewer.is_secretariat else None
    await update.effective_message.reply_text(text, reply_markup=markup)


async def help_command(update: Update, context: BotContext) -> None:
    """/trogiup and /help: the person's most used commands and one button per topic."""
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_text(
        guide.help_text(context),
        reply_markup=guide.help_markup(context, update.effective_user.id),
    )


async def fallback(update: Update, context: BotContext) -> None:
    """Text in a private chat that no feature understood."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        _("I did not understand that. Type /rate for your signing rate or /help for help.")
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have: suggest the closest one this person may use."""
    assert update.effective_message is not None
    typed = command_name(update, context.bot.username)
    suggestion = guide.closest_command(context, typed) if typed else None
    if suggestion is None:
        text = _("Unknown command. Type /help to see what I can do.")
    else:
        text = _("Unknown command. Did you mean {command}? Type /help to see what I can do.")
        text = text.format(command=suggestion)
    await update.effective_message.reply_text(text)


COMMANDS = (
    CommandSpec(
        names=("trogiup", "help"),
        description=lazy_gettext("help for your role"),
        allowed=ANYONE,
        callback=help_command,
        menu_vi="trogiup",
        menu_en="help",
    ),
    CommandSpec(
        names=("start",),
        description=lazy_gettext("start, or open an invitation link"),
        allowed=ANYONE,
        callback=start,
        menu_vi="start",
        menu_en="start",
    ),
)


def register(app: KysoApp) -> None:
    """Greeting, help and its buttons, and the private-chat fallbacks (after every feature)."""
    guide.register(app)
    # Catch-alls: last in group 0, so they only see what no feature handler took.
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, fallback)
    )
