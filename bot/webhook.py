"""POST <webhook path>: what the bot's HTTP server (bot/http_server/) does with an update.

A webhook update is the bot's busiest request, so it is answered straight on its connection,
without tornado.web: the secret token checked (403), other methods refused (405), JSON checked
(400), a stopping bot refused (503); the server has bounded the body (413). An accepted update
is handled while Telegram waits, at most ANSWER_SECONDS, and its first reply may ride on the
answer (handlers/webhook_answer.py).
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

from bot.http_server import Exchange, Request
from handlers.context import KysoApp
from handlers.webhook_answer import ANSWER_SECONDS, WebhookAnswer, bind_answer
from handlers.webhook_objects import CHATS, MESSAGES, UPDATES, USERS, entities_from_json

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET = SECRET_HEADER.lower().encode()
_JSON = (("Content-Type", "application/json"),)
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

    def __call__(self, conn: Exchange, request: Request) -> None:
        """One whole request on the webhook path."""
        if request.method != "POST":
            conn.respond(HTTPStatus.METHOD_NOT_ALLOWED, headers=(("Allow", "POST"),))
            return
        given = request.header(_SECRET)
        if self.secret is None or given is None or not hmac.compare_digest(given, self.secret):
            self._count["forbidden"].inc()
            logger.warning(
                "Webhook request refused: %s secret token from %s",
                "wrong" if given else "no",
                conn.context.remote_ip,
            )
            conn.respond(HTTPStatus.FORBIDDEN)
            return
        if not self.app.running:
            self._count["unavailable"].inc()
            logger.warning("Webhook request refused: the bot is stopping (503)")
            conn.respond(HTTPStatus.SERVICE_UNAVAILABLE)  # Telegram retries; another worker may
            return
        try:
            update = parse_update(json.loads(request.body), self.app.bot)
        except Exception:
            update = None
        if not isinstance(update, Update):
            self._count["bad_request"].inc()
            logger.warning("Webhook request with an unreadable body refused")
            conn.respond(HTTPStatus.BAD_REQUEST)
            return
        self._count["accepted"].inc()
        self._handle(conn, update)

    def _handle(self, conn: Exchange, update: Update) -> None:
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


def answer_finished(conn: Exchange, answer: WebhookAnswer) -> None:
    """An update is handled: its held reply, if any, is the answer's body."""
    body = answer.close(finished=True)
    if body is None:
        conn.respond(HTTPStatus.OK)
    else:
        conn.respond(HTTPStatus.OK, _ENCODE(body).encode(), _JSON)


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
        conn: Exchange,
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
        self.conn.respond(HTTPStatus.OK)
        release = asyncio.create_task(self._release())
        self.hook.pending.add(release)
        release.add_done_callback(self.hook.pending.discard)

    async def _release(self) -> None:
        """The held reply as a request of its own (after the answer)."""
        try:
            await self.answer.release()
        except Exception:
            logger.exception("Could not send a reply held for the webhook's answer")


def _log_failure(task: asyncio.Task[Any]) -> None:
    """An update's task is done: log a failure that escaped the Application's error handler."""
    if not task.cancelled() and task.exception() is not None:
        logger.error("A webhook update failed", exc_info=task.exception())
