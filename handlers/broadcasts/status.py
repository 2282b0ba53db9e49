"""After sending: acknowledgements, /thongbao_ds, /thongbao_tt with its reminder, /khonglienlac."""

from __future__ import annotations

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.broadcasts import acks
from bot.broadcasts import service as broadcasts
from bot.core.audiences import Audience, AudienceKind
from bot.core.i18n import _, fmt_number, ngettext
from bot.core.outbox import split_text
from handlers.broadcasts.views import ack_label, list_view, status_view, unreachable_text
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext

# --- acknowledgement ------------------------------------------------------------------------


async def ack_button(update: Update, context: BotContext) -> None:
    """'✅ Received' under an announcement: recorded for its recipients only."""
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


async def list_command(update: Update, context: BotContext) -> None:
    """/thongbao_ds: the latest announcements with their delivery."""
    message = update.effective_message
    assert message is not None
    with Session(context.runtime.engine) as session:
        items = []
        for b in broadcasts.recent(session=session, limit=10):
            assert b.id is not None
            st = broadcasts.status(session=session, broadcast_id=b.id)
            assert st is not None
            items.append((b, st))
    if not items:
        await message.reply_text(_("No announcements yet. Write one with /thongbao."))
        return
    text, markup = list_view(items)
    await message.reply_text(text, reply_markup=markup)


async def status_command(update: Update, context: BotContext) -> None:
    """/thongbao_tt <id>."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        await message.reply_text(
            _("Type the announcement's number, e.g. /thongbao_tt 12 (see /thongbao_ds).")
        )
        return
    text, markup = _status_view(context, int(args[0].lstrip("#")))
    await message.reply_text(text, reply_markup=markup)


@secretariat_only
async def status_button(update: Update, context: BotContext) -> None:
    """A '#12' button of /thongbao_ds, or the remind button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _sep, raw = query.data.partition(":")
    broadcast_id = int(raw)
    if action == "bcr":
        await _remind(update, context, broadcast_id)
        return
    await query.answer()
    text, markup = _status_view(context, broadcast_id)
    await query.edit_message_text(text, reply_markup=markup)


def _status_view(context: BotContext, broadcast_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One announcement's status from the database (or why there is none)."""
    with Session(context.runtime.engine) as session:
        st = broadcasts.status(session=session, broadcast_id=broadcast_id)
        if st is None:
            return _("There is no announcement #{id}.").format(id=broadcast_id), None
        stored = Audience.from_dict(st.broadcast.audience) or Audience(AudienceKind.ALL)
        audience = broadcasts.describe(session=session, audience=stored)
    return status_view(st, audience)


async def _remind(update: Update, context: BotContext, broadcast_id: int) -> None:
    """Queue a reminder to the officials of units that have not acknowledged."""
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


async def unreachable_command(update: Update, context: BotContext) -> None:
    """/khonglienlac: who cannot be reached, so the secretariat can phone them (private chat
    only: it lists names and Telegram ids)."""
    if not await private_only(update):
        return
    message = update.effective_message
    assert message is not None
    with Session(context.runtime.engine) as session:
        people, empty_units = broadcasts.unreachable(session=session)
    if not people and not empty_units:
        await message.reply_text(_("✅ Every unit has at least one official the bot can reach."))
        return
    for part in split_text(unreachable_text(people, empty_units)):
        await message.reply_text(part)
