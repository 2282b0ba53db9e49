"""Open dialogs: the one question the bot is waiting for each person to answer, in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from bot.core.models import Dialog, utcnow

DEFAULT_TTL = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class OpenDialog:
    """Which feature asked, the step it is at, and what it collected so far (JSON-safe)."""

    feature: str
    state: str
    data: dict[str, Any] = field(default_factory=dict)
    chat_id: int | None = None  # the chat it was asked in (only answers there count)
    expires_at: dt.datetime | None = None

    def is_(self, feature: str, *states: str) -> bool:
        """True if this dialog belongs to `feature` (and is at one of `states`, if given)."""
        return self.feature == feature and (not states or self.state in states)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they are UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def open_dialog(
    *,
    session: Session,
    telegram_id: int,
    dialog: OpenDialog,
    now: dt.datetime | None = None,
    ttl: dt.timedelta = DEFAULT_TTL,
) -> OpenDialog:
    """Start or move a person's dialog (replacing whatever they had open); returns it stored."""
    now = now or utcnow()
    chat_id = dialog.chat_id if dialog.chat_id is not None else telegram_id
    stored = OpenDialog(dialog.feature, dialog.state, dict(dialog.data), chat_id, now + ttl)
    row = session.get(Dialog, telegram_id)
    if row is None:
        row = Dialog(telegram_id=telegram_id, chat_id=chat_id, feature="", state="", expires_at=now)
    row.feature, row.state, row.data = stored.feature, stored.state, stored.data
    row.chat_id = chat_id
    row.updated_at, row.expires_at = now, now + ttl
    session.add(row)
    return stored


def current_dialog(
    *, session: Session, telegram_id: int, now: dt.datetime | None = None
) -> OpenDialog | None:
    """The person's open dialog, or None (an expired one counts as closed)."""
    row = session.get(Dialog, telegram_id)
    if row is None or _aware(row.expires_at) <= (now or utcnow()):
        return None
    return OpenDialog(
        row.feature, row.state, dict(row.data or {}), row.chat_id, _aware(row.expires_at)
    )


def close_dialog(*, session: Session, telegram_id: int) -> None:
    """Forget the person's dialog, if any."""
    session.exec(delete(Dialog).where(col(Dialog.telegram_id) == telegram_id))


def purge_expired(*, session: Session, now: dt.datetime | None = None) -> int:
    """Drop dialogs nobody finished; returns how many."""
    result = session.exec(delete(Dialog).where(col(Dialog.expires_at) <= (now or utcnow())))
    return int(result.rowcount or 0)
