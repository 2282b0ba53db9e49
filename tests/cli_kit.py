"""Shared by the command-line tests: the shipped table, a clean folder, `main` in-process, a
Vietnamese CLI on a database holding the June 2026 table."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot import cli

TABLE = (
    Path(__file__).resolve().parent.parent
    / "bot"
    / "data"
    / "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
)
OUTSIDE_SETTINGS = ("TELEGRAM_", "DATABASE_", "OUTBOX_", "MAX_", "DEFAULT_LANGUAGE")


@contextmanager
def clean_folder(
    monkeypatch: pytest.MonkeyPatch, folder: Path, *, quiet_logging: bool = True
) -> Iterator[Path]:
    """Work in FOLDER (no .env) with no setting from the outside world; logging restored."""
    for name in list(os.environ):
        if name.startswith(OUTSIDE_SETTINGS):
            monkeypatch.delenv(name)
    monkeypatch.chdir(folder)
    if quiet_logging:
        monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield folder
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    """`python -m bot ARGV` in this process: (exit code, non-empty stderr lines)."""
    capsys.readouterr()
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def imported_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], folder: Path
) -> str:
    """A Vietnamese CLI in FOLDER on a new SQLite database into which `import` read the June
    2026 table (FOLDER/table.tsv); returns what the import printed."""
    from bot.console import demo_table

    for name in ("DEFAULT_LANGUAGE", "LANG", "ADMIN_TELEGRAM_IDS", "BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / 'cli.db'}")
    table = folder / "table.tsv"
    table.write_bytes(demo_table())
    assert cli.main(["import", str(table)]) == 0
    return capsys.readouterr().out
