"""Invitation codes: reading what people type, creating invitations, and redeeming a code."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.db import binary_order, stored_id
from bot.core.models import Invite, Official, RedeemAttempt, Role, Unit, utcnow
from bot.core.people import link_official
from bot.core.roles import INVITE_ROLES
from bot.core.text import fold
from bot.invites.secretariat import active_official, secretariat_count

logger = logging.getLogger(__name__)

CODE_BYTES = 16  # 128 random bits → 22 URL-safe characters
MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = dt.timedelta(minutes=10)
# Deep-link payloads allow A–Z a–z 0–9 _ - and at most 64 characters.
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_LINK_CODE_RE = re.compile(r"[?&]start=([A-Za-z0-9_-]{1,64})")

# Words accepted for each role, compared without case, spaces or diacritics.
ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.HEAD: ("head", "bithu", "bí thư", "chutich", "chủ tịch", "lanhdao", "lãnh đạo"),
    Role.STAFF: ("staff", "vanphong", "văn phòng", "vanthu", "văn thư"),
    Role.VIEWER: ("viewer", "xem", "theodoi", "theo dõi"),
}
_ROLE_BY_KEY: dict[str, Role] = {
    fold(word).replace(" ", ""): role for role, words in ROLE_WORDS.items() for word in words
}

# Unit kinds (as guessed from published names) and the words that name them.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "xa": ("xa", "xã"),
    "phuong": ("phuong", "phường"),
    "thi-tran": ("thitran", "thị trấn", "thi-tran"),
    "so": ("so", "sở"),
    "ban": ("ban",),
    "khac": ("khac", "khác"),
}
_KIND_BY_KEY: dict[str, str] = {
    fold(word).replace(" ", ""): kind for kind, words in KIND_WORDS.items() for word in words
}
_ALL_KINDS = {"all", "tatca"}


class RedeemStatus(StrEnum):
    """Outcome of trying an invitation code."""

    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    THROTTLED = "throttled"
    ALREADY_YOURS = "already_yours"  # the same person opened their own link again
    LAST_SECRETARIAT = "last_secretariat"  # joining a unit would leave nobody in the secretariat


@dataclass(frozen=True)
class CreatedInvite:
    """A new invitation; `code` exists only here, the database keeps its hash."""

    code: str
    invite_id: int
    unit_id: int
    unit_name: str
    unit_kind: str
    role: Role
    expires_at: dt.datetime

    def link(self, bot_username: str | None) -> str | None:
        """The t.me deep link, when the bot's username is known."""
        return deep_link(bot_username, self.code)


@dataclass(frozen=True)
class RedeemResult:
    """What happened to a code; unit and role are set when it was valid."""

    status: RedeemStatus
    unit_id: int | None = None
    unit_name: str | None = None
    role: Role | None = None
    retry_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    previous_unit_name: str | None = None
    previous_role: Role | None = None

    @property
    def ok(self) -> bool:
        """The person is now linked."""
        return self.status is RedeemStatus.OK


class InviteError(ValueError):
    """An invitation cannot be created as asked (unknown unit, role not invitable)."""


def deep_link(bot_username: str | None, code: str) -> str | None:
    """https://t.me/<bot>?start=<code>, or None without a username."""
    if not bot_username:
        return None
    return f"https://t.me/{bot_username.removeprefix('@')}?start={code}"


def hash_code(code: str) -> str:
    """SHA-256 hex digest of a code, the only form stored."""
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def new_code() -> str:
    """A random single-use code (128 bits) valid as a deep-link payload; never starting with
    "-", which a spreadsheet reads as a formula (the CSV export would have to mark it)."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if not code.startswith("-"):
            return code


def parse_role(text: str) -> Role | None:
    """'bí thư', 'bithu', 'head', 'văn thư', 'xem'… → the role, else None."""
    return _ROLE_BY_KEY.get(fold(text).replace(" ", ""))


def parse_kind(text: str) -> str | None:
    """'xã', 'xa', 'phường', 'sở'… → the unit kind; 'all'/'tất cả' → ''; else None."""
    key = fold(text).replace(" ", "")
    if key in _ALL_KINDS:
        return ""
    return _KIND_BY_KEY.get(key)


def split_unit_and_role(text: str) -> tuple[str, Role | None]:
    """'/moi Quang Lịch bí thư' arguments → ('Quang Lịch', HEAD); the role comes last."""
    words = text.split()
    for size in (2, 1):
        if len(words) >= size:
            role = parse_role(" ".join(words[-size:]))
            if role is not None:
                return " ".join(words[:-size]), role
    return " ".join(words), None


def split_kind_and_role(text: str) -> tuple[str | None, Role | None, list[str]]:
    """'/moi_hangloat xã bí thư' → ('xa', HEAD, []); words understood as neither come last."""
    words = text.split()
    kind: str | None = None
    role: Role | None = None
    unknown: list[str] = []
    i = 0
    while i < len(words):
        for size in (2, 1):
            chunk = " ".join(words[i : i + size])
            if len(words) - i < size:
                continue
            if role is None and (found := parse_role(chunk)) is not None:
                role = found
            elif kind is None and (found_kind := parse_kind(chunk)) is not None:
                kind = found_kind
            else:
                continue
            i += size
            break
        else:
            unknown.append(words[i])
            i += 1
    return kind or None, role, unknown


def extract_code(payload: str) -> str:
    """The code from '/start CODE', a pasted link 'https://t.me/bot?start=CODE' or 'CODE'."""
    payload = payload.strip()
    found = _LINK_CODE_RE.search(payload)
    if found:
        return found.group(1)
    return payload.split()[0] if payload else ""


# --- creating -----------------------------------------------------------------------------


def create_invite(
    *,
    session: Session,
    unit_id: int,
    role: Role,
    created_by: int | None,
    ttl: dt.timedelta,
    now: dt.datetime | None = None,
    source: str = "chat",
) -> CreatedInvite:
    """Create one invitation and its audit entry (the caller commits)."""
    if role not in INVITE_ROLES:
        raise InviteError(f"role {role.value} cannot be given by invitation")
    unit = session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise InviteError(f"no active unit {unit_id}")
    now = now or utcnow()
    code = new_code()
    invite = Invite(
        code_hash=hash_code(code),
        unit_id=unit_id,
        role=role.value,
        created_by=created_by,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    session.flush()
    assert invite.id is not None
    audit.record(
        session=session,
        actor=created_by,
        action="invite.create",
        subject=unit.name,
        invite_id=invite.id,
        unit_id=unit_id,
        role=role.value,
        expires_at=invite.expires_at.isoformat(),
        source=source,
    )
    return CreatedInvite(
        code=code,
        invite_id=invite.id,
        unit_id=unit_id,
        unit_name=unit.name,
        unit_kind=unit.kind,
        role=role,
        expires_at=invite.expires_at,
    )


def bulk_invites(
    *,
    session: Session,
    kind: str | None,
    role: Role,
    created_by: int | None,
    ttl: dt.timedelta,
    now: dt.datetime | None = None,
    source: str = "chat",
) -> list[CreatedInvite]:
    """One new invitation per active unit (of one kind, or all), in name order."""
    stmt = select(Unit.id).where(Unit.active == True)  # noqa: E712
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    ordered = stmt.order_by(binary_order(col(Unit.name)), col(Unit.id))
    unit_ids = [stored_id(u) for u in session.exec(ordered)]
    now = now or utcnow()
    return [
        create_invite(
            session=session,
            unit_id=unit_id,
            role=role,
            created_by=created_by,
            ttl=ttl,
            now=now,
            source=source,
        )
        for unit_id in unit_ids
    ]


# --- redeeming ----------------------------------------------------------------------------


def _retry_at(*, session: Session, telegram_id: int, now: dt.datetime) -> dt.datetime | None:
    """When this person may try again, if too many wrong codes were sent lately."""
    since = now - WRONG_CODE_WINDOW
    wrong = list(
        session.exec(
            select(RedeemAttempt.at)
            .where(
                RedeemAttempt.telegram_id == telegram_id,
                RedeemAttempt.ok == False,  # noqa: E712
                col(RedeemAttempt.at) > since,
            )
            .order_by(col(RedeemAttempt.at))
        )
    )
    if len(wrong) < MAX_WRONG_CODES:
        return None
    # Allowed again once fewer than MAX_WRONG_CODES remain inside the window.
    return wrong[len(wrong) - MAX_WRONG_CODES] + WRONG_CODE_WINDOW


def _attempt(session: Session, telegram_id: int, ok: bool, now: dt.datetime) -> None:
    """Remember one attempt (wrong ones count towards throttling)."""
    session.add(RedeemAttempt(telegram_id=telegram_id, ok=ok, at=now))


def redeem_invite(
    *,
    session: Session,
    code: str,
    telegram_id: int,
    display_name: str = "",
    admin_ids: frozenset[int] = frozenset(),
    now: dt.datetime | None = None,
) -> RedeemResult:
    """Use a code: link the person to its unit and role, or say exactly why not.

    Wrong codes are recorded; after MAX_WRONG_CODES within WRONG_CODE_WINDOW every attempt is
    refused (without looking at the code) until the oldest of them leaves the window.
    """
    now = now or utcnow()
    retry_at = _retry_at(session=session, telegram_id=telegram_id, now=now)
    if retry_at is not None:
        return RedeemResult(RedeemStatus.THROTTLED, retry_at=retry_at)
    invite = None
    if _CODE_RE.match(code):
        invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code))).first()
    if invite is None:
        _attempt(session, telegram_id, False, now)
        return RedeemResult(RedeemStatus.UNKNOWN)
    unit = session.get(Unit, invite.unit_id) if invite.unit_id is not None else None
    found = RedeemResult(
        RedeemStatus.UNKNOWN,
        unit_id=invite.unit_id,
        unit_name=unit.name if unit else None,
        role=Role(invite.role),
        expires_at=invite.expires_at,
    )
    refused = _unusable(session, invite, unit, telegram_id, now)
    if refused is not None:
        return _with(found, refused)
    assert unit is not None
    previous = active_official(session=session, telegram_id=telegram_id)
    if (
        previous is not None
        and previous.role == Role.SECRETARIAT.value
        and telegram_id not in admin_ids
        and secretariat_count(session=session, admin_ids=admin_ids) <= 1
    ):
        return _with(found, RedeemStatus.LAST_SECRETARIAT)
    return _use(session, invite, unit, previous, telegram_id, display_name, now)


def _unusable(
    session: Session, invite: Invite, unit: Unit | None, telegram_id: int, now: dt.datetime
) -> RedeemStatus | None:
    """Why a known code cannot be used now, or None; counts as a wrong attempt unless it is
    the person's own link opened again."""
    if invite.used_by is not None:
        current = active_official(session=session, telegram_id=telegram_id)
        if (
            invite.used_by == telegram_id
            and current is not None
            and current.unit_id == invite.unit_id
            and current.role == invite.role
        ):
            return RedeemStatus.ALREADY_YOURS
        status = RedeemStatus.USED
    elif invite.revoked_at is not None or unit is None or not unit.active:
        status = RedeemStatus.REVOKED
    elif invite.expires_at <= now:
        status = RedeemStatus.EXPIRED
    else:
        return None
    _attempt(session, telegram_id, False, now)
    return status


def _use(
    session: Session,
    invite: Invite,
    unit: Unit,
    previous: Official | None,
    telegram_id: int,
    display_name: str,
    now: dt.datetime,
) -> RedeemResult:
    """Link the person to the invitation's unit and role (ending `previous`); audited."""
    role = Role(invite.role)
    previous_unit = session.get(Unit, previous.unit_id) if previous and previous.unit_id else None
    previous_role = Role(previous.role) if previous else None
    link_official(
        session=session,
        telegram_id=telegram_id,
        unit_id=unit.id,
        role=role,
        display_name=display_name,
    )
    invite.used_by = telegram_id
    invite.used_at = now
    session.add(invite)
    _attempt(session, telegram_id, True, now)
    audit.record(
        session=session,
        actor=telegram_id,
        action="invite.use",
        subject=unit.name,
        invite_id=invite.id,
        unit_id=unit.id,
        role=role.value,
        previous_unit_id=previous.unit_id if previous else None,
        previous_role=previous.role if previous else None,
    )
    return RedeemResult(
        RedeemStatus.OK,
        unit_id=unit.id,
        unit_name=unit.name,
        role=role,
        previous_unit_name=previous_unit.name if previous_unit else None,
        previous_role=previous_role,
    )


def _with(result: RedeemResult, status: RedeemStatus) -> RedeemResult:
    """The same unit and role with another status."""
    return RedeemResult(
        status,
        unit_id=result.unit_id,
        unit_name=result.unit_name,
        role=result.role,
        expires_at=result.expires_at,
    )
