"""Queueing pushes: rows with a unique dedupe key, images stored once, and the wake-up on commit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, event
from sqlmodel import Session, col, select

from bot.core.db import table_of
from bot.core.models import OutboxAttachment, OutboxMessage, OutboxStatus, utcnow
from bot.core.outbox_listen import notify

if TYPE_CHECKING:
    from bot.core.config import Settings

MAX_TEXT = 4096
MAX_CAPTION = 1024

# Lower sends sooner.
PRIORITY_URGENT = 0
PRIORITY_REMINDER = 2
PRIORITY_WARNING = 4
PRIORITY_SUMMARY = 6
PRIORITY_BROADCAST = 8


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long text at line boundaries into parts of at most `limit` characters."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single over-long line: cut at the last space before limit
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


@dataclass(frozen=True)
class Push:
    """One push to enqueue: who gets what, under which dedupe key."""

    key: str
    chat_id: int
    text: str
    kind: str
    priority: int = 5
    not_before: dt.datetime | None = None
    reply_markup: dict[str, Any] | None = None
    unit_id: int | None = None
    broadcast_id: int | None = None
    # A PNG sent with sendPhoto, `text` being its caption (at most MAX_CAPTION characters).
    photo: bytes | None = None


def _insert(session: Session, table: Any = OutboxMessage) -> Any:
    """INSERT … ON CONFLICT for the session's dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _photo_row(push: Push, now: dt.datetime) -> dict[str, Any]:
    """The one sendPhoto row of a push with a photo; the image is referenced by its SHA-256."""
    assert push.photo is not None
    if len(push.text) > MAX_CAPTION:
        raise ValueError(f"photo caption longer than {MAX_CAPTION} characters")
    payload: dict[str, Any] = {
        "caption": push.text,
        "photo": hashlib.sha256(push.photo).hexdigest(),
    }
    if push.reply_markup is not None:
        payload["reply_markup"] = push.reply_markup
    return {
        "dedupe_key": push.key,
        "kind": push.kind,
        "chat_id": push.chat_id,
        "unit_id": push.unit_id,
        "broadcast_id": push.broadcast_id,
        "priority": push.priority,
        "method": "sendPhoto",
        "payload": payload,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "not_before": push.not_before or now,
        "created_at": now,
    }


def _store_attachments(session: Session, photos: list[bytes], now: dt.datetime) -> None:
    """Store each image once (a re-used image gets a fresh time, so pruning keeps it)."""
    unique = {hashlib.sha256(data).hexdigest(): data for data in photos}
    for sha, data in unique.items():
        stmt = _insert(session, OutboxAttachment).values(
            sha256=sha, filename="chart.png", data=data, created_at=now
        )
        session.execute(
            stmt.on_conflict_do_update(index_elements=["sha256"], set_={"created_at": now})
        )


def attachment_data(*, session: Session, sha256: str) -> bytes | None:
    """The bytes of a stored attachment."""
    row = session.get(OutboxAttachment, sha256)
    return bytes(row.data) if row is not None else None


def prune_attachments(*, session: Session, older_than: dt.datetime) -> int:
    """Delete attachments last queued before `older_than` (their rows are long done)."""
    from sqlalchemy import delete

    result = session.execute(
        delete(OutboxAttachment).where(col(OutboxAttachment.created_at) < older_than)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _rows(push: Push, now: dt.datetime) -> list[dict[str, Any]]:
    """Outbox rows for a push: one per part of its text, the markup on the last part."""
    if push.photo is not None:
        return [_photo_row(push, now)]
    parts = split_text(push.text)
    rows = []
    for index, part in enumerate(parts):
        payload: dict[str, Any] = {"text": part}
        if push.reply_markup is not None and index == len(parts) - 1:
            payload["reply_markup"] = push.reply_markup
        rows.append(
            {
                "dedupe_key": push.key if index == 0 else f"{push.key}#{index + 1}",
                "kind": push.kind,
                "chat_id": push.chat_id,
                "unit_id": push.unit_id,
                "broadcast_id": push.broadcast_id,
                "priority": push.priority,
                "method": "sendMessage",
                "payload": payload,
                "status": OutboxStatus.PENDING.value,
                "attempts": 0,
                "not_before": push.not_before or now,
                "created_at": now,
            }
        )
    return rows


def enqueue_many(*, session: Session, pushes: Iterable[Push]) -> int:
    """Insert pushes in the caller's transaction, skipping keys already queued; returns new rows."""
    now = utcnow()
    pushes = list(pushes)
    if not pushes:
        return 0
    keys = [p.key for p in pushes]
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(
            session.exec(
                select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(chunk))
            ).all()
        )
    rows = [row for p in pushes if p.key not in existing for row in _rows(p, now)]
    if not rows:
        return 0
    photos = [p.photo for p in pushes if p.photo is not None and p.key not in existing]
    if photos:
        _store_attachments(session, photos, now)
    # The table, not the ORM class: a Core executemany (the ORM's bulk path cost twice as much).
    table = table_of(OutboxMessage)
    stmt = _insert(session, table).on_conflict_do_nothing(index_elements=["dedupe_key"])
    for start in range(0, len(rows), 500):
        session.execute(stmt, rows[start : start + 500])
    notify(session)  # PostgreSQL: the commit wakes every process's idle sender
    session.connection().info[_ENQUEUED] = True  # the commit wakes the sender (wake_on_commit)
    return len(rows)


# --- waking the sender when pushes are committed ------------------------------------------

_ENQUEUED = "kyso.outbox.enqueued"


class _Waker:
    """The sender's wake-up call for one engine, fired after a commit that enqueued pushes."""

    def __init__(self) -> None:
        """No sender yet."""
        self.wake: Callable[[], None] | None = None

    def committed(self, connection: Connection) -> None:
        """A transaction committed: wake the sender if it queued pushes."""
        if connection.info.pop(_ENQUEUED, False) and self.wake is not None:
            self.wake()

    @staticmethod
    def rolled_back(connection: Connection) -> None:
        """A transaction rolled back: its pushes are gone, nothing to wake for."""
        connection.info.pop(_ENQUEUED, None)


# The engine attribute holding its waker (it lives and dies with its engine).
_WAKER_ATTR = "_kyso_outbox_waker"


def wake_on_commit(engine: Engine, wake: Callable[[], None]) -> None:
    """Call `wake` after every commit on `engine` that enqueued a push (one sender per engine:
    a later call replaces the earlier one). Every push path then wakes the sender by itself."""
    waker: _Waker | None = getattr(engine, _WAKER_ATTR, None)
    if waker is None:
        waker = _Waker()
        setattr(engine, _WAKER_ATTR, waker)
        event.listen(engine, "commit", waker.committed)
        event.listen(engine, "rollback", _Waker.rolled_back)
    waker.wake = wake


def enqueue(*, session: Session, push: Push) -> bool:
    """Queue one push; False if its key was already queued."""
    return enqueue_many(session=session, pushes=[push]) > 0


@dataclass(frozen=True)
class QuietHours:
    """Hours of the day when non-urgent pushes wait for the morning (start == end: never)."""

    start: dt.time
    end: dt.time
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings: Settings) -> QuietHours:
        """QUIET_HOURS_START/END in the bot's time zone."""
        return cls(settings.quiet_hours_start, settings.quiet_hours_end, settings.tz)

    def is_quiet(self, when: dt.datetime) -> bool:
        """Whether an aware instant falls in the quiet hours."""
        t = when.astimezone(self.zone).time()
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def defer(self, when: dt.datetime) -> dt.datetime:
        """`when`, or the end of the quiet hours it falls in (aware UTC): use as not_before."""
        if not self.is_quiet(when):
            return when.astimezone(dt.UTC)
        local = when.astimezone(self.zone)
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, self.end, tzinfo=self.zone).astimezone(dt.UTC)
