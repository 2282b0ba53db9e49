"""`python -m bot units …`: listing, renaming, (de)activating, officials and bulk CSV files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot import cli
from bot.core.db import create_db_engine
from bot.core.models import AuditLog, Official, Unit, UnitNameHistory
from tests.app_kit import REPO, run_cli
from tests.conftest import SHARED_NAME, database_url

TABLE = REPO / "bot" / "data" / SHARED_NAME
NAM = "Đảng ủy xã Nam Tiền Hải"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database with the June table, and the environment the CLI reads."""
    url = database_url(tmp_path, "cli")
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_TELEGRAM_IDS", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    assert cli.main(["import", str(TABLE), "--period-start", "2026-06-08", "--period-end",
                     "2026-06-22"]) == 0  # fmt: skip
    yield url


def units(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `python -m bot units …` in-process: exit code, stdout, stderr."""
    capsys.readouterr()
    code = cli.main(["units", *args])
    out, err = capsys.readouterr()
    return code, out, err


def rows(url: str) -> dict[str, Unit]:
    """Units by name."""
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            found = {u.name: u for u in session.exec(select(Unit))}
            for unit in found.values():
                session.expunge(unit)
            return found
    finally:
        engine.dispose()


def unit_audits(url: str) -> list[AuditLog]:
    """Audit entries about units and officials, oldest first."""
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            return [
                e
                for e in session.exec(select(AuditLog).order_by(col(AuditLog.id)))
                if e.action.startswith(("unit.", "official."))
            ]
    finally:
        engine.dispose()


def listed(out: str) -> list[dict[str, str]]:
    """Rows of `units list` CSV output."""
    return list(csv.DictReader(io.StringIO(out)))


def test_units_subcommand_runs_as_a_program(tmp_path: Path) -> None:
    """`python -m bot units list --kind phuong` prints the wards as CSV."""
    env = {"DATABASE_URL": database_url(tmp_path, "p")}
    assert run_cli("import", str(TABLE), env=env, cwd=tmp_path).returncode == 0
    result = run_cli("units", "list", "--kind", "phuong", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    wards = listed(result.stdout)
    assert len(wards) == 11 and all(w["kind"] == "phuong" for w in wards)
    assert set(wards[0]) == {"name", "kind", "area", "active", "officials", "code"}


def test_rename_deactivate_activate_and_ambiguity(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Single-unit commands resolve names like /tyle; several matches list candidates, exit 2."""
    code, out, _ = units(capsys, "list")
    assert code == 0 and len(listed(out)) == 104

    code, out, err = units(capsys, "rename", "nam tien hai", "Đảng ủy xã Tiền Hải Nam")
    assert code == 0, err
    assert "Đã đổi tên “Đảng ủy xã Nam Tiền Hải” thành “Đảng ủy xã Tiền Hải Nam”" in out
    assert "Đảng ủy xã Tiền Hải Nam" in rows(db) and NAM not in rows(db)

    code, out, _ = units(capsys, "deactivate", "Nam Tiền Hải")  # the old name still works
    assert code == 0 and "Đã ngừng theo dõi “Đảng ủy xã Tiền Hải Nam”" in out
    _, out, _ = units(capsys, "list")
    assert len(listed(out)) == 103
    _, out, _ = units(capsys, "list", "--inactive")
    (inactive,) = [r for r in listed(out) if r["active"] == "0"]
    assert inactive["name"] == "Đảng ủy xã Tiền Hải Nam"
    code, _, err = units(capsys, "deactivate", "Tiền Hải Nam")
    assert code == 1 and "đã ngừng theo dõi từ trước" in err
    code, out, _ = units(capsys, "activate", "Tiền Hải Nam")
    assert code == 0 and rows(db)["Đảng ủy xã Tiền Hải Nam"].active

    code, out, err = units(capsys, "deactivate", "tien")
    assert code == 2 and "không chỉ đúng một đơn vị" in err
    assert "  Đảng ủy xã Tiên Hải\n" in err
    code, _, err = units(capsys, "set-kind", "khong co don vi nay", "xa")
    assert code == 2 and "Không tìm thấy đơn vị nào khớp" in err
    code, _, err = units(capsys, "set-kind", "Quang Lịch", "huyen")
    assert code == 1 and "Không có loại đơn vị “huyen”" in err
    code, out, _ = units(capsys, "set-kind", "Quang Lịch", "khu vực")
    assert code == 0 and "nay là: khu vực" in out
    code, out, _ = units(capsys, "set-area", "Tây Tiên Hải", "Quang Lịch")
    assert code == 0 and "nay thuộc khu vực: Đảng ủy xã Quang Lịch" in out
    code, _, err = units(capsys, "set-area", "Quang Lịch", "Tây Tiên Hải")
    assert code == 1 and "không thể xếp một đơn vị vào đơn vị cấp dưới" in err
    code, out, _ = units(capsys, "add", "Sở Tư pháp", "--area", "Quang Lịch")
    assert code == 0 and "Đã thêm “Sở Tư pháp” (sở, ngành)" in out
    assert rows(db)["Sở Tư pháp"].parent_id == rows(db)["Đảng ủy xã Quang Lịch"].id
    code, _, err = units(capsys, "add", "SỞ TƯ PHÁP")
    assert code == 1 and "Đã có đơn vị tên “Sở Tư pháp”" in err

    actions = [e.action for e in unit_audits(db)]
    assert actions == [
        "unit.rename",
        "unit.deactivate",
        "unit.activate",
        "unit.update",
        "unit.update",
        "unit.create",
    ]
    assert all(e.actor_telegram_id is None for e in unit_audits(db))


def test_officials_and_remove_official(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`units officials` lists the people of a unit; `remove-official` ends a link, audited."""
    assert cli.main(["link", "5002", "Quang Lịch", "--role", "head"]) == 0
    code, out, _ = units(capsys, "officials", "Quang Lịch")
    assert code == 0 and out.startswith("5002\thead\t")
    code, out, _ = units(capsys, "remove-official", "5002")
    assert code == 0 and "Đã gỡ 5002 (head) khỏi Đảng ủy xã Quang Lịch" in out
    engine = create_db_engine(db)
    with Session(engine) as session:
        (row,) = session.exec(select(Official)).all()
        assert not row.active and row.ended_at is not None
    engine.dispose()
    code, _, err = units(capsys, "remove-official", "5002")
    assert code == 1 and "không còn liên kết" in err
    assert [e.action for e in unit_audits(db)] == ["official.remove"]
    code, out, _ = units(capsys, "officials", "Quang Lịch")
    assert "Chưa có cán bộ nào" in out


BAD = """name,kind,area,active
Khu vực Tiền Hải,khu-vuc,,
Đảng ủy xã Nam Tiền Hải,xa,Khu vực Tiền Hải,
,xa,,
Đảng ủy xã Quang Lịch,huyen,,
dang uy xa nam tien hai,,,
Đảng ủy xã Tây Tiên Hải,,Khu vực Không Có,
Đảng ủy xã Đông Tiên Hải,,,có lẽ
"""

GOOD = """name;kind;area;active
Khu vực Tiền Hải;khu vực;;
Đảng ủy xã Nam Tiền Hải;;Khu vực Tiền Hải;
Đảng ủy xã Tây Tiên Hải;;Khu vực Tiền Hải;1
Đảng ủy xã Đông Tiên Hải;xa;Khu vực Tiền Hải;
Đảng ủy xã Quang Lịch;ban;;không
Sở Nội vụ;;Khu vực Tiền Hải;
"""


def test_apply_refuses_a_bad_file_listing_every_problem(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bad row refuses the whole file: every problem is listed with its row, nothing is
    written (not even the valid rows)."""
    before = {name: (u.kind, u.parent_id, u.active) for name, u in rows(db).items()}
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    code, out, err = units(capsys, "apply", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "Không thay đổi gì. Số lỗi tìm thấy: 5"
    assert lines[1:] == [
        "  dòng 4: Tên đang để trống.",
        "  dòng 5: Không có loại đơn vị “huyen”. Dùng một trong: xa, phuong, thi-tran, so, ban, "
        "khu-vuc, khac.",
        "  dòng 6: “dang uy xa nam tien hai” có hai lần (lần đầu ở dòng 3).",
        "  dòng 7: Không có đơn vị nào tên “Khu vực Không Có” để làm khu vực.",
        "  dòng 8: “có lẽ” ở cột “active” không phải có/không (1/0, yes/no).",
    ]
    after = {name: (u.kind, u.parent_id, u.active) for name, u in rows(db).items()}
    assert after == before and "Khu vực Tiền Hải" not in after
    assert unit_audits(db) == []

    cycle = tmp_path / "cycle.csv"
    cycle.write_text(
        "name,kind,area\nĐảng ủy xã Quang Lịch,,Đảng ủy xã Tây Tiên Hải\n"
        "Đảng ủy xã Tây Tiên Hải,,Đảng ủy xã Quang Lịch\n",
        encoding="utf-8",
    )
    code, _, err = units(capsys, "apply", str(cycle))
    assert code == 1 and "dòng 2:" in err and "dòng 3:" in err and "nằm trong chính nó" in err
    header = tmp_path / "header.csv"
    header.write_text("ten,loai\nA,xa\n", encoding="utf-8")
    code, _, err = units(capsys, "apply", str(header))
    assert code == 1 and "còn thiếu: area" in err
    assert unit_audits(db) == []


def test_apply_a_good_file(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A valid file (semicolons, Vietnamese kind labels) is applied in one go: a new area,
    units moved under it, a kind change, a deactivation, a new unit; each change audited."""
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    code, out, err = units(capsys, "apply", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == "Đã áp dụng: thêm 2, sửa 4, giữ nguyên 0."
    by_name = rows(db)
    area = by_name["Khu vực Tiền Hải"]
    assert area.kind == "khu-vuc" and area.parent_id is None
    for name in (NAM, "Đảng ủy xã Tây Tiên Hải", "Đảng ủy xã Đông Tiên Hải", "Sở Nội vụ"):
        assert by_name[name].parent_id == area.id, name
    assert by_name["Sở Nội vụ"].kind == "so"
    quang = by_name["Đảng ủy xã Quang Lịch"]
    assert quang.kind == "ban" and not quang.active
    actions = [(e.action, e.details.get("field")) for e in unit_audits(db)]
    assert actions.count(("unit.create", None)) == 2
    assert actions.count(("unit.update", "area")) == 4
    assert ("unit.update", "kind") in actions and ("unit.deactivate", None) in actions

    # Applying the same file again changes nothing.
    code, out, _ = units(capsys, "apply", str(path))
    assert code == 0 and out.splitlines()[0] == "Đã áp dụng: thêm 0, sửa 0, giữ nguyên 6."

    # The list output can be edited and fed back.
    _, out, _ = units(capsys, "list", "--inactive")
    exported = tmp_path / "export.csv"
    exported.write_text(out, encoding="utf-8")
    code, out, _ = units(capsys, "apply", str(exported))
    assert code == 0 and "thêm 0, sửa 0, giữ nguyên 106" in out


def test_renamed_unit_name_history_via_cli(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A CLI rename stores the old name like the chat does."""
    units(capsys, "rename", NAM, "Đảng ủy xã Tiền Hải Nam")
    engine = create_db_engine(db)
    with Session(engine) as session:
        (history,) = session.exec(select(UnitNameHistory)).all()
    engine.dispose()
    assert history.old_name == NAM and history.changed_by is None
