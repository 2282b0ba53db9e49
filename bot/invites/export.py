"""The invitation list as a file (chat document and CLI): XLSX or CSV."""

from __future__ import annotations

import csv
import io

from bot.core.cells import append_row, csv_row
from bot.core.i18n import LazyString, _, fmt_datetime, lazy_gettext
from bot.core.roles import role_label
from bot.invites.codes import CreatedInvite

KIND_LABELS: dict[str, LazyString] = {
    "xa": lazy_gettext("commune"),
    "phuong": lazy_gettext("ward"),
    "thi-tran": lazy_gettext("township"),
    "so": lazy_gettext("department"),
    "ban": lazy_gettext("party board"),
    "khac": lazy_gettext("other"),
}


def kind_label(kind: str) -> str:
    """Translated unit kind."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def export_header() -> list[str]:
    """Column titles of the invitation list."""
    return [
        _("No."),
        _("Unit"),
        _("Kind"),
        _("Role"),
        _("Link"),
        _("Invitation code"),
        _("Expires"),
    ]


def export_rows(invites: list[CreatedInvite], bot_username: str | None) -> list[list[object]]:
    """One row per invitation, as the secretariat sends them on."""
    return [
        [
            n,
            inv.unit_name,
            kind_label(inv.unit_kind),
            role_label(inv.role),
            inv.link(bot_username) or "",
            inv.code,
            fmt_datetime(inv.expires_at),
        ]
        for n, inv in enumerate(invites, start=1)
    ]


def invites_xlsx(invites: list[CreatedInvite], bot_username: str | None) -> bytes:
    """The invitation list as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Invitations")[:31]
    append_row(ws, export_header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in export_rows(invites, bot_username):
        append_row(ws, row)
    for letter, width in zip("ABCDEFG", (6, 40, 12, 18, 60, 28, 18), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def invites_csv(invites: list[CreatedInvite], bot_username: str | None, *, bom: bool) -> str:
    """The invitation list as CSV text (with a BOM so Excel reads Vietnamese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(csv_row(export_header()))
    writer.writerows(csv_row(row) for row in export_rows(invites, bot_username))
    return ("\ufeff" if bom else "") + buf.getvalue()
