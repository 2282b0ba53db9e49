"""Invitations: creating (guided and direct), redeeming, throttling, bulk files, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.cli import build_parser
from bot.console import demo_table
from bot.core.config import Settings
from bot.core.i18n import fmt_datetime, use_language
from bot.core.lookup import find_units
from bot.core.models import AppUser, AuditLog, Invite, Official, RedeemAttempt, Role, Unit
from bot.invites.cli import run_cli
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness, database_url, make_settings

NEWCOMER = 5555
OFFICIAL = 5001
CODE_RE = re.compile(r"start=([A-Za-z0-9_-]+)")


def code_in(text: str) -> str:
    """The invitation code of a t.me deep link in a bot message."""
    found = CODE_RE.search(text)
    assert found, text
    return found.group(1)


def unit_id(h: Harness, name: str) -> int:
    """Id of the one unit matching a name."""
    with Session(h.engine) as session:
        unit = find_units(session=session, query=name).unique
        assert unit is not None
        return unit.id


def audit_actions(h: Harness) -> list[str]:
    """Every audit action code, oldest first."""
    with Session(h.engine) as session:
        return [a.action for a in session.exec(select(AuditLog).order_by(col(AuditLog.id)))]


def active_roles(h: Harness, telegram_id: int) -> list[tuple[int | None, str]]:
    """(unit id, role) of a person's active role rows."""
    with Session(h.engine) as session:
        rows = session.exec(
            select(Official).where(Official.telegram_id == telegram_id, Official.active == True)  # noqa: E712
        )
        return [(r.unit_id, r.role) for r in rows]


async def invite(h: Harness, line: str) -> str:
    """Run a complete /moi line as the admin; return the code."""
    (text,) = await h.send(ADMIN_ID, line)
    return code_in(text)


async def test_invite_with_arguments_gives_a_link_whose_code_is_not_stored(
    loaded: Harness,
) -> None:
    """/moi Quang Lịch bí thư: link with the bot username, code, unit, role, expiry; hash only."""
    (text,) = await loaded.send(ADMIN_ID, "/moi Quang Lịch bí thư")
    assert "https://t.me/kyso_demo_bot?start=" in text
    code = code_in(text)
    assert len(code) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code)
    assert f"<code>{code}</code>" in text
    assert "Đảng ủy xã Quang Lịch" in text and "người đứng đầu" in text
    with Session(loaded.engine) as session:
        (row,) = session.exec(select(Invite)).all()
        audit = session.exec(select(AuditLog).where(AuditLog.action == "invite.create")).one()
    assert row.code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert code not in repr(row.model_dump())
    assert code not in repr(audit.details) and audit.actor_telegram_id == ADMIN_ID
    assert row.role == "head" and row.used_by is None
    assert row.expires_at - row.created_at == dt.timedelta(days=7)
    with use_language("vi"):
        assert f"Hiệu lực đến {fmt_datetime(row.expires_at)}" in text


@pytest.mark.parametrize(
    ("words", "role"),
    [
        ("bithu", "head"),
        ("chủ tịch", "head"),
        ("van thu", "staff"),
        ("staff", "staff"),
        ("xem", "viewer"),
    ],
)
async def test_role_words_in_vietnamese_and_english(loaded: Harness, words: str, role: str) -> None:
    """Role words are accepted with or without diacritics, in Vietnamese or English."""
    await invite(loaded, f"/moi Nam Tiền Hải {words}")
    with Session(loaded.engine) as session:
        assert session.exec(select(Invite.role)).one() == role


async def test_guided_invitation_with_keyboards(loaded: Harness) -> None:
    """/moi alone asks for the unit; typed text offers units; buttons choose unit then role."""
    (ask,) = await loaded.send(ADMIN_ID, "/moi")
    assert "Gõ một phần tên" in ask
    (choose,) = await loaded.send(ADMIN_ID, "tiền")
    assert "Chọn một đơn vị" in choose
    units = dict(loaded.last_keyboard())
    assert units["Đảng ủy xã Nam Tiền Hải"] == f"inv:{unit_id(loaded, 'Nam Tiền Hải')}:*"
    (ask_role,) = await loaded.press(ADMIN_ID, units["Đảng ủy xã Nam Tiền Hải"])
    assert "Vai trò nào" in ask_role and "Nam Tiền Hải" in ask_role
    roles = loaded.last_keyboard()
    assert [data.rsplit(":", 1)[1] for _label, data in roles] == ["head", "staff", "viewer", "x"]
    (done,) = await loaded.press(ADMIN_ID, roles[1][1])
    code_in(done)
    assert "cán bộ văn phòng" in done
    with Session(loaded.engine) as session:
        row = session.exec(select(Invite)).one()
    assert (row.unit_id, row.role) == (unit_id(loaded, "Nam Tiền Hải"), "staff")


async def test_guided_invitation_role_first_and_misspelled_unit(loaded: Harness) -> None:
    """'/moi xem' then a misspelt unit: 'Có phải…' buttons that already carry the role."""
    await loaded.send(ADMIN_ID, "/moi xem")
    (text,) = await loaded.send(ADMIN_ID, "Quamg Lịch")
    assert "Có phải" in text
    data = dict(loaded.last_keyboard())["Đảng ủy xã Quang Lịch"]
    assert data.endswith(":viewer")
    (done,) = await loaded.press(ADMIN_ID, data)
    assert "người xem" in done and code_in(done)


async def test_guided_invitation_unknown_unit_asks_again_and_cancel(loaded: Harness) -> None:
    """A name matching nothing asks again; Cancel ends the question without writing."""
    await loaded.send(ADMIN_ID, "/moi")
    (text,) = await loaded.send(ADMIN_ID, "Sao Hỏa")
    assert "Không tìm thấy đơn vị nào" in text
    (cancelled,) = await loaded.press(ADMIN_ID, "inv:x")
    assert "Đã hủy" in cancelled
    (after,) = await loaded.send(ADMIN_ID, "Quang Lịch")
    assert "Đảng ủy xã Quang Lịch" not in after  # no longer taken as the unit name
    with Session(loaded.engine) as session:
        assert session.exec(select(Invite)).all() == []


async def test_redeem_links_the_user_and_the_rate_answers_for_their_unit(
    loaded: Harness,
) -> None:
    """/start <code>: linked as head of Quang Lịch, greeted by role; /tyle answers for it."""
    code = await invite(loaded, "/moi Quang Lịch head")
    (welcome,) = await loaded.send(NEWCOMER, f"/start {code}", first_name="Lan")
    assert "Lan" in welcome and "Đảng ủy xã Quang Lịch" in welcome
    assert "người đứng đầu" in welcome and "chịu trách nhiệm" in welcome
    (rate,) = await loaded.send(NEWCOMER, "/tyle")
    assert "Đảng ủy xã Quang Lịch" in rate and "<b>80%</b>" in rate
    assert active_roles(loaded, NEWCOMER) == [(unit_id(loaded, "Quang Lịch"), "head")]
    with Session(loaded.engine) as session:
        row = session.exec(select(Invite)).one()
        user = session.get(AppUser, NEWCOMER)
        use = session.exec(select(AuditLog).where(AuditLog.action == "invite.use")).one()
        attempts = session.exec(select(RedeemAttempt)).all()
    assert row.used_by == NEWCOMER and row.used_at is not None
    assert user is not None and user.display_name == "Lan"
    assert use.actor_telegram_id == NEWCOMER and code not in repr(use.details)
    assert [a.ok for a in attempts] == [True]


async def test_role_specific_greetings_in_english(loaded: Harness) -> None:
    """Staff are told they sign and get reminders; viewers that they read the rate."""
    staff = await invite(loaded, "/moi Quang Lịch vanthu")
    viewer = await invite(loaded, "/moi Quang Lịch xem")
    (text,) = await loaded.send(6001, f"/start {staff}", language_code="en")
    assert "You do the digital signing" in text and "remind" in text
    (text,) = await loaded.send(6002, f"/start {viewer}", language_code="en")
    assert "read your unit's signing rate" in text and "not send you reminders" in text


async def test_pasted_link_is_accepted(loaded: Harness) -> None:
    """'/start https://t.me/…?start=CODE' typed by hand works like the deep link."""
    code = await invite(loaded, "/moi Quang Lịch head")
    (text,) = await loaded.send(NEWCOMER, f"/start https://t.me/kyso_demo_bot?start={code}")
    assert "Chào mừng" in text


async def test_reused_expired_revoked_and_unknown_codes(loaded: Harness) -> None:
    """Each failure has its own message and links nobody."""
    used = await invite(loaded, "/moi Quang Lịch head")
    await loaded.send(NEWCOMER, f"/start {used}")
    (again,) = await loaded.send(NEWCOMER, f"/start {used}")
    assert "đã tham gia" in again  # the same person re-opening their link
    (reused,) = await loaded.send(7001, f"/start {used}")
    assert "đã được sử dụng" in reused

    expired = await invite(loaded, "/moi Nam Tiền Hải head")
    past = dt.datetime(2026, 1, 2, 3, 0, tzinfo=dt.UTC)
    with Session(loaded.engine) as session:
        session.exec(  # type: ignore[call-overload]
            update(Invite)
            .where(Invite.code_hash == hashlib.sha256(expired.encode()).hexdigest())
            .values(expires_at=past)
        )
        session.commit()
    (text,) = await loaded.send(7002, f"/start {expired}")
    assert "đã hết hạn" in text and "10:00 02/01/2026" in text

    revoked = await invite(loaded, "/moi Nam Tiền Hải staff")
    with Session(loaded.engine) as session:
        session.exec(  # type: ignore[call-overload]
            update(Invite)
            .where(Invite.code_hash == hashlib.sha256(revoked.encode()).hexdigest())
            .values(revoked_at=past)
        )
        session.commit()
    (text,) = await loaded.send(7003, f"/start {revoked}")
    assert "đã bị Văn phòng thu hồi" in text

    (text,) = await loaded.send(7004, "/start AAAAAAAAAAAAAAAAAAAAAA")
    assert "không hợp lệ" in text
    (text,) = await loaded.send(7004, "/start bad/code!")
    assert "không hợp lệ" in text
    for person in (7001, 7002, 7003, 7004):
        assert active_roles(loaded, person) == []


async def test_throttled_after_five_wrong_codes_and_told_when_to_retry(loaded: Harness) -> None:
    """A sixth try within 10 minutes is refused even with a good code, naming the time."""
    good = await invite(loaded, "/moi Quang Lịch head")
    for n in range(5):
        (text,) = await loaded.send(NEWCOMER, f"/start wrongcode{n}")
        assert "không hợp lệ" in text
    (text,) = await loaded.send(NEWCOMER, f"/start {good}")
    with Session(loaded.engine) as session:
        wrong = session.exec(select(RedeemAttempt).order_by(col(RedeemAttempt.at))).all()
    assert [a.ok for a in wrong] == [False] * 5  # the refused try is not checked or counted
    with use_language("vi"):
        retry = fmt_datetime(wrong[0].at + dt.timedelta(minutes=10))
    assert "Nhập sai mã mời quá nhiều lần" in text and retry in text
    assert active_roles(loaded, NEWCOMER) == []
    # Ten minutes later the good code works.
    with Session(loaded.engine) as session:
        for a in session.exec(select(RedeemAttempt)):
            a.at = a.at - dt.timedelta(minutes=11)
            session.add(a)
        session.commit()
    (text,) = await loaded.send(NEWCOMER, f"/start {good}")
    assert "Chào mừng" in text
    # Another user is not affected by someone else's mistakes.
    other = await invite(loaded, "/moi Nam Tiền Hải head")
    (text,) = await loaded.send(7777, f"/start {other}")
    assert "Chào mừng" in text


async def test_successful_redemptions_do_not_count_as_wrong(loaded: Harness) -> None:
    """Four wrong codes, a good one, then a wrong one: not throttled yet."""
    for n in range(4):
        await loaded.send(NEWCOMER, f"/start nope{n}")
    code = await invite(loaded, "/moi Quang Lịch head")
    (text,) = await loaded.send(NEWCOMER, f"/start {code}")
    assert "Chào mừng" in text
    (text,) = await loaded.send(NEWCOMER, "/start nope5")
    assert "không hợp lệ" in text


async def test_second_invitation_moves_the_person_and_ends_the_first_role(
    loaded: Harness,
) -> None:
    """One role in one unit at a time: a new invitation ends the old role."""
    first = await invite(loaded, "/moi Quang Lịch head")
    second = await invite(loaded, "/moi Nam Tiền Hải xem")
    await loaded.send(NEWCOMER, f"/start {first}")
    (text,) = await loaded.send(NEWCOMER, f"/start {second}")
    assert "Nam Tiền Hải" in text and "đã kết thúc" in text and "Quang Lịch" in text
    assert active_roles(loaded, NEWCOMER) == [(unit_id(loaded, "Nam Tiền Hải"), "viewer")]
    with Session(loaded.engine) as session:
        old = session.exec(
            select(Official).where(Official.telegram_id == NEWCOMER, Official.active == False)  # noqa: E712
        ).one()
    assert old.unit_id == unit_id(loaded, "Quang Lịch") and old.ended_at is not None
    (rate,) = await loaded.send(NEWCOMER, "/tyle")
    assert "Nam Tiền Hải" in rate and "82,5%" in rate


@pytest.mark.parametrize(
    "line",
    [
        "/moi Quang Lịch head",
        "/moi",
        "/invite Quang Lịch head",
        "/moi_hangloat",
        "/moi_hangloat xa",
        "/quantri",
        "/quantri_them 4242",
        "/quantri_bo 1",
        "/admin_add 4242",
    ],
)
@pytest.mark.parametrize("who", [OFFICIAL, 4242])
async def test_non_secretariat_cannot_invite_or_manage_the_secretariat(
    loaded: Harness, line: str, who: int
) -> None:
    """Officials and strangers are refused by the middleware and nothing is written."""
    if who == OFFICIAL:
        loaded.link(OFFICIAL, "Quang Lịch")
    with Session(loaded.engine) as session:
        before = len(session.exec(select(AuditLog)).all())
    (text,) = await loaded.send(who, line)
    assert text == "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    assert not loaded.request.sent("sendDocument")
    with Session(loaded.engine) as session:
        assert session.exec(select(Invite)).all() == []
        assert len(session.exec(select(AuditLog)).all()) == before
        assert session.exec(select(Official).where(Official.role == "secretariat")).all() == []


async def test_forged_invite_button_is_refused(loaded: Harness) -> None:
    """Pressing an invitation button without being in the secretariat creates nothing."""
    loaded.link(OFFICIAL, "Quang Lịch")
    data = f"inv:{unit_id(loaded, 'Quang Lịch')}:head"
    assert await loaded.press(OFFICIAL, data) == []
    (alert,) = loaded.request.sent("answerCallbackQuery")
    assert alert.params["text"] == "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    with Session(loaded.engine) as session:
        assert session.exec(select(Invite)).all() == []


async def test_invitations_are_not_shown_in_groups(loaded: Harness) -> None:
    """/moi in a group is declined: codes are for private chats."""
    (text,) = await loaded.send(
        ADMIN_ID, "/moi Quang Lịch head", chat_id=-100123, chat_type="supergroup"
    )
    assert "trò chuyện riêng" in text and "start=" not in text
    with Session(loaded.engine) as session:
        assert session.exec(select(Invite)).all() == []


def read_xlsx(data: bytes) -> list[list[object]]:
    """All rows of the first sheet."""
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    return [list(r) for r in ws.iter_rows(values_only=True)]


async def test_bulk_xlsx_has_one_working_link_per_unit(loaded: Harness) -> None:
    """/moi_hangloat xa bithu: an Excel file, one row per active commune, codes that work."""
    assert await loaded.send(ADMIN_ID, "/moi_hangloat xa bithu") == []  # only the file
    (doc,) = loaded.request.sent("sendDocument")
    name, data = doc.uploads["document"]
    assert name.endswith(".xlsx")
    rows = read_xlsx(data)
    assert rows[0] == ["STT", "Đơn vị", "Loại", "Vai trò", "Đường link", "Mã mời", "Hết hạn"]
    with Session(loaded.engine) as session:
        communes = session.exec(
            select(Unit.name).where(Unit.kind == "xa", Unit.active == True)  # noqa: E712
        ).all()
        assert len(session.exec(select(Invite)).all()) == len(communes)
        creates = session.exec(select(AuditLog).where(AuditLog.action == "invite.create")).all()
    assert len(creates) == len(communes)
    body = rows[1:]
    assert sorted(r[1] for r in body) == sorted(communes)  # type: ignore[type-var]
    assert [r[0] for r in body] == list(range(1, len(communes) + 1))
    assert len({r[5] for r in body}) == len(body)
    assert all(r[4] == f"https://t.me/kyso_demo_bot?start={r[5]}" for r in body)
    assert "bí thư" in str(body[0][3]) and body[0][2] == "xã"
    assert f"{len(communes)} đường link" in str(doc.params["caption"])
    row = next(r for r in body if r[1] == "Đảng ủy xã Quang Lịch")
    (welcome,) = await loaded.send(NEWCOMER, f"/start {row[5]}")
    assert "Đảng ủy xã Quang Lịch" in welcome
    assert active_roles(loaded, NEWCOMER) == [(unit_id(loaded, "Quang Lịch"), "head")]


async def test_bulk_defaults_to_all_units_and_explains_bad_words(loaded: Harness) -> None:
    """No arguments: every active unit, role head; unknown words get the usage."""
    await loaded.send(ADMIN_ID, "/moi_hangloat")
    (doc,) = loaded.request.sent("sendDocument")
    rows = read_xlsx(doc.uploads["document"][1])
    assert len(rows) == 1 + 104
    (text,) = await loaded.send(ADMIN_ID, "/moi_hangloat sao hoa")
    assert "sao hoa" in text and "/moi_hangloat xa bithu" in text
    assert len(loaded.request.sent("sendDocument")) == 1


def cli_args(settings: Settings, *argv: str) -> object:
    """Parse `python -m bot …` arguments."""
    return build_parser(settings).parse_args(list(argv))


async def test_cli_writes_csv_with_bom_and_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`invites --unit-kind xa --role head --out links.csv` writes working links for Excel."""
    from bot.app import build_application
    from bot.offline import OfflineRequest

    settings = make_settings(tmp_path)
    request = OfflineRequest()
    app = build_application(settings, request=request)
    h = Harness(app, request)
    h.import_table(demo_table(), SHARED_NAME)
    out = tmp_path / "links.csv"
    with use_language("vi"):
        code = run_cli(
            settings,
            cli_args(
                settings,
                "invites",
                "--unit-kind",
                "xã",
                "--role",
                "bithu",
                "--out",
                str(out),
                "--bot-username",
                "@kyso_bot",
                "--ttl-days",
                "3",
            ),  # type: ignore[arg-type]
        )
    assert code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["STT", "Đơn vị"]
    assert all(r[4] == f"https://t.me/kyso_bot?start={r[5]}" for r in rows[1:])
    with Session(h.engine) as session:
        invites = session.exec(select(Invite)).all()
        communes = session.exec(select(Unit).where(Unit.kind == "xa")).all()
    assert len(rows) - 1 == len(invites) == len(communes)
    assert all(i.expires_at - i.created_at == dt.timedelta(days=3) for i in invites)
    xlsx = tmp_path / "links.xlsx"
    with use_language("vi"):
        assert run_cli(settings, cli_args(settings, "invites", "--out", str(xlsx))) == 0  # type: ignore[arg-type]
    rows = read_xlsx(xlsx.read_bytes())
    assert len(rows) == 1 + 104 and rows[1][4] in ("", None)  # no username: codes only
    assert "/start" in capsys.readouterr().err
    async with app:
        (text,) = await h.send(NEWCOMER, f"/start {rows[1][5]}")
    assert "Chào mừng" in text
    app.bot_data.runtime.engine.dispose()


def test_cli_refuses_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown role or kind: argparse exits 2; a .txt output is refused before writing."""
    settings = make_settings(tmp_path)
    with pytest.raises(SystemExit) as exc:
        cli_args(settings, "invites", "--role", "boss")
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        cli_args(settings, "invites", "--unit-kind", "planet")
    with use_language("en"):
        assert run_cli(settings, cli_args(settings, "invites", "--out", "x.txt")) == 2  # type: ignore[arg-type]
    assert ".csv or .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "test.db").exists()


async def test_help_lists_invitation_commands_for_the_secretariat_only(loaded: Harness) -> None:
    """The secretariat sees /moi and /quantri in help; officials see /toi but not /moi."""
    (admin_help,) = await loaded.send(ADMIN_ID, "/trogiup")
    assert "/moi /invite" in admin_help and "/quantri_bo /admin_remove" in admin_help
    loaded.link(OFFICIAL, "Quang Lịch")
    (official_help,) = await loaded.send(OFFICIAL, "/trogiup")
    assert "/moi" not in official_help and "/quantri" not in official_help
    assert "/toi /me" in official_help and "/roi /leave" in official_help


async def test_audit_trail_of_the_whole_flow(loaded: Harness) -> None:
    """create, use, grant, revoke and leave are all in the audit log."""
    code = await invite(loaded, "/moi Quang Lịch head")
    await loaded.send(NEWCOMER, f"/start {code}")
    await loaded.send(ADMIN_ID, "/quantri_them 8001")
    await loaded.send(ADMIN_ID, "/quantri_bo 8001")
    await loaded.press(ADMIN_ID, "adm:rm:8001")
    await loaded.send(NEWCOMER, "/roi")
    await loaded.press(NEWCOMER, "leave:yes")
    assert audit_actions(loaded) == [
        "import",
        "invite.create",
        "invite.use",
        "role.grant",
        "role.revoke",
        "official.leave",
    ]
    assert Role.SECRETARIAT.value not in {r for _u, r in active_roles(loaded, 8001)}


async def test_invite_ttl_days_setting(tmp_path: Path) -> None:
    """INVITE_TTL_DAYS=2: chat invitations expire two days after creation."""
    from bot.app import build_application
    from bot.offline import OfflineRequest

    request = OfflineRequest()
    app = build_application(make_settings(tmp_path, INVITE_TTL_DAYS="2"), request=request)
    async with app:
        h = Harness(app, request)
        h.import_table(demo_table(), SHARED_NAME)
        await invite(h, "/moi Quang Lịch head")
    with Session(h.engine) as session:
        row = session.exec(select(Invite)).one()
    assert row.expires_at - row.created_at == dt.timedelta(days=2)
    h.engine.dispose()


def test_invite_settings_are_validated(tmp_path: Path) -> None:
    """BOT_USERNAME loses its '@'; bad usernames and TTLs are configuration errors."""
    from pydantic import ValidationError

    assert make_settings(tmp_path, BOT_USERNAME="@kyso_bot").bot_username == "kyso_bot"
    assert make_settings(tmp_path).invite_ttl_days == 7
    with pytest.raises(ValidationError):
        make_settings(tmp_path, BOT_USERNAME="kyso bot!")
    with pytest.raises(ValidationError):
        make_settings(tmp_path, INVITE_TTL_DAYS="0")


def test_cli_subcommand_prints_links_with_the_configured_username(tmp_path: Path) -> None:
    """`python -m bot invites --unit-kind phuong` prints CSV links using BOT_USERNAME."""
    from tests.app_kit import run_cli as run_python_m_bot

    env = {"DATABASE_URL": database_url(tmp_path, "cli"), "BOT_USERNAME": "kyso_bot"}
    table = tmp_path / "table.tsv"
    table.write_bytes(demo_table())
    assert run_python_m_bot("import", str(table), env=env, cwd=tmp_path).returncode == 0
    result = run_python_m_bot("invites", "--unit-kind", "phuong", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "STT" and len(rows) > 2
    assert all(
        r[2] == "phường" and r[4].startswith("https://t.me/kyso_bot?start=") for r in rows[1:]
    )


async def test_an_edited_command_is_checked_too(loaded: Harness) -> None:
    """Editing a message into '/moi …' does not get past the permission gate."""
    from telegram import Update

    from bot.offline import message_update

    payload = message_update(4242, "/moi Quang Lịch head")
    payload["edited_message"] = payload.pop("message")
    payload["edited_message"]["edit_date"] = payload["edited_message"]["date"]
    await loaded.app.process_update(Update.de_json(payload, loaded.app.bot))
    assert loaded.request.texts() == ["Lệnh này chỉ dành cho Văn phòng (quản trị)."]
    with Session(loaded.engine) as session:
        assert session.exec(select(Invite)).all() == []
