"""Chat commands: who may use each, its names written once, and the handler derived from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from telegram import BotCommand, MessageEntity, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.core.i18n import LazyString, _, use_language
from bot.core.models import Role
from bot.core.people import Viewer
from handlers.context import BotContext, HandlerCallback, HandlerGroup


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
    """A chat command: names (Vietnamese first), menu text, who may use it, what answers it."""

    names: tuple[str, ...]
    description: LazyString
    allowed: frozenset[Audience]
    callback: HandlerCallback
    menu_vi: str | None = None
    menu_en: str | None = None
    filters: filters.BaseFilter | None = None
    group: int = HandlerGroup.FEATURES

    def menu_name(self, language: str) -> str | None:
        """Command shown in the menu for a language (None: not in the menu)."""
        return self.menu_vi if language == "vi" else self.menu_en

    def handler(self) -> BaseHandler[Update, BotContext, None]:
        """The CommandHandler answering every name of this command."""
        return CommandHandler(list(self.names), self.callback, filters=self.filters)


def bot_commands(specs: Iterable[CommandSpec], language: str) -> list[BotCommand]:
    """The command menu in one language."""
    with use_language(language):
        return [
            BotCommand(name, str(spec.description))
            for spec in specs
            if (name := spec.menu_name(language))
        ]


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
    return _("Your role does not include this command. Type /help to see yours.")


def refusal_for(spec: CommandSpec, audience: Audience) -> str:
    """The refusal that tells this person why they may not use a command."""
    if spec.allowed <= SECRETARIAT:
        return refusal_text()
    if audience is Audience.STRANGER:
        return member_refusal_text()
    return role_refusal_text()
