"""Refusals with a code: one pattern from error code to a message in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from bot.core.i18n import _

# A message for one code: gets the error's parameters, returns translated text (gettext at
# call time, so the reader's language applies).
Message = Callable[[Mapping[str, Any]], str]


def generic_failure() -> str:
    """The message for a code no table knows."""
    return _("That did not work. Please try again.")


class CodedError(Exception):
    """A refused action: a code, its parameters, and the feature's table of messages.

    Each feature subclasses it and sets MESSAGES (code → Message) next to the codes it raises;
    `message()` looks the code up, so a new code is one entry in a table, not a branch.
    """

    MESSAGES: ClassVar[Mapping[str, Message]] = {}

    def __init__(self, code: str, **params: Any) -> None:
        """Remember what went wrong."""
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params

    def message(self) -> str:
        """The reason, translated (codes missing from the table get a generic apology)."""
        render = self.MESSAGES.get(self.code)
        return render(self.params) if render is not None else generic_failure()
