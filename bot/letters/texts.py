"""What the letters feature says: errors, citations, answers, previews and lists."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from html import escape
from typing import Any

from bot.core.i18n import _, fmt_number


def _mb(size: int) -> str:
    """Bytes as megabytes with one decimal."""
    return fmt_number(Decimal(size) / Decimal(1024 * 1024), 1)


def _name(p: Mapping[str, Any]) -> str:
    """The file name, escaped."""
    return escape(str(p.get("name", "")))


READ_ERRORS = {
    "old_format": lambda p: _(
        "“{name}” is in an old Word format I cannot read. Open it in Word, choose Save As → "
        "Word Document (.docx), and send the new file (or a PDF, or plain text)."
    ).format(name=_name(p)),
    "unsupported": lambda p: _(
        "I cannot read “{name}” as a letter. Send the letter as a Word (.docx) file, a PDF "
        "with selectable text, or plain text (.txt)."
    ).format(name=_name(p)),
    "too_large": lambda p: _(
        "The file is too large ({size} MB; the limit is {limit} MB). A letter is normally much "
        "smaller: check that you sent the right file."
    ).format(size=_mb(int(p["size"])), limit=_mb(int(p["limit"]))),
    "empty": lambda p: _("“{name}” has no text I can read.").format(name=_name(p)),
    "encoding": lambda p: _(
        "“{name}” is not in UTF-8, so its Vietnamese letters would come out wrong. Save it as "
        "UTF-8 text (or send the Word file) and try again."
    ).format(name=_name(p)),
    "binary": lambda p: _(
        "“{name}” is not a text file. Send the letter as .docx, .pdf or .txt."
    ).format(name=_name(p)),
    "corrupt": lambda p: _(
        "“{name}” looks damaged: I could not open it. Save it again and resend it."
    ).format(name=_name(p)),
    "docx_bomb": lambda p: _(
        "I refused “{name}”: once unpacked it would be far larger than any letter (it may be "
        "damaged or hold large embedded files). Save the letter alone as a new .docx, or "
        "send it as PDF or text."
    ).format(name=_name(p)),
    "encrypted": lambda p: _(
        "“{name}” is password-protected. Send a copy without a password."
    ).format(name=_name(p)),
    "too_many_pages": lambda p: _(
        "“{name}” has more than {pages} pages; that is not a single letter."
    ).format(name=_name(p), pages=fmt_number(int(p.get("pages", 0)))),
    "too_long": lambda p: _(
        "“{name}” holds far more text than a letter; I did not add it."
    ).format(name=_name(p)),
    "no_text": lambda p: _(
        "“{name}” has no text layer (it looks like a scan). Send the Word file or a PDF "
        "exported from Word, not a scanned copy."
    ).format(name=_name(p)),
    "timeout": lambda p: _(
        "Reading “{name}” took too long, so I stopped. Send the Word file or plain text "
        "instead."
    ).format(name=_name(p)),
}
