"""Telegram handlers; each feature module exposes register(app)."""

from __future__ import annotations

from telegram.ext import Application

from handlers import common, errors, rate, start


def register_all(app: Application) -> None:  # type: ignore[type-arg]
    """Register every feature's handlers in order (catch-all text handlers last)."""
    common.register(app)
    rate.register(app)
    start.register(app)
    errors.register(app)
