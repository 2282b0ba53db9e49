"""Upload options: the period and indicator in a caption or on a pasted table's first line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from typing import Any

from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import _
from bot.imports.issues import ImportRejected
from bot.imports.parse import parse_table

PASTED_FILENAME = "pasted-table.txt"
# A pasted text this long may be the first part of a table Telegram split into several messages.
PASTE_SPLIT_WARNING_CHARS = 3800


# --- options in the caption ---------------------------------------------------------------


class CaptionError(ValueError):
    """The caption names a period or indicator that cannot be used; str() is the message."""


@dataclass(frozen=True)
class ImportOptions:
    """What the uploader chose besides the file: a period override and the indicator."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    indicator_code: str = SIGNING_INDICATOR

    def to_json(self) -> dict[str, Any]:
        """For PendingImport.options."""
        return {
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "indicator": self.indicator_code,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportOptions:  # other keys are ignored
        """Back from PendingImport.options."""
        start = data.get("period_start")
        end = data.get("period_end")
        return cls(
            period_start=dt.date.fromisoformat(start) if start else None,
            period_end=dt.date.fromisoformat(end) if end else None,
            indicator_code=data.get("indicator") or SIGNING_INDICATOR,
        )


_DATE = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))(?!\d)"
)
_CODE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w-])")


def parse_caption(caption: str | None) -> ImportOptions:
    """Period ("08/06/2026 - 22/06/2026") and indicator code ("ky-so") from a file's caption."""
    if not caption or not caption.strip():
        return ImportOptions()
    dates: list[dt.date] = []
    for match in _DATE.finditer(caption):
        if match.group("d"):
            parts = (match.group("y"), match.group("m"), match.group("d"))
        else:
            parts = (match.group("iy"), match.group("im"), match.group("id"))
        try:
            dates.append(dt.date(int(parts[0]), int(parts[1]), int(parts[2])))
        except ValueError:
            raise CaptionError(
                _("“{value}” in the caption is not a valid date.").format(
                    value=escape(match.group(0))
                )
            ) from None
    if len(dates) not in (0, 2):
        raise CaptionError(
            _(
                "To give the period in the caption, write its first and last day, e.g. "
                "<code>08/06/2026 - 22/06/2026</code>. Without a caption the title line of the "
                "file gives the period."
            )
        )
    rest = _DATE.sub(" ", caption)
    code = _CODE.search(rest.lower())
    return ImportOptions(
        period_start=dates[0] if dates else None,
        period_end=dates[1] if dates else None,
        indicator_code=code.group(0) if code else SIGNING_INDICATOR,
    )


# --- pasted tables ------------------------------------------------------------------------


def looks_like_table(text: str) -> bool:
    """True for multi-line text with tabs or semicolons and a recognisable header row."""
    if "\n" not in text or ("\t" not in text and ";" not in text):
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or sum(1 for line in lines if "\t" in line or ";" in line) < 2:
        return False
    try:
        parse_table(text.encode("utf-8"), PASTED_FILENAME)
    except ImportRejected as exc:
        return not any(i.code in ("no_header", "unsupported_format") for i in exc.issues)
    return True


def pasted_options(text: str) -> ImportOptions:
    """Period on a pasted table's first line, as in a caption ("08/06/2026 - 22/06/2026")."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first or ";" in first:
        return ImportOptions()
    try:
        return parse_caption(first)
    except CaptionError:
        return ImportOptions()  # e.g. a title "từ ngày 08/6 đến 22/6/2026": the importer reads it
