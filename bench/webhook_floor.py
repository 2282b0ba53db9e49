"""The floors bench/webhook_load.py sets beside kyso: the simplest webhook servers that answer
the same posted /tyle, each in its own process, against the same fake Bot API.

- `ptb`: the webhook bot a python-telegram-bot user would write: `Application.run_webhook`
  (PTB's own tornado server), one `CommandHandler("tyle")` replying a fixed text with
  `reply_text` (a request to the Bot API, as PTB does);
- `tornado`: tornado's `web.Application` with one `RequestHandler` answering every POST with a
  fixed `sendMessage` JSON body (the interpreter + tornado.web + loopback floor);
- `raw`: the same answer from a bare `HTTPServer` callback (`HTTPMessageDelegate`), without
  tornado.web (the interpreter + tornado's HTTP/1.1 + loopback floor);
- `asyncio`: the same answer from a bare `asyncio.Protocol` feeding httptools' parser, what
  kyso's own server (bot/http_server/) is built on (the interpreter + asyncio + loopback floor).

Run one alone: `python bench/webhook_floor.py ptb --port 8443 --api-port 8081`.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

from webhook_parts import HOOK_PATH, SECRET, TOKEN  # run as a script: bench/ is on the path

KINDS = ("ptb", "tornado", "raw", "asyncio")
# About as long as kyso's /tyle answer for one unit (~0.8 KB), Vietnamese like it.
TEXT = (
    "📊 Đảng ủy xã Nam Tiền Hải\n"
    "Tỷ lệ văn bản điện tử được ký số: 82,5% (33/40 văn bản)\n"
    "Kỳ báo cáo: 08/06/2026 – 22/06/2026 (số liệu đến 15:00 22/06/2026)\n"
    "Xếp hạng: 62/104\n"
    "⚠️ Dưới 80%: đơn vị phải có báo cáo giải trình gửi Văn phòng Tỉnh ủy.\n"
) * 3


def answer_body(chat_id: int) -> bytes:
    """The webhook answer kyso gives a /tyle in a private chat: a sendMessage Telegram performs."""
    return json.dumps(
        {"method": "sendMessage", "chat_id": chat_id, "text": TEXT, "parse_mode": "HTML"},
        ensure_ascii=False,
    ).encode()


def chat_of(body: bytes) -> int:
    """The chat a posted update came from (the answer is addressed to it, as kyso's is)."""
    update = json.loads(body)
    return int(update["message"]["chat"]["id"])


def run_ptb(port: int, api_port: int) -> None:
    """PTB's own webhook server and one CommandHandler (the user's simplest bot)."""
    from telegram import Update
    from telegram.ext import Application, CommandHandler, ContextTypes

    async def tyle(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(TEXT)

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"http://127.0.0.1:{api_port}/bot")
        .concurrent_updates(16)
        .build()
    )
    app.add_handler(CommandHandler("tyle", tyle))
    app.run_webhook(
        listen="127.0.0.1",
        port=port,
        url_path=HOOK_PATH.strip("/"),
        secret_token=SECRET,
        webhook_url=f"https://bench.invalid{HOOK_PATH}",
    )


def run_tornado(port: int) -> None:
    """tornado.web: one RequestHandler answering every POST with the fixed sendMessage."""
    import tornado.web
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            if self.request.headers.get("X-Telegram-Bot-Api-Secret-Token") != SECRET:
                self.set_status(403)
                return
            self.set_header("Content-Type", "application/json")
            self.finish(answer_body(chat_of(self.request.body)))

    app = tornado.web.Application([(HOOK_PATH, Hook)], log_function=lambda _h: None)
    HTTPServer(app).listen(port, address="127.0.0.1")
    IOLoop.current().start()


def run_raw(port: int) -> None:
    """tornado's HTTP/1.1 server alone: an HTTPMessageDelegate per request, no tornado.web."""
    from tornado import httputil
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    class Request(httputil.HTTPMessageDelegate):
        def __init__(self, conn: httputil.HTTPConnection) -> None:
            self.conn = conn
            self.chunks: list[bytes] = []
            self.allowed = False

        def headers_received(self, start_line: Any, headers: httputil.HTTPHeaders) -> None:
            self.allowed = headers.get("X-Telegram-Bot-Api-Secret-Token") == SECRET

        def data_received(self, chunk: bytes) -> None:
            self.chunks.append(chunk)

        def finish(self) -> None:
            body = answer_body(chat_of(b"".join(self.chunks))) if self.allowed else b""
            head = httputil.HTTPHeaders(
                {"Content-Type": "application/json", "Content-Length": str(len(body))}
            )
            status = 200 if self.allowed else 403
            line = httputil.ResponseStartLine("HTTP/1.1", status, "OK")
            self.conn.write_headers(line, head, body)
            self.conn.finish()

        def on_connection_close(self) -> None:
            self.chunks.clear()

    class Server(httputil.HTTPServerConnectionDelegate):
        def start_request(
            self, server_conn: object, request_conn: httputil.HTTPConnection
        ) -> httputil.HTTPMessageDelegate:
            return Request(request_conn)

    HTTPServer(Server()).listen(port, address="127.0.0.1")
    IOLoop.current().start()


def run_asyncio(port: int) -> None:
    """asyncio's transports and httptools' parser alone: one Protocol per connection."""
    import asyncio

    import httptools

    class Request(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.parser = httptools.HttpRequestParser(self)
            self.chunks: list[bytes] = []
            self.allowed = False

        def on_header(self, name: bytes, value: bytes) -> None:
            if name.lower() == b"x-telegram-bot-api-secret-token":
                self.allowed = value == SECRET.encode()

        def on_body(self, chunk: bytes) -> None:
            self.chunks.append(chunk)

        def on_message_complete(self) -> None:
            body = answer_body(chat_of(b"".join(self.chunks))) if self.allowed else b""
            status = b"200 OK" if self.allowed else b"403 Forbidden"
            self.transport.write(
                b"HTTP/1.1 %b\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%b"
                % (status, len(body), body)
            )
            self.chunks, self.allowed = [], False

        def data_received(self, data: bytes) -> None:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self.transport.close()

    async def serve() -> None:
        server = await asyncio.get_running_loop().create_server(Request, "127.0.0.1", port)
        await server.serve_forever()

    asyncio.run(serve())


def main() -> None:
    """Run one floor server until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-port", type=int, help="the fake Bot API (ptb only)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.kind == "ptb":
        run_ptb(args.port, args.api_port)
    elif args.kind == "tornado":
        run_tornado(args.port)
    elif args.kind == "asyncio":
        run_asyncio(args.port)
    else:
        run_raw(args.port)


if __name__ == "__main__":
    main()
