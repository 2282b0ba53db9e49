"""Shared by the command-line tests: the shipped table, a clean folder, `main` in-process."""

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
