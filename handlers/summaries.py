"""/tonghop (summary with charts) and /lichsu (a unit's history)."""

from __future__ import annotations

import asyncio
import logging
import time
from html import escape

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.core import messages, outbox
from bot.core.areas import area_of_unit, list_areas
from bot.core.audiences import current_subscription
from bot.core.i18n import _, lazy_gettext
from bot.core.lookup import find_units
from bot.groups import service as groups
from handlers.commands import MEMBERS, CommandSpec
from handlers.common import secretariat_only
from handlers.context import BotContext, KysoApp

# The summaries' domain (figures, texts, history; ~15 ms of imports) is loaded by the callbacks
# at the first /tonghop or /lichsu, not at every start-up.

logger = logging.getLogger(__name__)


AREA_PAGE = 8
GROUP_COOLDOWN = 120.0  # seconds between on-demand summaries in one group
# When this worker last posted an on-demand summary in a group (chat_data, time.monotonic()).
# Deliberately an in-memory cache, not a table: it only stops a group from being flooded with
# charts by repeated /tonghop; a restart or a second worker allowing one extra summary is
# harmless, and the weekly summaries do not depend on it.
COOLDOWN_KEY = "summary_posted_at"
CAPTION_LIMIT = outbox.MAX_CAPTION


# --- /tonghop ---------------------------------------------------------------------------------


async def _post_summary(
    update: Update, context: BotContext, area_unit_id: int | None, *, edit: bool = False
) -> bool:
    """Send the summary text, then its chart images, to the current chat."""
    from bot.summaries.figures import load_summary
    from bot.summaries.texts import chart_caption, render

    chat = update.effective_chat
    assert chat is not None
    rt = context.runtime
    with Session(rt.engine) as session:
        summary = load_summary(session=session, standings=rt.standings, area_unit_id=area_unit_id)
    query = update.callback_query
    if summary is None:
        text = messages.no_data() if area_unit_id is None else _("That area no longer exists.")
        if edit and query is not None:
            await query.edit_message_text(text)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text)
        return False
    rendered = await asyncio.to_thread(render, summary)
    parts = outbox.split_text(rendered.text)
    message = update.effective_message
    # In a forum group, answer in the topic the command came from.
    thread = message.message_thread_id if message and message.is_topic_message else None
    if edit and query is not None:
        await query.edit_message_text(parts[0])
        parts = parts[1:]
    for part in parts:
        await context.bot.send_message(chat.id, part, message_thread_id=thread)
    pages = len(rendered.images)
    for page, image in enumerate(rendered.images, start=1):
        await context.bot.send_photo(
            chat.id,
            InputFile(image, filename=f"tong-hop-{page}.png"),
            caption=chart_caption(summary, page, pages),
            message_thread_id=thread,
        )
    return True


def area_keyboard(areas: list[tuple[int, str]], page: int) -> InlineKeyboardMarkup:
    """🌐 Whole province, then the areas, 8 per page; data 'sum:all', 'sum:a:<id>', 'sum:p:<n>'."""
    rows = [[InlineKeyboardButton(_("🌐 Whole province"), callback_data="sum:all")]]
    pages = max(1, -(-len(areas) // AREA_PAGE))
    page = min(max(page, 0), pages - 1)
    for area_id, name in areas[page * AREA_PAGE : (page + 1) * AREA_PAGE]:
        rows.append([InlineKeyboardButton(name[:64], callback_data=f"sum:a:{area_id}")])
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(_("◀️ Previous"), callback_data=f"sum:p:{page - 1}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(_("Next ▶️"), callback_data=f"sum:p:{page + 1}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def _areas(context: BotContext) -> list[tuple[int, str]]:
    """Active areas by name."""
    with Session(context.runtime.engine) as session:
        return [(a.id, a.name) for a in list_areas(session=session)]


async def summary_command(update: Update, context: BotContext) -> None:
    """/tonghop: in a group its area's summary; the secretariat chooses; others get their area."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    viewer = context.require_viewer()
    rt = context.runtime
    if chat.type in groups.GROUP_TYPES:
        await _group_summary(update, context, chat.id)
        return
    if viewer.is_secretariat:
        areas = _areas(context)
        if areas:
            await message.reply_text(
                _("Summary of which units?"), reply_markup=area_keyboard(areas, 0)
            )
            return
        await _post_summary(update, context, None)
        return
    with Session(rt.engine) as session:
        area_id = area_of_unit(session=session, unit_id=viewer.unit_id)
    await _post_summary(update, context, area_id)


async def _group_summary(update: Update, context: BotContext, chat_id: int) -> None:
    """/tonghop in a group: its subscription's area, at most once every two minutes."""
    message = update.effective_message
    assert message is not None
    with Session(context.runtime.engine) as session:
        current = current_subscription(session=session, chat_id=chat_id)
    if current is None:
        await message.reply_text(
            _(
                "This group does not receive summaries yet. A member of the secretariat can "
                "choose what it receives with /group."
            )
        )
        return
    last = context.chat_data.get(COOLDOWN_KEY) if context.chat_data is not None else None
    now = time.monotonic()
    if last is not None and now - last < GROUP_COOLDOWN:
        await message.reply_text(
            _("The summary was posted here a moment ago: scroll up to see it.")
        )
        return
    if await _post_summary(update, context, current.area_unit_id) and context.chat_data is not None:
        context.chat_data[COOLDOWN_KEY] = now


@secretariat_only
async def summary_button(update: Update, context: BotContext) -> None:
    """sum:all, sum:a:<area id>, sum:p:<page>."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    await query.answer()
    if parts[1] == "p":
        await query.edit_message_text(
            _("Summary of which units?"), reply_markup=area_keyboard(_areas(context), int(parts[2]))
        )
        return
    area_id = int(parts[2]) if parts[1] == "a" else None
    if area_id is not None and area_id not in {a for a, _name in _areas(context)}:
        await query.edit_message_text(_("That area no longer exists or is deactivated."))
        return
    await _post_summary(update, context, area_id, edit=True)


# --- /lichsu ----------------------------------------------------------------------------------


async def _send_history(
    update: Update, context: BotContext, unit_id: int, prefix: str = ""
) -> None:
    """The unit's history as a chart with the figures as its caption (text only if too short)."""
    from bot.summaries.history import history_chart, history_text, unit_history

    chat = update.effective_chat
    assert chat is not None
    with Session(context.runtime.engine) as session:
        history = unit_history(session=session, unit_id=unit_id)
    if history is None:
        await context.bot.send_message(chat.id, _("That unit no longer exists."))
        return
    text = prefix + history_text(history)
    image = await asyncio.to_thread(history_chart, history)
    if image is None:
        await context.bot.send_message(chat.id, text)
        return
    if len(text) > CAPTION_LIMIT:
        await context.bot.send_message(chat.id, text)
        text = f"📈 {escape(history.unit_name)}"
    await context.bot.send_photo(chat.id, InputFile(image, filename="lich-su.png"), caption=text)


async def history_command(update: Update, context: BotContext) -> None:
    """/lichsu: the official's unit; the secretariat names any unit."""
    message = update.effective_message
    assert message is not None
    viewer = context.require_viewer()
    query = " ".join(context.args or []).strip()
    if query and viewer.is_secretariat:
        with Session(context.runtime.engine) as session:
            matches = find_units(session=session, query=query)
        if not matches:
            await message.reply_text(
                _(
                    "No unit matches “{query}”. Try part of its name, e.g. /history Nam Tiền Hải"
                ).format(query=escape(query))
            )
            return
        if matches.unique is None:
            text = messages.did_you_mean() if matches.fuzzy else messages.choose_unit(len(matches))
            keyboard = InlineKeyboardMarkup(
                [[InlineKeyboardButton(m.name[:64], callback_data=f"hist:{m.id}")] for m in matches]
            )
            await message.reply_text(text, reply_markup=keyboard)
            return
        await _send_history(update, context, matches.unique.id)
        return
    if viewer.unit_id is None:
        await message.reply_text(
            _("Type a unit's name after the command, e.g. /history Nam Tiền Hải")
        )
        return
    prefix = messages.only_own_unit() + "\n\n" if query else ""
    await _send_history(update, context, viewer.unit_id, prefix)


async def history_button(update: Update, context: BotContext) -> None:
    """hist:<unit id>: the secretariat, or an official for their own unit."""
    query = update.callback_query
    assert query is not None and query.data is not None
    viewer = context.require_viewer()
    unit_id = int(query.data.split(":", 1)[1])
    if not viewer.is_secretariat and unit_id != viewer.unit_id:
        await query.answer(messages.only_own_unit(), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _send_history(update, context, unit_id)


COMMANDS = (
    CommandSpec(
        names=("tonghop", "summary"),
        description=lazy_gettext(
            "summary of the latest period with charts (in a group: the group's area)"
        ),
        allowed=MEMBERS,
        callback=summary_command,
    ),
    CommandSpec(
        names=("lichsu", "history"),
        description=lazy_gettext("your unit's rate over the last periods, as a chart"),
        allowed=MEMBERS,
        callback=history_command,
        menu_vi="lichsu",
        menu_en="history",
    ),
)


def register(app: KysoApp) -> None:
    """The area buttons of /tonghop and the unit buttons of /lichsu."""
    app.add_handler(CallbackQueryHandler(summary_button, pattern=r"^sum:(all|a:\d+|p:\d+)$"))
    app.add_handler(CallbackQueryHandler(history_button, pattern=r"^hist:\d+$"))
