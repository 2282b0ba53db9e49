"""Who is talking to the bot: their unit, role and language; linking officials to units."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from bot.core import audit
from bot.core.db import REVISION_KEY, HotReader, bump_revision
from bot.core.models import AppUser, Official, Role, Unit, utcnow

logger = logging.getLogger(__name__)

_VIEWER_SQL = text(
    "SELECT u.language, u.reachable, o.unit_id, o.role, un.name, "
    "(SELECT value FROM appstate WHERE key = :rev) AS revision "
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


def load_viewer(*, reader: HotReader, telegram_id: int, admin_ids: frozenset[int]) -> Viewer:
    """One indexed query per update: stored language, active role and unit, data revision."""
    row = reader.one(_VIEWER_SQL, {"tid": telegram_id, "rev": REVISION_KEY})
    assert row is not None  # the anchor row is always there
    language, reachable, unit_id, role, unit_name, revision = row
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
