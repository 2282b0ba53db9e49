"""Warnings: /canhbao (status, a unit's history, send now), /imlang (silence), /imlang_ds.

Callback data (all under 64 bytes):
  wn:p:<indicator>:<page>   another indicator, or back to the status (handlers/alerts/status.py)
  wn:run:<indicator>        📣 Send now: ask · wn:go:<indicator>  send
  wn:u:<unit>               a unit's history, chosen after an ambiguous /canhbao <unit>
  wn:s:<unit>:<yyyymmdd>    the unit chosen after an ambiguous /imlang (handlers/alerts/silences.py)
  wn:un:<silence id>        🔔 Turn on: lift a silence early
"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot.core.i18n import lazy_gettext
from handlers.alerts.silences import (
    DIALOG,
    SILENCES,
    SILENCES_SOURCE,
    silence_button,
    silence_command,
    silences_command,
)
from handlers.alerts.status import WARNINGS, WARNINGS_SOURCE, warnings_button, warnings_command
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.context import KysoApp
from handlers.dialogs import add_dialog
from handlers.paging import add_listing

CALLBACK_PREFIX = "wn"

COMMANDS = (
    CommandSpec(
        names=("canhbao", "warnings"),
        description=lazy_gettext(
            "units below the threshold, who was warned when; with a unit: its history"
        ),
        allowed=SECRETARIAT,
        callback=warnings_command,
    ),
    CommandSpec(
        names=("imlang", "silence"),
        description=lazy_gettext(
            "silence a unit's warnings until a day, e.g. after an explanation"
        ),
        allowed=SECRETARIAT,
        callback=silence_command,
    ),
    CommandSpec(
        names=("imlang_ds", "silences"),
        description=lazy_gettext("silenced units; lift a silence early"),
        allowed=SECRETARIAT,
        callback=silences_command,
    ),
)


def register(app: KysoApp) -> None:
    """The /canhbao and /imlang buttons, and the dialog that keeps /imlang's reason."""
    add_dialog(app, DIALOG)
    add_listing(app, WARNINGS, WARNINGS_SOURCE)
    add_listing(app, SILENCES, SILENCES_SOURCE)
    app.add_handler(
        CallbackQueryHandler(warnings_button, pattern=r"^wn:(p:\d+:\d+|run:\d+|go:\d+|u:\d+)$")
    )
    app.add_handler(CallbackQueryHandler(silence_button, pattern=r"^wn:(s:\d+:\d{8}|un:\d+)$"))
