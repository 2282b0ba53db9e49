"""/giaitrinh: a unit's explanation report (pick the deadline, text or file, submit), and the
secretariat's side: reading a report, accepting it, asking the unit for more."""

from __future__ import annotations

import logging
from dataclasses import asdict
from html import escape
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from telegram import Message, Update
from telegram.error import TelegramError

from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _, fmt_number
from bot.core.models import AppUser
from handlers.commands import Audience, audience_of, role_refusal_text
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext
from handlers.deadlines.dialog import (
    REPORTING,
    DialogState,
    at,
    button_id,
    drop,
    end,
    move,
    now,
    refuse,
    reply,
    say,
    stale,
)
from handlers.deadlines.views import (
    cancel_markup,
    draft_markup,
    draft_text,
    pick_markup,
    report_prompt,
    review_markup,
)
from handlers.dialogs import State
from jobs import deadlines as reminders

if TYPE_CHECKING:
    from bot.deadlines.explanations import ReportFile

# Imported inside the functions that use them: bot.deadlines' reports load at the first /giaitrinh,
# not at start-up; bot.deadlines loads at its first use, not at start-up.

logger = logging.getLogger(__name__)


async def report_command(update: Update, context: BotContext) -> None:
    """/giaitrinh: choose the deadline (if several) and ask for the report."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import report_deadlines

    if not await private_only(update, contact_data=False):
        return
    viewer = context.require_viewer()
    if viewer.unit_id is None:
        drop(context)
        await reply(update, DeadlineError("no_unit").message())
        return
    with Session(context.runtime.engine) as session:
        targets = report_deadlines(session=session, unit_id=viewer.unit_id, now=now(context))
        choices = [(d.id, d.title, d.due_at) for d, _r in targets if d.id is not None]
    if not choices:
        drop(context)
        await reply(
            update,
            _(
                "<b>{unit}</b> has no explanation report to send now. /deadlines shows its "
                "deadlines."
            ).format(unit=escape(viewer.unit_name or "")),
        )
        return
    if len(choices) == 1:
        await _start_report(update, context, choices[0][0])
        return
    move(context, DialogState.REPORT_PICK)
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        _("Which deadline is the report for?"), reply_markup=pick_markup(choices)
    )


async def report_button(update: Update, context: BotContext) -> None:
    """dl:rep:<id> on a reminder or a list: start a report for that deadline."""
    if not await private_only(update, contact_data=False):
        return
    await _start_report(update, context, button_id(update))


async def pick_button(update: Update, context: BotContext) -> None:
    """dl:pick:<id> — the deadline chosen in the report dialog."""
    if at(context, *REPORTING) is None:
        await stale(update)
        return
    await report_button(update, context)


def _max_mb(context: BotContext) -> str:
    """The largest file accepted, in MB, as the prompt shows it."""
    max_mb = context.runtime.settings.report_max_mb
    return fmt_number(int(max_mb)) if max_mb.is_integer() else str(max_mb)


async def _reports_for_a_unit(update: Update, context: BotContext) -> bool:
    """Viewers only read: like /giaitrinh, its buttons are refused to them (nothing written)."""
    if audience_of(context.viewer) is not Audience.VIEWER:
        return True
    drop(context)
    await refuse(update, role_refusal_text())
    return False


async def _start_report(update: Update, context: BotContext, deadline_id: int) -> None:
    """Check the unit may report, then ask for the content."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import check_can_submit

    viewer = context.require_viewer()
    if not await _reports_for_a_unit(update, context):
        return
    with Session(context.runtime.engine) as session:
        try:
            deadline, report = check_can_submit(
                session=session, deadline_id=deadline_id, unit_id=viewer.unit_id, now=now(context)
            )
        except DeadlineError as exc:
            drop(context)
            await refuse(update, exc.message())
            return
        prompt = report_prompt(
            deadline, report, unit=viewer.unit_name or "", max_mb=_max_mb(context)
        )
    move(
        context, DialogState.REPORT_COMPOSE, {"deadline_id": deadline_id, "text": "", "file": None}
    )
    await say(update, prompt, cancel_markup())


# --- the report's content -----------------------------------------------------------------


async def choose_first(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """Text or a file before a deadline was chosen."""
    await reply(update, _("Please choose the deadline with the buttons above."))


async def _keep(update: Update, context: BotContext, state: dict[str, Any]) -> None:
    """Keep what the report holds so far and show it with the Submit button."""
    move(context, DialogState.REPORT_COMPOSE, state)
    message = update.effective_message
    assert message is not None
    await message.reply_text(draft_text(state), reply_markup=draft_markup())


async def report_text(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """Text of the report (several messages are joined)."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import MAX_REPORT_TEXT

    message = update.effective_message
    assert message is not None and message.text is not None
    state = dict(dialog.data)
    combined = (state.get("text", "") + "\n" + message.text).strip()
    if len(combined) > MAX_REPORT_TEXT:
        await reply(update, DeadlineError("long_report", max=MAX_REPORT_TEXT).message())
        return
    state["text"] = combined
    await _keep(update, context, state)


def _file_of(message: Message) -> ReportFile:
    """The document or the largest size of the photo, as Telegram announced it."""
    from bot.deadlines.explanations import ReportFile

    if message.document is not None:
        doc = message.document
        return ReportFile(doc.file_id, "document", doc.file_name, doc.file_size, doc.mime_type)
    photo = message.photo[-1]
    return ReportFile(photo.file_id, "photo", None, photo.file_size, "image/jpeg")


async def report_file(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """A document or photo for the report: checked by its announced type and size, kept by id."""
    from bot.deadlines.explanations import MAX_REPORT_TEXT, report_file_problem

    message = update.effective_message
    assert message is not None
    file = _file_of(message)
    problem = report_file_problem(file, max_bytes=context.runtime.settings.report_max_bytes)
    if problem is not None:
        await reply(update, problem)
        return
    state = dict(dialog.data)
    state["file"] = asdict(file)
    if message.caption:
        state["text"] = (state.get("text", "") + "\n" + message.caption).strip()[:MAX_REPORT_TEXT]
    await _keep(update, context, state)


async def send_button(update: Update, context: BotContext) -> None:
    """dl:send — store the report and give the receipt."""
    from bot.deadlines import replies
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import ReportFile, submit_report

    dialog = at(context, *REPORTING)
    if dialog is None:
        await stale(update)
        return
    if dialog.state != DialogState.REPORT_COMPOSE:
        await refuse(update, _("Please choose the deadline with the buttons above."))
        return
    if not await _reports_for_a_unit(update, context):
        return
    viewer = context.require_viewer()
    rt = context.runtime
    state = dialog.data
    raw = state.get("file")
    try:
        with session_scope(rt.engine) as session:
            result = submit_report(
                session=session,
                deadline_id=int(state["deadline_id"]),
                unit_id=viewer.unit_id,
                telegram_id=viewer.telegram_id,
                text=state.get("text", ""),
                file=ReportFile(**raw) if raw else None,
                now=now(context),
                max_bytes=rt.settings.report_max_bytes,
            )
            text = replies.receipt_text(
                deadline=result.deadline,
                report=result.report,
                unit=result.unit_name,
                replaced=result.replaced,
            )
    except DeadlineError as exc:
        if exc.code == "empty_report":
            await refuse(update, exc.message())
            return
        end(context)
        await say(update, exc.message())
        return
    end(context)
    await say(update, text, edit=True)


# --- the secretariat's review -------------------------------------------------------------


@secretariat_only
async def see_button(update: Update, context: BotContext) -> None:
    """dl:see:<report id> — the report's text and file, with Accept / Ask for more."""
    from bot.deadlines import replies
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import get_report
    from bot.deadlines.lifecycle import get_deadline
    from bot.deadlines.views import unit_name_of

    report_id = button_id(update)
    with Session(context.runtime.engine) as session:
        try:
            report = get_report(session=session, report_id=report_id)
            deadline = get_deadline(session=session, deadline_id=report.deadline_id)
        except DeadlineError as exc:
            await refuse(update, exc.message())
            return
        user = session.get(AppUser, report.submitted_by)
        who = (user.display_name if user and user.display_name else "") or str(report.submitted_by)
        unit = unit_name_of(session=session, unit_id=report.unit_id)
        text = replies.report_text(report, deadline=deadline, unit=unit, submitter=who)
        file_id, file_kind, receipt = report.file_id, report.file_kind, report.receipt
    await say(update, text, review_markup(report_id))
    if file_id:
        caption = _("Explanation report {receipt} — {unit}").format(
            receipt=receipt, unit=escape(unit)
        )
        await _send_file(update, file_id, file_kind, caption, receipt)


async def _send_file(
    update: Update, file_id: str, file_kind: str | None, caption: str, receipt: str
) -> None:
    """Forward a report's file by its Telegram id (say so if Telegram cannot)."""
    message = update.effective_message
    assert message is not None
    try:
        if file_kind == "photo":
            await message.reply_photo(file_id, caption=caption)
        else:
            await message.reply_document(file_id, caption=caption)
    except TelegramError:
        logger.warning("Could not send report file %s", receipt, exc_info=True)
        await message.reply_text(_("Telegram could not send the file of this report."))


@secretariat_only
async def accept_button(update: Update, context: BotContext) -> None:
    """dl:acc:<report id>."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import accept_report

    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            report, _deadline = accept_report(
                session=session,
                report_id=button_id(update),
                actor=context.require_viewer().telegram_id,
                now=now(context),
                ctx=reminders.push_context(rt),
            )
            receipt = report.receipt
    except DeadlineError as exc:
        await refuse(update, exc.message())
        return
    await say(update, _("✅ Report {receipt} accepted; the unit is told.").format(receipt=receipt))


@secretariat_only
async def more_button(update: Update, context: BotContext) -> None:
    """dl:more:<report id> — ask what the unit should add."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import get_report
    from bot.deadlines.views import unit_name_of

    report_id = button_id(update)
    with Session(context.runtime.engine) as session:
        try:
            report = get_report(session=session, report_id=report_id)
        except DeadlineError as exc:
            drop(context)
            await refuse(update, exc.message())
            return
        unit = unit_name_of(session=session, unit_id=report.unit_id)
    move(context, DialogState.MORE_NOTE, {"report_id": report_id})
    await say(
        update,
        _(
            "Type what <b>{unit}</b> should add or correct; it is sent to the unit. "
            "Send /cancel to stop."
        ).format(unit=escape(unit)),
    )


async def more_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The typed note: the unit is told and reminded again until it completes its report."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.explanations import request_more

    message = update.effective_message
    assert message is not None and message.text is not None
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            report, _deadline, _queued = request_more(
                session=session,
                report_id=int(dialog.data["report_id"]),
                note=message.text.strip(),
                actor=context.require_viewer().telegram_id,
                now=now(context),
                ctx=reminders.push_context(rt),
            )
            receipt = report.receipt
    except DeadlineError as exc:
        await reply(update, exc.message() + "\n" + _("Send /cancel to stop."))
        return
    end(context)
    await reply(
        update,
        _("✅ Sent to the unit; it is reminded again until it completes report {receipt}.").format(
            receipt=receipt
        ),
    )


STATES: dict[str, State] = {
    DialogState.REPORT_PICK: State(on_text=choose_first, on_file=choose_first),
    DialogState.REPORT_COMPOSE: State(on_text=report_text, on_file=report_file),
    DialogState.MORE_NOTE: State(on_text=more_step),
}
