"""Invitations to a unit and role, the secretariat's membership, and leaving a unit."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import logging
import re
import secrets
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.config import Settings
from bot.core.db import binary_order
from bot.core.i18n import LazyString, _, fmt_datetime, fmt_number, lazy_gettext, ngettext
from bot.core.models import AppUser, Invite, Official, RedeemAttempt, Role, Unit, utcnow
from bot.core.people import end_role, link_official
from bot.core.text import fold

logger = logging.getLogger(__name__)

CODE_BYTES = 16  # 128 random bits → 22 URL-safe characters
MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = dt.timedelta(minutes=10)
INVITE_ROLES: tuple[Role, ...] = (Role.HEAD, Role.STAFF, Role.VIEWER)
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

KIND_LABELS: dict[str, LazyString] = {
    "xa": lazy_gettext("commune"),
    "phuong": lazy_gettext("ward"),
    "thi-tran": lazy_gettext("township"),
    "so": lazy_gettext("department"),
    "ban": lazy_gettext("party board"),
    "khac": lazy_gettext("other"),
}


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
    """A random single-use code (128 bits) valid as a deep-link payload."""
    return secrets.token_urlsafe(CODE_BYTES)


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
    unit_ids = list(session.exec(stmt.order_by(binary_order(col(Unit.name)), col(Unit.id))))
    now = now or utcnow()
    return [
        create_invite(
            session=session,
            unit_id=unit_id,  # type: ignore[arg-type]
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


def _active_official(session: Session, telegram_id: int) -> Official | None:
    """A person's current role row."""
    return session.exec(
        select(Official).where(Official.telegram_id == telegram_id, Official.active == True)  # noqa: E712
    ).first()


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
    role = Role(invite.role)
    found = RedeemResult(
        RedeemStatus.UNKNOWN,
        unit_id=invite.unit_id,
        unit_name=unit.name if unit else None,
        role=role,
        expires_at=invite.expires_at,
    )
    if invite.used_by is not None:
        current = _active_official(session, telegram_id)
        if (
            invite.used_by == telegram_id
            and current is not None
            and current.unit_id == invite.unit_id
            and current.role == invite.role
        ):
            return _with(found, RedeemStatus.ALREADY_YOURS)
        _attempt(session, telegram_id, False, now)
        return _with(found, RedeemStatus.USED)
    if invite.revoked_at is not None or unit is None or not unit.active:
        _attempt(session, telegram_id, False, now)
        return _with(found, RedeemStatus.REVOKED)
    if invite.expires_at <= now:
        _attempt(session, telegram_id, False, now)
        return _with(found, RedeemStatus.EXPIRED)
    previous = _active_official(session, telegram_id)
    if (
        previous is not None
        and previous.role == Role.SECRETARIAT.value
        and telegram_id not in admin_ids
        and secretariat_count(session=session, admin_ids=admin_ids) <= 1
    ):
        return _with(found, RedeemStatus.LAST_SECRETARIAT)
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


# --- the secretariat ----------------------------------------------------------------------


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

    @property
    def changed(self) -> bool:
        """Something was written."""
        return self.status in (MembershipStatus.GRANTED, MembershipStatus.REVOKED)


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
    row = _active_official(session, telegram_id)
    return row is not None and row.role == Role.SECRETARIAT.value


def _name_and_language(session: Session, telegram_id: int) -> tuple[str, str | None]:
    """Stored display name ('' if unknown) and language preference."""
    user = session.get(AppUser, telegram_id)
    return (user.display_name, user.language) if user else ("", None)


def grant_secretariat(
    *, session: Session, actor: int, telegram_id: int, admin_ids: frozenset[int]
) -> MembershipResult:
    """Add someone to the secretariat (ending any unit role they held), audited."""
    name, language = _name_and_language(session, telegram_id)
    if is_secretariat(session=session, telegram_id=telegram_id, admin_ids=admin_ids):
        return MembershipResult(MembershipStatus.ALREADY, telegram_id, name, language)
    previous = _active_official(session, telegram_id)
    ended_unit = session.get(Unit, previous.unit_id) if previous and previous.unit_id else None
    link_official(session=session, telegram_id=telegram_id, unit_id=None, role=Role.SECRETARIAT)
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
    )


def check_revoke(
    *, session: Session, telegram_id: int, admin_ids: frozenset[int]
) -> MembershipStatus | None:
    """Why the secretariat role cannot be taken from someone, or None if it can."""
    if telegram_id in admin_ids:
        return MembershipStatus.BOOTSTRAP
    row = _active_official(session, telegram_id)
    if row is None or row.role != Role.SECRETARIAT.value:
        return MembershipStatus.NOT_MEMBER
    if secretariat_count(session=session, admin_ids=admin_ids) <= 1:
        return MembershipStatus.LAST_ONE
    return None


def revoke_secretariat(
    *, session: Session, actor: int, telegram_id: int, admin_ids: frozenset[int]
) -> MembershipResult:
    """Take the secretariat role from someone (never a bootstrap admin or the last one)."""
    name, language = _name_and_language(session, telegram_id)
    refused = check_revoke(session=session, telegram_id=telegram_id, admin_ids=admin_ids)
    if refused is not None:
        return MembershipResult(refused, telegram_id, name, language)
    row = _active_official(session, telegram_id)
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
    return MembershipResult(MembershipStatus.REVOKED, telegram_id, name, language)


# --- leaving ------------------------------------------------------------------------------


class LeaveStatus(StrEnum):
    """Outcome of /roi."""

    LEFT = "left"
    NOT_LINKED = "not_linked"
    LAST_SECRETARIAT = "last_secretariat"


@dataclass(frozen=True)
class LeaveResult:
    """What /roi did; the unit and role that ended."""

    status: LeaveStatus
    unit_name: str | None = None
    role: Role | None = None


def check_leave(
    *, session: Session, telegram_id: int, admin_ids: frozenset[int]
) -> LeaveResult | None:
    """Why someone cannot leave (None: they can), without writing."""
    row = _active_official(session, telegram_id)
    if row is None:
        return LeaveResult(LeaveStatus.NOT_LINKED)
    if (
        row.role == Role.SECRETARIAT.value
        and telegram_id not in admin_ids
        and secretariat_count(session=session, admin_ids=admin_ids) <= 1
    ):
        return LeaveResult(LeaveStatus.LAST_SECRETARIAT, role=Role.SECRETARIAT)
    return None


def leave(*, session: Session, telegram_id: int, admin_ids: frozenset[int]) -> LeaveResult:
    """End the person's own role (audited as official.leave)."""
    refused = check_leave(session=session, telegram_id=telegram_id, admin_ids=admin_ids)
    if refused is not None:
        return refused
    row = _active_official(session, telegram_id)
    assert row is not None
    unit = session.get(Unit, row.unit_id) if row.unit_id else None
    end_role(
        session=session,
        official=row,
        actor=telegram_id,
        action="official.leave",
        subject=unit.name if unit else str(telegram_id),
        unit_id=row.unit_id,
        role=row.role,
    )
    return LeaveResult(LeaveStatus.LEFT, unit_name=unit.name if unit else None, role=Role(row.role))


# --- export (chat document and CLI) -------------------------------------------------------


def role_label(role: Role) -> str:
    """Translated role name."""
    labels = {
        Role.SECRETARIAT: _("secretariat"),
        Role.HEAD: _("head of unit"),
        Role.STAFF: _("office staff"),
        Role.VIEWER: _("viewer"),
    }
    return labels[role]


def kind_label(kind: str) -> str:
    """Translated unit kind."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def export_header() -> list[str]:
    """Column titles of the invitation list."""
    return [
        _("No."),
        _("Unit"),
        _("Kind"),
        _("Role"),
        _("Link"),
        _("Invitation code"),
        _("Expires"),
    ]


def export_rows(invites: list[CreatedInvite], bot_username: str | None) -> list[list[object]]:
    """One row per invitation, as the secretariat sends them on."""
    return [
        [
            n,
            inv.unit_name,
            kind_label(inv.unit_kind),
            role_label(inv.role),
            inv.link(bot_username) or "",
            inv.code,
            fmt_datetime(inv.expires_at),
        ]
        for n, inv in enumerate(invites, start=1)
    ]


def invites_xlsx(invites: list[CreatedInvite], bot_username: str | None) -> bytes:
    """The invitation list as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Invitations")[:31]
    ws.append(export_header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in export_rows(invites, bot_username):
        ws.append(row)
    for letter, width in zip("ABCDEFG", (6, 40, 12, 18, 60, 28, 18), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def invites_csv(invites: list[CreatedInvite], bot_username: str | None, *, bom: bool) -> str:
    """The invitation list as CSV text (with a BOM so Excel reads Vietnamese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(export_header())
    writer.writerows(export_rows(invites, bot_username))
    return ("\ufeff" if bom else "") + buf.getvalue()


# --- command line -------------------------------------------------------------------------


def _role_arg(text: str) -> Role:
    """argparse type for a role word."""
    role = parse_role(text)
    if role is None or role not in INVITE_ROLES:
        raise argparse.ArgumentTypeError(_("unknown role: {value}").format(value=text))
    return role


def _kind_arg(text: str) -> str:
    """argparse type for a unit kind ('' = all)."""
    kind = parse_kind(text)
    if kind is None:
        raise argparse.ArgumentTypeError(_("unknown unit kind: {value}").format(value=text))
    return kind


def add_cli(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`python -m bot invites`: one new invitation link per unit."""
    parser = subparsers.add_parser(
        "invites", help=_("create one invitation link per unit (CSV or XLSX)")
    )
    parser.add_argument(
        "--unit-kind",
        type=_kind_arg,
        default=None,
        help=_("xa, phuong, thi-tran, so, ban, khac or all (default: all active units)"),
    )
    parser.add_argument(
        "--role", type=_role_arg, default=Role.HEAD, help=_("head, staff or viewer (default head)")
    )
    parser.add_argument("--out", type=Path, help=_("links.csv or links.xlsx (default: stdout)"))
    parser.add_argument("--ttl-days", type=int, help=_("days the links stay valid"))
    parser.add_argument("--bot-username", help=_("the bot's @username, for the t.me links"))
    parser.set_defaults(run=run_cli)


def run_cli(settings: Settings, args: argparse.Namespace) -> int:
    """Create the invitations and write them where asked."""
    from bot.core.db import create_db_engine, init_db, session_scope

    ttl_days = args.ttl_days if args.ttl_days is not None else settings.invite_ttl_days
    out: Path | None = args.out
    suffix = out.suffix.lower() if out else ""
    if out is not None and suffix not in (".csv", ".xlsx"):
        print(_("The output file must end in .csv or .xlsx."), file=sys.stderr)
        return 2
    if not 1 <= ttl_days <= 90:
        print(_("--ttl-days must be between 1 and 90."), file=sys.stderr)
        return 2
    username = args.bot_username or settings.bot_username
    username = username.removeprefix("@") if username else None
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with session_scope(engine) as session:
            invites = bulk_invites(
                session=session,
                kind=args.unit_kind or None,
                role=args.role,
                created_by=None,
                ttl=dt.timedelta(days=ttl_days),
                source="cli",
            )
            if not invites:
                print(_("No active unit of that kind."), file=sys.stderr)
                return 1
            if out is None:
                sys.stdout.write(invites_csv(invites, username, bom=False))
            elif suffix == ".xlsx":
                out.write_bytes(invites_xlsx(invites, username))
            else:
                out.write_text(invites_csv(invites, username, bom=True), encoding="utf-8")
    finally:
        engine.dispose()
    if out is not None:
        print(
            ngettext(
                "{n} invitation written to {path}.",
                "{n} invitations written to {path}.",
                len(invites),
            ).format(n=fmt_number(len(invites)), path=out),
            file=sys.stderr,
        )
    if not username:
        print(
            _(
                "Without --bot-username (or BOT_USERNAME) only codes are listed: the person "
                "sends /start CODE to the bot."
            ),
            file=sys.stderr,
        )
    return 0
