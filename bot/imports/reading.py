"""Reading an uploaded file into rows of cells: Excel (.xlsx), CSV, TSV or pasted text.

Reading is bounded (bot/imports/limits.py): an .xlsx archive's members are unpacked as a stream
and counted against the configured size, rows beyond the cap, over-long cells and a slow file
are refused with the limit named; nothing is read twice that is not bounded.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any

from bot.imports.cells import Cell, Pct, Rows, cell_text, row_is_blank
from bot.imports.header import find_header
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.limits import (
    DEFAULT_LIMITS,
    MAX_COLUMNS,
    MAX_ZIP_MEMBERS,
    Budget,
    LimitExceeded,
    ReadLimits,
    too_large_unzipped,
    too_many_rows,
)

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
# Control characters other than \t \n \v \f \r and Ctrl-Z (an old end-of-file mark).
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 64 * 1024
_CHECK_EVERY = 256  # rows between two looks at the clock


class Unsupported(Exception):
    """The bytes are not a table we can read."""


class NotUtf8(Unsupported):
    """Text in another encoding than UTF-8 (UTF-16 without its BOM, a Windows code page)."""

    def __init__(self, encoding: str) -> None:
        """Remember what the text looks like."""
        super().__init__(encoding)
        self.encoding = encoding


class Empty(Exception):
    """The file holds nothing."""


# Everything read_sheet raises for a file it cannot read.
UNREADABLE = (Unsupported, Empty, zipfile.BadZipFile, LimitExceeded)


@dataclass(frozen=True)
class CellNote:
    """A cell the reader could not take as it is: too long, or a formula without its value."""

    code: str  # "cell_too_long" or "formula_no_value"
    length: int = 0


@dataclass
class Sheet:
    """Rows with typed cells (blank rows as []), and notes by (row number, column index);
    column -1 means a whole line the CSV reader had to give up on."""

    rows: Rows
    notes: dict[tuple[int, int], CellNote] = field(default_factory=dict)


class _Collector:
    """Rows as they are read: blank runs kept as ranges until data follows, long cells cut."""

    def __init__(self, limits: ReadLimits, budget: Budget) -> None:
        """Start empty."""
        self.limits = limits
        self.budget = budget
        self.sheet = Sheet([])
        self._blank_runs: list[list[int]] = []
        self._seen = 0

    def _tick(self) -> None:
        """Look at the clock every few rows."""
        self._seen += 1
        if self._seen % _CHECK_EVERY == 0:
            self.budget.check()

    def blank(self, number: int) -> None:
        """A blank row: remembered as part of a run (stored only if data follows)."""
        self._tick()
        if self._blank_runs and self._blank_runs[-1][1] == number - 1:
            self._blank_runs[-1][1] = number
        else:
            self._blank_runs.append([number, number])

    def add(self, number: int, cells: list[Cell]) -> None:
        """A row that may hold something; over the row cap → LimitExceeded."""
        if row_is_blank(cells):
            self.blank(number)
            return
        self._tick()
        if number > self.limits.max_rows:
            raise too_many_rows(self.limits)
        for first, last in self._blank_runs:
            self.sheet.rows.extend((n, []) for n in range(first, last + 1))
        self._blank_runs.clear()
        cells = cells[:MAX_COLUMNS]
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > self.limits.max_cell_chars:
                self.sheet.notes[(number, index)] = CellNote("cell_too_long", len(cell))
                cells[index] = cell[: self.limits.max_cell_chars]
        self.sheet.rows.append((number, cells))

    def broken_line(self, number: int) -> None:
        """A CSV line with a field longer than the csv module reads."""
        self._tick()
        if number > self.limits.max_rows:
            raise too_many_rows(self.limits)
        self.sheet.notes[(number, -1)] = CellNote("cell_too_long")


# --- text ---------------------------------------------------------------------------------


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte is zero in mostly-ASCII text."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return max(even, odd) >= 0.3 * pairs and min(even, odd) <= 0.05 * pairs


def _decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; name another encoding; refuse
    binary content."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Unsupported from exc
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Unsupported from exc
    elif _looks_utf16(data):
        raise NotUtf8("UTF-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            legacy = data.decode("cp1258", errors="replace")
            if _CONTROL.search(legacy) or legacy.count("\ufffd") > len(legacy) // 100:
                raise Unsupported from exc
            raise NotUtf8("Windows-1258") from exc
    if _CONTROL.search(text):
        raise Unsupported
    return text


def _sniff_delimiter(text: str) -> str:
    """Pick tab, semicolon or comma: the one under which a header is recognised."""
    sample_lines = [line for line in text[: 256 * 1024].splitlines() if line.strip()][:60]
    sample = "\n".join(line[:4096] for line in sample_lines)
    candidates = sorted(("\t", ";", ","), key=lambda d: -sample.count(d))
    for delimiter in candidates:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            rows: Rows = [(i, list(r)) for i, r in enumerate(reader)]
        except csv.Error:
            continue
        if find_header(rows) is not None:
            return delimiter
    return candidates[0]


def _read_text(data: bytes, limits: ReadLimits, budget: Budget) -> Sheet:
    """Rows of a delimited text file with the line number each row starts on."""
    text = _decode_text(data)
    if not text.strip():
        raise Empty
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    collector = _Collector(limits, budget)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field limit" not in str(exc):
                raise Unsupported from exc
            collector.broken_line(start)
        else:
            collector.add(start, list(record[:MAX_COLUMNS]))
        start = reader.line_num + 1
    return collector.sheet


# --- Excel --------------------------------------------------------------------------------


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


def _unpacked(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes as they really unpack, chunk by chunk: as far as its compressed data
    goes, not only as far as its declared size (a forged size must not hide a bomb)."""
    start = member.header_offset
    if member.flag_bits & 0x1 or data[start : start + 4] != b"PK\x03\x04":
        raise Unsupported  # encrypted, or no local header where the directory says
    name_len, extra_len = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + name_len + extra_len
    raw = data[begin : begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(raw), _CHUNK):
            yield raw[offset : offset + _CHUNK]
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise Unsupported
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = raw
    while pending and not inflater.eof:
        chunk = inflater.decompress(pending, _CHUNK)  # never more than _CHUNK at once
        pending = inflater.unconsumed_tail
        if chunk:
            yield chunk


def _check_archive(data: bytes, limits: ReadLimits, budget: Budget) -> bool:
    """Unpack every member as a stream, counting against the size limit (declared sizes first,
    then the bytes they really unpack to); returns whether a worksheet holds formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # not a zip after all, a broken central directory
        raise Unsupported from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise Unsupported
    if sum(m.file_size for m in members) > limits.max_unzipped_bytes:
        raise too_large_unzipped(limits)
    unpacked = 0
    formulas = False
    for member in members:
        sheet_xml = member.filename.startswith("xl/worksheets/")
        tail = b""
        size = 0
        try:
            for chunk in _unpacked(data, member):
                size += len(chunk)
                unpacked += len(chunk)
                if unpacked > limits.max_unzipped_bytes:
                    raise too_large_unzipped(limits)
                budget.check()
                if sheet_xml and not formulas:
                    formulas = _FORMULA.search(tail + chunk) is not None
                    tail = chunk[-16:]
        except (LimitExceeded, Unsupported):
            raise
        except Exception as exc:  # corrupt data (zlib.error), a truncated header
            raise Unsupported from exc
        if size != member.file_size:
            raise Unsupported  # the declared size is wrong: a damaged or forged archive
    return formulas


def _open_workbook(data: bytes, *, data_only: bool) -> Any:
    """openpyxl's read-only workbook (Unsupported if it is not one)."""
    import openpyxl  # local import: only needed for spreadsheets

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # corrupt zip, a .docx, …
        raise Unsupported from exc


def _sheet_rows(sheet: Any) -> Iterable[tuple[int, Any]]:
    """(row number, cells) of a worksheet, at most MAX_COLUMNS cells each."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong <dimension>
    return enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS), start=1)


def _collect_sheet(sheet: Any, limits: ReadLimits, budget: Budget) -> Sheet:
    """Every row of a worksheet, blank ones as [] (only when data follows them)."""
    collector = _Collector(limits, budget)
    empty: Any = None
    for number, cells in _sheet_rows(sheet):
        if cells is empty or not cells:  # openpyxl fills a gap with one shared empty row
            collector.blank(number)
            continue
        converted = [_xlsx_cell(c) for c in cells]
        while converted and converted[-1] == "":
            converted.pop()
        if not converted:
            empty = cells
        collector.add(number, converted)
    return collector.sheet


def _mark_formulas(data: bytes, index: int, sheet: Sheet, budget: Budget) -> None:
    """Note cells that hold a formula whose value the file did not save."""
    workbook = _open_workbook(data, data_only=False)
    try:
        by_number = dict(sheet.rows)
        last = sheet.rows[-1][0] if sheet.rows else 0
        for number, cells in _sheet_rows(workbook.worksheets[index]):
            if number > last:
                break
            if number % _CHECK_EVERY == 0:
                budget.check()
            values = by_number.get(number) or []
            for column, cell in enumerate(cells):
                formula = isinstance(cell.value, str) and cell.value.startswith("=")
                if formula and (column >= len(values) or values[column] == ""):
                    sheet.notes[(number, column)] = CellNote("formula_no_value")
    except LimitExceeded:
        raise
    except Exception as exc:
        raise Unsupported from exc
    finally:
        workbook.close()


def _read_xlsx(data: bytes, limits: ReadLimits, budget: Budget) -> Sheet:
    """Rows of the first sheet with a recognisable header (else the first non-empty sheet)."""
    formulas = _check_archive(data, limits, budget)
    workbook = _open_workbook(data, data_only=True)
    chosen: tuple[int, Sheet] | None = None
    try:
        for index, worksheet in enumerate(workbook.worksheets):
            if not hasattr(worksheet, "iter_rows"):
                continue
            sheet = _collect_sheet(worksheet, limits, budget)
            if not sheet.rows:
                continue
            if chosen is None:
                chosen = (index, sheet)
            if find_header(sheet.rows) is not None:
                chosen = (index, sheet)
                break
    except (Unsupported, LimitExceeded):
        raise
    except Exception as exc:
        raise Unsupported from exc
    finally:
        workbook.close()
    if chosen is None:
        raise Empty
    if formulas:
        _mark_formulas(data, chosen[0], chosen[1], budget)
    return chosen[1]


# --- any file -----------------------------------------------------------------------------


def read_sheet(
    data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS, budget: Budget | None = None
) -> Sheet:
    """Rows with typed cells and notes on cells; format by content, then by extension.
    `budget`: the time left for the whole check of the file (default: a new one)."""
    if not data.strip():
        raise Empty
    budget = budget or limits.budget()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, limits, budget)
    if data.startswith(_BINARY_MAGIC):
        raise Unsupported
    if PurePath(filename).suffix.lower() in _UNSUPPORTED_EXTENSIONS:
        raise Unsupported
    return _read_text(data, limits, budget)


def read_cells(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> Rows:
    """Rows with typed cells (blank rows between data rows as [])."""
    return read_sheet(data, filename, limits).rows


def file_issue(exc: Exception, filename: str) -> RowIssue:
    """The file-level issue for a reading failure."""
    if isinstance(exc, LimitExceeded):
        return exc.issue
    if isinstance(exc, Empty):
        return RowIssue(None, None, None, "empty_file", {})
    if isinstance(exc, NotUtf8):
        return RowIssue(None, None, filename, "not_utf8", {"encoding": exc.encoding})
    return RowIssue(None, None, filename, "unsupported_format", {})


def read_rows(
    data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS
) -> list[tuple[int, list[str]]]:
    """Non-blank rows as (1-based row number, cell texts); raises ImportRejected if unreadable."""
    try:
        rows = read_cells(data, filename, limits)
    except UNREADABLE as exc:
        raise ImportRejected([file_issue(exc, filename)]) from exc
    return [(number, [cell_text(c) for c in cells]) for number, cells in rows if cells]


def count_rows(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> int | None:
    """Non-blank rows in a file, for the progress message (None if it cannot be read)."""
    try:
        return len(read_rows(data, filename, limits))
    except ImportRejected:
        return None
