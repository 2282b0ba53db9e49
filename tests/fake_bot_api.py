"""A Bot API server on 127.0.0.1 for end-to-end tests and the delivery benchmark.

By default it accepts everything. With `FloodLimits` it enforces Telegram's flood limits the way
the real server answers them (HTTP 429 with `retry_after`); with `Faults` it answers some sends
with 502, holds some past the client's timeout and refuses chats that blocked the bot (403).
Every accepted message is recorded per chat.

Counting a held send: with probability `timeout_delivered` Telegram had delivered the message
before the answer was lost. Such a message is recorded as accepted (and counts against the
limits); the client cannot know, retries, and the chat may get it twice. `lost_answer_chats`
lists those chats, so a duplicate there is expected of at-least-once delivery; any other
duplicate is a sender bug.
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Ký số", "username": "kyso_test_bot"}


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's limits: 30 messages/s overall, 1/s per private chat, 20/min per group."""

    overall_per_second: int = 30
    private_interval: float = 1.0
    group_per_minute: int = 20


@dataclass(frozen=True)
class Faults:
    """Injected failures; fractions are per send, drawn from a seeded generator."""

    server_error: float = 0.0  # answer 502 Bad Gateway (nothing delivered)
    timeout: float = 0.0  # hold the answer for `hold_seconds` (past the client's timeout)
    timeout_delivered: float = 0.5  # of the held sends, the fraction delivered all the same
    hold_seconds: float = 6.0  # python-telegram-bot's default read timeout is 5 s
    blocked: frozenset[int] = frozenset()  # chats answered 403 "bot was blocked by the user"
    seed: int = 1


@dataclass(frozen=True)
class _Answer:
    """What the server answers to one call, after how long."""

    status: int
    payload: dict[str, Any]
    delay: float = 0.0


class ManualClock:
    """The server's time for the flood limits, moved by hand rather than by the wall clock: on a
    busy machine a test's sends may be seconds apart, yet still count as "at once". A flood
    answer moves it on by the wait it asks for (the client waits that long before it retries)."""

    def __init__(self) -> None:
        """Start at 0."""
        self.now = 0.0

    def __call__(self) -> float:
        """The current time in seconds."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move on."""
        self.now += seconds


def _error(status: int, description: str, **parameters: Any) -> dict[str, Any]:
    """A Bot API error body."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _form_fields(raw: bytes, ctype: str) -> dict[str, str]:
    """The text fields of a multipart/form-data body (files are skipped)."""
    boundary = ctype.partition("boundary=")[2].strip('"').encode()
    fields: dict[str, str] = {}
    for part in raw.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head)
        if name is None or b"filename=" in head:
            continue
        fields[name.group(1).decode()] = value.removesuffix(b"\r\n").decode(errors="replace")
    return fields


class FakeBotApi:
    """Serves queued updates to getUpdates, answers sends and records every method call."""

    def __init__(
        self,
        token: str,
        send_delay: float = 0.0,
        limits: FloodLimits | None = None,
        faults: Faults | None = None,
        port: int = 0,
        clock: ManualClock | None = None,
    ) -> None:
        """Bind to a loopback port (a free one by default); `send_delay` makes each
        sendMessage take that long; `clock` replaces the wall clock for the flood limits."""
        self.token = token
        self.send_delay = send_delay
        self.limits = limits
        self.faults = faults or Faults()
        self.clock = clock
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self.accepted: list[tuple[int, float, str]] = []  # (chat id, monotonic time, text)
        self.answered: Counter[str] = Counter()  # "429", "502", "403", "timeout_delivered" …
        self.lost_answer_chats: set[int] = set()
        self.lock = threading.Lock()
        self.message_id = 0
        self._rng = random.Random(self.faults.seed)
        self._window: deque[float] = deque()  # accepted sends in the last second
        self._private_last: dict[int, float] = {}
        self._group_times: dict[int, deque[float]] = {}
        api = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK
            protocol_version = "HTTP/1.1"  # keep-alive, as api.telegram.org

            def log_message(self, *args: object) -> None:
                """Silence the default access log."""

            def do_POST(self) -> None:
                """Answer one Bot API call."""
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if len(raw) < length:  # the client died mid-request: Telegram saw nothing
                    return
                body = raw.decode(errors="replace")
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    params = json.loads(body or "{}")
                elif "multipart" in ctype:  # an upload (sendPhoto): its plain fields
                    params = _form_fields(raw, ctype)
                else:
                    params = {k: v[0] for k, v in parse_qs(body).items()}
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._send(404, _error(404, "Not Found"))
                    return
                method = self.path[len(prefix) :]
                if method in ("sendMessage", "sendPhoto"):
                    answer = api.admit(params)
                    if answer.delay:
                        time.sleep(answer.delay)
                    self._send(answer.status, answer.payload)
                    return
                self._send(200, {"ok": True, "result": api.answer(method, params)})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request: object, client_address: object) -> None:
                """A client gone mid-request (killed, or timed out on a held send) is normal."""

        self.server = QuietServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Value for TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        """Result for a call other than sendMessage."""
        with self.lock:
            self.calls.append((method, params))
            if method == "getMe":
                return BOT_USER
            if method == "getUpdates":
                pending, self.updates = self.updates, []
            else:
                return True
        if not pending:
            time.sleep(0.2)  # a short long-poll
        return pending

    def admit(self, params: dict[str, Any]) -> _Answer:
        """Decide a sendMessage: blocked, flood-limited, injected fault or accepted."""
        chat_id = int(params["chat_id"])
        text = str(params.get("text", params.get("caption", "")))
        faults = self.faults
        with self.lock:
            self.calls.append(("sendMessage", params))
            now = self.clock() if self.clock is not None else time.monotonic()
            if chat_id in faults.blocked:
                self.answered["403"] += 1
                return _Answer(403, _error(403, "Forbidden: bot was blocked by the user"))
            wait = self._flood_wait(chat_id, now)
            if wait > 0:
                self.answered["429"] += 1
                seconds = max(1, math.ceil(wait))
                if self.clock is not None:
                    self.clock.advance(seconds)
                return _Answer(
                    429,
                    _error(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds),
                )
            draw = self._rng.random()
            if draw < faults.server_error:
                self.answered["502"] += 1
                return _Answer(502, _error(502, "Bad Gateway"), self.send_delay)
            if draw < faults.server_error + faults.timeout:
                if self._rng.random() < faults.timeout_delivered:
                    self.answered["timeout_delivered"] += 1
                    self.lost_answer_chats.add(chat_id)
                    message = self._accept(chat_id, now, text)
                    return _Answer(200, {"ok": True, "result": message}, faults.hold_seconds)
                self.answered["timeout_lost"] += 1
                return _Answer(504, _error(504, "Gateway Timeout"), faults.hold_seconds)
            self.answered["200"] += 1
            message = self._accept(chat_id, now, text)
        return _Answer(200, {"ok": True, "result": message}, self.send_delay)

    def _flood_wait(self, chat_id: int, now: float) -> float:
        """Seconds until a message to this chat would be within the limits (0: allowed now)."""
        if self.limits is None:
            return 0.0
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        waits = [0.0]
        if len(self._window) >= self.limits.overall_per_second:
            waits.append(self._window[0] + 1.0 - now)
        if chat_id > 0:
            last = self._private_last.get(chat_id)
            if last is not None:
                waits.append(last + self.limits.private_interval - now)
        else:
            times = self._group_times.get(chat_id, deque())
            while times and times[0] <= now - 60.0:
                times.popleft()
            if len(times) >= self.limits.group_per_minute:
                waits.append(times[0] + 60.0 - now)
        return max(waits)

    def _accept(self, chat_id: int, now: float, text: str) -> dict[str, Any]:
        """Record a delivered message (caller holds the lock) and return the Message object."""
        self.accepted.append((chat_id, now, text))
        self._window.append(now)
        if chat_id > 0:
            self._private_last[chat_id] = now
        else:
            self._group_times.setdefault(chat_id, deque()).append(now)
        self.message_id += 1
        return {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "text": text,
        }

    def sent_chats(self) -> list[int]:
        """Chat ids of accepted messages so far, in order."""
        with self.lock:
            return [chat_id for chat_id, _, _ in self.accepted]

    def sent_texts(self) -> list[str]:
        """Texts of accepted messages so far, in order."""
        with self.lock:
            return [text for _, _, text in self.accepted]

    def per_chat(self) -> Counter[int]:
        """Accepted messages per chat."""
        with self.lock:
            return Counter(chat_id for chat_id, _, _ in self.accepted)

    def first_delivery(self) -> dict[int, float]:
        """Monotonic time each chat first got a message."""
        with self.lock:
            first: dict[int, float] = {}
            for chat_id, t, _ in self.accepted:
                first.setdefault(chat_id, t)
            return first

    def busiest_second(self) -> int:
        """The most messages accepted within any one-second window."""
        with self.lock:
            times = sorted(t for _, t, _ in self.accepted)
        most, start = 0, 0
        for end, t in enumerate(times):
            while times[start] <= t - 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    def __enter__(self) -> FakeBotApi:
        """Start serving."""
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
