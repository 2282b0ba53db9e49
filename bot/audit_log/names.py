"""What audit entries point to, by name: units, people, deadlines, groups, indicators, letters.

One query per kind for a whole page of entries (`lookup_names`), so /nhatky reads ids as names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from bot.core.i18n import _
from bot.core.models import AppUser, AuditLog, Chat, Deadline, Indicator, Letter, Unit

logger = logging.getLogger(__name__)


def ref(subject: str, prefix: str) -> int | None:
    """'unit:102' → 102 for the prefix 'unit'."""
    head, _sep, tail = subject.partition(":")
    if head != prefix:
        return None
    try:
        return int(tail)
    except ValueError:
        return None


def int_of(value: object) -> int | None:
    """An id stored in details, if it is one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class Names:
    """Display names of what a page of entries points to, looked up in one query per kind."""

    units: dict[int, str] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)
    deadlines: dict[int, str] = field(default_factory=dict)
    chats: dict[int, str] = field(default_factory=dict)
    indicators: dict[str, str] = field(default_factory=dict)
    letters: dict[int, str] = field(default_factory=dict)

    def unit(self, unit_id: int | None, fallback: object = None) -> str:
        """A unit's name (its former name, or 'a unit', if it is gone)."""
        if unit_id is not None and unit_id in self.units:
            return self.units[unit_id]
        return str(fallback) if fallback else _("a unit that no longer exists")

    def person(self, telegram_id: int | None) -> str:
        """A person's name, else their Telegram id."""
        if telegram_id is None:
            return _("someone")
        return self.people.get(telegram_id) or _("ID {id}").format(id=telegram_id)

    def deadline(self, deadline_id: int | None, fallback: object = None) -> str:
        """A deadline's title in quotes."""
        title = self.deadlines.get(deadline_id) if deadline_id is not None else None
        title = title or (str(fallback) if fallback else None)
        if title is None:
            return _("deadline #{id}").format(id=deadline_id)
        return _("“{title}”").format(title=title)

    def chat(self, chat_id: int | None) -> str:
        """A group's title in quotes, else 'a group'."""
        title = self.chats.get(chat_id) if chat_id is not None else None
        return _("“{title}”").format(title=title) if title else _("a group")


def _ids(entries: Iterable[AuditLog]) -> dict[str, set[Any]]:
    """The ids each entry points to, by kind."""
    wanted: dict[str, set[Any]] = {k: set() for k in ("unit", "person", "deadline", "chat")}
    wanted["indicator"], wanted["letter"] = set(), set()
    for entry in entries:
        d = entry.details if isinstance(entry.details, dict) else {}
        subject = entry.subject or ""
        for prefix in ("unit", "deadline", "chat"):
            found = ref(subject, prefix)
            if found is not None:
                wanted[prefix].add(found)
        head, _sep, tail = subject.partition(":")
        if head == "indicator":
            wanted["indicator"].add(tail)
        for key, kind in (
            ("unit_id", "unit"),
            ("area_unit_id", "unit"),
            ("previous_unit_id", "unit"),
            ("telegram_id", "person"),
            ("deadline_id", "deadline"),
            ("letter_id", "letter"),
            ("migrated_from", "chat"),
        ):
            value = int_of(d.get(key))
            if value is not None:
                wanted[kind].add(value)
        if entry.action.startswith("dashboard.") or entry.action.startswith("role."):
            if subject.isdigit():
                wanted["person"].add(int(subject))
    return wanted


def lookup_names(*, session: Session, entries: list[AuditLog]) -> Names:
    """The names a page of entries needs."""
    wanted = _ids(entries)
    names = Names()
    if wanted["unit"]:
        rows = session.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(wanted["unit"])))
        names.units = {uid: name for uid, name in rows if uid is not None}
    people = wanted["person"] | {e.actor_telegram_id for e in entries if e.actor_telegram_id}
    if people:
        rows2 = session.exec(
            select(AppUser.telegram_id, AppUser.display_name).where(
                col(AppUser.telegram_id).in_(people)
            )
        )
        names.people = {tid: name for tid, name in rows2 if name}
    if wanted["deadline"]:
        rows3 = session.exec(
            select(Deadline.id, Deadline.title).where(col(Deadline.id).in_(wanted["deadline"]))
        )
        names.deadlines = {did: title for did, title in rows3 if did is not None}
    if wanted["chat"]:
        rows4 = session.exec(select(Chat.id, Chat.title).where(col(Chat.id).in_(wanted["chat"])))
        names.chats = {cid: title for cid, title in rows4 if title}
    if wanted["indicator"]:
        rows5 = session.exec(
            select(Indicator.code, Indicator.name).where(
                col(Indicator.code).in_(wanted["indicator"])
            )
        )
        names.indicators = dict(rows5.all())
    if wanted["letter"]:
        rows6 = session.exec(
            select(Letter.id, Letter.number, Letter.title).where(
                col(Letter.id).in_(wanted["letter"])
            )
        )
        names.letters = {lid: f"{num} {title}".strip() for lid, num, title in rows6 if lid}
    return names
