"""/hanchot_tt: who has and has not complied with a deadline, its report buttons, its CSV."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.core.db import session_scope
from bot.core.i18n import _
from bot.core.stats import period_info
from handlers.commands import SECRETARIAT
from handlers.common import secretariat_only
from handlers.context import BotContext
from handlers.deadlines.dialog import button_id, button_parts, now, refuse
from handlers.deadlines.views import deadline_buttons
from handlers.paging import Listing, ListingSource, Section, send_listing, show_page

# Imported inside the functions that use them: bot.deadlines.views loads at the first deadline
# command, not at start-up; bot.deadlines loads at its first use, not at start-up.


async def status_command(update: Update, context: BotContext) -> None:
    """/hanchot_tt <id> (without an id: the only open deadline, or a choice of them)."""
    from bot.deadlines.views import list_deadlines

    arg = (context.args or [""])[0].lstrip("#")
    if arg.isdigit():
        await show_status(update, context, int(arg), 0)
        return
    with session_scope(context.runtime.engine) as session:
        rows = list_deadlines(session=session, now=now(context))
        ids = [r.deadline.id for r in rows]
        buttons = deadline_buttons(rows, "st")
    if len(ids) == 1 and ids[0] is not None:
        await show_status(update, context, ids[0], 0)
        return
    text = (
        _("Which deadline? Tap one, or type /deadline_status &lt;id&gt;.")
        if rows
        else _("No open deadlines. Create one with /deadline_new.")
    )
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, reply_markup=InlineKeyboardMarkup(buttons) if buttons else None)


STATUS = "deadline"  # the kind of list /hanchot_tt pages through; its subject is the deadline


def status_listing(context: BotContext, deadline_id: int | None) -> Listing | None:
    """A deadline's status table in pages: the units under the deadline's summary, a button
    per report to read, and the table as a CSV file (None: there is no such deadline)."""
    from bot.deadlines import replies
    from bot.deadlines.views import status_view

    if deadline_id is None:
        return None
    rt = context.runtime
    moment = now(context)
    with session_scope(rt.engine) as session:
        view = status_view(session=session, deadline_id=deadline_id, now=moment, tz=rt.settings.tz)
        period = period_info(session=session, period_id=view.deadline.period_id)
        head = replies.status_head(view, period=period, now=moment)
        groups = replies.status_sections(view)
        footer = replies.status_footer(view)
    sections = [
        Section(
            group.heading,
            group.texts,
            [
                Button(f"📄 {read[0]}"[:60], callback_data=f"dl:see:{read[1]}") if read else None
                for read in group.reports
            ],
        )
        for group in groups
    ]
    csv_row = [Button(_("📥 Table as a file (CSV)"), callback_data=f"dl:csv:{deadline_id}")]
    return Listing(sections, file_name=None, header=head, footer=footer, rows=[csv_row])


def _listing_or_none(context: BotContext, deadline_id: int | None) -> Listing | None:
    """The listing, or None for a deadline deleted since the buttons were shown."""
    from bot.deadlines.errors import DeadlineError

    try:
        return status_listing(context, deadline_id)
    except DeadlineError:
        return None


STATUS_SOURCE = ListingSource(allowed=SECRETARIAT, build=_listing_or_none)


async def show_status(update: Update, context: BotContext, deadline_id: int, page: int) -> None:
    """The status table: a new message from a command or a choice, a page of it in place from
    the buttons of an older version ('dl:st:<id>:<page>' with a page > 0)."""
    from bot.deadlines.errors import DeadlineError

    try:
        listing = status_listing(context, deadline_id)
    except DeadlineError as exc:
        await refuse(update, exc.message())
        return
    assert listing is not None
    query = update.callback_query
    if query is not None and page > 0:
        await query.answer()
        owner = query.from_user.id
        await show_page(update, context, STATUS, listing, (owner, deadline_id, page))
        return
    if query is not None:
        await query.answer()
    await send_listing(update, context, STATUS, listing, deadline_id)


@secretariat_only
async def status_button(update: Update, context: BotContext) -> None:
    """dl:st:<id>:<page>."""
    _p, _d, raw_id, raw_page = button_parts(update)
    await show_status(update, context, int(raw_id), int(raw_page))


@secretariat_only
async def csv_button(update: Update, context: BotContext) -> None:
    """dl:csv:<id> — the status table as a CSV file (opens in Excel)."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.views import status_csv, status_view

    deadline_id = button_id(update)
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            view = status_view(
                session=session, deadline_id=deadline_id, now=now(context), tz=rt.settings.tz
            )
            data = status_csv(view).encode("utf-8-sig")
            title = escape(view.deadline.title)
    except DeadlineError as exc:
        await refuse(update, exc.message())
        return
    assert update.callback_query is not None and update.effective_message is not None
    await update.callback_query.answer()
    await update.effective_message.reply_document(
        InputFile(data, filename=f"hanchot-{deadline_id}.csv"),
        caption=_("Status of “{title}” (#{id})").format(title=title, id=deadline_id),
    )
