"""A Confirm press cut short by a restart: marked while the import is written, found and told
at the next start (kept apart from staging, so that a start-up loads only this)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from bot.core.models import PendingImport, utcnow


def aware(value: dt.datetime) -> dt.datetime:
    """A datetime returned by RETURNING may come back naive from SQLite: it is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


_CONFIRMING = "confirming"


def mark_confirming(
    *,
    session: Session,
    token: str,
    telegram_id: int,
    chat_id: int,
    message_id: int,
    worker: str,
) -> None:
    """Remember the progress message of a Confirm press and the worker writing it, so that a
    restart before the import was written can tell its uploader (the import deletes the row
    in its own transaction)."""
    pending = session.exec(
        select(PendingImport).where(
            PendingImport.token == token, PendingImport.telegram_id == telegram_id
        )
    ).first()
    if pending is not None:
        marker = {"chat_id": chat_id, "message_id": message_id, "worker": worker}
        pending.options = {**(pending.options or {}), _CONFIRMING: marker}
        session.add(pending)


@dataclass(frozen=True)
class Interrupted:
    """A Confirm press whose import never finished: the previewed file is still stored."""

    token: str
    telegram_id: int
    chat_id: int
    message_id: int
    filename: str
    expired: bool


def find_interrupted(
    *, session: Session, live_workers: set[str] | None, now: dt.datetime | None = None
) -> list[Interrupted]:
    """Pending imports marked as being confirmed by a worker that is gone (`live_workers` None:
    one worker, so every mark is from before this start); nothing is changed."""
    now = now or utcnow()
    found: list[Interrupted] = []
    rows = session.exec(select(PendingImport.id, PendingImport.options)).all()
    for pending_id, options in rows:
        marker = (options or {}).get(_CONFIRMING)
        if not isinstance(marker, dict):
            continue
        if live_workers is not None and marker.get("worker") in live_workers:
            continue  # another worker is writing it right now
        pending = session.get(PendingImport, pending_id)
        if pending is None:
            continue
        found.append(
            Interrupted(
                token=pending.token,
                telegram_id=pending.telegram_id,
                chat_id=int(marker.get("chat_id", pending.telegram_id)),
                message_id=int(marker.get("message_id", 0)),
                filename=pending.filename,
                expired=aware(pending.expires_at) <= now,
            )
        )
    return found


def clear_interrupted(*, session: Session, found: list[Interrupted]) -> None:
    """Clear the marks of interrupted imports once their uploaders were told, in the caller's
    transaction; an expired one is deleted."""
    for item in found:
        pending = session.exec(
            select(PendingImport).where(PendingImport.token == item.token)
        ).first()
        if pending is None:
            continue
        if item.expired:
            session.delete(pending)
        else:
            options = pending.options or {}
            pending.options = {k: v for k, v in options.items() if k != _CONFIRMING}
            session.add(pending)


def take_interrupted(
    *, session: Session, live_workers: set[str] | None, now: dt.datetime | None = None
) -> list[Interrupted]:
    """Find the interrupted imports and clear their marks in the caller's transaction."""
    found = find_interrupted(session=session, live_workers=live_workers, now=now)
    clear_interrupted(session=session, found=found)
    return found
