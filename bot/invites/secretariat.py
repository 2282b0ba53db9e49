"""The secretariat's membership: who is in it, granting and revoking the role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.models import AppUser, Official, Role, Unit
from bot.core.people import end_role, link_official
from bot.core.text import fold


@dataclass(frozen=True)
class SecretariatMember:
    """Someone in the secretariat: by configuration (bootstrap) or by a role in the database."""

    telegram_id: int
    display_name: str
    bootstrap: bool
    since: dt.datetime | None


class MembershipStatus(StrEnum):
    """Outcome of granting or revoking the secretariat role."""

    GRANTED = "granted"
    REVOKED = "revoked"
    ALREADY = "already"  # grant: already in the secretariat
    NOT_MEMBER = "not_member"  # revoke: not in the secretariat
    BOOTSTRAP = "bootstrap"  # revoke: listed in ADMIN_TELEGRAM_IDS, only configuration removes
    LAST_ONE = "last_one"  # revoke: nobody would be left


@dataclass(frozen=True)
class MembershipResult:
    """What a grant or revoke did; `ended_unit_name`/`ended_role` is a unit role that ended."""

    status: MembershipStatus
    telegram_id: int
    display_name: str = ""
    language: str | None = None
    ended_unit_name: str | None = None
    ended_role: Role | None = None
    official_id: int | None = None  # the role row granted or ended: names the change's notice
    reachable: bool = False  # the bot knew this person and had not found them unreachable

    @property
    def changed(self) -> bool:
        """Something was written."""
        return self.status in (MembershipStatus.GRANTED, MembershipStatus.REVOKED)


def active_official(*, session: Session, telegram_id: int) -> Official | None:
    """A person's current role row."""
    return session.exec(
        select(Official).where(Official.telegram_id == telegram_id, Official.active == True)  # noqa: E712
    ).first()


def _secretariat_rows(session: Session) -> list[Official]:
    """Active secretariat role rows."""
    return list(
        session.exec(
            select(Official).where(
                Official.active == True,  # noqa: E712
                Official.role == Role.SECRETARIAT.value,
            )
        )
    )


def secretariat_count(*, session: Session, admin_ids: frozenset[int]) -> int:
    """How many distinct people are in the secretariat."""
    return len({row.telegram_id for row in _secretariat_rows(session)} | set(admin_ids))


def list_secretariat(*, session: Session, admin_ids: frozenset[int]) -> list[SecretariatMember]:
    """Everyone in the secretariat, bootstrap administrators first, then by name."""
    since = {row.telegram_id: row.created_at for row in _secretariat_rows(session)}
    ids = set(since) | set(admin_ids)
    names: dict[int, str] = {}
    if ids:
        for user in session.exec(select(AppUser).where(col(AppUser.telegram_id).in_(ids))):
            names[user.telegram_id] = user.display_name
    members = [
        SecretariatMember(
            telegram_id=tid,
            display_name=names.get(tid, ""),
            bootstrap=tid in admin_ids,
            since=since.get(tid),
        )
        for tid in ids
    ]
    return sorted(members, key=lambda m: (not m.bootstrap, fold(m.display_name), m.telegram_id))


def is_secretariat(*, session: Session, telegram_id: int, admin_ids: frozenset[int]) -> bool:
    """Whether someone is in the secretariat now."""
    if telegram_id in admin_ids:
        return True
    row = active_official(session=session, telegram_id=telegram_id)
    return row is not None and row.role == Role.SECRETARIAT.value


def _known(session: Session, telegram_id: int) -> tuple[str, str | None, bool]:
    """Stored display name ('' if unknown), language preference, and whether they are known
    and reachable (before this change: granting a role records the person)."""
    user = session.get(AppUser, telegram_id)
    return (user.display_name, user.language, user.reachable) if user else ("", None, False)


def grant_secretariat(
    *, session: Session, actor: int, telegram_id: int, admin_ids: frozenset[int]
) -> MembershipResult:
    """Add someone to the secretariat (ending any unit role they held), audited."""
    name, language, reachable = _known(session, telegram_id)
    if is_secretariat(session=session, telegram_id=telegram_id, admin_ids=admin_ids):
        return MembershipResult(MembershipStatus.ALREADY, telegram_id, name, language)
    previous = active_official(session=session, telegram_id=telegram_id)
    ended_unit = session.get(Unit, previous.unit_id) if previous and previous.unit_id else None
    granted = link_official(
        session=session, telegram_id=telegram_id, unit_id=None, role=Role.SECRETARIAT
    )
    audit.record(
        session=session,
        actor=actor,
        action="role.grant",
        subject=str(telegram_id),
        telegram_id=telegram_id,
        role=Role.SECRETARIAT.value,
        previous_unit_id=previous.unit_id if previous else None,
        previous_role=previous.role if previous else None,
    )
    return MembershipResult(
        MembershipStatus.GRANTED,
        telegram_id,
        name,
        language,
        ended_unit_name=ended_unit.name if ended_unit else None,
        ended_role=Role(previous.role) if previous else None,
        official_id=granted.id,
        reachable=reachable,
    )


def check_revoke(
    *, session: Session, telegram_id: int, admin_ids: frozenset[int]
) -> MembershipStatus | None:
    """Why the secretariat role cannot be taken from someone, or None if it can."""
    if telegram_id in admin_ids:
        return MembershipStatus.BOOTSTRAP
    row = active_official(session=session, telegram_id=telegram_id)
    if row is None or row.role != Role.SECRETARIAT.value:
        return MembershipStatus.NOT_MEMBER
    if secretariat_count(session=session, admin_ids=admin_ids) <= 1:
        return MembershipStatus.LAST_ONE
    return None


def revoke_secretariat(
    *, session: Session, actor: int, telegram_id: int, admin_ids: frozenset[int]
) -> MembershipResult:
    """Take the secretariat role from someone (never a bootstrap admin or the last one)."""
    name, language, reachable = _known(session, telegram_id)
    refused = check_revoke(session=session, telegram_id=telegram_id, admin_ids=admin_ids)
    if refused is not None:
        return MembershipResult(refused, telegram_id, name, language)
    row = active_official(session=session, telegram_id=telegram_id)
    assert row is not None
    end_role(
        session=session,
        official=row,
        actor=actor,
        action="role.revoke",
        subject=str(telegram_id),
        telegram_id=telegram_id,
        role=Role.SECRETARIAT.value,
    )
    return MembershipResult(
        MembershipStatus.REVOKED,
        telegram_id,
        name,
        language,
        official_id=row.id,
        reachable=reachable,
    )
