"""argparse in the CLI's language: its usage line, headings and errors through our catalogs.

argparse looks its words up with `gettext` at the moment it prints them; `install()` points that
lookup at this project's catalogs, so `python -m bot` speaks DEFAULT_LANGUAGE throughout instead
of mixing "usage:" and "error: the following arguments are required" into Vietnamese.
"""

from __future__ import annotations

import argparse
import logging

from bot.core.i18n import LazyString, lazy_gettext, ngettext

logger = logging.getLogger(__name__)

# argparse's own msgids (Python 3.11–3.13) that an operator meets, with ours.
WORDS: dict[str, LazyString] = {
    "usage: ": lazy_gettext("usage: "),
    "options": lazy_gettext("options"),
    "positional arguments": lazy_gettext("positional arguments"),
    "show this help message and exit": lazy_gettext("show this help message and exit"),
    "%(prog)s: error: %(message)s\n": lazy_gettext("%(prog)s: error: %(message)s\n"),
    "the following arguments are required: %s": lazy_gettext(
        "the following arguments are required: %s"
    ),
    "unrecognized arguments: %s": lazy_gettext("unrecognized arguments: %s"),
    "argument %(argument_name)s: %(message)s": lazy_gettext(
        "argument %(argument_name)s: %(message)s"
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": lazy_gettext(
        "invalid choice: %(value)r (choose from %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": lazy_gettext("invalid %(type)s value: %(value)r"),
    "expected one argument": lazy_gettext("expected one argument"),
    "expected at most one argument": lazy_gettext("expected at most one argument"),
    "expected at least one argument": lazy_gettext("expected at least one argument"),
    "one of the arguments %s is required": lazy_gettext("one of the arguments %s is required"),
    "not allowed with argument %s": lazy_gettext("not allowed with argument %s"),
    "ambiguous option: %(option)s could match %(matches)s": lazy_gettext(
        "ambiguous option: %(option)s could match %(matches)s"
    ),
    "can't open '%(filename)s': %(error)s": lazy_gettext("can't open '%(filename)s': %(error)s"),
}


def translate(message: str) -> str:
    """argparse's word in the current language (its own English if we have none)."""
    ours = WORDS.get(message)
    return str(ours) if ours is not None else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    """argparse's counted words ('expected %s argument(s)')."""
    if singular == "expected %s argument":
        return ngettext("expected %s argument", "expected %s arguments", n)
    return singular if n == 1 else plural


def install() -> None:
    """Make argparse speak the current language (call once, before parsing)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
