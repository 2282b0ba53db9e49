"""Units administration screens: showing a page of the list or a unit's card, and the changes
that end on the card (kind, active, area)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Update

from bot.core.db import session_scope
from bot.core.i18n import _
from bot.core.stats import latest_snapshot
from handlers.context import BotContext
from handlers.units.views import MAX_QUERY, card_keyboard, card_text, list_data, list_view

if TYPE_CHECKING:
    from bot.units.queries import UnitCard

# Imported inside the functions that use them: bot.units loads at the first unit command, not at
# start-up.

logger = logging.getLogger(__name__)

# A navigation cache in user_data, not dialog state: the callback data of the list page last
# shown to this person, so that the card's "⬅️ Unit list" button returns to it. The button cannot
# carry it: a card is reached from a dozen buttons and from new messages (after adding or
# renaming), and a page with its search text already takes up to 58 of the 64 bytes Telegram
# allows in callback data. Losing it (a restart) only means going back to the first page.
LAST_LIST_KEY = "units_last_list"

CardView = Callable[["UnitCard"], tuple[str, InlineKeyboardMarkup]]


def load_card(session: Session, context: BotContext, unit_id: int) -> UnitCard:
    """A unit card with the freshest standings."""
    from bot.units.queries import unit_card

    snapshot = latest_snapshot(session=session, standings=context.runtime.standings)
    return unit_card(session=session, unit_id=unit_id, snapshot=snapshot)


def actor(context: BotContext) -> int:
    """Telegram id of the person acting."""
    return context.require_viewer().telegram_id


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = True
) -> None:
    """Edit the message a button belongs to, or reply to a message."""
    query = update.callback_query
    if edit and query is not None:
        await query.answer()
        await query.edit_message_text(text, reply_markup=markup)
        return
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, reply_markup=markup)


async def show_card(
    update: Update, context: BotContext, unit_id: int, note: str = "", *, edit: bool = True
) -> None:
    """Show a unit card, optionally under a note (a confirmation or a refusal)."""
    from bot.units.errors import UnitAdminError

    with Session(context.runtime.engine) as session:
        try:
            card = load_card(session, context, unit_id)
        except UnitAdminError as exc:
            await show(update, exc.message(), edit=edit)
            return
    text = card_text(card)
    if note:
        text = note + "\n\n" + text
    await show(update, text, card_keyboard(card), edit=edit)


async def show_card_view(update: Update, context: BotContext, unit_id: int, view: CardView) -> None:
    """Show a view built from a unit card (its kind keyboard, a confirmation…)."""
    from bot.units.errors import UnitAdminError

    with Session(context.runtime.engine) as session:
        try:
            card = load_card(session, context, unit_id)
        except UnitAdminError as exc:
            await show(update, exc.message())
            return
    text, markup = view(card)
    await show(update, text, markup)


async def show_list(
    update: Update,
    context: BotContext,
    page: int,
    kind: str | None,
    query: str,
    *,
    edit: bool = True,
) -> None:
    """Show one page of the unit list and remember it for the card's back button."""
    from bot.units.queries import list_units

    with Session(context.runtime.engine) as session:
        result = list_units(session=session, query=query[:MAX_QUERY], kind=kind, page=page)
    if context.user_data is not None:
        context.user_data[LAST_LIST_KEY] = list_data(result.page, result.kind, result.query)
    text, markup = list_view(result)
    await show(update, text, markup, edit=edit)


def last_list(context: BotContext) -> str:
    """Callback data of the list page last shown (the first page if none is remembered)."""
    stored = context.user_data.get(LAST_LIST_KEY) if context.user_data is not None else None
    return stored if isinstance(stored, str) else list_data(0, None, "")


async def change_kind(update: Update, context: BotContext, unit_id: int, kind: str) -> None:
    """Change a unit's kind and show the card with the outcome."""
    from bot.units.changes import set_kind
    from bot.units.errors import UnitAdminError

    try:
        with session_scope(context.runtime.engine) as session:
            set_kind(session=session, unit_id=unit_id, kind=kind, actor=actor(context))
        note = _("✅ Kind changed.")
    except UnitAdminError as exc:
        note = "⚠️ " + exc.message()
    await show_card(update, context, unit_id, note)


async def change_active(update: Update, context: BotContext, unit_id: int, active: bool) -> None:
    """Deactivate or reactivate a unit and show the card with the outcome."""
    from bot.units.changes import set_active
    from bot.units.errors import UnitAdminError

    try:
        with session_scope(context.runtime.engine) as session:
            set_active(session=session, unit_id=unit_id, active=active, actor=actor(context))
        note = _("✅ Unit reactivated.") if active else _("⛔ Unit deactivated.")
    except UnitAdminError as exc:
        note = "⚠️ " + exc.message()
    await show_card(update, context, unit_id, note)


async def change_area(
    update: Update, context: BotContext, unit_id: int, area_id: int | None, *, edit: bool = True
) -> None:
    """Place a unit under an area (None: top level) and show the card."""
    from bot.units.changes import set_area
    from bot.units.errors import UnitAdminError

    try:
        with session_scope(context.runtime.engine) as session:
            set_area(session=session, unit_id=unit_id, area_id=area_id, actor=actor(context))
        note = _("✅ Area changed.")
    except UnitAdminError as exc:
        note = "⚠️ " + exc.message()
    await show_card(update, context, unit_id, note, edit=edit)
