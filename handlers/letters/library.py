"""The letters library: /vanban (/letters), retiring a letter and linking a deadline to a
letter's item (/cancu, secretariat)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.db import session_scope
from handlers.commands import refusal_text
from handlers.context import BotContext
from handlers.letters.adding import CALLBACK_PREFIX

if TYPE_CHECKING:
    from bot.letters.service import LetterView

# Imported inside the functions that use them: the letters' modules load at first use, not at start-
# up.

logger = logging.getLogger(__name__)


async def list_command(update: Update, context: BotContext) -> None:
    """/vanban and /letters: the library (retire buttons for the secretariat)."""
    from bot.letters import service, texts

    message = update.effective_message
    assert message is not None
    secretariat = context.require_viewer().is_secretariat
    rt = context.runtime

    def load() -> list[LetterView]:
        with Session(rt.engine) as session:
            return service.list_letters(session=session)

    views = await asyncio.to_thread(load)
    markup = None
    if secretariat and views:
        buttons = [
            InlineKeyboardButton(
                texts.retire_label(v.id), callback_data=f"{CALLBACK_PREFIX}:rt:{v.id}"
            )
            for v in views[:40]
        ]
        markup = InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
    await message.reply_text(texts.list_text(views, secretariat=secretariat), reply_markup=markup)


def retire_keyboard(letter_id: int) -> InlineKeyboardMarkup:
    """Yes, retire / No, keep."""
    from bot.letters import texts

    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.yes_retire_label(), callback_data=f"{CALLBACK_PREFIX}:ry:{letter_id}"
                ),
                InlineKeyboardButton(
                    texts.no_keep_label(), callback_data=f"{CALLBACK_PREFIX}:rn:{letter_id}"
                ),
            ]
        ]
    )


async def on_retire_button(update: Update, context: BotContext) -> None:
    """Retire a letter: ask (rt), then do it (ry) or not (rn); secretariat only, every press."""
    from bot.letters import texts

    query = update.callback_query
    assert query is not None and query.data is not None
    if not context.require_viewer().is_secretariat:
        await query.answer(refusal_text(), show_alert=True)
        return
    _prefix, action, raw_id = query.data.split(":")
    letter_id = int(raw_id)
    if action == "rn":
        await query.answer()
        await query.edit_message_text(texts.keep_text())
    elif action == "rt":
        await _ask_retire(query, context, letter_id)
    else:
        await _retire(query, context, letter_id)


async def _ask_retire(query: CallbackQuery, context: BotContext, letter_id: int) -> None:
    """Which letter, and are you sure?"""
    from bot.letters import service, texts
    from bot.letters.service import LetterError

    rt = context.runtime

    def load() -> LetterView | None:
        with Session(rt.engine) as session:
            return service.get_letter(session=session, letter_id=letter_id)

    view = await asyncio.to_thread(load)
    if view is None:
        await query.answer(LetterError("not_found", id=letter_id).message(), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(
        texts.retire_question(view), reply_markup=retire_keyboard(letter_id)
    )


async def _retire(query: CallbackQuery, context: BotContext, letter_id: int) -> None:
    """Retire it: it is no longer searched."""
    from bot.letters import service, texts
    from bot.letters.service import LetterError

    rt = context.runtime
    user = query.from_user

    def retire() -> LetterView:
        with session_scope(rt.engine) as session:
            return service.retire_letter(session=session, letter_id=letter_id, actor=user.id)

    try:
        view = await asyncio.to_thread(retire)
    except LetterError as exc:
        await query.answer(exc.message(), show_alert=True)
        return
    logger.info("Letter %s retired by %s", letter_id, user.id)
    await query.answer()
    await query.edit_message_text(texts.retired_text(view))


async def link_command(update: Update, context: BotContext) -> None:
    """/cancu DEADLINE LETTER ITEM (/basis): a deadline's reminders cite that item."""
    from bot.letters import texts
    from bot.letters.service import LetterError

    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 3 or not args[0].isdigit() or not args[1].isdigit() or len(args[2]) > 20:
        await message.reply_text(texts.link_usage_text())
        return
    deadline_id, letter_id, label = int(args[0]), int(args[1]), args[2].strip().lower()
    rt = context.runtime
    actor = context.require_viewer().telegram_id

    def link() -> str:
        # The basis module brings the letters' search (~30 ms of imports): loaded at first use.
        from bot.letters.basis import link_item

        with session_scope(rt.engine) as session:
            basis = link_item(
                session=session,
                deadline_id=deadline_id,
                letter_id=letter_id,
                label=label,
                actor=actor,
            )
            return texts.linked_text(deadline_id, basis)

    try:
        text = await asyncio.to_thread(link)
    except LetterError as exc:
        await message.reply_text(exc.message())
        return
    logger.info("Deadline %s linked to letter %s item %s", deadline_id, letter_id, label)
    await message.reply_text(text)
