"""An update's first reply carried by the webhook's HTTP answer instead of a request of its own.

The Bot API lets a webhook answer an update with a method call in the HTTP response body
(`{"method": "sendMessage", …}`); Telegram performs it, but nobody learns its result. The
webhook server (bot/web.py) handles each update while Telegram waits, for at most
`ANSWER_SECONDS`; a lean reply (handlers/replies.reply_lean, a private chat) made meanwhile is
held here. If the update finishes in time, the held reply becomes the answer's body. Otherwise —
and before any other call to the Bot API during the update (a second reply, an edit, the error
handler's apology) — the held reply is sent as a request of its own first, so the person
receives everything in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

logger = logging.getLogger(__name__)

# How long Telegram's webhook request may wait for the update's first reply. A /tyle is answered
# in about a millisecond; an update still running after this is answered empty, and its replies
# go out as requests of their own.
ANSWER_SECONDS = 0.5

Post = Callable[[str, dict[str, Any]], Awaitable[Any]]


class WebhookAnswer:
    """The reply one webhook update's HTTP answer may carry (made per update by the server)."""

    def __init__(self) -> None:
        """Open: the first lean reply may be held."""
        self.open = True
        self._held: tuple[Post, str, dict[str, Any], dict[str, Any]] | None = None
        self._lock = asyncio.Lock()

    def hold(self, post: Post, method: str, data: dict[str, Any], body: dict[str, Any]) -> bool:
        """Keep a call for the answer (`data` for `post`, `body` its JSON with the method);
        False when it must be sent now (closed, or a reply is already held)."""
        if not self.open or self._held is not None:
            return False
        self._held = (post, method, data, body)
        return True

    async def release(self) -> None:
        """Send the held call, if any, as a request of its own (waits for one under way)."""
        async with self._lock:
            held, self._held = self._held, None
            if held is None:
                return
            post, method, data, _body = held
            token = _current.set(None)  # the call itself must not come back here
            try:
                await post(method, data)
            finally:
                _current.reset(token)

    def close(self, *, finished: bool) -> dict[str, Any] | None:
        """Hold nothing more; the held call's body when the update finished (else None: the
        caller then releases it)."""
        self.open = False
        if finished and self._held is not None:
            body = self._held[3]
            self._held = None
            return body
        return None


_current: ContextVar[WebhookAnswer | None] = ContextVar("kyso_webhook_answer", default=None)


def bind_answer(answer: WebhookAnswer) -> None:
    """Make `answer` the one for this context (the webhook server, for one update's task)."""
    _current.set(answer)


def current_answer() -> WebhookAnswer | None:
    """The webhook answer of the update being handled, if it came by webhook."""
    return _current.get()
