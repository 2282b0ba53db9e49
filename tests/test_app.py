"""Start-up, configuration, greeting, help, errors and the command menu."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.app import MissingTokenError, build_application
from bot.cli import RedactTokenFilter
from tests.app_kit import REPO, run_cli
from tests.conftest import ADMIN_ID, Harness, make_settings


def test_missing_token_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    """No token: one clear line on stderr, exit code 2, no traceback."""
    result = run_cli("run", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_time_zone_is_a_clear_configuration_error(tmp_path: Path) -> None:
    """An unknown BOT_TIMEZONE is reported in one line with exit code 2."""
    result = run_cli("run", cwd=tmp_path, env={"BOT_TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 2
    assert "BOT_TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def test_build_application_refuses_without_token(tmp_path: Path) -> None:
    """The factory itself refuses to build without a token."""
    with pytest.raises(MissingTokenError):
        build_application(make_settings(tmp_path, TELEGRAM_BOT_TOKEN=""))


def test_token_is_redacted_from_logs(caplog: pytest.LogCaptureFixture) -> None:
    """A log line that would contain the token shows <token> instead."""
    token = "123456:SECRET-abc"
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST https://x/bot%s/getMe", (token,), None
    )
    RedactTokenFilter(token).filter(record)
    assert token not in record.getMessage() and "<token>" in record.getMessage()


def test_settings_parse_admin_ids_and_base_url(tmp_path: Path) -> None:
    """ADMIN_TELEGRAM_IDS is comma separated; a self-hosted API URL sets both base URLs."""
    s = make_settings(
        tmp_path, ADMIN_TELEGRAM_IDS="11, 22,33", TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/"
    )
    assert s.admin_telegram_ids == frozenset({11, 22, 33})
    assert s.api_base_url == "http://127.0.0.1:8081/bot"
    assert s.api_base_file_url == "http://127.0.0.1:8081/file/bot"
    app = build_application(s)
    assert app.bot.base_url.startswith("http://127.0.0.1:8081/bot")
    app.bot_data.runtime.engine.dispose()


def test_default_database_is_a_sqlite_file_under_var(tmp_path: Path) -> None:
    """Without DATABASE_URL the bot keeps its data in ./var/kyso.db."""
    result = run_cli(
        "import",
        str(REPO / "bot" / "data" / "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"),
        "--period-start",
        "2026-06-08",
        "--period-end",
        "2026-06-22",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "kyso.db").is_file()
    assert "104" in result.stdout and "82,29%" in result.stdout


async def test_command_menu_is_published_per_language(bot: Harness) -> None:
    """Start-up (post_init, as run_polling calls it) registers vi and en command lists."""
    await bot.app.post_init(bot.app)
    assert bot.app.bot_data.after_start is not None
    await bot.app.bot_data.after_start
    calls = bot.request.sent("setMyCommands")
    by_lang = {c.params.get("language_code"): c.params["commands"] for c in calls}
    vi = {c["command"]: c["description"] for c in by_lang["vi"]}
    en = {c["command"]: c["description"] for c in by_lang["en"]}
    assert "tyle" in vi and "trogiup" in vi and "ký số" in vi["tyle"]
    assert "rate" in en and "help" in en and "rate" in en["rate"].lower()
    assert None in by_lang  # default list for other languages


async def test_command_menus_are_published_in_one_round_trip_after_start_up(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three menus (vi, en, default) are sent together, and start-up does not wait for
    them: on a real network the bot answers its first update without waiting for Telegram to
    take the menus (~0.1-0.3 s), and it still waits for Telegram once, not three times."""
    answer = bot.request.do_request
    in_flight: list[str] = []
    telegram_answers = asyncio.Event()
    most = 0

    async def slow(url: str, *args: object, **kwargs: object) -> tuple[int, bytes]:
        nonlocal most
        if not url.endswith("/setMyCommands"):
            return await answer(url, *args, **kwargs)  # type: ignore[arg-type]
        in_flight.append(url)
        most = max(most, len(in_flight))
        await telegram_answers.wait()  # Telegram takes a while
        in_flight.pop()
        return await answer(url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.request, "do_request", slow)
    # post_init returns with the menus still on their way (on the old code it waited for them:
    # the guard turns that hang into a failure).
    await asyncio.wait_for(bot.app.post_init(bot.app), timeout=30)
    assert bot.request.sent("setMyCommands") == []
    answers = await bot.send(42, "/trogiup")
    assert answers and "/start" in answers[0]  # answered meanwhile
    for _ in range(100):  # the three requests set off, and Telegram has answered none
        if len(in_flight) == 3:
            break
        await asyncio.sleep(0)
    telegram_answers.set()
    assert bot.app.bot_data.after_start is not None
    await bot.app.bot_data.after_start
    assert len(bot.request.sent("setMyCommands")) == 3
    assert most == 3


async def test_standings_are_built_while_start_up_waits_for_telegram(loaded: Harness) -> None:
    """Start-up builds the rate standings in a worker thread: the first /tyle after a restart
    reads them instead of building them while the official waits."""
    from sqlmodel import Session

    from bot.app import WARMING
    from bot.core.db import REVISION_KEY, SIGNING_INDICATOR
    from bot.core.models import AppState
    from bot.core.stats import StandingsCache

    rt = loaded.app.bot_data.runtime
    rt.standings = StandingsCache()  # as after a restart
    await loaded.app.post_init(loaded.app)
    await asyncio.gather(*WARMING)
    with Session(rt.engine) as session:
        state = session.get(AppState, REVISION_KEY)
        assert state is not None
        revision = state.value
    assert rt.standings.cached(indicator_code=SIGNING_INDICATOR, revision=revision) is not None
    loaded.link(5002, "Quang Lịch")
    (text,) = await loaded.send(5002, "/tyle")
    assert "Quang Lịch" in text and "80%" in text


async def test_the_catch_up_after_a_start_waits_for_the_first_answer(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a start the deadline catch-up and the import notices run once the first update
    has been answered, not beside it (their worker thread would share the interpreter with
    it)."""
    from handlers import imports
    from jobs import deadlines

    ran: list[str] = []

    async def deadline_catch_up(app: object) -> None:
        ran.append("deadlines")

    async def import_notices(app: object) -> int:
        ran.append("imports")
        return 0

    monkeypatch.setattr(deadlines, "on_startup", deadline_catch_up)
    monkeypatch.setattr(imports, "on_startup", import_notices)
    await bot.app.post_init(bot.app)
    for _ in range(20):
        await asyncio.sleep(0)
    assert ran == []  # nothing answered yet
    (answer,) = await bot.send(42, "/trogiup")
    assert "/start" in answer
    assert bot.app.bot_data.after_start is not None
    await bot.app.bot_data.after_start
    assert ran == ["deadlines", "imports"]


async def test_the_catch_up_runs_without_an_update_too(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No update after a start: the catch-up runs all the same, after CATCH_UP_AFTER_SECONDS."""
    from bot import app as app_module
    from jobs import deadlines

    ran: list[str] = []

    async def deadline_catch_up(app: object) -> None:
        ran.append("deadlines")

    monkeypatch.setattr(deadlines, "on_startup", deadline_catch_up)
    monkeypatch.setattr(app_module, "CATCH_UP_AFTER_SECONDS", 0.01)
    await bot.app.post_init(bot.app)
    assert bot.app.bot_data.after_start is not None
    await bot.app.bot_data.after_start
    assert ran == ["deadlines"]


async def test_a_stop_before_the_catch_up_began_leaves_it_to_the_next_start(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped right after a start, before any update: the catch-up is not begun during the
    stop (the sender stops at once); the next start makes it, repeating nothing."""
    from jobs import deadlines

    ran: list[str] = []

    async def deadline_catch_up(app: object) -> None:
        ran.append("deadlines")

    monkeypatch.setattr(deadlines, "on_startup", deadline_catch_up)
    await bot.app.post_init(bot.app)
    await bot.app.post_stop(bot.app)
    assert ran == []
    assert bot.app.bot_data.after_start is None


async def test_the_first_tyle_after_a_restart_cites_its_letter_without_the_database(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up's worker thread also looks up the letters the reports cite (in both languages):
    the first /tyle after a restart, for a unit below the target, is answered at once with its
    "Căn cứ" line — no worker thread, no database, no search index built while it waits."""
    from bot.app import WARMING
    from bot.core.stats import StandingsCache
    from bot.letters.service import load_shipped
    from handlers import rates
    from tests.conftest import session_scope

    with session_scope(loaded.engine) as session:
        load_shipped(session=session)
    loaded.link(424242, "Nam Tiền Hải")  # 33/40: below the target
    rt = loaded.app.bot_data.runtime
    rt.standings = StandingsCache()  # as after a restart
    await loaded.app.post_init(loaded.app)
    await asyncio.gather(*WARMING)
    with_database: list[int] = []
    original = rates._answer
    monkeypatch.setattr(rates, "_answer", lambda *a: with_database.append(1) or original(*a))
    (answer,) = await loaded.send(424242, "/tyle")
    assert "33/40" in answer and "📜 Căn cứ:" in answer
    assert with_database == []


async def test_start_greets_unlinked_user_with_their_id(bot: Harness) -> None:
    """/start tells a newcomer what the bot does and how to get linked."""
    (text,) = await bot.send(777, "/start")
    assert "Xin chào" in text and "777" in text and "ký số" in text


async def test_start_and_help_for_linked_official(loaded: Harness) -> None:
    """A linked head is greeted with their unit and role; help lists the rate command."""
    loaded.link(5002, "Quang Lịch")
    (text,) = await loaded.send(5002, "/start")
    assert "Quang Lịch" in text and "bí thư" in text.lower()
    (help_text,) = await loaded.send(5002, "/help", language_code="en")
    assert "/rate —" in help_text and "What you can do most often" in help_text


async def test_help_for_secretariat_mentions_unit_lookup(bot: Harness) -> None:
    """The secretariat's help includes looking up any unit."""
    (text,) = await bot.send(ADMIN_ID, "/trogiup")
    assert "/tyle — tỷ lệ của đơn vị bất kỳ, ví dụ /tyle Nam Tiền Hải" in text


async def test_unknown_text_and_command_get_a_hint(bot: Harness) -> None:
    """Messages the bot does not understand get a pointer to /trogiup."""
    (text,) = await bot.send(777, "xin chào")
    assert "/trogiup" in text
    (cmd,) = await bot.send(777, "/khongco")
    assert "/trogiup" in cmd


async def test_group_chatter_is_ignored(bot: Harness) -> None:
    """Ordinary talk in a group gets no reply."""
    texts = await bot.send(777, "họp lúc 8h nhé", chat_id=-100123, chat_type="supergroup")
    assert texts == []


async def test_handler_failure_apologises_and_logs_traceback(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error is logged with its traceback and the user gets a polite message."""
    import handlers.rates

    def boom(**_: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(handlers.rates, "rate_answer", boom)
    with caplog.at_level(logging.ERROR):
        texts = await loaded.send(ADMIN_ID, "/tyle")
    assert texts == ["Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."]
    assert any(r.exc_info and "database exploded" in str(r.exc_info[1]) for r in caplog.records)
