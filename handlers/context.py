"""The typed application state and callback context every handler and job receives."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.core.people import Viewer
from bot.core.runtime import Runtime

if TYPE_CHECKING:
    from bot.core.leader import LeaderElector
    from bot.letters.answers import Library
    from handlers.commands import CommandSpec
    from handlers.dialogs import DialogFeature
    from handlers.paging import ListingSource
    from jobs.outbox import OutboxSender


class HandlerGroup(IntEnum):
    """PTB handler groups, lowest first: each update visits every group in this order."""

    MIDDLEWARE = -100  # who is asking, their language, may they use this command
    DIALOGS = -10  # /huy and the answer to an open dialog's question
    LEAVE_DIALOGS = -9  # another command abandons a dialog that ends on commands
    # A pasted statistics table: its header ("… ký số …; Tỷ lệ") must not read as a question.
    TABLES = -1
    FEATURES = 0  # commands, buttons, free-text questions; the catch-alls come last


class BotData:
    """Application-wide state, typed: set by the factory, read by handlers and jobs."""

    runtime: Runtime
    sender: OutboxSender
    elector: LeaderElector
    # The letters' search index, made at its first use: the one the citations use too
    # (bot.features.LettersLink, handed in by the factory).
    letter_library: Callable[[], Library]

    def __init__(self) -> None:
        """Empty registries; the factory fills in the rest."""
        self.commands: dict[str, CommandSpec] = {}  # every command name → its spec
        self.dialogs: dict[str, DialogFeature] = {}  # feature name → its dialog
        self.listings: dict[str, ListingSource] = {}  # kind → a long list shown in pages
        self.start_payload: StartPayload | None = None  # /start CODE (the invites feature)
        self.answer_buttons: AnswerButtons | None = None  # under answers (the dashboard's)
        self.sender_task: asyncio.Task[None] | None = None
        self.elector_task: asyncio.Task[None] | None = None
        self.after_start: asyncio.Task[None] | None = None  # menus, catch-ups (bot/app.py)
        self.catch_up_due = asyncio.Event()  # set by the first update handled (bot/app.py)
        self.polling: dict[str, Any] | None = None  # getUpdates arguments while polling
        self.polling_lock = asyncio.Lock()  # one start or stop of long polling at a time
        self.progress_texts: dict[int, str] = {}  # broadcast id → last progress text shown
        self.progress_quiet_at: int | None = None  # data version when no broadcast was running


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with the runtime and the viewer the middleware resolved."""

    viewer: Viewer | None = None
    chat_id: int | None = None  # the chat of the update (set by the middleware)

    @property
    def runtime(self) -> Runtime:
        """Settings, engine and caches of this application."""
        return self.bot_data.runtime

    def require_viewer(self) -> Viewer:
        """The viewer set by the middleware."""
        assert self.viewer is not None, "middleware did not run"
        return self.viewer


# The Application as this project builds it (bot.app.build_application).
KysoApp = Application[
    ExtBot[dict[str, Any]],
    BotContext,
    dict[Any, Any],
    dict[Any, Any],
    BotData,
    JobQueue[BotContext],
]
HandlerCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
StartPayload = Callable[[Update, BotContext, str], Awaitable[None]]
AnswerButtons = Callable[[Update, BotContext], InlineKeyboardMarkup | None]
