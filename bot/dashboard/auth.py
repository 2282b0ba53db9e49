"""Who is calling the dashboard: Telegram's signed launch data, or a single-use login link.

Launch data (`initData`) is checked exactly as Telegram documents for Mini Apps:
secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token); the data-check string is every
received field except `hash`, as `key=value`, sorted by key, joined by "\\n"; the data is
genuine when hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) equals `hash` (compared in
constant time), and fresh while `auth_date` is at most the configured age.

Login links (for desktop browsers outside Telegram) work like invitation codes: a random
128-bit code whose SHA-256 alone is stored, valid once, for a few minutes; using it opens a
session whose token is stored hashed too. Creating links and trying codes are rate-limited;
both are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.models import DashboardLogin

logger = logging.getLogger(__name__)

MAX_INIT_DATA = 8192  # Telegram's launch data is well under 1 KB; refuse anything huge
CLOCK_SKEW = dt.timedelta(seconds=60)  # auth_date a little ahead of our clock is tolerated
LINK_TTL = dt.timedelta(minutes=10)
SESSION_TTL = dt.timedelta(hours=12)
MAX_LINKS = 5  # login links one person may create…
LINK_WINDOW = dt.timedelta(minutes=10)  # …within this window
MAX_FAILED_LOGINS = 10  # wrong codes from one address…
FAILED_WINDOW = dt.timedelta(minutes=10)  # …within this window, then refused until it slides
CODE_BYTES = 16


class AuthError(Exception):
    """Launch data or a session that does not prove who is calling (the reason is for logs)."""

    def __init__(self, reason: str) -> None:
        """Keep the reason code (missing, malformed, bad_hash, expired, future, no_user)."""
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LaunchUser:
    """The Telegram user who opened the Mini App, as the signed data says."""

    telegram_id: int
    language_code: str | None
    first_name: str
    auth_date: dt.datetime


def secret_key(bot_token: str) -> bytes:
    """HMAC_SHA256(key=b"WebAppData", msg=bot_token)."""
    return hmac.new(b"WebAppData", bot_token.encode("utf-8"), hashlib.sha256).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every field but `hash`, as key=value, sorted by key, joined by newlines."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def signature(fields: Mapping[str, str], bot_token: str) -> str:
    """The hex `hash` Telegram would send with these fields."""
    message = data_check_string(fields).encode("utf-8")
    return hmac.new(secret_key(bot_token), message, hashlib.sha256).hexdigest()


def sign_init_data(fields: Mapping[str, str], bot_token: str) -> str:
    """Launch data as Telegram builds it (the console demo and the benchmark use this)."""
    signed = {k: v for k, v in fields.items() if k != "hash"}
    signed["hash"] = signature(signed, bot_token)
    return urlencode(signed)


def _parse(raw: str) -> dict[str, str]:
    """Query-string fields; duplicates, bad encoding and oversize input are refused."""
    if not raw:
        raise AuthError("missing")
    if len(raw) > MAX_INIT_DATA:
        raise AuthError("malformed")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise AuthError("malformed") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise AuthError("malformed")
        fields[key] = value
    return fields


def validate_init_data(
    raw: str, *, bot_token: str, max_age: dt.timedelta, now: dt.datetime
) -> LaunchUser:
    """The user of genuine, fresh launch data; AuthError otherwise."""
    fields = _parse(raw)
    given = fields.get("hash", "")
    if len(given) != 64 or not given.isascii():
        raise AuthError("bad_hash")
    expected = signature(fields, bot_token)
    if not hmac.compare_digest(expected.encode("ascii"), given.lower().encode("ascii")):
        raise AuthError("bad_hash")
    try:
        auth_date = dt.datetime.fromtimestamp(int(fields["auth_date"]), dt.UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        raise AuthError("malformed") from None
    if auth_date > now + CLOCK_SKEW:
        raise AuthError("future")
    if now - auth_date > max_age:
        raise AuthError("expired")
    try:
        user = json.loads(fields["user"])
        telegram_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise AuthError("no_user") from None
    if isinstance(user.get("id"), bool) or telegram_id <= 0:
        raise AuthError("no_user")
    language = user.get("language_code")
    first_name = user.get("first_name")
    return LaunchUser(
        telegram_id=telegram_id,
        language_code=language if isinstance(language, str) else None,
        first_name=first_name if isinstance(first_name, str) else "",
        auth_date=auth_date,
    )


# --- login links -----------------------------------------------------------------------------


def _hash(secret: str) -> str:
    """SHA-256 hex of a code or session token, the only form stored."""
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


class TooManyLinks(Exception):
    """A person asked for too many login links lately."""

    def __init__(self, retry_at: dt.datetime) -> None:
        """Keep when a new link may be asked for."""
        super().__init__(retry_at.isoformat())
        self.retry_at = retry_at


def create_login_link(*, session: Session, telegram_id: int, now: dt.datetime) -> str:
    """A new single-use code for this person (audited); TooManyLinks when asked too often."""
    recent = list(
        session.exec(
            select(DashboardLogin.created_at)
            .where(
                DashboardLogin.telegram_id == telegram_id,
                col(DashboardLogin.created_at) > now - LINK_WINDOW,
            )
            .order_by(col(DashboardLogin.created_at))
        )
    )
    if len(recent) >= MAX_LINKS:
        raise TooManyLinks(recent[len(recent) - MAX_LINKS] + LINK_WINDOW)
    code = secrets.token_urlsafe(CODE_BYTES)
    row = DashboardLogin(
        code_hash=_hash(code), telegram_id=telegram_id, created_at=now, expires_at=now + LINK_TTL
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=telegram_id,
        action="dashboard.link",
        subject=str(telegram_id),
        link_id=row.id,
        expires_at=row.expires_at.isoformat(),
    )
    return code


@dataclass(frozen=True)
class Login:
    """A login link that was just used: the session token (shown once) and its person."""

    token: str
    telegram_id: int
    expires_at: dt.datetime


def redeem_login(*, session: Session, code: str, now: dt.datetime, address: str) -> Login | None:
    """Use a code once: a session for its person, or None (unknown, used or expired)."""
    if not code or len(code) > 64 or not code.isascii():
        return None
    token = secrets.token_urlsafe(32)
    expires = now + SESSION_TTL
    result = session.exec(
        update(DashboardLogin)
        .where(
            col(DashboardLogin.code_hash) == _hash(code),
            col(DashboardLogin.used_at).is_(None),
            col(DashboardLogin.expires_at) > now,
        )
        .values(used_at=now, session_hash=_hash(token), session_expires_at=expires)
    )
    if result.rowcount != 1:
        return None
    row = session.exec(select(DashboardLogin).where(DashboardLogin.code_hash == _hash(code))).one()
    audit.record(
        session=session,
        actor=row.telegram_id,
        action="dashboard.login",
        subject=str(row.telegram_id),
        link_id=row.id,
        address=address[:64],
    )
    return Login(token=token, telegram_id=row.telegram_id, expires_at=expires)


def session_user(*, session: Session, token: str, now: dt.datetime) -> int | None:
    """The person of a live session token, or None."""
    if not token or len(token) > 128 or not token.isascii():
        return None
    row = session.exec(
        select(DashboardLogin.telegram_id).where(
            DashboardLogin.session_hash == _hash(token),
            col(DashboardLogin.session_expires_at) > now,
        )
    ).first()
    return int(row) if row is not None else None


class WindowCounter:
    """Events per key in a sliding window (per process): wrong login codes per address,
    files sent per person."""

    def __init__(self, limit: int = MAX_FAILED_LOGINS, window: dt.timedelta = FAILED_WINDOW):
        """Nothing counted yet."""
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[dt.datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: dt.datetime) -> deque[dt.datetime]:
        """The key's events still inside the window."""
        found = self._failures.setdefault(address, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def blocked(self, address: str, now: dt.datetime) -> bool:
        """Whether this key reached the limit inside the window."""
        with self._lock:
            blocked = len(self._recent(address, now)) >= self.limit
            if not self._failures.get(address):
                self._failures.pop(address, None)
            return blocked

    def add(self, address: str, now: dt.datetime) -> None:
        """Count one event."""
        with self._lock:
            self._recent(address, now).append(now)
            if len(self._failures) > 10_000:  # bounded memory: forget the oldest keys
                for key in list(self._failures)[:1000]:
                    self._failures.pop(key, None)
