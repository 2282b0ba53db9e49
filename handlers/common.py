"""Per-update context: who is asking, in which language; shared reply helpers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackContext,
    ExtBot,
    TypeHandler,
)

from bot.core.db import session_scope
from bot.core.i18n import LazyString, _, normalize_language, set_language, set_timezone
from bot.core.logs import set_unit
from bot.core.models import Role
from bot.core.outbox import mark_reachable
from bot.core.people import Viewer, load_viewer
from bot.core.runtime import Runtime
from bot.rates.service import Answer

logger = logging.getLogger(__name__)

RUNTIME_KEY = "runtime"
MIDDLEWARE_GROUP = -100


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):  # type: ignore[type-arg]
    """Callback context with the runtime and the resolved viewer."""

    viewer: Viewer | None = None

    @property
    def runtime(self) -> Runtime:
        """Settings, engine and caches of this application."""
        return self.application.bot_data[RUNTIME_KEY]  # type: ignore[no-any-return]

    def require_viewer(self) -> Viewer:
        """The viewer set by the middleware."""
        assert self.viewer is not None, "middleware did not run"
        return self.viewer


class Audience(StrEnum):
    """Who a person is, for permissions: a stranger or their role."""

    STRANGER = "stranger"
    VIEWER = Role.VIEWER.value
    STAFF = Role.STAFF.value
    HEAD = Role.HEAD.value
    SECRETARIAT = Role.SECRETARIAT.value


ANYONE = frozenset(Audience)
MEMBERS = frozenset({Audience.VIEWER, Audience.STAFF, Audience.HEAD, Audience.SECRETARIAT})
UNIT_WORKERS = frozenset({Audience.STAFF, Audience.HEAD, Audience.SECRETARIAT})
SECRETARIAT = frozenset({Audience.SECRETARIAT})


def audience_of(viewer: Viewer | None) -> Audience:
    """The permission class of a viewer."""
    if viewer is None:
        return Audience.STRANGER
    if viewer.is_secretariat:
        return Audience.SECRETARIAT
    if viewer.role is None or viewer.unit_id is None:
        return Audience.STRANGER
    return Audience(viewer.role.value)


@dataclass(frozen=True)
class CommandSpec:
    """A chat command: its names (Vietnamese first), menu text and who may use it."""

    names: tuple[str, ...]
    description: LazyString
    allowed: frozenset[Audience]
    menu_vi: str | None = None
    menu_en: str | None = None

    def menu_name(self, language: str) -> str | None:
        """Command shown in the menu for a language (None: not in the menu)."""
        return self.menu_vi if language == "vi" else self.menu_en


# Filled by handlers.register_all from every feature module's COMMANDS.
COMMAND_REGISTRY_KEY = "commands"


def command_specs(app: Application) -> dict[str, CommandSpec]:  # type: ignore[type-arg]
    """Every registered command name → its spec."""
    return app.bot_data.setdefault(COMMAND_REGISTRY_KEY, {})  # type: ignore[no-any-return]


def refusal_text() -> str:
    """The one message for a command someone may not use."""
    return _("This command is for the secretariat only.")


def member_refusal_text() -> str:
    """For strangers trying a members' command."""
    return _(
        "This command is for officials linked to a unit. Open the invitation link the "
        "secretariat sent you first."
    )


def role_refusal_text() -> str:
    """For officials trying a command their role does not include."""
    return _("Your role does not include this command. Type /trogiup to see yours.")


def refusal_for(spec: CommandSpec, audience: Audience) -> str:
    """The refusal that tells this person why they may not use a command."""
    if spec.allowed <= SECRETARIAT:
        return refusal_text()
    if audience is Audience.STRANGER:
        return member_refusal_text()
    return role_refusal_text()


def command_name(update: Update, bot_username: str | None) -> str | None:
    """'/moi@kyso_bot x' → 'moi' (None if the message is not a command for this bot)."""
    message = update.effective_message
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    command = message.text[1 : first.length]
    name, _sep, target = command.partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return name.lower()


async def resolve_viewer(update: object, context: BotContext) -> None:
    """Look the sender up once per update, switch language and zone, enforce command rights."""
    rt = context.runtime
    set_timezone(rt.settings.tz)
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        set_language(rt.settings.default_language)
        return
    viewer = load_viewer(
        reader=rt.reader, telegram_id=user.id, admin_ids=rt.settings.admin_telegram_ids
    )
    context.viewer = viewer
    set_unit(viewer.unit_id)
    if not viewer.reachable:  # they were marked unreachable, but here they are
        with session_scope(rt.engine) as session:
            mark_reachable(session=session, telegram_id=user.id)
    set_language(
        viewer.language or normalize_language(user.language_code) or rt.settings.default_language
    )
    assert isinstance(update, Update)
    message = update.message or update.edited_message
    if message is None:  # commands come in messages (a button's message is the bot's own)
        return
    name = command_name(update, context.bot.username)
    spec = command_specs(context.application).get(name) if name else None
    audience = audience_of(viewer)
    if spec is not None and audience not in spec.allowed:
        logger.info("Refused /%s to %s (%s)", name, user.id, audience.value)
        await message.reply_text(refusal_for(spec, audience))
        raise ApplicationHandlerStop


Handler = Callable[[Update, "BotContext"], Awaitable[None]]


def secretariat_only(func: Handler) -> Handler:
    """Refuse a callback or non-command update unless the sender is in the secretariat."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> None:
        """Run the handler for the secretariat, refuse everyone else."""
        viewer = context.viewer
        if viewer is not None and viewer.is_secretariat:
            await func(update, context)
            return
        logger.info("Refused a secretariat action to %s", viewer and viewer.telegram_id)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal_text(), show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(refusal_text())

    return wrapper


async def private_only(update: Update, *, contact_data: bool = True) -> bool:
    """True in a private chat; elsewhere say why not (an alert on buttons) and return False."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    text = (
        _("Please use this in a private chat with me: it shows officials' contact data.")
        if contact_data
        else _("Please use this in a private chat with me.")
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
    return False


def answer_markup(answer: Answer, prefix: str) -> InlineKeyboardMarkup | None:
    """One button per choice, callback data '<prefix>:<unit id>' (well under 64 bytes)."""
    if not answer.choices:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(c.name, callback_data=f"{prefix}:{c.id}")] for c in answer.choices]
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Install the per-update middleware before every other handler."""
    app.add_handler(TypeHandler(Update, resolve_viewer), group=MIDDLEWARE_GROUP)
