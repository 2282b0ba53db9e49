"""Benchmark: /tyle through process_update with 10,000 units vs a bare PTB constant reply.

Run: .venv/bin/python bench/rate_query.py [--units 10000] [--updates 5000]
Goal (2-core machine): >= 2,000 updates/s and a ratio >= 0.4 against the bare handler.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlmodel import (
    Session,
    select,
)
from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.app import build_application
from bot.core.config import Settings
from bot.core.models import AppUser, Official, Role, Unit
from bot.features import links
from bot.imports.apply import import_statistics
from bot.offline import OfflineRequest, message_update

TOKEN = "123456:BENCH"


def make_table(units: int, seed: int) -> bytes:
    """A TSV in the published layout with `units` synthetic communes."""
    rng = random.Random(seed)
    lines = ["STT\tĐơn vị\tTổng số lượng văn bản đi\tSố lượng văn bản ký số điện tử"]
    for i in range(1, units + 1):
        total = rng.randint(5, 150)
        signed = rng.randint(0, total)
        lines.append(f"{i}\tĐảng ủy xã Thử Nghiệm {i:05d}\t{total}\t{signed}")
    return ("\n".join(lines) + "\n").encode("utf-8")


async def _best_rate(app: object, updates: list[Update], rounds: int) -> float:
    """Best updates/s over several rounds (GC frozen while timing)."""
    best = 0.0
    for _ in range(rounds):
        gc.collect()
        gc.freeze()
        start = time.perf_counter()
        for u in updates:
            await app.process_update(u)  # type: ignore[attr-defined]
        best = max(best, len(updates) / (time.perf_counter() - start))
        gc.unfreeze()
    return best


async def run_both(
    settings: Settings, updates: list[dict], rounds: int
) -> tuple[float, float, str]:
    """Bare constant reply vs the real /tyle, alternating rounds on the same updates."""

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("82,5%")  # type: ignore[union-attr]

    bare_req = OfflineRequest(record=False)
    bare = ApplicationBuilder().token(TOKEN).request(bare_req).get_updates_request(bare_req).build()
    bare.add_handler(CommandHandler("tyle", reply))
    kyso_req = OfflineRequest(record=False)
    kyso = build_application(settings, request=kyso_req)
    best_bare = best_kyso = 0.0
    async with bare, kyso:
        bare_updates = [Update.de_json(u, bare.bot) for u in updates]
        kyso_updates = [Update.de_json(u, kyso.bot) for u in updates]
        kyso_req.record = True
        await kyso.process_update(kyso_updates[0])  # warms the standings, as a running bot has
        sample = str(kyso_req.calls[-1].params.get("text", ""))
        kyso_req.record = False
        for _ in range(rounds):
            best_bare = max(best_bare, await _best_rate(bare, bare_updates, 1))
            best_kyso = max(best_kyso, await _best_rate(kyso, kyso_updates, 1))
    kyso.bot_data.runtime.engine.dispose()
    return best_bare, best_kyso, sample


def main() -> None:
    """Set up the database, run both benchmarks, print figures and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=5_000)
    parser.add_argument("--officials", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            TELEGRAM_BOT_TOKEN=TOKEN,
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.db'}",
        )
        app = build_application(settings, request=OfflineRequest(record=False))
        engine = app.bot_data.runtime.engine
        import datetime as dt

        t0 = time.perf_counter()
        with Session(engine) as session:
            import_statistics(
                session=session,
                data=make_table(args.units, 1),
                filename="p1.tsv",
                period_start=dt.date(2026, 6, 1),
                period_end=dt.date(2026, 6, 7),
                tz=settings.tz,
                after_import=links(default_language="vi").after_import,
            )
        with Session(engine) as session:
            import_statistics(
                session=session,
                data=make_table(args.units, 2),
                filename="p2.tsv",
                period_start=dt.date(2026, 6, 8),
                period_end=dt.date(2026, 6, 22),
                tz=settings.tz,
                after_import=links(default_language="vi").after_import,
            )
        import_s = time.perf_counter() - t0
        with Session(engine) as session:
            unit_ids = list(session.exec(select(Unit.id)))
            rng = random.Random(3)
            officials = [(10_000 + i, rng.choice(unit_ids)) for i in range(args.officials)]
            session.execute(
                insert(AppUser), [{"telegram_id": t, "display_name": f"u{t}"} for t, _ in officials]
            )
            session.execute(
                insert(Official),
                [
                    {"telegram_id": t, "unit_id": u, "role": Role.HEAD.value, "active": True}
                    for t, u in officials
                ],
            )
            session.commit()
        engine.dispose()
        rng = random.Random(4)
        updates = [message_update(rng.choice(officials)[0], "/tyle") for _ in range(args.updates)]
        bare, ours, sample = asyncio.run(run_both(settings, updates, args.rounds))
    print(f"import of 2 x {args.units:,} rows: {import_s:.2f} s")
    print(f"best of {args.rounds} alternating rounds of {args.updates:,} updates each")
    print(f"bare PTB handler:      {bare:8.0f} updates/s")
    print(f"kyso /tyle ({args.units:,} units): {ours:8.0f} updates/s")
    print(f"ratio kyso/bare:       {ours / bare:8.2f}   (goal >= 0.40)")
    print(
        f"goal >= 2,000 updates/s: {'met' if ours >= 2000 else 'NOT met'}; "
        f"ratio goal: {'met' if ours / bare >= 0.4 else 'NOT met'}"
    )
    print("sample reply:", sample.splitlines()[0] if sample else "(none)")


if __name__ == "__main__":
    main()
