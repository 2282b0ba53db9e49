"""Issue 13 §3, the CLI: where `python -m bot …` points to a chat command it names the
command-line way too (or says plainly that the command is for the chat), and argparse's rarer
messages speak the CLI's language with exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import cli
from tests.cli_kit import imported_cli

CHAT_COMMAND = re.compile(r"(?<![\w/.-])/[a-z][a-z_]{2,}\b(?!/)")  # not a path
CHAT_WORDS = ("trong cuộc trò chuyện", "cho bot")  # the line says the command is for the chat


@pytest.fixture
def cli_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A Vietnamese CLI on a database with the June 2026 table and nobody linked."""
    imported_cli(monkeypatch, capsys, tmp_path)
    return tmp_path


def output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run `python -m bot ARGV` in this process; stdout and stderr together."""
    cli.main(list(argv))
    captured = capsys.readouterr()
    return captured.out + captured.err


def pointing_to_chat_only(text: str) -> list[str]:
    """Lines that name a chat command but neither the CLI way nor that it is the chat's."""
    return [
        line
        for line in text.splitlines()
        if CHAT_COMMAND.search(line)
        and "python -m bot" not in line
        and not any(words in line for words in CHAT_WORDS)
    ]


def test_every_cli_output_that_names_a_chat_command_names_the_cli_way_too(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warnings status (units nobody can be warned in), a silence, an unknown deadline, no
    deadlines, invitations without a bot name, an import: both ways, or plainly the chat's."""
    outputs = {
        "import": output(capsys, "import", str(cli_db / "table.tsv")),
        "warnings status": output(capsys, "warnings", "status"),
        "warnings silence": output(capsys, "warnings", "silence", "Quang Lịch", "30/12/2026"),
        "deadlines status": output(capsys, "deadlines", "status", "999"),
        "deadlines list": output(capsys, "deadlines", "list"),
        "invites": output(capsys, "invites", "--out", str(cli_db / "links.csv")),
    }
    assert {name: pointing_to_chat_only(text) for name, text in outputs.items()} == {
        name: [] for name in outputs
    }
    assert "python -m bot invites --out loi-moi.csv" in outputs["warnings status"]
    assert "hoặc mời từng đơn vị trong cuộc trò chuyện bằng /moi" in outputs["warnings status"]
    assert "python -m bot warnings unsilence" in outputs["warnings silence"]
    assert "(trong cuộc trò chuyện: /imlang_ds)" in outputs["warnings silence"]
    assert (
        "python -m bot deadlines list (trong cuộc trò chuyện: /hanchot)"
        in outputs["deadlines status"]
    )


def test_argparse_errors_are_vietnamese_with_exit_code_2(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing argument, an invalid choice, an option without its value, an unknown option:
    argparse's own sentences in Vietnamese, usage included, and exit code 2."""
    cases = {
        ("audit",): "thiếu các tham số bắt buộc: --since",
        ("warnings", "bogus"): "lựa chọn không hợp lệ: 'bogus'",
        ("audit", "--since"): "tham số --since: cần một giá trị",
        ("units", "list", "--bogus"): "không nhận ra các tham số: --bogus",
    }
    for argv, words in cases.items():
        with pytest.raises(SystemExit) as stop:
            cli.main(list(argv))
        err = capsys.readouterr().err
        assert stop.value.code == 2, argv
        assert words in err and "cách dùng:" in err and ": lỗi: " in err, err
        english = ("usage", "error", "required", "invalid choice", "expected", "unrecognized")
        assert not any(word in err for word in english), err
