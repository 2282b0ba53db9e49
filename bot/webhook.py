"""POST <webhook path> on tornado's HTTP/1.1 layer, without tornado.web (bot/web.py routes it).

A webhook update is the bot's busiest request, and tornado.web's routing, RequestHandler,
header handling and flushing cost about a fifth of a lone update. Here the request is read by
an `HTTPMessageDelegate` and answered straight on its connection: the secret token checked
(403), other methods refused (405), the body bounded by the server's `max_body_size` (tornado
answers 400 and closes the connection past it), JSON checked (400), a stopping bot refused
(503); an accepted update is handled while Telegram waits, at most ANSWER_SECONDS, and its first
reply may ride on the answer (handlers/webhook_answer.py). Every other path goes to the
tornado.web Application (/healthz, /metrics, the dashboard) unchanged.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import json
import logging
from collections.abc import Coroutine
from http import HTTPStatus
from typing import Any

from telegram import Update
from telegram._utils.datetime import extract_tzinfo_from_defaults, from_timestamp
from telegram.ext import ExtBot
from tornado import httputil
from tornado.web import Application as TornadoApplication

from handlers.context import KysoApp
from handlers.webhook_answer import ANSWER_SECONDS, WebhookAnswer, bind_answer
from handlers.webhook_objects import CHATS, MESSAGES, UPDATES, USERS, entities_from_json

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_JSON = "application/json"
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per answer


class Hook:
    """What the webhook path does with a whole request: check it, handle it, answer it."""

    def __init__(self, app: KysoApp, secret: str | None, pending: set[asyncio.Task[Any]]) -> None:
        """The bot Application, Telegram's secret token, where the updates' tasks are kept."""
        self.app = app
        self.secret = secret.encode() if secret is not None else None
        self.pending = pending
        counter = app.bot_data.runtime.metrics.webhook_requests
        self._count = {
            result: counter.labels(result)
            for result in ("forbidden", "unavailable", "bad_request", "accepted")
        }

    def receive(self, conn: httputil.HTTPConnection, method: str, given: str, body: bytes) -> None:
        """One whole request on the webhook path (its method, secret header and body)."""
        if method != "POST":
            respond(conn, HTTPStatus.METHOD_NOT_ALLOWED, extra={"Allow": "POST"})
            return
        if self.secret is None or not hmac.compare_digest(
            given.encode("utf-8", "replace"), self.secret
        ):
            self._count["forbidden"].inc()
            logger.warning(
                "Webhook request refused: %s secret token from %s",
                "wrong" if given else "no",
                getattr(conn.context, "remote_ip", "?"),  # type: ignore[attr-defined]
            )
            respond(conn, HTTPStatus.FORBIDDEN)
            return
        if not self.app.running:
            self._count["unavailable"].inc()
            logger.warning("Webhook request refused: the bot is stopping (503)")
            respond(conn, HTTPStatus.SERVICE_UNAVAILABLE)  # Telegram retries; another worker may
            return
        try:
            update = parse_update(json.loads(body), self.app.bot)
        except Exception:
            update = None
        if not isinstance(update, Update):
            self._count["bad_request"].inc()
            logger.warning("Webhook request with an unreadable body refused")
            respond(conn, HTTPStatus.BAD_REQUEST)
            return
        self._count["accepted"].inc()
        self._handle(conn, update)

    def _handle(self, conn: httputil.HTTPConnection, update: Update) -> None:
        """Handle the update while Telegram waits: answered when it is done (with its first
        reply, if held) or after ANSWER_SECONDS (empty; the update goes on, its replies are
        then requests of their own). No coroutine waits for it: callbacks answer.

        The update runs at once, in this event-loop iteration, until it first waits for
        something (a /tyle from the cache never does: it is answered here, without a task, a
        timer or another iteration); from there on it is a task, as every update used to be."""
        answer = WebhookAnswer()
        context = contextvars.copy_context()
        context.run(bind_answer, answer)
        app = self.app
        coroutine = app.update_processor.process_update(update, app.process_update(update))
        try:
            waiting = context.run(coroutine.send, None)
        except StopIteration:
            answer_finished(conn, answer)
            return
        except Exception as exc:  # escaped the Application's error handler
            logger.error("A webhook update failed", exc_info=exc)
            answer_finished(conn, answer)
            return
        task = asyncio.create_task(finish_coroutine(coroutine, waiting), context=context)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)
        task.add_done_callback(_log_failure)
        _Answer(self, conn, answer, task)


async def finish_coroutine(coroutine: Coroutine[Any, Any, Any], waiting: Any) -> Any:
    """The rest of a coroutine that was started by hand and waits for `waiting` (a future, or
    None for a bare yield), run as a Task would run it: resumed when the future is done (the
    coroutine reads its result or exception itself), a cancellation passed in."""
    while True:
        try:
            if waiting is None:
                await asyncio.sleep(0)
            else:  # as a Task takes a yielded future: no longer "blocking" (asyncio's flag)
                waiting._asyncio_future_blocking = False
                await waiting
        except BaseException as exc:  # handed to the coroutine, as a Task does
            cancelled = isinstance(exc, asyncio.CancelledError) and not (
                waiting is not None and waiting.cancelled()  # else the coroutine reads it
            )
            if cancelled or waiting is None or not waiting.done():  # we were cancelled
                try:
                    waiting = coroutine.throw(exc)
                except StopIteration as stop:
                    return stop.value
                continue
        try:
            waiting = coroutine.send(None)
        except StopIteration as stop:
            return stop.value


def answer_finished(conn: httputil.HTTPConnection, answer: WebhookAnswer) -> None:
    """An update is handled: its held reply, if any, is the answer's body."""
    body = answer.close(finished=True)
    if body is None:
        respond(conn, HTTPStatus.OK)
    else:
        data = _ENCODE(body).encode()
        respond(conn, HTTPStatus.OK, data, {"Content-Type": _JSON})


# A plain text message (what a command or a question is) has only these fields; its Update is
# built with the constructors, skipping de_json's ~100 checks for absent fields (half its cost).
_PLAIN_UPDATE = frozenset({"update_id", "message"})
_PLAIN_MESSAGE = frozenset({"message_id", "date", "chat", "from", "text", "entities"})


def parse_update(data: Any, bot: ExtBot[Any]) -> Update | None:
    """The Update of a webhook body: a plain text message built directly, anything else (or
    anything odd in it) by `Update.de_json`; the two give equal objects (tests pin it)."""
    message = data.get("message") if isinstance(data, dict) else None
    if (
        isinstance(message, dict)
        and data.keys() <= _PLAIN_UPDATE
        and message.keys() <= _PLAIN_MESSAGE
    ):
        try:
            return _plain_update(data, message, bot)
        except Exception:  # not what it looked like: PTB's own parsing decides
            pass
    return Update.de_json(data, bot)


def _plain_update(data: dict[str, Any], message: dict[str, Any], bot: ExtBot[Any]) -> Update:
    """A plain text message's Update through the public constructors (as de_json builds it)."""
    if not isinstance(data["update_id"], int) or not isinstance(message["message_id"], int):
        raise TypeError("not a plain message")
    sender = message.get("from")
    entities = message.get("entities")
    if not isinstance(message["date"], int) or message["date"] == 0:  # 0: inaccessible
        raise TypeError("not a plain message's date")
    date = from_timestamp(message["date"], tzinfo=extract_tzinfo_from_defaults(bot))
    if date is None:
        raise TypeError("a message has a date")
    chat = CHATS.from_json(message["chat"], bot)
    fields = {
        "message_id": message["message_id"],
        "date": date,
        "chat": chat,
        "from_user": USERS.from_json(sender, bot) if sender is not None else None,
        "text": message.get("text"),
        "entities": entities_from_json(entities, bot) if entities is not None else (),
    }
    built = MESSAGES.make(fields, (message["message_id"], chat), bot)
    update_id = data["update_id"]
    update: Update = UPDATES.make({"update_id": update_id, "message": built}, (update_id,), bot)
    return update


class _Answer:
    """Answers one accepted update's request once: when its task ends, or when time is up."""

    def __init__(
        self,
        hook: Hook,
        conn: httputil.HTTPConnection,
        answer: WebhookAnswer,
        task: asyncio.Task[Any],
    ) -> None:
        """Wait for whichever comes first."""
        self.hook, self.conn, self.answer = hook, conn, answer
        self.timer = asyncio.get_running_loop().call_later(ANSWER_SECONDS, self.late)
        task.add_done_callback(self.done)

    def done(self, _task: asyncio.Task[Any]) -> None:
        """The update is handled: its held reply, if any, is the answer's body."""
        if self.answer.open:
            self.timer.cancel()
            answer_finished(self.conn, self.answer)

    def late(self) -> None:
        """Still running: answer empty, and send a reply held meanwhile as a request."""
        if not self.answer.open:
            return
        self.answer.close(finished=False)
        respond(self.conn, HTTPStatus.OK)
        release = asyncio.create_task(self._release())
        self.hook.pending.add(release)
        release.add_done_callback(self.hook.pending.discard)

    async def _release(self) -> None:
        """The held reply as a request of its own (after the answer)."""
        try:
            await self.answer.release()
        except Exception:
            logger.exception("Could not send a reply held for the webhook's answer")


def respond(
    conn: httputil.HTTPConnection,
    status: HTTPStatus,
    body: bytes = b"",
    extra: dict[str, str] | None = None,
) -> None:
    """Write a whole HTTP answer on the connection (nothing if the client went away)."""
    headers = httputil.HTTPHeaders({"Content-Length": str(len(body))})
    for name, value in (extra or {}).items():
        headers[name] = value
    start = httputil.ResponseStartLine("HTTP/1.1", int(status), status.phrase)
    try:
        conn.write_headers(start, headers, body)
        conn.finish()
    except Exception:  # the connection closed meanwhile: Telegram will post again
        logger.debug("Could not answer a webhook request", exc_info=True)


def _log_failure(task: asyncio.Task[Any]) -> None:
    """An update's task is done: log a failure that escaped the Application's error handler."""
    if not task.cancelled() and task.exception() is not None:
        logger.error("A webhook update failed", exc_info=task.exception())


class _HookRequest(httputil.HTTPMessageDelegate):
    """Reads one request on the webhook path, then hands it to the Hook."""

    def __init__(self, hook: Hook, conn: httputil.HTTPConnection, method: str, given: str) -> None:
        """Headers already seen: the method and the secret header."""
        self.hook, self.conn, self.method, self.given = hook, conn, method, given
        self.chunks: list[bytes] = []

    def data_received(self, chunk: bytes) -> None:
        """A piece of the body (the server bounds the whole)."""
        self.chunks.append(chunk)

    def finish(self) -> None:
        """The whole request is in."""
        body = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        self.chunks = []
        self.hook.receive(self.conn, self.method, self.given, body)

    def on_connection_close(self) -> None:
        """The client left before the body ended: nothing to do."""
        self.chunks = []


class _Switch(httputil.HTTPMessageDelegate):
    """Chooses, from the request line, who reads the request: the Hook or tornado.web."""

    def __init__(
        self, router: HookRouter, server_conn: object, conn: httputil.HTTPConnection
    ) -> None:
        """Nothing chosen before the headers."""
        self.router, self.server_conn, self.conn = router, server_conn, conn
        self.delegate: httputil.HTTPMessageDelegate | None = None

    def headers_received(
        self,
        start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
        headers: httputil.HTTPHeaders,
    ) -> Any:
        """The webhook path goes to the Hook; anything else to the tornado.web Application."""
        router = self.router
        assert isinstance(start_line, httputil.RequestStartLine)
        if start_line.path.partition("?")[0] == router.path:
            given = headers.get(SECRET_HEADER, "")
            self.delegate = _HookRequest(router.hook, self.conn, start_line.method, given)
            return None
        self.delegate = router.web.start_request(self.server_conn, self.conn)
        return self.delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Any:
        """Forwarded."""
        assert self.delegate is not None
        return self.delegate.data_received(chunk)

    def finish(self) -> None:
        """Forwarded."""
        assert self.delegate is not None
        self.delegate.finish()

    def on_connection_close(self) -> None:
        """Forwarded (if anyone was chosen)."""
        if self.delegate is not None:
            self.delegate.on_connection_close()


class HookRouter(httputil.HTTPServerConnectionDelegate):
    """The HTTP server's delegate: the webhook path to the Hook, the rest to tornado.web."""

    def __init__(self, path: str, hook: Hook, web: TornadoApplication) -> None:
        """`path` exactly as Telegram posts to it (e.g. /telegram)."""
        self.path, self.hook, self.web = path, hook, web

    def start_request(
        self, server_conn: object, request_conn: httputil.HTTPConnection
    ) -> httputil.HTTPMessageDelegate:
        """One request on a connection."""
        return _Switch(self, server_conn, request_conn)

    def on_close(self, server_conn: object) -> None:
        """A connection closed (tornado.web keeps nothing per connection either)."""
        self.web.on_close(server_conn)
