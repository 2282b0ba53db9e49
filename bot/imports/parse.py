"""Parse a statistics table: the data rows under its header, each one validated, and its period."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.core.i18n import rate_percent
from bot.core.text import fold
from bot.imports.cells import Cell, Rows, cell_text, exact_key
from bot.imports.header import Columns, classify_folded, classify_header, find_header
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.limits import DEFAULT_LIMITS, MAX_NAME_CHARS, Budget, ReadLimits
from bot.imports.numbers import Count, looks_numeric, parse_count, parse_rate, rate_agrees
from bot.imports.period import (
    Period,
    bad_period_text,
    period_from_filename,
    period_from_text,
)
from bot.imports.reading import UNREADABLE, CellNote, Sheet, file_issue, read_sheet

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


@dataclass
class ParseOutcome:
    """What parsing produced: the table (if a header was found) and every issue."""

    table: ParsedTable | None
    issues: list[RowIssue]
    title_period: Period | None
    columns: Columns | None
    # The time left for the rest of the pre-write check (matching units), started at reading.
    budget: Budget | None = None


# --- rows that are not data ---------------------------------------------------------------

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


def _is_numbering_row(cells: Sequence[Cell], columns: Columns) -> bool:
    """A "(1) (2) (3)=(2)/(1)" column-numbering row right under the header."""
    texts = [cell_text(c).strip() for c in cells]
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


def _cell(cells: Sequence[Cell], index: int | None) -> Cell:
    """Cell at index, or empty text when absent."""
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _is_empty(cell: Cell) -> bool:
    """True for an empty text cell."""
    return isinstance(cell, str) and not cell.strip()


@dataclass
class _Candidate:
    """A row that may hold data, before validation."""

    number: int
    cells: list[Cell]
    name: str
    name_key: str
    stt: str
    numbered: bool

    def at(self, index: int | None) -> Cell:
        """The cell in a column (empty text when the row is shorter or there is no column)."""
        return _cell(self.cells, index)


def _candidate(number: int, cells: list[Cell], columns: Columns) -> _Candidate:
    """A non-blank row under the header, with its unit name and row number (STT) read."""
    name = " ".join(cell_text(_cell(cells, columns.unit)).split())
    stt = cell_text(_cell(cells, columns.stt)).strip()
    numbered = _STT_NUMBER.fullmatch(stt) is not None
    return _Candidate(number, list(cells), name, fold(name), stt, numbered)


def _is_repeated_header(cand: _Candidate, columns: Columns, header_unit_key: str) -> bool:
    """The header again, as spreadsheets repeat it at a page break."""
    if not cand.name_key:
        return False
    return cand.name_key == header_unit_key or (
        classify_folded(cand.name_key) == "unit"
        and classify_header(cell_text(cand.at(columns.signed))) == "signed"
    )


def _is_not_data(cand: _Candidate, columns: Columns, header_unit_key: str, *, first: bool) -> bool:
    """A repeated header, the column numbering, a totals row, or text without figures."""
    if _is_repeated_header(cand, columns, header_unit_key):
        return True
    if first and _is_numbering_row(
        [*cand.cells, *[""] * (columns.width - len(cand.cells))], columns
    ):
        return True
    label = cand.name_key or ("" if cand.numbered else fold(cand.stt))
    if _is_total_label(label, cand.numbered):
        return True
    counts_empty = _is_empty(cand.at(columns.total)) and _is_empty(cand.at(columns.signed))
    # footer text, section heading, numbered but empty template row
    return counts_empty and (not cand.numbered or not cand.name)


def _candidates(
    body: Rows, header_cells: list[Cell], columns: Columns
) -> tuple[list[_Candidate], int]:
    """Rows under the header that may hold data, and how many rows were skipped."""
    skipped = 0
    blank_run = 0
    candidates: list[_Candidate] = []
    header_unit_key = fold(cell_text(header_cells[columns.unit]))
    for number, cells in body:
        if not cells:
            blank_run += 1
            continue
        skipped += blank_run  # blank rows inside the table (not trailing ones)
        blank_run = 0
        cand = _candidate(number, cells, columns)
        if _is_not_data(cand, columns, header_unit_key, first=not candidates):
            skipped += 1
        else:
            candidates.append(cand)
    return candidates, skipped


def _has_figures(cand: _Candidate, columns: Columns) -> bool:
    """A numbered row, or one with something (numeric or not) in the count columns."""
    total_cell, signed_cell = cand.at(columns.total), cand.at(columns.signed)
    return (
        cand.numbered
        or looks_numeric(total_cell)
        or looks_numeric(signed_cell)
        or not (_is_empty(total_cell) or _is_empty(signed_cell))
    )


def _without_trailing_text(
    candidates: list[_Candidate], columns: Columns
) -> tuple[list[_Candidate], int]:
    """Drop text after the last row with figures (signature blocks, "Nơi nhận"): not data."""
    last_data = -1
    for index, cand in enumerate(candidates):
        if _has_figures(cand, columns):
            last_data = index
    return candidates[: last_data + 1], len(candidates) - (last_data + 1)


# --- checking the data rows ---------------------------------------------------------------


@dataclass
class _RowChecker:
    """Validates candidate rows in file order: running sums, names seen, issues, good rows."""

    columns: Columns
    notes: dict[tuple[int, int], CellNote] = field(default_factory=dict)
    rows: list[ParsedRow] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    skipped: int = 0
    first_row_by_key: dict[str, int] = field(default_factory=dict)
    sum_total: int = 0
    sum_signed: int = 0

    def _issue(
        self, cand: _Candidate, column: int, cell: Cell, code: str, **params: str
    ) -> RowIssue:
        """An issue about one cell of a row."""
        title = self.columns.titles[column]
        note = self.notes.get((cand.number, column))
        if note is not None and note.code == "formula_no_value":
            code = note.code
        return RowIssue(cand.number, title, cell_text(cell).strip(), code, params)

    def check(self, cand: _Candidate) -> None:
        """Validate one row: keep it, record its issues, or skip an unlabelled totals row."""
        columns = self.columns
        total_cell, signed_cell = cand.at(columns.total), cand.at(columns.signed)
        total, signed = parse_count(total_cell), parse_count(signed_cell)
        row_issues = [
            self._issue(cand, index, cell, result.code)
            for index, cell, result in (
                (columns.total, total_cell, total),
                (columns.signed, signed_cell, signed),
            )
            if result.code is not None
        ]
        if not cand.name:
            if self._is_unlabelled_total(cand, row_issues, total, signed):
                self.skipped += 1
                return
            row_issues.insert(
                0,
                RowIssue(
                    cand.number, columns.titles[columns.unit], cand.stt or None, "missing_name"
                ),
            )
        if len(cand.name) > MAX_NAME_CHARS:
            row_issues.insert(
                0,
                RowIssue(
                    cand.number,
                    columns.titles[columns.unit],
                    cand.name[:60] + "…",
                    "name_too_long",
                    {"limit": str(MAX_NAME_CHARS)},
                ),
            )
        published, rate_issues = self._published_rate(cand, total)
        row_issues.extend(rate_issues)
        row_issues.extend(self._figure_issues(cand, total, signed, published))
        row_issues.extend(self._duplicate(cand))
        if row_issues:
            self.issues.extend(row_issues)
            return
        assert total.value is not None and signed.value is not None
        self.sum_total += total.value
        self.sum_signed += signed.value
        self.rows.append(ParsedRow(cand.number, cand.name, total.value, signed.value, published))

    def _is_unlabelled_total(
        self, cand: _Candidate, row_issues: list[RowIssue], total: Count, signed: Count
    ) -> bool:
        """A row without name or number whose figures are the sums of the rows above it."""
        return (
            not cand.numbered
            and not row_issues
            and total.value == self.sum_total
            and signed.value == self.sum_signed
            and bool(self.rows)
        )

    def _published_rate(
        self, cand: _Candidate, total: Count
    ) -> tuple[Decimal | None, list[RowIssue]]:
        """The rate column's value, and its issue (none for a 0/0 row)."""
        rate = self.columns.rate
        if rate is None:
            return None, []
        rate_cell = cand.at(rate)
        published, code = parse_rate(rate_cell)
        if code is not None and total.value != 0:
            return published, [self._issue(cand, rate, rate_cell, code)]
        return published, []

    def _figure_issues(
        self, cand: _Candidate, total: Count, signed: Count, published: Decimal | None
    ) -> list[RowIssue]:
        """Signed above total, or a published rate that is not signed/total."""
        columns = self.columns
        if total.value is None or signed.value is None:
            return []
        if signed.value > total.value:
            signed_cell = cand.at(columns.signed)
            figures = {"signed": str(signed.value), "total": str(total.value)}
            return [self._issue(cand, columns.signed, signed_cell, "signed_gt_total", **figures)]
        if (
            published is None
            or columns.rate is None
            or total.value <= 0
            or rate_agrees(published, signed.value, total.value)
        ):
            return []
        exact = rate_percent(signed.value, total.value, 2)
        rate_cell = cand.at(columns.rate)
        return [
            self._issue(
                cand,
                columns.rate,
                rate_cell,
                "rate_mismatch",
                published=str(published),
                signed=str(signed.value),
                total=str(total.value),
                exact=str(exact),
            )
        ]

    def _duplicate(self, cand: _Candidate) -> list[RowIssue]:
        """The unit already listed on an earlier row (the first one is remembered); names that
        differ only in diacritics (Đông Hùng, Đông Hưng) are different units."""
        if not cand.name:
            return []
        key = exact_key(cand.name)
        first = self.first_row_by_key.get(key)
        if first is None:
            self.first_row_by_key[key] = cand.number
            return []
        unit_title = self.columns.titles[self.columns.unit]
        return [
            RowIssue(
                cand.number, unit_title, cand.name, "duplicate_unit", {"first_row": str(first)}
            )
        ]


# --- the pipeline -------------------------------------------------------------------------
# Read the cells (reading), find the header (header), read the title's period (period), keep the
# candidate data rows (skipping repeated headers, numbering, totals and footer text), then check
# each row's figures (numbers), collecting every issue instead of stopping at the first.


def _title_period(title_rows: Rows, filename: str) -> Period | None:
    """The period stated in the title lines above the header, else in the file name."""
    title_text = " ".join(
        cell_text(c) for _n, cells in title_rows for c in cells if not _is_empty(c)
    )
    title_period = period_from_text(title_text) if title_text else None
    if title_period is None:
        title_period = period_from_filename(filename)
    return title_period


def _refused(code: str) -> ParseOutcome:
    """No table at all, for one file-level reason."""
    return ParseOutcome(None, [RowIssue(None, None, None, code, {})], None, None)


def _note_issues(
    notes: dict[tuple[int, int], CellNote], columns: Columns | None, limits: ReadLimits
) -> list[RowIssue]:
    """Over-long cells, wherever they are (a formula without value is a cell's own issue)."""
    issues: list[RowIssue] = []
    for (row, column), note in sorted(notes.items()):
        if note.code != "cell_too_long":
            continue
        title = columns.titles.get(column) if columns is not None else None  # a known column
        params = {"limit": str(limits.max_cell_chars), "setting": "IMPORT_MAX_CELL_CHARS"}
        if note.length:
            params["length"] = str(note.length)
        issues.append(RowIssue(row, title, None, "cell_too_long", params))
    return issues


def parse_file(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> ParseOutcome:
    """Read and validate a table, collecting every issue instead of stopping at the first;
    reading and checking the rows share one time budget (IMPORT_TIME_BUDGET)."""
    budget = limits.budget()
    try:
        sheet = read_sheet(data, filename, limits, budget)
        return _check_sheet(sheet, filename, limits, budget)
    except UNREADABLE as exc:
        return ParseOutcome(None, [file_issue(exc, filename)], None, None)


def _check_sheet(sheet: Sheet, filename: str, limits: ReadLimits, budget: Budget) -> ParseOutcome:
    """Find the header and check every row (LimitExceeded when the time budget runs out)."""
    rows = sheet.rows
    if not any(cells for _number, cells in rows) and not sheet.notes:
        return _refused("empty_file")
    header = find_header(rows)
    if header is None:
        if sheet.notes:
            return ParseOutcome(None, _note_issues(sheet.notes, None, limits), None, None)
        return _refused("no_header")
    position, columns = header
    title_period = _title_period(rows[:position], filename)
    candidates, skipped = _candidates(rows[position + 1 :], rows[position][1], columns)
    candidates, trailing = _without_trailing_text(candidates, columns)
    checker = _RowChecker(columns, sheet.notes)
    for cand in candidates:
        budget.check()
        checker.check(cand)
    checker.issues.extend(_note_issues(sheet.notes, columns, limits))
    if not candidates:
        checker.issues.append(RowIssue(None, None, None, "empty_file", {}))
    good = title_period if title_period is not None and title_period.is_good else None
    table = ParsedTable(
        rows=checker.rows,
        period_start=good.start if good else None,
        period_end=good.end if good else None,
        as_of_local=good.as_of_local if good else None,
        skipped_rows=skipped + trailing + checker.skipped,
    )
    return ParseOutcome(table, checker.issues, title_period, columns, budget)


def parse_table(data: bytes, filename: str, limits: ReadLimits = DEFAULT_LIMITS) -> ParsedTable:
    """Parse and validate a statistics table; raises ImportRejected listing every issue."""
    outcome = parse_file(data, filename, limits)
    issues = list(outcome.issues)
    if outcome.title_period is not None and outcome.title_period.bad_text is not None:
        issues.append(bad_period_text(outcome.title_period.bad_text))
    if issues or outcome.table is None:
        raise ImportRejected(issues)
    return outcome.table
