"""The Application as kyso runs it: per-chat order, the handler index, logs and metrics."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.core.heap import freeze_startup_objects
from bot.core.logs import bind_update, unbind
from bot.core.runtime import Runtime
from handlers.commands import command_name
from handlers.context import KysoApp
from handlers.dispatch import (
    HandlerIndex,
    forget_command,
    remember_command,
    run_groups,
    update_key,
)

# The logger of the "Handled update" line keeps the name it had in bot/app.py (operators filter
# on it: deploy/README.md § Logs).
logger = logging.getLogger("bot.app")

__all__ = ["ChatOrderedProcessor", "KysoApplication", "update_kind"]


def update_kind(update: object, app: KysoApp, dispatched: str | None = None) -> tuple[str, str]:
    """(kind, command) labels for metrics and logs; commands only if registered (`dispatched`:
    the command PTB's CommandHandlers saw, if any, else kyso's own reading of the message)."""
    if not isinstance(update, Update):
        return "other", ""
    if update.callback_query is not None:
        return "callback", ""
    if update.my_chat_member is not None or update.chat_member is not None:
        return "chat_member", ""
    message = update.message or update.edited_message
    if message is None:
        return "other", ""
    if message.document is not None:
        return "document", ""
    name = dispatched
    if name is None:
        try:
            username: str | None = app.bot.username
        except RuntimeError:  # not initialised
            username = None
        name = command_name(update, username)
    if name is not None:
        spec = app.bot_data.commands.get(name)
        return "command", spec.names[0] if spec is not None else "unknown"
    return "message", ""


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Up to N updates at once, but one at a time per chat: a person's messages stay in order.

    Replies wait ~50-200 ms for Telegram; handling updates strictly one after another would
    cap a worker at a few dozen updates a second whatever its CPU.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        """No chat busy yet."""
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then handle this one."""
        key: int | None = None
        if isinstance(update, Update):
            chat, user = update.effective_chat, update.effective_user
            key = chat.id if chat is not None else (user.id if user is not None else None)
        if key is None:
            await coroutine
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    def waiting(self, key: int) -> int:
        """How many updates of a chat are being handled or wait their turn."""
        return self._users.get(key, 0)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


async def _start_worker_threads() -> None:
    """Have the default executor start all its threads now (they then wait, idle, for work):
    starting one when a handler first needs it waits for the new thread to run, which on a busy
    machine stops the event loop for a while. As many as asyncio's default executor allows."""
    count = min(32, (os.cpu_count() or 1) + 4)
    barrier = threading.Barrier(count, timeout=5)

    def meet() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    await asyncio.gather(*(asyncio.to_thread(meet) for _ in range(count)))


class KysoApplication(KysoApp):
    """An Application that tags logs with the update and measures every update it handles;
    its handlers are asked through an index (handlers/dispatch.py), in PTB's order."""

    _handler_index: HandlerIndex | None = None

    def _index(self) -> HandlerIndex:
        """The handler index (made at first use)."""
        if self._handler_index is None:
            self._handler_index = HandlerIndex()
        return self._handler_index

    def add_handler(self, handler: Any, group: int = 0) -> None:
        """PTB's add_handler; the index is rebuilt at the next update."""
        super().add_handler(handler, group)
        self._index().clear()

    def remove_handler(self, handler: Any, group: int = 0) -> None:
        """PTB's remove_handler; the index is rebuilt at the next update."""
        super().remove_handler(handler, group)
        self._index().clear()

    async def dispatch(self, update: object) -> str | None:
        """PTB's process_update, asking only the handlers the update may match; the command
        its CommandHandlers saw (None: none, or PTB's own loop ran)."""
        key = update_key(update) if self.persistence is None else None
        if key is None or not isinstance(update, Update):
            await super().process_update(update)
            return None
        self._check_initialized()
        token = remember_command(update, key)
        try:
            await run_groups(self, update, self._index().groups(self.handlers, key))
        finally:
            forget_command(token)
        return key[1]

    async def initialize(self) -> None:
        """PTB's initialisation, the worker threads started before the first update, and
        start-up's objects set aside from the garbage collector (bot/core/heap.py)."""
        await super().initialize()
        await _start_worker_threads()
        freeze_startup_objects()

    async def process_update(self, update: object) -> None:
        """Handle one update inside its logging context; count it and time it."""
        user = update.effective_user if isinstance(update, Update) else None
        chat = update.effective_chat if isinstance(update, Update) else None
        bound = bind_update(
            update.update_id if isinstance(update, Update) else None,
            user.id if user is not None else None,
            chat.id if chat is not None else None,
        )
        start = time.perf_counter()
        dispatched = None
        try:
            dispatched = await self.dispatch(update)
        finally:
            elapsed = time.perf_counter() - start
            kind, command = update_kind(update, self, dispatched)
            runtime: Runtime | None = getattr(self.bot_data, "runtime", None)
            if runtime is not None:
                runtime.metrics.observe_update(kind, command, elapsed)
            logger.info(
                "Handled update",
                extra={"kind": kind, "command": command, "ms": round(elapsed * 1000, 2)},
            )
            unbind(bound)
            catch_up = self.bot_data.catch_up_due
            if not catch_up.is_set():  # start-up's catch-up may now take its share of the CPU
                catch_up.set()
