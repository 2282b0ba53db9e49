"""What bench/webhook_load.py runs beside the bots: the fake Bot API (its own process, started
as `webhook_load.py --serve-fake-api PORT`), the machine's wake-up cost, and the load generator
with its measures (keep-alive connections, the rate steps' posts, the bots' histograms)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from urllib.parse import parse_qs

TOKEN = "123456:LOADTEST"
SECRET = "bench-webhook-secret"
HOOK_PATH = "/hook"


def serve_fake_api(port: int, delay: float = 0.0) -> None:
    """A Bot API stand-in: getMe, sendMessage (timestamped per chat) and True for the rest.

    `delay` seconds are added to every answer, like the round trip to Telegram's servers.
    """
    import tornado.web
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    bot_user = {
        "id": 7000000001,
        "is_bot": True,
        "first_name": "Ký số",
        "username": "kyso_bench_bot",
    }
    replies: list[tuple[int, float]] = []
    counter = [0]

    class Method(tornado.web.RequestHandler):
        async def post(self, token: str, method: str) -> None:
            ctype = self.request.headers.get("Content-Type", "")
            if "json" in ctype:
                params = json.loads(self.request.body or b"{}")
            else:
                params = {k: v[0] for k, v in parse_qs(self.request.body.decode()).items()}
            result: object = True
            if method == "getMe":
                result = bot_user
            elif method == "sendMessage":
                chat_id = int(params["chat_id"])
                replies.append((chat_id, time.monotonic()))
                counter[0] += 1
                result = {
                    "message_id": counter[0],
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": "ok",
                }
            if delay:
                await asyncio.sleep(delay)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"ok": True, "result": result}))

    class Replies(tornado.web.RequestHandler):
        def get(self) -> None:
            since = int(self.get_argument("since", "0"))
            self.finish(json.dumps(replies[since:]))

    app = tornado.web.Application(
        [(r"/bot([^/]+)/(\w+)", Method), (r"/_bench/replies", Replies)], log_function=lambda h: None
    )
    HTTPServer(app).listen(port, address="127.0.0.1")
    IOLoop.current().start()


def hook_request(body: bytes) -> bytes:
    """The raw HTTP/1.1 POST of one update to the webhook, with its secret token."""
    head = (
        f"POST {HOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\n"
        f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def wake_cost_ms(units: int = 300) -> tuple[float, float]:
    """(The machine) CPU ms of a fixed piece of pure-Python work done back to back, and done
    after a 20 ms sleep each time, as a lone update is: the difference is what waking up costs
    this machine, whatever the bot does."""
    body = {"update_id": 1, "message": {"chat": {"id": 1, "type": "private"}, "text": "/tyle"}}

    def work() -> None:
        for _ in range(20):
            json.loads(json.dumps(body))
            sorted(range(100), key=lambda x: -x)

    figures = []
    for pause in (0.0, 0.02):
        start = time.process_time()
        for _ in range(units):
            work()
            if pause:
                time.sleep(pause)
        figures.append((time.process_time() - start) * 1000 / units)
    return figures[0], figures[1]


# --- the load generator and its measures (webhook_load.py) ------------------------------


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """A plain GET (status, body); connection errors give status 0."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def wait_until(check: object, tries: int, pause: float = 0.1) -> bool:
    """Poll a condition a bounded number of times."""
    for _ in range(tries):
        if check():  # type: ignore[operator]
            return True
        time.sleep(pause)
    return False


class Connection:
    """One keep-alive HTTP/1.1 connection to a worker, posting raw requests."""

    def __init__(self, port: int) -> None:
        """Not connected yet."""
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """POST one update; returns the HTTP status and the answer's body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(hook_request(body))
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            if line.lower().startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        answer = await self.reader.readexactly(length) if length else b""
        return status, answer

    def close(self) -> None:
        """Close the socket."""
        if self.writer is not None:
            self.writer.close()


async def offer(
    ports: list[int], bodies: list[tuple[int, bytes]], rate: int, seconds: float, pool: int
) -> tuple[list[tuple[int, float]], int, float, list[tuple[int, float]]]:
    """Post `rate` updates per second for `seconds`, round-robin over the workers' ports.

    Returns (chat, send time) per accepted update, the number refused, the elapsed time, and
    (chat, time) of each reply that came back in the webhook's answer (Telegram performs it
    then, as if it were a request reaching the Bot API).
    """
    free: dict[int, asyncio.Queue[Connection]] = {}
    for port in ports:
        queue: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(pool):
            queue.put_nowait(Connection(port))
        free[port] = queue
    total = int(rate * seconds)
    sent: list[tuple[int, float]] = []
    in_answer: list[tuple[int, float]] = []
    refused = 0
    tasks: set[asyncio.Task[None]] = set()

    async def one(port: int, chat: int, body: bytes) -> None:
        nonlocal refused
        conn = await free[port].get()
        t = time.monotonic()
        try:
            status, answer = await conn.post(body)
        except (OSError, asyncio.IncompleteReadError):
            conn.close()
            conn = Connection(port)
            status, answer = 0, b""
        free[port].put_nowait(conn)
        if status == 200:
            sent.append((chat, t))
            if answer and json.loads(answer).get("method") == "sendMessage":
                in_answer.append((chat, time.monotonic()))
        else:
            refused += 1

    start = time.monotonic()
    for i in range(total):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        chat, body = bodies[i % len(bodies)]
        task = asyncio.create_task(one(ports[i % len(ports)], chat, body))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    for queue in free.values():
        while not queue.empty():
            queue.get_nowait().close()
    return sent, refused, elapsed, in_answer


def histogram(ports: list[int]) -> dict[float, float]:
    """kyso_update_duration_seconds buckets summed over the workers."""
    buckets: dict[float, float] = defaultdict(float)
    for port in ports:
        _status, body = http_get(f"http://127.0.0.1:{port}/metrics")
        for line in body.decode().splitlines():
            if line.startswith("kyso_update_duration_seconds_bucket{"):
                le = line.split('le="', 1)[1].split('"', 1)[0]
                bound = float("inf") if le == "+Inf" else float(le)
                buckets[bound] += float(line.rsplit(" ", 1)[1])
    return buckets


def quantile(q: float, before: dict[float, float], after: dict[float, float]) -> float | None:
    """Prometheus-style histogram_quantile over the difference of two scrapes (seconds)."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0.0) for b in bounds]
    if not counts or counts[-1] <= 0:
        return None
    rank = q * counts[-1]
    previous_bound, previous_count = 0.0, 0.0
    for bound, count in zip(bounds, counts, strict=True):
        if count >= rank:
            if bound == float("inf"):
                return previous_bound
            width = count - previous_count
            share = (rank - previous_count) / width if width else 1.0
            return previous_bound + (bound - previous_bound) * share
        previous_bound, previous_count = bound, count
    return previous_bound


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    """Run the fake Bot API alone (what webhook_load.py starts in its own process), or count
    the work of lone updates (`--count …`: bench/webhook_count.py, its options)."""
    import argparse

    if "--count" in sys.argv[1:] or sys.argv[1:2] == ["--count-worker"]:
        from webhook_count import main as count  # run as a script: bench/ is on the path

        count([word for word in sys.argv[1:] if word != "--count"])
        return
    parser = argparse.ArgumentParser(description="The fake Bot API of bench/webhook_load.py.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="added to every answer")
    parser.add_argument(
        "--count", action="store_true", help="count the work of lone updates (webhook_count.py)"
    )
    args = parser.parse_args()
    serve_fake_api(args.port, args.delay_ms / 1000)


if __name__ == "__main__":
    main()
