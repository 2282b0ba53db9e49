"""`report` needs no write access and creates no database; output files that cannot be written
are one line and exit 2, with nothing written half (issue 12 §5, in test_one_clear_line's
style)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot import cli
from bot.core.db import create_db_engine
from bot.core.models import Invite
from tests.cli_kit import TABLE, clean_folder
from tests.cli_kit import run_main as run


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A working folder without .env; no setting from the outside world; logging restored.
    It is not tmp_path itself: the test's cache folder (tests/conftest.py), where a first
    compilation of the catalogs is kept, sits beside it and is no file the command made."""
    work = tmp_path / "work"
    work.mkdir()
    with clean_folder(monkeypatch, work) as path:
        yield path


@pytest.mark.parametrize("where", ["kyso.db", "data/kyso/kyso.db"])
def test_report_on_a_missing_database_creates_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A DATABASE_URL naming no file: one line naming it and DATABASE_URL, exit 2, no file or
    folder made (a report only reads)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / where}")
    code, err = run(capsys, "report")
    assert code == 2
    (line,) = err
    assert line.startswith(f"Không có cơ sở dữ liệu tại {folder / where}")
    assert "DATABASE_URL" in line
    assert list(folder.iterdir()) == []


@pytest.fixture
def imported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The June table imported into kyso.db, which the CLI uses."""
    url = f"sqlite:///{folder / 'kyso.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    period = ("--period-start", "2026-06-08", "--period-end", "2026-06-22")
    assert cli.main(["import", str(TABLE), *period]) == 0
    return url


@pytest.mark.parametrize("out", ["missing/r.xlsx", "."])
def test_report_to_a_path_that_cannot_be_written(
    imported: str, folder: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    """--out into a missing folder or onto a folder: one line, exit 2, no traceback."""
    code, err = run(capsys, "report", "--out", out)
    assert code == 2
    (line,) = err
    assert line.startswith(f"Không ghi được {out}:")


def test_invitations_to_a_path_that_cannot_be_written_create_no_code(
    imported: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """invites --out missing/links.xlsx: one line, exit 2, and no invitation was kept."""
    code, err = run(capsys, "invites", "--out", "missing/links.xlsx")
    assert code == 2
    (line,) = err
    assert line.startswith("Không ghi được missing/links.xlsx:")
    engine = create_db_engine(imported)
    with Session(engine) as session:
        assert session.exec(select(Invite)).first() is None
    engine.dispose()
