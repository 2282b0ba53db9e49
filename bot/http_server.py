"""The bot's HTTP/1.1 server: asyncio's transports, requests parsed by httptools (llhttp).

Why not tornado's HTTPServer: per request it runs several coroutines, an IOStream and header
parsing in Python. Measured with the same load generator (`bench/webhook_load.py`, floors
`raw` and `asyncio`): a bare answer costs ~1.4 ms of CPU at 50 requests a second on tornado's
HTTP layer, ~0.5 ms here; kyso's webhook update ~0.8 ms less. No well-kept library gives this
without its own framework (uvicorn speaks ASGI, which tornado.web does not), so the server is
this module: llhttp parses (the request line, the headers, lengths, chunked bodies, request
smuggling), the code here frames, bounds and orders.

- The webhook path (when a `hook` is given) is answered straight on the connection
  (`Exchange.respond`); every other request is handed whole to a tornado.web Application
  through tornado's public HTTP interfaces (`HTTPServerConnectionDelegate.start_request`,
  `HTTPMessageDelegate`, `HTTPConnection`): /healthz, /metrics and the dashboard stay
  tornado.web handlers.
- Hostile input is bounded: the request line and headers at `Limits.head_bytes` (431), the
  body at `Limits.body_bytes` (413, refused from Content-Length before the body is read); a
  request not complete within `Limits.request_seconds` closes its connection (slow senders),
  as does a connection idle for `Limits.idle_seconds`; a malformed request is answered 400 and
  its connection closed; upgrades (websockets, h2c) are refused.
- Requests pipelined on one connection are answered one at a time, in order; reading pauses
  while more than one waits.
- The client's address is the proxy's `X-Real-Ip` / last `X-Forwarded-For` (the deployment
  puts nginx in front), as tornado's `xheaders=True` gave it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus

import httptools
from tornado import httputil
from tornado.netutil import bind_sockets, is_valid_ip

logger = logging.getLogger(__name__)

_CONTINUE = b"HTTP/1.1 100 (Continue)\r\n\r\n"


@dataclass(frozen=True)
class Limits:
    """What one request may cost the server."""

    body_bytes: int = 1024 * 1024
    head_bytes: int = 64 * 1024  # the request line and every header, as tornado's default
    request_seconds: float = 60.0  # from a request's first byte to its last
    idle_seconds: float = 3600.0  # a keep-alive connection with no request (tornado's default)
    sweep_seconds: float = 5.0  # how often the two timeouts are checked


@dataclass(frozen=True, slots=True)
class Request:
    """One whole request, as read."""

    method: str
    target: str  # the request-target as sent: path and query
    version: str  # "HTTP/1.1"
    headers: list[tuple[bytes, bytes]]
    body: bytes
    keep_alive: bool  # False: the connection closes after the answer

    def header(self, lowered: bytes) -> bytes | None:
        """The first header of this name (given in lower case), if any."""
        for name, value in self.headers:
            if name.lower() == lowered:
                return value
        return None


class _Refuse(Exception):
    """A request past a limit: answered with `status`, then its connection closed."""

    def __init__(self, status: HTTPStatus) -> None:
        """The answer's status."""
        super().__init__(status.phrase)
        self.status = status


class Context:
    """What tornado's HTTPServerRequest reads from `connection.context`."""

    __slots__ = ("address", "protocol", "remote_ip")

    def __init__(self, peer: str, headers: Iterable[tuple[bytes, bytes]]) -> None:
        """The peer's address, or the one the proxy in front says (tornado's xheaders)."""
        self.address = peer
        self.remote_ip = peer
        self.protocol = "http"
        forwarded = real = scheme = None
        for name, value in headers:
            lowered = name.lower()
            if lowered == b"x-forwarded-for":
                forwarded = value
            elif lowered == b"x-real-ip":
                real = value
            elif lowered in (b"x-scheme", b"x-forwarded-proto") and scheme is None:
                scheme = value
        ip = real if real is not None else forwarded.split(b",")[-1] if forwarded else None
        if ip is not None:
            candidate = ip.strip().decode("latin-1")
            if is_valid_ip(candidate):
                self.remote_ip = candidate
        if scheme is not None:
            proto = scheme.split(b",")[-1].strip().decode("latin-1")
            if proto in ("http", "https"):
                self.protocol = proto


Hook = Callable[["Exchange", Request], None]
"""Takes a webhook request; answers it, now or later, with exactly one `Exchange.respond`."""


class Exchange(httputil.HTTPConnection):
    """One request's answer on its connection: whole (`respond`) or through tornado.web's
    `HTTPConnection` calls (`write_headers`, `write`, `finish`)."""

    def __init__(self, conn: Connection, request: Request) -> None:
        """Not answered yet."""
        self.conn, self.request = conn, request
        self.done = False
        self._chunked = False
        self._close_callback: Callable[[], None] | None = None
        self._context: Context | None = None

    @property
    def context(self) -> Context:
        """The client's address and scheme (read from the headers when first asked)."""
        if self._context is None:
            self._context = Context(self.conn.peer, self.request.headers)
        return self._context

    def respond(
        self, status: HTTPStatus, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        """The whole answer at once (nothing if it was given already or the client left)."""
        if self.done:
            return
        head = [f"HTTP/1.1 {status.value} {status.phrase}", f"Content-Length: {len(body)}"]
        head.extend(f"{name}: {value}" for name, value in headers)
        self._send(head, body if self.request.method != "HEAD" else b"")
        self._end()

    # tornado's HTTPConnection, for the tornado.web Application ------------------------------

    def write_headers(
        self,
        start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
        headers: httputil.HTTPHeaders,
        chunk: bytes | None = None,
    ) -> asyncio.Future[None]:
        """The status line and headers (chunked when no Content-Length is given)."""
        assert isinstance(start_line, httputil.ResponseStartLine)
        code = start_line.code
        self._chunked = (
            self.request.version == "HTTP/1.1"
            and code not in (204, 304)
            and code >= 200
            and "Content-Length" not in headers
            and "Transfer-Encoding" not in headers
        )
        if self._chunked:
            headers["Transfer-Encoding"] = "chunked"
        elif "Content-Length" not in headers and code not in (204, 304):
            self.conn.last = True  # HTTP/1.0: the body ends when the connection does
        head = [f"HTTP/1.1 {code} {start_line.reason}"]
        head.extend(f"{name}: {value}" for name, value in headers.get_all())
        self._send(head, self._frame(chunk))
        return self.conn.drained()

    def write(self, chunk: bytes) -> asyncio.Future[None]:
        """More of the body."""
        if not self.done:
            self.conn.write(self._frame(chunk))
        return self.conn.drained()

    def finish(self) -> None:
        """The body is complete."""
        if self.done:
            return
        if self._chunked:
            self.conn.write(b"0\r\n\r\n")
        self._end()

    def set_close_callback(self, callback: Callable[[], None] | None) -> None:
        """Called if the client leaves before the answer is complete (tornado.web's handlers)."""
        self._close_callback = callback

    # -----------------------------------------------------------------------------------------

    def _frame(self, chunk: bytes | None) -> bytes:
        """A piece of the body, chunk-framed if the answer is chunked."""
        if not chunk or self.request.method == "HEAD":
            return b""
        if self._chunked:
            return b"%x\r\n%b\r\n" % (len(chunk), chunk)
        return chunk

    def _send(self, head: list[str], body: bytes) -> None:
        """The head lines (checked for line breaks) and the first of the body."""
        if self.conn.last:
            head.append("Connection: close")
        for line in head:
            if "\n" in line or "\r" in line:
                raise ValueError(f"a line break inside an HTTP header: {line!r}")
        self.conn.write("\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + body)

    def _end(self) -> None:
        """The answer is complete: the connection goes on with the next request."""
        self.done = True
        self._close_callback = None
        self.conn.answered(self)

    def lost(self) -> None:
        """The client left before the answer was complete."""
        callback, self._close_callback = self._close_callback, None
        if callback is not None:
            callback()


class Connection(asyncio.Protocol):
    """One client connection: requests parsed as they arrive, answered one at a time."""

    def __init__(self, server: HttpServer, loop: asyncio.AbstractEventLoop) -> None:
        """Nothing received yet."""
        self.server = server
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.peer = "?"
        # Read and not yet answered: requests, and refusals (a status: answered, then closed).
        self.waiting: deque[Request | HTTPStatus] = deque()
        self.current: Exchange | None = None  # being answered
        self.last = False  # close once the current answer is written
        self.ended = False  # nothing more is read: a refusal, or a request that closes
        self.closed = False
        self.paused = False  # reading paused: requests wait
        self.writing_paused = False
        self._drain: list[asyncio.Future[None]] = []
        self._answering = False  # inside _next(): an answer given at once does not recurse
        self.started: float | None = None  # when the request being read began
        self.active = self.loop.time()  # the last time a request began or was answered
        self._reset()

    def _reset(self) -> None:
        """Ready for the next request's parts."""
        self.url: list[bytes] = []
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.head_size = 0
        self.body_size = 0

    # asyncio -----------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """A client connected."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = str(peer[0]) if isinstance(peer, tuple) else "?"
        self.server.connections.add(self)

    def data_received(self, data: bytes) -> None:
        """Bytes from the client: parse them; answer what is complete."""
        if self.ended or self.closed:
            return  # after a refusal or a request that closes the connection, nothing is read
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            refusal = exc.__context__
            if not isinstance(refusal, _Refuse):
                raise
            self._refuse(refusal.status)
        except httptools.HttpParserUpgrade:  # llhttp stops reading after the head
            if self.waiting and isinstance(self.waiting[-1], Request):
                self.waiting.pop()  # read without its body: refused, not answered
            self._refuse(HTTPStatus.BAD_REQUEST)
        except httptools.HttpParserError as exc:
            logger.info("Malformed HTTP request from %s: %s", self.peer, exc)
            self._refuse(HTTPStatus.BAD_REQUEST)
        self._next()

    def connection_lost(self, exc: Exception | None) -> None:
        """The connection is gone: an answer still being made is told so."""
        self.closed = True
        self.server.connections.discard(self)
        self.waiting.clear()
        if self.current is not None:
            self.current.lost()
        for future in self._drain:
            if not future.done():
                future.set_result(None)
        self._drain.clear()
        if self.server.web is not None:
            self.server.web.on_close(self)

    def pause_writing(self) -> None:
        """The client reads slower than we write: tornado.web's writes wait."""
        self.writing_paused = True

    def resume_writing(self) -> None:
        """Writes may go on."""
        self.writing_paused = False
        waiting, self._drain = self._drain, []
        for future in waiting:
            if not future.done():
                future.set_result(None)

    # httptools' callbacks ----------------------------------------------------------------------

    def on_message_begin(self) -> None:
        """A request begins."""
        self.started = self.active = self.loop.time()

    def on_url(self, url: bytes) -> None:
        """A piece of the request-target."""
        self.url.append(url)
        self.head_size += len(url)
        if self.head_size > self.server.limits.head_bytes:
            raise _Refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)

    def on_header(self, name: bytes, value: bytes) -> None:
        """One header, whole."""
        self.headers.append((name, value))
        self.head_size += len(name) + len(value) + 4
        if self.head_size > self.server.limits.head_bytes:
            raise _Refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)

    def on_headers_complete(self) -> None:
        """The head is read: refuse a body announced too long before reading it."""
        expect = False
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"content-length":
                if int(value) > self.server.limits.body_bytes:  # llhttp checked the digits
                    raise _Refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            elif lowered == b"expect" and value.lower() == b"100-continue":
                expect = True
        if expect and self.current is None and not self.waiting and self.transport is not None:
            self.transport.write(_CONTINUE)  # curl waits for it before a longer body

    def on_body(self, body: bytes) -> None:
        """A piece of the body (de-chunked by the parser)."""
        self.body_size += len(body)
        if self.body_size > self.server.limits.body_bytes:
            raise _Refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.body.append(body)

    def on_message_complete(self) -> None:
        """A whole request: it waits its turn."""
        if self.ended:
            return  # pipelined after one that closes the connection: never answered
        parser = self.parser
        body = self.body[0] if len(self.body) == 1 else b"".join(self.body)
        target = self.url[0] if len(self.url) == 1 else b"".join(self.url)
        self.waiting.append(
            Request(
                parser.get_method().decode("latin-1"),
                target.decode("latin-1"),
                "HTTP/" + parser.get_http_version(),
                self.headers,
                body,
                parser.should_keep_alive(),
            )
        )
        self.started = None
        self._reset()
        if not parser.should_keep_alive():
            self._end_reading()

    # answering ---------------------------------------------------------------------------------

    def _end_reading(self) -> None:
        """Nothing more is read from this connection."""
        self.ended = True
        self._pause()

    def _pause(self) -> None:
        """Stop reading for now."""
        if self.transport is not None and not self.paused:
            self.paused = True
            self.transport.pause_reading()

    def _refuse(self, status: HTTPStatus) -> None:
        """After the requests before it, answer `status` and close."""
        self.waiting.append(status)
        self._end_reading()

    def _next(self) -> None:
        """Answer the requests that wait, one at a time, while nothing is being answered."""
        self._answering = True
        try:
            while self.current is None and self.waiting and not self.closed:
                item = self.waiting.popleft()
                if isinstance(item, HTTPStatus):
                    self._close_with(item)
                    return
                self.current = exchange = Exchange(self, item)
                self.last = not item.keep_alive
                self.server.dispatch(exchange)
        finally:
            self._answering = False
        if self.current is not None and self.waiting:
            self._pause()  # a pipelining client waits until the answers catch up
        elif self.current is None and self.paused and not self.ended and not self.closed:
            self.paused = False
            if self.transport is not None:
                self.transport.resume_reading()

    def _close_with(self, status: HTTPStatus) -> None:
        """A refusal's answer, then close."""
        self.last = True
        text = status.phrase.encode()
        self.write(
            b"HTTP/1.1 %d %b\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%b"
            % (status.value, text, len(text), text)
        )
        self.close()

    def answered(self, exchange: Exchange) -> None:
        """An answer is complete: close if asked, else the next request."""
        if exchange is not self.current:
            return
        self.current = None
        self.active = self.loop.time()
        if self.last:
            self.close()
        elif not self._answering:
            self._next()

    def write(self, data: bytes) -> None:
        """Bytes to the client (nothing once it left)."""
        if data and self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def drained(self) -> asyncio.Future[None]:
        """Done when the client has taken what was written (at once, unless it lags)."""
        future: asyncio.Future[None] = self.loop.create_future()
        if self.writing_paused and not self.closed:
            self._drain.append(future)
        else:
            future.set_result(None)
        return future

    def close(self) -> None:
        """Close once what was written is sent."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def expired(self, now: float) -> bool:
        """A request too slow to arrive, or a connection idle too long."""
        limits = self.server.limits
        if self.started is not None:
            return now - self.started > limits.request_seconds
        return self.current is None and now - self.active > limits.idle_seconds


class HttpServer:
    """Listens on `listen:port`: the webhook to `hook`, everything else to `web`."""

    loop: asyncio.AbstractEventLoop  # the running loop, from start()

    def __init__(
        self,
        *,
        web: httputil.HTTPServerConnectionDelegate | None,
        hook: Hook | None = None,
        hook_path: str | None = None,
        limits: Limits | None = None,
    ) -> None:
        """Nothing is bound until start()."""
        self.web, self.hook = web, hook
        self.hook_path = hook_path
        self.limits = limits or Limits()
        self.connections: set[Connection] = set()
        self._servers: list[asyncio.Server] = []
        self._sweeper: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()  # tornado.web requests being handed over

    async def start(self, listen: str, port: int) -> int:
        """Bind and serve; returns the port (useful when 0 asked for a free one)."""
        loop = self.loop = asyncio.get_running_loop()
        sockets = bind_sockets(port, address=listen, family=socket.AF_UNSPEC)
        try:
            for sock in sockets:
                self._servers.append(
                    await loop.create_server(lambda: Connection(self, loop), sock=sock)
                )
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        self._sweeper = self.loop.call_later(self.limits.sweep_seconds, self._sweep)
        return int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop accepting, then close the open connections."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None
        for server in self._servers:
            server.close()
        for conn in list(self.connections):
            conn.close()
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()

    def dispatch(self, exchange: Exchange) -> None:
        """A request's turn: the hook's path to the hook, anything else to tornado.web."""
        request = exchange.request
        if self.hook is not None and request.target.partition("?")[0] == self.hook_path:
            self.hook(exchange, request)
        elif self.web is not None:
            task = self.loop.create_task(_to_web(self.web, exchange))
            self._tasks.add(task)  # the event loop holds tasks weakly
            task.add_done_callback(self._tasks.discard)
        else:
            exchange.respond(HTTPStatus.NOT_FOUND)

    def _sweep(self) -> None:
        """Close the connections past a timeout; again later."""
        now = self.loop.time()
        for conn in [c for c in self.connections if c.expired(now)]:
            logger.info("HTTP connection from %s closed: too slow or idle too long", conn.peer)
            conn.last = True
            conn.close()
        self._sweeper = self.loop.call_later(self.limits.sweep_seconds, self._sweep)


async def _to_web(web: httputil.HTTPServerConnectionDelegate, exchange: Exchange) -> None:
    """A whole request through tornado's HTTP interfaces, as its HTTP/1.1 layer delivers one."""
    request = exchange.request
    headers = httputil.HTTPHeaders()
    for name, value in request.headers:
        headers.add(name.decode("latin-1"), value.decode("latin-1"))
    start = httputil.RequestStartLine(request.method, request.target, request.version)
    try:
        delegate = web.start_request(exchange.conn, exchange)
        result: Awaitable[None] | None = delegate.headers_received(start, headers)
        if result is not None:
            await result
        if request.body:
            result = delegate.data_received(request.body)
            if result is not None:
                await result
        delegate.finish()
    except Exception:
        logger.exception("An HTTP request failed before its handler answered")
        if not exchange.done:
            exchange.respond(HTTPStatus.INTERNAL_SERVER_ERROR)
