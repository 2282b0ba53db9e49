"""One client connection: requests parsed by httptools as they arrive, answered in turn."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from http import HTTPStatus
from typing import TYPE_CHECKING

import httptools

from bot.http_server.exchange import Exchange, Request

if TYPE_CHECKING:
    from bot.http_server.server import HttpServer

logger = logging.getLogger(__name__)

_CONTINUE = b"HTTP/1.1 100 (Continue)\r\n\r\n"


class _Refuse(Exception):
    """A request past a limit: answered with `status`, then its connection closed."""

    def __init__(self, status: HTTPStatus) -> None:
        """The answer's status."""
        super().__init__(status.phrase)
        self.status = status


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
            while self.current is None and self.waiting and not (self.closed or self.last):
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
