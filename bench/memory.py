"""Benchmark: resident memory with 10,000 units once every unit has been asked in both languages.

Run: .venv/bin/python bench/memory.py [--units 10000] [--database-url URL] [--unbounded]

One real application (offline Bot API, logging as `bot run`): the head of every unit asks /tyle
in Vietnamese and in English (20,000 answers). Prints RSS at start, after the first answer and
after all of them, and how many rendered reports are kept. `--unbounded` lifts the cache's limit
to show what keeping every rendered report used to cost. PostgreSQL: give a throwaway database
(its tables are dropped first). Goal: RSS <= 120 MiB after every unit was asked.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.kit import (
    Driver,
    bot_logging,
    import_period,
    link_heads,
    load_average,
    rss_mib,
    settings_for,
)
from bot.core import stats


def fresh_postgres(url: str) -> None:
    """Empty a throwaway PostgreSQL database (every table, alembic_version included)."""
    from sqlalchemy import text

    from bot.core.db import create_db_engine

    engine = create_db_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def measure(url: str, units: int, unbounded: bool, log_path: Path) -> None:
    """In a fresh process, as a bot started on the populated database: ask, print RSS."""
    start_rss = rss_mib()
    from bot.app import build_application
    from bot.offline import OfflineRequest

    if unbounded:
        stats.RENDERED_MAX = 10**9
    settings = settings_for(url)
    request = OfflineRequest(record=False)
    app = build_application(settings, request=request)
    log = bot_logging(settings, log_path)
    heads = [10_000 + i for i in range(units)]
    figures: dict[str, float] = {"at start (python, modules, settings)": start_rss}

    async def run() -> None:
        async with app:
            figures["application built and initialised"] = rss_mib()
            drv = Driver(app, request)
            await drv.send(heads[0], "/tyle")
            gc.collect()
            figures["after the first /tyle"] = rss_mib()
            for language in ("vi", "en"):
                for head in heads:
                    await drv.send(head, "/tyle", language_code=language)
            gc.collect()
            figures["after every unit asked in vi and en"] = rss_mib()

    asyncio.run(run())
    kept = len(app.bot_data.runtime.standings._snapshots["ky-so"].rendered)
    log.close()
    app.bot_data.runtime.engine.dispose()
    for name, value in figures.items():
        print(f"RSS {name}: {value:.1f} MiB")
    print(f"rendered reports kept: {kept:,} (limit {stats.RENDERED_MAX:,})")
    final = figures["after every unit asked in vi and en"]
    print(f"goal RSS <= 120 MiB: {'met' if final <= 120 else 'NOT met'}")


def main() -> None:
    """Populate a database, then measure a bot process started on it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--unbounded", action="store_true", help="keep every rendered report")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--measure-log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.units, args.unbounded, Path(args.measure_log))
        return
    from bot.app import build_application
    from bot.offline import OfflineRequest

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if args.database_url:
            fresh_postgres(url)
        settings = settings_for(url)
        app = build_application(settings, request=OfflineRequest(record=False))
        engine = app.bot_data.runtime.engine
        import_period(engine, settings, args.units, 0)
        import_period(engine, settings, args.units, 1)
        link_heads(engine, args.units, every_unit=True)
        engine.dispose()
        backend = "postgresql" if args.database_url else "sqlite"
        print(f"{backend}, {args.units:,} units x 2 periods, {args.units:,} heads")
        print(f"(load average {load_average()})", flush=True)
        command = [sys.executable, __file__, "--units", str(args.units), "--measure", url]
        command += ["--measure-log", str(Path(tmp) / "bot.log")]
        if args.unbounded:
            command.append("--unbounded")
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
