"""Units administration, typed answers: a new unit's name, a new name, an area's name.

The "units" dialog has one state per question; its data is the unit concerned. A refused answer
asks again; /huy (handlers/dialogs) ends it with "Cancelled.".
"""

from __future__ import annotations

import datetime as dt
import logging
from html import escape

from sqlmodel import Session
from telegram import Update
from telegram.constants import ChatType

from bot.core.areas import kind_label
from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _
from bot.core.lookup import find_units
from handlers import dialogs
from handlers.commands import refusal_text
from handlers.context import BotContext
from handlers.dialogs import DialogFeature, State
from handlers.units.cards import actor, change_area, show, show_card
from handlers.units.views import area_matches_keyboard

# Imported inside the functions that use them: bot.units loads at the first unit command, not at
# start-up.

logger = logging.getLogger(__name__)

FEATURE = "units"
ADD, RENAME, AREA = "add", "rename", "area"
TTL = dt.timedelta(minutes=15)  # a typed answer is awaited for a short while only


def _cancelled() -> str:
    """What /huy says when a units question was open."""
    return _("Cancelled.")


def _typed(update: Update) -> str:
    """The typed answer (a text message)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text


async def _reply(update: Update, text: str) -> None:
    """Answer the typed message."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(text)


def _ask_again(context: BotContext, state: str, unit_id: int | None) -> None:
    """Keep waiting for an answer to the same question."""
    dialogs.ask(context, FEATURE, state, {"unit_id": unit_id})


# --- questions ------------------------------------------------------------------------------


async def ask_new_unit(update: Update, context: BotContext) -> None:
    """/donvi_them without a name: ask for it."""
    _ask_again(context, ADD, None)
    await _reply(update, _("Type the name of the new unit, or /cancel to cancel."))


async def ask_about_unit(update: Update, context: BotContext, unit_id: int, state: str) -> None:
    """Ask for a typed answer about a unit (RENAME: its new name; AREA: its area's name)."""
    from bot.units.errors import UnitAdminError
    from bot.units.queries import get_unit

    with Session(context.runtime.engine) as session:
        try:
            name = get_unit(session=session, unit_id=unit_id).name
        except UnitAdminError as exc:
            await show(update, exc.message())
            return
    _ask_again(context, state, unit_id)
    if state == RENAME:
        text = _("Type the new name for <b>{unit}</b>, or /cancel to cancel.")
    else:
        text = _("Type the name of the area (any unit) for <b>{unit}</b>, or /cancel to cancel.")
    await show(update, text.format(unit=escape(name)))


# --- answers --------------------------------------------------------------------------------


async def add_named(update: Update, context: BotContext, name: str, *, typed: bool = False) -> None:
    """Create a unit and show its card (a typed name that is refused is asked for again)."""
    from bot.units.changes import add_unit
    from bot.units.errors import UnitAdminError

    try:
        with session_scope(context.runtime.engine) as session:
            unit = add_unit(session=session, name=name, actor=actor(context))
            unit_id, kind = unit.id, unit.kind
    except UnitAdminError as exc:
        text = exc.message()
        if typed:
            _ask_again(context, ADD, None)
            text += "\n" + _("Type another name, or /cancel to cancel.")
        await _reply(update, text)
        return
    assert unit_id is not None
    note = _(
        "✅ Unit added. Its kind “{kind}” was guessed from the name: change it below if needed."
    ).format(kind=kind_label(kind))
    await show_card(update, context, unit_id, note, edit=False)


async def _rename(update: Update, context: BotContext, unit_id: int, name: str) -> None:
    """Rename a unit from a typed name."""
    from bot.units.changes import rename_unit
    from bot.units.errors import UnitAdminError
    from bot.units.queries import get_unit

    try:
        with session_scope(context.runtime.engine) as session:
            old = get_unit(session=session, unit_id=unit_id).name
            unit = rename_unit(
                session=session, unit_id=unit_id, new_name=name, actor=actor(context)
            )
            new = unit.name
    except UnitAdminError as exc:
        _ask_again(context, RENAME, unit_id)
        await _reply(update, exc.message() + "\n" + _("Type another name, or /cancel to cancel."))
        return
    note = _(
        "✅ Renamed “{old}” to “{new}”. The old name still finds it in lookups and imports."
    ).format(old=escape(old), new=escape(new))
    await show_card(update, context, unit_id, note, edit=False)


async def _area_typed(update: Update, context: BotContext, unit_id: int, text: str) -> None:
    """Place a unit under the unit named in a typed text, or offer the matches."""
    with Session(context.runtime.engine) as session:
        matches = find_units(session=session, query=text)
    if matches.unique is not None:
        await change_area(update, context, unit_id, matches.unique.id, edit=False)
        return
    if not matches:
        _ask_again(context, AREA, unit_id)
        await _reply(
            update,
            _("No unit matches “{query}”. Type another name, or /cancel to cancel.").format(
                query=escape(text)
            ),
        )
        return
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        _("Which one is the area?"), reply_markup=area_matches_keyboard(unit_id, list(matches))
    )


async def _answered(update: Update, context: BotContext) -> bool:
    """Close the question before acting on its answer; False if this person may not answer.

    Answers count in a private chat only: elsewhere the question stays open, as it did when
    these answers were read by a private-chat handler.
    """
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        return False
    dialogs.end(context)
    viewer = context.viewer
    if viewer is None or not viewer.is_secretariat:
        await _reply(update, refusal_text())
        return False
    return True


async def new_unit_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The name of the unit to add."""
    if await _answered(update, context):
        await add_named(update, context, _typed(update), typed=True)


async def rename_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The new name of the unit."""
    if await _answered(update, context):
        await _rename(update, context, int(dialog.data["unit_id"]), _typed(update))


async def area_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The name of the unit's area."""
    if await _answered(update, context):
        await _area_typed(update, context, int(dialog.data["unit_id"]), _typed(update))


DIALOG = DialogFeature(
    feature=FEATURE,
    states={
        ADD: State(on_text=new_unit_step),
        RENAME: State(on_text=rename_step),
        AREA: State(on_text=area_step),
    },
    ttl=TTL,
    cancelled=_cancelled,
)
