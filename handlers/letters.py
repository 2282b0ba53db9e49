"""Questions answered from the letters (/hoi, /ask, plain questions) and the letters library
(/vanban list and retire; the secretariat adds a letter by sending its file)."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import PurePath
from typing import Any

from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.core.db import session_scope
from bot.core.i18n import lazy_gettext
from bot.core.text import fold
from bot.letters import service, texts
from bot.letters.answers import Library, ask
from bot.letters.intents import looks_like_question
from bot.letters.reading import (
    OLD_WORD_EXTENSIONS,
    TEXT_EXTENSIONS,
    LetterFileError,
    Limits,
    upload_problem,
)
from bot.letters.service import FIELDS, LetterError, LetterView
from handlers.commands import ANYONE, SECRETARIAT, CommandSpec, refusal_text
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "lt"  # lt:ok|no:<token>, lt:ed:<field>:<token>, lt:rt|ry|rn:<letter id>
# user_data keys; /huy forgets every "*_pending" key (handlers/units.py)
FILE_KEY = "letters_file_pending"  # /vanban_them: the next .txt file is a letter (until …)
EDIT_KEY = "letters_edit_pending"  # a preview field waiting for its corrected value
WAIT_SECONDS = 15 * 60
EDIT_GROUP = -1  # before the feature handlers: the typed value is not a question
LETTER_SUFFIXES = frozenset({".docx", ".pdf"}) | OLD_WORD_EXTENSIONS
CAPTION_WORDS = ("van ban", "vanban", "cong van", "letter", "addletter")


def library(context: BotContext) -> Library:
    """The application's search index over the letters."""
    index = context.bot_data.letter_library
    assert index is not None, "handlers.letters.register sets it"
    return index


def _waiting(user_data: Any, key: str) -> dict[str, Any] | None:
    """A pending entry that has not expired."""
    entry = user_data.get(key) if user_data is not None else None
    if isinstance(entry, dict) and entry.get("until", 0) > time.monotonic():
        return entry
    return None


class _LetterFile(filters.MessageFilter):
    """A document that is a letter: Word or PDF, or text captioned as a letter or announced
    with /vanban_them (a text file otherwise is a statistics table for /nhap)."""

    def __init__(self, app: KysoApp) -> None:
        """Read the application's per-user data without creating entries."""
        super().__init__(name="LetterFile")
        self._user_data = app.user_data

    def filter(self, message: Message) -> bool:
        """Decide by extension, caption, or an announced letter."""
        document = message.document
        if document is None:
            return False
        suffix = PurePath(document.file_name or "").suffix.lower()
        if suffix in LETTER_SUFFIXES:
            return True
        if suffix not in TEXT_EXTENSIONS:
            return False
        caption = f" {fold(message.caption or '')} "
        if any(f" {word} " in caption for word in CAPTION_WORDS):
            return True
        user = message.from_user
        return user is not None and _waiting(self._user_data.get(user.id), FILE_KEY) is not None


class _EditingField(filters.MessageFilter):
    """Text from someone correcting a field of a letter preview."""

    def __init__(self, app: KysoApp) -> None:
        """Read the application's per-user data without creating entries."""
        super().__init__(name="LetterField")
        self._user_data = app.user_data

    def filter(self, message: Message) -> bool:
        """True while a field waits for its value."""
        user = message.from_user
        return user is not None and _waiting(self._user_data.get(user.id), EDIT_KEY) is not None


class _Question(filters.MessageFilter):
    """Plain text that asks something (rate questions were taken by /tyle's handler)."""

    def filter(self, message: Message) -> bool:
        """A question or a message naming what the letters deal with."""
        return bool(message.text) and looks_like_question(message.text)  # type: ignore[arg-type]


# --- questions ----------------------------------------------------------------------------


async def answer(update: Update, context: BotContext, question: str) -> None:
    """Reply with the passages that answer, or say the letters do not cover it."""
    message = update.effective_message
    assert message is not None
    rt = context.runtime
    lib = library(context)

    def work() -> str:
        with Session(rt.engine) as session:
            return texts.answer_text(ask(session=session, library=lib, question=question))

    await message.reply_text(await asyncio.to_thread(work))


async def ask_command(update: Update, context: BotContext) -> None:
    """/hoi and /ask."""
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


# --- adding a letter ----------------------------------------------------------------------


async def add_command(update: Update, context: BotContext) -> None:
    """/vanban_them and /addletter: the next file is a letter."""
    message = update.effective_message
    assert message is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(refusal_text())
        return
    if context.user_data is not None:
        context.user_data[FILE_KEY] = {"until": time.monotonic() + WAIT_SECONDS}
    await message.reply_text(texts.add_help_text(context.runtime.settings.max_upload_bytes))


def preview_keyboard(token: str) -> InlineKeyboardMarkup:
    """Add / Cancel, and a button per field to correct."""
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


async def on_letter_file(update: Update, context: BotContext) -> None:
    """A letter's file: check it, read it in a worker thread, store a preview."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.document is not None and user is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(texts.not_secretariat_text())
        return
    if context.user_data is not None:
        context.user_data.pop(FILE_KEY, None)
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


async def on_field_text(update: Update, context: BotContext) -> None:
    """The corrected value of a preview field."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.text is not None and user is not None
    entry = context.user_data.pop(EDIT_KEY, None) if context.user_data is not None else None
    if not context.require_viewer().is_secretariat or not isinstance(entry, dict):
        raise ApplicationHandlerStop
    rt = context.runtime

    def edit() -> LetterView:
        with session_scope(rt.engine) as session:
            return service.edit_pending(
                session=session,
                token=entry["token"],
                telegram_id=user.id,
                field=entry["field"],
                value=message.text or "",
            )

    try:
        view = await asyncio.to_thread(edit)
    except LetterError as exc:
        await message.reply_text(exc.message())
        if exc.code in ("bad_value", "bad_date") and context.user_data is not None:
            context.user_data[EDIT_KEY] = {**entry, "until": time.monotonic() + WAIT_SECONDS}
        raise ApplicationHandlerStop from None
    assert view.token is not None
    await message.reply_text(
        texts.field_saved_text() + "\n\n" + texts.preview_text(view),
        reply_markup=preview_keyboard(view.token),
    )
    raise ApplicationHandlerStop


async def on_preview_button(update: Update, context: BotContext) -> None:
    """Add, Cancel or a field to correct, under a preview."""
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
    user = query.from_user
    rt = context.runtime

    def check() -> None:
        with Session(rt.engine) as session:
            service.preview(session=session, token=token, telegram_id=user.id)

    await asyncio.to_thread(check)
    if field not in FIELDS:
        raise LetterError("bad_field")
    if context.user_data is not None:
        context.user_data[EDIT_KEY] = {
            "token": token,
            "field": field,
            "until": time.monotonic() + WAIT_SECONDS,
        }
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply_text(texts.field_prompt(field))


# --- the library --------------------------------------------------------------------------


async def list_command(update: Update, context: BotContext) -> None:
    """/vanban and /letters: the library (retire buttons for the secretariat)."""
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


async def on_retire_button(update: Update, context: BotContext) -> None:
    """Retire a letter: ask, then do it (secretariat only, checked on every press)."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    if not context.require_viewer().is_secretariat:
        await query.answer(refusal_text(), show_alert=True)
        return
    _prefix, action, raw_id = query.data.split(":")
    letter_id = int(raw_id)
    rt = context.runtime
    if action == "rn":
        await query.answer()
        await query.edit_message_text(texts.keep_text())
        return
    if action == "rt":

        def load() -> LetterView | None:
            with Session(rt.engine) as session:
                return service.get_letter(session=session, letter_id=letter_id)

        view = await asyncio.to_thread(load)
        if view is None:
            await query.answer(LetterError("not_found", id=letter_id).message(), show_alert=True)
            return
        await query.answer()
        await query.edit_message_text(
            texts.retire_question(view),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            texts.yes_retire_label(),
                            callback_data=f"{CALLBACK_PREFIX}:ry:{letter_id}",
                        ),
                        InlineKeyboardButton(
                            texts.no_keep_label(), callback_data=f"{CALLBACK_PREFIX}:rn:{letter_id}"
                        ),
                    ]
                ]
            ),
        )
        return

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


COMMANDS = (
    CommandSpec(
        names=("hoi", "ask"),
        description=lazy_gettext("ask about the letters: rules, deadlines, who must do what"),
        allowed=ANYONE,
        callback=ask_command,
        menu_vi="hoi",
        menu_en="ask",
    ),
    CommandSpec(
        names=("vanban", "letters"),
        description=lazy_gettext("the letters I answer from"),
        allowed=ANYONE,
        callback=list_command,
    ),
    CommandSpec(
        names=("vanban_them", "addletter"),
        description=lazy_gettext("add a letter to the library (then send its file)"),
        allowed=SECRETARIAT,
        callback=add_command,
    ),
)


def register(app: KysoApp) -> None:
    """Commands, letter files, typed corrections, questions and buttons."""
    app.bot_data.letter_library = Library()
    private = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(private & filters.Document.ALL & _LetterFile(app), on_letter_file)
    )
    app.add_handler(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & _EditingField(app), on_field_text
        ),
        group=EDIT_GROUP,
    )
    app.add_handler(
        CallbackQueryHandler(
            on_preview_button, pattern=rf"^{CALLBACK_PREFIX}:(ok|no|ed:[a-z]+):[\w-]{{1,40}}$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(on_retire_button, pattern=rf"^{CALLBACK_PREFIX}:r[tyn]:\d+$")
    )
    # Plain questions: after /tyle's rate questions (registered earlier in the same group),
    # before the catch-all that says it did not understand.
    app.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND & _Question(), question_text)
    )
