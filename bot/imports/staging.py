"""Statistics import from chat: checks, caption options, preview, confirmation and their texts."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from html import escape
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.cli import describe_issue
from bot.core import messages
from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import (
    _,
    fmt_datetime,
    fmt_number,
    fmt_percent_value,
    fmt_rate,
    ngettext,
)
from bot.core.models import Indicator, Measurement, PendingImport, utcnow
from bot.core.people import ensure_user
from bot.core.stats import PeriodInfo
from bot.imports.apply import ImportResult, apply_import
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.parse import parse_table
from bot.imports.plan import ImportPlan, plan_import
from bot.imports.reading import read_rows

logger = logging.getLogger(__name__)

PENDING_TTL = dt.timedelta(days=1)
MESSAGE_LIMIT = 4096
PASTED_FILENAME = "pasted-table.txt"
# A pasted text this long may be the first part of a table Telegram split into several messages.
PASTE_SPLIT_WARNING_CHARS = 3800
NEW_UNITS_SHOWN = 5

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


# --- options in the caption ---------------------------------------------------------------


class CaptionError(ValueError):
    """The caption names a period or indicator that cannot be used; str() is the message."""


@dataclass(frozen=True)
class ImportOptions:
    """What the uploader chose besides the file: a period override and the indicator."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    indicator_code: str = SIGNING_INDICATOR

    def to_json(self) -> dict[str, Any]:
        """For PendingImport.options."""
        return {
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "indicator": self.indicator_code,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportOptions:
        """Back from PendingImport.options."""
        start = data.get("period_start")
        end = data.get("period_end")
        return cls(
            period_start=dt.date.fromisoformat(start) if start else None,
            period_end=dt.date.fromisoformat(end) if end else None,
            indicator_code=data.get("indicator") or SIGNING_INDICATOR,
        )


_DATE = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))(?!\d)"
)
_CODE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w-])")


def parse_caption(caption: str | None) -> ImportOptions:
    """Period ("08/06/2026 - 22/06/2026") and indicator code ("ky-so") from a file's caption."""
    if not caption or not caption.strip():
        return ImportOptions()
    dates: list[dt.date] = []
    for match in _DATE.finditer(caption):
        if match.group("d"):
            parts = (match.group("y"), match.group("m"), match.group("d"))
        else:
            parts = (match.group("iy"), match.group("im"), match.group("id"))
        try:
            dates.append(dt.date(int(parts[0]), int(parts[1]), int(parts[2])))
        except ValueError:
            raise CaptionError(
                _("“{value}” in the caption is not a valid date.").format(
                    value=escape(match.group(0))
                )
            ) from None
    if len(dates) not in (0, 2):
        raise CaptionError(
            _(
                "To give the period in the caption, write its first and last day, e.g. "
                "<code>08/06/2026 - 22/06/2026</code>. Without a caption the title line of the "
                "file gives the period."
            )
        )
    rest = _DATE.sub(" ", caption)
    code = _CODE.search(rest.lower())
    return ImportOptions(
        period_start=dates[0] if dates else None,
        period_end=dates[1] if dates else None,
        indicator_code=code.group(0) if code else SIGNING_INDICATOR,
    )


# --- pasted tables ------------------------------------------------------------------------


def looks_like_table(text: str) -> bool:
    """True for multi-line text with tabs or semicolons and a recognisable header row."""
    if "\n" not in text or ("\t" not in text and ";" not in text):
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or sum(1 for line in lines if "\t" in line or ";" in line) < 2:
        return False
    try:
        parse_table(text.encode("utf-8"), PASTED_FILENAME)
    except ImportRejected as exc:
        return not any(i.code in ("no_header", "unsupported_format") for i in exc.issues)
    return True


def pasted_options(text: str) -> ImportOptions:
    """Period on a pasted table's first line, as in a caption ("08/06/2026 - 22/06/2026")."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first or ";" in first:
        return ImportOptions()
    try:
        return parse_caption(first)
    except CaptionError:
        return ImportOptions()  # e.g. a title "từ ngày 08/6 đến 22/6/2026": the importer reads it


def count_rows(data: bytes, filename: str) -> int | None:
    """Non-blank rows in a file, for the progress message (None if it cannot be read)."""
    try:
        return len(read_rows(data, filename))
    except ImportRejected:
        return None


# --- staging a preview --------------------------------------------------------------------


@dataclass(frozen=True)
class StagedImport:
    """A valid file stored as a PendingImport and what its preview shows."""

    token: str  # identifies the PendingImport in the Confirm/Cancel buttons
    plan: ImportPlan
    indicator_name: str
    item_kind: str
    dropped_units: int
    expires_at: dt.datetime


@dataclass(frozen=True)
class Refused:
    """The file did not pass the checks; nothing was stored."""

    issues: list[RowIssue]


def purge_expired(*, session: Session, now: dt.datetime | None = None) -> int:
    """Delete pending imports past their expiry; returns how many."""
    result = session.exec(  # type: ignore[call-overload]
        delete(PendingImport).where(col(PendingImport.expires_at) < (now or utcnow()))
    )
    return int(result.rowcount or 0)


def _plan(
    session: Session, data: bytes, filename: str, options: ImportOptions, tz: ZoneInfo
) -> ImportPlan:
    """plan_import with the uploader's options."""
    return plan_import(
        session=session,
        data=data,
        filename=filename,
        indicator_code=options.indicator_code,
        period_start=options.period_start,
        period_end=options.period_end,
        tz=tz,
    )


def _dropped_units(session: Session, plan: ImportPlan) -> int:
    """Units with stored figures for the period that the new file no longer lists."""
    if not plan.existing_measurements or plan.existing_period_id is None:
        return 0
    kept_ids = {unit_id for _row, unit_id in plan.matched}
    stored_ids = session.exec(
        select(Measurement.unit_id)
        .join(Indicator, col(Indicator.id) == col(Measurement.indicator_id))
        .where(
            Indicator.code == plan.indicator_code,
            Measurement.period_id == plan.existing_period_id,
        )
    ).all()
    return sum(1 for unit_id in stored_ids if unit_id not in kept_ids)


def stage_upload(
    *,
    session: Session,
    telegram_id: int,
    data: bytes,
    filename: str,
    options: ImportOptions,
    tz: ZoneInfo,
    now: dt.datetime | None = None,
) -> StagedImport | Refused:
    """Validate a file; if valid, store it for confirmation (replacing the user's earlier one)."""
    now = now or utcnow()
    purge_expired(session=session, now=now)
    try:
        plan = _plan(session, data, filename, options, tz)
    except ImportRejected as exc:
        return Refused(exc.issues)
    indicator = session.exec(select(Indicator).where(Indicator.code == plan.indicator_code)).one()
    session.exec(  # type: ignore[call-overload]
        delete(PendingImport).where(col(PendingImport.telegram_id) == telegram_id)
    )
    pending = PendingImport(
        token=secrets.token_urlsafe(12),
        telegram_id=telegram_id,
        filename=filename[:255],
        data=data,
        sha256=plan.sha256,
        options=options.to_json(),
        created_at=now,
        expires_at=now + PENDING_TTL,
    )
    session.add(pending)
    session.flush()
    return StagedImport(
        token=pending.token,
        plan=plan,
        indicator_name=messages.indicator_name(indicator.code, indicator.name),
        item_kind=indicator.item_kind,
        dropped_units=_dropped_units(session, plan),
        expires_at=pending.expires_at,
    )


# --- confirming or cancelling -------------------------------------------------------------


class PendingStatus(StrEnum):
    """What became of a Confirm or Cancel press."""

    IMPORTED = "imported"
    CANCELLED = "cancelled"
    REFUSED = "refused"  # no longer valid against the current database
    EXPIRED = "expired"
    MISSING = "missing"  # already confirmed, cancelled, replaced or purged
    FOREIGN = "foreign"  # someone else's preview


@dataclass(frozen=True)
class PendingOutcome:
    """Result of confirming or cancelling a pending import."""

    status: PendingStatus
    filename: str = ""
    result: ImportResult | None = None
    issues: list[RowIssue] = field(default_factory=list)
    item_kind: str = "document"
    thresholds: tuple[float, float, float] = (80.0, 50.0, 100.0)  # warning, critical, target


def _claim(session: Session, token: str, telegram_id: int) -> Any:
    """Delete the user's pending import and return its columns (None if not theirs or gone)."""
    return session.exec(  # type: ignore[call-overload]
        delete(PendingImport)
        .where(col(PendingImport.token) == token, col(PendingImport.telegram_id) == telegram_id)
        .returning(
            PendingImport.filename,
            PendingImport.data,
            PendingImport.options,
            PendingImport.expires_at,
        )
    ).first()


def pending_status(
    *, session: Session, token: str, telegram_id: int, now: dt.datetime | None = None
) -> PendingOutcome | None:
    """None if the user's preview is open; else why not (an expired one is deleted)."""
    pending = session.exec(select(PendingImport).where(PendingImport.token == token)).first()
    if pending is None:
        return PendingOutcome(PendingStatus.MISSING)
    if pending.telegram_id != telegram_id:
        return PendingOutcome(PendingStatus.FOREIGN)
    if _aware(pending.expires_at) <= (now or utcnow()):
        session.delete(pending)
        return PendingOutcome(PendingStatus.EXPIRED, filename=pending.filename)
    return None


def _not_claimed(session: Session, token: str) -> PendingOutcome:
    """Why a claim failed: someone else's preview, or none at all."""
    owner = session.exec(
        select(PendingImport.telegram_id).where(PendingImport.token == token)
    ).first()
    return PendingOutcome(PendingStatus.FOREIGN if owner is not None else PendingStatus.MISSING)


def confirm_pending(
    *,
    session: Session,
    token: str,
    telegram_id: int,
    display_name: str,
    tz: ZoneInfo,
    now: dt.datetime | None = None,
) -> PendingOutcome:
    """Re-validate the stored file and import it in the caller's transaction (once only)."""
    claimed = _claim(session, token, telegram_id)
    if claimed is None:
        return _not_claimed(session, token)
    filename, data, options, expires_at = claimed
    if _aware(expires_at) <= (now or utcnow()):
        return PendingOutcome(PendingStatus.EXPIRED, filename=filename)
    opts = ImportOptions.from_json(options or {})
    try:
        plan = _plan(session, bytes(data), filename, opts, tz)
    except ImportRejected as exc:
        return PendingOutcome(PendingStatus.REFUSED, filename=filename, issues=exc.issues)
    ensure_user(session=session, telegram_id=telegram_id, display_name=display_name)
    result = apply_import(session=session, plan=plan, actor_telegram_id=telegram_id)
    return PendingOutcome(
        PendingStatus.IMPORTED,
        filename=filename,
        result=result,
        item_kind=_item_kind(session, plan.indicator_code),
        thresholds=(plan.warning_threshold, plan.critical_threshold, plan.target),
    )


def _item_kind(session: Session, indicator_code: str) -> str:
    """What an indicator counts (documents, party members)."""
    kind = session.exec(select(Indicator.item_kind).where(Indicator.code == indicator_code)).first()
    return kind or "document"


def cancel_pending(*, session: Session, token: str, telegram_id: int) -> PendingOutcome:
    """Forget a pending import; nothing else is touched."""
    claimed = _claim(session, token, telegram_id)
    if claimed is None:
        return _not_claimed(session, token)
    return PendingOutcome(PendingStatus.CANCELLED, filename=claimed[0])


def _aware(value: dt.datetime) -> dt.datetime:
    """A datetime returned by RETURNING may come back naive from SQLite: it is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


# --- texts --------------------------------------------------------------------------------


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
    if plan.replaces_existing:
        lines.append(
            "♻️ "
            + ngettext(
                "Figures for this period are already stored ({n} unit): confirming replaces "
                "them with this file.",
                "Figures for this period are already stored ({n} units): confirming replaces "
                "them with this file.",
                plan.existing_measurements,
            ).format(n=fmt_number(plan.existing_measurements))
        )
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
    lines.append(_("Type /tyle for the overview, or /tyle &lt;unit name&gt; for one unit."))
    return "\n".join(lines)


def issue_lines(issues: Sequence[RowIssue]) -> list[str]:
    """One plain line per issue: 'row 12, column “Tổng”, value “abc”: reason'."""
    return [describe_issue(issue) for issue in issues]


def refusal_text(
    issues: Sequence[RowIssue], *, filename: str, stale: bool = False, limit: int = MESSAGE_LIMIT
) -> tuple[str, bool]:
    """Every problem found, as far as one message allows; True if some were left out."""
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
    if len(text) <= limit:
        return text, False
    budget = limit - 200  # room for the closing line
    kept: list[str] = []
    used = len(head)
    for line in lines:
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
        "is recorded in the audit log (/nhatky)."
    ).format(limit=_megabytes(max_bytes))
