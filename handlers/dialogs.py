"""Multi-step input, one mechanism: an open dialog per person, explicit states, one /huy.

A feature registers a `DialogFeature`: for each state, what to do with typed text and with a
file. `ask()` opens or moves the person's dialog (stored in the database, so it survives a
restart); the dispatcher in `HandlerGroup.DIALOGS` hands the next message to the state's step and
stops it there; `/huy` ends whatever dialog is open and says so in the feature's words.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.core import dialogs as store
from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _, lazy_gettext
from handlers.commands import ANYONE, CommandSpec
from handlers.context import BotContext, HandlerGroup, KysoApp

logger = logging.getLogger(__name__)

Step = Callable[[Update, BotContext, OpenDialog], Awaitable[None]]


def _cancelled() -> str:
    """What /huy says when a feature has nothing more specific."""
    return _("Cancelled.")


@dataclass(frozen=True)
class State:
    """What one step of a dialog accepts: typed text, a file or photo, or both."""

    on_text: Step | None = None
    on_file: Step | None = None


@dataclass(frozen=True)
class DialogFeature:
    """A feature's dialog: its states, how long an unanswered question stays open, its /huy."""

    feature: str
    states: dict[str, State]
    ttl: dt.timedelta = store.DEFAULT_TTL
    cancelled: Callable[[], str] = _cancelled
    end_on_command: bool = False  # another command abandons the dialog (else it stays open)
    extra: dict[str, Any] = field(default_factory=dict)


def _user_id(context: BotContext, update: Update | None = None) -> int:
    """The person whose dialog this is."""
    if context.viewer is not None:
        return context.viewer.telegram_id
    user = update.effective_user if update is not None else None
    assert user is not None, "dialogs need a user"
    return user.id


def _chat_id(context: BotContext, update: Update | None) -> int | None:
    """The chat the question is asked in (None: the person's private chat)."""
    chat = update.effective_chat if update is not None else None
    return chat.id if chat is not None else context.chat_id


def ask(
    context: BotContext,
    feature: str,
    state: str,
    data: dict[str, Any] | None = None,
    *,
    update: Update | None = None,
) -> OpenDialog:
    """Open (or move) the person's dialog: their next message goes to `feature`'s `state`."""
    spec = context.bot_data.dialogs[feature]
    rt = context.runtime
    if context.viewer is not None and not context.viewer.may_have_dialog:
        context.viewer = replace(context.viewer, may_have_dialog=True)  # now it has one
    with session_scope(rt.engine) as session:
        return store.open_dialog(
            session=session,
            telegram_id=_user_id(context, update),
            dialog=OpenDialog(feature, state, data or {}, _chat_id(context, update)),
            now=rt.clock(),
            ttl=spec.ttl,
        )


def current(context: BotContext, update: Update | None = None) -> OpenDialog | None:
    """The person's open dialog, if any (expired ones are closed)."""
    viewer = context.viewer
    if (
        viewer is not None
        and not viewer.may_have_dialog
        and _user_id(context, update) == (viewer.telegram_id)
    ):
        return None  # the middleware's lookup found no dialog row: no query needed
    rt = context.runtime
    with session_scope(rt.engine) as session:
        return store.current_dialog(
            session=session, telegram_id=_user_id(context, update), now=rt.clock()
        )


def current_of(
    context: BotContext, feature: str, *states: str, update: Update | None = None
) -> OpenDialog | None:
    """The open dialog if it is `feature`'s (at one of `states`, if given), else None."""
    dialog = current(context, update)
    return dialog if dialog is not None and dialog.is_(feature, *states) else None


def end(context: BotContext, update: Update | None = None) -> None:
    """Close the person's dialog."""
    with session_scope(context.runtime.engine) as session:
        store.close_dialog(session=session, telegram_id=_user_id(context, update))


async def dispatch(update: Update, context: BotContext) -> None:
    """Give a message to the open dialog's step, and keep it from every other handler."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    dialog = current(context, update)
    chat = update.effective_chat
    if dialog is None or (chat is not None and dialog.chat_id not in (None, chat.id)):
        return  # no question open, or it was asked in another chat: not an answer
    spec = context.bot_data.dialogs.get(dialog.feature)
    state = spec.states.get(dialog.state) if spec is not None else None
    if state is None:
        return
    is_file = message.document is not None or bool(message.photo)
    step = state.on_file if is_file else state.on_text
    if step is None:
        return
    await step(update, context, dialog)
    raise ApplicationHandlerStop


async def abandon_on_command(update: Update, context: BotContext) -> None:
    """Another command while a dialog that ends on commands is open: close it quietly."""
    if update.effective_user is None:
        return
    dialog = current(context, update)
    spec = context.bot_data.dialogs.get(dialog.feature) if dialog is not None else None
    if spec is not None and spec.end_on_command:
        end(context, update)


async def cancel_command(update: Update, context: BotContext) -> None:
    """/huy and /cancel: end whatever dialog is open."""
    message = update.effective_message
    assert message is not None
    dialog = current(context, update)
    if dialog is None:
        await message.reply_text(_("Nothing to cancel."))
        raise ApplicationHandlerStop
    end(context, update)
    spec = context.bot_data.dialogs.get(dialog.feature)
    await message.reply_text(spec.cancelled() if spec is not None else _cancelled())
    raise ApplicationHandlerStop


def add_dialog(app: KysoApp, spec: DialogFeature) -> None:
    """Make a feature's dialog known to the dispatcher and to /huy."""
    app.bot_data.dialogs[spec.feature] = spec


COMMANDS = (
    CommandSpec(
        names=("huy", "cancel"),
        description=lazy_gettext("cancel what you were typing"),
        allowed=ANYONE,
        callback=cancel_command,
        group=HandlerGroup.DIALOGS,
    ),
)


def register(app: KysoApp) -> None:
    """The dispatcher runs before every feature; /huy comes from COMMANDS."""
    answers = (filters.TEXT & ~filters.COMMAND) | filters.Document.ALL | filters.PHOTO
    app.add_handler(MessageHandler(answers, dispatch), group=HandlerGroup.DIALOGS)
    app.add_handler(
        MessageHandler(filters.COMMAND, abandon_on_command), group=HandlerGroup.LEAVE_DIALOGS
    )
