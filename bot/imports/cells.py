"""Cells as read from a file: text, whole or decimal numbers, and percent-formatted numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache


@dataclass(frozen=True)
class Pct:
    """A percent-formatted spreadsheet number, already multiplied by 100."""

    value: Decimal

    def __str__(self) -> str:
        """Text as Excel shows it (dot decimal)."""
        return f"{self.value}%"


Cell = str | int | float | Pct
# Rows as read: (1-based row or line number, cells); a blank row has no cells.
Rows = list[tuple[int, list[Cell]]]


def cell_text(cell: Cell) -> str:
    """Text of a cell as a user would read it."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float):
        return f"{cell:.15g}"
    return str(cell)


def row_is_blank(cells: Sequence[Cell]) -> bool:
    """True when no cell holds anything but whitespace."""
    return all(isinstance(c, str) and not c.strip() for c in cells)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_STRIP_TONES = str.maketrans("", "", _TONES)
_TONE = re.compile(f"[{_TONES}]")


def _word_key(word: str) -> str:
    """A word with its tone marks moved to the end: "uỷ" (old style) and "ủy" are one key."""
    base = word.translate(_STRIP_TONES)
    if len(base) == len(word):
        return word
    return base + "".join(sorted(_TONE.findall(word)))


@lru_cache(maxsize=65536)
def exact_key(name: str) -> str:
    """A name as written, up to case, spacing, Unicode form and where the tone mark sits:
    "Đảng uỷ" = "ĐẢNG ỦY", but "Đông Hùng" ≠ "Đông Hưng"."""
    words = unicodedata.normalize("NFD", name).casefold().split()
    return " ".join(_word_key(word) for word in words)
