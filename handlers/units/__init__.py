"""Unit administration for the secretariat: /donvi (list, search, card) and /donvi_them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.core.areas import parse_search
from bot.core.i18n import lazy_gettext
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.common import private_only
from handlers.context import BotContext, KysoApp
from handlers.dialogs import add_dialog
from handlers.units.buttons import UNIT_PATTERN, list_button, unit_button
from handlers.units.cards import show_list
from handlers.units.dialog import DIALOG, add_named, ask_new_unit


async def units_command(update: Update, context: BotContext) -> None:
    """/donvi [kind] [search text]."""
    if not await private_only(update):
        return
    kind, query = parse_search(" ".join(context.args or []))
    await show_list(update, context, 0, kind, query, edit=False)


async def add_command(update: Update, context: BotContext) -> None:
    """/donvi_them <name>; without a name, ask for it."""
    if not await private_only(update):
        return
    name = " ".join(context.args or [])
    if not name.strip():
        await ask_new_unit(update, context)
        return
    await add_named(update, context, name)


COMMANDS = (
    CommandSpec(
        names=("donvi", "units"),
        description=lazy_gettext("list, search and manage units"),
        allowed=SECRETARIAT,  # not in the menu: every user sees the menu
        callback=units_command,
    ),
    CommandSpec(
        names=("donvi_them", "addunit"),
        description=lazy_gettext("add a unit (type its name after the command)"),
        allowed=SECRETARIAT,
        callback=add_command,
    ),
)


def register(app: KysoApp) -> None:
    """The list and card buttons, and the typed answers (the "units" dialog)."""
    app.add_handler(CallbackQueryHandler(list_button, pattern=r"^ul:"))
    app.add_handler(CallbackQueryHandler(unit_button, pattern=UNIT_PATTERN))
    add_dialog(app, DIALOG)
