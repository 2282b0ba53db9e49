"""Benchmark: /tyle through process_update with 10,000 units vs a bare PTB constant reply.

Run: .venv/bin/python bench/rate_query.py [--units 10000] [--updates 5000]
Goal (2-core machine): >= 2,000 updates/s and a ratio >= 0.4 against the bare handler.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.importer import import_statistics  # noqa: E402
from bot.models import AppUser, Official, Role, Unit  # noqa: E402
from bot.offline import OfflineRequest, message_update  # noqa: E402
from sqlmodel import select  # noqa: E402

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


async def bare_rate(updates: list[dict], n: int) -> float:
    """updates/s of a bare CommandHandler replying a constant."""

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("82,5%")  # type: ignore[union-attr]

    request = OfflineRequest(record=False)
    app = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()
    app.add_handler(CommandHandler("tyle", reply))
    async with app:
        objs = [Update.de_json(u, app.bot) for u in updates[:n]]
        start = time.perf_counter()
        for u in objs:
            await app.process_update(u)
        return n / (time.perf_counter() - start)


async def kyso_rate(settings: Settings, updates: list[dict], n: int) -> tuple[float, str]:
    """updates/s of the real /tyle; also returns one reply for a sanity check."""
    request = OfflineRequest(record=False)
    app = build_application(settings, request=request)
    async with app:
        objs = [Update.de_json(u, app.bot) for u in updates[:n]]
        await app.process_update(objs[0])  # warm the standings cache, as a running bot has
        request.record = True
        await app.process_update(objs[1])
        sample = str(request.calls[-1].params.get("text", ""))
        request.record = False
        start = time.perf_counter()
        for u in objs:
            await app.process_update(u)
        rate = n / (time.perf_counter() - start)
    app.bot_data["runtime"].engine.dispose()
    return rate, sample


def main() -> None:
    """Set up the database, run both benchmarks, print figures and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=5_000)
    parser.add_argument("--officials", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            TELEGRAM_BOT_TOKEN=TOKEN,
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.db'}",
        )
        app = build_application(settings, request=OfflineRequest(record=False))
        engine = app.bot_data["runtime"].engine
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
            )
        with Session(engine) as session:
            import_statistics(
                session=session,
                data=make_table(args.units, 2),
                filename="p2.tsv",
                period_start=dt.date(2026, 6, 8),
                period_end=dt.date(2026, 6, 22),
                tz=settings.tz,
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
        bare = asyncio.run(bare_rate(updates, args.updates))
        ours, sample = asyncio.run(kyso_rate(settings, updates, args.updates))
    print(f"import of 2 x {args.units:,} rows: {import_s:.2f} s")
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
