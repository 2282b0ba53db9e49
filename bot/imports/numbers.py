"""Reading counts and published rates from cells, and checking a rate against its figures."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from bot.imports.cells import Cell, Pct
from bot.imports.limits import MAX_COUNT

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN_INT = re.compile(r"[+-]?\d+")
_GROUPED_INT = re.compile(r"[+-]?\d{1,3}(?:([.,' ])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"[+-]?\d+[.,]\d+")


_MAX_DIGITS = 15  # more digits than any count (and than int() reads from a huge cell)


@dataclass(frozen=True)
class Count:
    """Result of reading a count cell: a value or an issue code."""

    value: int | None
    code: str | None


def _clean_number_text(text: str) -> str:
    """Trim a cell and normalise minus signs and odd spaces."""
    text = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    return _SPACES.sub(" ", text)


def _count_from_number(cell: int | float) -> Count:
    """A count from a spreadsheet number: whole and not negative."""
    if isinstance(cell, int):
        return Count(cell, "negative" if cell < 0 else None)
    if cell.is_integer():
        return Count(int(cell), "negative" if cell < 0 else None)
    return Count(None, "negative" if cell < 0 else "not_integer")


def _count_from_text(text: str) -> Count:
    """A count from cleaned text: 92, 1.234, 1,234, 1 234, 12,0."""
    if not text:
        return Count(None, "missing_value")
    numeric = _PLAIN_INT.fullmatch(text) or _GROUPED_INT.fullmatch(text) or _DECIMAL.fullmatch(text)
    if numeric and sum(ch.isdigit() for ch in text.split(",")[0].split(".")[0]) > _MAX_DIGITS:
        return Count(None, "too_large")
    if _PLAIN_INT.fullmatch(text):
        value = int(text)
    elif _GROUPED_INT.fullmatch(text):
        value = int(re.sub(r"[.,' ]", "", text))
    elif _DECIMAL.fullmatch(text):
        number = Decimal(text.replace(",", "."))
        if number < 0:
            return Count(None, "negative")
        if number != number.to_integral_value():
            return Count(None, "not_integer")
        value = int(number)
    else:
        return Count(None, "not_a_number")
    if value < 0:
        return Count(None, "negative")
    return Count(value, None)


def parse_count(cell: Cell) -> Count:
    """Read a count: 92, 1.234, 1,234, 1 234 → int; flags empty, negative, fractional, text,
    and a count too large to store."""
    if isinstance(cell, bool | Pct):
        return Count(None, "not_a_number")
    if isinstance(cell, int | float):
        count = _count_from_number(cell)
    else:
        count = _count_from_text(_clean_number_text(cell))
    if count.value is not None and count.value > MAX_COUNT:
        return Count(None, "too_large")
    return count


def looks_numeric(cell: Cell) -> bool:
    """True when a count cell holds any kind of number (even an invalid count)."""
    result = parse_count(cell)
    return result.code not in ("not_a_number", "missing_value")


_RATE_PLACEHOLDERS = frozenset({"-", "--", "—", "x", "n/a", "na", "…", "..."})
_RATE_TEXT = re.compile(r"([+-]?)(\d+(?:[.,]\d+)?)\s*%?")


def parse_rate(cell: Cell) -> tuple[Decimal | None, str | None]:
    """Read a published rate in percent: 98%, 95,45%, 95.45%, 95,45 → Decimal; or an issue code."""
    if isinstance(cell, Pct):
        return cell.value, ("negative" if cell.value < 0 else None)
    if isinstance(cell, bool):
        return None, "not_a_number"
    if isinstance(cell, float) and not math.isfinite(cell):
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


def rate_agrees(published: Decimal, signed: int, total: int) -> bool:
    """Published rate equals signed/total up to half a unit of its own last shown digit."""
    exponent = published.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    decimals = min(decimals, 4)
    tolerance = Fraction(5, 10 ** (decimals + 1))
    exact = Fraction(signed * 100, total)
    return abs(Fraction(published) - exact) <= tolerance
