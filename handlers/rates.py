"""/tyle (/rate), free-text rate questions and the unit-choice buttons."""

from __future__ import annotations

import logging

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core.i18n import lazy_gettext
from bot.core.people import unit_name
from bot.rates.intents import is_rate_question
from bot.rates.service import Answer, rate_answer, unit_rate_answer
from handlers.commands import ANYONE, CommandSpec
from handlers.common import extra_buttons
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "rate"


def answer_markup(answer: Answer, prefix: str) -> InlineKeyboardMarkup | None:
    """One button per choice, callback data '<prefix>:<unit id>' (well under 64 bytes)."""
    if not answer.choices:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(c.name, callback_data=f"{prefix}:{c.id}")] for c in answer.choices]
    )


class _RateQuestion(filters.MessageFilter):
    """Text messages that ask for the signing rate."""

    def filter(self, message: object) -> bool:
        """Match on the folded text."""
        text = getattr(message, "text", None)
        if not text:
            return False
        return is_rate_question(text)


async def rate_command(update: Update, context: BotContext) -> None:
    """/tyle [unit name]."""
    await _reply(update, context, " ".join(context.args or []))


async def rate_text(update: Update, context: BotContext) -> None:
    """Free text such as 'tỷ lệ ký số của tôi'."""
    await _reply(update, context, "")


async def _reply(update: Update, context: BotContext, query: str) -> None:
    """Answer with the report or a keyboard of matching units."""
    rt = context.runtime
    with Session(rt.engine) as session:
        answer = rate_answer(
            session=session,
            standings=rt.standings,
            viewer=context.require_viewer(),
            query=query,
            basis=rt.links.rule_basis,
        )
    assert update.effective_message is not None
    markup = answer_markup(answer, CALLBACK_PREFIX) or extra_buttons(update, context)
    await update.effective_message.reply_text(answer.text, reply_markup=markup)


async def rate_choice(update: Update, context: BotContext) -> None:
    """A unit button was pressed: show that unit's report in place of the keyboard."""
    query = update.callback_query
    assert query is not None and query.data is not None
    unit_id = int(query.data.split(":", 1)[1])
    rt = context.runtime
    with Session(rt.engine) as session:
        answer = unit_rate_answer(
            session=session,
            standings=rt.standings,
            viewer=context.require_viewer(),
            unit_id=unit_id,
            unit_name=unit_name(session=session, unit_id=unit_id) or "",
            basis=rt.links.rule_basis,
        )
    await query.answer()
    await query.edit_message_text(answer.text)


COMMANDS = (
    CommandSpec(
        names=("tyle", "rate"),
        description=lazy_gettext("your unit's signing rate, rank and what is still owed"),
        allowed=ANYONE,  # strangers get told how to get linked
        callback=rate_command,
        menu_vi="tyle",
        menu_en="rate",
    ),
)


def register(app: KysoApp) -> None:
    """Rate commands in vi and en, the free-text question and the choice buttons."""
    app.add_handler(CallbackQueryHandler(rate_choice, pattern=rf"^{CALLBACK_PREFIX}:\d+$"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & _RateQuestion(), rate_text))
