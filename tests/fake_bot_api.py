"""A minimal Bot API server on 127.0.0.1 for end-to-end tests of `python -m bot run`."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Ký số", "username": "kyso_test_bot"}


class FakeBotApi:
    """Serves queued updates to getUpdates and records every method call."""

    def __init__(self, token: str, send_delay: float = 0.0) -> None:
        """Bind to a free loopback port; `send_delay` makes each sendMessage take that long."""
        self.token = token
        self.send_delay = send_delay
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.message_id = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Silence the default access log."""

            def do_POST(self) -> None:
                """Answer one Bot API call."""
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if len(raw) < length:  # the client was killed while sending: no call
                    return
                body = raw.decode()
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    params = json.loads(body or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(body).items()}
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                method = self.path[len(prefix) :]
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

            def handle_error(self, request: object, client_address: object) -> None:
                """A client killed mid-request (the crash tests do that) is not an error."""

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Value for TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        """Result for one call."""
        if method == "sendMessage" and self.send_delay:
            time.sleep(self.send_delay)
        with self.lock:
            self.calls.append((method, params))
            if method == "getMe":
                return BOT_USER
            if method == "getUpdates":
                pending, self.updates = self.updates, []
            elif method == "sendMessage":
                self.message_id += 1
                return {
                    "message_id": self.message_id,
                    "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "text": params.get("text", ""),
                }
            else:
                return True
        if not pending:
            time.sleep(0.2)  # a short long-poll
        return pending

    def sent_chats(self) -> list[int]:
        """Chat ids of sendMessage calls so far."""
        with self.lock:
            return [int(p["chat_id"]) for m, p in self.calls if m == "sendMessage"]

    def sent_texts(self) -> list[str]:
        """Texts of sendMessage calls so far."""
        with self.lock:
            return [p.get("text", "") for m, p in self.calls if m == "sendMessage"]

    def __enter__(self) -> FakeBotApi:
        """Start serving."""
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
