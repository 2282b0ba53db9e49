"""Replies honour Telegram's flood waits: a reply refused with 429 is sent again after retry_after.

Replies go out at once (they never wait behind a broadcast: pushes are paced by the outbox
sender). When Telegram still refuses one — the second part of a long reply to the same person
within a second, a busy group — it answers 429 with `retry_after`; the reply is then sent again
after that wait, a bounded number of times, instead of being lost with a log line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters, TelegramObject
from telegram.constants import ChatType
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from handlers.webhook_answer import current_answer

logger = logging.getLogger(__name__)

MAX_RETRIES = 2
MAX_WAIT = 30.0  # seconds; a longer flood wait is not worth holding the update for
MARGIN = 0.1  # seconds added to retry_after, as Telegram counts from its own clock
# rate_limit_args for calls that handle RetryAfter themselves (the outbox sender).
NO_RETRY: dict[str, Any] = {"max_retries": 0}


def wait_seconds(exc: RetryAfter) -> float:
    """retry_after in seconds (PTB gives an int or a timedelta)."""
    after = exc.retry_after
    return after.total_seconds() if isinstance(after, dt.timedelta) else float(after)


class ReplyRetry(BaseRateLimiter[dict[str, Any]]):
    """A rate limiter that does not throttle: it only retries calls refused with 429.

    A call is retried at most MAX_RETRIES times (or `rate_limit_args["max_retries"]`), and only
    when Telegram asks for MAX_WAIT seconds or less; otherwise RetryAfter reaches the caller.
    """

    def __init__(self, sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep) -> None:
        """`sleep` is replaceable for tests."""
        self.sleep = sleep
        # Called for each 429 waited out (metrics); one that reaches the caller is counted there.
        self.on_wait: Callable[[], None] | None = None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Make the call; after a 429, wait what Telegram asks and make it again (bounded)."""
        answer = current_answer()
        if answer is not None:  # a reply held for the webhook's answer goes first
            await answer.release()
        retries = int((rate_limit_args or {}).get("max_retries", MAX_RETRIES))
        attempt = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = wait_seconds(exc)
                if attempt >= retries or wait > MAX_WAIT:
                    raise
                attempt += 1
                if self.on_wait is not None:
                    self.on_wait()
                logger.info(
                    "Telegram asked to wait %g s before %s to chat %s; sending again then",
                    wait,
                    endpoint,
                    data.get("chat_id"),
                )
                await self.sleep(wait + MARGIN)


# Defaults a sendMessage takes (telegram.ext.Defaults), resolved once per Defaults object.
_SEND_DEFAULTS = ("disable_notification", "link_preview_options", "parse_mode", "protect_content")
_resolved: list[tuple[object, dict[str, Any]]] = []


def _send_defaults(bot: Bot) -> dict[str, Any]:
    """The application's Defaults for sendMessage as Bot API JSON values ({} without any)."""
    defaults = getattr(bot, "defaults", None)
    if defaults is None:
        return {}
    for owner, fields in _resolved:
        if owner is defaults:
            return fields
    api: dict[str, Any] = defaults.api_defaults
    fields = {}
    for key in _SEND_DEFAULTS:
        value = api.get(key)
        if value is not None:
            fields[key] = value.to_dict() if isinstance(value, TelegramObject) else value
    _resolved[:] = [(defaults, fields)]
    return fields


async def reply_lean(
    message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """`message.reply_text(text, reply_markup=…)` without building the Message Telegram returns.

    Nobody reads that Message on the hot path, and building it was a quarter of a /tyle's CPU;
    the request is built from the Bot API's own JSON (the application's Defaults resolved once),
    not from PTB's objects. The request is the same, defaults and flood-wait retries included
    (tests/test_standings_cache.py compares it with reply_text's in private chats, groups and
    forum topics). This is the one place that uses PTB's private `Bot._post`; without it (a
    future PTB) the reply goes through the public `reply_text`.
    """
    bot = message.get_bot()
    post = getattr(bot, "_post", None)
    if post is None:
        await message.reply_text(text, reply_markup=reply_markup)
        return
    defaults = getattr(bot, "defaults", None)
    do_quote = defaults.do_quote if defaults is not None else None
    quote = do_quote if do_quote is not None else message.chat.type != ChatType.PRIVATE
    data: dict[str, Any] = {"chat_id": message.chat_id, "text": text, **_send_defaults(bot)}
    if message.business_connection_id is not None:
        data["business_connection_id"] = message.business_connection_id
    topic = message.direct_messages_topic
    if topic is not None:
        data["direct_messages_topic_id"] = topic.topic_id
    if message.is_topic_message and message.message_thread_id is not None:
        data["message_thread_id"] = message.message_thread_id
    if reply_markup is not None:
        data["reply_markup"] = reply_markup
    if quote:  # groups: PTB's Defaults may add to the reply parameters, so let it
        data["reply_parameters"] = ReplyParameters(message.message_id)
    else:
        answer = current_answer()
        if answer is not None and answer.hold(post, "sendMessage", data, _body(data)):
            return  # carried by the webhook's HTTP answer (handlers/webhook_answer.py)
    await post("sendMessage", data)  # Bot.send_message without Message.de_json


def _body(data: dict[str, Any]) -> dict[str, Any]:
    """A sendMessage as the Bot API's JSON, with its method: a webhook answer's body."""
    body = {k: v.to_dict() if isinstance(v, TelegramObject) else v for k, v in data.items()}
    return {"method": "sendMessage", **body}


async def send_lean(
    bot: Bot,
    chat_id: int,
    text: str,
    reply_markup: dict[str, Any] | None = None,
    *,
    retry: bool = True,
) -> int | None:
    """`bot.send_message(chat_id, text, reply_markup=…)` without building the Message Telegram
    returns; the new message's id.

    The outbox sender's path (a push costs a few ms of CPU, and PTB's parameter handling and the
    returned Message were a sixth of it): `reply_markup` is the Bot API's JSON as stored on the
    row, the application's Defaults are resolved once. `retry=False` asks the application's
    ReplyRetry not to wait out a 429: RetryAfter reaches the caller, as `NO_RETRY` does for
    send_message. Without PTB's private `Bot._post` (a future PTB) it goes through the public
    send_message (tests pin both requests).
    """
    post = getattr(bot, "_post", None)
    limited = getattr(bot, "rate_limiter", None) is not None
    merge = getattr(bot, "_merge_api_rl_kwargs", None)
    if post is None or (limited and not retry and merge is None):
        markup = InlineKeyboardMarkup.de_json(reply_markup, bot) if reply_markup else None
        own: dict[str, Any] = {"rate_limit_args": NO_RETRY} if limited and not retry else {}
        message = await bot.send_message(chat_id, text, reply_markup=markup, **own)
        return message.message_id
    data: dict[str, Any] = {"chat_id": chat_id, "text": text, **_send_defaults(bot)}
    if reply_markup:
        data["reply_markup"] = reply_markup
    extra = merge(None, dict(NO_RETRY)) if limited and not retry and merge is not None else None
    result = await post("sendMessage", data, api_kwargs=extra)
    found = result.get("message_id") if isinstance(result, dict) else None
    return int(found) if found is not None else None
