"""/hanchot: a unit's deadlines or every open one; a deadline's card; "Đã nhận"; cancelling."""

from __future__ import annotations

from html import escape

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.db import session_scope
from bot.core.i18n import _
from bot.core.models import DeadlineKind
from bot.core.stats import period_info
from handlers.commands import SECRETARIAT
from handlers.common import secretariat_only
from handlers.context import BotContext
from handlers.deadlines.dialog import button_id, button_parts, now, refuse, say
from handlers.deadlines.views import cancel_confirm_markup, card_markup, deadline_buttons
from handlers.paging import Listing, ListingSource, Section, send_listing
from jobs import deadlines as reminders

# Imported inside the functions that use them: bot.deadlines loads at its first use, not at start-
# up; bot.deadlines.views loads at the first deadline command, not at start-up.


async def list_command(update: Update, context: BotContext) -> None:
    """/hanchot: the unit's deadlines; for the secretariat every open one (or /hanchot <id>)."""
    viewer = context.require_viewer()
    if viewer.is_secretariat and viewer.unit_id is None:
        if context.args and context.args[0].lstrip("#").isdigit():
            await show_card(update, context, int(context.args[0].lstrip("#")), edit=False)
            return
        await _open_deadlines(update, context)
        return
    if viewer.unit_id is None:
        message = update.effective_message
        assert message is not None
        await message.reply_text(_("Only officials of a unit have deadlines."))
        return
    await _unit_list(update, context, viewer.unit_id, viewer.unit_name or "")


OPEN = "deadlines"  # the kind of list /hanchot pages through for the secretariat


def open_listing(context: BotContext, _subject: int | None = None) -> Listing | None:
    """Every open deadline with its progress and a button to its card (None: none open)."""
    from bot.deadlines import replies
    from bot.deadlines.views import list_deadlines

    moment = now(context)
    with session_scope(context.runtime.engine) as session:
        rows = list_deadlines(session=session, now=moment)
        items = replies.secretariat_list_items(rows, now=moment)
        buttons: list[InlineKeyboardButton | None] = [
            row[0] for row in deadline_buttons(rows, "card", limit=len(rows))
        ]
    if not items:
        return None
    section = Section(replies.secretariat_list_heading(), items, buttons)
    footer = replies.secretariat_list_footer()
    return Listing([section], file_name=_("deadlines.txt"), footer=footer, page_lines=4)


OPEN_SOURCE = ListingSource(allowed=SECRETARIAT, build=open_listing)


async def _open_deadlines(update: Update, context: BotContext) -> None:
    """Every open deadline with its progress, a button to each card, in pages."""
    listing = open_listing(context)
    if listing is None:
        await say(update, _("No open deadlines. Create one with /deadline_new."))
        return
    await send_listing(update, context, OPEN, listing)


async def _unit_list(update: Update, context: BotContext, unit_id: int, unit: str) -> None:
    """A unit's deadlines, with a Submit button if it owes exactly one report."""
    from bot.deadlines import replies, texts
    from bot.deadlines.views import unit_deadlines

    moment = now(context)
    with session_scope(context.runtime.engine) as session:
        items = unit_deadlines(session=session, unit_id=unit_id, now=moment)
        text = replies.unit_list_text(unit, items, now=moment)
        owes_report = [
            i.deadline.id
            for i in items
            if i.deadline.kind == DeadlineKind.REPORT.value and i.owing is not None
        ]
    markup = None
    if len(owes_report) == 1:
        submit = InlineKeyboardButton(
            texts.submit_label(), callback_data=f"dl:rep:{owes_report[0]}"
        )
        markup = InlineKeyboardMarkup([[submit]])
    await say(update, text, markup)


async def show_card(update: Update, context: BotContext, deadline_id: int, *, edit: bool) -> None:
    """A deadline's card with its management buttons."""
    from bot.deadlines import replies
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.views import ack_count, status_view

    rt = context.runtime
    moment = now(context)
    try:
        with session_scope(rt.engine) as session:
            view = status_view(
                session=session, deadline_id=deadline_id, now=moment, tz=rt.settings.tz
            )
            period = period_info(session=session, period_id=view.deadline.period_id)
            text = replies.card_text(
                view.deadline,
                audience=view.audience_text,
                period=period,
                units=len(view.lines),
                fulfilled=len(view.on_time) + len(view.late),
                acks=ack_count(session=session, deadline_id=deadline_id),
                next_step=view.next_step,
                now=moment,
            )
            is_open = view.deadline.status == "open"
    except DeadlineError as exc:
        await refuse(update, exc.message())
        return
    await say(update, text, card_markup(deadline_id, is_open=is_open), edit=edit)


@secretariat_only
async def card_button(update: Update, context: BotContext) -> None:
    """dl:card:<id>."""
    await show_card(update, context, button_id(update), edit=False)


async def ack_button(update: Update, context: BotContext) -> None:
    """dl:ack:<id> — "Đã nhận"."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.reminders import acknowledge

    query = update.callback_query
    assert query is not None
    viewer = context.require_viewer()
    try:
        with session_scope(context.runtime.engine) as session:
            new = acknowledge(
                session=session,
                deadline_id=button_id(update),
                telegram_id=viewer.telegram_id,
                unit_id=viewer.unit_id,
                now=now(context),
            )
    except DeadlineError as exc:
        await query.answer(exc.message(), show_alert=True)
        return
    await query.answer(
        _("✅ Noted: you have received this reminder.") if new else _("Already noted. Thank you!")
    )


# --- cancelling a deadline ----------------------------------------------------------------


@secretariat_only
async def cancel_ask(update: Update, context: BotContext) -> None:
    """dl:cx:<id> — confirm before cancelling."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.lifecycle import get_deadline

    deadline_id = button_id(update)
    with Session(context.runtime.engine) as session:
        try:
            deadline = get_deadline(session=session, deadline_id=deadline_id)
        except DeadlineError as exc:
            await refuse(update, exc.message())
            return
        title = escape(deadline.title)
    await say(
        update,
        _("Cancel the deadline “{title}”? Everyone already reminded will be told.").format(
            title=title
        ),
        cancel_confirm_markup(deadline_id),
        edit=True,
    )


@secretariat_only
async def cancel_confirm(update: Update, context: BotContext) -> None:
    """dl:cxy:<id> / dl:cxn:<id>."""
    from bot.deadlines import replies
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.lifecycle import cancel

    deadline_id = button_id(update)
    if button_parts(update)[1] == "cxn":
        await show_card(update, context, deadline_id, edit=True)
        return
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            result = cancel(
                session=session,
                deadline_id=deadline_id,
                actor=context.require_viewer().telegram_id,
                now=now(context),
                ctx=reminders.push_context(rt),
            )
            title = escape(result.deadline.title)
    except DeadlineError as exc:
        await refuse(update, exc.message())
        return
    reminders.unschedule(context.application, deadline_id)
    await say(
        update,
        _("🗑 Deadline “{title}” cancelled.").format(title=title)
        + " "
        + replies.notified_text(result.notified),
        edit=True,
    )
