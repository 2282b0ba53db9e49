"""Self-service: /toi (/me), /ngonngu (/language) and /roi (/leave)."""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.core.config import SUPPORTED_LANGUAGES
from bot.core.db import session_scope
from bot.core.i18n import _, lazy_gettext, normalize_language, set_language
from bot.core.models import Role
from bot.core.people import Viewer, set_language_preference
from bot.core.roles import ROLE_LABELS, role_duties, role_notifications
from bot.core.text import fold
from handlers.commands import ANYONE, MEMBERS, CommandSpec
from handlers.context import BotContext, KysoApp

if TYPE_CHECKING:
    from bot.invites.leaving import LeaveStatus

# Imported inside the functions that use them: bot.invites loads at the first /roi, not at start-up.

logger = logging.getLogger(__name__)

LANGUAGE_CALLBACK = "lang"  # lang:<vi|en>
LEAVE_CALLBACK = "leave"  # leave:yes | leave:no

LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "en": "🇬🇧 English"}
# Each language named in itself: the confirmation is shown in the language just chosen.
LANGUAGE_OWN_NAMES = {"vi": "tiếng Việt", "en": "English"}
LANGUAGE_WORDS = {
    "vi": "vi",
    "tieng viet": "vi",
    "tiengviet": "vi",
    "vietnamese": "vi",
    "en": "en",
    "english": "en",
    "tieng anh": "en",
    "tienganh": "en",
}


def _viewer_role(viewer: Viewer) -> Role | None:
    """The role to describe (bootstrap administrators count as secretariat)."""
    if viewer.role is not None:
        return viewer.role
    return Role.SECRETARIAT if viewer.is_secretariat else None


async def me_command(update: Update, context: BotContext) -> None:
    """/toi: Telegram id, unit, role, language and notifications."""
    viewer = context.require_viewer()
    user = update.effective_user
    assert update.effective_message is not None and user is not None
    role = _viewer_role(viewer)
    if role is None:
        role_text = _("not linked to a unit yet")
    else:
        role_text = str(ROLE_LABELS[role])
        if viewer.is_secretariat and viewer.role is None:
            role_text += " " + _("(by configuration)")
    if viewer.language:
        language_text = LANGUAGE_NAMES[viewer.language]
    else:
        language_text = _("{language} (from your Telegram app)").format(
            language=LANGUAGE_NAMES[
                normalize_language(user.language_code) or context.runtime.settings.default_language
            ]
        )
    lines = [
        _("👤 <b>Your details</b>"),
        _("Name: {name}").format(name=escape(user.full_name)),
        _("Telegram ID: <code>{telegram_id}</code>").format(telegram_id=user.id),
        _("Unit: {unit}").format(
            unit=f"<b>{escape(viewer.unit_name)}</b>" if viewer.unit_name else "—"
        ),
        _("Role: {role}").format(role=role_text),
        _("Language: {language}").format(language=language_text),
        _("Notifications: {notifications}").format(notifications=role_notifications(role)),
        "",
    ]
    if role is None:
        lines.append(
            _(
                "To be linked, open the invitation link the secretariat sent you, or send them "
                "your Telegram ID."
            )
        )
    else:
        lines.append(role_duties(role))
    lines.append("")
    if role is None or viewer.unit_id is None:  # nothing to leave
        lines.append(_("Change the language: /language"))
    else:
        lines.append(_("Change the language: /language · Leave your unit: /leave"))
    await update.effective_message.reply_text("\n".join(lines))


def language_keyboard() -> InlineKeyboardMarkup:
    """One button per supported language."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    LANGUAGE_NAMES[lang], callback_data=f"{LANGUAGE_CALLBACK}:{lang}"
                )
                for lang in SUPPORTED_LANGUAGES
            ]
        ]
    )


def _store_language(context: BotContext, telegram_id: int, language: str) -> str:
    """Save the choice, switch this update to it and return the confirmation."""
    with session_scope(context.runtime.engine) as session:
        set_language_preference(session=session, telegram_id=telegram_id, language=language)
    set_language(language)
    return _("From now on I will answer you in {language}.").format(
        language=LANGUAGE_OWN_NAMES[language]
    )


async def language_command(update: Update, context: BotContext) -> None:
    """/ngonngu [vi|en]: choose directly, or with buttons."""
    user = update.effective_user
    assert update.effective_message is not None and user is not None
    choice = LANGUAGE_WORDS.get(fold(" ".join(context.args or [])))
    if choice in SUPPORTED_LANGUAGES:
        await update.effective_message.reply_text(_store_language(context, user.id, choice))
        return
    await update.effective_message.reply_text(
        _("Choose your language:"), reply_markup=language_keyboard()
    )


async def language_choice(update: Update, context: BotContext) -> None:
    """A language button was pressed."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    language = query.data.split(":", 1)[1]
    text = _store_language(context, update.effective_user.id, language)
    await query.answer()
    await query.edit_message_text(text)


async def leave_command(update: Update, context: BotContext) -> None:
    """/roi: ask for confirmation before unlinking."""
    from bot.invites.leaving import check_leave

    viewer = context.require_viewer()
    assert update.effective_message is not None
    settings = context.runtime.settings
    with session_scope(context.runtime.engine) as session:
        refused = check_leave(
            session=session, telegram_id=viewer.telegram_id, admin_ids=settings.admin_telegram_ids
        )
    if refused is not None:
        await update.effective_message.reply_text(_leave_refusal(refused.status, viewer))
        return
    role = viewer.role or Role.SECRETARIAT
    if viewer.unit_name:
        question = _(
            "Leave <b>{unit}</b>, where you are {role}? You will no longer receive its "
            "warnings and reminders, and you will need a new invitation to come back."
        ).format(unit=escape(viewer.unit_name), role=ROLE_LABELS[role])
    else:
        question = _(
            "Leave the secretariat? You will lose its commands at once; another member can "
            "add you again with /admin_add."
        )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Yes, leave"), callback_data=f"{LEAVE_CALLBACK}:yes"),
                InlineKeyboardButton(_("No, stay"), callback_data=f"{LEAVE_CALLBACK}:no"),
            ]
        ]
    )
    await update.effective_message.reply_text(question, reply_markup=keyboard)


def _leave_refusal(status: LeaveStatus, viewer: Viewer | None) -> str:
    """Why /roi cannot go ahead."""
    from bot.invites.leaving import LeaveStatus

    if status is LeaveStatus.LAST_SECRETARIAT:
        return _(
            "You are the only member of the secretariat, so you cannot leave. Add another "
            "member first with /admin_add."
        )
    if viewer is not None and viewer.is_secretariat:
        return _(
            "You are not linked to any unit. Administrators listed in ADMIN_TELEGRAM_IDS stay "
            "in the secretariat until that setting is changed."
        )
    return _("You are not linked to any unit.")


async def leave_choice(update: Update, context: BotContext) -> None:
    """The confirmation buttons of /roi."""
    from bot.invites.leaving import LeaveStatus, leave

    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    await query.answer()
    if query.data.endswith(":no"):
        await query.edit_message_text(_("Nothing changed: you are still linked."))
        return
    settings = context.runtime.settings
    with session_scope(context.runtime.engine) as session:
        result = leave(
            session=session,
            telegram_id=update.effective_user.id,
            admin_ids=settings.admin_telegram_ids,
        )
    if result.status is not LeaveStatus.LEFT:
        await query.edit_message_text(_leave_refusal(result.status, context.viewer))
        return
    logger.info("%s left %s", update.effective_user.id, result.unit_name or "the secretariat")
    if result.unit_name:
        text = _("You have left <b>{unit}</b>.").format(unit=escape(result.unit_name))
    else:
        text = _("You have left the secretariat.")
    text += "\n" + _("To join a unit again, open a new invitation link from the secretariat.")
    await query.edit_message_text(text)


COMMANDS = (
    CommandSpec(
        names=("toi", "me"),
        description=lazy_gettext("who you are for the bot: unit, role, language, notifications"),
        allowed=ANYONE,
        callback=me_command,
        menu_vi="toi",
        menu_en="me",
    ),
    CommandSpec(
        names=("ngonngu", "language"),
        description=lazy_gettext("choose the bot's language: Vietnamese or English"),
        allowed=ANYONE,
        callback=language_command,
        menu_vi="ngonngu",
        menu_en="language",
    ),
    CommandSpec(
        names=("roi", "leave"),
        description=lazy_gettext("leave your unit (asks for confirmation)"),
        allowed=MEMBERS,
        callback=leave_command,
    ),
)


def register(app: KysoApp) -> None:
    """Self-service commands and their buttons."""
    languages = "|".join(SUPPORTED_LANGUAGES)
    app.add_handler(
        CallbackQueryHandler(language_choice, pattern=rf"^{LANGUAGE_CALLBACK}:({languages})$")
    )
    app.add_handler(CallbackQueryHandler(leave_choice, pattern=rf"^{LEAVE_CALLBACK}:(yes|no)$"))
