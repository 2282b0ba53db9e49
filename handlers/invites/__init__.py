"""Invitations (/moi, /moi_hangloat), redeeming them (/start CODE) and the secretariat (/quantri*).

Redeeming has no command of its own: bot/app.py links `redeem.redeem_payload` into /start.
"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot.core.i18n import lazy_gettext
from bot.core.roles import INVITE_ROLES
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.context import KysoApp
from handlers.dialogs import add_dialog
from handlers.invites.invite import (
    ANY_ROLE,
    DIALOG,
    INVITE_CALLBACK,
    bulk_command,
    invite_choice,
    invite_command,
)
from handlers.invites.secretariat import (
    ADMIN_CALLBACK,
    ADMINS,
    ADMINS_SOURCE,
    admin_add_command,
    admin_remove_choice,
    admin_remove_command,
    admins_command,
)
from handlers.paging import add_listing

COMMANDS = (
    CommandSpec(
        names=("moi", "invite"),
        description=lazy_gettext(
            "invitation link for one unit and role, e.g. /invite Quang Lịch bithu "
            "(roles: bithu/chutich/head, vanphong/vanthu/staff, xem/viewer)"
        ),
        allowed=SECRETARIAT,
        callback=invite_command,
    ),
    CommandSpec(
        names=("moi_hangloat", "invite_bulk"),
        description=lazy_gettext(
            "Excel file with a new invitation link for every unit, e.g. /invite_bulk xa bithu"
        ),
        allowed=SECRETARIAT,
        callback=bulk_command,
    ),
    CommandSpec(
        names=("quantri", "admins"),
        description=lazy_gettext("list the members of the secretariat"),
        allowed=SECRETARIAT,
        callback=admins_command,
    ),
    CommandSpec(
        names=("quantri_them", "admin_add"),
        description=lazy_gettext("add someone to the secretariat by Telegram ID"),
        allowed=SECRETARIAT,
        callback=admin_add_command,
    ),
    CommandSpec(
        names=("quantri_bo", "admin_remove"),
        description=lazy_gettext("remove someone from the secretariat (asks for confirmation)"),
        allowed=SECRETARIAT,
        callback=admin_remove_command,
    ),
)


def register(app: KysoApp) -> None:
    """The invitation and secretariat buttons, and the guided unit question (a dialog)."""
    # The roles an invitation may give: the kernel's one tuple, which create_invite checks again
    # (a forged button naming another role reaches no callback).
    roles = "|".join(r.value for r in INVITE_ROLES)
    app.add_handler(
        CallbackQueryHandler(
            invite_choice, pattern=rf"^{INVITE_CALLBACK}:(x|\d+:({roles}|\{ANY_ROLE}))$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(admin_remove_choice, pattern=rf"^{ADMIN_CALLBACK}:(keep|rm:\d+)$")
    )
    add_dialog(app, DIALOG)
    add_listing(app, ADMINS, ADMINS_SOURCE)
