"""Units administration buttons: paging and filtering the list, and every action on a card."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from html import escape

from sqlmodel import Session
from telegram import Update

from bot.core.areas import KINDS, list_areas
from bot.core.db import session_scope
from bot.core.i18n import _
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext
from handlers.units.cards import (
    actor,
    change_active,
    change_area,
    change_kind,
    last_list,
    load_card,
    show,
    show_card,
    show_card_view,
    show_list,
)
from handlers.units.dialog import AREA, RENAME, ask_about_unit
from handlers.units.views import (
    area_view,
    deactivate_view,
    kind_view,
    kinds_view,
    officials_view,
    person_text,
    remove_view,
)

# Imported inside the functions that use them: bot.units loads at the first unit command, not at
# start-up.

logger = logging.getLogger(__name__)

LIST_PATTERN = re.compile(r"^ul:(\d+):([a-z-]*):([0-9a-z% ]*)$")
UNIT_PATTERN = r"^ua:[a-z]+:\d+(:[a-z0-9-]+)?$"

# ua:<action>:<id>[:<arg>] — the id is a unit's, or an official's for "ro" and "ry".
UnitAction = Callable[[Update, BotContext, int, str], Awaitable[None]]


@secretariat_only
async def list_button(update: Update, context: BotContext) -> None:
    """Paging, the kind filter and going back to the list."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await private_only(update):
        return
    if query.data == "ul:k":
        text, markup = kinds_view()
        await show(update, text, markup)
        return
    data = last_list(context) if query.data == "ul:back" else query.data
    match = LIST_PATTERN.match(data)
    if match is None:
        await query.answer()
        return
    page, kind, text = int(match[1]), match[2] or None, match[3]
    await show_list(update, context, page, kind if kind in KINDS else None, text)


async def _area_keyboard(update: Update, context: BotContext, unit_id: int, page: int) -> None:
    """Keyboard of possible areas for a unit."""
    from bot.units.errors import UnitAdminError

    with Session(context.runtime.engine) as session:
        try:
            card = load_card(session, context, unit_id)
        except UnitAdminError as exc:
            await show(update, exc.message())
            return
        areas = list_areas(session=session, for_unit_id=unit_id)
    text, markup = area_view(card, areas, page)
    await show(update, text, markup)


async def _officials(update: Update, context: BotContext, unit_id: int) -> None:
    """The people linked to a unit."""
    from bot.units.errors import UnitAdminError
    from bot.units.officials import unit_officials

    with Session(context.runtime.engine) as session:
        try:
            card = load_card(session, context, unit_id)
            rows = unit_officials(session=session, unit_id=unit_id)
        except UnitAdminError as exc:
            await show(update, exc.message())
            return
    text, markup = officials_view(card, rows)
    await show(update, text, markup)


async def _confirm_remove(update: Update, context: BotContext, official_id: int) -> None:
    """Ask before removing an official from their unit."""
    from bot.units.errors import UnitAdminError
    from bot.units.officials import official

    with Session(context.runtime.engine) as session:
        try:
            row = official(session=session, official_id=official_id)
        except UnitAdminError as exc:
            await show(update, exc.message())
            return
    text, markup = remove_view(row)
    await show(update, text, markup)


async def _remove(update: Update, context: BotContext, official_id: int) -> None:
    """Remove an official and show the unit's remaining officials."""
    from bot.units.errors import UnitAdminError
    from bot.units.officials import remove_official, unit_officials

    try:
        with session_scope(context.runtime.engine) as session:
            row = remove_official(session=session, official_id=official_id, actor=actor(context))
    except UnitAdminError as exc:
        await show(update, exc.message())
        return
    note = _("✅ {person} was removed from {unit}.").format(
        person=person_text(row), unit=escape(row.unit_name or "—")
    )
    if row.unit_id is None:
        await show(update, note)
        return
    with Session(context.runtime.engine) as session:
        card = load_card(session, context, row.unit_id)
        rows = unit_officials(session=session, unit_id=row.unit_id)
    text, markup = officials_view(card, rows)
    await show(update, note + "\n\n" + text, markup)


UNIT_ACTIONS: dict[str, UnitAction] = {
    "c": lambda u, c, unit, _arg: show_card(u, c, unit),
    "r": lambda u, c, unit, _arg: ask_about_unit(u, c, unit, RENAME),
    "k": lambda u, c, unit, _arg: show_card_view(u, c, unit, kind_view),
    "ks": lambda u, c, unit, kind: change_kind(u, c, unit, kind),
    "a": lambda u, c, unit, page: _area_keyboard(u, c, unit, int(page or 0)),
    "as": lambda u, c, unit, area: change_area(u, c, unit, int(area) or None),
    "at": lambda u, c, unit, _arg: ask_about_unit(u, c, unit, AREA),
    "o": lambda u, c, unit, _arg: _officials(u, c, unit),
    "d": lambda u, c, unit, _arg: show_card_view(u, c, unit, deactivate_view),
    "dy": lambda u, c, unit, _arg: change_active(u, c, unit, False),
    "e": lambda u, c, unit, _arg: change_active(u, c, unit, True),
    "ro": lambda u, c, official_id, _arg: _confirm_remove(u, c, official_id),
    "ry": lambda u, c, official_id, _arg: _remove(u, c, official_id),
}


@secretariat_only
async def unit_button(update: Update, context: BotContext) -> None:
    """Every action on a unit card: ua:<action>:<id>[:<arg>]."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await private_only(update):
        return
    parts = query.data.split(":")
    action = UNIT_ACTIONS.get(parts[1])
    if action is None:
        await query.answer()
        return
    await action(update, context, int(parts[2]), parts[3] if len(parts) > 3 else "")
