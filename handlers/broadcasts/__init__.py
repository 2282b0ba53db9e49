"""Secretariat broadcasts: /thongbao (compose → audience → preview → send), status, acks."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot.core.i18n import lazy_gettext
from handlers.broadcasts.compose import DIALOG, broadcast_command, draft_button
from handlers.broadcasts.status import (
    LATEST,
    LATEST_SOURCE,
    STATUS,
    STATUS_SOURCE,
    UNREACHABLE,
    UNREACHABLE_SOURCE,
    ack_button,
    list_command,
    status_button,
    status_command,
    unreachable_command,
)
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.context import KysoApp
from handlers.dialogs import add_dialog
from handlers.paging import add_listing

COMMANDS = (
    CommandSpec(
        names=("thongbao", "broadcast"),
        description=lazy_gettext("send an announcement to units or groups"),
        allowed=SECRETARIAT,
        callback=broadcast_command,
    ),
    CommandSpec(
        names=("thongbao_ds", "broadcasts"),
        description=lazy_gettext("recent announcements and their delivery"),
        allowed=SECRETARIAT,
        callback=list_command,
    ),
    CommandSpec(
        names=("thongbao_tt", "broadcast_status"),
        description=lazy_gettext("delivery and acknowledgements of one announcement"),
        allowed=SECRETARIAT,
        callback=status_command,
    ),
    CommandSpec(
        names=("khonglienlac", "unreachable"),
        description=lazy_gettext("officials and units the bot cannot reach"),
        allowed=SECRETARIAT,
        callback=unreachable_command,
    ),
)


def register(app: KysoApp) -> None:
    """The draft's dialog and buttons, the status buttons and the acknowledgement button."""
    add_dialog(app, DIALOG)
    add_listing(app, UNREACHABLE, UNREACHABLE_SOURCE)
    add_listing(app, STATUS, STATUS_SOURCE)
    add_listing(app, LATEST, LATEST_SOURCE)
    app.add_handler(CallbackQueryHandler(draft_button, pattern=r"^bc:"))
    app.add_handler(CallbackQueryHandler(status_button, pattern=r"^bc[sr]:\d+$"))
    app.add_handler(CallbackQueryHandler(ack_button, pattern=r"^ack:b:\d+$"))
