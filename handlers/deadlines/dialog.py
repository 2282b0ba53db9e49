"""The deadlines dialog: its states, opening and closing it, and how its steps answer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.core.dialogs import OpenDialog
from bot.core.i18n import _
from bot.core.outbox import split_text
from handlers import dialogs
from handlers.context import BotContext

FEATURE = "deadlines"
TTL = dt.timedelta(minutes=30)  # an unanswered question is forgotten after this


class DialogState(StrEnum):
    """Where the person's next message goes: one state per question the dialog can ask."""

    TEMPLATE = "create:template"  # a letter's deadline or one's own (buttons)
    TITLE = "create:title"
    DUE = "create:due"
    KIND = "create:kind"  # an explanation report or a signing rate (buttons)
    RATE = "create:rate"
    RATE_PERIOD = "create:rate_period"  # which figures count for the rate (buttons)
    AUDIENCE = "create:audience"  # which units: all, below a rate, a kind, an area (buttons)
    THRESHOLD = "create:threshold"  # units below which rate
    BELOW_PERIOD = "create:below_period"  # below the rate in which period (buttons)
    PLAN = "create:plan"
    CONFIRM = "create:confirm"  # the summary with the Create button
    EDIT_TITLE = "edit:title"
    EDIT_PLAN = "edit:plan"
    EDIT_DUE = "edit:due"
    MORE_NOTE = "more:note"  # what a unit should add to its report
    REPORT_PICK = "report:pick"  # which deadline the report is for (buttons)
    REPORT_COMPOSE = "report:compose"  # the report's text and file, then Submit


CREATING = tuple(state for state in DialogState if state.startswith("create:"))
REPORTING = (DialogState.REPORT_PICK, DialogState.REPORT_COMPOSE)


def now(context: BotContext) -> dt.datetime:
    """The runtime's clock."""
    return context.runtime.clock()


def move(context: BotContext, state: DialogState, data: dict[str, Any] | None = None) -> None:
    """Open the person's deadlines dialog at `state` (or move it there) with its data."""
    dialogs.ask(context, FEATURE, state, data)


def at(context: BotContext, *states: DialogState) -> OpenDialog | None:
    """The person's deadlines dialog if it is open (at one of `states`, if given)."""
    return dialogs.current_of(context, FEATURE, *states)


def end(context: BotContext) -> None:
    """Close the person's dialog (a step of ours is running: it is the deadlines dialog)."""
    dialogs.end(context)


def drop(context: BotContext) -> None:
    """Close the person's dialog if it is the deadlines dialog (another feature's stays)."""
    if at(context) is not None:
        dialogs.end(context)


def cancelled_text() -> str:
    """What /huy and the ✖ button say."""
    return _("Cancelled. Nothing was saved.")


async def say(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = False
) -> None:
    """Answer a button (editing its message if asked) or reply; long texts in several parts."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        if edit and len(text) <= 4096:
            await query.edit_message_text(text, reply_markup=markup)
            return
    message = update.effective_message
    assert message is not None
    parts = split_text(text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.reply_text(part, reply_markup=markup if last else None)


async def refuse(update: Update, text: str) -> None:
    """An alert on a button, a reply to a message."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def reply(update: Update, text: str) -> None:
    """Reply to the message being handled."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(text)


def button_parts(update: Update) -> list[str]:
    """The pressed button's data, split at the colons."""
    assert update.callback_query is not None and update.callback_query.data is not None
    return update.callback_query.data.split(":")


def button_id(update: Update, index: int = 2) -> int:
    """The number at a position of the button's data."""
    return int(button_parts(update)[index])


async def stale(update: Update) -> None:
    """A dialog button pressed after the dialog ended (restart, timeout, finished)."""
    query = update.callback_query
    assert query is not None
    await query.answer(
        _("This dialog has ended. Start again with /deadline_new or /explain."), show_alert=True
    )


async def cancel_button(update: Update, context: BotContext) -> None:
    """dl:x — the dialog's ✖ button (/huy is handlers.dialogs' and says the same)."""
    if at(context) is None:
        await stale(update)
        return
    dialogs.end(context)
    await say(update, cancelled_text(), edit=True)


async def use_the_buttons(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """Typed text while the dialog waits for a button."""
    await reply(update, _("Please use the buttons above, or /cancel to cancel."))
