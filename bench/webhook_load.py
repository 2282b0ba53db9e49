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
rate per worker count. Request loops are bounded in count. Before the steps every official
asks once (a running bot's caches); officials held back ask once after them, at 50/s: the
"first" figure (each one's first /tyle since the start).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.webhook_parts import (  # noqa: E402
    HOOK_PATH,
    SECRET,
    TOKEN,
    histogram,
    http_get,
    offer,
    percentile,
    quantile,
    serve_fake_api,
    wait_until,
    wake_cost_ms,
)

DEFAULT_RATES = (50, 100, 200, 300, 400, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000)
# Officials held back until the end, then each asks once at this rate: the cold figure (the
# viewer not cached yet); every rate step before it draws from officials who asked already.
COLD_RATE = 50


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


def start_worker(
    index: int,
    port: int,
    api_port: int,
    url: str,
    workdir: Path,
    concurrent: int | None,
    root: Path = ROOT,
) -> subprocess.Popen[bytes]:
    """`python -m bot run --webhook` (the code in `root`) on its own port, JSON logs at INFO
    into a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        PYTHONPATH=str(root),
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
    log = (workdir / f"{root.name}-worker{index}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=log,
    )


# --- the load generator -----------------------------------------------------------------------


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


@dataclass
class Target:
    """One server under load: kyso (1 or 2 workers), another checkout of it, or a floor."""

    name: str
    ports: list[int]
    procs: list[subprocess.Popen[bytes]]
    idle_cpu: float = 0.0
    steps: list[Step] = field(default_factory=list)
    failures: int = 0
    short: int = 0
    stopped: str | None = None
    cold: Step | None = None  # officials' first /tyle since the start

    @property
    def pids(self) -> list[int]:
        """The processes whose CPU time is counted."""
        return [proc.pid for proc in self.procs]


def start_targets(
    workers: int, args: argparse.Namespace, url: str, workdir: Path, api_port: int
) -> list[Target]:
    """kyso's workers, then (one worker only) --baseline's kyso on a copy of the database and
    the floors; each on its own port."""
    targets = []

    def kyso(name: str, root: Path, database: str) -> None:
        ports = [free_port() for _ in range(workers)]
        procs = [
            start_worker(i, p, api_port, database, workdir, args.concurrent_updates, root)
            for i, p in enumerate(ports)
        ]
        targets.append(Target(name, ports, procs))

    kyso("kyso", ROOT, url)
    if workers == 1 and args.baseline:
        copy = workdir / "baseline.db"
        shutil.copyfile(url.removeprefix("sqlite:///"), copy)
        kyso(f"kyso@{args.baseline.name}", args.baseline, f"sqlite:///{copy}")
    for kind in args.floors if workers == 1 else []:
        port = free_port()
        script = str(ROOT / "bench" / "webhook_floor.py")
        command = [sys.executable, script, kind, "--port", str(port), "--api-port", str(api_port)]
        log = (workdir / f"floor-{kind}.log").open("wb")
        proc = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=log)
        targets.append(Target(f"bare {kind}", [port], [proc]))
    for target in targets:
        for port, proc in zip(target.ports, target.procs, strict=True):
            health = "/healthz" if target.name.startswith("kyso") else "/"
            ok = wait_until(
                lambda port=port, proc=proc, health=health: (
                    proc.poll() is None
                    and http_get(f"http://127.0.0.1:{port}{health}")[0] not in (0, 500)
                ),
                300,
            )
            if not ok:
                raise SystemExit(f"{target.name} on port {port} did not start; see {workdir}")
    return targets


def print_step(target: Target, workers: int, step: Step, label: str | None = None) -> None:
    """One line per step, with the load average (after `label`, else the target and rate)."""
    head = f"  {target.name:>14} {workers}w" if label is None else label
    print(
        f"{head} {step.target:5d}/s: offered {step.offered:7.1f}/s, "
        f"answered in time {step.answered_share:6.1%}, handled {step.handled:7.1f}/s, "
        f"handler p99 {fmt_ms(step.handler_p99_ms)} ms, "
        f"end-to-end p50 {fmt_ms(step.e2e_p50_ms)} / p99 {fmt_ms(step.e2e_p99_ms)} ms, "
        f"CPU {fmt_ms(step.cpu_ms_per_update)} ms/update "
        f"({fmt_ms(step.cpu_net_ms)} net of idle), "
        f"in the webhook answer {step.in_answer_share:.0%}, "
        f"load {os.getloadavg()[0]:.1f}" + (f", refused {step.refused}" if step.refused else ""),
        flush=True,
    )


def measure(targets: list[Target], args: argparse.Namespace, api_port: int, workers: int) -> None:
    """Warm every target as a running bot is (each official has asked once), measure their
    idle CPU together, then each rate on each target in turn (the order reversed at every
    other rate, so no target always goes first), then officials' first /tyle (cold)."""
    from bot.offline import message_update

    def tyle(chat: int) -> tuple[int, bytes]:
        return chat, json.dumps(message_update(chat, "/tyle")).encode()

    rng = random.Random(5)
    held = min(int(COLD_RATE * args.step_seconds), len(args.users) // 2)
    known, fresh = args.users[held:], args.users[:held]  # `fresh` never asked before the end
    bodies = [tyle(rng.choice(known)) for _ in range(20_000)]
    for target in targets:  # warm-up: each known official once, then the warm paths
        run_step(target.ports, api_port, [tyle(c) for c in known], 500, len(known) / 500, 32)
        run_step(target.ports, api_port, bodies, 50, 2.0, args.pool)
    pids = [pid for target in targets for pid in target.pids]
    start = {pid: cpu_seconds([pid]) for pid in pids}
    time.sleep(args.idle_seconds)  # the bots' own timers (sender, scheduler, election)
    for target in targets:
        used = sum(cpu_seconds([pid]) - start[pid] for pid in target.pids)
        target.idle_cpu = used / args.idle_seconds
        print(
            f"  {target.name:>14} {workers}w idle: {target.idle_cpu * 1000:.1f} ms of CPU a "
            f"second (over {args.idle_seconds:g} s), load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    for n, rate in enumerate(args.rates):
        for target in targets if n % 2 == 0 else targets[::-1]:
            if target.stopped:
                continue
            step = run_step(
                target.ports,
                api_port,
                bodies,
                rate,
                args.step_seconds,
                args.pool,
                target.pids,
                target.idle_cpu,
            )
            target.steps.append(step)
            print_step(target, workers, step)
            ok = step.sustained(args.max_p99)
            target.failures = 0 if ok else target.failures + 1
            target.short = target.short + 1 if step.offered < 0.8 * rate else 0
            if target.failures >= 2 or target.short >= 2:  # full, or the generator is
                target.stopped = "not sustained" if target.failures >= 2 else "offered < 80 %"
                print(f"  {target.name:>14} {workers}w stopped: {target.stopped}")
            elif not ok:
                time.sleep(2.0)  # let a backlog drain before the next step
        if all(target.stopped for target in targets):
            break
    cold = [tyle(chat) for chat in fresh]
    for target in targets:  # each official's first /tyle since the start, one step
        target.cold = run_step(
            target.ports, api_port, cold, COLD_RATE, len(cold) / COLD_RATE, args.pool,
            target.pids, target.idle_cpu,
        )  # fmt: skip
        label = f"  {target.name:>14} {workers}w first /tyle of each official,"
        print_step(target, workers, target.cold, label=label)


def bench_workers(workers: int, args: argparse.Namespace, url: str, workdir: Path) -> list[Target]:
    """Start the fake API and the targets, run the rate steps, stop everything."""
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
    targets: list[Target] = []
    try:
        if not wait_until(
            lambda: http_get(f"http://127.0.0.1:{api_port}/_bench/replies")[0] == 200, 100
        ):
            raise SystemExit("the fake Bot API did not start")
        targets = start_targets(workers, args, url, workdir, api_port)
        measure(targets, args, api_port, workers)
    finally:
        procs = [proc for target in targets for proc in target.procs]
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        api.terminate()
        api.wait(timeout=10)
    return targets


def print_floors(targets: list[Target]) -> None:
    """CPU per update at each rate: kyso beside every other target, and the ratio."""
    if len(targets) < 2:
        return
    kyso, others = targets[0], targets[1:]
    print("\nCPU ms per update (the ratio: kyso / the other)")
    print(f"{'rate/s':>7} {'kyso':>6} " + " ".join(f"{t.name:>22}" for t in others))
    for index, step in enumerate(kyso.steps):  # the same rates in the same order
        cells = []
        for other in others:
            match = other.steps[index] if index < len(other.steps) else None
            theirs = match.cpu_ms_per_update if match else None
            ours = step.cpu_ms_per_update
            ratio = f"{ours / theirs:.2f} x" if ours and theirs else "—"
            cells.append(f"{fmt_ms(theirs):>12} {ratio:>9}")
        print(f"{step.target:>7} {fmt_ms(step.cpu_ms_per_update):>6} " + " ".join(cells))
    if kyso.cold is not None:
        cells = [f"{fmt_ms(o.cold.cpu_ms_per_update if o.cold else None):>12}" for o in others]
        cells = [cell + " " * 10 for cell in cells]
        print(f"{'first':>7} {fmt_ms(kyso.cold.cpu_ms_per_update):>6} " + " ".join(cells))
        print(f"  (first: each official's first /tyle since the start, {COLD_RATE}/s)")


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
    parser.add_argument(
        "--floors",
        nargs="*",
        default=["ptb", "tornado", "raw", "asyncio"],
        choices=["ptb", "tornado", "raw", "asyncio"],
        help="bare servers measured beside kyso at the same rates (1 worker; none: --floors)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of kyso (e.g. a worktree of main) measured alternately, SQLite",
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
        if args.baseline and backend != "sqlite":
            raise SystemExit("--baseline runs on a copy of the SQLite database only")
        t0 = time.perf_counter()
        args.users = prepare_database(url, args.units, args.officials)
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
                targets = bench_workers(workers, args, url, workdir)
            except SystemExit as exc:  # a stage failed: say so, and still print the summary
                print(f"  {workers} worker(s): {exc}")
                targets = []
            for target in targets:
                good = [s for s in target.steps if s.sustained(args.max_p99)]
                best = max(good, key=lambda s: s.handled) if good else None
                summary.append((target.name, workers, best))
            print_floors(targets)
        print()
        print(
            f"{'backend':10} {'server':>16} {'workers':>7} {'sustained upd/s':>16} "
            f"{'handler p99 ms':>15} {'e2e p99 ms':>11} {'CPU ms/upd':>11}"
        )
        for name, workers, best in summary:
            if best is None:
                print(f"{backend:10} {name:>16} {workers:>7} {'—':>16}")
                continue
            print(
                f"{backend:10} {name:>16} {workers:>7} {best.handled:>16.0f} "
                f"{fmt_ms(best.handler_p99_ms):>15} {fmt_ms(best.e2e_p99_ms):>11} "
                f"{fmt_ms(best.cpu_ms_per_update):>11}"
            )


if __name__ == "__main__":
    main()
