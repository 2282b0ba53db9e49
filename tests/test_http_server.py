"""The bot's HTTP server (bot/http_server/) against hostile and unusual clients, on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tornado.web import Application, RequestHandler

from bot.http_server import Connection, Exchange, HttpServer, Limits, Request

pytestmark = pytest.mark.sqlite_pass_only


class Echo:
    """A webhook hook that answers with the body it got, at once or after `delay` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        """No request yet."""
        self.delay = delay
        self.seen: list[Request] = []

    def __call__(self, exchange: Exchange, request: Request) -> None:
        """Answer 200 with the request's body."""
        self.seen.append(request)

        def answer() -> None:
            exchange.respond(HTTPStatus.OK, b"echo:" + request.body)

        if self.delay:
            asyncio.get_running_loop().call_later(self.delay, answer)
        else:
            answer()


class Who(RequestHandler):
    """GET /who: the client's address and scheme as tornado.web sees them."""

    def get(self) -> None:
        """`<remote_ip> <protocol>`."""
        self.write(f"{self.request.remote_ip} {self.request.protocol}")


class Pieces(RequestHandler):
    """GET /pieces: an answer written in three flushed pieces (no Content-Length)."""

    async def get(self) -> None:
        """'one two three'."""
        for piece in ("one ", "two ", "three"):
            self.write(piece)
            await self.flush()

    async def head(self) -> None:
        """The same, for HEAD (tornado drops the body)."""
        await self.get()


class Serving:
    """A started HttpServer with an Echo hook on /hook and tornado.web on the rest."""

    def __init__(self, server: HttpServer, port: int, hook: Echo) -> None:
        """Wrap it."""
        self.server, self.port, self.hook = server, port, hook

    async def exchange(self, data: bytes, answers: int) -> tuple[list[tuple[int, bytes]], bytes]:
        """Write `data` on one connection; read `answers` answers, then whatever else comes
        before the server closes the connection (or a 5 s bound)."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(data)
            got = [await read_answer(reader) for _ in range(answers)]
            rest = await asyncio.wait_for(reader.read(), 5)
        finally:
            writer.close()
        return [(status, body) for status, _head, body in got], rest


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, str, bytes]:
    """One HTTP answer: status, head, body (by Content-Length or chunked)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    lines = head.split("\r\n")
    fields = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:] if h)}
    if fields.get("transfer-encoding") == "chunked":
        body = b""
        while size := int((await reader.readuntil(b"\r\n"))[:-2], 16):
            body += (await reader.readexactly(size + 2))[:-2]
        await reader.readexactly(2)
    else:
        body = await reader.readexactly(int(fields.get("content-length", 0)))
    return int(lines[0].split()[1]), head, body


def start_server(limits: Limits | None = None, delay: float = 0.0) -> Callable[[], Any]:
    """A fixture factory: the server with these limits."""

    async def fixture() -> AsyncIterator[Serving]:
        hook = Echo(delay)
        web = Application([(r"/who", Who), (r"/pieces", Pieces)])
        server = HttpServer(web=web, hook=hook, hook_path="/hook", limits=limits)
        port = await server.start("127.0.0.1", 0)
        try:
            yield Serving(server, port, hook)
        finally:
            await server.stop()

    return fixture


served = pytest.fixture(start_server(Limits(body_bytes=1000, head_bytes=2000)))
slow_hook = pytest.fixture(start_server(delay=0.05))
impatient = pytest.fixture(
    start_server(Limits(request_seconds=0.3, idle_seconds=0.3, sweep_seconds=0.05))
)


def post(body: bytes, *, path: str = "/hook", extra: str = "") -> bytes:
    """A POST with a Content-Length."""
    return (
        f"POST {path} HTTP/1.1\r\nHost: kyso\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def test_a_head_past_the_limit_is_refused_431_and_the_connection_closed(
    served: Serving,
) -> None:
    """Headers longer than the limit: 431, closed, the hook never called."""
    big = b"POST /hook HTTP/1.1\r\nX-Padding: " + b"a" * 3000 + b"\r\nContent-Length: 0\r\n\r\n"
    ([(status, _)], rest) = await served.exchange(big, 1)
    assert status == 431 and rest == b"" and served.hook.seen == []


async def test_a_body_past_the_limit_is_refused_413_announced_or_chunked(served: Serving) -> None:
    """A Content-Length over the limit is refused before the body is read; a chunked body is
    refused once it grows past it. Neither reaches the hook."""
    announced = b"POST /hook HTTP/1.1\r\nContent-Length: 5000\r\n\r\n"
    ([(status, _)], rest) = await served.exchange(announced, 1)
    assert status == 413 and rest == b""
    chunk = b"%x\r\n%b\r\n" % (600, b"x" * 600)
    chunked = b"POST /hook HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 2
    ([(status, _)], rest) = await served.exchange(chunked + b"0\r\n\r\n", 1)
    assert status == 413 and rest == b"" and served.hook.seen == []


async def test_a_chunked_body_within_the_limit_reaches_the_hook_whole(served: Serving) -> None:
    """Chunks are joined: the hook gets the body as one."""
    chunked = b"POST /hook HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ([(status, body)], rest) = await served.exchange(
        chunked + b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 1
    )
    assert (status, body, rest) == (200, b"echo:abcde", b"")


async def test_malformed_requests_and_upgrades_get_400_and_a_closed_connection(
    served: Serving,
) -> None:
    """Garbage, a request smuggling attempt (two lengths) and a websocket upgrade: 400, closed."""
    smuggled = b"POST /hook HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
    upgrade = b"GET /hook HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    for data in (b"\x16\x03\x01\x00\xa5garbage\r\n\r\n", smuggled, upgrade):
        ([(status, _)], rest) = await served.exchange(data, 1)
        assert status == 400 and rest == b""
    assert served.hook.seen == []


async def test_pipelined_requests_are_answered_in_order(slow_hook: Serving) -> None:
    """Three requests written at once, the hook answering later: each answer is its own, in
    the order asked (the middle one tornado.web's), and the connection stays open."""
    data = post(b"first") + b"GET /who HTTP/1.1\r\nHost: kyso\r\n\r\n" + post(b"third")
    reader, writer = await asyncio.open_connection("127.0.0.1", slow_hook.port)
    try:
        writer.write(data)
        answers = [await read_answer(reader) for _ in range(3)]
        writer.write(post(b"fourth"))
        fourth = await read_answer(reader)
    finally:
        writer.close()
    assert [body for _s, _h, body in answers] == [b"echo:first", b"127.0.0.1 http", b"echo:third"]
    assert fourth[2] == b"echo:fourth"


async def test_connection_close_and_http_1_0_close_after_their_answer(served: Serving) -> None:
    """`Connection: close` (and HTTP/1.0 without keep-alive): answered with Connection: close,
    then closed; a request written after it is never handled."""
    data = post(b"one", extra="Connection: close\r\n") + post(b"never")
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    writer.write(data)
    status, head, body = await read_answer(reader)
    rest = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert (status, body, rest) == (200, b"echo:one", b"")
    assert "Connection: close" in head
    old = b"POST /hook HTTP/1.0\r\nContent-Length: 3\r\n\r\nold"
    ([(status, body)], rest) = await served.exchange(old, 1)
    assert (status, body, rest) == (200, b"echo:old", b"")
    assert [r.body for r in served.hook.seen] == [b"one", b"old"]


async def test_a_request_too_slow_to_arrive_closes_its_connection(impatient: Serving) -> None:
    """A client that stops in the middle of its request (a slowloris) is disconnected, its
    request unanswered; so is a connection left idle."""
    ([], rest) = await impatient.exchange(
        b"POST /hook HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", 0
    )
    assert rest == b"" and impatient.hook.seen == []
    ([], rest) = await impatient.exchange(b"", 0)  # connected, says nothing
    assert rest == b""
    ([(status, _)], rest) = await impatient.exchange(post(b"ok"), 1)  # answered, then idle
    assert status == 200 and rest == b""


async def test_expect_100_continue_is_answered_before_the_body(served: Serving) -> None:
    """curl sends `Expect: 100-continue` and waits for it before a longer body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    try:
        writer.write(b"POST /hook HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        interim = await reader.readuntil(b"\r\n\r\n")
        writer.write(b"body")
        status, _head, body = await read_answer(reader)
    finally:
        writer.close()
    assert interim == b"HTTP/1.1 100 (Continue)\r\n\r\n" and (status, body) == (200, b"echo:body")


async def test_web_requests_see_the_proxys_client_address_and_scheme(served: Serving) -> None:
    """Behind nginx: X-Real-Ip, else the last X-Forwarded-For, else the peer; an invalid
    address is ignored; X-Forwarded-Proto gives the scheme."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served.port}") as client:
        cases = {
            "203.0.113.7 https": {"X-Real-Ip": "203.0.113.7", "X-Forwarded-Proto": "https"},
            "198.51.100.2 http": {"X-Forwarded-For": "10.0.0.1, 198.51.100.2"},
            "127.0.0.1 http": {"X-Real-Ip": "not-an-address", "X-Forwarded-Proto": "gopher"},
        }
        for expected, headers in cases.items():
            assert (await client.get("/who", headers=headers)).text == expected


async def test_a_streamed_web_answer_is_chunked_and_a_head_request_gets_no_body(
    served: Serving,
) -> None:
    """A tornado.web handler that flushes as it goes is sent chunked, read whole by a client;
    an unknown path is tornado.web's 404."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served.port}") as client:
        streamed = await client.get("/pieces")
        assert streamed.headers["transfer-encoding"] == "chunked"
        assert streamed.text == "one two three"
        assert (await client.get("/nowhere")).status_code == 404
        head = await client.head("/who")
        assert head.status_code == 405 and head.content == b""


# --- the parser's input split anywhere (no sockets: a transport that records) ----------------


class Recorder(asyncio.Transport):
    """The asyncio transport a Connection writes to, recording."""

    def __init__(self) -> None:
        """Nothing written."""
        super().__init__()
        self.written = b""
        self.closing = False

    def write(self, data: bytes) -> None:
        """Record."""
        self.written += data

    def close(self) -> None:
        """Closed."""
        self.closing = True

    def is_closing(self) -> bool:
        """Closed?"""
        return self.closing

    def pause_reading(self) -> None:
        """Nothing to pause."""

    def resume_reading(self) -> None:
        """Nothing to resume."""

    def get_extra_info(self, name: str) -> Any:
        """A loopback peer."""
        return ("127.0.0.1", 40000) if name == "peername" else None


def feed(pieces: list[bytes]) -> tuple[bytes, bool, list[bytes]]:
    """What a connection answers to these pieces: bytes written, closed, bodies the hook got."""
    loop = asyncio.new_event_loop()
    try:
        hook = Echo()
        server = HttpServer(web=None, hook=hook, hook_path="/hook", limits=Limits(body_bytes=64))
        server.loop = loop
        conn = Connection(server, loop)
        transport = Recorder()
        conn.connection_made(transport)
        for piece in pieces:
            if transport.closing:
                break
            conn.data_received(piece)
        return transport.written, transport.closing, [r.body for r in hook.seen]
    finally:
        loop.close()


REQUESTS = st.sampled_from(
    [
        post(b"a"),
        post(b"{}", extra="X-Telegram-Bot-Api-Secret-Token: s\r\n"),
        post(b"", path="/hook?x=1"),
        b"GET /other HTTP/1.1\r\n\r\n",
        b"POST /hook HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
        post(b"z" * 100),  # past the 64-byte limit: 413, closed
        post(b"bye", extra="Connection: close\r\n"),
        b"NOT HTTP AT ALL\r\n\r\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(requests=st.lists(REQUESTS, min_size=1, max_size=5), data=st.data())
def test_however_the_bytes_arrive_the_answers_are_the_same(
    requests: list[bytes], data: st.DataObject
) -> None:
    """Pipelined requests split at any points (down to single bytes) get the same answers,
    in the same order, as when they arrive at once; what follows a refusal is never read."""
    stream = b"".join(requests)
    cuts = sorted(data.draw(st.sets(st.integers(1, len(stream) - 1), max_size=12)))
    pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    assert feed(pieces) == feed([stream])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_break_the_server(junk: bytes) -> None:
    """Whatever a client sends, the server answers or refuses it: never an exception, and a
    refusal closes the connection."""
    written, closed, _bodies = feed([b"POST /hook HTTP/1.1\r\n", junk, b"\r\n\r\n"])
    if b" 400 " in written or b" 431 " in written or b" 413 " in written:
        assert closed


async def test_a_head_request_for_a_streamed_answer_gets_its_head_only(served: Serving) -> None:
    """HEAD on a handler that flushes as it goes: no chunks, so the next request on the same
    connection is read cleanly."""
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    try:
        writer.write(b"HEAD /pieces HTTP/1.1\r\nHost: kyso\r\n\r\n")
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        writer.write(b"GET /who HTTP/1.1\r\nHost: kyso\r\n\r\n")
        status, _head, body = await read_answer(reader)
    finally:
        writer.close()
    assert "chunked" not in head.lower()
    assert (status, body) == (200, b"127.0.0.1 http")
