"""Telegram handlers; each feature module exposes COMMANDS and register(app)."""

from __future__ import annotations

from types import ModuleType

from telegram.ext import Application

from handlers import alerts as warnings
from handlers import (
    audit_log,
    broadcasts,
    common,
    deadlines,
    errors,
    groups,
    invites,
    letters,
    me,
    start,
    summaries,
    units,
)
from handlers import imports as import_chat
from handlers import rates as rate
from handlers.common import CommandSpec, command_specs

# Feature modules in registration order; `start` holds the catch-alls and comes last.
FEATURES: tuple[ModuleType, ...] = (
    rate,
    letters,  # before import_chat: a letter's file is not a statistics table
    invites,
    me,
    import_chat,
    audit_log,
    units,
    groups,
    broadcasts,
    summaries,
    warnings,
    deadlines,
    start,
)


def all_commands() -> list[CommandSpec]:
    """Every feature's commands, in help order."""
    return [spec for module in FEATURES for spec in getattr(module, "COMMANDS", ())]


def register_all(app: Application) -> None:  # type: ignore[type-arg]
    """Install the middleware, every feature's handlers and the error handler."""
    registry = command_specs(app)
    for spec in all_commands():
        for name in spec.names:
            registry[name] = spec
    common.register(app)
    for module in FEATURES:
        module.register(app)
    errors.register(app)
