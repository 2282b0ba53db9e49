"""/imlang (silence a unit's warnings until a day) and /imlang_ds (the silences; lift one)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from html import escape

from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.db import session_scope
from bot.core.i18n import _
from bot.core.lookup import find_units
from bot.core.models import utcnow
from bot.core.people import unit_name
from handlers.commands import SECRETARIAT
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext
from handlers.dialogs import DialogFeature, State, ask, current_of, end
from handlers.paging import Listing, ListingSource, Section, send_listing, show_page

# Imported inside the functions that use them: bot.alerts loads at the first silence command, not
# at start-up.

logger = logging.getLogger(__name__)

FEATURE = "alerts"
# After an ambiguous /imlang the secretariat chooses the unit with a button; the reason typed
# with the command waits in the dialog's data ({"reason": …}) until that button is pressed.
CHOOSE_UNIT = "choose_unit"
DIALOG = DialogFeature(feature=FEATURE, states={CHOOSE_UNIT: State()})


def _silence(context: BotContext, unit_id: int, day: dt.date, reason: str, actor: int) -> str:
    """Write the silence and return the confirmation (or the refusal)."""
    from bot.alerts import silence_texts
    from bot.alerts.silences import SilenceError, silence_unit

    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            silence_unit(
                session=session,
                unit_id=unit_id,
                until_day=day,
                zone=rt.settings.tz,
                reason=reason,
                actor=actor,
            )
            name = unit_name(session=session, unit_id=unit_id) or "?"
    except SilenceError as exc:
        return exc.message()
    return silence_texts.silence_done(name, day, reason)


async def silence_command(update: Update, context: BotContext) -> None:
    """/imlang <unit> <dd/mm/yyyy> [reason]."""
    from bot.alerts import silence_texts

    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    rt = context.runtime
    today = utcnow().astimezone(rt.settings.tz).date()
    try:
        request = silence_texts.parse_silence(" ".join(context.args or []), today)
    except silence_texts.SilenceUsage as exc:
        await message.reply_text(exc.message())
        return
    with Session(rt.engine) as session:
        matches = find_units(session=session, query=request.unit_query)
    if not matches:
        await message.reply_text(
            _("No unit matches “{query}”.").format(query=escape(request.unit_query))
        )
        return
    if matches.unique is None:
        ask(context, FEATURE, CHOOSE_UNIT, {"reason": request.reason})
        stamp = request.day.strftime("%Y%m%d")
        buttons = [
            [InlineKeyboardButton(m.name[:60], callback_data=f"wn:s:{m.id}:{stamp}")]
            for m in matches
        ]
        await message.reply_text(
            _("Several units match. Choose the one to silence:"),
            reply_markup=InlineKeyboardMarkup(buttons),
        )
        return
    text = await asyncio.to_thread(
        _silence, context, matches.unique.id, request.day, request.reason, user.id
    )
    await message.reply_text(text)


SILENCES = "silences"  # the kind of list /imlang_ds pages through


def silences_listing(context: BotContext, _subject: int | None = None) -> Listing | None:
    """The silenced units, a button under each to turn its warnings back on (None: none)."""
    from bot.alerts import silence_texts
    from bot.alerts.silences import active_silences

    with Session(context.runtime.engine) as session:
        silences = active_silences(session=session)
    if not silences:
        return None
    buttons: list[InlineKeyboardButton | None] = [
        InlineKeyboardButton(
            (_("🔔 Turn on: {unit}").format(unit=s.unit_name))[:64], callback_data=f"wn:un:{s.id}"
        )
        for s in silences
    ]
    section = Section(
        silence_texts.silences_heading(silences), silence_texts.silence_lines(silences), buttons
    )
    footer = silence_texts.silences_footer()
    return Listing([section], file_name=_("silences.txt"), footer=footer, page_lines=8)


SILENCES_SOURCE = ListingSource(allowed=SECRETARIAT, build=silences_listing, private=True)


async def silences_command(update: Update, context: BotContext) -> None:
    """/imlang_ds."""
    from bot.alerts import silence_texts

    message = update.effective_message
    assert message is not None
    if not await private_only(update):
        return
    listing = await asyncio.to_thread(silences_listing, context)
    if listing is None:
        await message.reply_text(silence_texts.no_silences_text())
        return
    await send_listing(update, context, SILENCES, listing)


@secretariat_only
async def silence_button(update: Update, context: BotContext) -> None:
    """wn:s:<unit>:<yyyymmdd> (choice after an ambiguous /imlang), wn:un:<silence id>."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    if parts[1] == "s":
        await _silence_chosen(query, context, int(parts[2]), parts[3])
    else:
        await _lift(update, context, int(parts[2]))


async def _silence_chosen(
    query: CallbackQuery, context: BotContext, unit_id: int, stamp: str
) -> None:
    """The unit chosen after an ambiguous /imlang: silence it with the reason typed then."""
    from bot.alerts import silence_texts

    try:
        day = dt.datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        await query.answer(silence_texts.silence_usage(), show_alert=True)
        return
    dialog = current_of(context, FEATURE, CHOOSE_UNIT)
    reason = str(dialog.data.get("reason") or "") if dialog is not None else ""
    if dialog is not None:
        end(context)
    text = await asyncio.to_thread(_silence, context, unit_id, day, reason, query.from_user.id)
    await query.answer()
    await query.edit_message_text(text)


async def _lift(update: Update, context: BotContext, silence_id: int) -> None:
    """🔔 Turn on: lift a silence early, then show the list again (its first page)."""
    from bot.alerts import silence_texts
    from bot.alerts.silences import SilenceError, lift_silence

    query = update.callback_query
    assert query is not None
    rt = context.runtime
    actor = query.from_user.id

    def lift() -> str | None:
        try:
            with session_scope(rt.engine) as session:
                silence = lift_silence(session=session, silence_id=silence_id, actor=actor)
                return unit_name(session=session, unit_id=silence.unit_id) or "?"
        except SilenceError:
            return None

    name = await asyncio.to_thread(lift)
    if name is None:
        await query.answer(SilenceError("missing").message(), show_alert=True)
    else:
        await query.answer(silence_texts.silence_lifted(name))
    listing = await asyncio.to_thread(silences_listing, context)
    if listing is None:
        await query.edit_message_text(silence_texts.no_silences_text())
        return
    await show_page(update, context, SILENCES, listing, (actor, None, 0))
