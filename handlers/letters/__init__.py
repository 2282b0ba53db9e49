"""Questions answered from the letters (/hoi, /ask, plain questions) and the letters library
(/vanban list and retire; the secretariat adds a letter by sending its file)."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core.i18n import lazy_gettext
from handlers.commands import ANYONE, SECRETARIAT, CommandSpec
from handlers.context import KysoApp
from handlers.dialogs import add_dialog
from handlers.letters.adding import (
    CALLBACK_PREFIX,
    DIALOG,
    LetterFile,
    add_command,
    on_letter_file,
    on_preview_button,
)
from handlers.letters.library import link_command, list_command, on_retire_button
from handlers.letters.questions import Question, ask_command, question_text

COMMANDS = (
    CommandSpec(
        names=("hoi", "ask"),
        description=lazy_gettext("ask about the letters: rules, deadlines, who must do what"),
        allowed=ANYONE,
        callback=ask_command,
        menu_vi="hoi",
        menu_en="ask",
    ),
    CommandSpec(
        names=("vanban", "letters"),
        description=lazy_gettext("the letters I answer from"),
        allowed=ANYONE,
        callback=list_command,
    ),
    CommandSpec(
        names=("vanban_them", "addletter"),
        description=lazy_gettext("add a letter to the library (then send its file)"),
        allowed=SECRETARIAT,
        callback=add_command,
    ),
    CommandSpec(
        names=("cancu", "basis"),
        description=lazy_gettext("link a deadline to the letter item its reminders cite"),
        allowed=SECRETARIAT,
        callback=link_command,
    ),
)


def register(app: KysoApp) -> None:
    """The dialog, letter files, questions and buttons."""
    add_dialog(app, DIALOG)
    private = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(private & filters.Document.ALL & LetterFile(app), on_letter_file)
    )
    app.add_handler(
        CallbackQueryHandler(
            on_preview_button, pattern=rf"^{CALLBACK_PREFIX}:(ok|no|ed:[a-z]+):[\w-]{{1,40}}$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(on_retire_button, pattern=rf"^{CALLBACK_PREFIX}:r[tyn]:\d+$")
    )
    # Plain questions: after /tyle's rate questions (registered earlier in the same group),
    # before the catch-all that says it did not understand.
    app.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND & Question(), question_text)
    )
