"""The durable outbox: every push is a row with a unique dedupe key, sent by one sender loop.

Enqueue in the same transaction as the event that causes the push; a second enqueue of the same
key is a no-op. The sender claims due rows (status pending → sending), sends, and records the
outcome. Delivery is at-least-once: a crash between Telegram accepting a message and the row
being marked sent repeats at most the messages that were in flight at that moment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, event, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, or_, select

from bot.core.db import table_of
from bot.core.models import AppUser, Chat, OutboxAttachment, OutboxMessage, OutboxStatus, utcnow
from bot.core.outbox_claim import due_heads
from bot.core.outbox_listen import notify

if TYPE_CHECKING:
    from bot.core.config import Settings

logger = logging.getLogger(__name__)

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
class Claimed:
    """A row claimed for sending."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    attempts: int
    kind: str
    broadcast_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    claim: str = ""  # the claim token: recording an outcome applies only while it holds


def claim_due(
    *, session: Session, limit: int, worker: str, now: dt.datetime | None = None
) -> list[Claimed]:
    """Mark up to `limit` due rows as sending for this worker and return them (commits).

    A row waits while an earlier due row for the same chat is pending or being sent, so the
    parts of a long text, and messages to one chat, keep their order even when several
    workers claim at once (each row is claimed once: FOR UPDATE SKIP LOCKED on PostgreSQL).
    """
    now = now or utcnow()
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    ids = due_heads(session=session, limit=limit, now=now)
    if not ids:
        session.rollback()
        return []
    session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_(ids), col(OutboxMessage.status) == OutboxStatus.PENDING.value
        )
        .values(status=OutboxStatus.SENDING.value, claimed_at=now, claimed_by=token)
    )
    t = table_of(OutboxMessage).c
    rows = session.connection().execute(  # columns, not ORM objects (~90,000 in a national run)
        sa_select(t.id, t.chat_id, t.method, t.payload, t.attempts, t.kind, t.broadcast_id)
        .where(t.id.in_(ids), t.claimed_by == token, t.status == OutboxStatus.SENDING.value)
        .order_by(t.priority, t.not_before, t.id)
    )
    claimed = [
        Claimed(row_id, chat_id, method, dict(payload), attempts, kind, broadcast_id, claim=token)
        for row_id, chat_id, method, payload, attempts, kind, broadcast_id in rows
    ]
    session.commit()
    return claimed


def _set(session: Session, outbox_id: int, claim: str | None, values: dict[str, Any]) -> bool:
    """Update one row (caller commits); with `claim`, only while that claim still holds it
    (status sending, claimed_by the token), so recording the same outcome twice is harmless
    and a late outcome never overwrites a row someone else has claimed since. True if applied."""
    stmt = update(OutboxMessage).where(col(OutboxMessage.id) == outbox_id)
    if claim is not None:
        stmt = stmt.where(
            col(OutboxMessage.status) == OutboxStatus.SENDING.value,
            col(OutboxMessage.claimed_by) == claim,
        )
    result = session.exec(stmt.values(**values))
    return bool(result.rowcount)


def mark_sent(
    *,
    session: Session,
    outbox_id: int,
    message_id: int | None,
    chat_id: int | None = None,
    claim: str | None = None,
) -> bool:
    """Telegram accepted the message (in `chat_id` if it moved)."""
    values: dict[str, Any] = {"chat_id": chat_id} if chat_id is not None else {}
    values.update(
        status=OutboxStatus.SENT.value,
        sent_at=utcnow(),
        telegram_message_id=message_id,
        attempts=OutboxMessage.attempts + 1,
        last_error=None,
    )
    return _set(session, outbox_id, claim, values)


def mark_retry(
    *,
    session: Session,
    outbox_id: int,
    not_before: dt.datetime,
    error: str,
    count_attempt: bool = True,
    claim: str | None = None,
) -> bool:
    """Back to pending, due again at `not_before`."""
    values = {
        "status": OutboxStatus.PENDING.value,
        "not_before": not_before,
        "claimed_by": None,
        "last_error": error[:500],
        "attempts": OutboxMessage.attempts + (1 if count_attempt else 0),
    }
    return _set(session, outbox_id, claim, values)


def release(*, session: Session, outbox_id: int, claim: str | None = None) -> bool:
    """A claimed row that was not sent (the sender is stopping): pending again, unchanged."""
    values = {"status": OutboxStatus.PENDING.value, "claimed_by": None}
    return _set(session, outbox_id, claim, values)


def mark_failed(*, session: Session, outbox_id: int, error: str, claim: str | None = None) -> bool:
    """Give up on this row."""
    values = {
        "status": OutboxStatus.FAILED.value,
        "last_error": error[:500],
        "attempts": OutboxMessage.attempts + 1,
    }
    return _set(session, outbox_id, claim, values)


def mark_unreachable(
    *, session: Session, outbox_id: int, chat_id: int, reason: str, claim: str | None = None
) -> bool:
    """The chat cannot be reached (blocked, kicked, never started): this row and the person."""
    values = {
        "status": OutboxStatus.UNREACHABLE.value,
        "last_error": reason[:500],
        "attempts": OutboxMessage.attempts + 1,
    }
    if not _set(session, outbox_id, claim, values):
        return False
    now = utcnow()
    if chat_id > 0:
        user = session.get(AppUser, chat_id)
        if user is None:
            user = AppUser(telegram_id=chat_id)
        if user.reachable:
            user.reachable = False
            user.unreachable_reason = reason[:64]
            user.unreachable_since = now
        session.add(user)
    else:
        chat = session.get(Chat, chat_id)
        if chat is not None and chat.active:
            chat.active = False
            chat.left_at = now
            session.add(chat)
    return True


def mark_reachable(*, session: Session, telegram_id: int) -> None:
    """The person talked to the bot again: they can be reached."""
    user = session.get(AppUser, telegram_id)
    if user is not None and not user.reachable:
        user.reachable = True
        user.unreachable_reason = None
        user.unreachable_since = None
        session.add(user)


def redirect_chat(*, session: Session, old_chat_id: int, new_chat_id: int) -> int:
    """Point unsent rows of a migrated group at its new id; returns rows moved."""
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.chat_id) == old_chat_id,
            col(OutboxMessage.status).in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]),
        )
        .values(chat_id=new_chat_id)
    )
    return int(result.rowcount or 0)


def recover_stale(*, session: Session, older_than: dt.datetime | None = None) -> int:
    """Return rows left 'sending' by a dead sender to pending (all of them if no cut-off)."""
    # The table, not the ORM class: start-up runs this before the first answer, and the ORM's
    # one-off set-up (~40 ms) is left to whatever needs it later.
    t = table_of(OutboxMessage)
    stmt = update(t).where(t.c.status == OutboxStatus.SENDING.value)
    if older_than is not None:
        stmt = stmt.where(t.c.claimed_at < older_than)
    result = session.connection().execute(
        stmt.values(status=OutboxStatus.PENDING.value, claimed_by=None)
    )
    session.commit()
    count = int(result.rowcount or 0)
    if count:
        logger.warning("Recovered %d outbox rows left in flight by a stopped sender", count)
    return count


def claim_worker(claimed_by: str | None) -> str:
    """The worker id in a claim token '<worker>:<random>'."""
    return (claimed_by or "").split(":", 1)[0]


def recover_orphans(*, session: Session, live_workers: Iterable[str]) -> int:
    """Return to pending the rows claimed by workers that are gone; live workers keep theirs."""
    live = set(live_workers)
    tokens = session.exec(
        select(OutboxMessage.claimed_by)
        .where(OutboxMessage.status == OutboxStatus.SENDING.value)
        .distinct()
    ).all()
    dead = [t for t in tokens if claim_worker(t) not in live]
    if not dead:
        session.rollback()
        return 0
    owner = col(OutboxMessage.claimed_by)
    named = [t for t in dead if t is not None]
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.SENDING.value,
            or_(owner.in_(named), owner.is_(None)),
        )
        .values(status=OutboxStatus.PENDING.value, claimed_by=None)
    )
    session.commit()
    count = int(result.rowcount or 0)
    if count:
        logger.warning(
            "Recovered %d outbox rows left in flight by stopped workers: %s",
            count,
            ", ".join(sorted({claim_worker(t) for t in dead})),
        )
    return count


@dataclass(frozen=True)
class Backlog:
    """How much is waiting."""

    pending: int
    oldest_due: dt.datetime | None


def backlog(*, session: Session) -> Backlog:
    """Pending rows and the oldest due time."""
    count, oldest = session.exec(
        select(func.count(), func.min(OutboxMessage.not_before)).where(
            OutboxMessage.status == OutboxStatus.PENDING.value
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return Backlog(int(count), oldest)


def status_counts(*, session: Session, broadcast_id: int) -> dict[str, int]:
    """Rows of a broadcast by status (first parts only, i.e. one per recipient; no reminders)."""
    rows = session.exec(
        select(OutboxMessage.status, func.count())
        .where(
            OutboxMessage.broadcast_id == broadcast_id,
            OutboxMessage.kind == "broadcast",
            ~col(OutboxMessage.dedupe_key).contains("#"),
        )
        .group_by(OutboxMessage.status)
    ).all()
    return {status: int(n) for status, n in rows}


def pending_for(*, session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these keys are already queued (any status)."""
    return set(
        session.exec(
            select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(list(keys)))
        ).all()
    )


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
