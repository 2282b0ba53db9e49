"""The listening side: sockets bound, connections accepted and swept, requests routed."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable
from dataclasses import dataclass
from http import HTTPStatus

from tornado import httputil
from tornado.netutil import bind_sockets

from bot.http_server.connection import Connection
from bot.http_server.exchange import Exchange, Hook

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one request may cost the server."""

    body_bytes: int = 1024 * 1024
    head_bytes: int = 64 * 1024  # the request line and every header, as tornado's default
    request_seconds: float = 60.0  # from a request's first byte to its last
    idle_seconds: float = 3600.0  # a keep-alive connection with no request (tornado's default)
    sweep_seconds: float = 5.0  # how often the two timeouts are checked


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
