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

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram.constants import ChatType
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

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


async def reply_lean(
    message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """`message.reply_text(text, reply_markup=…)` without building the Message Telegram returns.

    Nobody reads that Message on the hot path, and building it was a quarter of a /tyle's CPU.
    The request is the same, defaults and flood-wait retries included (tests/test_rate_query.py
    compares it with reply_text's in private chats, groups and forum topics).
    """
    bot = message.get_bot()
    defaults = getattr(bot, "defaults", None)
    do_quote = defaults.do_quote if defaults is not None else None
    quote = do_quote if do_quote is not None else message.chat.type != ChatType.PRIVATE
    topic = message.direct_messages_topic
    data: dict[str, Any] = {
        "chat_id": message.chat_id,
        "text": text,
        "entities": None,
        "allow_paid_broadcast": None,
        "business_connection_id": message.business_connection_id,
        "direct_messages_topic_id": topic.topic_id if topic is not None else None,
        "disable_notification": DEFAULT_NONE,
        "link_preview_options": DEFAULT_NONE,
        "message_thread_id": message.message_thread_id if message.is_topic_message else None,
        "message_effect_id": None,
        "parse_mode": DEFAULT_NONE,
        "protect_content": DEFAULT_NONE,
        "reply_markup": reply_markup,
        "reply_parameters": ReplyParameters(message.message_id) if quote else None,
        "suggested_post_parameters": None,
    }
    await bot._post("sendMessage", data)  # Bot.send_message without Message.de_json
