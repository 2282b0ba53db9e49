"""Benchmark: start-up — `bot run` to its first answer, and `bot console --demo` to its prompt.

Run: .venv/bin/python bench/startup.py [--rounds 5] [--baseline OTHER_CHECKOUT]
(any interpreter with the project installed runs it, and its children, e.g. /tmp/dv/bin/python)

`python -m bot run` long-polls a fake Bot API on 127.0.0.1 (tests/fake_bot_api.py) that holds
one `/tyle` update; the time is from starting the process to the answer reaching the fake API,
on a database already migrated and imported (a restart, the usual case), with a warm disk and
the modules' bytecode compiled (one unmeasured round first; this shell's PYTHONDONTWRITEBYTECODE
is not passed on, the .pyc files go to a temporary folder). The console demo is timed from start
to its first line, after one unmeasured round that saves its demo database (XDG_CACHE_HOME in
the temporary folder), as a second `console --demo` on the same code finds it. Goals: first
answer <= 1.5 s, console prompt <= 2 s (medians; the child's CPU time up to then is printed
too, steadier on a shared machine). With --baseline, every round also runs the other
checkout's code (e.g. /work/main) right after this one's, on the same database, so that the
machine's load hits both alike (paired figures).

The floor: every round also starts bench/startup_bare.py the same way — python-telegram-bot,
SQLAlchemy and SQLModel, one table on the same database, long polling the fake API, `/tyle`
answered with one SELECT — so that the figures say how much of the time is kyso-bot's own and
how much any bot on these libraries and this interpreter pays (printed: the interpreter, and
whether it is an optimized build).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.kit import load_average
from bot.offline import message_update
from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:STARTUP"
TABLE = ROOT / "bot" / "data" / "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
BARE = ROOT / "bench" / "startup_bare.py"


# What a machine keeps between runs, in this run's temporary folder (set in main(), filled by
# the warm-up rounds): the modules' bytecode (a restarted bot has its .pyc files, whatever
# PYTHONDONTWRITEBYTECODE says in this shell) and the console's saved demo database.
WARM: dict[str, str] = {}


def child_env(extra: dict[str, str], root: Path = ROOT) -> dict[str, str]:
    """The environment of a bot process running the code in `root`: no inherited TELEGRAM_*
    settings; bytecode and the demo database kept (WARM)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TELEGRAM_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(extra, PYTHONPATH=str(root), **WARM)
    if "XDG_CACHE_HOME" in WARM:  # each checkout its own: the demo database is kept per code,
        # and one shared folder let --baseline's two checkouts evict each other's every round
        env["XDG_CACHE_HOME"] = str(Path(WARM["XDG_CACHE_HOME"]) / root.resolve().name)
    return env


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_answer(
    db: str, workdir: Path, root: Path = ROOT, *, bare: bool = False
) -> tuple[float, float]:
    """(seconds from start to the first answer, child CPU seconds until then) for one
    `bot run` (`bare`: for the floor, bench/startup_bare.py)."""
    with FakeBotApi(TOKEN) as api:
        api.updates.append(message_update(1, "/tyle nam tien hai"))
        bot = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url}
        env = child_env({**bot, "DATABASE_URL": db}, root)
        start = time.perf_counter()
        command = [str(BARE)] if bare else ["-m", "bot", "run"]
        proc = subprocess.Popen(
            [sys.executable, *command],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not api.sent_texts() and proc.poll() is None:
                if time.perf_counter() - start > 60:
                    raise SystemExit("no answer within a minute")
                time.sleep(0.005)
            elapsed = time.perf_counter() - start
            used = process_cpu(proc.pid)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
    return elapsed, used


def console_prompt(workdir: Path, root: Path = ROOT) -> tuple[float, float]:
    """(seconds from starting `bot console --demo` to its first line of output, child CPU
    seconds until then)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--demo"],
        cwd=workdir,
        env=child_env({"DATABASE_URL": f"sqlite:///{workdir / 'unused.db'}"}, root),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    used = process_cpu(proc.pid)
    proc.stdin.close()
    proc.wait(timeout=60)
    return elapsed, used


def report(label: str, runs: list[tuple[float, float]], goal: float) -> None:
    """One line of medians (wall and the child's CPU) and the rounds."""
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(f"{label}: {wall:.2f} s (its CPU until then {cpu:.2f} s)   (goal <= {goal:g} s)")
    print(f"  all rounds: {', '.join(f'{r[0]:.2f}' for r in runs)}")
    print(f"  CPU rounds: {', '.join(f'{r[1]:.2f}' for r in runs)}")


def interpreter() -> str:
    """Which Python runs the rounds, and whether it is an optimized (PGO) build."""
    args = str(sysconfig.get_config_var("CONFIG_ARGS") or "")
    if "--enable-optimizations" in args:
        lto = ", LTO" if "--with-lto" in args else ""
        built = f"optimized build (--enable-optimizations{lto})"
    elif sys.base_prefix == "/usr":
        built = "distribution build (Debian's is PGO-optimized by its own rules)"
    else:
        built = "NOT an optimized build (no --enable-optimizations)"
    return f"{sys.executable} (Python {sys.version.split()[0]}, {built})"


def floor(kyso: list[tuple[float, float]], bare: list[tuple[float, float]]) -> None:
    """The floor's medians and kyso's ratio to it (of the medians, and the median of the
    rounds' ratios: the rounds are paired)."""
    report("bare bot (the floor) → first answer", bare, 1.5)
    for name, i in (("wall", 0), ("CPU", 1)):
        ratios = sorted(k[i] / b[i] for k, b in zip(kyso, bare, strict=True))
        medians = statistics.median(k[i] for k in kyso) / statistics.median(b[i] for b in bare)
        print(
            f"  kyso / floor, {name}: {medians:.2f} x (median of the paired rounds "
            f"{statistics.median(ratios):.2f}, {ratios[0]:.2f}–{ratios[-1]:.2f})"
        )


def paired(label: str, this: list[tuple[float, float]], other: list[tuple[float, float]]) -> None:
    """The median of the rounds' differences (this code's minus the baseline's), wall and CPU:
    steadier than the difference of the medians when the machine's load changes."""
    for name, i in (("wall", 0), ("CPU", 1)):
        diffs = sorted(t[i] - o[i] for t, o in zip(this, other, strict=True))
        print(
            f"{label}, {name}: {statistics.median(diffs) * 1000:+.0f} ms "
            f"(rounds {diffs[0] * 1000:+.0f} … {diffs[-1] * 1000:+.0f})"
        )


def main() -> None:
    """Prepare a database, time the rounds (paired with --baseline), print medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout, run alternately")
    args = parser.parse_args()
    roots = {"this": ROOT} if args.baseline is None else {"this": ROOT, "baseline": args.baseline}
    answers: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
    bare: list[tuple[float, float]] = []
    prompts: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        WARM["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")  # filled by the warm-up
        WARM["XDG_CACHE_HOME"] = str(workdir / "cache")  # the console's saved demo database
        db = f"sqlite:///{workdir / 'kyso.db'}"
        env = child_env({"DATABASE_URL": db})
        subprocess.run(
            [sys.executable, "-m", "bot", "import", str(TABLE)],
            cwd=workdir,
            env=env,
            check=True,
            capture_output=True,
        )
        for root in roots.values():  # warm the disk cache and the bytecode, as a restart has it
            first_answer(db, workdir, root)
        first_answer(db, workdir, bare=True)
        for _ in range(args.rounds):
            for name, root in roots.items():
                answers[name].append(first_answer(db, workdir, root))
            bare.append(first_answer(db, workdir, bare=True))
        for root in roots.values():  # and save the demo database
            console_prompt(workdir, root)
        for _ in range(args.rounds):
            for name, root in roots.items():
                prompts[name].append(console_prompt(workdir, root))
    print(f"(load average {load_average()}; {args.rounds} rounds each, medians)")
    print(f"interpreter: {interpreter()}")
    for name, root in roots.items():
        print(f"[{name}: {root}]")
        report("bot run → first answer", answers[name], 1.5)
        floor(answers[name], bare)
        report("bot console --demo → prompt", prompts[name], 2)
    if args.baseline is not None:
        print("[this − baseline, paired rounds]")
        paired("bot run → first answer", answers["this"], answers["baseline"])
        paired("bot console --demo → prompt", prompts["this"], prompts["baseline"])


if __name__ == "__main__":
    main()
