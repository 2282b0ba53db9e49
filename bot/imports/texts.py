"""Texts of the in-chat import: upload refusals, the preview, the result, problems found, help."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import PurePath

from bot.core import messages
from bot.core.i18n import (
    _,
    fmt_datetime,
    fmt_number,
    fmt_percent_value,
    fmt_rate,
    ngettext,
)
from bot.core.stats import PeriodInfo
from bot.imports.issues import RowIssue, describe_issue
from bot.imports.staging import PendingOutcome, PendingStatus, StagedImport

MESSAGE_LIMIT = 4096
NEW_UNITS_SHOWN = 5
NAMES_SHOWN = 10
PROBLEMS_SHOWN = 12  # a phone screen; the full list comes as a file

READABLE_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ""})


# --- before downloading -------------------------------------------------------------------


def upload_problem(*, filename: str | None, file_size: int | None, max_bytes: int) -> str | None:
    """Why a sent file is refused before downloading it (None: go ahead)."""
    name = filename or ""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        return _(
            "“{name}” is in the old Excel format (.xls), which I cannot read. Open it in Excel, "
            "choose Save As → Excel Workbook (.xlsx), and send the new file."
        ).format(name=escape(name))
    if suffix not in READABLE_EXTENSIONS:
        return _(
            "I cannot read “{name}”. Send the statistics table as an Excel (.xlsx), CSV or TSV "
            "file."
        ).format(name=escape(name))
    if file_size is not None and file_size > max_bytes:
        return too_large_text(file_size, max_bytes)
    return None


def too_large_text(size: int, max_bytes: int) -> str:
    """The file exceeds the configured limit."""
    return _(
        "The file is too large ({size} MB; the limit is {limit} MB). A statistics table is "
        "normally much smaller: check that you sent the right file, or remove other sheets "
        "and pictures from it."
    ).format(size=_megabytes(size), limit=_megabytes(max_bytes))


def _megabytes(size: int) -> str:
    """Size in MB with one decimal, in the current locale."""
    return fmt_number(Decimal(size) / Decimal(1024 * 1024), 1)


# --- preview and result -------------------------------------------------------------------


def _percent(value: float) -> str:
    """A threshold stored as a float, as a percent."""
    return fmt_percent_value(Decimal(str(value)))


def _period(start: dt.date, end: dt.date, as_of: dt.datetime | None) -> str:
    """The period as the rate answers show it."""
    return messages.period_text(PeriodInfo(id=0, start=start, end=end, as_of=as_of))


def _unit_names(names: Sequence[str]) -> str:
    """A few names, then how many more."""
    shown = ", ".join(escape(n) for n in names[:NEW_UNITS_SHOWN])
    rest = len(names) - NEW_UNITS_SHOWN
    if rest > 0:
        shown += " " + _("and {n} more").format(n=fmt_number(rest))
    return shown


def _new_units_line(names: Sequence[str]) -> str:
    """'🆕 3 new units: A, B, C' (units the file names that the bot does not know yet)."""
    return "🆕 " + ngettext(
        "{n} new unit will be added: {names}",
        "{n} new units will be added: {names}",
        len(names),
    ).format(n=fmt_number(len(names)), names=_unit_names(names))


def _figures_lines(
    *,
    rows: int,
    signed: int,
    total: int,
    item_kind: str,
    below_warning: int,
    below_critical: int,
    at_target: int,
    warning: float,
    critical: float,
    target: float,
) -> list[str]:
    """Units, overall rate and the threshold counts."""
    return [
        _("Units: {n}").format(n=fmt_number(rows)),
        _("Overall: <b>{rate}</b> ({signed}/{total})").format(
            rate=fmt_rate(signed, total),
            signed=fmt_number(signed),
            total=messages.items(item_kind, total),
        ),
        "🟠 "
        + ngettext(
            "{n} unit below the warning threshold of {warning}",
            "{n} units below the warning threshold of {warning}",
            below_warning,
        ).format(n=fmt_number(below_warning), warning=_percent(warning)),
        "🔴 "
        + ngettext(
            "{n} unit below the critical threshold of {critical}",
            "{n} units below the critical threshold of {critical}",
            below_critical,
        ).format(n=fmt_number(below_critical), critical=_percent(critical)),
        "🟢 "
        + ngettext(
            "{n} unit at the target of {target}",
            "{n} units at the target of {target}",
            at_target,
        ).format(n=fmt_number(at_target), target=_percent(target)),
    ]


def _folded_lines(staged: StagedImport) -> list[str]:
    """Names that match a stored unit only without diacritics: "Đông Hùng → Đông Hưng?"."""
    folded = staged.plan.folded
    if not folded:
        return []
    lines = [
        "🔤 "
        + ngettext(
            "{n} name matches a unit only when diacritics are ignored; check it before confirming:",
            "{n} names match units only when diacritics are ignored; check them before confirming:",
            len(folded),
        ).format(n=fmt_number(len(folded)))
    ]
    lines.extend(
        f"• {escape(row.name)} → {escape(unit)}?" for row, _id, unit in folded[:NAMES_SHOWN]
    )
    if len(folded) > NAMES_SHOWN:
        lines.append(_("and {n} more").format(n=fmt_number(len(folded) - NAMES_SHOWN)))
    return lines


def _many_new_units_line(staged: StagedImport) -> str:
    """A warning when the table adds more new units than an import normally does."""
    return "⚠️ " + ngettext(
        "That is many new units for the {n} unit already known: check that this is the right "
        "file and that the new names are not misspellings of existing units.",
        "That is many new units for the {n} units already known: check that this is the right "
        "file and that the new names are not misspellings of existing units.",
        staged.plan.existing_units,
    ).format(n=fmt_number(staged.plan.existing_units))


def _replacing_lines(staged: StagedImport) -> list[str]:
    """Figures already stored for the period will be replaced; some units' removed."""
    plan = staged.plan
    lines = [
        "♻️ "
        + ngettext(
            "Figures for this period are already stored ({n} unit): confirming replaces "
            "them with this file.",
            "Figures for this period are already stored ({n} units): confirming replaces "
            "them with this file.",
            plan.existing_measurements,
        ).format(n=fmt_number(plan.existing_measurements))
    ]
    if staged.dropped_units:
        lines.append(
            "⚠️ "
            + ngettext(
                "{n} unit with stored figures is not in this file; its figures for the "
                "period will be removed.",
                "{n} units with stored figures are not in this file; their figures for the "
                "period will be removed.",
                staged.dropped_units,
            ).format(n=fmt_number(staged.dropped_units))
        )
    return lines


def preview_text(staged: StagedImport, *, filename: str, maybe_split: bool = False) -> str:
    """What the file would import; nothing is written until Confirm."""
    plan = staged.plan
    lines = [
        _("📋 <b>Preview of “{filename}”</b>").format(filename=escape(filename)),
        _("Indicator: {name}").format(name=escape(staged.indicator_name)),
        _("Period: {period}").format(
            period=_period(plan.period_start, plan.period_end, plan.as_of)
        ),
        *_figures_lines(
            rows=len(plan.rows),
            signed=plan.signed,
            total=plan.total,
            item_kind=staged.item_kind,
            below_warning=plan.below_warning,
            below_critical=plan.below_critical,
            at_target=plan.at_target,
            warning=plan.warning_threshold,
            critical=plan.critical_threshold,
            target=plan.target,
        ),
    ]
    if plan.new_units:
        lines.append(_new_units_line([" ".join(r.name.split()) for r in plan.new_units]))
        if plan.many_new_units:
            lines.append(_many_new_units_line(staged))
    lines.extend(_folded_lines(staged))
    if plan.replaces_existing:
        lines.extend(_replacing_lines(staged))
    if maybe_split:
        lines.append(
            "⚠️ "
            + _(
                "This message is close to Telegram's length limit, so a long table may have "
                "been split into several messages. Check the number of units, or send the "
                "table as a file instead."
            )
        )
    lines.append("")
    lines.append(
        _(
            "Nothing has been written yet. Press <b>Confirm import</b> to store these figures "
            "or <b>Cancel</b>. This preview is valid until {time}."
        ).format(time=fmt_datetime(staged.expires_at))
    )
    return "\n".join(lines)


def result_text(outcome: PendingOutcome) -> str:
    """What a confirmed import stored."""
    result = outcome.result
    assert result is not None
    lines = [
        _("✅ <b>Imported “{filename}”</b>").format(filename=escape(outcome.filename)),
        _("Period: {period}").format(
            period=_period(result.period_start, result.period_end, result.as_of)
        ),
        *_figures_lines(
            rows=result.rows,
            signed=result.signed,
            total=result.total,
            item_kind=outcome.item_kind,
            below_warning=result.below_warning,
            below_critical=result.below_critical,
            at_target=result.at_target,
            warning=outcome.thresholds[0],
            critical=outcome.thresholds[1],
            target=outcome.thresholds[2],
        ),
    ]
    if result.new_units:
        lines.append(
            "🆕 "
            + ngettext(
                "{n} new unit added: {names}", "{n} new units added: {names}", len(result.new_units)
            ).format(n=fmt_number(len(result.new_units)), names=_unit_names(result.new_units))
        )
    if result.replaced_existing:
        lines.append("♻️ " + _("The figures stored earlier for this period were replaced."))
    lines.append("")
    lines.append(_("Type /rate for the overview, or /rate &lt;unit name&gt; for one unit."))
    return "\n".join(lines)


# --- problems found, and presses that did not import -------------------------------------


def issue_lines(issues: Sequence[RowIssue]) -> list[str]:
    """One plain line per issue: 'row 12, column “Tổng”, value “abc”: reason'."""
    return [describe_issue(issue) for issue in issues]


def refusal_text(
    issues: Sequence[RowIssue], *, filename: str, stale: bool = False, limit: int = MESSAGE_LIMIT
) -> tuple[str, bool]:
    """The problems found, as many as fit a phone screen; True if some were left out (they
    come as a file)."""
    count = len(issues)
    if stale:
        head = _(
            "❌ <b>“{filename}” no longer passes the checks</b> (the data changed since the "
            "preview). Nothing was written."
        ).format(filename=escape(filename))
    else:
        head = _("❌ <b>“{filename}” was refused.</b> Nothing was written.").format(
            filename=escape(filename)
        )
    head += "\n" + ngettext(
        "{n} problem found; correct it and send the file again:",
        "{n} problems found; correct them and send the file again:",
        count,
    ).format(n=fmt_number(count))
    lines = ["• " + escape(line) for line in issue_lines(issues)]
    text = "\n".join([head, *lines])
    if len(text) <= limit and len(lines) <= PROBLEMS_SHOWN:
        return text, False
    budget = limit - 200  # room for the closing line
    kept: list[str] = []
    used = len(head)
    for line in lines[:PROBLEMS_SHOWN]:
        if used + 1 + len(line) > budget:
            break
        kept.append(line)
        used += 1 + len(line)
    rest = count - len(kept)
    tail = ngettext(
        "… and {n} more problem (the full list is in the attached file).",
        "… and {n} more problems (the full list is in the attached file).",
        rest,
    ).format(n=fmt_number(rest))
    return "\n".join([head, *kept, tail]), True


def issues_report(issues: Sequence[RowIssue], *, filename: str) -> bytes:
    """The full list of problems as a UTF-8 text file (with BOM, for Windows Notepad)."""
    head = _("Problems found in “{filename}” (nothing was written):").format(filename=filename)
    body = "\r\n".join([head, "", *issue_lines(issues), ""])
    return b"\xef\xbb\xbf" + body.encode("utf-8")


def outcome_notice(outcome: PendingOutcome) -> str:
    """Short text for a Confirm/Cancel press that did not import."""
    status = outcome.status
    if status is PendingStatus.CANCELLED:
        return _("✖️ Import of “{filename}” cancelled. Nothing was written.").format(
            filename=escape(outcome.filename)
        )
    if status is PendingStatus.EXPIRED:
        return _(
            "⌛ This preview of “{filename}” has expired and nothing was written. Send the file "
            "again to import it."
        ).format(filename=escape(outcome.filename))
    if status is PendingStatus.FOREIGN:
        return _("Only the person who sent this file can confirm or cancel its import.")
    if status is PendingStatus.BUSY:
        return _(
            "⏳ Another import is being written right now, so “{filename}” was not written yet. "
            "Wait a moment and press Confirm again."
        ).format(filename=escape(outcome.filename))
    return _(
        "This preview is no longer open: the file was already imported or cancelled, or a "
        "newer file replaced it."
    )


def import_help(max_bytes: int) -> str:
    """How the secretariat imports a table in chat."""
    return _(
        "📥 <b>Importing a statistics table</b>\n"
        "1. Send me the table here as a file: Excel (.xlsx), CSV or TSV, up to {limit} MB. "
        "A short table can also be pasted as text, with columns separated by tabs or "
        "semicolons.\n"
        "2. The table needs a header row with the unit name, the total number of outgoing "
        "documents and the number signed. The title line above it gives the period, e.g. "
        "“từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026”; otherwise write the period in the "
        "file's caption: <code>08/06/2026 - 22/06/2026</code> (for a pasted table, on its "
        "first line).\n"
        "3. I check every row and show a preview. Nothing is written until you press "
        "<b>Confirm import</b>; a table with mistakes is refused with the list of rows to "
        "correct.\n"
        "Importing the same period again replaces its figures (a correction). Every import "
        "is recorded in the audit log (/audit)."
    ).format(limit=_megabytes(max_bytes))


def interrupted_text(filename: str, *, expired: bool) -> str:
    """After a restart: a Confirm press whose import was never written."""
    if expired:
        return _(
            "⚠️ The bot restarted while it was writing “{filename}”. The import was not "
            "written, and its preview has expired: send the file again to import it."
        ).format(filename=escape(filename))
    return _(
        "⚠️ The bot restarted while it was writing “{filename}”. The import was not written. "
        "Press Confirm import below to write it now, or send the file again."
    ).format(filename=escape(filename))
