"""Why a deadline action was refused: DeadlineError and one message per error code."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from html import escape
from typing import Any, ClassVar

from bot.core.errors import CodedError, Message
from bot.core.i18n import _, fmt_datetime, fmt_number, on_command_line

_MB = Decimal(1024 * 1024)


def _title(params: Mapping[str, Any]) -> str:
    """The deadline's title from an error's parameters, escaped for HTML."""
    return escape(str(params.get("title", "")))


def _megabytes(params: Mapping[str, Any], key: str) -> str:
    """A byte count from an error's parameters in MB, one decimal."""
    return fmt_number(Decimal(int(params[key])) / _MB, 1)


def _not_found(params: Mapping[str, Any]) -> str:
    """No deadline with that id (on the command line: both ways to see the list)."""
    if on_command_line():
        return _(
            "There is no deadline #{id}. List them with python -m bot deadlines list (in the "
            "chat: /deadlines)."
        ).format(id=params.get("id", "?"))
    return _("There is no deadline #{id}. Type /deadlines to see the list.").format(
        id=params.get("id", "?")
    )


def _not_later(params: Mapping[str, Any]) -> str:
    """A postponement that does not move the deadline later."""
    return _("A postponed deadline must be later than the current one ({due}).").format(
        due=fmt_datetime(params["due"])
    )


def _closed(params: Mapping[str, Any]) -> str:
    """The report is in and the deadline has passed: it can no longer be replaced."""
    return _(
        "Your unit already sent its report for “{title}” (receipt {receipt}) and the deadline "
        "has passed, so it can no longer be replaced."
    ).format(title=_title(params), receipt=params.get("receipt", ""))


def _long_report(params: Mapping[str, Any]) -> str:
    """A report (or a note) over the length limit."""
    return _("That is too long (at most {max} characters); send a file instead.").format(
        max=fmt_number(int(params["max"]))
    )


def _file_type(params: Mapping[str, Any]) -> str:
    """A file that is not a PDF, DOCX or image."""
    return _("“{name}” is not a PDF, DOCX or image file. Please send one of those.").format(
        name=escape(str(params.get("name", "")))
    )


def _file_size(params: Mapping[str, Any]) -> str:
    """A file over the size limit."""
    return _("The file is too large ({size} MB; at most {max} MB).").format(
        size=_megabytes(params, "size"), max=_megabytes(params, "max")
    )


class DeadlineError(CodedError):
    """A refused deadline action; `message()` says why in the current language."""

    MESSAGES: ClassVar[Mapping[str, Message]] = {
        "not_found": _not_found,
        "cancelled": lambda p: _("The deadline “{title}” has been cancelled.").format(
            title=_title(p)
        ),
        "empty_title": lambda p: _("The title cannot be empty. Please type a title."),
        "long_title": lambda p: _("The title is too long (at most {max} characters).").format(
            max=p["max"]
        ),
        "bad_rate": lambda p: _("Type a percentage above 0 and at most 100, e.g. 80 or 100."),
        "incomplete": lambda p: _("Some details are still missing."),
        "due_past": lambda p: _("The deadline must be in the future."),
        "not_later": _not_later,
        "empty_audience": lambda p: _("No unit matches this audience. Choose another one."),
        "no_figures": lambda p: _("There are no figures yet: import a statistics table first."),
        "not_report": lambda p: _(
            "“{title}” asks for a rate, not a report: nothing to send."
        ).format(title=_title(p)),
        "no_unit": lambda p: _("Only officials of a unit can send an explanation report."),
        "not_audience": lambda p: _("Your unit does not owe a report for “{title}”.").format(
            title=_title(p)
        ),
        "closed": _closed,
        "empty_report": lambda p: _(
            "Send the explanation as text or as a file (PDF, DOCX or an image)."
        ),
        "long_report": _long_report,
        "file": lambda p: str(p.get("text", "")),
        "not_recipient": lambda p: _(
            "This reminder was not sent to you, so there is nothing for you to confirm."
        ),
        "file_type": _file_type,
        "file_size": _file_size,
        "no_report": lambda p: _("That report no longer exists."),
        "already_accepted": lambda p: _("Report {receipt} was already accepted.").format(
            receipt=p.get("receipt")
        ),
        "empty_note": lambda p: _("Please type what the unit should add."),
    }
