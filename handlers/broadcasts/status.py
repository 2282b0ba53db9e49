"""After sending: acknowledgements, /thongbao_ds, /thongbao_tt with its reminder, /khonglienlac."""

from __future__ import annotations

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.core.audiences import Audience, AudienceKind
from bot.core.i18n import _, fmt_number, ngettext
from handlers.broadcasts.views import (
    ack_label,
    list_listing,
    status_listing,
    unreachable_listing,
)
from handlers.commands import SECRETARIAT
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext
from handlers.paging import Listing, ListingSource, send_listing, show_page

# Imported inside the functions that use them: bot.broadcasts loads at the first announcement, not
# at start-up.

# --- acknowledgement ------------------------------------------------------------------------


async def ack_button(update: Update, context: BotContext) -> None:
    """'✅ Received' under an announcement: recorded for its recipients only."""
    from bot.broadcasts import acks

    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    broadcast_id = int(query.data.rsplit(":", 1)[1])
    chat = update.effective_chat
    try:
        with Session(context.runtime.engine) as session:
            first = acks.acknowledge(
                session=session,
                broadcast_id=broadcast_id,
                telegram_id=update.effective_user.id,
                chat_id=chat.id if chat is not None else None,
            )
    except LookupError:
        await query.answer(_("This announcement no longer exists."), show_alert=True)
        return
    except acks.NotARecipientError:
        await query.answer(
            _("This announcement was not sent to you, so there is nothing for you to confirm."),
            show_alert=True,
        )
        return
    if not first:
        await query.answer(_("You have already confirmed. Thank you."))
        return
    await query.answer(_("Thank you: your confirmation was recorded."))
    if query.message is not None and update.effective_chat is not None:
        if update.effective_chat.type == ChatType.PRIVATE:
            done = InlineKeyboardMarkup(
                [[InlineKeyboardButton(_("✅ Confirmed"), callback_data=query.data)]]
            )
            await query.edit_message_reply_markup(reply_markup=done)


# --- lists and status ------------------------------------------------------------------------


LATEST = "broadcasts"  # the kind of list /thongbao_ds pages through


def latest_listing(context: BotContext, _subject: int | None = None) -> Listing | None:
    """The latest announcements with their delivery (None: there are none)."""
    from bot.broadcasts import service as broadcasts

    with Session(context.runtime.engine) as session:
        items = []
        for b in broadcasts.recent(session=session, limit=10):
            assert b.id is not None
            st = broadcasts.status(session=session, broadcast_id=b.id)
            assert st is not None
            items.append((b, st))
    return list_listing(items) if items else None


LATEST_SOURCE = ListingSource(allowed=SECRETARIAT, build=latest_listing)


async def list_command(update: Update, context: BotContext) -> None:
    """/thongbao_ds: the latest announcements with their delivery."""
    message = update.effective_message
    assert message is not None
    listing = latest_listing(context)
    if listing is None:
        await message.reply_text(_("No announcements yet. Write one with /broadcast."))
        return
    await send_listing(update, context, LATEST, listing)


STATUS = "broadcast"  # the kind of list /thongbao_tt pages through; its subject: the id


def status_listing_for(context: BotContext, broadcast_id: int | None) -> Listing | None:
    """One announcement's status from the database (None: there is no such announcement)."""
    from bot.broadcasts import service as broadcasts

    if broadcast_id is None:
        return None
    with Session(context.runtime.engine) as session:
        st = broadcasts.status(session=session, broadcast_id=broadcast_id)
        if st is None:
            return None
        stored = Audience.from_dict(st.broadcast.audience) or Audience(AudienceKind.ALL)
        audience = broadcasts.describe(session=session, audience=stored)
    return status_listing(st, audience)


STATUS_SOURCE = ListingSource(allowed=SECRETARIAT, build=status_listing_for)


async def status_command(update: Update, context: BotContext) -> None:
    """/thongbao_tt <id>."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        await message.reply_text(
            _("Type the announcement's number, e.g. /broadcast_status 12 (see /broadcasts).")
        )
        return
    broadcast_id = int(args[0].lstrip("#"))
    listing = status_listing_for(context, broadcast_id)
    if listing is None:
        await message.reply_text(_("There is no announcement #{id}.").format(id=broadcast_id))
        return
    await send_listing(update, context, STATUS, listing, broadcast_id)


@secretariat_only
async def status_button(update: Update, context: BotContext) -> None:
    """A '#12' button of /thongbao_ds (the status in place), or the remind button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _sep, raw = query.data.partition(":")
    broadcast_id = int(raw)
    if action == "bcr":
        await _remind(update, context, broadcast_id)
        return
    listing = status_listing_for(context, broadcast_id)
    if listing is None:
        await query.answer(_("This announcement no longer exists."), show_alert=True)
        return
    await query.answer()
    await show_page(update, context, STATUS, listing, (query.from_user.id, broadcast_id, 0))


async def _remind(update: Update, context: BotContext, broadcast_id: int) -> None:
    """Queue a reminder to the officials of units that have not acknowledged."""
    from bot.broadcasts import service as broadcasts

    query = update.callback_query
    assert query is not None
    viewer = context.require_viewer()
    with Session(context.runtime.engine) as session:
        try:
            n = broadcasts.remind_unacknowledged(
                session=session,
                broadcast_id=broadcast_id,
                actor=viewer.telegram_id,
                ack_label=ack_label(),
            )
        except broadcasts.ReminderInFlight:
            await query.answer(
                _("A reminder for this announcement is still being sent."), show_alert=True
            )
            return
        except LookupError:
            await query.answer(_("This announcement no longer exists."), show_alert=True)
            return
    await query.answer(
        ngettext("Reminder queued for {n} person.", "Reminder queued for {n} people.", n).format(
            n=fmt_number(n)
        ),
        show_alert=True,
    )


# --- unreachable ----------------------------------------------------------------------------


UNREACHABLE = "unreachable"  # the kind of list /khonglienlac pages through


def unreachable_listing_for(context: BotContext, _subject: int | None = None) -> Listing | None:
    """The unreachable officials and units without anyone, or None when there are none."""
    from bot.broadcasts import service as broadcasts

    with Session(context.runtime.engine) as session:
        people, empty_units = broadcasts.unreachable(session=session)
    if not people and not empty_units:
        return None
    return unreachable_listing(people, empty_units)


# Private chats only: it lists names and Telegram ids.
UNREACHABLE_SOURCE = ListingSource(allowed=SECRETARIAT, build=unreachable_listing_for, private=True)


async def unreachable_command(update: Update, context: BotContext) -> None:
    """/khonglienlac: who cannot be reached, so the secretariat can phone them (in pages;
    private chat only: it lists names and Telegram ids)."""
    if not await private_only(update):
        return
    message = update.effective_message
    assert message is not None
    listing = unreachable_listing_for(context)
    if listing is None:
        await message.reply_text(_("✅ Every unit has at least one official the bot can reach."))
        return
    await send_listing(update, context, UNREACHABLE, listing)
