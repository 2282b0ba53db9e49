"""Operations: structured logs with the update's ids and no secrets; graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.app import build_application
from bot.cli import setup_logging
from bot.core import outbox
from bot.core.logs import JsonFormatter, iso_milliseconds
from bot.core.models import OutboxMessage, Role
from bot.core.outbox import Push
from bot.offline import OfflineRequest
from tests.conftest import ADMIN_ID, Harness, make_settings

TOKEN = "123456:TEST-TOKEN"  # conftest's


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger back as pytest had it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def json_lines(err: str) -> list[dict[str, Any]]:
    """Every stderr line parsed as JSON (fails if one is not)."""
    return [json.loads(line) for line in err.splitlines() if line.strip()]


async def test_json_logs_carry_update_user_and_unit_and_never_the_token(
    loaded: Harness,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    """LOG_FORMAT=json: one JSON object per line, with update_id, user_id and unit_id."""
    settings = make_settings(tmp_path, LOG_FORMAT="json", WEBHOOK_SECRET="hook-Secret_42")
    setup_logging(settings)
    capsys.readouterr()
    loaded.link(900123, "Nam Tiền Hải", Role.HEAD)
    await loaded.send(900123, "/tyle")
    log = logging.getLogger("tests.ops")
    log.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"boom at /bot{TOKEN}/sendMessage with hook-Secret_42")
    except RuntimeError:
        log.exception("failed")
    records = json_lines(capsys.readouterr().err)
    (handled,) = [r for r in records if r["msg"] == "Handled update"]
    assert handled["user_id"] == 900123 and handled["chat_id"] == 900123
    assert isinstance(handled["update_id"], int) and handled["unit_id"] > 0
    assert handled["kind"] == "command" and handled["command"] == "tyle"
    assert {"ts", "level", "logger"} <= set(handled) and handled["level"] == "INFO"
    failed = next(r for r in records if r["msg"] == "failed")
    assert "RuntimeError" in failed["exc"] and "update_id" not in failed  # outside an update
    text = json.dumps(records)
    assert TOKEN not in text and "hook-Secret_42" not in text and "<token>" in text


async def test_text_logs_name_the_update_and_the_secretariat_refusal(
    bot: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    """LOG_FORMAT=text (default): the classic line with [update=… user=…] appended."""
    setup_logging(make_settings(tmp_path))
    capsys.readouterr()
    await bot.send(4242, "/nhatky")  # a stranger: refused by the middleware, logged
    err = capsys.readouterr().err
    refused = next(line for line in err.splitlines() if "Refused /nhatky" in line)
    assert "INFO handlers.common:" in refused and "user=4242" in refused and "update=" in refused
    assert "{" not in refused


class GatedRequest(OfflineRequest):
    """sendMessage waits until released, so sends can be caught in flight."""

    def __post_init__(self) -> None:
        """Closed gate."""
        super().__post_init__()
        self.gate = asyncio.Event()
        self.in_flight = 0

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Hold sendMessage at the gate."""
        if url.endswith("/sendMessage"):
            self.in_flight += 1
            await self.gate.wait()
        return await super().do_request(url, method, *args, **kwargs)


def statuses(engine: Any) -> dict[int, str]:
    """Outbox row status by chat."""
    with Session(engine) as session:
        return {r.chat_id: r.status for r in session.exec(select(OutboxMessage))}


async def test_stop_lets_in_flight_sends_finish_and_returns_the_rest_to_pending(
    tmp_path: Path,
) -> None:
    """post_stop mid-batch: sends in flight complete, the rest of the claimed batch is pending
    again (none left 'sending'); the next start sends exactly those, nothing twice."""
    settings = make_settings(tmp_path, OUTBOX_RATE_PER_SECOND="1000", OUTBOX_CONCURRENCY="4")
    request = GatedRequest()
    app = build_application(settings, request=request)
    chats = list(range(801, 821))
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        with Session(app.bot_data.runtime.engine) as session:
            outbox.enqueue_many(
                session=session,
                pushes=[Push(key=f"s{c}", chat_id=c, text="Nhắc việc", kind="t") for c in chats],
            )
            session.commit()
        for _ in range(2000):
            if request.in_flight == 4:
                break
            await asyncio.sleep(0.005)
        assert request.in_flight == 4
        stopping = asyncio.create_task(app.post_stop(app))  # type: ignore[arg-type]
        await asyncio.sleep(0.01)
        assert not stopping.done()  # it waits for the sends in flight
        request.gate.set()
        await stopping
    first = statuses(app.bot_data.runtime.engine)
    app.bot_data.runtime.engine.dispose()
    sent_first = {int(c.params["chat_id"]) for c in request.sent()}
    assert len(sent_first) == 4
    assert {c for c, s in first.items() if s == "sent"} == sent_first
    assert {c for c, s in first.items() if s == "pending"} == set(chats) - sent_first

    again = OfflineRequest()
    app2 = build_application(settings, request=again)
    async with app2:
        await app2.post_init(app2)  # type: ignore[misc]
        app2.bot_data.sender.wake()  # the rows queued before the restart
        for _ in range(2000):
            if len(again.sent()) >= 16:
                break
            await asyncio.sleep(0.005)
        await app2.post_stop(app2)  # type: ignore[misc]
    app2.bot_data.runtime.engine.dispose()
    sent_second = [int(c.params["chat_id"]) for c in again.sent()]
    assert sorted(sent_second) == sorted(set(chats) - sent_first)
    assert set(statuses(app2.bot_data.runtime.engine).values()) == {"sent"}


async def test_a_failing_handler_is_counted_timed_and_apologised_for(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that raises: the user gets the apology, the update and the error are counted."""
    import handlers.rates

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(handlers.rates, "rate_answer", broken)
    texts = await bot.send(ADMIN_ID, "/tyle", language_code="en")
    assert texts and "went wrong" in texts[-1].lower()
    text = bot.app.bot_data.runtime.metrics.render().decode()
    assert "kyso_handler_errors_total 1.0" in text
    assert "kyso_update_duration_seconds_count 1.0" in text
    assert 'kyso_updates_total{command="tyle",kind="command"} 1.0' in text


async def test_updates_run_concurrently_across_chats_but_in_order_within_a_chat(
    bot: Harness,
) -> None:
    """A slow reply in one chat holds that chat's next message, not another person's."""
    from telegram import Update

    from bot.app import ChatOrderedProcessor
    from bot.offline import message_update

    processor = ChatOrderedProcessor(8)
    events: list[str] = []
    slow = asyncio.Event()

    async def work(name: str, gate: asyncio.Event | None = None) -> None:
        events.append(f"start {name}")
        if gate is not None:
            await gate.wait()
        events.append(f"end {name}")

    def update(user: int) -> Update:
        return Update.de_json(message_update(user, "hi"), bot.app.bot)

    first = asyncio.create_task(processor.process_update(update(1), work("a1", slow)))
    second = asyncio.create_task(processor.process_update(update(1), work("a2")))
    other = asyncio.create_task(processor.process_update(update(2), work("b1")))
    await other
    assert events == ["start a1", "start b1", "end b1"]  # chat 2 did not wait for chat 1
    slow.set()
    await asyncio.gather(first, second)
    assert events[3:] == ["end a1", "start a2", "end a2"]  # chat 1 kept its order
    assert processor._locks == {}  # nothing kept for idle chats


@settings(max_examples=300, deadline=None)
@given(
    st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False),  # 1970 … 2100
    st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False),
)
def test_json_log_times_are_the_exact_iso_time_whatever_came_before(
    earlier: float, created: float
) -> None:
    """The JSON line's ts (formatted once a second, then only its milliseconds) is exactly the
    record's time in ISO 8601 UTC, to the millisecond, whatever line was written before."""
    formatter = JsonFormatter()
    formatter.timestamp(earlier)
    assert formatter.timestamp(created) == iso_milliseconds(created)
    assert formatter.timestamp(int(created) + 0.5) == iso_milliseconds(int(created) + 0.5)
