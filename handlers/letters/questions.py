"""Questions answered from the letters: /hoi, /ask and plain questions in a private chat."""

from __future__ import annotations

import asyncio

from sqlmodel import Session
from telegram import Message, Update
from telegram.ext import filters

from handlers.context import BotContext

# Imported inside the functions that use them: the letters' modules load at first use, not at start-
# up.


class Question(filters.MessageFilter):
    """Plain text that asks something (rate questions were taken by /tyle's handler)."""

    def filter(self, message: Message) -> bool:
        """A question or a message naming what the letters deal with."""
        from bot.letters.intents import looks_like_question

        text = message.text
        if not text:
            return False
        return looks_like_question(text)


async def answer(update: Update, context: BotContext, question: str) -> None:
    """Reply with the passages that answer, or say the letters do not cover it."""
    from bot.letters import texts

    message = update.effective_message
    assert message is not None
    rt = context.runtime
    # The citations' index too (bot.features.LettersLink): one per process, made, and its
    # modules (search, ranking: ~30 ms of imports) loaded, at the first question or citation.
    library = context.bot_data.letter_library

    def work() -> str:
        from bot.letters.answers import ask  # loaded with the library

        with Session(rt.engine) as session:
            return texts.answer_text(ask(session=session, library=library(), question=question))

    await message.reply_text(await asyncio.to_thread(work))


async def ask_command(update: Update, context: BotContext) -> None:
    """/hoi and /ask."""
    from bot.letters import texts

    message = update.effective_message
    assert message is not None
    question = " ".join(context.args or [])
    if not question.strip():
        await message.reply_text(texts.ask_usage_text())
        return
    await answer(update, context, question)


async def question_text(update: Update, context: BotContext) -> None:
    """A question typed in a private chat."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await answer(update, context, update.effective_message.text)
