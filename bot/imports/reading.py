"""Reading an uploaded file into rows of cells: Excel (.xlsx), CSV, TSV or pasted text."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any

from bot.imports.cells import Cell, Pct, Rows, cell_text, row_is_blank
from bot.imports.header import find_header
from bot.imports.issues import ImportRejected, RowIssue

_UNSUPPORTED_EXTENSIONS = frozenset(
    {
        ".pdf", ".doc", ".docx", ".xls", ".xlsb", ".ods", ".odt", ".ppt", ".pptx", ".rtf",
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".rar", ".7z", ".gz", ".exe",
    }
)  # fmt: skip
_BINARY_MAGIC = (
    b"%PDF",
    b"\xd0\xcf\x11\xe0",  # OLE2: .xls / .doc
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"{\\rtf",
)
_ALLOWED_CONTROL = frozenset("\t\n\r\x0b\x0c\x1a")


class Unsupported(Exception):
    """The bytes are not a table we can read."""


class Empty(Exception):
    """The file holds nothing."""


# Everything read_cells raises for a file it cannot read.
UNREADABLE = (Unsupported, Empty, zipfile.BadZipFile)


def _decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; refuse binary content."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unsupported from exc
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in text):
        raise Unsupported
    return text


def _format_decimals(number_format: str) -> int:
    """How many decimals an Excel number format shows ("0.00%" → 2)."""
    section = number_format.split(";", 1)[0]
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def _xlsx_cell(cell: Any) -> Cell:
    """Turn an openpyxl read-only cell into text, int, float or a percent value."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number_format = getattr(cell, "number_format", None) or ""
        if "%" in number_format:
            quantum = Decimal(1).scaleb(-_format_decimals(number_format))
            percent = (Decimal(repr(value)) * 100).quantize(quantum, rounding=ROUND_HALF_UP)
            return Pct(percent)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _sheet_rows(sheet: Any) -> Rows:
    """Every row of a worksheet, blank ones as []."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong <dimension>
    rows: Rows = []
    for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        converted = [_xlsx_cell(c) for c in cells]
        rows.append((number, [] if row_is_blank(converted) else converted))
    return rows


def _read_xlsx(data: bytes) -> Rows:
    """Rows of the first sheet with a recognisable header (else the first non-empty sheet)."""
    import openpyxl  # local import: only needed for spreadsheets

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # corrupt zip, a .docx, …
        raise Unsupported from exc
    try:
        first_non_empty: Rows | None = None
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            rows = _sheet_rows(sheet)
            if not any(cells for _number, cells in rows):
                continue
            if first_non_empty is None:
                first_non_empty = rows
            if find_header(rows) is not None:
                return rows
    except Unsupported:
        raise
    except Exception as exc:
        raise Unsupported from exc
    finally:
        workbook.close()
    if first_non_empty is None:
        raise Empty
    return first_non_empty


def _sniff_delimiter(text: str) -> str:
    """Pick tab, semicolon or comma: the one under which a header is recognised."""
    sample_lines = [line for line in text.splitlines() if line.strip()][:60]
    sample = "\n".join(sample_lines)
    candidates = sorted(("\t", ";", ","), key=lambda d: -sample.count(d))
    for delimiter in candidates:
        rows = [
            (i, list(r))
            for i, r in enumerate(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        ]
        if find_header(rows) is not None:
            return delimiter
    return candidates[0]


def _read_text(data: bytes) -> Rows:
    """Rows of a delimited text file with the line number each row starts on."""
    text = _decode_text(data)
    if not text.strip():
        raise Empty
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    start = 1
    try:
        for record in reader:
            rows.append((start, [] if row_is_blank(record) else list(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise Unsupported from exc
    return rows


def read_cells(data: bytes, filename: str) -> Rows:
    """Rows with typed cells (blank rows as []); format by content, then by extension."""
    if not data.strip():
        raise Empty
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(_BINARY_MAGIC):
        raise Unsupported
    if PurePath(filename).suffix.lower() in _UNSUPPORTED_EXTENSIONS:
        raise Unsupported
    return _read_text(data)


def file_issue(exc: Exception, filename: str) -> RowIssue:
    """The file-level issue for a reading failure."""
    if isinstance(exc, Empty):
        return RowIssue(None, None, None, "empty_file", {})
    return RowIssue(None, None, filename, "unsupported_format", {})


def read_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows as (1-based row number, cell texts); raises ImportRejected if unreadable."""
    try:
        rows = read_cells(data, filename)
    except UNREADABLE as exc:
        raise ImportRejected([file_issue(exc, filename)]) from exc
    return [(number, [cell_text(c) for c in cells]) for number, cells in rows if cells]


def count_rows(data: bytes, filename: str) -> int | None:
    """Non-blank rows in a file, for the progress message (None if it cannot be read)."""
    try:
        return len(read_rows(data, filename))
    except ImportRejected:
        return None
