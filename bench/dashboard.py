"""Benchmark: the dashboard's first view with 10,000 units, on loopback.

First view = the page, its script and style, /app/api/me and the first table answer, as a
browser asks for them (gzip accepted). Measured cold (first call after start or after new
figures: the tables are computed) and warm (the answer is cached until the data changes);
with --browser, also the time until Debian's chromium shows the first rows.

Run: .venv/bin/python bench/dashboard.py [--units 10000] [--rounds 5] [--browser]
Goal (2-core machine): first view under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlmodel import Session

from bench.kit import make_table
from bot.app import build_application
from bot.core.config import Settings
from bot.core.db import bump_revision, session_scope
from bot.dashboard.auth import sign_init_data
from bot.features import links
from bot.imports.apply import import_statistics
from bot.offline import OfflineRequest
from bot.web import WebServer

TOKEN = "123456:BENCH"
ADMIN = 1
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def launch_data() -> str:
    """Fresh signed launch data for the secretariat."""
    user = json.dumps({"id": ADMIN, "first_name": "Bench", "language_code": "vi"})
    return sign_init_data({"auth_date": str(int(time.time())), "user": user}, TOKEN)


async def first_view(client: httpx.AsyncClient) -> tuple[float, int, float]:
    """Seconds for page + assets + me + table, the table answer's bytes on the wire, and the
    CPU seconds this process spent on it (server and client: a figure a busy machine does not
    inflate the way it inflates the wall clock)."""
    headers = {"Authorization": "tma " + launch_data(), "Accept-Encoding": "gzip"}
    cpu = time.process_time()
    start = time.perf_counter()
    page = await client.get("/app/")
    await asyncio.gather(client.get("/app/static/app.js"), client.get("/app/static/app.css"))
    me = await client.get("/app/api/me", headers=headers)
    table = await client.get("/app/api/table", headers=headers)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert page.status_code == me.status_code == table.status_code == 200
    assert len(table.json()["rows"]) > 0
    return elapsed, int(table.headers.get("content-length", len(table.content))), cpu


async def browser_view(base: str) -> float | None:
    """Seconds until chromium shows the table's first rows (None without chromium)."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    from urllib.parse import quote

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        start = time.perf_counter()
        await page.goto(f"{base}/app/#tgWebAppData={quote(launch_data(), safe='')}")
        await page.wait_for_selector("#rows tr")
        elapsed = time.perf_counter() - start
        await browser.close()
        return elapsed


async def main() -> None:
    """Import two periods of N units, serve, measure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            TELEGRAM_BOT_TOKEN=TOKEN,
            DATABASE_URL=f"sqlite:///{tmp}/bench.db",
            ADMIN_TELEGRAM_IDS=str(ADMIN),
        )
        app = build_application(settings, request=OfflineRequest(record=False))
        engine = app.bot_data.runtime.engine
        started = time.perf_counter()
        for n, (start, end) in enumerate(
            [
                (dt.date(2026, 5, 25), dt.date(2026, 6, 7)),
                (dt.date(2026, 6, 8), dt.date(2026, 6, 22)),
            ]
        ):
            with Session(engine) as session:
                import_statistics(
                    session=session,
                    data=make_table(args.units, seed=n),
                    filename="t.tsv",
                    period_start=start,
                    period_end=end,
                    tz=settings.tz,
                    after_import=links(default_language="vi").after_import,
                )
        print(f"{args.units:,} units × 2 periods imported in {time.perf_counter() - started:.1f} s")
        async with app:
            server = WebServer(app, port=0)
            port = await server.start()
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base) as client:
                colds, warms, cold_cpu, warm_cpu = [], [], [], []
                size = 0
                for _ in range(args.rounds):
                    with session_scope(engine) as session:
                        bump_revision(session)  # as after an import: nothing cached
                    cold, size, cpu = await first_view(client)
                    cold_cpu.append(cpu)
                    warm, _size, cpu = await first_view(client)
                    warm_cpu.append(cpu)
                    colds.append(cold)
                    warms.append(warm)
            print(f"table answer: {size / 1024:.0f} KiB gzipped")
            print(
                f"first view, cold (tables computed): median {statistics.median(colds) * 1000:.0f}"
                f" ms, worst {max(colds) * 1000:.0f} ms"
            )
            print(
                f"first view, warm (answer cached):   median {statistics.median(warms) * 1000:.0f}"
                f" ms, worst {max(warms) * 1000:.0f} ms"
            )
            print(
                f"CPU time of this process (server + client): cold median "
                f"{statistics.median(cold_cpu) * 1000:.0f} ms, warm median "
                f"{statistics.median(warm_cpu) * 1000:.0f} ms"
            )
            if args.browser:
                shown = await browser_view(base)
                if shown is not None:
                    print(f"chromium, launch → first rows drawn: {shown * 1000:.0f} ms")
            verdict = "OK" if max(colds) < 1.0 else "SLOWER THAN THE GOAL"
            print(f"goal < 1 s for the first view: {verdict}")
            await server.stop()
        engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
