"""The secretariat's XLSX report for a period: the official appendix per indicator, plus
acknowledgements, unreachable officials and sheets from other features (e.g. deadlines).

Appendix sheets re-import through bot.imports.parse: a title line with the period, the header
STT / Đơn vị / Tổng số lượng văn bản đi / Số lượng văn bản ký số điện tử / Tỷ lệ, one row per
unit (highest rate first, as the letters list them) and a "Tổng cộng" row the importer skips.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from bot.core.cells import append_row
from bot.core.dates import local_midnight
from bot.core.db import stored_id
from bot.core.i18n import _, fmt_date, fmt_datetime
from bot.core.links import ReportSection, Sheet
from bot.core.models import (
    Acknowledgement,
    AppUser,
    Broadcast,
    Indicator,
    Measurement,
    Official,
    ReportingPeriod,
    Unit,
)
from bot.core.roles import role_label
from bot.core.stats import IndicatorInfo, PeriodInfo, display_order, load_period_table
from bot.core.text import vi_sort_key

logger = logging.getLogger(__name__)

EXIT_USAGE = 2
_TAG = re.compile(r"<[^>]+>")

# Extra sheets from other features: "module:function" names, each called as
# fn(session=Session, period=PeriodInfo, tz=ZoneInfo) and returning an iterable of ReportSheet
# (or of (title, header, rows) tuples). They come after the appendix sheets, in this order.
# Deadline compliance (submitted / late / missing) plugs in here.

APPENDIX_HEADER_DOCUMENTS = (
    "STT",
    "Đơn vị",
    "Tổng số lượng văn bản đi",
    "Số lượng văn bản ký số điện tử",
    "Tỷ lệ",
)
APPENDIX_HEADER_MEMBERS = ("STT", "Đơn vị", "Tổng số đảng viên", "Số đảng viên sử dụng", "Tỷ lệ")
SHORT_NAMES = {
    "ky-so": "Ký số",
    "phat-hanh-dien-tu": "Phát hành ĐT",
    "so-tay-dang-vien": "Sổ tay ĐV",
}


@dataclass(frozen=True)
class ReportSheet:
    """A plain sheet: a title, a header row and data rows (cells: text, numbers, dates)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[int] = ()
    note: str = ""


@dataclass(frozen=True)
class Report:
    """A finished workbook."""

    filename: str
    data: bytes
    period: PeriodInfo
    sheets: list[str] = field(default_factory=list)


# --- periods --------------------------------------------------------------------------------


def list_periods(*, session: Session, limit: int = 8) -> list[PeriodInfo]:
    """Periods that have figures, newest first."""
    with_data = select(Measurement.period_id).distinct()
    rows = session.exec(
        select(ReportingPeriod)
        .where(col(ReportingPeriod.id).in_(with_data))
        .order_by(col(ReportingPeriod.end_date).desc(), col(ReportingPeriod.start_date).desc())
        .limit(limit)
    ).all()
    return [PeriodInfo(stored_id(p.id), p.start_date, p.end_date, p.as_of) for p in rows]


def get_period(*, session: Session, period_id: int) -> PeriodInfo | None:
    """A period by id, if it has figures."""
    row = session.get(ReportingPeriod, period_id)
    if row is None or row.id is None:
        return None
    has_data = session.exec(
        select(Measurement.id).where(Measurement.period_id == period_id).limit(1)
    ).first()
    return PeriodInfo(row.id, row.start_date, row.end_date, row.as_of) if has_data else None


def find_period(*, session: Session, day: dt.date) -> PeriodInfo | None:
    """The period ending on `day`, else the latest one containing it."""
    periods = list_periods(session=session, limit=1000)
    for period in periods:
        if period.end == day:
            return period
    for period in periods:
        if period.start <= day <= period.end:
            return period
    return None


# --- the appendix ---------------------------------------------------------------------------


def _letter_date(day: dt.date) -> str:
    """'08/6/2026', as the letters write dates."""
    return f"{day.day:02d}/{day.month}/{day.year}"


def appendix_title(indicator: IndicatorInfo, period: PeriodInfo, tz: ZoneInfo) -> str:
    """'THỐNG KÊ TỶ LỆ … (từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)' — the importer reads it."""
    end = f"ngày {_letter_date(period.end)}"
    if period.as_of is not None:
        local = period.as_of.astimezone(tz)
        minutes = f" {local.minute:02d}" if local.minute else ""
        if local.date() == period.end:
            end = f"{local.hour} giờ{minutes} ngày {_letter_date(period.end)}"
        elif local.date() == period.end + dt.timedelta(days=1) and local.time() == dt.time():
            end = f"24 giờ ngày {_letter_date(period.end)}"
    return f"THỐNG KÊ {indicator.name.upper()} (từ ngày {_letter_date(period.start)} đến {end})"


def _indicators_in(session: Session, period_id: int) -> list[IndicatorInfo]:
    """Indicators with figures in a period, in their creation order."""
    ids = select(Measurement.indicator_id).where(Measurement.period_id == period_id).distinct()
    rows = session.exec(
        select(Indicator).where(col(Indicator.id).in_(ids)).order_by(col(Indicator.id))
    ).all()
    return [IndicatorInfo.from_row(r) for r in rows]


def _sheet_name(base: str, taken: set[str]) -> str:
    """An Excel sheet name: ≤ 31 characters, none of []:*?/\\ and unique in the workbook."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in base).strip()[:31] or "Sheet"
    name, n = clean, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = clean[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _write_appendix(
    ws: Any, session: Session, indicator: IndicatorInfo, period: PeriodInfo, tz: ZoneInfo
) -> None:
    """One indicator's table in the layout of the official appendix."""
    from openpyxl.styles import Alignment, Border, Font, Side

    table = load_period_table(session=session, indicator=indicator, period=period)
    header = (
        APPENDIX_HEADER_MEMBERS if indicator.item_kind == "member" else APPENDIX_HEADER_DOCUMENTS
    )
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    append_row(ws, [appendix_title(indicator, period, tz)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    ws["A1"].font = Font(bold=True, size=12)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[1].height = 36
    append_row(ws, header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = box
    ws.row_dimensions[2].height = 45
    for number, s in enumerate(display_order(table.by_unit.values()), start=1):
        rate = s.numerator / s.denominator if s.denominator > 0 else None
        append_row(ws, [number, s.unit_name, s.denominator, s.numerator, rate])
    total_row = ws.max_row + 1
    overall = table.numerator / table.denominator if table.denominator > 0 else None
    append_row(ws, ["Tổng cộng", None, table.denominator, table.numerator, overall])
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    _style_rows(ws, 3, total_row, box, Alignment(horizontal="center"))
    for cell in ws[total_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (6, 42, 16, 18, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"


def _style_rows(ws: Any, first: int, last: int, box: Any, centred: Any) -> None:
    """Borders, the centred number column and the number formats of the rows first..last.

    The first row is styled through openpyxl's attributes; the others copy its style record
    (setting a Border hashes it every time: 40 % of a 10,000-row workbook). A cell marked as
    text keeps its quote prefix (bot/core/cells.mark_text); the file is the same either way.
    """
    from copy import copy

    template: list[Any] = []
    for row in ws.iter_rows(min_row=first, max_row=last):
        if not template:
            for cell in row:
                cell.border = box
            row[0].alignment = centred
            row[2].number_format = "#,##0"
            row[3].number_format = "#,##0"
            row[4].number_format = "0.00%"
            for cell in row:
                style = copy(cell._style)
                style.quotePrefix = 0
                template.append(style)
            continue
        for cell, style in zip(row, template, strict=True):
            own = getattr(cell, "_style", None)
            quoted = own.quotePrefix if own is not None else 0
            cell._style = copy(style)
            if quoted:
                cell._style.quotePrefix = quoted


# --- other sheets ---------------------------------------------------------------------------


def _subject_label(session: Session, subject: str) -> str:
    """'broadcast:12' → 'Announcement #12: first words…'; other subjects as stored."""
    kind, _sep, ident = subject.partition(":")
    if kind == "broadcast" and ident.isdigit():
        row = session.get(Broadcast, int(ident))
        text = " ".join(html.unescape(_TAG.sub("", row.text)).split()) if row is not None else ""
        label = _("Announcement #{id}").format(id=ident)
        return f"{label}: {text[:80]}{'…' if len(text) > 80 else ''}" if text else label
    return subject


def acknowledgements_sheet(*, session: Session, period: PeriodInfo, tz: ZoneInfo) -> ReportSheet:
    """Who pressed "Đã nhận", grouped by what they acknowledged, since the period started."""
    since = local_midnight(period.start, tz)
    rows = session.exec(
        select(Acknowledgement, Unit, AppUser)
        .join(Unit, col(Unit.id) == col(Acknowledgement.unit_id), isouter=True)
        .join(AppUser, col(AppUser.telegram_id) == col(Acknowledgement.telegram_id), isouter=True)
        .where(col(Acknowledgement.at) >= since)
    ).all()
    by_subject: dict[str, list[tuple[Acknowledgement, Unit | None, AppUser | None]]] = {}
    for ack, found_unit, found_user in rows:
        by_subject.setdefault(ack.subject, []).append((ack, found_unit, found_user))

    def subject_order(subject: str) -> tuple[str, int, str]:
        kind, _sep, ident = subject.partition(":")
        return (kind, -int(ident) if ident.isdigit() else 0, subject)

    out: list[list[object]] = []
    for subject in sorted(by_subject, key=subject_order):
        entries = sorted(
            by_subject[subject],
            key=lambda e: (vi_sort_key(e[1].name if e[1] else "~"), e[0].at),
        )
        label = _subject_label(session, subject)
        for ack, unit, user in entries:
            out.append(
                [
                    label,
                    unit.name if unit else "",
                    (user.display_name if user else "") or "",
                    ack.telegram_id,
                    fmt_datetime(ack.at),
                ]
            )
    return ReportSheet(
        title=_("Acknowledgements"),
        header=[_("Subject"), _("Unit"), _("Person"), _("Telegram ID"), _("Acknowledged at")],
        rows=out,
        widths=(50, 40, 28, 14, 18),
        note=_("Acknowledgements since {start}").format(start=fmt_date(period.start)),
    )


def unreachable_reason(reason: str | None, has_user: bool) -> str:
    """Why the bot cannot message someone, in words."""
    if not has_user:
        return _("never started the bot")
    text = (reason or "").lower()
    if "blocked" in text:
        return _("blocked the bot")
    if "initiate" in text or "chat not found" in text or "user not found" in text:
        return _("never started the bot")
    if "deactivated" in text:
        return _("Telegram account deleted")
    return reason or _("unknown")


def unreachable_sheet(*, session: Session, period: PeriodInfo, tz: ZoneInfo) -> ReportSheet:
    """Active officials the bot cannot message (blocked it, never started it …), by unit."""
    rows = session.exec(
        select(Official, Unit, AppUser)
        .join(Unit, col(Unit.id) == col(Official.unit_id), isouter=True)
        .join(AppUser, col(AppUser.telegram_id) == col(Official.telegram_id), isouter=True)
        # Only the unreachable ones come back (not 50,000 officials to skip one by one).
        .where(
            Official.active == True,  # noqa: E712
            or_(col(AppUser.telegram_id).is_(None), AppUser.reachable == False),  # noqa: E712
        )
    ).all()
    out: list[tuple[tuple[Any, ...], list[object]]] = []
    for official, unit, user in rows:
        unit_name = unit.name if unit else _("Secretariat")
        out.append(
            (
                vi_sort_key(unit_name),
                [
                    unit_name,
                    role_label(official.role),
                    (user.display_name if user else "") or "",
                    f"@{user.username}" if user is not None and user.username else "",
                    official.telegram_id,
                    unreachable_reason(user.unreachable_reason if user else None, user is not None),
                    fmt_datetime(user.unreachable_since) if user and user.unreachable_since else "",
                ],
            )
        )
    out.sort(key=lambda item: item[0])
    return ReportSheet(
        title=_("Unreachable officials"),
        header=[
            _("Unit"),
            _("Role"),
            _("Person"),
            _("Username"),
            _("Telegram ID"),
            _("Reason"),
            _("Since"),
        ],
        rows=[row for _key, row in out],
        widths=(40, 16, 28, 18, 14, 28, 18),
        note=_("The bot cannot send these officials anything until they open it again."),
    )


def _as_sheet(item: ReportSheet | Sheet) -> ReportSheet:
    """Accept a ReportSheet or a (title, header, rows) tuple from a provider."""
    if isinstance(item, ReportSheet):
        return item
    title, header, rows = item
    return ReportSheet(title=str(title), header=list(header), rows=list(rows))


def section_sheets(
    *, session: Session, period: PeriodInfo, tz: ZoneInfo, sections: Sequence[ReportSection]
) -> list[ReportSheet]:
    """Sheets from the other features' report sections (see bot.features)."""
    sheets: list[ReportSheet] = []
    for provider in sections:
        produced: Iterable[ReportSheet | Sheet] = (
            provider(session=session, period=period, tz=tz) or ()
        )
        sheets.extend(_as_sheet(item) for item in produced)
    return sheets


def _write_plain(ws: Any, sheet: ReportSheet) -> None:
    """A note line (if any), a bold header and the rows."""
    from openpyxl.styles import Font

    if sheet.note:
        append_row(ws, [sheet.note])
        ws["A1"].font = Font(italic=True)
    append_row(ws, sheet.header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = f"A{ws.max_row + 1}"
    for row in sheet.rows:
        append_row(ws, row)
    if not sheet.rows:
        append_row(ws, [_("(none)")])
    from openpyxl.utils import get_column_letter

    widths = list(sheet.widths) or [20] * len(sheet.header)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


# --- the workbook ---------------------------------------------------------------------------


def report_filename(period: PeriodInfo) -> str:
    """'bao-cao-2026-06-08_2026-06-22.xlsx'."""
    return f"bao-cao-{period.start.isoformat()}_{period.end.isoformat()}.xlsx"


def build_report(
    *, session: Session, period: PeriodInfo, tz: ZoneInfo, sections: Sequence[ReportSection]
) -> Report:
    """The workbook for one period: appendix sheets first (the importer reads the first)."""
    from openpyxl import Workbook

    wb = Workbook()
    default = wb.active
    taken: set[str] = set()
    names: list[str] = []
    for indicator in _indicators_in(session, period.id):
        short = SHORT_NAMES.get(indicator.code, indicator.name)
        name = _sheet_name(f"{short} {period.start:%d.%m}-{period.end:%d.%m.%Y}", taken)
        ws = wb.create_sheet(name)
        _write_appendix(ws, session, indicator, period, tz)
        names.append(name)
    extra = [
        *section_sheets(session=session, period=period, tz=tz, sections=sections),
        acknowledgements_sheet(session=session, period=period, tz=tz),
        unreachable_sheet(session=session, period=period, tz=tz),
    ]
    for sheet in extra:
        name = _sheet_name(sheet.title, taken)
        _write_plain(wb.create_sheet(name), sheet)
        names.append(name)
    if default is not None:
        wb.remove(default)
    buf = io.BytesIO()
    wb.save(buf)
    return Report(
        filename=report_filename(period), data=buf.getvalue(), period=period, sheets=names
    )
