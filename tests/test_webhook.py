"""Webhook mode, /healthz and /metrics: the real HTTP server on 127.0.0.1, driven with httpx."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.app import ChatOrderedProcessor
from bot.console import demo_table
from bot.core import health, outbox
from bot.core.models import utcnow
from bot.core.outbox import Push
from bot.offline import OfflineRequest, message_update
from bot.web import MAX_BODY_BYTES, SECRET_HEADER, BotRunner
from bot.webhook import finish_coroutine
from handlers.replies import reply_lean
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness, make_settings

SECRET = "s3cr3t_Webhook-token"
URL = "https://kyso.example.vn/telegram"


class Running:
    """A BotRunner serving on a free loopback port, with an HTTP client for it."""

    def __init__(self, runner: BotRunner, request: OfflineRequest) -> None:
        """Wrap a started runner."""
        self.runner = runner
        self.request = request
        self.harness = Harness(runner.app, request)
        self.base = f"http://127.0.0.1:{runner.port}"
        self.client = httpx.AsyncClient(base_url=self.base)
        # (number of Bot API calls made before it, parameters) of each sendMessage that came
        # back in a webhook answer: Telegram performs those as if they were requests.
        self.answered: list[tuple[int, dict[str, Any]]] = []

    async def post_update(self, payload: Any, secret: str | None = SECRET) -> httpx.Response:
        """POST an update to the webhook path, with the given secret header (None: none)."""
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        response = await self.client.post(
            "/telegram", content=body, headers={**headers, "Content-Type": "application/json"}
        )
        if response.content and response.json().get("method") == "sendMessage":
            params = {k: v for k, v in response.json().items() if k != "method"}
            self.answered.append((len(self.request.calls), params))
        return response

    def replies(self) -> list[dict[str, Any]]:
        """Parameters of every sendMessage so far, by request or in a webhook answer, in the
        order Telegram got them."""
        calls = [c.params for c in self.request.calls]
        for index, params in reversed(self.answered):
            calls.insert(index, params)
        sends = {id(c.params) for c in self.request.calls if c.method == "sendMessage"}
        answered = {id(p) for _i, p in self.answered}
        return [p for p in calls if id(p) in sends | answered]

    async def wait_replies(self, count: int) -> list[dict[str, Any]]:
        """Let the event loop run until `count` messages were sent (bounded by iterations)."""
        for _ in range(2000):
            if len(self.replies()) >= count:
                break
            await asyncio.sleep(0.005)
        return self.replies()


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Running]:
    """`run --webhook` in-process: real Application, real HTTP server, offline Bot API."""
    settings = make_settings(tmp_path, WEBHOOK_URL=URL, WEBHOOK_SECRET=SECRET).model_copy(
        update={"webhook_port": 0}
    )
    request = OfflineRequest()
    runner = BotRunner(settings, webhook=True, request=request)
    Harness(runner.app, request).import_table(demo_table(), SHARED_NAME)
    task = asyncio.create_task(runner.run())
    ready = asyncio.create_task(runner.ready.wait())
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # raises the start-up error
    running = Running(runner, request)
    try:
        yield running
    finally:
        await running.client.aclose()
        runner.stop()
        await task


async def test_webhook_is_registered_with_the_secret_and_keeps_pending_updates(
    served: Running,
) -> None:
    """setWebhook gets the public URL, the secret token, every update type, no drop."""
    (call,) = [c for c in served.request.calls if c.method == "setWebhook"]
    assert call.params["url"] == URL
    assert call.params["secret_token"] == SECRET
    assert call.params["drop_pending_updates"] is False
    assert "callback_query" in call.params["allowed_updates"]


async def test_wrong_or_missing_secret_is_refused_and_nothing_is_handled(
    served: Running,
) -> None:
    """403 without the right X-Telegram-Bot-Api-Secret-Token; only the genuine update answers."""
    missing = await served.post_update(message_update(ADMIN_ID, "/tyle nam tien hai"), None)
    wrong = await served.post_update(message_update(ADMIN_ID, "/tyle quang lich"), "not-it")
    prefix = await served.post_update(message_update(ADMIN_ID, "/tyle"), SECRET[:-1])
    assert (missing.status_code, wrong.status_code, prefix.status_code) == (403, 403, 403)
    ok = await served.post_update(message_update(ADMIN_ID, "/tyle nghia tru", language_code="vi"))
    assert ok.status_code == 200
    replies = await served.wait_replies(1)
    await asyncio.sleep(0.05)  # anything wrongly queued before it would have answered by now
    replies = served.replies()
    assert len(replies) == 1
    assert "Nghĩa Trụ" in replies[0]["text"]


async def test_right_secret_update_is_answered(served: Running) -> None:
    """A /tyle posted by Telegram is answered like a polled one (82,5 % for Nam Tiền Hải)."""
    response = await served.post_update(message_update(ADMIN_ID, "/tyle nam tien hai"))
    assert response.status_code == 200
    (reply,) = await served.wait_replies(1)
    assert reply["chat_id"] == ADMIN_ID
    assert "Đảng ủy xã Nam Tiền Hải" in reply["text"] and "82,5%" in reply["text"]


async def test_the_reply_rides_on_the_webhook_answer(served: Running) -> None:
    """/tyle in a private chat: the HTTP answer is the sendMessage (Telegram performs it), the
    same parameters a request would carry, and no request of its own goes to the Bot API."""
    response = await served.post_update(message_update(ADMIN_ID, "/tyle nam tien hai"))
    answer = response.json()
    assert response.headers["Content-Type"].startswith("application/json")
    assert answer["method"] == "sendMessage" and answer["chat_id"] == ADMIN_ID
    assert "82,5%" in answer["text"]
    assert answer["parse_mode"] == "HTML" and answer["link_preview_options"] == {
        "is_disabled": True
    }
    assert not [c for c in served.request.calls if c.method == "sendMessage"]


def add_command(served: Running, name: str, callback: Any) -> None:
    """A test command handled before every feature (the middleware still runs first)."""
    served.runner.app.add_handler(CommandHandler(name, callback), group=-50)


async def test_a_second_reply_in_the_same_update_goes_after_the_first(served: Running) -> None:
    """Two lean replies: both are requests, in order, and the answer carries nothing."""

    async def twice(update: Update, _context: Any) -> None:
        assert update.effective_message is not None
        await reply_lean(update.effective_message, "một")
        await reply_lean(update.effective_message, "hai")
        raise ApplicationHandlerStop  # not an unknown command for the catch-all

    add_command(served, "hailan", twice)
    response = await served.post_update(message_update(ADMIN_ID, "/hailan"))
    assert response.content == b""
    assert [r["text"] for r in served.replies()] == ["một", "hai"]


async def test_a_slow_update_answers_empty_and_its_replies_follow_in_order(
    served: Running,
) -> None:
    """Still running when the webhook must answer: the first reply goes as a request, then the
    later one; the answer is empty."""
    go_on = asyncio.Event()

    async def slow(update: Update, _context: Any) -> None:
        assert update.effective_message is not None
        await reply_lean(update.effective_message, "trước")
        await go_on.wait()
        await reply_lean(update.effective_message, "sau")
        raise ApplicationHandlerStop

    add_command(served, "cham", slow)
    response = await served.post_update(message_update(ADMIN_ID, "/cham"))
    assert response.status_code == 200 and response.content == b""
    go_on.set()
    replies = await served.wait_replies(2)
    assert [r["text"] for r in replies] == ["trước", "sau"]


async def test_a_failure_after_the_reply_is_logged_and_the_apology_follows_it(
    served: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """The handler replies, then fails: the error is logged, the reply goes first, then the
    apology, both as requests."""

    async def broken(update: Update, _context: Any) -> None:
        assert update.effective_message is not None
        await reply_lean(update.effective_message, "kết quả")
        raise RuntimeError("boom")

    add_command(served, "hong", broken)
    response = await served.post_update(message_update(ADMIN_ID, "/hong"))
    assert response.content == b""
    texts = [r["text"] for r in served.replies()]
    assert texts[0] == "kết quả" and "Xin lỗi" in texts[1]
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


async def test_a_failure_before_anything_waits_is_answered_and_apologised(
    served: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """The handler fails at once (the update never waits): the webhook still answers 200,
    the error is logged and the person gets the apology."""

    async def broken(_update: Update, _context: Any) -> None:
        raise RuntimeError("boom")

    add_command(served, "hongngay", broken)
    response = await served.post_update(message_update(ADMIN_ID, "/hongngay"))
    assert response.status_code == 200
    replies = await served.wait_replies(1)
    assert "Xin lỗi" in replies[0]["text"]
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


async def test_an_update_that_waits_midway_still_rides_its_reply_on_the_answer(
    served: Running,
) -> None:
    """The handler waits for something (here a worker thread) before it replies: the reply is
    still the webhook's answer, with nothing sent as a request of its own."""

    async def waits(update: Update, _context: Any) -> None:
        assert update.effective_message is not None
        await asyncio.to_thread(lambda: None)
        await asyncio.sleep(0)
        await reply_lean(update.effective_message, "xong")
        raise ApplicationHandlerStop

    add_command(served, "cho", waits)
    response = await served.post_update(message_update(ADMIN_ID, "/cho"))
    assert response.json()["text"] == "xong"
    assert not [c for c in served.request.calls if c.method == "sendMessage"]


async def test_updates_of_one_chat_stay_in_order_when_the_first_waits(served: Running) -> None:
    """Two updates of one person, the first waiting for a thread, the second answered from
    memory: the second is handled only after the first (its reply comes second)."""
    started, release = asyncio.Event(), asyncio.Event()
    seen: list[str] = []

    async def first(update: Update, _context: Any) -> None:
        started.set()
        await release.wait()
        seen.append("first")
        raise ApplicationHandlerStop

    async def second(update: Update, _context: Any) -> None:
        seen.append("second")
        raise ApplicationHandlerStop

    add_command(served, "mot", first)
    add_command(served, "hai", second)
    one = asyncio.create_task(served.post_update(message_update(ADMIN_ID, "/mot")))
    await asyncio.wait_for(started.wait(), timeout=10)
    two = asyncio.create_task(served.post_update(message_update(ADMIN_ID, "/hai")))
    processor = served.runner.app.update_processor
    assert isinstance(processor, ChatOrderedProcessor)
    for _ in range(1000):  # until the second update waits behind the first (bounded)
        if processor.waiting(ADMIN_ID) == 2:
            break
        await asyncio.sleep(0.01)
    assert seen == [] and processor.waiting(ADMIN_ID) == 2
    release.set()
    assert [(await one).status_code, (await two).status_code] == [200, 200]
    assert seen == ["first", "second"]


async def test_bad_bodies_and_methods_are_refused(served: Running) -> None:
    """Not JSON → 400; GET on the webhook → 405; unknown paths → 404; nothing is answered."""
    assert (await served.post_update(b"{not json")).status_code == 400
    assert (await served.post_update(b"[1, 2]")).status_code == 400
    assert (await served.client.get("/telegram")).status_code == 405
    assert (await served.client.post("/other", content=b"{}")).status_code == 404
    assert served.replies() == []


async def test_healthz_reports_database_scheduler_sender_and_outbox(served: Running) -> None:
    """200 and every field while the bot runs normally."""
    response = await served.client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "scheduler": "running",
        "leader": True,
        "sender": "running",
        "outbox": {"pending": 0, "oldest_pending_age_seconds": 0.0},
    }


async def test_healthz_is_503_when_the_database_is_unreachable(
    served: Running, tmp_path: Path
) -> None:
    """A database that cannot be opened makes /healthz answer 503 'unreachable'."""
    runtime = served.runner.app.bot_data.runtime
    good = runtime.engine
    runtime.engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
    try:
        response = await served.client.get("/healthz")
    finally:
        runtime.engine.dispose()
        runtime.engine = good
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy" and body["database"] == "unreachable"
    assert body["outbox"] == {"pending": None, "oldest_pending_age_seconds": None}
    metrics = (await served.client.get("/metrics")).text
    assert "kyso_database_up 1.0" in metrics  # back to the good engine


async def test_healthz_is_503_when_the_scheduler_stopped(served: Running) -> None:
    """A stopped job queue is reported and makes the bot unhealthy."""
    job_queue = served.runner.app.job_queue
    assert job_queue is not None
    await job_queue.stop(wait=False)
    response = await served.client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["scheduler"] == "stopped"


async def test_outbox_backlog_and_oldest_pending_age(bot: Harness) -> None:
    """An overdue push counts in the backlog with its age; a future one waits at age 0."""
    with Session(bot.engine) as session:
        outbox.enqueue_many(
            session=session,
            pushes=[
                Push(
                    key="a",
                    chat_id=5,
                    text="x",
                    kind="t",
                    not_before=utcnow() - dt.timedelta(hours=1),
                ),
                Push(
                    key="b",
                    chat_id=6,
                    text="y",
                    kind="t",
                    not_before=utcnow() + dt.timedelta(hours=1),
                ),
            ],
        )
        session.commit()
    result = health.check(engine=bot.engine, scheduler_running=True, sender_running=True)
    assert result.healthy and result.pending == 2
    assert result.oldest_pending_age is not None and 3590 < result.oldest_pending_age < 3700
    await bot.drain()
    result = health.check(engine=bot.engine, scheduler_running=True, sender_running=True)
    assert result.pending == 1 and result.oldest_pending_age == 0.0
    assert not health.check(engine=bot.engine, scheduler_running=True, sender_running=False).healthy


async def test_metrics_count_updates_latency_webhook_requests_and_backlog(
    served: Running,
) -> None:
    """After one /tyle and one refused request, /metrics shows them in Prometheus text."""
    await served.post_update(message_update(ADMIN_ID, "/tyle nam tien hai"))
    await served.post_update(message_update(ADMIN_ID, "hello"), "wrong")
    await served.wait_replies(1)
    for _ in range(200):  # the count is taken when the handler returns, just after replying
        text = (await served.client.get("/metrics")).text
        if "kyso_update_duration_seconds_count 1.0" in text:
            break
        await asyncio.sleep(0.005)
    response = await served.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'kyso_updates_total{command="tyle",kind="command"} 1.0' in text
    assert "kyso_update_duration_seconds_count 1.0" in text
    assert 'kyso_update_duration_seconds_bucket{le="10.0"} 1.0' in text
    assert 'kyso_webhook_requests_total{result="accepted"} 1.0' in text
    assert 'kyso_webhook_requests_total{result="forbidden"} 1.0' in text
    assert "kyso_outbox_pending 0.0" in text
    assert "kyso_outbox_oldest_pending_age_seconds 0.0" in text
    assert 'kyso_outbox_sends_total{result="sent"} 0.0' in text
    assert 'kyso_telegram_429_total{source="outbox"} 0.0' in text
    assert "kyso_database_up 1.0" in text
    assert "process_resident_memory_bytes" in text


async def test_metrics_count_sends_by_result_and_429s(bot: Harness) -> None:
    """Sent, unreachable, retried after 429 and failed sends, and a reply refused with 429."""
    bot.request.fail(702, 403, "Forbidden: bot was blocked by the user")
    bot.request.fail(703, 400, "Bad Request: can't parse entities")
    bot.request.fail(704, 429, "Too Many Requests: retry after 30", retry_after=30)
    for chats in ((701, 702, 703), (704,)):  # the 429 last, so its pause delays no other send
        with Session(bot.engine) as session:
            outbox.enqueue_many(
                session=session,
                pushes=[Push(key=f"m{c}", chat_id=c, text="x", kind="t") for c in chats],
            )
            session.commit()
        await bot.drain()
    bot.request.fail(ADMIN_ID, 429, "Too Many Requests: retry after 1", retry_after=1)
    attempted = await bot.send(ADMIN_ID, "/tyle")
    assert len(attempted) == 2 and attempted[0] == attempted[1]  # refused, then sent again
    text = bot.app.bot_data.runtime.metrics.render().decode()
    for result, n in (("sent", 1), ("unreachable", 1), ("retry", 1), ("failed", 1)):
        assert f'kyso_outbox_sends_total{{result="{result}"}} {n}.0' in text
    assert 'kyso_telegram_429_total{source="outbox"} 1.0' in text
    assert 'kyso_telegram_429_total{source="reply"} 1.0' in text
    assert "kyso_outbox_pending 1.0" in text  # the 429 one waits for its retry
    assert "kyso_handler_errors_total 0.0" in text


async def test_each_application_has_its_own_metrics(bot: Harness, tmp_path: Path) -> None:
    """Two applications in one process count separately (no global registry)."""
    from bot.app import build_application

    other = build_application(make_settings(tmp_path / "o"), request=OfflineRequest())
    await bot.send(ADMIN_ID, "/tyle")
    mine = bot.app.bot_data.runtime.metrics.render().decode()
    theirs = other.bot_data.runtime.metrics.render().decode()
    other.bot_data.runtime.engine.dispose()
    assert 'kyso_updates_total{command="tyle",kind="command"} 1.0' in mine
    assert "kyso_updates_total{" not in theirs


async def test_polling_mode_serves_health_and_metrics_on_status_port(tmp_path: Path) -> None:
    """STATUS_PORT in polling mode: /healthz and /metrics answer; there is no webhook route."""
    settings = make_settings(tmp_path, STATUS_PORT="9999").model_copy(update={"status_port": 0})
    request = OfflineRequest()
    runner = BotRunner(settings, webhook=False, request=request)
    task = asyncio.create_task(runner.run())
    ready = asyncio.create_task(runner.ready.wait())
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runner.port}") as client:
            health_response = await client.get("/healthz")
            metrics_response = await client.get("/metrics")
            hook = await client.post("/telegram", content=b"{}")
    finally:
        runner.stop()
        await task
    assert health_response.status_code == 200 and health_response.json()["status"] == "ok"
    assert "kyso_outbox_pending" in metrics_response.text
    assert hook.status_code == 404
    methods = {c.method for c in request.calls}
    assert "getUpdates" in methods and "setWebhook" not in methods


def test_a_followers_paused_scheduler_is_standby_and_healthy() -> None:
    """With several workers, a follower's scheduler waits paused: 'standby', still HTTP 200."""
    from bot.core.health import Health

    follower = Health(
        database=True,
        scheduler_running=True,
        sender_running=True,
        leader=False,
        pending=0,
        oldest_pending_age=None,
    )
    assert follower.healthy
    assert follower.as_dict()["scheduler"] == "standby"
    leader = Health(
        database=True,
        scheduler_running=True,
        sender_running=True,
        leader=True,
        pending=0,
        oldest_pending_age=None,
    )
    assert leader.as_dict()["scheduler"] == "running"


async def raw_exchange(served: Running, data: bytes, answers: int) -> list[tuple[int, bytes]]:
    """Write raw bytes on one connection; read `answers` HTTP answers (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", served.runner.port)
    got = []
    try:
        writer.write(data)
        for _ in range(answers):
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            length = next(
                (int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length")),
                0,
            )
            got.append((int(head[0].split()[1]), await reader.readexactly(length)))
    finally:
        writer.close()
    return got


def raw_post(body: bytes, secret: str = SECRET, length: int | None = None) -> bytes:
    """One HTTP/1.1 POST to the webhook path, as Telegram sends it."""
    return (
        f"POST /telegram HTTP/1.1\r\nHost: kyso\r\nContent-Type: application/json\r\n"
        f"{SECRET_HEADER}: {secret}\r\nContent-Length: {len(body) if length is None else length}"
        "\r\n\r\n"
    ).encode() + body


async def test_an_oversized_body_is_refused_before_it_is_read(served: Running) -> None:
    """A body announced over 1 MiB is refused (413) without being read or handled; the next
    update is answered as usual."""
    ((status, _body),) = await raw_exchange(served, raw_post(b"", length=MAX_BODY_BYTES + 1), 1)
    assert status == 413 and served.replies() == []
    response = await served.post_update(message_update(ADMIN_ID, "/tyle nam tien hai"))
    assert "82,5%" in response.json()["text"]


async def test_an_update_longer_than_a_socket_read_is_read_whole(served: Running) -> None:
    """An update many times the server's read chunk (a reply to a long Vietnamese message,
    escaped as Telegram escapes it) is read whole and answered like a short one."""
    update = message_update(ADMIN_ID, "/tyle nam tien hai")
    quoted = {**update["message"], "message_id": 1, "text": "Văn bản ký số điện tử. " * 1500}
    update["message"]["reply_to_message"] = quoted
    body = json.dumps(update).encode()  # \uXXXX escapes: ~6 bytes a Vietnamese letter
    assert len(body) > 64 * 1024  # more than one read from the socket
    ((status, answer),) = await raw_exchange(served, raw_post(body), 1)
    assert status == 200 and "82,5%" in json.loads(answer)["text"]


async def test_updates_on_one_connection_are_answered_in_order_with_their_own_reply(
    served: Running,
) -> None:
    """Three updates written at once on one keep-alive connection (the middle one with a wrong
    secret): each answer is its own, in order."""
    first = json.dumps(message_update(ADMIN_ID, "/tyle nam tien hai")).encode()
    second = json.dumps(message_update(ADMIN_ID, "/tyle quang lich")).encode()
    third = json.dumps(message_update(ADMIN_ID, "/tyle nghia tru")).encode()
    data = raw_post(first) + raw_post(second, secret="wrong") + raw_post(third)
    answers = await raw_exchange(served, data, 3)
    assert [status for status, _ in answers] == [200, 403, 200]
    assert "Nam Tiền Hải" in json.loads(answers[0][1])["text"] and answers[1][1] == b""
    assert "Nghĩa Trụ" in json.loads(answers[2][1])["text"]
    assert not [c for c in served.request.calls if c.method == "sendMessage"]


async def test_the_dashboard_and_health_are_served_beside_the_webhook(served: Running) -> None:
    """The Mini App's page and /healthz answer on the webhook's server; a path that only starts
    like the webhook's is not it."""
    page = await served.client.get("/app/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert (await served.client.get("/healthz")).json()["status"] == "ok"
    assert (await served.client.post("/telegram/x", content=b"{}")).status_code == 404


async def test_a_stopping_bot_answers_503_and_handles_nothing(
    served: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the Application stops, Telegram is told to post again later (503): nothing is
    handled, nothing answered."""
    monkeypatch.setattr(served.runner.app, "_running", False)
    response = await served.post_update(message_update(ADMIN_ID, "/tyle nam tien hai"))
    assert response.status_code == 503 and response.content == b""
    monkeypatch.undo()
    # The chat's next update is handled after anything wrongly queued before it: one answer.
    after = await served.post_update(message_update(ADMIN_ID, "/tyle quang lich"))
    assert "Quang Lịch" in after.json()["text"]
    assert [r["text"] for r in served.replies()] == [after.json()["text"]]


async def test_an_update_resumed_after_a_wait_is_cancelled_as_a_task_would_be() -> None:
    """The rest of an update that waited runs as a task: its result comes back, and cancelling
    that task reaches the update's code (even when what it waited for had just finished)."""
    seen: list[str] = []
    done = asyncio.get_running_loop().create_future()

    async def update_code(first: asyncio.Future[int]) -> int:
        try:
            value = await first
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise
        return value

    finished = asyncio.get_running_loop().create_future()
    coroutine = update_code(finished)
    task = asyncio.create_task(finish_coroutine(coroutine, coroutine.send(None)))
    await asyncio.sleep(0)
    finished.set_result(1)
    task.cancel()  # the future is done, the task not yet resumed
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen == ["cancelled"]

    async def quick(first: asyncio.Future[int]) -> int:
        return await first + 1

    coroutine = quick(done)
    task = asyncio.create_task(finish_coroutine(coroutine, coroutine.send(None)))
    done.set_result(41)
    assert await task == 42
