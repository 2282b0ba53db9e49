"""/baocao (/report): a period's Excel workbook for the secretariat, in a private chat."""

from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.core import messages, outbox
from bot.core.i18n import _, fmt_date, lazy_gettext
from bot.core.stats import PeriodInfo
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.common import secretariat_only
from handlers.context import BotContext, KysoApp

if TYPE_CHECKING:
    from bot.reports import service as reports

# Imported inside the functions that use them: the report's service loads at the first /baocao, not
# at start-up.

logger = logging.getLogger(__name__)

CAPTION_LIMIT = outbox.MAX_CAPTION


def _period_label(period: PeriodInfo) -> str:
    """'08/06/2026 – 22/06/2026'."""
    return _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))


async def _send_report(update: Update, context: BotContext, period: PeriodInfo) -> None:
    """Build the workbook off the event loop and send it as a document."""
    from bot.reports import service as reports

    chat = update.effective_chat
    assert chat is not None
    rt = context.runtime

    def build() -> reports.Report:
        with Session(rt.engine) as session:
            return reports.build_report(
                session=session,
                period=period,
                tz=rt.settings.tz,
                sections=rt.links.report_sections,
            )

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
    from bot.reports import service as reports

    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    if chat.type != "private":
        await message.reply_text(
            _("Send /report to me in a private chat: the report lists officials' contacts.")
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
    from bot.reports import service as reports

    query = update.callback_query
    assert query is not None and query.data is not None
    period_id = int(query.data.split(":", 1)[1])
    with Session(context.runtime.engine) as session:
        period = reports.get_period(session=session, period_id=period_id)
    if period is None:
        await query.answer(
            _("That period no longer has figures. Type /report again."), show_alert=True
        )
        return
    await query.answer()
    await query.edit_message_text(
        _("Preparing the report for {period}…").format(period=_period_label(period))
    )
    await _send_report(update, context, period)


COMMANDS = (
    CommandSpec(
        names=("baocao", "report"),
        description=lazy_gettext(
            "Excel report of a period: tables, acknowledgements, unreachable officials"
        ),
        allowed=SECRETARIAT,
        callback=report_command,
    ),
)


def register(app: KysoApp) -> None:
    """The period buttons."""
    app.add_handler(CallbackQueryHandler(report_button, pattern=r"^rep:\d+$"))
