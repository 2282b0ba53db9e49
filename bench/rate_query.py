"""Benchmark: /tyle through process_update with 10,000 units vs a bare PTB constant reply.

Run: .venv/bin/python bench/rate_query.py [--units 10000] [--updates 3000] [--pairs 7]
Honest by construction: logging set up exactly as `bot run` does (text, INFO, into a file),
no GC tricks, rounds paired (bare, kyso, bare, kyso …) and the median of the per-pair ratios
reported with its range, in wall time and in CPU time (steadier on a shared machine).
Goals (2-core machine): ratio >= 0.6 x bare PTB, >= 3,000 updates/s of CPU time.
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

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes

from bench.kit import (
    TOKEN,
    Spread,
    bot_logging,
    import_period,
    link_heads,
    load_average,
    settings_for,
)
from bot.app import build_application
from bot.core.config import Settings
from bot.offline import OfflineRequest, message_update


async def _round(app: Application, updates: list[Update]) -> tuple[float, float]:
    """(updates/s of wall time, updates/s of CPU time) for one pass over the updates."""
    wall, cpu = time.perf_counter(), time.process_time()
    for u in updates:
        await app.process_update(u)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(updates) / wall, len(updates) / max(cpu, 1e-9)


async def run_pairs(
    settings: Settings, updates: list[dict], pairs: int, profile: str | None = None
) -> tuple[list[tuple[float, float]], list[tuple[float, float]], str]:
    """Bare constant reply vs the real /tyle, in pairs of rounds on the same updates."""

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("82,5%")  # type: ignore[union-attr]

    bare_req = OfflineRequest(record=False)
    bare = ApplicationBuilder().token(TOKEN).request(bare_req).get_updates_request(bare_req).build()
    bare.add_handler(CommandHandler("tyle", reply))
    kyso_req = OfflineRequest(record=False)
    kyso = build_application(settings, request=kyso_req)
    bare_rates: list[tuple[float, float]] = []
    kyso_rates: list[tuple[float, float]] = []
    async with bare, kyso:
        bare_updates = [Update.de_json(u, bare.bot) for u in updates]
        kyso_updates = [Update.de_json(u, kyso.bot) for u in updates]
        kyso_req.record = True
        await kyso.process_update(kyso_updates[0])  # a running bot has answered before
        sample = str(kyso_req.calls[-1].params.get("text", ""))
        kyso_req.record = False
        await _round(bare, bare_updates[:200])  # both warmed up alike
        await _round(kyso, kyso_updates[:200])
        for _ in range(pairs):
            bare_rates.append(await _round(bare, bare_updates))
            kyso_rates.append(await _round(kyso, kyso_updates))
        if profile:  # after the timed rounds, so it cannot disturb them
            import cProfile

            with cProfile.Profile() as prof:
                await _round(kyso, kyso_updates)
            prof.dump_stats(profile)
    kyso.bot_data.runtime.engine.dispose()
    return bare_rates, kyso_rates, sample


def main() -> None:
    """Set up the database, run the pairs, print figures and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=3_000)
    parser.add_argument("--officials", type=int, default=2_000)
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--profile", help="write a cProfile of one kyso round to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_for(f"sqlite:///{Path(tmp) / 'bench.db'}")
        app = build_application(settings, request=OfflineRequest(record=False))
        engine = app.bot_data.runtime.engine
        import_s = import_period(engine, settings, args.units, 0)
        import_s += import_period(engine, settings, args.units, 1)
        officials = link_heads(engine, args.officials)
        engine.dispose()
        rng = random.Random(4)
        updates = [message_update(rng.choice(officials), "/tyle") for _ in range(args.updates)]
        log = bot_logging(settings, Path(tmp) / "bot.log")
        bare, ours, sample = asyncio.run(run_pairs(settings, updates, args.pairs, args.profile))
        log.close()
        log_lines = sum(1 for _ in (Path(tmp) / "bot.log").open(encoding="utf-8"))
    wall = Spread.of([k[0] / b[0] for b, k in zip(bare, ours, strict=True)])
    cpu = Spread.of([k[1] / b[1] for b, k in zip(bare, ours, strict=True)])
    kyso_cpu = Spread.of([k[1] for k in ours])
    print(f"import of 2 x {args.units:,} rows: {import_s:.2f} s   (load average {load_average()})")
    print(f"{args.pairs} pairs of rounds (bare, kyso) of {args.updates:,} updates each")
    print("logging as `bot run` sets it up (text, INFO):", f"{log_lines:,} lines written")
    print(f"bare PTB, wall:   {Spread.of([b[0] for b in bare]).text('.0f')} updates/s")
    print(f"kyso,     wall:   {Spread.of([k[0] for k in ours]).text('.0f')} updates/s")
    print(f"bare PTB, CPU:    {Spread.of([b[1] for b in bare]).text('.0f')} updates/s")
    print(f"kyso,     CPU:    {kyso_cpu.text('.0f')} updates/s   (goal >= 3,000)")
    print(f"ratio kyso/bare, median of pairs, wall: {wall.text()}   (goal >= 0.60)")
    print(f"ratio kyso/bare, median of pairs, CPU:  {cpu.text()}   (goal >= 0.60)")
    met = wall.median >= 0.6 and cpu.median >= 0.6 and kyso_cpu.median >= 3000
    print(f"goals: {'met' if met else 'NOT met'}")
    print("sample reply:", sample.splitlines()[0] if sample else "(none)")


if __name__ == "__main__":
    main()
