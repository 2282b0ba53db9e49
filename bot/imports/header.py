"""Finding the header row of a table and which column holds the unit, total, signed and rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.text import fold
from bot.imports.cells import Cell, cell_text


@dataclass(frozen=True)
class Columns:
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


def classify_header(text: str) -> str | None:
    """Which column a header cell names: stt, rate, signed, total, unit or None."""
    stripped = text.strip()
    if stripped == "#":
        return "stt"
    return classify_folded(fold(stripped))


def classify_folded(folded: str) -> str | None:
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


def _total_among_signed(
    cells: Sequence[Cell], signed_like: list[int], found: dict[str, int], titles: dict[int, str]
) -> None:
    """Two "signed" headers: the one that also says "total" is the total column."""
    # "Tổng số văn bản cần ký số" next to "Số văn bản đã ký số": the total mentions "tổng".
    for index in signed_like:
        padded = f" {fold(cell_text(cells[index]))} "
        if " tong " in padded or " total " in padded:
            others = [i for i in signed_like if i != index]
            found["total"], found["signed"] = index, others[0]
            for i in (index, others[0]):
                titles[i] = " ".join(cell_text(cells[i]).split())
            break


def _header_columns(cells: Sequence[Cell]) -> Columns | None:
    """Columns named by a row, if it has at least unit, total and signed."""
    found: dict[str, int] = {}
    titles: dict[int, str] = {}
    signed_like: list[int] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, str):
            continue
        role = classify_header(cell)
        if role == "signed":
            signed_like.append(index)
        if role is not None and role not in found:
            found[role] = index
            titles[index] = " ".join(cell.split())
    if "total" not in found and len(signed_like) >= 2:
        _total_among_signed(cells, signed_like, found, titles)
    if not {"unit", "total", "signed"} <= found.keys():
        return None
    return Columns(
        unit=found["unit"],
        total=found["total"],
        signed=found["signed"],
        rate=found.get("rate"),
        stt=found.get("stt"),
        titles=titles,
    )


def find_header(rows: Sequence[tuple[int, Sequence[Cell]]]) -> tuple[int, Columns] | None:
    """Position in `rows` of the first header row, with its columns."""
    for position, (_number, cells) in enumerate(rows):
        columns = _header_columns(cells)
        if columns is not None:
            return position, columns
    return None
