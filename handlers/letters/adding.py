"""Adding a letter: /vanban_them, the letter's file, its preview, and the "letters" dialog
(the next text file is a letter; a preview field waiting for its corrected value)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import filters

from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog, current_dialog
from bot.core.text import fold
from handlers.commands import refusal_text
from handlers.context import BotContext, KysoApp
from handlers.dialogs import DialogFeature, State, ask, current_of, end

if TYPE_CHECKING:
    from bot.letters.service import LetterView

# Imported inside the functions that use them: the letters' modules load at first use, not at start-
# up.

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "lt"  # lt:ok|no:<token>, lt:ed:<field>:<token>, lt:rt|ry|rn:<letter id>
FEATURE = "letters"
# The dialog's states: /vanban_them announced a file (no data); a preview field waits for its
# value (data: the preview's token and the field).
FILE, FIELD = "file", "field"
WAIT = dt.timedelta(minutes=15)
LETTER_SUFFIXES = frozenset({".docx", ".pdf"})  # and bot.letters.reading.OLD_WORD_EXTENSIONS
CAPTION_WORDS = ("van ban", "vanban", "cong van", "letter", "addletter")


class LetterFile(filters.MessageFilter):
    """A document that is a letter: Word or PDF, or text captioned as a letter or announced
    with /vanban_them (a text file otherwise is a statistics table for /nhap)."""

    def __init__(self, app: KysoApp) -> None:
        """The announced file is read from the application's dialog store."""
        super().__init__(name="LetterFile")
        self._app = app

    def filter(self, message: Message) -> bool:
        """Decide by extension, caption, or an announced letter."""
        from bot.letters.reading import OLD_WORD_EXTENSIONS, TEXT_EXTENSIONS

        document = message.document
        if document is None:
            return False
        suffix = PurePath(document.file_name or "").suffix.lower()
        if suffix in LETTER_SUFFIXES or suffix in OLD_WORD_EXTENSIONS:
            return True
        if suffix not in TEXT_EXTENSIONS:
            return False
        caption = f" {fold(message.caption or '')} "
        if any(f" {word} " in caption for word in CAPTION_WORDS):
            return True
        return message.from_user is not None and self._announced(message.from_user.id)

    def _announced(self, telegram_id: int) -> bool:
        """Whether this person's open dialog is /vanban_them waiting for the file."""
        rt = self._app.bot_data.runtime
        with Session(rt.engine) as session:
            dialog = current_dialog(session=session, telegram_id=telegram_id, now=rt.clock())
        return dialog is not None and dialog.is_(FEATURE, FILE)


async def add_command(update: Update, context: BotContext) -> None:
    """/vanban_them and /addletter: the next file is a letter."""
    from bot.letters import texts

    message = update.effective_message
    assert message is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(refusal_text())
        return
    ask(context, FEATURE, FILE)
    await message.reply_text(texts.add_help_text(context.runtime.settings.max_upload_bytes))


def preview_keyboard(token: str) -> InlineKeyboardMarkup:
    """Add / Cancel, and a button per field to correct."""
    from bot.letters import texts
    from bot.letters.service import FIELDS

    edit = [
        InlineKeyboardButton(
            str(texts.FIELD_LABELS[field]), callback_data=f"{CALLBACK_PREFIX}:ed:{field}:{token}"
        )
        for field in FIELDS
    ]
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.add_label(), callback_data=f"{CALLBACK_PREFIX}:ok:{token}"
                ),
                InlineKeyboardButton(
                    texts.cancel_label(), callback_data=f"{CALLBACK_PREFIX}:no:{token}"
                ),
            ],
            edit[:2],
            edit[2:],
        ]
    )


# --- the file -------------------------------------------------------------------------------


async def on_letter_file(update: Update, context: BotContext) -> None:
    """A letter's file: check it, read it in a worker thread, store a preview."""
    from bot.letters import service, texts
    from bot.letters.reading import LetterFileError, Limits, upload_problem
    from bot.letters.service import LetterError

    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.document is not None and user is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(texts.not_secretariat_text())
        return
    if current_of(context, FEATURE, FILE) is not None:
        end(context)  # the announced file came
    rt = context.runtime
    limits = Limits(max_bytes=rt.settings.max_upload_bytes)
    name = PurePath(message.document.file_name or "letter.txt").name
    problem = upload_problem(name, message.document.file_size, limits)
    if problem is not None:
        await message.reply_text(problem.message())
        return
    status = await message.reply_text(texts.reading_text())
    try:
        data = bytes(await (await message.document.get_file()).download_as_bytearray())
    except TelegramError:
        logger.warning("Could not download %r", name, exc_info=True)
        await status.edit_text(texts.download_failed_text(name))
        return

    def stage() -> LetterView:
        prepared = service.prepare(data, name, limits)  # reading: no transaction open
        with session_scope(rt.engine) as session:
            return service.stage_letter(session=session, prepared=prepared, telegram_id=user.id)

    try:
        view = await asyncio.to_thread(stage)
    except (LetterFileError, LetterError) as exc:
        await status.edit_text(exc.message())
        return
    assert view.token is not None
    logger.info("Letter preview for %s: %r", user.id, name)
    await status.edit_text(texts.preview_text(view), reply_markup=preview_keyboard(view.token))


# --- the preview ----------------------------------------------------------------------------


async def on_preview_button(update: Update, context: BotContext) -> None:
    """Add, Cancel or a field to correct, under a preview."""
    from bot.letters import service, texts
    from bot.letters.service import LetterError

    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    if not context.require_viewer().is_secretariat:
        await query.answer(refusal_text(), show_alert=True)
        return
    parts = query.data.split(":")
    action, token = parts[1], parts[-1]
    rt = context.runtime
    try:
        if action == "ed":
            await _ask_field(query, context, parts[2], token)
            return
        if action == "no":
            await asyncio.to_thread(
                _in_transaction, rt.engine, service.cancel_letter, token, user.id
            )
            await query.answer()
            await query.edit_message_text(texts.cancelled_text())
            return
        view = await asyncio.to_thread(
            _in_transaction, rt.engine, service.confirm_letter, token, user.id
        )
    except LetterError as exc:
        await query.answer(exc.message(), show_alert=True)
        return
    logger.info("Letter %s added by %s", view.id, user.id)
    await query.answer()
    await query.edit_message_text(texts.added_text(view))


def _in_transaction(engine: Any, action: Any, token: str, telegram_id: int) -> Any:
    """Run a preview action in one short transaction."""
    with session_scope(engine) as session:
        return action(session=session, token=token, telegram_id=telegram_id)


async def _ask_field(query: CallbackQuery, context: BotContext, field: str, token: str) -> None:
    """Ask for a field's corrected value (the preview must still be open and the presser's)."""
    from bot.letters import service, texts
    from bot.letters.service import FIELDS, LetterError

    user = query.from_user
    rt = context.runtime

    def check() -> None:
        with Session(rt.engine) as session:
            service.preview(session=session, token=token, telegram_id=user.id)

    await asyncio.to_thread(check)
    if field not in FIELDS:
        raise LetterError("bad_field")
    ask(context, FEATURE, FIELD, {"token": token, "field": field})
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply_text(texts.field_prompt(field))


async def on_field_text(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The corrected value of a preview field (a wrong value or date is asked again)."""
    from bot.letters import service, texts
    from bot.letters.service import LetterError

    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.text is not None and user is not None
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        return
    end(context)
    if not context.require_viewer().is_secretariat:
        return
    rt = context.runtime

    def edit() -> LetterView:
        with session_scope(rt.engine) as session:
            return service.edit_pending(
                session=session,
                token=dialog.data["token"],
                telegram_id=user.id,
                field=dialog.data["field"],
                value=message.text or "",
            )

    try:
        view = await asyncio.to_thread(edit)
    except LetterError as exc:
        await message.reply_text(exc.message())
        if exc.code in ("bad_value", "bad_date"):
            ask(context, FEATURE, FIELD, dialog.data)
        return
    assert view.token is not None
    await message.reply_text(
        texts.field_saved_text() + "\n\n" + texts.preview_text(view),
        reply_markup=preview_keyboard(view.token),
    )


DIALOG = DialogFeature(
    feature=FEATURE, states={FILE: State(), FIELD: State(on_text=on_field_text)}, ttl=WAIT
)
