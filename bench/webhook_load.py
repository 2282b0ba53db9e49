"""Load benchmark: /tyle updates posted to `python -m bot run --webhook` at increasing rates.

Run: .venv/bin/python bench/webhook_load.py [--workers N …] [--database-url URL]
(default: 1 worker on SQLite, which allows one; 1 and 2 workers on PostgreSQL)

Everything runs on 127.0.0.1: a fake Bot API (tornado, its own process) answers the bot's
replies and notes when each arrived; 1 or 2 real bot processes serve the webhook on their own
ports (the load generator round-robins between them, as nginx would); the generator posts
updates over keep-alive connections at each target rate for --step-seconds. Per step it reports
the offered and handled rates, the handler latency p99 (from the bots' own
kyso_update_duration_seconds histograms on /metrics) and the end-to-end p99 (POST → the reply
reaching the Bot API, or coming back in the webhook's answer, which Telegram then performs).
A step is *sustained* when ≥ 99 % of its updates were answered within one second after it and
the end-to-end p99 stayed under --max-p99 seconds; the report ends with the highest sustained
rate per worker count. Request loops are bounded in count.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.webhook_parts import serve_fake_api, wake_cost_ms  # noqa: E402

TOKEN = "123456:LOADTEST"
SECRET = "bench-webhook-secret"
HOOK_PATH = "/hook"
DEFAULT_RATES = (50, 100, 200, 300, 400, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000)


# --- set-up -----------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database(url: str, units: int, officials: int) -> list[int]:
    """Fresh schema, two imported periods of `units` communes, `officials` linked heads."""
    from sqlalchemy import insert, text
    from sqlmodel import Session, select

    from bench.kit import make_table
    from bot.core.db import create_db_engine, init_db
    from bot.core.models import AppUser, Official, Role, Unit
    from bot.features import links
    from bot.imports.apply import import_statistics

    engine = create_db_engine(url)
    if engine.dialect.name == "postgresql":  # everything, alembic_version included
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    init_db(engine)
    tz = dt.UTC
    for seed, start, end in ((1, (2026, 6, 1), (2026, 6, 7)), (2, (2026, 6, 8), (2026, 6, 22))):
        with Session(engine) as session:
            import_statistics(
                session=session,
                data=make_table(units, seed),
                filename=f"p{seed}.tsv",
                period_start=dt.date(*start),
                period_end=dt.date(*end),
                tz=tz,
                after_import=links(default_language="vi").after_import,
            )
    with Session(engine) as session:
        unit_ids = list(session.exec(select(Unit.id)))
        rng = random.Random(3)
        people = [(10_000 + i, rng.choice(unit_ids)) for i in range(officials)]
        session.execute(
            insert(AppUser), [{"telegram_id": t, "display_name": f"u{t}"} for t, _ in people]
        )
        session.execute(
            insert(Official),
            [
                {"telegram_id": t, "unit_id": u, "role": Role.HEAD.value, "active": True}
                for t, u in people
            ],
        )
        session.commit()
    engine.dispose()
    return [t for t, _ in people]


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


def start_worker(
    index: int, port: int, api_port: int, url: str, workdir: Path, concurrent: int | None
) -> subprocess.Popen[bytes]:
    """`python -m bot run --webhook` on its own port, JSON logs at INFO into a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{api_port}",
        DATABASE_URL=url,
        WEBHOOK_URL=f"https://bench.invalid{HOOK_PATH}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    if concurrent is not None:
        env["CONCURRENT_UPDATES"] = str(concurrent)
    log = (workdir / f"worker{index}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=log,
    )


# --- the load generator -----------------------------------------------------------------------


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
        head = (
            f"POST {HOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
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


@dataclass
class Step:
    """What one rate step measured."""

    target: int
    offered: float
    handled: float
    answered_share: float
    handler_p99_ms: float | None
    e2e_p50_ms: float | None
    e2e_p99_ms: float | None
    refused: int
    cpu_ms_per_update: float | None = None
    in_answer_share: float = 0.0  # replies carried by the webhook's HTTP answer
    cpu_net_ms: float | None = None  # per update, the bots' idle CPU taken out

    def sustained(self, max_p99: float) -> bool:
        """≥ 99 % answered within a second of the step, end-to-end p99 under the limit."""
        return (
            self.answered_share >= 0.99
            and self.e2e_p99_ms is not None
            and self.e2e_p99_ms <= max_p99 * 1000
        )


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


def replies_since(api_port: int, since: int) -> list[tuple[int, float]]:
    """(chat, arrival time) of replies the fake Bot API received after the first `since`."""
    _status, body = http_get(f"http://127.0.0.1:{api_port}/_bench/replies?since={since}")
    return [(int(c), float(t)) for c, t in json.loads(body or b"[]")]


def settle(api_port: int, tries: int = 60) -> None:
    """Wait (bounded) until the replies of earlier steps stop arriving."""
    last = -1
    for _ in range(tries):
        count = len(replies_since(api_port, 0))
        if count == last:
            return
        last = count
        time.sleep(0.5)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes used so far (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run_step(
    ports: list[int],
    api_port: int,
    bodies: list[tuple[int, bytes]],
    rate: int,
    seconds: float,
    pool: int,
    pids: list[int] | None = None,
    idle_cpu: float = 0.0,
) -> Step:
    """One rate step: offer, wait up to a second for the answers, measure."""
    settle(api_port)
    before = histogram(ports)
    cpu_before, wall_before = cpu_seconds(pids or []), time.monotonic()
    seen = len(replies_since(api_port, 0))
    sent, refused, elapsed, in_answer = asyncio.run(offer(ports, bodies, rate, seconds, pool))
    end = time.monotonic()
    arrivals: list[tuple[int, float]] = []

    def answered() -> bool:
        arrivals[:] = in_answer + replies_since(api_port, seen)
        return len(arrivals) >= len(sent)

    wait_until(answered, tries=10, pause=0.1)  # one second of grace
    after = histogram(ports)
    settle(api_port, tries=20)
    cpu = cpu_seconds(pids or []) - cpu_before
    idle = idle_cpu * (time.monotonic() - wall_before)  # what the bots use doing nothing
    total_answered = len(in_answer) + len(replies_since(api_port, seen))
    in_time = [(c, t) for c, t in arrivals if t <= end + 1.0]
    # End-to-end latency: match each chat's replies to its updates in order.
    waiting: dict[int, deque[float]] = defaultdict(deque)
    for chat, t in sent:
        waiting[chat].append(t)
    latencies = []
    for chat, t in sorted(arrivals, key=lambda a: a[1]):
        if waiting[chat]:
            latencies.append(t - waiting[chat].popleft())
    unanswered = sum(len(q) for q in waiting.values())
    latencies.extend([float("inf")] * unanswered)
    p99 = quantile(0.99, before, after)
    e2e_p50 = percentile(latencies, 0.50)
    e2e_p99 = percentile(latencies, 0.99)
    return Step(
        target=rate,
        offered=len(sent) / elapsed if elapsed else 0.0,
        handled=len(in_time) / elapsed if elapsed else 0.0,
        answered_share=len(in_time) / len(sent) if sent else 0.0,
        handler_p99_ms=None if p99 is None else p99 * 1000,
        e2e_p50_ms=None if e2e_p50 is None else e2e_p50 * 1000,
        e2e_p99_ms=None if e2e_p99 is None else e2e_p99 * 1000,
        refused=refused,
        cpu_ms_per_update=cpu * 1000 / total_answered if pids and total_answered else None,
        in_answer_share=len(in_answer) / len(sent) if sent else 0.0,
        cpu_net_ms=max(cpu - idle, 0.0) * 1000 / total_answered
        if pids and total_answered
        else None,
    )


def fmt_ms(value: float | None) -> str:
    """'12.3' or '—' / '∞'."""
    if value is None:
        return "—"
    if value == float("inf"):
        return "∞"
    return f"{value:.1f}"


def bench_workers(
    workers: int, args: argparse.Namespace, url: str, users: list[int], workdir: Path
) -> list[Step]:
    """Start the fake API and `workers` bots, run the rate steps, stop everything."""
    from bot.offline import message_update

    api_port = free_port()
    api = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve-fake-api",
            str(api_port),
            "--api-delay-ms",
            str(args.api_delay_ms),
        ],
        cwd=workdir,
    )
    procs: list[subprocess.Popen[bytes]] = []
    steps: list[Step] = []
    try:
        if not wait_until(
            lambda: http_get(f"http://127.0.0.1:{api_port}/_bench/replies")[0] == 200, 100
        ):
            raise SystemExit("the fake Bot API did not start")
        ports = [free_port() for _ in range(workers)]
        procs = [
            start_worker(i, p, api_port, url, workdir, args.concurrent_updates)
            for i, p in enumerate(ports)
        ]
        for port, proc in zip(ports, procs, strict=True):
            ok = wait_until(
                lambda port=port, proc=proc: (
                    proc.poll() is None and http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200
                ),
                300,
            )
            if not ok:
                raise SystemExit(f"worker on port {port} did not become healthy; see {workdir}")
        rng = random.Random(5)
        bodies = []
        for _ in range(20_000):
            chat = rng.choice(users)
            bodies.append((chat, json.dumps(message_update(chat, "/tyle")).encode()))
        # Warm-up: standings and report caches, connections, JIT-free Python warm paths.
        run_step(ports, api_port, bodies, 50, 2.0, args.pool)
        pids = [proc.pid for proc in procs]
        idle_from = cpu_seconds(pids)
        time.sleep(args.idle_seconds)  # the bots' own timers (sender, scheduler, election)
        idle_cpu = (cpu_seconds(pids) - idle_from) / args.idle_seconds
        print(
            f"  {workers} worker(s) idle: {idle_cpu * 1000:.1f} ms of CPU a second "
            f"({idle_cpu / workers:.2%} of a core each, over {args.idle_seconds:g} s)",
            flush=True,
        )
        failures = short = 0
        for rate in args.rates:
            step = run_step(
                ports, api_port, bodies, rate, args.step_seconds, args.pool, pids, idle_cpu
            )
            steps.append(step)
            print(
                f"  {workers} worker(s) {rate:5d}/s: offered {step.offered:7.1f}/s, "
                f"answered in time {step.answered_share:6.1%}, handled {step.handled:7.1f}/s, "
                f"handler p99 {fmt_ms(step.handler_p99_ms)} ms, "
                f"end-to-end p50 {fmt_ms(step.e2e_p50_ms)} / p99 {fmt_ms(step.e2e_p99_ms)} ms, "
                f"bot CPU {fmt_ms(step.cpu_ms_per_update)} ms/update "
                f"({fmt_ms(step.cpu_net_ms)} net of idle), "
                f"in the webhook answer {step.in_answer_share:.0%}, "
                f"load {os.getloadavg()[0]:.1f}"
                + (f", refused {step.refused}" if step.refused else ""),
                flush=True,
            )
            failures = 0 if step.sustained(args.max_p99) else failures + 1
            short = short + 1 if step.offered < 0.8 * rate else 0
            if failures >= 2 or short >= 2:  # the bot, or the generator on the same cores, is full
                print(
                    "  (stopped: " + ("not sustained" if failures >= 2 else "offered < 80 %") + ")"
                )
                break
            if not step.sustained(args.max_p99):
                time.sleep(2.0)  # let a backlog drain before the next step
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        api.terminate()
        api.wait(timeout=10)
    return steps


def main() -> None:
    """Prepare the database, run each worker count, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve-fake-api", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, nargs="+", choices=[1, 2])
    parser.add_argument(
        "--database-url",
        help="a THROWAWAY database (its tables are dropped); default: a temporary SQLite file",
    )
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--officials", type=int, default=5000)
    parser.add_argument("--rates", type=int, nargs="+", default=list(DEFAULT_RATES))
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--pool", type=int, default=32, help="connections per worker")
    parser.add_argument(
        "--idle-seconds", type=float, default=10.0, help="how long the idle CPU is measured"
    )
    parser.add_argument("--max-p99", type=float, default=1.0, help="seconds, end to end")
    parser.add_argument(
        "--api-delay-ms",
        type=float,
        default=0.0,
        help="added to every Bot API answer, like the round trip to Telegram (e.g. 60)",
    )
    parser.add_argument(
        "--concurrent-updates", type=int, help="CONCURRENT_UPDATES for the bots (default: theirs)"
    )
    args = parser.parse_args()
    if args.serve_fake_api:
        serve_fake_api(args.serve_fake_api, args.api_delay_ms / 1000)
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
        backend = "postgresql" if url.startswith("postgres") else url.split(":", 1)[0]
        if args.workers is None:
            args.workers = [1, 2] if backend == "postgresql" else [1]
        if backend == "sqlite" and max(args.workers) > 1:
            raise SystemExit("SQLite allows one worker: use --workers 1, or PostgreSQL")
        t0 = time.perf_counter()
        users = prepare_database(url, args.units, args.officials)
        print(
            f"{backend}: {args.units:,} units x 2 periods, {args.officials:,} officials "
            f"(set up in {time.perf_counter() - t0:.1f} s); {os.cpu_count()} CPU(s); "
            f"steps of {args.step_seconds:g} s; Bot API delay {args.api_delay_ms:g} ms; "
            f"CONCURRENT_UPDATES {args.concurrent_updates or 'default'}"
        )
        warm, lone = wake_cost_ms()
        print(
            f"  the machine: the same pure-Python work costs {warm:.2f} ms of CPU back to back, "
            f"{lone:.2f} ms after a 20 ms sleep (waking up: +{lone - warm:.2f} ms), load "
            f"{os.getloadavg()[0]:.1f}"
        )
        summary = []
        for workers in args.workers:
            try:
                steps = bench_workers(workers, args, url, users, workdir)
            except SystemExit as exc:  # a stage failed: say so, and still print the summary
                print(f"  {workers} worker(s): {exc}")
                steps = []
            good = [s for s in steps if s.sustained(args.max_p99)]
            best = max(good, key=lambda s: s.handled) if good else None
            summary.append((workers, best))
        print()
        print(
            f"{'backend':10} {'workers':>7} {'sustained upd/s':>16} "
            f"{'handler p99 ms':>15} {'e2e p99 ms':>11} {'bot CPU ms/upd':>15}"
        )
        for workers, best in summary:
            if best is None:
                print(f"{backend:10} {workers:>7} {'—':>16}")
                continue
            print(
                f"{backend:10} {workers:>7} {best.handled:>16.0f} "
                f"{fmt_ms(best.handler_p99_ms):>15} {fmt_ms(best.e2e_p99_ms):>11} "
                f"{fmt_ms(best.cpu_ms_per_update):>15}"
            )


if __name__ == "__main__":
    main()
