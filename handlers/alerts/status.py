"""/canhbao: the warnings status of an indicator, a unit's warning history, and "send now"."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from html import escape
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.core.db import session_scope
from bot.core.i18n import _, fmt_number
from bot.core.lookup import find_units
from bot.core.messages import indicator_name
from bot.core.models import utcnow
from bot.core.people import unit_name
from handlers.commands import SECRETARIAT
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext
from handlers.paging import Listing, ListingSource, Section, send_listing, show_page

if TYPE_CHECKING:
    from bot.alerts.status import WarningStatus

# Imported inside the functions that use them: bot.alerts loads at the first warnings command, not
# at start-up.

logger = logging.getLogger(__name__)

WARNINGS = "warnings"  # the kind of list /canhbao pages through; its subject: the indicator


def status_listing(status: WarningStatus) -> Listing:
    """The units below the threshold under the counts and policy, send now, other indicators."""
    from bot.alerts import texts as warnings_text

    ind = status.indicator.id
    rows: list[list[InlineKeyboardButton]] = []
    if status.period is not None and status.policy.enabled:
        rows.append([InlineKeyboardButton(_("📣 Send now"), callback_data=f"wn:run:{ind}")])
    for other_id, code, name in status.other_indicators:
        label = indicator_name(code, name)[:60]
        rows.append([InlineKeyboardButton(label, callback_data=f"wn:p:{other_id}:0")])
    units = [warnings_text.unit_line(u) for u in status.units] if status.period else []
    return Listing(
        [Section("", units)] if units else [],
        file_name=_("warnings.txt"),
        header=warnings_text.status_head(status),
        footer=warnings_text.status_hint() if units else "",
        rows=rows,
        page_lines=10,
        answer_buttons=True,
    )


def _listing_for(context: BotContext, indicator_id: int | None) -> Listing | None:
    """The /canhbao list of an indicator, from the database (None: nothing imported)."""
    status = _status(context, indicator_id)
    if status is None or (indicator_id is not None and status.indicator.id != indicator_id):
        return None
    return status_listing(status)


WARNINGS_SOURCE = ListingSource(allowed=SECRETARIAT, build=_listing_for, private=True)


def _status(context: BotContext, indicator_id: int | None) -> WarningStatus | None:
    """Current warning status from the database."""
    from bot.alerts.status import warning_status

    rt = context.runtime
    with Session(rt.engine) as session:
        return warning_status(
            session=session,
            settings=rt.settings,
            indicator_id=indicator_id,
            inhibitors=rt.links.alert_inhibitors,
        )


async def warnings_command(update: Update, context: BotContext) -> None:
    """/canhbao: the status; /canhbao <unit>: that unit's warnings and who got them."""
    message = update.effective_message
    assert message is not None
    if not await private_only(update):
        return
    query = " ".join(context.args or []).strip()
    if query:
        await _unit_lookup(message, context, query)
        return
    status = await asyncio.to_thread(_status, context, None)
    if status is None:
        await message.reply_text(
            _("No statistics have been imported yet, so there are no warnings.")
        )
        return
    await send_listing(update, context, WARNINGS, status_listing(status), status.indicator.id)


async def _unit_lookup(message: Message, context: BotContext, query: str) -> None:
    """One unit's history, or buttons to choose among several."""
    with Session(context.runtime.engine) as session:
        matches = find_units(session=session, query=query)
    if not matches:
        await message.reply_text(_("No unit matches “{query}”.").format(query=escape(query)))
        return
    if matches.unique is None:
        buttons = [
            [InlineKeyboardButton(m.name[:60], callback_data=f"wn:u:{m.id}")] for m in matches
        ]
        await message.reply_text(
            _("Several units match. Choose one:"), reply_markup=InlineKeyboardMarkup(buttons)
        )
        return
    await message.reply_text(await asyncio.to_thread(_history, context, matches.unique.id))


def _history(context: BotContext, unit_id: int) -> str:
    """The /canhbao <unit> text."""
    from bot.alerts import texts as warnings_text
    from bot.alerts.silences import active_silences
    from bot.alerts.status import unit_history, warning_status

    rt = context.runtime
    with Session(rt.engine) as session:
        name = unit_name(session=session, unit_id=unit_id) or "?"
        status = warning_status(
            session=session, settings=rt.settings, inhibitors=rt.links.alert_inhibitors
        )
        current = None
        if status is not None:
            current = next((u for u in status.units if u.unit_id == unit_id), None)
        silence = next((s for s in active_silences(session=session) if s.unit_id == unit_id), None)
        history = unit_history(session=session, unit_id=unit_id)
    return warnings_text.unit_history_text(name, current, silence, history)


def _run_preview(status: WarningStatus, now: dt.datetime) -> tuple[int, int]:
    """Units a run would warn now, and repeats that are due."""
    from bot.alerts.evaluate import repeat_due

    new = repeats = 0
    for u in status.units:
        if u.silenced_until is not None or u.inhibited or not u.recipients:
            continue
        if not u.notified:
            new += 1
        elif u.last_sent_at is not None and repeat_due(
            u.last_sent_at, now, status.policy.repeat_interval
        ):
            repeats += 1
    return new, repeats


@secretariat_only
async def warnings_button(update: Update, context: BotContext) -> None:
    """wn:p:<indicator>:<page>, wn:run:<indicator>, wn:go:<indicator>, wn:u:<unit>."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await private_only(update):
        return
    parts = query.data.split(":")
    action, ident = parts[1], int(parts[2])
    if action == "u":
        await query.answer()
        await query.edit_message_text(await asyncio.to_thread(_history, context, ident))
        return
    status = await asyncio.to_thread(_status, context, ident)
    if status is None or status.indicator.id != ident:
        await query.answer(_("No statistics have been imported yet."), show_alert=True)
        return
    if action == "p":  # another indicator, cancel, or a page button of an older version
        await query.answer()
        place = (query.from_user.id, ident, int(parts[3]))
        await show_page(update, context, WARNINGS, status_listing(status), place)
    elif action == "run":
        await _ask_run(query, status)
    else:  # "go"
        await _run_now(update, context, status)


async def _ask_run(query: CallbackQuery, status: WarningStatus) -> None:
    """📣 Send now: how many units would be warned, Send / Cancel."""
    ident = status.indicator.id
    new, repeats = _run_preview(status, utcnow())
    text = (
        _("📣 <b>Send warnings now?</b>")
        + "\n"
        + _(
            "Units not warned yet for the current figures: {new}. Repeats due: {repeats}. "
            "Units already warned recently get nothing."
        ).format(new=fmt_number(new), repeats=fmt_number(repeats))
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("✅ Send"), callback_data=f"wn:go:{ident}"),
                InlineKeyboardButton(_("✖️ Cancel"), callback_data=f"wn:p:{ident}:0"),
            ]
        ]
    )
    await query.answer()
    await query.edit_message_text(text, reply_markup=markup)


async def _run_now(update: Update, context: BotContext, status: WarningStatus) -> None:
    """✅ Send: run the warnings for one indicator now, then show the refreshed status."""
    from bot.alerts import texts as warnings_text
    from bot.alerts.evaluate import run_manually

    query = update.callback_query
    assert query is not None
    ident = status.indicator.id
    actor = query.from_user.id
    rt = context.runtime

    def run() -> dict[str, int | str | None]:
        with session_scope(rt.engine) as session:
            outcome = run_manually(
                session=session,
                indicator_id=ident,
                settings=rt.settings,
                actor=actor,
                inhibitors=rt.links.alert_inhibitors,
                basis=rt.links.rule_basis,
            )
            return outcome.counts()

    counts = await asyncio.to_thread(run)
    await query.answer()
    refreshed = await asyncio.to_thread(_status, context, ident) or status
    place = (query.from_user.id, ident, 0)
    await show_page(update, context, WARNINGS, status_listing(refreshed), place)
    if isinstance(query.message, Message):
        await query.message.reply_text(warnings_text.run_summary(counts, status.indicator))
