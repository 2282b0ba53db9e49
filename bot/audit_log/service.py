"""Reading the audit log: pages for /nhatky and the `python -m bot audit` export."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.audit_log.names import Names, lookup_names
from bot.audit_log.sentences import render
from bot.core import audit
from bot.core.cells import csv_record
from bot.core.i18n import _, fmt_datetime, fmt_number
from bot.core.models import AppUser, AuditLog

logger = logging.getLogger(__name__)

PAGE_SIZE = 6  # three lines an entry: a page fits a phone screen
DETAIL_CHARS = 320
EXIT_USAGE = 2


# --- who ----------------------------------------------------------------------------------


def actor_names(*, session: Session, actor_ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of the given Telegram ids, where the bot knows one."""
    ids = {a for a in actor_ids if a is not None}
    if not ids:
        return {}
    rows = session.exec(
        select(AppUser.telegram_id, AppUser.display_name).where(col(AppUser.telegram_id).in_(ids))
    ).all()
    return {telegram_id: name for telegram_id, name in rows if name}


def actor_label(actor: int | None, names: dict[int, str]) -> str:
    """'Nguyễn Văn A', else the Telegram id; 'CLI' for the command line."""
    if actor is None:
        return "CLI"
    return names.get(actor) or _("ID {id}").format(id=actor)


# --- details ------------------------------------------------------------------------------


def entry_details(entry: AuditLog, names: Names | None = None) -> str:
    """An entry as one sentence, plain text, in the current language (shortened if long)."""
    text = render(entry, names or Names())
    if len(text) > DETAIL_CHARS:
        text = text[: DETAIL_CHARS - 1] + "…"
    return text


# --- pages for /nhatky --------------------------------------------------------------------


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first."""

    text: str
    offset: int
    older: int | None  # offset of the next older page, if any
    newer: int | None  # offset of the next newer page, if any


def audit_page(*, session: Session, offset: int = 0, page_size: int = PAGE_SIZE) -> AuditPage:
    """Entries offset … offset+page_size, newest first, as HTML."""
    total = int(session.exec(select(func.count()).select_from(AuditLog)).one())
    if total == 0:
        return AuditPage(_("The audit log is empty."), 0, None, None)
    offset = max(0, min(offset, (total - 1) // page_size * page_size))
    entries = audit.recent(session=session, limit=page_size, offset=offset)
    names = lookup_names(session=session, entries=entries)
    lines = [
        _("🗂 <b>Audit log</b> — entries {first}–{last} of {total}, newest first").format(
            first=fmt_number(offset + 1),
            last=fmt_number(offset + len(entries)),
            total=fmt_number(total),
        )
    ]
    for entry in entries:
        lines.append("")
        lines.append(
            f"<b>{escape(fmt_datetime(entry.at))}</b> · "
            f"{escape(actor_label(entry.actor_telegram_id, names.people))}"
        )
        lines.append(escape(entry_details(entry, names)))
    older = offset + page_size if offset + page_size < total else None
    newer = max(0, offset - page_size) if offset > 0 else None
    return AuditPage("\n".join(lines), offset, older, newer)


# --- export -------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "id",
    "at_utc",
    "at_local",
    "actor_telegram_id",
    "actor_name",
    "action",
    "action_label",
    "sentence",
    "subject",
    "details",
)


def export_records(
    *, session: Session, start: dt.datetime, end: dt.datetime | None, tz: ZoneInfo
) -> list[dict[str, Any]]:
    """Entries in [start, end), oldest first, as flat records (details kept as a dict), each
    with its sentence as /nhatky writes it (the current language, local times, names)."""
    entries = audit.since(session=session, start=start, end=end)
    names = actor_names(session=session, actor_ids=(e.actor_telegram_id for e in entries))
    things = lookup_names(session=session, entries=entries)
    return [
        {
            "id": e.id,
            "at_utc": e.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "at_local": e.at.astimezone(tz).isoformat(),
            "actor_telegram_id": e.actor_telegram_id,
            "actor_name": actor_label(e.actor_telegram_id, names),
            "action": e.action,
            "action_label": audit.action_label(e.action),
            "sentence": render(e, things),
            "subject": e.subject,
            "details": e.details if isinstance(e.details, dict) else {},
        }
        for e in entries
    ]


def write_csv(records: Sequence[dict[str, Any]], out: TextIO) -> None:
    """CSV with a header row; details as JSON text (write with encoding utf-8-sig)."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        row["details"] = json.dumps(record["details"], ensure_ascii=False, sort_keys=True)
        if row["actor_telegram_id"] is None:
            row["actor_telegram_id"] = ""
        writer.writerow(csv_record(row))


def write_jsonl(records: Sequence[dict[str, Any]], out: TextIO) -> None:
    """One JSON object per line."""
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
