"""Mini App launch data is checked exactly as Telegram documents it; login links work once.

The expected signatures are computed here from the documented algorithm with hmac/hashlib
only, never with the code under test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.core.config import Settings
from bot.core.db import create_db_engine, session_scope
from bot.core.models import AuditLog, DashboardLogin
from bot.dashboard import auth

TOKEN = "123456:TEST-TOKEN"
NOW = dt.datetime(2026, 6, 22, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def telegram_sign(fields: dict[str, str], token: str = TOKEN) -> str:
    """Telegram's documented algorithm, written out independently."""
    secret = hmac.new(key=b"WebAppData", msg=token.encode(), digestmod=hashlib.sha256).digest()
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    return hmac.new(key=secret, msg=check.encode(), digestmod=hashlib.sha256).hexdigest()


def launch(fields: dict[str, str], token: str = TOKEN) -> str:
    """URL-encoded launch data with its hash."""
    return urlencode({**fields, "hash": telegram_sign(fields, token)})


def user_fields(user_id: int = 42, when: dt.datetime = NOW, **extra: str) -> dict[str, str]:
    """Typical fields of a launch from the menu button."""
    user = {"id": user_id, "first_name": "Lan", "last_name": "Nguyễn", "language_code": "vi"}
    return {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(when.timestamp())),
        **extra,
    }


def check(raw: str, token: str = TOKEN, now: dt.datetime = NOW) -> auth.LaunchUser:
    """Validate with a one-hour maximum age."""
    return auth.validate_init_data(raw, bot_token=token, max_age=HOUR, now=now)


def test_a_known_vector_matches_the_documented_algorithm() -> None:
    """A fixed launch string: our hash equals the one computed by hand here."""
    fields = {
        "auth_date": "1782118800",
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": '{"id":279058397,"first_name":"Vladislav","language_code":"ru"}',
    }
    expected_check = (
        "auth_date=1782118800\nquery_id=AAHdF6IQAAAAAN0XohDhrOrc\n"
        'user={"id":279058397,"first_name":"Vladislav","language_code":"ru"}'
    )
    assert auth.data_check_string(fields) == expected_check
    secret = hmac.new(b"WebAppData", b"123456:TEST-TOKEN", hashlib.sha256).digest()
    assert auth.secret_key(TOKEN) == secret
    assert auth.signature(fields, TOKEN) == telegram_sign(fields)
    user = check(launch(fields), now=dt.datetime.fromtimestamp(1782118800 + 60, dt.UTC))
    assert (user.telegram_id, user.language_code, user.first_name) == (279058397, "ru", "Vladislav")


def test_every_received_field_is_signed_including_unknown_ones() -> None:
    """Fields Telegram adds later (signature, chat_instance…) are part of the check string."""
    fields = user_fields(chat_instance="-8170", chat_type="private", signature="abc_-XYZ")
    assert check(launch(fields)).telegram_id == 42
    raw = launch(fields).replace("chat_type=private", "chat_type=group")
    with pytest.raises(auth.AuthError) as exc:
        check(raw)
    assert exc.value.reason == "bad_hash"


def test_a_signature_from_another_bot_is_refused() -> None:
    """Data signed with another bot's token does not pass."""
    with pytest.raises(auth.AuthError, match="bad_hash"):
        check(launch(user_fields(), token="654321:ANOTHER-BOT"))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "missing"),
        ("hash=" + "0" * 64, "bad_hash"),
        ("user=x&user=y&hash=" + "0" * 64, "malformed"),
        ("a" * 9000, "malformed"),
        ("no-equals-sign", "malformed"),
    ],
)
def test_garbage_is_refused(raw: str, reason: str) -> None:
    """Empty, unsigned, duplicated, oversized or unparsable data."""
    with pytest.raises(auth.AuthError) as exc:
        check(raw)
    assert exc.value.reason == reason


def test_age_is_checked_against_the_setting() -> None:
    """Exactly at the limit passes; a second older fails; far in the future fails."""
    at_limit = launch(user_fields(when=NOW - HOUR))
    assert check(at_limit).telegram_id == 42
    with pytest.raises(auth.AuthError, match="expired"):
        check(launch(user_fields(when=NOW - HOUR - dt.timedelta(seconds=1))))
    with pytest.raises(auth.AuthError, match="future"):
        check(launch(user_fields(when=NOW + dt.timedelta(minutes=10))))


def test_a_genuine_launch_without_a_user_is_refused() -> None:
    """Signed data must name the user it is for."""
    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "x"}
    with pytest.raises(auth.AuthError, match="no_user"):
        check(launch(fields))
    fields["user"] = json.dumps({"id": True})
    with pytest.raises(auth.AuthError, match="no_user"):
        check(launch(fields))


def test_the_hash_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison goes through hmac.compare_digest."""
    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    check(launch(user_fields()))
    assert len(seen) == 1


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(
    extra=st.dictionaries(
        st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(
            lambda k: k not in ("hash", "user", "auth_date")
        ),
        texts,
        max_size=5,
    ),
    name=texts,
)
def test_any_signed_fields_pass_and_any_change_fails(extra: dict[str, str], name: str) -> None:
    """Whatever the fields and values (Vietnamese, '&', '=', newlines), genuine data passes and
    a change to any one value fails."""
    fields = user_fields(**extra)
    fields["user"] = json.dumps({"id": 7, "first_name": name}, ensure_ascii=False)
    raw = launch(fields)
    assert check(raw).first_name == name
    for key in fields:
        changed = dict(fields, **{key: fields[key] + "1"})
        forged = urlencode({**changed, "hash": telegram_sign(fields)})
        with pytest.raises(auth.AuthError):
            check(forged)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_input_never_crashes(raw: str) -> None:
    """Any string is refused with AuthError, nothing else."""
    with pytest.raises(auth.AuthError):
        check(quote(raw, safe="=&"))


# --- login links -----------------------------------------------------------------------------


def test_a_login_link_works_once_within_its_time_and_is_audited(settings: Settings) -> None:
    """The code is stored hashed; the first use opens a session, a second use fails."""
    engine = create_db_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            code = auth.create_login_link(session=session, telegram_id=1, now=NOW)
        with Session(engine) as session:
            row = session.exec(select(DashboardLogin)).one()
            assert row.code_hash == hashlib.sha256(code.encode()).hexdigest()
            assert code not in json.dumps(row.model_dump(mode="json"))
        with session_scope(engine) as session:
            login = auth.redeem_login(session=session, code=code, now=NOW, address="127.0.0.1")
        assert login is not None and login.telegram_id == 1
        with session_scope(engine) as session:
            again = auth.redeem_login(session=session, code=code, now=NOW, address="127.0.0.1")
            assert again is None
            assert auth.session_user(session=session, token=login.token, now=NOW) == 1
            later = NOW + auth.SESSION_TTL + dt.timedelta(seconds=1)
            assert auth.session_user(session=session, token=login.token, now=later) is None
            assert auth.session_user(session=session, token="forged", now=NOW) is None
        with session_scope(engine) as session:
            late = auth.create_login_link(session=session, telegram_id=1, now=NOW)
            after = NOW + auth.LINK_TTL + dt.timedelta(seconds=1)
            assert auth.redeem_login(session=session, code=late, now=after, address="x") is None
        with Session(engine) as session:
            actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
            details = json.dumps([a.details for a in session.exec(select(AuditLog))])
        assert actions == ["dashboard.link", "dashboard.login", "dashboard.link"]
        assert code not in details and login.token not in details
    finally:
        engine.dispose()


def test_login_links_are_rate_limited_per_person(settings: Settings) -> None:
    """Five links in ten minutes, then refused until the oldest leaves the window."""
    engine = create_db_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            for n in range(auth.MAX_LINKS):
                auth.create_login_link(
                    session=session, telegram_id=1, now=NOW + dt.timedelta(seconds=n)
                )
            with pytest.raises(auth.TooManyLinks) as exc:
                auth.create_login_link(session=session, telegram_id=1, now=NOW + HOUR / 60)
            assert exc.value.retry_at == NOW + auth.LINK_WINDOW
            auth.create_login_link(session=session, telegram_id=2, now=NOW)  # someone else
            auth.create_login_link(
                session=session, telegram_id=1, now=NOW + auth.LINK_WINDOW + dt.timedelta(1)
            )
    finally:
        engine.dispose()


def test_wrong_codes_are_counted_per_address() -> None:
    """After ten wrong codes an address waits for the window to slide."""
    counter = auth.WindowCounter()
    for n in range(auth.MAX_FAILED_LOGINS):
        assert not counter.blocked("10.0.0.1", NOW)
        counter.add("10.0.0.1", NOW + dt.timedelta(seconds=n))
    assert counter.blocked("10.0.0.1", NOW + dt.timedelta(minutes=1))
    assert not counter.blocked("10.0.0.2", NOW)
    assert not counter.blocked("10.0.0.1", NOW + auth.FAILED_WINDOW + dt.timedelta(seconds=10))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3000), st.integers(0, 3000)).map(lambda t: (min(t), max(t))),
        min_size=1,
        max_size=60,
    )
)
def test_ranking_keys_are_exact(pairs: list[tuple[int, int]]) -> None:
    """The dashboard's tables rank by a fast key: the same ranks as exact fractions."""
    from fractions import Fraction

    from bot.core.stats import _rank

    rows = [(n, f"u{n}", num, den) for n, (num, den) in enumerate(pairs)]
    standings, ranked = _rank(rows)
    rated = [r for r in rows if r[3] > 0]
    assert ranked == len(rated)
    for unit_id, _name, num, den in rated:
        better = sum(1 for r in rated if Fraction(r[2], r[3]) > Fraction(num, den))
        assert standings[unit_id].rank == better + 1
