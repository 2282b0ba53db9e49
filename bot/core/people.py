"""Who is talking to the bot: their unit, role and language; linking officials to units."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.db import REVISION_KEY, bump_revision
from bot.core.models import AppUser, Official, Role, Unit, utcnow
from bot.core.reader import HotReader

logger = logging.getLogger(__name__)

_VIEWER_SQL = text(
    "SELECT u.language, u.reachable, o.unit_id, o.role, un.name, "
    "(SELECT value FROM appstate WHERE key = :rev) AS revision, "
    "(SELECT 1 FROM dialog WHERE telegram_id = :tid) AS dialog "
    "FROM (SELECT 1 AS one) AS anchor "
    "LEFT JOIN appuser AS u ON u.telegram_id = :tid "
    "LEFT JOIN official AS o ON o.telegram_id = :tid AND o.active "
    "LEFT JOIN unit AS un ON un.id = o.unit_id"
)


@dataclass(frozen=True)
class Viewer:
    """The person behind an update, as the database knows them."""

    telegram_id: int
    language: str | None
    unit_id: int | None
    unit_name: str | None
    role: Role | None
    is_secretariat: bool
    revision: int
    reachable: bool = True
    # Whether a dialog row (open or expired) existed when the update arrived; False lets the
    # dialog handlers skip their own query on the hot path.
    may_have_dialog: bool = True


# People whose identity rows are kept between updates (~0.43 KB each: at most ~3.4 MiB). A
# province's officials all fit (its ~100 units have a few hundred); at national scale (50,000)
# the most recent askers do.
VIEWERS_MAX = 8192


class ViewerCache:
    """The identity rows of recent askers, valid while nobody commits anything.

    Keyed by the reader's `version()`: any committed write anywhere (a link, a role, /lang, a
    dialog step, an import, another process) empties it, so the database stays the source of
    truth; without a version (PostgreSQL) nothing is kept. Bounded, least recently used first.
    """

    def __init__(self, limit: int | None = None) -> None:
        """Start empty; keep at most `limit` people (VIEWERS_MAX if not given)."""
        self.limit = VIEWERS_MAX if limit is None else limit
        self._version: int | None = None
        self._items: OrderedDict[int, Viewer] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many people are kept."""
        return len(self._items)

    def get(self, version: int, telegram_id: int) -> Viewer | None:
        """The kept row if nothing was committed since it was read, else None."""
        with self._lock:
            if version != self._version:
                self._items.clear()
                self._version = version
                return None
            viewer = self._items.get(telegram_id)
            if viewer is not None:
                self._items.move_to_end(telegram_id)
            return viewer

    def put(self, version: int, viewer: Viewer) -> None:
        """Keep a row read after `version` was seen (dropping the oldest beyond the limit)."""
        with self._lock:
            if version != self._version:
                return
            self._items[viewer.telegram_id] = viewer
            while len(self._items) > self.limit:
                self._items.popitem(last=False)


def load_viewer(
    *,
    reader: HotReader,
    telegram_id: int,
    admin_ids: frozenset[int],
    cache: ViewerCache | None = None,
) -> Viewer:
    """Stored language, active role and unit, data revision: one indexed query, or none when
    `cache` holds the row and nothing was committed since."""
    version = reader.version() if cache is not None else None
    if version is not None and cache is not None:
        kept = cache.get(version, telegram_id)
        if kept is not None:
            return kept
    viewer = _read_viewer(reader, telegram_id, admin_ids)
    if version is not None and cache is not None:
        cache.put(version, viewer)
    return viewer


def _read_viewer(reader: HotReader, telegram_id: int, admin_ids: frozenset[int]) -> Viewer:
    """The viewer's row from the database."""
    row = reader.one(_VIEWER_SQL, {"tid": telegram_id, "rev": REVISION_KEY})
    assert row is not None  # the anchor row is always there
    language, reachable, unit_id, role, unit_name, revision, dialog = row
    role_value = Role(role) if role else None
    return Viewer(
        telegram_id=telegram_id,
        language=language,
        unit_id=unit_id,
        unit_name=unit_name,
        role=role_value,
        is_secretariat=role_value is Role.SECRETARIAT or telegram_id in admin_ids,
        revision=int(revision or 0),
        reachable=reachable is None or bool(reachable),
        may_have_dialog=dialog is not None,
    )


def ensure_user(*, session: Session, telegram_id: int, display_name: str = "") -> AppUser:
    """Get or create the AppUser row, refreshing the display name."""
    user = session.get(AppUser, telegram_id)
    if user is None:
        user = AppUser(telegram_id=telegram_id, display_name=display_name)
        session.add(user)
    elif display_name and user.display_name != display_name:
        user.display_name = display_name
        user.updated_at = utcnow()
    return user


def set_language_preference(*, session: Session, telegram_id: int, language: str | None) -> None:
    """Store (or clear) a user's language choice."""
    user = ensure_user(session=session, telegram_id=telegram_id)
    user.language = language
    user.updated_at = utcnow()
    bump_revision(session)


def link_official(
    *,
    session: Session,
    telegram_id: int,
    unit_id: int | None,
    role: Role,
    display_name: str = "",
) -> Official:
    """Give a person a role in a unit, ending any role they held before."""
    if role is not Role.SECRETARIAT and unit_id is None:
        raise ValueError("a unit role needs a unit")
    ensure_user(session=session, telegram_id=telegram_id, display_name=display_name)
    now = utcnow()
    for old in session.exec(
        select(Official).where(Official.telegram_id == telegram_id, Official.active == True)  # noqa: E712
    ):
        old.active = False
        old.ended_at = now
        session.add(old)
    session.flush()
    official = Official(
        telegram_id=telegram_id,
        unit_id=unit_id if role is not Role.SECRETARIAT else None,
        role=role.value,
    )
    session.add(official)
    bump_revision(session)
    session.flush()
    return official


def unit_name(*, session: Session, unit_id: int) -> str | None:
    """Display name of a unit."""
    unit = session.get(Unit, unit_id)
    return unit.name if unit else None


def end_role(
    *,
    session: Session,
    official: Official,
    actor: int | None,
    action: str,
    subject: str,
    **details: Any,
) -> None:
    """End a role (the row is kept, with ended_at), audited in the caller's transaction."""
    official.active = False
    official.ended_at = utcnow()
    session.add(official)
    audit.record(session=session, actor=actor, action=action, subject=subject, **details)
    bump_revision(session)


# --- who a push goes to -------------------------------------------------------------------

UNIT_RECIPIENT_ROLES = (Role.HEAD.value, Role.STAFF.value)  # viewers read; they get no pushes
_CHUNK = 500


@dataclass(frozen=True)
class Recipient:
    """A person a push goes to, in the language they read (their choice, else the default)."""

    telegram_id: int
    unit_id: int | None
    role: str
    language: str


def unit_recipients(
    *, session: Session, unit_ids: Iterable[int], default_language: str
) -> dict[int, list[Recipient]]:
    """The reachable heads and staff of each active unit, heads first, by unit (the one query
    every push to a unit's officials uses)."""
    ids = list(dict.fromkeys(unit_ids))
    found: dict[int, list[Recipient]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.exec(
            select(
                col(Official.unit_id),
                col(Official.telegram_id),
                col(Official.role),
                AppUser.language,
            )
            .join(AppUser, col(AppUser.telegram_id) == col(Official.telegram_id), isouter=True)
            .join(Unit, col(Unit.id) == col(Official.unit_id))
            .where(
                col(Official.unit_id).in_(ids[start : start + _CHUNK]),
                col(Official.active).is_(True),
                col(Official.role).in_(UNIT_RECIPIENT_ROLES),
                col(Unit.active).is_(True),
                col(AppUser.reachable).is_not(False),
            )
            .order_by(col(Official.role), col(Official.telegram_id))
        ).all()
        for unit_id, telegram_id, role, language in rows:
            if unit_id is not None:
                found.setdefault(unit_id, []).append(
                    Recipient(telegram_id, unit_id, role, language or default_language)
                )
    return found


def secretariat_recipients(
    *, session: Session, admin_ids: frozenset[int], default_language: str
) -> list[Recipient]:
    """Everyone in the secretariat who can be reached (bootstrap administrators included)."""
    ids = set(admin_ids)
    ids.update(
        session.exec(
            select(col(Official.telegram_id)).where(
                col(Official.active).is_(True), col(Official.role) == Role.SECRETARIAT.value
            )
        ).all()
    )
    users = {
        u.telegram_id: u
        for u in session.exec(select(AppUser).where(col(AppUser.telegram_id).in_(ids)))
    }
    found = []
    for telegram_id in sorted(ids):
        user = users.get(telegram_id)
        if user is not None and not user.reachable:
            continue
        language = (user.language if user else None) or default_language
        found.append(Recipient(telegram_id, None, Role.SECRETARIAT.value, language))
    return found


def languages_of(
    *, session: Session, telegram_ids: Iterable[int], default_language: str
) -> dict[int, str]:
    """Each person's stored language, else the default (chats that are groups: the default)."""
    wanted = list(telegram_ids)
    found = dict.fromkeys(wanted, default_language)
    people = [t for t in wanted if t > 0]
    for start in range(0, len(people), _CHUNK):
        for telegram_id, language in session.exec(
            select(col(AppUser.telegram_id), AppUser.language).where(
                col(AppUser.telegram_id).in_(people[start : start + _CHUNK])
            )
        ).all():
            found[telegram_id] = language or default_language
    return found
