"""/tyle (/rate), free-text rate questions and the unit-choice buttons."""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core.i18n import lazy_gettext
from bot.core.people import Viewer, unit_name
from bot.rates.intents import is_rate_question
from bot.rates.service import Answer, cached_answer, rate_answer, unit_rate_answer
from handlers.commands import ANYONE, CommandSpec
from handlers.common import extra_buttons
from handlers.context import BotContext, KysoApp
from handlers.replies import reply_lean

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
    """Answer with the report or a keyboard of matching units.

    The usual question is answered from the cached standings without a database session; a
    search, the overview or standings to rebuild after a change go to a worker thread, so
    10,000 units being ranked never hold up other chats.
    """
    rt = context.runtime
    viewer = context.require_viewer()
    answer = cached_answer(standings=rt.standings, viewer=viewer, query=query)
    if answer is None:
        answer = await asyncio.to_thread(_answer, context, viewer, query)
    assert update.effective_message is not None
    markup = answer_markup(answer, CALLBACK_PREFIX) or extra_buttons(update, context)
    await reply_lean(update.effective_message, answer.text, reply_markup=markup)


def _answer(context: BotContext, viewer: Viewer, query: str) -> Answer:
    """The answer with the database (in a worker thread)."""
    rt = context.runtime
    with Session(rt.engine) as session:
        return rate_answer(
            session=session,
            standings=rt.standings,
            viewer=viewer,
            query=query,
            basis=rt.links.rule_basis,
        )


async def rate_choice(update: Update, context: BotContext) -> None:
    """A unit button was pressed: show that unit's report in place of the keyboard."""
    query = update.callback_query
    assert query is not None and query.data is not None
    unit_id = int(query.data.split(":", 1)[1])
    viewer = context.require_viewer()
    answer = await asyncio.to_thread(_unit_answer, context, viewer, unit_id)
    await query.answer()
    await query.edit_message_text(answer.text)


def _unit_answer(context: BotContext, viewer: Viewer, unit_id: int) -> Answer:
    """A chosen unit's report (in a worker thread)."""
    rt = context.runtime
    with Session(rt.engine) as session:
        return unit_rate_answer(
            session=session,
            standings=rt.standings,
            viewer=viewer,
            unit_id=unit_id,
            unit_name=unit_name(session=session, unit_id=unit_id) or "",
            basis=rt.links.rule_basis,
        )


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
