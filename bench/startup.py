"""Benchmark: start-up — `bot run` to its first answer, and `bot console --demo` to its prompt.

Run: .venv/bin/python bench/startup.py [--rounds 5]

`python -m bot run` long-polls a fake Bot API on 127.0.0.1 (tests/fake_bot_api.py) that holds
one `/tyle` update; the time is from starting the process to the answer reaching the fake API,
on a database already migrated and imported (a restart, the usual case), with a warm disk and
the modules' bytecode compiled (one unmeasured round first; this shell's PYTHONDONTWRITEBYTECODE
is not passed on, the .pyc files go to a temporary folder). The console demo is timed from start
to its first prompt line. Goals: first answer <= 1.5 s, console prompt <= 2 s (medians; the
child's CPU time up to the answer is printed too, steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
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


# Compiled bytecode of every module, kept for the children (bench/startup.py sets it per run):
# a restarted bot has its .pyc files, whatever PYTHONDONTWRITEBYTECODE says in this shell.
PYCACHE: dict[str, str] = {}


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a bot process: no inherited TELEGRAM_* settings; bytecode cached."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TELEGRAM_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(extra, PYTHONPATH=str(ROOT), **PYCACHE)
    return env


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_answer(db: str, workdir: Path) -> tuple[float, float]:
    """(seconds from start to the first answer, child CPU seconds until then) for one
    `bot run`."""
    with FakeBotApi(TOKEN) as api:
        api.updates.append(message_update(1, "/tyle nam tien hai"))
        env = child_env(
            {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url, "DATABASE_URL": db}
        )
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
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


def console_prompt(workdir: Path) -> float:
    """Seconds from starting `bot console --demo` to its first line of output."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--demo"],
        cwd=workdir,
        env=child_env({"DATABASE_URL": f"sqlite:///{workdir / 'unused.db'}"}),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait(timeout=60)
    return elapsed


def main() -> None:
    """Prepare a database, time the rounds, print medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        PYCACHE["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")  # filled by the warm-up
        db = f"sqlite:///{workdir / 'kyso.db'}"
        env = child_env({"DATABASE_URL": db})
        subprocess.run(
            [sys.executable, "-m", "bot", "import", str(TABLE)],
            cwd=workdir,
            env=env,
            check=True,
            capture_output=True,
        )
        first_answer(db, workdir)  # warm the disk cache, as a restart has it
        runs = [first_answer(db, workdir) for _ in range(args.rounds)]
        console_prompt(workdir)
        prompts = [console_prompt(workdir) for _ in range(args.rounds)]
    answer = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    prompt = statistics.median(prompts)
    print(f"(load average {load_average()}; {args.rounds} rounds each, medians)")
    print(
        f"bot run → first answer: {answer:.2f} s (its CPU until then {cpu:.2f} s)   (goal <= 1.5 s)"
    )
    print(f"  all rounds: {', '.join(f'{r[0]:.2f}' for r in runs)}")
    print(f"bot console --demo → prompt: {prompt:.2f} s   (goal <= 2 s)")
    print(f"  all rounds: {', '.join(f'{p:.2f}' for p in prompts)}")


if __name__ == "__main__":
    main()
