"""Unit lookup by typed name over many units: plain and accented queries (figures, no goals).

Run: .venv/bin/python bench/unit_lookup.py [--units 10000] [--rounds 50]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from bot.core.db import create_db_engine, init_db
from bot.core.lookup import find_units
from bot.core.models import Unit
from bot.core.text import fold, short_key

WORDS = ["Tiền", "Tiên", "Hải", "Hưng", "Nam", "Bắc", "Đông", "Tây", "Quang", "Lịch", "Vũ", "Lữ"]
QUERIES = ("tien", "tiền", "Tiền Hải", "tien hai", "Quang Lich 7 (spelling)")


def main() -> None:
    """Fill a database with synthetic communes, then time each query."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    print(f"{args.units:,} units, mean of {args.rounds} lookups each")
    folder = Path(tempfile.mkdtemp())
    engine = create_db_engine(f"sqlite:///{folder / 'bench.db'}")
    init_db(engine)
    rnd = random.Random(1)
    with Session(engine) as session:
        for i in range(args.units):
            name = f"Đảng ủy xã {rnd.choice(WORDS)} {rnd.choice(WORDS)} {i}"
            key = fold(name)
            session.add(Unit(code=f"u{i}", name=name, name_key=key, short_key=short_key(key)))
        session.commit()
        for query in QUERIES:
            start = time.perf_counter()
            for _ in range(args.rounds):
                found = find_units(session=session, query=query)
            ms = (time.perf_counter() - start) / args.rounds * 1000
            print(f"{query!r:16} {len(found)} shown  {ms:7.2f} ms per lookup")
    engine.dispose()


if __name__ == "__main__":
    main()
