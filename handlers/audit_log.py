"""/nhatky (/audit): the audit log for the secretariat, newest first, with Older/Newer buttons."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.core.i18n import _, lazy_gettext
from handlers.commands import SECRETARIAT, CommandSpec, refusal_text
from handlers.context import BotContext, KysoApp

if TYPE_CHECKING:
    from bot.audit_log.service import AuditPage

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "audit"  # audit:<offset>


def page_keyboard(page: AuditPage) -> InlineKeyboardMarkup | None:
    """⬅️ Older / Newer ➡️ buttons, callback data 'audit:<offset>'."""
    buttons = []
    if page.older is not None:
        buttons.append(
            InlineKeyboardButton(_("⬅️ Older"), callback_data=f"{CALLBACK_PREFIX}:{page.older}")
        )
    if page.newer is not None:
        buttons.append(
            InlineKeyboardButton(_("Newer ➡️"), callback_data=f"{CALLBACK_PREFIX}:{page.newer}")
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


def _page(context: BotContext, offset: int) -> AuditPage:
    """Read one page."""
    from bot.audit_log.service import audit_page  # loaded at the first /nhatky

    with Session(context.runtime.engine) as session:
        return audit_page(session=session, offset=offset)


async def audit_command(update: Update, context: BotContext) -> None:
    """/nhatky: the newest entries."""
    message = update.effective_message
    assert message is not None
    if not context.require_viewer().is_secretariat:
        await message.reply_text(refusal_text())
        return
    page = _page(context, 0)
    await message.reply_text(page.text, reply_markup=page_keyboard(page))


async def audit_page_button(update: Update, context: BotContext) -> None:
    """Older / Newer: show that page in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not context.require_viewer().is_secretariat:
        await query.answer(refusal_text(), show_alert=True)
        return
    page = _page(context, int(query.data.split(":", 1)[1]))
    await query.answer()
    await query.edit_message_text(page.text, reply_markup=page_keyboard(page))


COMMANDS = (
    CommandSpec(
        names=("nhatky", "audit"),
        description=lazy_gettext("audit log: who imported, invited or changed what"),
        allowed=SECRETARIAT,
        callback=audit_command,
        # Not in the menu: Telegram shows one menu to every user of the bot.
    ),
)


def register(app: KysoApp) -> None:
    """The command in vi and en, and the paging buttons."""
    app.add_handler(CallbackQueryHandler(audit_page_button, pattern=rf"^{CALLBACK_PREFIX}:\d+$"))
