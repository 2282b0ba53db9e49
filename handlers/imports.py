"""In-chat import: statistics files or pasted tables → preview → Confirm/Cancel; /nhap (/import)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from html import escape
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.core import heap, messages, outbox
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_number, lazy_gettext, ngettext, use_language
from bot.core.leader import live_workers
from bot.core.people import languages_of
from bot.imports.restarts import Interrupted, clear_interrupted, find_interrupted
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.commands import refusal_text as command_refusal_text
from handlers.context import BotContext, HandlerGroup, KysoApp

if TYPE_CHECKING:
    from bot.imports.issues import RowIssue
    from bot.imports.limits import ReadLimits
    from bot.imports.options import ImportOptions
    from bot.imports.staging import PendingOutcome, Refused, StagedImport

# The import feature's domain (reading, parsing, planning, staging: ~30-40 ms of imports) is
# loaded by the callbacks that use it, at the first file or table: not at every start-up. A
# start-up needs only bot.imports.restarts (on_startup).

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "imp"  # imp:ok:<token> / imp:no:<token> (token: 16 URL-safe characters)


def confirm_keyboard(token: str) -> InlineKeyboardMarkup:
    """Confirm / Cancel buttons of a preview."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("✅ Confirm import"), callback_data=f"{CALLBACK_PREFIX}:ok:{token}"
                ),
                InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"{CALLBACK_PREFIX}:no:{token}"),
            ]
        ]
    )


def not_secretariat_text() -> str:
    """Polite refusal for a file or table from someone outside the secretariat."""
    return _(
        "Thank you, but only the secretariat can import statistics tables, so I did not read "
        "this file. If your unit's figures look wrong, please contact the secretariat."
    )


class _PastedTable(filters.MessageFilter):
    """Multi-line text that is a statistics table (tabs or semicolons and a header row)."""

    def filter(self, message: Message) -> bool:
        """Cheap checks first; only table-shaped text is parsed."""
        text = message.text
        if not text or "\n" not in text:
            return False  # a question, a name: no need to load the importer
        from bot.imports.options import looks_like_table

        return looks_like_table(text)


async def import_command(update: Update, context: BotContext) -> None:
    """/nhap and /import: how to import."""
    message = update.effective_message
    assert message is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(command_refusal_text())
        return
    from bot.imports.texts import import_help

    await message.reply_text(import_help(context.runtime.settings.max_upload_bytes))


async def on_document(update: Update, context: BotContext) -> None:
    """A file in a private chat: check it before downloading, then preview it."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    if not context.require_viewer().is_secretariat:
        await message.reply_text(not_secretariat_text())
        return
    from bot.imports.options import CaptionError, parse_caption
    from bot.imports.texts import too_large_text, upload_problem

    max_bytes = context.runtime.settings.max_upload_bytes
    filename = document.file_name or "document"
    problem = upload_problem(filename=filename, file_size=document.file_size, max_bytes=max_bytes)
    if problem is not None:
        await message.reply_text(problem)
        return
    try:
        options = parse_caption(message.caption)
    except CaptionError as exc:
        await message.reply_text(str(exc))
        return
    status = await message.reply_text(_("⏳ Reading the file…"))
    try:
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError:
        logger.warning("Could not download %r", filename, exc_info=True)
        await status.edit_text(
            _("I could not download “{name}” from Telegram. Please send it again.").format(
                name=escape(PurePath(filename).name)
            )
        )
        return
    if len(data) > max_bytes:
        await status.edit_text(too_large_text(len(data), max_bytes))
        return
    await _preview(update, context, status, data, PurePath(filename).name, options)


async def on_pasted_table(update: Update, context: BotContext) -> None:
    """A table pasted as text: preview it like a file."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(not_secretariat_text())
        raise ApplicationHandlerStop
    from bot.imports.options import PASTE_SPLIT_WARNING_CHARS, PASTED_FILENAME, pasted_options

    status = await message.reply_text(_("⏳ Reading the table…"))
    try:
        await _preview(
            update,
            context,
            status,
            message.text.encode("utf-8"),
            PASTED_FILENAME,
            pasted_options(message.text),
            maybe_split=len(message.text) >= PASTE_SPLIT_WARNING_CHARS,
        )
    except Exception:
        # The error handler would not stop the later groups: apologise here instead.
        logger.exception("Pasted table failed")
        await status.edit_text(messages.error_apology())
    raise ApplicationHandlerStop  # handled: no rate answer, no fallback


def _counted(data: bytes, filename: str, limits: ReadLimits) -> int | None:
    """Rows in the file for the progress message (a worker thread; bulk: see bot/core/heap)."""
    from bot.imports.reading import count_rows

    with heap.bulk():
        return count_rows(data, filename, limits)


async def _preview(
    update: Update,
    context: BotContext,
    status: Message,
    data: bytes,
    filename: str,
    options: ImportOptions,
    *,
    maybe_split: bool = False,
) -> None:
    """Validate in a worker thread, store a valid file, and turn the status into the preview."""
    from bot.imports.limits import limits_from
    from bot.imports.staging import Refused, stage_upload
    from bot.imports.texts import preview_text

    rt = context.runtime
    user = update.effective_user
    assert user is not None
    limits = limits_from(rt.settings)
    rows = await asyncio.to_thread(_counted, data, filename, limits)
    if rows is not None:
        await status.edit_text(
            ngettext("⏳ Checking {n} row…", "⏳ Checking {n} rows…", rows).format(
                n=fmt_number(rows)
            )
        )

    def stage() -> tuple[StagedImport | Refused, str]:
        """Check and store the upload, and word the preview (10,000 rows: off the loop)."""
        with heap.bulk(), session_scope(rt.engine) as session:
            staged = stage_upload(
                session=session,
                telegram_id=user.id,
                data=data,
                filename=filename,
                options=options,
                tz=rt.settings.tz,
                limits=limits,
            )
        if isinstance(staged, Refused):
            return staged, ""
        return staged, preview_text(staged, filename=filename, maybe_split=maybe_split)

    outcome, text = await asyncio.to_thread(stage)
    if isinstance(outcome, Refused):
        await _show_refusal(status, outcome.issues, filename, stale=False)
        return
    logger.info("Import preview for %s: %r", user.id, filename)
    await status.edit_text(text, reply_markup=confirm_keyboard(outcome.token))


async def _show_refusal(
    message: Message, issues: list[RowIssue], filename: str, *, stale: bool
) -> None:
    """Every problem in the message (or as many as fit, with the full list attached)."""
    from bot.imports.texts import issues_report, refusal_text

    text, truncated = refusal_text(issues, filename=filename, stale=stale)
    await message.edit_text(text)
    if truncated:
        await message.reply_document(
            document=issues_report(issues, filename=filename),
            filename=f"{PurePath(filename).stem}-problems.txt",
        )


async def on_pending_button(update: Update, context: BotContext) -> None:
    """Confirm or Cancel under a preview."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    if not context.require_viewer().is_secretariat:
        await query.answer(command_refusal_text(), show_alert=True)
        return
    _prefix, action, token = query.data.split(":")
    rt = context.runtime
    from bot.imports.staging import cancel_pending, pending_status

    def check() -> PendingOutcome | None:
        with session_scope(rt.engine) as session:
            return pending_status(session=session, token=token, telegram_id=user.id)

    closed = await asyncio.to_thread(check)
    if closed is not None:
        await _notice(query, closed)
        return
    if action == "no":

        def cancel() -> PendingOutcome:
            with session_scope(rt.engine) as session:
                return cancel_pending(session=session, token=token, telegram_id=user.id)

        await _notice(query, await asyncio.to_thread(cancel))
        return
    await _confirm(query, context, token)


async def _confirm(query: CallbackQuery, context: BotContext, token: str) -> None:
    """Write the previewed figures; show the result, or why nothing was written."""
    from bot.imports.limits import limits_from
    from bot.imports.restarts import mark_confirming
    from bot.imports.staging import PendingStatus, confirm_pending
    from bot.imports.texts import outcome_notice

    rt = context.runtime
    user = query.from_user
    await query.answer()
    message = query.message
    if isinstance(message, Message):

        def mark() -> None:
            with session_scope(rt.engine) as session:
                mark_confirming(
                    session=session,
                    token=token,
                    telegram_id=user.id,
                    chat_id=message.chat.id,
                    message_id=message.message_id,
                    worker=rt.leadership.worker_id,
                )

        await asyncio.to_thread(mark)
    await query.edit_message_text(_("⏳ Writing the figures…"))

    def confirm() -> PendingOutcome:
        with heap.bulk(), Session(rt.engine) as session:  # re-checks, then one short write
            return confirm_pending(
                session=session,
                token=token,
                telegram_id=user.id,
                display_name=user.full_name,
                tz=rt.settings.tz,
                after_import=rt.links.after_import,
                limits=limits_from(rt.settings),
            )

    outcome = await asyncio.to_thread(confirm)
    if outcome.status is PendingStatus.BUSY:
        await query.edit_message_text(outcome_notice(outcome), reply_markup=confirm_keyboard(token))
    elif outcome.status is PendingStatus.IMPORTED:
        await _show_imported(query, context, outcome)
    elif outcome.status is PendingStatus.REFUSED:
        assert query.message is not None and isinstance(query.message, Message)
        await _show_refusal(query.message, outcome.issues, outcome.filename, stale=True)
    else:
        await query.edit_message_text(outcome_notice(outcome))


async def _show_imported(
    query: CallbackQuery, context: BotContext, outcome: PendingOutcome
) -> None:
    """The import's result, with what other features add to it (the warnings it queued)."""
    from bot.imports.apply import import_notes
    from bot.imports.texts import result_text

    result = outcome.result
    assert result is not None
    rt = context.runtime
    logger.info(
        "Chat import by %s: batch %s, %d rows", query.from_user.id, result.batch_id, result.rows
    )

    def notes() -> list[str]:
        """The result and the other features' notes on it (off the loop)."""
        with Session(rt.engine) as session:
            lines = import_notes(session=session, result=result, notes=rt.links.import_notes)
        return [result_text(outcome), *lines]

    await query.edit_message_text("\n".join(await asyncio.to_thread(notes)))


async def _notice(query: CallbackQuery, outcome: PendingOutcome) -> None:
    """Show why a press did nothing: replace a dead preview, or pop up an alert."""
    from bot.imports.staging import PendingStatus
    from bot.imports.texts import outcome_notice

    text = outcome_notice(outcome)
    if outcome.status in (PendingStatus.CANCELLED, PendingStatus.EXPIRED):
        await query.answer()
        await query.edit_message_text(text)
        return
    await query.answer(text, show_alert=True)
    if outcome.status is PendingStatus.MISSING:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            pass  # no keyboard left to remove


@dataclass(frozen=True)
class _Notice:
    """What a restart tells one uploader: the push, and the message it should replace."""

    push: outbox.Push  # the new message if the old one cannot be edited
    message_id: int  # the '⏳ Writing the figures…' message (0: unknown)
    keyboard: InlineKeyboardMarkup | None


def _interrupted_notices(app: KysoApp) -> tuple[list[Interrupted], list[_Notice]]:
    """The Confirm presses a restart cut short (marks kept until their uploaders are told) and
    a notice for each in its uploader's language (buttons to confirm again)."""
    rt = app.bot_data.runtime
    with session_scope(rt.engine) as session:
        found = find_interrupted(session=session, live_workers=live_workers(session=session))
        languages = languages_of(
            session=session,
            telegram_ids=[i.telegram_id for i in found],
            default_language=rt.settings.default_language,
        )
    notices = []
    for item in found:
        from bot.imports.texts import interrupted_text  # only when a restart cut one short

        with use_language(languages[item.telegram_id]):
            text = interrupted_text(item.filename, expired=item.expired)
            keyboard = None if item.expired else confirm_keyboard(item.token)
        push = outbox.Push(
            key=f"import-interrupted:{item.token}:{item.message_id}",
            chat_id=item.chat_id,
            text=text,
            kind="import_interrupted",
            priority=outbox.PRIORITY_URGENT,
            reply_markup=keyboard.to_dict() if keyboard else None,
        )
        notices.append(_Notice(push, item.message_id, keyboard))
    return found, notices


async def _edited(app: KysoApp, notice: _Notice) -> bool:
    """Turn the stuck '⏳ Writing the figures…' message into the notice; False if it cannot
    be edited (deleted, too old, no message id)."""
    if not notice.message_id:
        return False
    try:
        await app.bot.edit_message_text(
            notice.push.text,
            chat_id=notice.push.chat_id,
            message_id=notice.message_id,
            reply_markup=notice.keyboard,
        )
    except TelegramError as exc:
        if isinstance(exc, BadRequest) and "not modified" in str(exc).lower():
            return True  # told before a restart that came before the marks were cleared
        logger.info("Could not edit the interrupted import's message: %s", exc)
        return False
    return True


def _settle(app: KysoApp, found: list[Interrupted], pushes: list[outbox.Push]) -> None:
    """Queue notices whose message could not be edited and clear the marks, in one
    transaction: a restart before it tells the uploaders again, never not at all."""
    with session_scope(app.bot_data.runtime.engine) as session:
        outbox.enqueue_many(session=session, pushes=pushes)
        clear_interrupted(session=session, found=found)


async def on_startup(app: KysoApp) -> int:
    """At start-up: tell uploaders whose import a restart interrupted, in the message that was
    left saying '⏳ Writing the figures…' (a new message through the outbox if that fails);
    returns how many were told."""
    found, notices = await asyncio.to_thread(_interrupted_notices, app)
    fallback = [notice.push for notice in notices if not await _edited(app, notice)]
    if found:
        await asyncio.to_thread(_settle, app, found, fallback)
    if notices:
        logger.info(
            "Told %d uploader(s) their import was interrupted by a restart (%d new messages)",
            len(notices),
            len(fallback),
        )
    return len(notices)


COMMANDS = (
    CommandSpec(
        names=("nhap", "import"),
        description=lazy_gettext("how to import a statistics table (send the file here)"),
        allowed=SECRETARIAT,
        callback=import_command,
        # Not in the menu: Telegram shows one menu to every user of the bot.
    ),
)


def register(app: KysoApp) -> None:
    """/nhap, documents and pasted tables in private chats, and the preview buttons."""
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & _PastedTable(),
            on_pasted_table,
        ),
        group=HandlerGroup.TABLES,
    )
    app.add_handler(
        CallbackQueryHandler(
            on_pending_button, pattern=rf"^{CALLBACK_PREFIX}:(ok|no):[\w-]{{1,40}}$"
        )
    )
