"""Configuration and start-up faults: one clear line in one language, exit code 2 for the
configuration, nothing written, never a traceback (issue 12 §5)."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlmodel import Session

from bot import cli, web
from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db
from bot.imports.apply import import_statistics
from bot.web import BotRunner
from tests.app_kit import REPO, run_cli
from tests.cli_kit import clean_folder
from tests.conftest import TEST_DATABASE_URL, make_settings, needs_postgres
from tests.fake_bot_api import FakeBotApi

TOKEN = "515151:CLEAR-LINE"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TABLE = REPO / "bot" / "data" / "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
PERIOD = ("--period-start", "2026-06-08", "--period-end", "2026-06-22")
PYDANTIC_ENGLISH = ("Input should", "valid number", "Value error", "finite number")


class Env:
    """Settings for one in-process run of `python -m bot` (undone after the test)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        """Work in `folder`."""
        self.monkeypatch = monkeypatch
        self.folder = folder

    def set(self, **values: str) -> None:
        """Set environment variables."""
        for name, value in values.items():
            self.monkeypatch.setenv(name, value)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Env]:
    """No setting from the outside world; a working folder without .env; logging restored."""
    with clean_folder(monkeypatch, tmp_path, quiet_logging=False):
        yield Env(monkeypatch, tmp_path)


def lines(text: str) -> list[str]:
    """Non-empty lines."""
    return [line for line in text.splitlines() if line.strip()]


def cli_exit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run `python -m bot ARGV` in this process; (exit code, stderr)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def files(folder: Path) -> set[Path]:
    """Everything below a folder but the user's cache (XDG_CACHE_HOME is `folder/cache` in the
    tests: the compiled catalogs are kept there whatever the command)."""
    return {path for path in folder.rglob("*") if "cache" not in path.relative_to(folder).parts}


@pytest.mark.parametrize(
    "argv",
    [("run",), ("import", str(TABLE), *PERIOD), ("report",), ("console",), ("units", "list")],
)
def test_garbage_database_url_is_one_line_and_exit_2_for_every_command(
    env: Env, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """DATABASE_URL=garbage: the setting, the value and what it must look like; nothing made."""
    env.set(DATABASE_URL="garbage", TELEGRAM_BOT_TOKEN=TOKEN)
    code, err = cli_exit(capsys, *argv)
    assert code == 2
    (line,) = lines(err)
    assert line.startswith("Lỗi cấu hình DATABASE_URL: “garbage”") and "sqlite:///" in line
    assert files(env.folder) == set()


def test_run_with_a_garbage_database_url_exits_2_without_a_traceback(tmp_path: Path) -> None:
    """The same, as a real process."""
    result = run_cli(
        "run", env={"DATABASE_URL": "garbage", "TELEGRAM_BOT_TOKEN": TOKEN}, cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert len(lines(result.stderr)) == 1 and "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr and files(tmp_path) == set()


@pytest.mark.parametrize("argv", [("run",), ("units", "list"), ("console",)])
def test_a_database_folder_that_cannot_be_created(
    env: Env, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """The folder's parent is a file: one line naming the folder, exit 2."""
    (env.folder / "data").write_text("not a folder")
    env.set(DATABASE_URL=f"sqlite:///{env.folder}/data/kyso/kyso.db", TELEGRAM_BOT_TOKEN=TOKEN)
    code, err = cli_exit(capsys, *argv)
    assert code == 2
    (line,) = lines(err)
    assert f"{env.folder}/data/kyso" in line and "DATABASE_URL" in line


def read_only_database(folder: Path) -> str:
    """A database with the June table, opened read-only (as a file the bot's user may only
    read: SQLite refuses every write, even as root)."""
    path = folder / "kyso.db"
    engine = create_db_engine(f"sqlite:///{path}")
    init_db(engine)
    with Session(engine) as session:
        import_statistics(
            session=session, data=TABLE.read_bytes(), filename=TABLE.name, tz=HANOI, after_import=()
        )
    engine.dispose()
    with sqlite3.connect(path) as conn:  # as a copy made without its -wal file would be
        conn.execute("PRAGMA journal_mode=DELETE")
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_report_reads_a_read_only_database_and_writes_need_a_clear_line(tmp_path: Path) -> None:
    """`report` needs no write access; `link` says the database is read-only, exit 2."""
    url = read_only_database(tmp_path)
    before = (tmp_path / "kyso.db").read_bytes()
    report = run_cli("report", "--out", "r.xlsx", env={"DATABASE_URL": url}, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.xlsx").is_file()
    link = run_cli("link", "5", "--role", "secretariat", env={"DATABASE_URL": url}, cwd=tmp_path)
    assert link.returncode == 2, link.stderr
    (line,) = lines(link.stderr)
    assert "chỉ cho phép đọc" in line and "DATABASE_URL" in line
    assert (tmp_path / "kyso.db").read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [("run",), ("console",), ("import", str(TABLE), *PERIOD), ("units", "add", "Sở Tư pháp")],
)
def test_commands_that_write_say_the_database_is_read_only(
    env: Env, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """run, console, import, units add on a read-only database: one line, exit 2, unchanged."""
    url = read_only_database(env.folder)
    before = (env.folder / "kyso.db").read_bytes()
    env.set(DATABASE_URL=url, TELEGRAM_BOT_TOKEN=TOKEN)
    code, err = cli_exit(capsys, *argv)
    assert code == 2
    assert lines(err)[-1].startswith("Cơ sở dữ liệu") and "chỉ cho phép đọc" in lines(err)[-1]
    assert "Traceback" not in err
    assert (env.folder / "kyso.db").read_bytes() == before


NUMBER_CASES = [
    ("OUTBOX_RATE_PER_SECOND", "inf", "finite"),
    ("OUTBOX_RATE_PER_SECOND", "nan", "finite"),
    ("OUTBOX_RATE_PER_SECOND", "1e999", "finite"),
    ("OUTBOX_RATE_PER_SECOND", "0", "greater than 0"),
    ("OUTBOX_RATE_PER_SECOND", "5000", "at most 1,000"),
    ("MAX_UPLOAD_MB", "inf", "finite"),
    ("MAX_UPLOAD_MB", "-1", "greater than 0"),
    ("MAX_UPLOAD_MB", "500", "at most 20"),
    ("REPORT_MAX_MB", "Infinity", "finite"),
    ("OUTBOX_CONCURRENCY", "1e3", "whole number"),
    ("OUTBOX_CONCURRENCY", "0", "at least 1"),
    ("INVITE_TTL_DAYS", "99999999999999999999999", "at most 90"),
    ("WEBHOOK_PORT", "70000", "at most 65,535"),
    ("CONCURRENT_UPDATES", "many", "whole number"),
    ("ADMIN_TELEGRAM_IDS", "11, abc", "not a Telegram user id"),
    ("WARNING_REPEAT_INTERVAL", "99999999999999d", "at least 1 hour"),
]


@pytest.mark.parametrize(("name", "value", "english"), NUMBER_CASES)
def test_every_number_setting_is_finite_and_in_range(
    env: Env,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    english: str,
) -> None:
    """inf, nan, negative, huge: one line naming the setting and the rule, exit 2; in
    Vietnamese with no English from pydantic, and in English with DEFAULT_LANGUAGE=en."""
    env.set(**{name: value})
    code, err = cli_exit(capsys, "units", "list")
    assert code == 2
    (line,) = lines(err)
    assert line.startswith(f"Lỗi cấu hình {name}: “")
    assert not any(text in line for text in PYDANTIC_ENGLISH), line
    env.set(DEFAULT_LANGUAGE="en")
    code, err = cli_exit(capsys, "units", "list")
    (line,) = lines(err)
    assert code == 2 and line.startswith(f"Configuration error in {name}: “{value[:20]}")
    assert english in line


def test_the_line_is_in_default_language_from_the_env_file(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    """DEFAULT_LANGUAGE=en in .env gives the line in English, even when another setting fails."""
    (env.folder / ".env").write_text("DEFAULT_LANGUAGE=en\nMAX_UPLOAD_MB=nan\n")
    code, err = cli_exit(capsys, "units", "list")
    assert code == 2
    assert lines(err) == ["Configuration error in MAX_UPLOAD_MB: “nan” must be a finite number."]


@needs_postgres
def test_a_database_the_server_does_not_have_is_a_configuration_error(
    env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL answers 'database does not exist': one line, exit 2."""
    url = make_url(TEST_DATABASE_URL).set(database="kyso_no_such_database")
    env.set(DATABASE_URL=url.render_as_string(hide_password=False))
    code, err = cli_exit(capsys, "units", "list")
    assert code == 2
    (line,) = lines(err)
    assert "kyso_no_such_database" in line and "DATABASE_URL" in line


@pytest.mark.parametrize(
    "value",
    ["127.0.0.1:8081", "ftp://bot.example", "http://", "http://bot.example:99999", "http://a b"],
)
def test_an_invalid_bot_api_address_is_a_configuration_error(
    env: Env, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """TELEGRAM_API_BASE_URL must be http(s)://host[:port]: one line, exit 2."""
    env.set(TELEGRAM_API_BASE_URL=value, TELEGRAM_BOT_TOKEN=TOKEN)
    code, err = cli_exit(capsys, "run")
    assert code == 2
    (line,) = lines(err)
    assert "TELEGRAM_API_BASE_URL" in line and "http://127.0.0.1:8081" in line


@pytest.mark.parametrize(
    "value",
    [
        "http://bot.example:0",
        "https://api.telegram.org/bot",
        "http://127.0.0.1:8081/bot515151:CLEAR-LINE",
        "https://user:secret@bot.example",
    ],
)
def test_a_bot_api_address_with_a_token_path_port_0_or_a_password_is_refused(
    env: Env, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """We add /bot<token> ourselves; port 0 is no port; a password would be logged at start-up:
    one line, exit 2, before anything else runs."""
    env.set(TELEGRAM_API_BASE_URL=value, TELEGRAM_BOT_TOKEN=TOKEN)
    code, err = cli_exit(capsys, "units", "list")
    assert code == 2
    (line,) = lines(err)
    assert "TELEGRAM_API_BASE_URL" in line and "http://127.0.0.1:8081" in line
    assert "secret" not in line and "CLEAR-LINE" not in line  # neither password nor token shown
    assert files(env.folder) == set()


NUMBER_FIELDS = {
    "OUTBOX_RATE_PER_SECOND": "outbox_rate_per_second",
    "OUTBOX_CONCURRENCY": "outbox_concurrency",
    "MAX_UPLOAD_MB": "max_upload_mb",
    "REPORT_MAX_MB": "report_max_mb",
    "INVITE_TTL_DAYS": "invite_ttl_days",
    "WEBHOOK_PORT": "webhook_port",
    "WEBHOOK_MAX_CONNECTIONS": "webhook_max_connections",
    "CONCURRENT_UPDATES": "concurrent_updates",
    "STATUS_PORT": "status_port",
}
numbers_as_text = st.one_of(
    st.floats().map(str),
    st.integers().map(str),
    st.sampled_from(["inf", "-inf", "nan", "1e309", "0x10", "1_000", " 5 ", "", "5,5"]),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(NUMBER_FIELDS)), text=numbers_as_text)
def test_any_text_for_a_number_loads_in_range_or_is_one_translated_line(
    name: str, text: str
) -> None:
    """Whatever an operator types, a number setting is finite and within its bounds, or the
    refusal is one line that names it, without pydantic's English."""
    from bot.core.settings_errors import describe

    try:
        loaded = Settings(_env_file=None, **{name: text})  # type: ignore[arg-type]
    except ValidationError as exc:
        line = describe(exc)
        assert "\n" not in line and name in line
        assert not any(english in line for english in PYDANTIC_ENGLISH), line
        return
    value = getattr(loaded, NUMBER_FIELDS[name])
    if value is None:  # STATUS_PORT may be unset
        return
    assert math.isfinite(value)
    for bound in Settings.model_fields[NUMBER_FIELDS[name]].metadata:
        for attr, holds in (
            ("gt", lambda b: value > b),
            ("ge", lambda b: value >= b),
            ("lt", lambda b: value < b),
            ("le", lambda b: value <= b),
        ):
            if getattr(bound, attr, None) is not None:
                assert holds(getattr(bound, attr)), (name, text, value)


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_bot_api_at_start_up_is_retried_with_a_clear_log_line(
    tmp_path: Path,
) -> None:
    """`run` against a closed port logs one line per attempt and keeps trying; SIGTERM ends it
    cleanly (exit 0, no traceback)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(REPO),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{closed_port()}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'kyso.db'}",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    seen: list[str] = []
    try:
        while (line := proc.stderr.readline()) and "does not answer" not in line:  # type: ignore[union-attr]
            seen.append(line)
        seen.append(line)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
    err = "".join(seen) + rest
    assert "does not answer" in seen[-1] and "trying again in 1 s" in seen[-1], err
    assert "TELEGRAM_API_BASE_URL" in seen[-1] and TOKEN not in err
    assert "Traceback" not in err
    assert proc.returncode == 0, err


async def test_the_bot_starts_once_the_bot_api_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Retries end as soon as the Bot API is up: the bot then starts normally."""
    monkeypatch.setattr(web, "API_RETRY_FIRST", 0.05)
    port = closed_port()
    s = make_settings(
        tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}"
    )
    runner = BotRunner(s, webhook=False)
    caplog.set_level(logging.WARNING, logger="bot.web")
    task = asyncio.create_task(runner.run())
    try:
        for _ in range(600):
            if sum("does not answer" in r.getMessage() for r in caplog.records) >= 2:
                break
            await asyncio.sleep(0.05)
        assert not runner.ready.is_set()
        with FakeBotApi(TOKEN, port=port) as api:
            await asyncio.wait_for(runner.ready.wait(), timeout=60)
            for _ in range(1200):  # the menus follow the start (bot/app.py _after_start)
                if any(method == "setMyCommands" for method, _ in api.calls):
                    break
                await asyncio.sleep(0.05)
            assert any(method == "setMyCommands" for method, _ in api.calls)
            runner.stop()
            await asyncio.wait_for(task, timeout=60)
    finally:
        runner.stop()
        if not task.done():
            task.cancel()


def test_a_refused_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """The Bot API answers 404 for a token it does not know: exit 2, token never printed."""
    with FakeBotApi("999:OTHER") as api:
        result = run_cli(
            "run",
            env={
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'kyso.db'}",
            },
            cwd=tmp_path,
        )
    assert result.returncode == 2, result.stderr
    assert lines(result.stderr)[-1].startswith("Telegram") and "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr


@pytest.mark.parametrize("argv", [("units", "list"), ("warnings", "status")])
def test_output_to_a_closed_pipe_is_not_a_traceback(tmp_path: Path, argv: tuple[str, ...]) -> None:
    """`python -m bot units list | head -1`: the reader stops early; nothing on stderr."""
    db = f"sqlite:///{tmp_path / 'kyso.db'}"
    engine = create_db_engine(db)
    init_db(engine)
    with Session(engine) as session:
        import_statistics(
            session=session, data=TABLE.read_bytes(), filename=TABLE.name, tz=HANOI, after_import=()
        )
    engine.dispose()
    env: dict[str, Any] = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))
    }
    env.update(PYTHONPATH=str(REPO), DATABASE_URL=db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *argv],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head` exiting before the command writes
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception" not in err, err
    assert proc.returncode in (0, 1)
