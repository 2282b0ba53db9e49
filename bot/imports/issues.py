"""Problems found in an uploaded table: one issue per cell or file, and the refusal with them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from bot.core.errors import Message
from bot.core.i18n import _, fmt_date, fmt_number, fmt_percent_value


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


def _missing_name(p: Mapping[str, Any]) -> str:
    """A row with figures but no unit name (its number, if it has one)."""
    if p["value"]:
        return _("Number {number} has figures but no unit name").format(number=p["value"])
    return _("This row has figures but no unit name")


def _rate_mismatch(p: Mapping[str, Any]) -> str:
    """The published rate is not signed/total."""
    return _("Published rate “{value}” does not match {signed}/{total} = {exact}").format(
        value=p["value"],
        signed=_fmt_int(p.get("signed")),
        total=_fmt_int(p.get("total")),
        exact=fmt_percent_value(Decimal(p.get("exact", "0"))),
    )


def _bad_period(p: Mapping[str, Any]) -> str:
    """The period ends before it starts, or a date or time in it is impossible."""
    if p.get("reason") == "end_before_start":
        return _("The reporting period ends ({end}) before it starts ({start})").format(
            end=_fmt_iso_date(p.get("end")), start=_fmt_iso_date(p.get("start"))
        )
    return _("Invalid date or time in the reporting period: “{value}”").format(value=p["value"])


def _cell_too_long(p: Mapping[str, Any]) -> str:
    """A cell longer than the reader takes (its length, when the reader could count it)."""
    if p.get("length"):
        return _(
            "A cell holds {length} characters; at most {limit} are read (the limit is the "
            "setting {setting})"
        ).format(
            length=_fmt_int(p.get("length")), limit=_fmt_int(p.get("limit")), setting=p["setting"]
        )
    return _(
        "A cell is longer than {limit} characters (the limit is the setting {setting})"
    ).format(limit=_fmt_int(p.get("limit")), setting=p["setting"])


def _fmt_amount(text: str | None) -> str:
    """A limit kept as text ("50", "2.5"), in the reader's number format."""
    try:
        return fmt_number(Decimal(text or "0").normalize())
    except ArithmeticError:
        return text or "?"


# Each message gets the issue's params plus "value" and "column" (empty text when absent).
ISSUE_MESSAGES: Mapping[str, Message] = {
    "signed_gt_total": lambda p: _("Signed ({signed}) is more than total ({total})").format(
        signed=_fmt_int(p.get("signed")), total=_fmt_int(p.get("total"))
    ),
    "negative": lambda p: _("“{column}” cannot be negative: {value}").format(
        column=p["column"], value=p["value"]
    ),
    "not_a_number": lambda p: _("“{column}” is not a number: “{value}”").format(
        column=p["column"], value=p["value"]
    ),
    "not_integer": lambda p: _("“{column}” must be a whole number: {value}").format(
        column=p["column"], value=p["value"]
    ),
    "missing_value": lambda p: _("“{column}” is empty").format(column=p["column"]),
    "missing_name": _missing_name,
    "duplicate_unit": lambda p: _("“{name}” is listed twice (first on row {first_row})").format(
        name=p["value"], first_row=p.get("first_row", "?")
    ),
    "rate_mismatch": _rate_mismatch,
    "no_header": lambda p: _(
        "No header row found: the table needs columns for the unit name, "
        "the total number of documents and the number signed"
    ),
    "empty_file": lambda p: _("The file has no data rows"),
    "no_period": lambda p: _(
        "No reporting period: the title has no “từ ngày … đến ngày …” and no period was given"
    ),
    "bad_period": _bad_period,
    "unsupported_format": lambda p: _(
        "Unsupported file “{value}”: send an Excel (.xlsx), CSV or TSV file"
    ).format(value=p["value"]),
    "ambiguous_unit": lambda p: _(
        "“{name}” matches {count} existing units; the unit list must be fixed first"
    ).format(name=p["value"], count=_fmt_int(p.get("count", "2"))),
    "unknown_indicator": lambda p: _("Unknown indicator “{value}”").format(value=p["value"]),
    "too_large": lambda p: _("“{column}” is too large to be a count: {value}").format(
        column=p["column"], value=p["value"]
    ),
    "name_too_long": lambda p: _("The unit name is longer than {limit} characters").format(
        limit=_fmt_int(p.get("limit"))
    ),
    "formula_no_value": lambda p: _(
        "The cell holds a formula with no saved value: open the file in Excel, save it, and "
        "send it again"
    ),
    "cell_too_long": _cell_too_long,
    "too_many_rows": lambda p: _(
        "The table has more than {limit} rows, more than I read (the limit is the setting "
        "{setting})"
    ).format(limit=_fmt_int(p.get("limit")), setting=p["setting"]),
    "too_large_unzipped": lambda p: _(
        "The Excel file unpacks to more than {limit} MB, more than I read (the limit is the "
        "setting {setting})"
    ).format(limit=_fmt_amount(p.get("limit")), setting=p["setting"]),
    "too_slow": lambda p: _(
        "Reading the file took longer than {limit} seconds, so I stopped (the limit is the "
        "setting {setting})"
    ).format(limit=_fmt_amount(p.get("limit")), setting=p["setting"]),
    "not_utf8": lambda p: _(
        "“{value}” is not saved as UTF-8 (it looks like {encoding}): save the file as UTF-8 "
        "(in Excel: Save As → “CSV UTF-8”), or send it as an Excel file"
    ).format(value=p["value"], encoding=p.get("encoding", "?")),
    "too_many_new_units": lambda p: _(
        "The table would add {count} new units ({names} …): check that it is the right file "
        "and that these are not misspelt names of existing units, then run the import again "
        "with --allow-new-units"
    ).format(count=_fmt_int(p.get("count")), names=p.get("names", "")),
    "import_busy": lambda p: _(
        "Another import is being written right now: wait a moment and try again"
    ),
}


@dataclass(frozen=True)
class RowIssue:
    """One problem found in an uploaded table; row and column as the user sees them."""

    MESSAGES: ClassVar[Mapping[str, Message]] = ISSUE_MESSAGES

    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def message(self) -> str:
        """The reason, translated into the current language (an unknown code as itself)."""
        render = self.MESSAGES.get(self.code)
        if render is None:
            return self.code
        value = self.value if self.value is not None else ""
        return render({**self.params, "value": value, "column": self.column or ""})


def describe_issue(issue: RowIssue) -> str:
    """'Row 12, column “Tổng”, value “abc”: reason'."""
    parts = []
    if issue.row is not None:
        parts.append(_("row {row}").format(row=issue.row))
    if issue.column:
        parts.append(_("column “{column}”").format(column=issue.column))
    if issue.value not in (None, ""):
        parts.append(_("value “{value}”").format(value=issue.value))
    where = ", ".join(parts)
    reason = issue.message()
    return f"{where}: {reason}" if where else reason


class ImportRejected(Exception):
    """The table was refused; `issues` lists every problem found."""

    def __init__(self, issues: Sequence[RowIssue]) -> None:
        """Keep all issues."""
        self.issues: list[RowIssue] = list(issues)
        codes = ", ".join(sorted({i.code for i in self.issues}))
        super().__init__(f"import rejected: {len(self.issues)} issue(s) ({codes})")
