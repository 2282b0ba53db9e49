"""Deadlines: /hanchot_moi (guided), /hanchot, /hanchot_tt, /giaitrinh and their buttons.

Callback data (all under 64 bytes):
  dl:new:<…>            steps of the creation dialog (templates, kind, rate, audience, confirm)
  dl:x                  cancel the dialog
  dl:ack:<id>           "Đã nhận" on a reminder
  dl:rep:<id>           "Nộp giải trình" on a reminder: start a report for that deadline
  dl:pick:<id>          choose the deadline to report on · dl:send  submit the report
  dl:card:<id>          a deadline's card (secretariat) · dl:ed:<id>:title|plan|due  edit it
  dl:cx:<id> / dl:cxy:<id> / dl:cxn:<id>   cancel a deadline: ask / confirm / keep
  dl:st:<id>:<page>     status table (its pages: pg:deadline:<owner>:<page>:<id>, handlers/paging)
  dl:csv:<id>           the status table as a CSV file
  dl:see:<report id>    read a report · dl:acc:<report id> accept · dl:more:<report id> ask more

Typed answers go through the one dialog mechanism (handlers/dialogs.py): creating, editing,
asking a unit for more and composing a report are states of the "deadlines" dialog.
"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler

from bot.core.i18n import lazy_gettext
from handlers.commands import MEMBERS, SECRETARIAT, UNIT_WORKERS, CommandSpec
from handlers.context import KysoApp
from handlers.deadlines import create, create_buttons, edit, explain, lists, status
from handlers.deadlines.dialog import FEATURE, TTL, cancel_button, cancelled_text
from handlers.dialogs import DialogFeature, add_dialog
from handlers.paging import add_listing

COMMANDS = (
    CommandSpec(
        names=("hanchot", "deadlines"),
        description=lazy_gettext("open deadlines: time left and what is still owed"),
        allowed=MEMBERS,
        callback=lists.list_command,
        menu_vi="hanchot",
        menu_en="deadlines",
    ),
    CommandSpec(
        names=("giaitrinh", "explain"),
        description=lazy_gettext("send your unit's explanation report"),
        allowed=UNIT_WORKERS,
        callback=explain.report_command,
        menu_vi="giaitrinh",
        menu_en="explain",
    ),
    CommandSpec(
        names=("hanchot_moi", "deadline_new"),
        description=lazy_gettext("create a deadline (guided; templates from the letters)"),
        allowed=SECRETARIAT,
        callback=create.new_command,
    ),
    CommandSpec(
        names=("hanchot_tt", "deadline_status"),
        description=lazy_gettext("who has and has not complied with a deadline"),
        allowed=SECRETARIAT,
        callback=status.status_command,
    ),
)

# Button data pattern → its handler.
BUTTONS = (
    (r"^dl:new:", create_buttons.creation_button),
    (r"^dl:x$", cancel_button),
    (r"^dl:ack:\d+$", lists.ack_button),
    (r"^dl:rep:\d+$", explain.report_button),
    (r"^dl:pick:\d+$", explain.pick_button),
    (r"^dl:send$", explain.send_button),
    (r"^dl:card:\d+$", lists.card_button),
    (r"^dl:ed:\d+:(title|plan|due)$", edit.edit_button),
    (r"^dl:cx:\d+$", lists.cancel_ask),
    (r"^dl:cx[yn]:\d+$", lists.cancel_confirm),
    (r"^dl:st:\d+:\d+$", status.status_button),
    (r"^dl:csv:\d+$", status.csv_button),
    (r"^dl:see:\d+$", explain.see_button),
    (r"^dl:acc:\d+$", explain.accept_button),
    (r"^dl:more:\d+$", explain.more_button),
)


def register(app: KysoApp) -> None:
    """The deadlines dialog (its typed answers), then every button."""
    add_dialog(
        app,
        DialogFeature(
            FEATURE,
            states={**create.STATES, **edit.STATES, **explain.STATES},
            ttl=TTL,
            cancelled=cancelled_text,
        ),
    )
    add_listing(app, status.STATUS, status.STATUS_SOURCE)
    add_listing(app, lists.OPEN, lists.OPEN_SOURCE)
    for pattern, callback in BUTTONS:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
