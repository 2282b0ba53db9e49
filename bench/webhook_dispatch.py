"""PTB's handler loop against kyso's indexed one (handlers/dispatch.py), per kind of update.

The real application on the offline Bot API (nothing on the network, an empty SQLite database,
one stranger asking): the same updates go through PTB's `Application.process_update` and
through `KysoApplication.dispatch`, alternately, and per update it prints the Python calls
(cProfile, C functions included: load-independent) and the CPU time (paired rounds, median).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.core.config import Settings
from bot.offline import OfflineRequest, callback_update, message_update

USER = 424242
KINDS = {
    "/tyle": lambda: message_update(USER, "/tyle"),
    "/help (late in its group)": lambda: message_update(USER, "/help"),
    "/tyle@otherbot in a group": lambda: message_update(
        USER, "/tyle@otherbot", chat_id=-1001, chat_type="supergroup"
    ),
    "free text": lambda: message_update(USER, "xin chào"),
    "a button": lambda: callback_update(USER, "help:rates", message_id=1),
}


def calls_of(profile: cProfile.Profile) -> int:
    """Every call a profile saw (C functions included)."""
    stats: Any = pstats.Stats(profile)
    return sum(row[1] for row in stats.stats.values())


async def measure(app: Any, make: Any, n: int, rounds: int) -> dict[str, tuple[float, float]]:
    """(calls, CPU ms) per update through PTB's loop and through the index."""
    loops = {
        "PTB": lambda u: Application.process_update(app, u),
        "index": app.dispatch,
    }
    cpu: dict[str, list[float]] = {name: [] for name in loops}
    calls: dict[str, float] = {}
    for _round in range(rounds):
        for name, loop in loops.items():
            updates = [Update.de_json(make(), app.bot) for _ in range(n)]
            start = time.process_time()
            for update in updates:
                await loop(update)
            cpu[name].append((time.process_time() - start) * 1000 / n)
    for name, loop in loops.items():
        updates = [Update.de_json(make(), app.bot) for _ in range(n)]
        profile = cProfile.Profile()
        profile.enable()
        for update in updates:
            await loop(update)
        profile.disable()
        calls[name] = calls_of(profile) / n
    return {name: (calls[name], statistics.median(cpu[name])) for name in loops}


async def main_async(n: int, rounds: int) -> None:
    """Build the application, then measure every kind of update."""
    tmp = Path(tempfile.mkdtemp(prefix="kyso-dispatch-"))
    settings = Settings(
        telegram_bot_token="123456:DISPATCH", database_url=f"sqlite:///{tmp / 'bench.db'}"
    )
    app: Any = build_application(settings, request=OfflineRequest())
    print(f"load {os.getloadavg()[0]:.1f}; {n} updates a round, {rounds} paired rounds")
    print(f"{'update':28} {'PTB calls':>10} {'index calls':>12} {'PTB ms':>8} {'index ms':>9}")
    async with app:
        for label, make in KINDS.items():
            got = await measure(app, make, n, rounds)
            (pc, pm), (ic, im) = got["PTB"], got["index"]
            print(f"{label:28} {pc:10,.1f} {ic:12,.1f} {pm:8.3f} {im:9.3f}")
    app.bot_data.runtime.engine.dispose()


def main() -> None:
    """Options: updates a round, rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main_async(args.updates, args.rounds))


if __name__ == "__main__":
    main()
