"""/tonghop (summary with charts), /baocao (XLSX report), /lichsu (a unit's history)."""

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
from bot.core.i18n import _, fmt_date, lazy_gettext
from bot.core.lookup import find_units
from bot.core.stats import PeriodInfo
from bot.groups import service as groups
from bot.reports import service as reports
from bot.summaries.figures import load_summary
from bot.summaries.history import history_chart, history_text, unit_history
from bot.summaries.texts import chart_caption, render
from handlers.commands import MEMBERS, SECRETARIAT, CommandSpec
from handlers.common import secretariat_only
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)


AREA_PAGE = 8
GROUP_COOLDOWN = 120.0  # seconds between on-demand summaries in one group
COOLDOWN_KEY = "summary_posted_at"
CAPTION_LIMIT = outbox.MAX_CAPTION


# --- /tonghop ---------------------------------------------------------------------------------


async def _post_summary(
    update: Update, context: BotContext, area_unit_id: int | None, *, edit: bool = False
) -> bool:
    """Send the summary text, then its chart images, to the current chat."""
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
        with Session(rt.engine) as session:
            current = groups.current_subscription(session=session, chat_id=chat.id)
        if current is None:
            await message.reply_text(
                _(
                    "This group does not receive summaries yet. A member of the secretariat can "
                    "choose what it receives with /nhom."
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
        if (
            await _post_summary(update, context, current.area_unit_id)
            and context.chat_data is not None
        ):
            context.chat_data[COOLDOWN_KEY] = now
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


# --- /baocao ----------------------------------------------------------------------------------


def _period_label(period: PeriodInfo) -> str:
    """'08/06/2026 – 22/06/2026'."""
    return _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))


async def _send_report(update: Update, context: BotContext, period: PeriodInfo) -> None:
    """Build the workbook off the event loop and send it as a document."""
    chat = update.effective_chat
    assert chat is not None
    rt = context.runtime

    def build() -> reports.Report:
        with Session(rt.engine) as session:
            return reports.build_report(session=session, period=period, tz=rt.settings.tz)

    report = await asyncio.to_thread(build)
    caption = _("📑 Report for {period}: {sheets}").format(
        period=_period_label(period), sheets=escape(", ".join(report.sheets))
    )
    if len(caption) > CAPTION_LIMIT:
        caption = _("📑 Report for {period}").format(period=_period_label(period))
    await context.bot.send_document(
        chat.id, InputFile(report.data, filename=report.filename), caption=caption
    )
    logger.info("Report for period %s sent to %s", period.id, chat.id)


async def report_command(update: Update, context: BotContext) -> None:
    """/baocao: choose a period (buttons 'rep:<period id>'), or the only one at once."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    if chat.type != "private":
        await message.reply_text(
            _("Send /baocao to me in a private chat: the report lists officials' contacts.")
        )
        return
    with Session(context.runtime.engine) as session:
        periods = reports.list_periods(session=session)
    if not periods:
        await message.reply_text(messages.no_data())
        return
    if len(periods) == 1:
        await message.reply_text(_("Preparing the report…"))
        await _send_report(update, context, periods[0])
        return
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_period_label(p), callback_data=f"rep:{p.id}")] for p in periods]
    )
    await message.reply_text(_("Report for which period?"), reply_markup=keyboard)


@secretariat_only
async def report_button(update: Update, context: BotContext) -> None:
    """rep:<period id>: build and send that period's workbook."""
    query = update.callback_query
    assert query is not None and query.data is not None
    period_id = int(query.data.split(":", 1)[1])
    with Session(context.runtime.engine) as session:
        period = reports.get_period(session=session, period_id=period_id)
    if period is None:
        await query.answer(
            _("That period no longer has figures. Type /baocao again."), show_alert=True
        )
        return
    await query.answer()
    await query.edit_message_text(
        _("Preparing the report for {period}…").format(period=_period_label(period))
    )
    await _send_report(update, context, period)


# --- /lichsu ----------------------------------------------------------------------------------


async def _send_history(
    update: Update, context: BotContext, unit_id: int, prefix: str = ""
) -> None:
    """The unit's history as a chart with the figures as its caption (text only if too short)."""
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
                    "No unit matches “{query}”. Try part of its name, e.g. /lichsu Nam Tiền Hải"
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
            _("Type a unit's name after the command, e.g. /lichsu Nam Tiền Hải")
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
    CommandSpec(
        names=("baocao", "report"),
        description=lazy_gettext("Excel report of a period: tables, acknowledgements, unreachable"),
        allowed=SECRETARIAT,
        callback=report_command,
    ),
)


def register(app: KysoApp) -> None:
    """Commands in vi and en, their buttons, and the weekly group summaries job."""
    app.add_handler(CallbackQueryHandler(summary_button, pattern=r"^sum:(all|a:\d+|p:\d+)$"))
    app.add_handler(CallbackQueryHandler(report_button, pattern=r"^rep:\d+$"))
    app.add_handler(CallbackQueryHandler(history_button, pattern=r"^hist:\d+$"))
