"""/nhatky (/audit) pages and the `python -m bot audit` export."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.cli import main
from bot.console import demo_table
from bot.core import audit
from bot.core.db import create_db_engine, init_db, session_scope
from bot.core.models import AppUser, AuditLog
from bot.features import links
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness, database_url

STRANGER = 555
NAMED = 4242


def invite_entry(session: Any, at: dt.datetime, expires: dt.datetime) -> None:
    """One audit entry: NAMED invited a head of Quang Lịch at AT, the link expiring at EXPIRES
    (UTC)."""
    entry = audit.record(
        session=session,
        actor=NAMED,
        action="invite.create",
        subject="Đảng ủy xã Quang Lịch",
        role="head",
        unit_id=None,
        expires_at=expires.replace(tzinfo=dt.UTC).isoformat(),
    )
    entry.at = at


def add_entries(h: Harness, n: int, *, start: dt.datetime | None = None) -> None:
    """n invitation entries by a named user, one minute apart, after the existing ones."""
    base = start or dt.datetime(2026, 6, 10, 1, 0, tzinfo=dt.UTC)
    with session_scope(h.engine) as session:
        session.add(AppUser(telegram_id=NAMED, display_name="Nguyễn <Văn> A"))
        for i in range(n):
            invite_entry(session, base + dt.timedelta(minutes=i), dt.datetime(2030, 1, 8, 1, 0))


async def test_audit_pages_newest_first_with_buttons(loaded: Harness) -> None:
    """Entries show local time, who, what; Older/Newer page through them."""
    add_entries(loaded, 12, start=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))  # after the import
    first = (await loaded.send(ADMIN_ID, "/nhatky"))[0]
    assert first.startswith("🗂 <b>Nhật ký quản trị</b> — mục 1–6 trong 13, mới nhất trước")
    assert len(first.splitlines()) <= 20  # a phone screen
    assert "<b>07:11 01/01/2030</b> · Nguyễn &lt;Văn&gt; A" in first  # 00:11 UTC in Hà Nội
    assert first.index("07:11") < first.index("07:10")  # newest first
    assert (
        "Đã tạo lời mời cho người đứng đầu đơn vị (bí thư/chủ tịch) của Đảng ủy xã Quang Lịch, "
        "hiệu lực đến 08:00 08/01/2030." in first
    )
    keyboard = loaded.last_keyboard()
    assert keyboard == [("⬅️ Cũ hơn", "audit:6")]
    assert "mục 7–12 trong 13" in (await loaded.press(ADMIN_ID, "audit:6"))[0]
    second = (await loaded.press(ADMIN_ID, "audit:12"))[0]
    assert "mục 13–13 trong 13" in second
    # the CLI import at the end: actor None → CLI, with its period, rows and file
    assert "· CLI\nnhập số liệu thống kê — kỳ 08/06/2026 – 22/06/2026 · 104 đơn vị" in second
    assert f"tệp “{SHARED_NAME}”" in second
    assert loaded.last_keyboard() == [("Mới hơn ➡️", "audit:6")]
    assert all(len(data.encode()) <= 64 for _label, data in loaded.last_keyboard())
    back = (await loaded.press(ADMIN_ID, "audit:0"))[0]
    assert back == first


async def test_audit_page_in_english_and_unknown_actor(loaded: Harness) -> None:
    """English labels; an actor the bot has no name for shows as their Telegram id."""
    with session_scope(loaded.engine) as session:
        audit.record(session=session, actor=777, action="unit.rename", subject="unit:3")
    text = (await loaded.send(ADMIN_ID, "/audit", language_code="en"))[0]
    assert "🗂 <b>Audit log</b> — entries 1–2 of 2, newest first" in text
    assert "· ID 777\nunit renamed: Đảng ủy xã " in text  # no details: the label and the name
    assert "statistics imported — period 08/06/2026 – 22/06/2026 · 104 units" in text
    assert loaded.last_keyboard() == []


async def test_audit_log_is_for_the_secretariat(loaded: Harness) -> None:
    """Officials and strangers are refused, also when pressing a page button."""
    loaded.link(STRANGER, "Quang Lịch")
    assert await loaded.send(STRANGER, "/nhatky") == ["Lệnh này chỉ dành cho Văn phòng (quản trị)."]
    start = len(loaded.request.calls)
    assert await loaded.press(STRANGER, "audit:0") == []
    answers = [c for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
    assert answers[0].params["text"] == "Lệnh này chỉ dành cho Văn phòng (quản trị)."


async def test_empty_audit_log(bot: Harness) -> None:
    """A fresh database says so."""
    assert await bot.send(ADMIN_ID, "/nhatky") == ["Nhật ký quản trị chưa có mục nào."]


# --- export -------------------------------------------------------------------------------


@pytest.fixture
def audit_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with a CLI import (22/06) and two in-chat entries (25/06 and 02/07)."""
    db = tmp_path / "audit.db"
    url = database_url(tmp_path, "audit")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("BOT_TIMEZONE", raising=False)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "vi")
    monkeypatch.chdir(tmp_path)  # no .env from the repository
    engine = create_db_engine(url)
    init_db(engine)
    from bot.imports.apply import import_statistics

    with Session(engine) as session:
        import_statistics(
            session=session,
            data=demo_table(),
            filename=SHARED_NAME,
            tz=_tz(),
            after_import=links(default_language="vi").after_import,
        )
    with session_scope(engine) as session:
        entry = session.exec(select(AuditLog)).one()
        entry.at = dt.datetime(2026, 6, 22, 9, 0, tzinfo=dt.UTC)
        session.add(AppUser(telegram_id=NAMED, display_name="Trần Thị B"))
        late = audit.record(session=session, actor=NAMED, action="role.grant", subject="unit:5")
        late.at = dt.datetime(2026, 6, 30, 17, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in Hà Nội
        later = audit.record(session=session, actor=NAMED, action="invite.use", subject="x")
        later.at = dt.datetime(2026, 7, 2, 3, 0, tzinfo=dt.UTC)
    engine.dispose()
    return db


def _tz() -> object:
    """The default display zone."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Ho_Chi_Minh")


def test_export_csv_with_bom_utc_and_local_times(
    audit_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV (UTF-8 with BOM) of the entries between two local days, inclusive."""
    out = tmp_path / "audit.csv"
    code = main(["audit", "--since", "2026-06-01", "--until", "30/06/2026", "--out", str(out)])
    assert code == 0
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["import"]  # 00:30 on 1 July local is after the 30th
    first = rows[0]
    assert first["at_utc"] == "2026-06-22T09:00:00Z"
    assert first["at_local"] == "2026-06-22T16:00:00+07:00"
    assert first["actor_name"] == "CLI" and first["actor_telegram_id"] == ""
    assert first["action_label"] == "nhập số liệu thống kê"
    assert first["sentence"].startswith("nhập số liệu thống kê — kỳ 08/06/2026 – 22/06/2026")
    details = json.loads(first["details"])
    assert details["rows"] == 104 and details["source"] == SHARED_NAME
    assert "Đã xuất 1 mục nhật ký" in capsys.readouterr().err


def test_export_jsonl_to_stdout(audit_db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """JSON lines, oldest first, names resolved; without --until everything since the day."""
    assert main(["audit", "--since", "2026-07-01", "--format", "jsonl"]) == 0
    lines = capsysbinary.readouterr().out.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["action"] for r in records] == ["role.grant", "invite.use"]
    assert records[0]["actor_name"] == "Trần Thị B" and records[0]["actor_telegram_id"] == NAMED
    assert records[0]["at_local"] == "2026-07-01T00:30:00+07:00"
    assert records[0]["at_utc"] == "2026-06-30T17:30:00Z"
    assert records[0]["sentence"] == "Đã thêm một người vào Văn phòng."


def test_export_has_the_sentence_next_to_the_raw_fields(
    audit_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """Issue 13: each exported entry carries the sentence /nhatky shows — names instead of ids,
    local times — in the CLI's language, right after the action's label, in CSV and JSON."""
    engine = create_db_engine(os.environ["DATABASE_URL"])
    with session_scope(engine) as session:
        invite_entry(
            session, dt.datetime(2026, 7, 2, 4, 0, tzinfo=dt.UTC), dt.datetime(2026, 7, 3, 1, 0)
        )
    engine.dispose()
    out = tmp_path / "audit.csv"
    assert main(["audit", "--since", "2026-07-02", "--out", str(out)]) == 0
    text = out.read_bytes().decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[header.index("action_label") + 1] == "sentence"
    rows = list(csv.DictReader(io.StringIO(text)))
    invite = next(r for r in rows if r["action"] == "invite.create")
    assert invite["sentence"] == (
        "Đã tạo lời mời cho người đứng đầu đơn vị (bí thư/chủ tịch) của Đảng ủy xã Quang Lịch, "
        "hiệu lực đến 08:00 03/07/2026."  # 01:00 UTC in Hà Nội, day first
    )
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    capsysbinary.readouterr()
    assert main(["audit", "--since", "2026-07-02", "--format", "jsonl"]) == 0
    lines = capsysbinary.readouterr().out.decode("utf-8").splitlines()
    sentences = [json.loads(line)["sentence"] for line in lines]
    (english,) = [s for s in sentences if "Quang Lịch" in s]
    assert english.startswith("Created ") and english.endswith("valid until 08:00 03/07/2026.")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--since", "2026-13-01"], "Ngày không hợp lệ “2026-13-01”"),
        (["--since", "2026-06-01", "--until", "hôm qua"], "Ngày không hợp lệ “hôm qua”"),
        (["--since", "2026-06-10", "--until", "2026-06-01"], "đứng trước --since"),
    ],
)
def test_export_bad_dates(
    audit_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    """A bad date is one clear line on stderr and exit code 2."""
    assert main(["audit", *args]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0]
