"""PTB's handler loop with an index: the handlers an update provably cannot match are not tested.

`Application.process_update` asks every handler of every group, in order, `check_update`, and
runs the first that matches in each group. A command message used to be tested against every
CommandHandler before its own (each parses the message again), every button handler and every
free-text filter; a button press against every CommandHandler and every message filter. Here,
per group, only the handlers that could match are asked, in the same order, by the same
`check_update`; the others are those whose own `check_update` provably returns None or False
from what the index keys on (PTB 22's code, `telegram/ext/_handlers`, `telegram/ext/filters.py`):

- a `CommandHandler` (that exact class) returns None unless the message's first entity is a
  bot command at offset 0 naming one of its commands for this bot (PTB's own parse, below);
- a `CallbackQueryHandler` (that exact class) returns None without a callback query;
- a `MessageHandler` (that exact class) returns False when its filter is provably false: the
  index knows whether the update is a message at all and what `filters.COMMAND`,
  `filters.Document.ALL` and `filters.PHOTO` say of it, and follows PTB's `&`, `|` and `~` in
  PTB's order of evaluation; a filter of PTB's own is taken to only read the update, any other
  filter that PTB's order would reach makes the handler a candidate (kyso's filters only run
  where PTB runs them).

Every other handler (subclasses included) is always asked. The rest of the loop is PTB 22's
(`telegram/ext/_application.py`): the context built once, blocking and non-blocking handlers,
ApplicationHandlerStop, the error handlers. tests/test_dispatch_index.py checks the choice
against PTB's own loop for every registered command and many other updates.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Coroutine
from contextvars import ContextVar, Token
from typing import Any

from telegram import MessageEntity, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ExtBot,
    MessageHandler,
    filters,
)

logger = logging.getLogger(__name__)

Handlers = tuple[BaseHandler[Any, Any, Any], ...]
# What the index keys on: is a button press, the command named for this bot or None, and the
# facts of _facts (a message at all; COMMAND, Document.ALL, PHOTO).
Key = tuple[bool, str | None, bool, bool, bool, bool]
# The filters whose value is part of the key, by identity: their position in the key.
_LEAVES = {id(filters.COMMAND): 3, id(filters.Document.ALL): 4, id(filters.PHOTO): 5}


def update_key(update: object) -> Key | None:
    """The index's key for an update; None when only PTB's full loop may decide (not an
    Update, or PTB's own command parse would fail on it)."""
    if not isinstance(update, Update):
        return None
    try:
        return (update.callback_query is not None, _command(update), *_facts(update))
    except Exception:  # CommandHandler.check_update would raise the same: let PTB's loop do it
        return None


# The update being dispatched and the command its CommandHandlers see (for the middleware).
_DISPATCHED: ContextVar[tuple[object, str | None] | None] = ContextVar(
    "kyso_dispatched_command", default=None
)


def remember_command(update: object, key: Key) -> Token[tuple[object, str | None] | None]:
    """While `update` is dispatched, `dispatched_command` answers from its key."""
    return _DISPATCHED.set((update, key[1]))


def forget_command(token: Token[tuple[object, str | None] | None]) -> None:
    """The update is dispatched."""
    _DISPATCHED.reset(token)


def dispatched_command(update: object) -> str | None:
    """The command PTB's CommandHandlers see in the update ('/moi@bot@x' → 'moi'; None when
    no CommandHandler would run for it), as the dispatch keyed it or read now."""
    known = _DISPATCHED.get()
    if known is not None and known[0] is update:
        return known[1]
    if not isinstance(update, Update):
        return None
    try:
        return _command(update)
    except Exception:  # then no CommandHandler runs either
        return None


def _facts(update: Update) -> tuple[bool, bool, bool, bool]:
    """Whether message filters look at the update at all (PTB's BaseFilter.check_update), and
    what filters.COMMAND, filters.Document.ALL and filters.PHOTO say of it (their own filter)."""
    if not filters.BaseFilter.check_update(filters.COMMAND, update):
        return False, False, False, False
    message = update.effective_message
    return (
        True,
        bool(filters.COMMAND.filter(message)),  # type: ignore[arg-type]
        bool(filters.Document.ALL.filter(message)),  # type: ignore[arg-type]
        bool(filters.PHOTO.filter(message)),  # type: ignore[arg-type]
    )


def _command(update: Update) -> str | None:
    """The command as CommandHandler.check_update reads it ('/Tyle@bot x' → 'tyle'), None if
    no CommandHandler would look further (not a command, or one for another bot)."""
    message = update.effective_message
    if not message:
        return None
    entities = message.entities
    if not (
        entities
        and entities[0].type == MessageEntity.BOT_COMMAND
        and entities[0].offset == 0
        and message.text
        and message.get_bot()
    ):
        return None
    bot = message.get_bot()
    parts = message.text[1 : entities[0].length].split("@")
    parts.append(bot.username)
    if parts[1].lower() != bot.username.lower():
        return None
    return parts[0].lower()


def _may_match(handler: BaseHandler[Any, Any, Any], key: Key) -> bool:
    """False only when the handler's own check_update provably returns None or False."""
    button, command = key[0], key[1]
    kind = type(handler)
    if kind is CallbackQueryHandler:
        return button
    if kind is CommandHandler:
        assert isinstance(handler, CommandHandler)
        return command is not None and command in handler.commands
    if kind is MessageHandler:
        assert isinstance(handler, MessageHandler)
        return _value(handler.filters, key) != "F"
    return True


_PLAIN_CHECKS = (filters.MessageFilter.check_update, filters.UpdateFilter.check_update)
_MERGED = getattr(filters, "_MergedFilter", None)  # PTB's `&` and `|`
_INVERTED = getattr(filters, "_InvertedFilter", None)  # PTB's `~`


def _value(flt: Any, key: Key) -> str:
    """A filter's value for every update of `key`, following PTB's check_update: "T" true,
    "F" false, "?" unknown but only reading the update, "!" unknown (it runs other code)."""
    kind = type(flt)
    if getattr(kind, "check_update", None) not in _PLAIN_CHECKS:
        return "!"
    if not key[2]:  # not a message: BaseFilter.check_update is False, nothing else is asked
        return "F"
    leaf = _LEAVES.get(id(flt))
    if leaf is not None:
        return "T" if key[leaf] else "F"
    if kind is _INVERTED:
        inner = _value(flt.inv_filter, key)
        return {"T": "F", "F": "T"}.get(inner, inner)
    if kind is _MERGED:
        return _merged(flt, key)
    return "?" if kind.__module__ == filters.__name__ else "!"


def _merged(flt: Any, key: Key) -> str:
    """`a & b` (b asked only when a is true) or `a | b` (b asked only when a is false)."""
    first = _value(flt.base_filter, key)
    if flt.and_filter:
        if first in ("F", "!"):
            return first
        second = _value(flt.and_filter, key)
        if second in ("F", "!"):
            return second
        return "T" if first == second == "T" else "?"
    if flt.or_filter:
        if first in ("T", "!"):
            return first
        second = _value(flt.or_filter, key)
        if second in ("T", "!"):
            return second
        return "F" if first == second == "F" else "?"
    return "!"


class HandlerIndex:
    """Per update key, each group's handlers that may match it, in registration order."""

    def __init__(self) -> None:
        """Empty: built per key at first use, emptied when handlers change."""
        self._source: list[tuple[int, Handlers]] | None = None
        self._by_key: dict[Key, list[Handlers]] = {}

    def clear(self) -> None:
        """A handler was added or removed."""
        self._source = None
        self._by_key = {}

    def groups(
        self, handlers: dict[int, list[BaseHandler[Any, Any, Any]]], key: Key
    ) -> list[Handlers]:
        """Each group's candidates for `key` (a snapshot: later changes need `clear`)."""
        found = self._by_key.get(key)
        if found is None:
            if self._source is None:
                self._source = [(group, tuple(items)) for group, items in handlers.items()]
            found = [
                tuple(h for h in items if _may_match(h, key)) for _group, items in self._source
            ]
            if len(self._by_key) >= 256:  # commands for this bot are few; anything else is None
                self._by_key = {}
            self._by_key[key] = found
        return found


async def run_groups(app: Any, update: Update, groups: list[Handlers]) -> None:
    """PTB's handler loop over the given groups (an application without persistence: nothing
    to mark for it afterwards)."""
    context = None
    by_default = default_blocks(app.bot)
    for handlers in groups:
        try:
            for handler in handlers:
                check = handler.check_update(update)
                if check is None or check is False:
                    continue
                if not context:
                    try:
                        context = app.context_types.context.from_update(update, app)
                    except Exception as exc:
                        logger.critical(
                            "Error while building CallbackContext for update %s. "
                            "Update will not be processed.",
                            update,
                            exc_info=exc,
                        )
                        return
                    await context.refresh_data()
                coroutine: Coroutine[Any, Any, Any] = handler.handle_update(
                    update, app, check, context
                )
                block = handler.block
                if block if block is not _DEFAULT_BLOCK else by_default:
                    await coroutine
                else:
                    app.create_task(
                        coroutine,
                        update=update,
                        name=f"Application:{app.bot.id}:process_update_non_blocking:{handler}",
                    )
                break  # at most one handler per group
        except ApplicationHandlerStop:
            logger.debug("Stopping further handlers due to ApplicationHandlerStop")
            break
        except Exception as exc:
            if await app.process_error(update=update, error=exc):
                logger.debug("Error handler stopped further handlers.")
                break


# The `block` a handler has when none is given (PTB's DEFAULT_TRUE, read from the public class).
_DEFAULT_BLOCK = inspect.signature(BaseHandler.__init__).parameters["block"].default


def default_blocks(bot: Any) -> bool:
    """Whether PTB awaits a handler left with the default `block` (DEFAULT_TRUE): unless the
    bot's Defaults say block=False (the condition of PTB's loop, negated; any other handler is
    awaited when its `block` is true)."""
    defaults = bot.defaults if isinstance(bot, ExtBot) else None
    return not (defaults and not defaults.block)
