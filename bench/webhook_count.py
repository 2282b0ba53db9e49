"""Counting the work of lone updates, whatever the machine's load (`webhook_parts.py --count`).

N `/tyle` updates are posted one at a time, a pause apart, to kyso (`python -m bot run
--webhook`) and to the bare tornado HTTP floor (`webhook_floor.py raw`), each started under
counters; an idle window as long is counted too and taken out. Per update it prints Python
function calls (cProfile, by package, and the most called), event-loop iterations, tasks,
`call_soon`/`call_at`, garbage collections, system calls (`strace -c -f`) and, with
`--callgrind`, the user-space instructions (valgrind's callgrind, instrumentation switched on
only around the window). These decide the levers, not the noisy wall clock.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from webhook_parts import HOOK_PATH, SECRET, TOKEN, hook_request, http_get, wait_until

# --- counting the work of lone updates (load-independent; `--count`) ---------------------

TOP = int(os.environ.get("KYSO_COUNT_TOP", "15"))  # functions listed by --count
COUNT_OUT = "KYSO_COUNT_OUT"  # where a counting worker writes its counts (JSON)
GROUPS = (  # (label, path fragment) for cProfile's functions, first match wins
    ("kyso", "/bot/"),
    ("kyso", "/handlers/"),
    ("kyso", "/jobs/"),
    ("telegram", "/telegram/"),
    ("tornado", "/tornado/"),
    ("asyncio", "/asyncio/"),
    ("logging", "/logging/"),
    ("json", "/json/"),
    ("sqlalchemy", "/sqlalchemy/"),
)


def _group(filename: str) -> str:
    """The package a profiled function belongs to."""
    for label, fragment in GROUPS:
        if fragment in filename:
            return label
    return "builtin" if filename == "~" else "other"


def count_worker(argv: list[str]) -> None:
    """Run `python -m bot …` (or a floor) with counters that SIGUSR1 starts and SIGUSR2 stops:
    Python function calls (cProfile), event-loop iterations, tasks, call_soon/call_at and
    garbage collections; SIGUSR2 writes them to $KYSO_COUNT_OUT."""
    import asyncio.base_events as base
    import cProfile
    import gc
    import pstats
    import runpy
    import signal

    counts = {"loop": 0, "tasks": 0, "call_soon": 0, "call_at": 0, "gc0": 0, "gc1": 0, "gc2": 0}
    live = [False]

    def counted(name: str, method: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if live[0]:
                counts[name] += 1
            return method(*args, **kwargs)

        return wrapper

    loop_class: Any = base.BaseEventLoop
    for attr, name in (
        ("_run_once", "loop"),
        ("create_task", "tasks"),
        ("call_soon", "call_soon"),
        ("call_at", "call_at"),
    ):
        setattr(loop_class, attr, counted(name, getattr(loop_class, attr)))
    gc.callbacks.append(
        lambda phase, info: (
            live[0]
            and phase == "start"
            and counts.__setitem__(f"gc{info['generation']}", counts[f"gc{info['generation']}"] + 1)
        )
    )
    profile = cProfile.Profile()

    def start(_signum: int, _frame: object) -> None:
        live[0] = True
        profile.enable()

    def stop(_signum: int, _frame: object) -> None:
        profile.disable()
        live[0] = False
        stats = pstats.Stats(profile)
        groups: dict[str, int] = defaultdict(int)
        top = []
        for (filename, line, func), row in stats.stats.items():  # type: ignore[attr-defined]
            calls = row[1]  # every call, recursive ones too
            groups[_group(filename)] += calls
            top.append((calls, f"{filename.rsplit('/site-packages/', 1)[-1]}:{line} {func}"))
        top.sort(reverse=True)
        data = {"counts": counts, "groups": groups, "top": top[:80]}
        Path(os.environ[COUNT_OUT]).write_text(json.dumps(data))
        profile.dump_stats(os.environ[COUNT_OUT] + ".prof")  # for pstats' callers and callees

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        runpy.run_path(argv[0], run_name="__main__")


def syscall_counts(text: str) -> dict[str, int]:
    """strace -c's table: calls per system call."""
    found: dict[str, int] = {}
    for line in text.splitlines():
        cells = line.split()
        if len(cells) >= 5 and cells[0][0].isdigit() and cells[-1] not in ("total", "syscall"):
            calls = cells[3]
            if calls.isdigit():
                found[cells[-1]] = int(calls)
    return found


def callgrind_total(path: Path) -> int:
    """The instruction count of a callgrind output file (its summary/totals line)."""
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            total = max(total, int(line.split()[1]))
    return total


def post_lone(port: int, bodies: list[bytes], pause: float) -> int:
    """POST each body on one keep-alive connection, one at a time, `pause` s apart; the number
    answered 200."""
    import socket

    ok = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        reader = sock.makefile("rb")
        for body in bodies:
            sock.sendall(hook_request(body))
            status = int(reader.readline().split()[1])
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _sep, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            reader.read(length)
            ok += status == 200
            if pause:
                time.sleep(pause)
    return ok


def _tids(pid: int) -> list[str]:
    """The threads of a process."""
    return sorted(os.listdir(f"/proc/{pid}/task"))


def count_target(
    command: list[str], env: dict[str, str], port: int, bodies: list[bytes], args: Any
) -> dict[str, Any]:
    """Start one server under the counters, warm it, then count N lone updates and an idle
    window as long (taken out): calls, loop, syscalls, and (--callgrind) instructions."""
    import signal
    import subprocess
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="kyso-count-"))
    results: dict[str, Any] = {"dir": str(workdir)}
    env = {**env, COUNT_OUT: str(workdir / "counts.json")}
    wrapped = [sys.executable, __file__, "--count-worker", *command]
    if args.callgrind:
        out = workdir / "callgrind.out"
        wrapped = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={out}", *wrapped,
        ]  # fmt: skip
    log = (workdir / "server.log").open("wb")
    proc = subprocess.Popen(wrapped, env=env, cwd=workdir, stdout=log, stderr=log)
    try:
        if not wait_until(lambda: http_get(f"http://127.0.0.1:{port}/")[0] != 0, 3000):
            raise SystemExit(f"{command} did not start; see {workdir}")
        # Warm: the same updates (caches, first-time paths), or with --new-people others' (each
        # counted update is then someone the worker has not seen: a viewer-cache miss).
        post_lone(port, args.warm_bodies or bodies, 0.0)
        n = len(bodies)
        for phase in ("idle", "updates"):

            def window(phase: str = phase) -> None:
                if phase == "idle":
                    time.sleep(n * args.pause)
                else:
                    post_lone(port, bodies, args.pause)

            if args.callgrind:
                for flags in (["-z"], ["-i", "on"]):
                    subprocess.run(
                        ["callgrind_control", *flags, str(proc.pid)], capture_output=True
                    )
                window()
                for flags in (["-i", "off"], ["-d"]):
                    subprocess.run(
                        ["callgrind_control", *flags, str(proc.pid)], capture_output=True
                    )
                dumps = sorted(workdir.glob("callgrind.out*"), key=lambda f: f.stat().st_mtime)
                results[f"{phase}_instructions"] = callgrind_total(dumps[-1])
                continue
            trace = workdir / f"strace-{phase}.txt"
            tracer = subprocess.Popen(
                ["strace", "-c", "-f", "-o", str(trace)]
                + [flag for tid in _tids(proc.pid) for flag in ("-p", tid)],
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)  # attached (strace has no ready signal)
            os.kill(proc.pid, signal.SIGUSR1)
            cpu0 = _cpu(proc.pid)
            window()
            cpu1 = _cpu(proc.pid)
            os.kill(proc.pid, signal.SIGUSR2)
            time.sleep(0.5)
            tracer.send_signal(signal.SIGINT)
            tracer.wait(timeout=30)
            counts = json.loads((workdir / "counts.json").read_text())
            os.replace(workdir / "counts.json.prof", workdir / f"{phase}.prof")
            counts["syscalls"] = syscall_counts(trace.read_text())
            counts["cpu_ms"] = (cpu1 - cpu0) * 1000
            results[phase] = counts
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
    return results


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_counts(name: str, result: dict[str, Any], n: int) -> None:
    """Per-update figures: the update window minus the idle window, divided by N."""
    print(f"\n{name}: per lone update (N = {n}, the idle window taken out); {result['dir']}")
    if "updates_instructions" in result:
        net = result["updates_instructions"] - result["idle_instructions"]
        print(f"  instructions (callgrind, user space): {net / n:,.0f}")
        return
    upd, idle = result["updates"], result["idle"]

    def per(a: float, b: float) -> str:
        return f"{(a - b) / n:,.1f}"

    print(f"  CPU (profiled, /proc): {per(upd['cpu_ms'], idle['cpu_ms'])} ms")
    calls = sum(upd["groups"].values()) - sum(idle["groups"].values())
    print(f"  Python function calls (cProfile, C functions included): {calls / n:,.1f}")
    parts = ", ".join(
        f"{g} {per(upd['groups'].get(g, 0), idle['groups'].get(g, 0))}"
        for g in sorted(upd["groups"], key=lambda g: -upd["groups"][g])
    )
    print(f"    by package: {parts}")
    print(
        "  event loop: "
        + ", ".join(f"{k} {per(upd['counts'][k], idle['counts'][k])}" for k in upd["counts"])
    )
    sys_u, sys_i = upd["syscalls"], idle["syscalls"]
    total = sum(sys_u.values()) - sum(sys_i.values())
    top = sorted(sys_u, key=lambda k: -(sys_u[k] - sys_i.get(k, 0)))[:8]
    print(
        f"  system calls (strace -c -f): {total / n:,.1f}: "
        + ", ".join(f"{k} {per(sys_u[k], sys_i.get(k, 0))}" for k in top)
    )
    print("  most called (updates window, all N):")
    for calls_, where in upd["top"][:TOP]:
        print(f"    {calls_ / n:8.1f}  {where}")


def count_main(args: Any) -> None:
    """`--count`: kyso and the bare tornado HTTP floor, N lone /tyle updates each."""
    import subprocess
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.webhook_load import free_port, prepare_database
    from bot.offline import message_update

    root = Path(args.root).resolve() if args.root else Path(__file__).resolve().parent.parent
    tmp = Path(tempfile.mkdtemp(prefix="kyso-count-db-"))
    url = f"sqlite:///{tmp / 'count.db'}"
    users = prepare_database(url, args.units, args.officials)
    bodies = [
        json.dumps(message_update(users[i % len(users)], "/tyle")).encode()
        for i in range(args.updates)
    ]
    args.warm_bodies = None
    if args.new_people:  # warm with the same units asked by other people
        others = users[args.updates : 2 * args.updates]
        args.warm_bodies = [json.dumps(message_update(u, "/tyle")).encode() for u in others]
    api_port = free_port()
    parts = str(Path(__file__).resolve().parent / "webhook_parts.py")
    api = subprocess.Popen([sys.executable, parts, "--port", str(api_port)])
    try:
        wait_until(lambda: http_get(f"http://127.0.0.1:{api_port}/_bench/replies")[0] == 200, 100)
        print(
            f"N = {args.updates} lone /tyle, {args.pause * 1000:g} ms apart; load "
            f"{os.getloadavg()[0]:.1f}; kyso at {root}"
        )
        for kind in args.targets:
            port = free_port()
            if kind == "kyso":
                env = {
                    k: v
                    for k, v in os.environ.items()
                    if not k.startswith(("TELEGRAM_", "WEBHOOK_"))
                }
                env.update(
                    PYTHONPATH=str(root), TELEGRAM_BOT_TOKEN=TOKEN,
                    TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{api_port}", DATABASE_URL=url,
                    WEBHOOK_URL=f"https://bench.invalid{HOOK_PATH}", WEBHOOK_SECRET=SECRET,
                    WEBHOOK_PORT=str(port), LOG_FORMAT="json", LOG_LEVEL="INFO",
                )  # fmt: skip
                command = ["-m", "bot", "run", "--webhook"]
            else:
                env = dict(os.environ)
                floor = str(Path(__file__).resolve().parent / "webhook_floor.py")
                command = [floor, kind, "--port", str(port), "--api-port", str(api_port)]
            result = count_target(command, env, port, bodies, args)
            print_counts(kind if kind == "kyso" else f"bare {kind}", result, args.updates)
    finally:
        api.terminate()
        api.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    """Count (the options below), or be a counting worker (`--count-worker COMMAND …`)."""
    import argparse

    words = sys.argv[1:] if argv is None else argv
    if words[:1] == ["--count-worker"]:
        count_worker(words[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300, help="N lone updates")
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between updates")
    parser.add_argument("--callgrind", action="store_true", help="instructions (valgrind)")
    parser.add_argument("--targets", nargs="+", default=["kyso", "raw"], help="kyso and floors")
    parser.add_argument("--root", help="the kyso checkout to count (default: this one)")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument(
        "--new-people", action="store_true", help="each update from someone not seen yet"
    )
    count_main(parser.parse_args(words))


if __name__ == "__main__":
    main()
