"""The last command-line faults of issue 12 §5: a report never migrates, every `--out` that
cannot be written is one line and exit 2, an unreachable PostgreSQL says where and what to
check (no password), exit 2."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from bot import cli
from bot.core import migrate
from bot.core.db import create_db_engine
from bot.core.models import Deadline
from tests.cli_kit import TABLE, clean_folder
from tests.cli_kit import run_main as run

PERIOD = ("--period-start", "2026-06-08", "--period-end", "2026-06-22")
TOKEN = "616161:LAST-LINES"


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A working folder without .env; no setting from the outside world; logging restored.
    It is not tmp_path itself: the test's cache folder (tests/conftest.py), where a first
    compilation of the catalogs is kept, sits beside it and is no file the command made."""
    work = tmp_path / "work"
    work.mkdir()
    with clean_folder(monkeypatch, work) as path:
        yield path


def test_report_on_an_older_schema_asks_for_migrate_and_writes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database one revision behind: `report` says to run `python -m bot migrate` first, in
    one line, exit 2; the database is not upgraded and not a byte of it changes."""
    path = folder / "kyso.db"
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    migrate.upgrade(engine, "0004")
    engine.dispose()
    before = path.read_bytes()
    monkeypatch.setenv("DATABASE_URL", url)
    code, err = run(capsys, "report")
    assert code == 2
    (line,) = err
    assert "python -m bot migrate" in line and str(path) in line
    assert path.read_bytes() == before
    engine = create_db_engine(url)
    assert migrate.current_revision(engine) == "0004"
    engine.dispose()
    assert sorted(p.name for p in folder.iterdir()) == ["kyso.db"]


@pytest.fixture
def imported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The June table imported into kyso.db, and one open deadline."""
    url = f"sqlite:///{folder / 'kyso.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["import", str(TABLE), *PERIOD]) == 0
    engine = create_db_engine(url)
    with Session(engine) as session:
        due = dt.datetime(2026, 6, 26, 16, 59, tzinfo=dt.UTC)
        session.add(Deadline(title="Báo cáo", kind="report", due_at=due, audience={"type": "all"}))
        session.commit()
    engine.dispose()
    return url


@pytest.mark.parametrize(
    "argv",
    [
        ("audit", "--since", "2026-01-01"),
        ("audit", "--since", "2026-01-01", "--format", "jsonl"),
        ("report",),
        ("invites",),
        ("deadlines", "status", "1"),
    ],
)
@pytest.mark.parametrize("out", ["/unwritable/path.csv", "folder.csv"])
def test_every_out_that_cannot_be_written_is_one_line_and_exit_2(
    imported: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], out: str
) -> None:
    """Every command taking --out: a missing folder, or a folder where the file should be →
    one line naming the path, exit 2 (a usage error, as the README promises), no traceback."""
    Path("folder.csv").mkdir()
    code, err = run(capsys, *argv, "--out", out)
    assert code == 2
    (line,) = err
    assert line.startswith(f"Không ghi được {out}:")


UNREACHABLE = "postgresql://kyso:s3cret-pass@127.0.0.1:1/kyso"


@pytest.mark.parametrize(
    "argv", [("run",), ("import", str(TABLE), *PERIOD), ("report",), ("console",)]
)
def test_an_unreachable_postgresql_names_host_and_port_and_what_to_check(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
) -> None:
    """Nothing listens on 127.0.0.1:1: one translated line naming the host and port, what to
    check (the server, DATABASE_URL), never the password; exit 2, no file made."""
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # the console's input: none
    code, err = run(capsys, *argv)
    assert code == 2
    (line,) = err
    assert "127.0.0.1:1" in line and "DATABASE_URL" in line and "máy chủ" in line
    assert "s3cret" not in line and "Traceback" not in line
    assert list(folder.iterdir()) == []
