"""Read statistics tables (TSV, CSV, XLSX), validate every row and store them as measurements."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, update
from sqlmodel import Session, select

from bot.core import audit
from bot.core.db import SIGNING_INDICATOR, bump_revision
from bot.core.hooks import run_after_import
from bot.core.i18n import _, fmt_date, fmt_number, fmt_percent_value, rate_percent
from bot.core.models import (
    ImportBatch,
    Indicator,
    Measurement,
    ReportingPeriod,
    Unit,
    UnitNameHistory,
    utcnow,
)
from bot.core.text import fold, guess_unit_kind, short_key, slugify

logger = logging.getLogger(__name__)

# --- issues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowIssue:
    """One problem found in an uploaded table; row and column as the user sees them."""

    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def message(self) -> str:
        """The reason, translated into the current language."""
        p = self.params
        value = self.value if self.value is not None else ""
        column = self.column or ""
        code = self.code
        if code == "signed_gt_total":
            return _("Signed ({signed}) is more than total ({total})").format(
                signed=_fmt_int(p.get("signed")), total=_fmt_int(p.get("total"))
            )
        if code == "negative":
            return _("“{column}” cannot be negative: {value}").format(column=column, value=value)
        if code == "not_a_number":
            return _("“{column}” is not a number: “{value}”").format(column=column, value=value)
        if code == "not_integer":
            return _("“{column}” must be a whole number: {value}").format(
                column=column, value=value
            )
        if code == "missing_value":
            return _("“{column}” is empty").format(column=column)
        if code == "missing_name":
            if value:
                return _("Number {number} has figures but no unit name").format(number=value)
            return _("This row has figures but no unit name")
        if code == "duplicate_unit":
            return _("“{name}” is listed twice (first on row {first_row})").format(
                name=value, first_row=p.get("first_row", "?")
            )
        if code == "rate_mismatch":
            return _("Published rate “{value}” does not match {signed}/{total} = {exact}").format(
                value=value,
                signed=_fmt_int(p.get("signed")),
                total=_fmt_int(p.get("total")),
                exact=fmt_percent_value(Decimal(p.get("exact", "0"))),
            )
        if code == "no_header":
            return _(
                "No header row found: the table needs columns for the unit name, "
                "the total number of documents and the number signed"
            )
        if code == "empty_file":
            return _("The file has no data rows")
        if code == "no_period":
            return _(
                "No reporting period: the title has no “từ ngày … đến ngày …” "
                "and no period was given"
            )
        if code == "bad_period":
            if p.get("reason") == "end_before_start":
                return _("The reporting period ends ({end}) before it starts ({start})").format(
                    end=_fmt_iso_date(p.get("end")), start=_fmt_iso_date(p.get("start"))
                )
            return _("Invalid date or time in the reporting period: “{value}”").format(value=value)
        if code == "unsupported_format":
            return _("Unsupported file “{value}”: send an Excel (.xlsx), CSV or TSV file").format(
                value=value
            )
        if code == "ambiguous_unit":
            return _(
                "“{name}” matches {count} existing units; the unit list must be fixed first"
            ).format(name=value, count=_fmt_int(p.get("count", "2")))
        if code == "unknown_indicator":
            return _("Unknown indicator “{value}”").format(value=value)
        return code


def _fmt_int(text: str | None) -> str:
    """Format an integer kept as text in params, with locale grouping."""
    if text is None:
        return "?"
    try:
        return fmt_number(int(text))
    except ValueError:
        return text


def _fmt_iso_date(text: str | None) -> str:
    """Format an ISO date kept as text in params."""
    if not text:
        return "?"
    try:
        return fmt_date(date.fromisoformat(text))
    except ValueError:
        return text


class ImportRejected(Exception):
    """The table was refused; `issues` lists every problem found."""

    def __init__(self, issues: Sequence[RowIssue]) -> None:
        """Keep all issues."""
        self.issues: list[RowIssue] = list(issues)
        codes = ", ".join(sorted({i.code for i in self.issues}))
        super().__init__(f"import rejected: {len(self.issues)} issue(s) ({codes})")


# --- parsed data --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    """One unit's figures from the table."""

    row: int
    name: str
    total: int
    signed: int
    published_rate: Decimal | None


@dataclass(frozen=True)
class ParsedTable:
    """A validated table: rows plus the period its title states."""

    rows: list[ParsedRow]
    period_start: date | None
    period_end: date | None
    as_of_local: datetime | None
    skipped_rows: int


@dataclass(frozen=True)
class _Pct:
    """A percent-formatted spreadsheet number, already multiplied by 100."""

    value: Decimal

    def __str__(self) -> str:
        """Text as Excel shows it (dot decimal)."""
        return f"{self.value}%"


_Cell = str | int | float | _Pct


def _cell_text(cell: _Cell) -> str:
    """Text of a cell as a user would read it."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float):
        return f"{cell:.15g}"
    return str(cell)


# --- reading files ------------------------------------------------------------------------

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


class _Unsupported(Exception):
    """Internal: the bytes are not a table we can read."""


class _Empty(Exception):
    """Internal: the file holds nothing."""


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
        raise _Unsupported from exc
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in text):
        raise _Unsupported
    return text


def _format_decimals(number_format: str) -> int:
    """How many decimals an Excel number format shows ("0.00%" → 2)."""
    section = number_format.split(";", 1)[0]
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def _xlsx_cell(cell: Any) -> _Cell:
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
            return _Pct(percent)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _row_is_blank(cells: Sequence[_Cell]) -> bool:
    """True when no cell holds anything but whitespace."""
    return all(isinstance(c, str) and not c.strip() for c in cells)


def _read_xlsx(data: bytes) -> list[tuple[int, list[_Cell]]]:
    """Rows of the first sheet with a recognisable header (else the first non-empty sheet)."""
    import openpyxl  # local import: only needed for spreadsheets

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # corrupt zip, a .docx, …
        raise _Unsupported from exc
    try:
        first_non_empty: list[tuple[int, list[_Cell]]] | None = None
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers store a wrong <dimension>
            rows: list[tuple[int, list[_Cell]]] = []
            for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
                converted = [_xlsx_cell(c) for c in cells]
                rows.append((number, [] if _row_is_blank(converted) else converted))
            if not any(cells for _number, cells in rows):
                continue
            if first_non_empty is None:
                first_non_empty = rows
            if _find_header(rows) is not None:
                return rows
    except _Unsupported:
        raise
    except Exception as exc:
        raise _Unsupported from exc
    finally:
        workbook.close()
    if first_non_empty is None:
        raise _Empty
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
        if _find_header(rows) is not None:
            return delimiter
    return candidates[0]


def _read_text(data: bytes) -> list[tuple[int, list[_Cell]]]:
    """Rows of a delimited text file with the line number each row starts on."""
    text = _decode_text(data)
    if not text.strip():
        raise _Empty
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[_Cell]]] = []
    start = 1
    try:
        for record in reader:
            rows.append((start, [] if _row_is_blank(record) else list(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _Unsupported from exc
    return rows


def _read_cells(data: bytes, filename: str) -> list[tuple[int, list[_Cell]]]:
    """Rows with typed cells (blank rows as []); format by content, then by extension."""
    if not data.strip():
        raise _Empty
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(_BINARY_MAGIC):
        raise _Unsupported
    if PurePath(filename).suffix.lower() in _UNSUPPORTED_EXTENSIONS:
        raise _Unsupported
    return _read_text(data)


def _file_issue(exc: Exception, filename: str) -> RowIssue:
    """The file-level issue for a reading failure."""
    if isinstance(exc, _Empty):
        return RowIssue(None, None, None, "empty_file", {})
    return RowIssue(None, None, filename, "unsupported_format", {})


def read_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows as (1-based row number, cell texts); raises ImportRejected if unreadable."""
    try:
        rows = _read_cells(data, filename)
    except (_Unsupported, _Empty, zipfile.BadZipFile) as exc:
        raise ImportRejected([_file_issue(exc, filename)]) from exc
    return [(number, [_cell_text(c) for c in cells]) for number, cells in rows if cells]


# --- header -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    """Where each needed column is, and its header text as written."""

    unit: int
    total: int
    signed: int
    rate: int | None
    stt: int | None
    titles: dict[int, str]

    @property
    def width(self) -> int:
        """Index past the right-most used column."""
        used = [self.unit, self.total, self.signed, self.rate or 0, self.stt or 0]
        return max(used) + 1


_STT_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "no", "nr", "#"})


def _classify_header(text: str) -> str | None:
    """Which column a header cell names: stt, rate, signed, total, unit or None."""
    stripped = text.strip()
    if stripped == "#":
        return "stt"
    return _classify_folded(fold(stripped))


def _classify_folded(folded: str) -> str | None:
    """Column role of an already folded header text."""
    if not folded:
        return None
    if folded in _STT_HEADERS:
        return "stt"
    padded = f" {folded} "
    if folded.startswith(("ty le", "ti le")) or "%" in folded or " rate " in padded:
        return "rate"
    if any(k in padded for k in (" ky so ", " da ky ", " signed ")):
        return "signed"
    if any(k in padded for k in (" tong ", " total ", " van ban di ", " vb di ")):
        return "total"
    if any(k in padded for k in (" don vi ", " unit ", " units ", " co quan ")):
        return "unit"
    return None


def _header_columns(cells: Sequence[_Cell]) -> _Columns | None:
    """Columns named by a row, if it has at least unit, total and signed."""
    found: dict[str, int] = {}
    titles: dict[int, str] = {}
    signed_like: list[int] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, str):
            continue
        role = _classify_header(cell)
        if role == "signed":
            signed_like.append(index)
        if role is not None and role not in found:
            found[role] = index
            titles[index] = " ".join(cell.split())
    if "total" not in found and len(signed_like) >= 2:
        # "Tổng số văn bản cần ký số" next to "Số văn bản đã ký số": the total mentions "tổng".
        for index in signed_like:
            padded = f" {fold(_cell_text(cells[index]))} "
            if " tong " in padded or " total " in padded:
                others = [i for i in signed_like if i != index]
                found["total"], found["signed"] = index, others[0]
                for i in (index, others[0]):
                    titles[i] = " ".join(_cell_text(cells[i]).split())
                break
    if not {"unit", "total", "signed"} <= found.keys():
        return None
    return _Columns(
        unit=found["unit"],
        total=found["total"],
        signed=found["signed"],
        rate=found.get("rate"),
        stt=found.get("stt"),
        titles=titles,
    )


def _find_header(rows: Sequence[tuple[int, Sequence[_Cell]]]) -> tuple[int, _Columns] | None:
    """Position in `rows` of the first header row, with its columns."""
    for position, (_number, cells) in enumerate(rows):
        columns = _header_columns(cells)
        if columns is not None:
            return position, columns
    return None


# --- numbers ------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN_INT = re.compile(r"[+-]?\d+")
_GROUPED_INT = re.compile(r"[+-]?\d{1,3}(?:([.,' ])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"[+-]?\d+[.,]\d+")


@dataclass(frozen=True)
class _Number:
    """Result of reading a count cell: a value or an issue code."""

    value: int | None
    code: str | None


def _clean_number_text(text: str) -> str:
    """Trim a cell and normalise minus signs and odd spaces."""
    text = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    return _SPACES.sub(" ", text)


def _parse_count(cell: _Cell) -> _Number:
    """Read a count: 92, 1.234, 1,234, 1 234 → int; flags empty, negative, fractional, text."""
    if isinstance(cell, bool):
        return _Number(None, "not_a_number")
    if isinstance(cell, int):
        return _Number(cell, "negative" if cell < 0 else None)
    if isinstance(cell, float):
        if cell.is_integer():
            return _Number(int(cell), "negative" if cell < 0 else None)
        return _Number(None, "negative" if cell < 0 else "not_integer")
    if isinstance(cell, _Pct):
        return _Number(None, "not_a_number")
    text = _clean_number_text(cell)
    if not text:
        return _Number(None, "missing_value")
    value: int | None = None
    if _PLAIN_INT.fullmatch(text):
        value = int(text)
    elif _GROUPED_INT.fullmatch(text):
        value = int(re.sub(r"[.,' ]", "", text))
    elif _DECIMAL.fullmatch(text):
        number = Decimal(text.replace(",", "."))
        if number < 0:
            return _Number(None, "negative")
        if number != number.to_integral_value():
            return _Number(None, "not_integer")
        value = int(number)
    else:
        return _Number(None, "not_a_number")
    if value < 0:
        return _Number(None, "negative")
    return _Number(value, None)


def _looks_numeric(cell: _Cell) -> bool:
    """True when a count cell holds any kind of number (even an invalid count)."""
    result = _parse_count(cell)
    return result.code not in ("not_a_number", "missing_value")


_RATE_PLACEHOLDERS = frozenset({"-", "--", "—", "x", "n/a", "na", "…", "..."})
_RATE_TEXT = re.compile(r"([+-]?)(\d+(?:[.,]\d+)?)\s*%?")


def _parse_rate(cell: _Cell) -> tuple[Decimal | None, str | None]:
    """Read a published rate in percent: 98%, 95,45%, 95.45%, 95,45 → Decimal; or an issue code."""
    if isinstance(cell, _Pct):
        return cell.value, ("negative" if cell.value < 0 else None)
    if isinstance(cell, bool):
        return None, "not_a_number"
    if isinstance(cell, int | float):
        number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        return (None, "negative") if number < 0 else (number, None)
    text = _clean_number_text(cell)
    if not text or text.lower() in _RATE_PLACEHOLDERS or text.startswith("#"):
        return None, None  # empty, a dash, or an Excel error such as #DIV/0! for 0/0
    match = _RATE_TEXT.fullmatch(text)
    if match is None:
        return None, "not_a_number"
    if match.group(1) == "-":
        return None, "negative"
    try:
        return Decimal(match.group(2).replace(",", ".")), None
    except InvalidOperation:
        return None, "not_a_number"


def _rate_agrees(published: Decimal, signed: int, total: int) -> bool:
    """Published rate equals signed/total up to half a unit of its own last shown digit."""
    exponent = published.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    decimals = min(decimals, 4)
    tolerance = Fraction(5, 10 ** (decimals + 1))
    exact = Fraction(signed * 100, total)
    return abs(Fraction(published) - exact) <= tolerance


# --- period from the title ----------------------------------------------------------------

_DATE = r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?"
_TIME = r"(\d{1,2})\s*(?:gio|g|h|:)\s*(?:(\d{1,2})\s*(?:phut|p|')?)?"
_PERIOD = re.compile(
    r"(?:(?:tu|from)\s+)?(?:ngay\s+)?"
    + _DATE
    + r"\s*,?\s*(?:den|toi|to|until|-|–|—)\s*(?:(?:het|luc|at)\s+)?(?:"
    + _TIME
    + r"\s*,?\s*)?(?:(?:het\s+)?ngay\s+)?"
    + _DATE
    + r"(?:\s*,?\s*(?:luc|at)?\s*"
    + _TIME
    + r")?"
)
_VI_LONG_DATE = re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*,?\s+nam\s+(\d{4}))?")
_FILENAME_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[_\s.]+|--|_den_|_to_)(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class _Period:
    """A period read from a title: dates, the as-of wall time, or what was wrong."""

    start: date | None
    end: date | None
    as_of_local: datetime | None
    bad_text: str | None = None


def _ascii_lower(text: str) -> str:
    """Lower-case, no diacritics, đ→d, whitespace collapsed; punctuation kept."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(text.split())


def _year(text: str | None) -> int | None:
    """Four-digit year from 2 or 4 digits."""
    if text is None:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _period_from_text(text: str) -> _Period | None:
    """Find "từ ngày D/M[/Y] đến [H giờ [MM]] ngày D/M/Y" (and variants) in a title."""
    normal = _VI_LONG_DATE.sub(
        lambda m: f"{m.group(1)}/{m.group(2)}" + (f"/{m.group(3)}" if m.group(3) else ""),
        _ascii_lower(text),
    )
    match = _PERIOD.search(normal)
    if match is None:
        return None
    g = match.groups()
    sd, sm, sy, h1, mi1, ed, em, ey, h2, mi2 = g
    if ey is None:
        # "từ 08/6 đến 22/6" without any year: not enough to place the period.
        return None
    end_text = f"{ed}/{em}/{ey}"
    try:
        end = date(_year(ey) or 0, int(em), int(ed))
    except ValueError:
        return _Period(None, None, None, bad_text=end_text)
    start_text = f"{sd}/{sm}" + (f"/{sy}" if sy else "")
    start_year = _year(sy)
    if start_year is None:
        start_year = end.year if (int(sm), int(sd)) <= (end.month, end.day) else end.year - 1
    try:
        start = date(start_year, int(sm), int(sd))
    except ValueError:
        return _Period(None, None, None, bad_text=start_text)
    hour_text, minute_text = (h1, mi1) if h1 is not None else (h2, mi2)
    as_of: datetime | None = None
    if hour_text is not None:
        hour, minute = int(hour_text), int(minute_text or 0)
        if hour == 24 and minute == 0:
            as_of = datetime.combine(end + timedelta(days=1), datetime.min.time())
        elif hour > 23 or minute > 59:
            return _Period(None, None, None, bad_text=f"{hour_text}:{minute_text or '00'}")
        else:
            as_of = datetime(end.year, end.month, end.day, hour, minute)
    return _Period(start, end, as_of)


def _period_from_filename(filename: str) -> _Period | None:
    """Two ISO dates in the file name, e.g. "…-2026-06-08_2026-06-22.tsv"."""
    match = _FILENAME_PERIOD.search(PurePath(filename).name)
    if match is None:
        return None
    try:
        return _Period(date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2)), None)
    except ValueError:
        return _Period(None, None, None, bad_text=match.group(0))


# --- parsing the table --------------------------------------------------------------------

_TOTAL_LABELS = re.compile(r"(tong cong|tong so|tong|cong|total|grand total|sum|subtotal)( |$)")
_NOT_TOTAL_LABELS = (
    "tong cong ty",
    "tong cuc",
    "tong lien doan",
    "tong doi",
    "cong ty",
    "cong an",
    "cong doan",
    "cong thong tin",
)
_STT_NUMBER = re.compile(r"\d+\.?")
_NUMBERING_CELL = re.compile(r"[\s()\[\]0-9A-Za-z=/*x×+\-.:%]{1,16}")


def _is_total_label(label: str, numbered: bool) -> bool:
    """Whether a folded first-cell label marks a totals row such as "Tổng cộng"."""
    if not label or label.startswith(_NOT_TOTAL_LABELS):
        return False
    if numbered:
        return label in ("tong cong", "tong", "cong", "total", "grand total")
    return _TOTAL_LABELS.match(label) is not None


def _is_numbering_row(cells: Sequence[_Cell], columns: _Columns) -> bool:
    """A "(1) (2) (3)=(2)/(1)" column-numbering row right under the header."""
    texts = [_cell_text(c).strip() for c in cells]
    if len(fold(texts[columns.unit])) > 3:
        return False
    non_empty = [t for t in texts if t]
    if len(non_empty) < 3 or not all(_NUMBERING_CELL.fullmatch(t) for t in non_empty):
        return False
    if any("(" in t or "=" in t or t.isalpha() for t in non_empty):
        return True
    if all(t.isdigit() for t in non_empty):
        numbers = [int(t) for t in non_empty]
        return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    return False


@dataclass
class _Candidate:
    """A row that may hold data, before validation."""

    number: int
    cells: list[_Cell]
    name: str
    name_key: str
    stt: str
    numbered: bool


@dataclass
class _ParseOutcome:
    """What parsing produced: the table (if a header was found) and every issue."""

    table: ParsedTable | None
    issues: list[RowIssue]
    title_period: _Period | None
    columns: _Columns | None


def _cell(cells: Sequence[_Cell], index: int | None) -> _Cell:
    """Cell at index, or empty text when absent."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _is_empty(cell: _Cell) -> bool:
    """True for an empty text cell."""
    return isinstance(cell, str) and not cell.strip()


def _parse(data: bytes, filename: str) -> _ParseOutcome:
    """Read and validate a table, collecting every issue instead of stopping at the first."""
    try:
        rows = _read_cells(data, filename)
    except (_Unsupported, _Empty, zipfile.BadZipFile) as exc:
        return _ParseOutcome(None, [_file_issue(exc, filename)], None, None)
    if not any(cells for _number, cells in rows):
        return _ParseOutcome(None, [RowIssue(None, None, None, "empty_file", {})], None, None)
    header = _find_header(rows)
    if header is None:
        return _ParseOutcome(None, [RowIssue(None, None, None, "no_header", {})], None, None)
    position, columns = header

    title_text = " ".join(
        _cell_text(c) for _n, cells in rows[:position] for c in cells if not _is_empty(c)
    )
    title_period = _period_from_text(title_text) if title_text else None
    if title_period is None:
        title_period = _period_from_filename(filename)

    skipped = 0
    blank_run = 0
    candidates: list[_Candidate] = []
    header_unit_key = fold(_cell_text(rows[position][1][columns.unit]))
    for number, cells in rows[position + 1 :]:
        if not cells:
            blank_run += 1
            continue
        skipped += blank_run  # blank rows inside the table (not trailing ones)
        blank_run = 0
        name = " ".join(_cell_text(_cell(cells, columns.unit)).split())
        stt = _cell_text(_cell(cells, columns.stt)).strip()
        numbered = _STT_NUMBER.fullmatch(stt) is not None
        name_key = fold(name)
        if name_key and (
            name_key == header_unit_key
            or (
                _classify_folded(name_key) == "unit"
                and _classify_header(_cell_text(_cell(cells, columns.signed))) == "signed"
            )
        ):
            skipped += 1  # header repeated at a page break
            continue
        if not candidates and _is_numbering_row(
            [*cells, *[""] * (columns.width - len(cells))], columns
        ):
            skipped += 1
            continue
        label = name_key or ("" if numbered else fold(stt))
        if _is_total_label(label, numbered):
            skipped += 1
            continue
        total_cell, signed_cell = _cell(cells, columns.total), _cell(cells, columns.signed)
        counts_empty = _is_empty(total_cell) and _is_empty(signed_cell)
        if counts_empty and (not numbered or not name):
            skipped += 1  # footer text, section heading, numbered but empty template row
            continue
        candidates.append(_Candidate(number, list(cells), name, name_key, stt, numbered))

    # Text after the last row with figures (signature blocks, "Nơi nhận") is not data.
    last_data = -1
    for index, cand in enumerate(candidates):
        total_cell, signed_cell = (
            _cell(cand.cells, columns.total),
            _cell(cand.cells, columns.signed),
        )
        if (
            cand.numbered
            or _looks_numeric(total_cell)
            or _looks_numeric(signed_cell)
            or not (_is_empty(total_cell) or _is_empty(signed_cell))
        ):
            last_data = index
    skipped += len(candidates) - (last_data + 1)
    candidates = candidates[: last_data + 1]

    issues: list[RowIssue] = []
    parsed: list[ParsedRow] = []
    first_row_by_key: dict[str, int] = {}
    sum_total = sum_signed = 0
    titles = columns.titles
    for cand in candidates:
        row_issues: list[RowIssue] = []
        total_cell = _cell(cand.cells, columns.total)
        signed_cell = _cell(cand.cells, columns.signed)
        total = _parse_count(total_cell)
        signed = _parse_count(signed_cell)
        for col, cell, result in (
            (columns.total, total_cell, total),
            (columns.signed, signed_cell, signed),
        ):
            if result.code is not None:
                row_issues.append(
                    RowIssue(cand.number, titles[col], _cell_text(cell).strip(), result.code, {})
                )
        if not cand.name:
            if (
                not cand.numbered
                and not row_issues
                and total.value == sum_total
                and signed.value == sum_signed
                and parsed
            ):
                skipped += 1  # an unlabelled totals row
                continue
            row_issues.insert(
                0,
                RowIssue(cand.number, titles[columns.unit], cand.stt or None, "missing_name", {}),
            )
        rate_cell = _cell(cand.cells, columns.rate)
        published, rate_code = _parse_rate(rate_cell) if columns.rate is not None else (None, None)
        if rate_code is not None and columns.rate is not None and total.value != 0:
            row_issues.append(
                RowIssue(
                    cand.number, titles[columns.rate], _cell_text(rate_cell).strip(), rate_code
                )
            )
        if total.value is not None and signed.value is not None:
            if signed.value > total.value:
                row_issues.append(
                    RowIssue(
                        cand.number,
                        titles[columns.signed],
                        _cell_text(signed_cell).strip(),
                        "signed_gt_total",
                        {"signed": str(signed.value), "total": str(total.value)},
                    )
                )
            elif (
                published is not None
                and columns.rate is not None
                and total.value > 0
                and not _rate_agrees(published, signed.value, total.value)
            ):
                exact = rate_percent(signed.value, total.value, 2)
                row_issues.append(
                    RowIssue(
                        cand.number,
                        titles[columns.rate],
                        _cell_text(rate_cell).strip(),
                        "rate_mismatch",
                        {
                            "published": str(published),
                            "signed": str(signed.value),
                            "total": str(total.value),
                            "exact": str(exact),
                        },
                    )
                )
        if cand.name:
            key = cand.name_key
            first = first_row_by_key.get(key)
            if first is not None:
                row_issues.append(
                    RowIssue(
                        cand.number,
                        titles[columns.unit],
                        cand.name,
                        "duplicate_unit",
                        {"first_row": str(first)},
                    )
                )
            else:
                first_row_by_key[key] = cand.number
        if row_issues:
            issues.extend(row_issues)
            continue
        assert total.value is not None and signed.value is not None
        sum_total += total.value
        sum_signed += signed.value
        parsed.append(ParsedRow(cand.number, cand.name, total.value, signed.value, published))

    if not candidates:
        issues.append(RowIssue(None, None, None, "empty_file", {}))
    good = title_period if title_period is not None and title_period.bad_text is None else None
    table = ParsedTable(
        rows=parsed,
        period_start=good.start if good else None,
        period_end=good.end if good else None,
        as_of_local=good.as_of_local if good else None,
        skipped_rows=skipped,
    )
    return _ParseOutcome(table, issues, title_period, columns)


def parse_table(data: bytes, filename: str) -> ParsedTable:
    """Parse and validate a statistics table; raises ImportRejected listing every issue."""
    outcome = _parse(data, filename)
    issues = list(outcome.issues)
    if outcome.title_period is not None and outcome.title_period.bad_text is not None:
        issues.append(_bad_period_text(outcome.title_period.bad_text))
    if issues or outcome.table is None:
        raise ImportRejected(issues)
    return outcome.table


def _bad_period_text(text: str) -> RowIssue:
    """Issue for an impossible date or time in the title."""
    return RowIssue(None, None, text, "bad_period", {"reason": "impossible_date"})


# --- planning -----------------------------------------------------------------------------


def _fraction(value: float) -> Fraction:
    """Exact fraction of a threshold stored as float (80.0 → 80)."""
    return Fraction(str(value))


@dataclass(frozen=True)
class ImportPlan:
    """A validated import, nothing written yet (for a preview with Confirm/Cancel)."""

    table: ParsedTable
    indicator_code: str
    period_start: date
    period_end: date
    as_of: datetime | None
    matched: list[tuple[ParsedRow, int]]
    new_units: list[ParsedRow]
    sha256: str
    source: str
    warning_threshold: float = 80.0
    critical_threshold: float = 50.0
    target: float = 100.0
    existing_period_id: int | None = None
    existing_measurements: int = 0

    @property
    def rows(self) -> list[ParsedRow]:
        """All rows in file order."""
        return self.table.rows

    @property
    def total(self) -> int:
        """Sum of totals."""
        return sum(r.total for r in self.table.rows)

    @property
    def signed(self) -> int:
        """Sum of signed counts."""
        return sum(r.signed for r in self.table.rows)

    @property
    def below_warning(self) -> int:
        """Rows strictly below the warning threshold (exactly at it is not below)."""
        return _count_below(self.table.rows, self.warning_threshold)

    @property
    def below_critical(self) -> int:
        """Rows strictly below the critical threshold."""
        return _count_below(self.table.rows, self.critical_threshold)

    @property
    def at_target(self) -> int:
        """Rows at or above the target rate."""
        target = _fraction(self.target)
        return sum(1 for r in self.table.rows if r.total > 0 and _exact(r) >= target)

    @property
    def replaces_existing(self) -> bool:
        """Whether applying replaces figures already stored for this indicator and period."""
        return self.existing_measurements > 0


def _exact(row: ParsedRow) -> Fraction:
    """Exact rate of a row in percent (total must be positive)."""
    return Fraction(row.signed * 100, row.total)


def _count_below(rows: Sequence[ParsedRow], threshold: float) -> int:
    """Rows with a defined rate strictly below a threshold in percent."""
    limit = _fraction(threshold)
    return sum(1 for r in rows if r.total > 0 and _exact(r) < limit)


def _resolve_period(
    outcome: _ParseOutcome,
    period_start: date | None,
    period_end: date | None,
    tz: ZoneInfo,
) -> tuple[date | None, date | None, datetime | None, list[RowIssue]]:
    """Period from the options, else the title or file name; as_of only from the title."""
    title = outcome.title_period
    issues: list[RowIssue] = []
    title_ok = title is not None and title.bad_text is None
    need_title = period_start is None or period_end is None
    if need_title and title is not None and title.bad_text is not None:
        issues.append(_bad_period_text(title.bad_text))
        return None, None, None, issues
    start = period_start if period_start is not None else (title.start if title_ok else None)
    end = period_end if period_end is not None else (title.end if title_ok else None)
    if start is None or end is None:
        issues.append(RowIssue(None, None, None, "no_period", {}))
        return None, None, None, issues
    if end < start:
        issues.append(
            RowIssue(
                None,
                None,
                f"{start.isoformat()}..{end.isoformat()}",
                "bad_period",
                {"reason": "end_before_start", "start": start.isoformat(), "end": end.isoformat()},
            )
        )
        return None, None, None, issues
    as_of: datetime | None = None
    if title_ok and title is not None and title.as_of_local is not None and title.end == end:
        as_of = title.as_of_local.replace(tzinfo=tz).astimezone(UTC)
    return start, end, as_of, issues


def _load_units(session: Session) -> dict[str, list[tuple[int, bool]]]:
    """Existing units by name_key: (id, active), lowest id first; former names of renamed
    units map to them unless a unit has that name now."""
    by_key: dict[str, list[tuple[int, bool]]] = {}
    active_of: dict[int, bool] = {}
    for unit_id, name_key, active in session.exec(
        select(Unit.id, Unit.name_key, Unit.active).order_by(Unit.id)  # type: ignore[arg-type]
    ).all():
        by_key.setdefault(name_key, []).append((unit_id, active))
        active_of[unit_id] = active
    former: dict[str, list[tuple[int, bool]]] = {}
    for unit_id, old_key in session.exec(
        select(UnitNameHistory.unit_id, UnitNameHistory.old_name_key).order_by(
            UnitNameHistory.id  # type: ignore[arg-type]
        )
    ).all():
        entries = former.setdefault(old_key, [])
        if old_key not in by_key and (unit_id, active_of[unit_id]) not in entries:
            entries.append((unit_id, active_of[unit_id]))
    by_key.update({key: entries for key, entries in former.items() if entries})
    return by_key


def _pick_unit(candidates: list[tuple[int, bool]]) -> tuple[int | None, int]:
    """Unit id to use for a name and how many active units share it."""
    active = [unit_id for unit_id, is_active in candidates if is_active]
    if len(active) == 1:
        return active[0], 1
    if len(active) > 1:
        return None, len(active)
    if candidates:
        return candidates[-1][0], 0  # only inactive ones: reuse the latest
    return None, 0


def plan_import(
    *,
    session: Session,
    data: bytes,
    filename: str,
    indicator_code: str = SIGNING_INDICATOR,
    period_start: date | None = None,
    period_end: date | None = None,
    tz: ZoneInfo,
) -> ImportPlan:
    """Parse, validate and match units with the database; raises ImportRejected; writes nothing."""
    issues: list[RowIssue] = []
    indicator = session.exec(select(Indicator).where(Indicator.code == indicator_code)).first()
    if indicator is None:
        issues.append(RowIssue(None, None, indicator_code, "unknown_indicator", {}))
    outcome = _parse(data, filename)
    issues.extend(outcome.issues)
    table = outcome.table
    if table is None:
        raise ImportRejected(issues)
    start, end, as_of, period_issues = _resolve_period(outcome, period_start, period_end, tz)
    if not any(i.code == "empty_file" for i in outcome.issues):
        issues.extend(period_issues)

    units = _load_units(session)
    unit_title = outcome.columns.titles[outcome.columns.unit] if outcome.columns else None
    matched: list[tuple[ParsedRow, int]] = []
    new_units: list[ParsedRow] = []
    for row in table.rows:
        unit_id, active_count = _pick_unit(units.get(fold(row.name), []))
        if active_count > 1:
            issues.append(
                RowIssue(
                    row.row, unit_title, row.name, "ambiguous_unit", {"count": str(active_count)}
                )
            )
        elif unit_id is not None:
            matched.append((row, unit_id))
        else:
            new_units.append(row)
    if issues:
        raise ImportRejected(issues)
    assert indicator is not None and start is not None and end is not None

    period_id = session.exec(
        select(ReportingPeriod.id).where(
            ReportingPeriod.start_date == start, ReportingPeriod.end_date == end
        )
    ).first()
    existing = 0
    if period_id is not None:
        existing = session.exec(
            select(func.count())
            .select_from(Measurement)
            .where(Measurement.indicator_id == indicator.id, Measurement.period_id == period_id)
        ).one()
    return ImportPlan(
        table=table,
        indicator_code=indicator.code,
        period_start=start,
        period_end=end,
        as_of=as_of,
        matched=matched,
        new_units=new_units,
        sha256=hashlib.sha256(data).hexdigest(),
        source=filename,
        warning_threshold=indicator.warning_threshold,
        critical_threshold=indicator.critical_threshold,
        target=indicator.target,
        existing_period_id=period_id,
        existing_measurements=int(existing),
    )


# --- applying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an applied import stored."""

    batch_id: int
    period_id: int
    period_start: date
    period_end: date
    as_of: datetime | None
    indicator_code: str
    rows: int
    new_units: list[str]
    total: int
    signed: int
    below_warning: int
    below_critical: int
    at_target: int
    replaced_existing: bool


_CHUNK = 500


def _unique_code(name: str, taken: set[str]) -> str:
    """slugify(name), with -2, -3 … appended when already used."""
    base = (slugify(name) or "unit")[:110].strip("-") or "unit"
    code = base
    suffix = 2
    while code in taken:
        code = f"{base}-{suffix}"
        suffix += 1
    taken.add(code)
    return code


def _create_units(session: Session, rows: Sequence[ParsedRow]) -> dict[str, int]:
    """Insert new units in bulk; returns name_key → new id."""
    if not rows:
        return {}
    taken = set(session.exec(select(Unit.code)).all())
    now = utcnow()
    values: list[dict[str, Any]] = []
    code_to_key: dict[str, str] = {}
    for row in rows:
        name = " ".join(row.name.split())
        key = fold(name)
        code = _unique_code(name, taken)
        code_to_key[code] = key
        values.append(
            {
                "code": code,
                "name": name,
                "name_key": key,
                "short_key": short_key(key),
                "kind": guess_unit_kind(name),
                "parent_id": None,
                "active": True,
                "created_at": now,
            }
        )
    created: dict[str, int] = {}
    for i in range(0, len(values), _CHUNK):
        result = session.exec(  # type: ignore[call-overload]
            insert(Unit).returning(Unit.id, Unit.code), params=values[i : i + _CHUNK]
        )
        for unit_id, code in result.all():
            created[code_to_key[code]] = unit_id
    return created


def apply_import(
    *, session: Session, plan: ImportPlan, actor_telegram_id: int | None = None
) -> ImportResult:
    """Write a planned import in the caller's transaction (flush, no commit)."""
    indicator = session.exec(select(Indicator).where(Indicator.code == plan.indicator_code)).first()
    if indicator is None or indicator.id is None:
        raise ImportRejected([RowIssue(None, None, plan.indicator_code, "unknown_indicator", {})])

    period = session.exec(
        select(ReportingPeriod).where(
            ReportingPeriod.start_date == plan.period_start,
            ReportingPeriod.end_date == plan.period_end,
        )
    ).first()
    if period is None:
        period = ReportingPeriod(
            start_date=plan.period_start, end_date=plan.period_end, as_of=plan.as_of
        )
        session.add(period)
    elif plan.as_of is not None:
        period.as_of = plan.as_of
        session.add(period)
    session.flush()
    assert period.id is not None

    # Re-resolve units: the database may have changed between preview and confirmation.
    units = _load_units(session)
    known_ids = {unit_id for entries in units.values() for unit_id, _active in entries}
    unit_for_row: dict[int, int] = {}
    to_create: list[ParsedRow] = []
    unplaced: list[ParsedRow] = list(plan.new_units)
    for row, unit_id in plan.matched:
        if unit_id in known_ids:
            unit_for_row[row.row] = unit_id
        else:
            unplaced.append(row)  # deleted since the preview
    for row in unplaced:
        existing_id, _count = _pick_unit(units.get(fold(row.name), []))
        if existing_id is not None:
            unit_for_row[row.row] = existing_id
        else:
            to_create.append(row)
    created = _create_units(session, to_create)
    new_unit_names = [" ".join(r.name.split()) for r in to_create]
    for row in to_create:
        unit_for_row[row.row] = created[fold(row.name)]

    existing: dict[int, int] = {
        unit_id: measurement_id
        for measurement_id, unit_id in session.exec(
            select(Measurement.id, Measurement.unit_id).where(  # type: ignore[arg-type]
                Measurement.indicator_id == indicator.id, Measurement.period_id == period.id
            )
        ).all()
    }

    batch = ImportBatch(
        indicator_id=indicator.id,
        period_id=period.id,
        source=plan.source[:255],
        sha256=plan.sha256,
        row_count=len(plan.table.rows),
        new_units=len(to_create),
        actor_telegram_id=actor_telegram_id,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None

    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    seen_units: set[int] = set()
    for row in plan.table.rows:
        unit_id = unit_for_row[row.row]
        seen_units.add(unit_id)
        values: dict[str, Any] = {
            "numerator": row.signed,
            "denominator": row.total,
            "published_rate": float(row.published_rate) if row.published_rate is not None else None,
            "import_id": batch.id,
            "updated_at": now,
        }
        measurement_id = existing.get(unit_id)
        if measurement_id is not None:
            updates.append({"id": measurement_id, **values})
        else:
            inserts.append(
                {"unit_id": unit_id, "indicator_id": indicator.id, "period_id": period.id, **values}
            )
    stale = [mid for unit_id, mid in existing.items() if unit_id not in seen_units]
    for i in range(0, len(stale), _CHUNK):
        session.exec(  # type: ignore[call-overload]
            delete(Measurement).where(Measurement.id.in_(stale[i : i + _CHUNK]))  # type: ignore[union-attr]
        )
    for i in range(0, len(updates), _CHUNK):
        session.exec(update(Measurement), params=updates[i : i + _CHUNK])  # type: ignore[call-overload]
    for i in range(0, len(inserts), _CHUNK):
        session.exec(insert(Measurement), params=inserts[i : i + _CHUNK])  # type: ignore[call-overload]
    bump_revision(session)
    audit.record(
        session=session,
        actor=actor_telegram_id,
        action="import",
        subject=f"period:{period.id}",
        indicator=indicator.code,
        period=f"{plan.period_start.isoformat()}..{plan.period_end.isoformat()}",
        source=plan.source[:255],
        rows=len(plan.table.rows),
        new_units=len(to_create),
        replaced=bool(existing),
    )
    session.flush()
    logger.info(
        "import %s: indicator=%s period=%s..%s rows=%d new_units=%d replaced=%s stale=%d",
        batch.id,
        indicator.code,
        plan.period_start,
        plan.period_end,
        len(plan.table.rows),
        len(to_create),
        bool(existing),
        len(stale),
    )
    result = ImportResult(
        batch_id=batch.id,
        period_id=period.id,
        period_start=plan.period_start,
        period_end=plan.period_end,
        as_of=period.as_of,
        indicator_code=indicator.code,
        rows=len(plan.table.rows),
        new_units=new_unit_names,
        total=plan.total,
        signed=plan.signed,
        below_warning=_count_below(plan.table.rows, indicator.warning_threshold),
        below_critical=_count_below(plan.table.rows, indicator.critical_threshold),
        at_target=sum(
            1 for r in plan.table.rows if r.total > 0 and _exact(r) >= _fraction(indicator.target)
        ),
        replaced_existing=bool(existing),
    )
    run_after_import(session=session, result=result)
    return result


def import_statistics(
    *,
    session: Session,
    data: bytes,
    filename: str,
    indicator_code: str = SIGNING_INDICATOR,
    period_start: date | None = None,
    period_end: date | None = None,
    tz: ZoneInfo,
    actor_telegram_id: int | None = None,
) -> ImportResult:
    """Plan, apply and commit an import; on any error roll back so nothing is written."""
    try:
        plan = plan_import(
            session=session,
            data=data,
            filename=filename,
            indicator_code=indicator_code,
            period_start=period_start,
            period_end=period_end,
            tz=tz,
        )
        result = apply_import(session=session, plan=plan, actor_telegram_id=actor_telegram_id)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result
