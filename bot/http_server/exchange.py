"""One request as read (`Request`), and its answer on the connection (`Exchange`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

from tornado import httputil
from tornado.netutil import is_valid_ip

if TYPE_CHECKING:
    from bot.http_server.connection import Connection


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
            and self.request.method != "HEAD"  # no body, so no chunks (nor their terminator)
            and code not in (204, 304)
            and code >= 200
            and "Content-Length" not in headers
            and "Transfer-Encoding" not in headers
        )
        if self._chunked:
            headers["Transfer-Encoding"] = "chunked"
        elif (
            "Content-Length" not in headers
            and code not in (204, 304)
            and code >= 200
            and self.request.method != "HEAD"
        ):
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
