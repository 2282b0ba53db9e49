"""Benchmark: how long an import holds the write lock, and what reading hostile files costs.

Run: .venv/bin/python bench/import_guard.py [--units 10000]
Prints: parse time (no transaction), write-transaction time (lock held), time and peak memory
to refuse a 60 MB zip bomb, a 5 MB CSV field and a table over the row cap.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from bot.core.db import create_db_engine, init_db
from bot.imports import apply
from bot.imports.issues import ImportRejected
from bot.imports.limits import ReadLimits
from bot.imports.parse import parse_file
from bot.imports.plan import plan_parsed

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "THỐNG KÊ (từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)"
HEADER = "STT\tĐơn vị\tTổng số lượng văn bản đi\tSố lượng văn bản ký số điện tử\tTỷ lệ"


def table(units: int) -> bytes:
    """A TSV of `units` communes."""
    rows = [f"{i}\tĐảng ủy xã Số {i}\t{100 + i % 50}\t{90 + i % 10}\t" for i in range(units)]
    return "\n".join([TITLE, HEADER, *rows, ""]).encode()


def measured(label: str, run: Callable[[], object]) -> None:
    """Run a callable, print its time and peak traced memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = run()
    except ImportRejected as exc:
        outcome = "refused: " + ", ".join(sorted({i.code for i in exc.issues}))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<42} {elapsed * 1000:9.1f} ms  peak {peak / 2**20:7.1f} MB  {outcome}")


def lock_time(units: int) -> None:
    """Parse time outside any transaction vs the time the write transaction is held."""
    folder = Path(tempfile.mkdtemp())
    engine = create_db_engine(f"sqlite:///{folder / 'bench.db'}")
    init_db(engine)
    data = table(units)
    started = time.perf_counter()
    parse_file(data, "bench.tsv")
    parsed = time.perf_counter() - started
    for run in ("first (creates units)", "again (replaces)"):
        with Session(engine) as session:  # the steps of import_statistics, timed
            plan = plan_parsed(
                session=session,
                outcome=parse_file(data, "b.tsv"),
                sha256="",
                filename="b.tsv",
                tz=TZ,
            )
            session.rollback()
            apply.lock_imports(session)
            locked = time.perf_counter()
            apply.apply_import(session=session, plan=plan)
            session.commit()
            held = time.perf_counter() - locked
        print(
            f"import of {units} units, {run:<22} parse {parsed * 1000:7.1f} ms, "
            f"write lock held {held * 1000:7.1f} ms"
        )
    engine.dispose()


def bomb() -> bytes:
    """A small workbook-looking zip that unpacks to 60 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(60):
                member.write(bytes(2**20))
    return out.getvalue()


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    args = parser.parse_args()
    lock_time(args.units)
    zipped = bomb()
    measured(
        f"zip bomb ({len(zipped) // 1024} KB → 60 MB)",
        lambda: parse_file(zipped, "b.xlsx").issues[0].code,
    )
    field = "\n".join([TITLE, HEADER, "1\tA\t10\t9\t" + "x" * 5_000_000, ""]).encode()
    measured("CSV with a 5 MB field", lambda: [i.code for i in parse_file(field, "b.csv").issues])
    capped = table(30_000)
    measured(
        "30,000 rows over IMPORT_MAX_ROWS=20000", lambda: parse_file(capped, "b.tsv").issues[0].code
    )
    slow = ReadLimits(time_budget=0.05)
    measured(
        "30,000 rows, IMPORT_TIME_BUDGET=0.05",
        lambda: parse_file(capped, "b.tsv", slow).issues[0].code,
    )


if __name__ == "__main__":
    main()
