"""Benchmark: the national-scale run — 10,000 units, 50,000 officials, 3 periods.

Run: .venv/bin/python bench/national.py [--units 10000] [--officials 50000] [--rate 0]
     [--queue-only] [--database-url URL] [--profile FILE]

Everything through the project's own code, on one database: two periods imported through the
real importer (with its after-import listeners), 50,000 officials linked (a head in every unit,
the rest staff), a broadcast to every head queued and SENT through the real outbox sender to the
fake Bot API (its own process on 127.0.0.1, no delay; `--rate 27` paces as in production and has
the fake API enforce Telegram's limits), the third period imported with the warnings it raises,
the 100 % deadline created and one of its reminder steps run, the /baocao workbook and a group
summary with its charts queued; then every one of those pushes is SENT too (~80,000 at full
scale; `--queue-only` leaves them queued). What the Bot API received is compared with the outbox:
every push must arrive exactly once (by chat and text). Prints wall and CPU time of each step,
the load average, and the peak RSS (getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import hashlib
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from bench.kit import (
    Phases,
    import_period,
    link_heads,
    load_average,
    peak_rss_getrusage_mib,
    settings_for,
    unsettled,
)
from bot.broadcasts import service as broadcasts
from bot.core.audiences import Audience, AudienceKind, Reach
from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db
from bot.core.i18n import set_timezone
from bot.core.models import Chat, DeadlineUnit, GroupSubscription, OutboxMessage, Role
from bot.core.outbox import QuietHours
from bot.core.stats import StandingsCache
from bot.deadlines import lifecycle, reminders
from bot.deadlines.audience import TEMPLATE_RATE, template_draft
from bot.deadlines.pushes import PushContext
from bot.deadlines.schedule import Schedule, StepKind, plan_steps
from bot.features import links
from bot.reports import service as reports
from bot.summaries.scheduled import enqueue_group_summaries
from jobs.outbox import Limits, OutboxSender

ADMIN = 1
GROUP = -1_001_234_567_890
TEXT = "Đề nghị các đồng chí hoàn thành ký số 100% văn bản điện tử đi trước ngày 30/6/2026."


def serve(conn: Connection, token: str, refereed: bool) -> None:
    """Child process: the fake Bot API until asked for what it accepted."""
    from tests.fake_bot_api import FakeBotApi, FloodLimits

    gc.disable()  # the referee's own pauses must not bunch arrivals
    with FakeBotApi(token, limits=FloodLimits() if refereed else None) as api:
        conn.send(api.base_url)
        while conn.recv() == "report":
            with api.lock:
                conn.send(([(c, digest(text)) for c, _t, text in api.accepted], dict(api.answered)))


def digest(text: object) -> bytes:
    """A short digest of a text: ~90,000 texts compared without holding them all twice."""
    return hashlib.blake2b(str(text).encode(), digest_size=12).digest()


def timed_listeners(settings: Settings, spent: dict[str, float]) -> tuple[Any, ...]:
    """The real after-import listeners, each adding its wall seconds to `spent`."""

    def timing(name: str, listener: Callable[..., None]) -> Callable[..., None]:
        def run(**kwargs: Any) -> None:
            t0 = time.perf_counter()
            try:
                listener(**kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        return run

    found = links(default_language=settings.default_language).after_import
    names = ("deadlines", "warnings")
    return tuple(timing(names[i] if i < 2 else f"l{i}", f) for i, f in enumerate(found))


def import_one(engine: Engine, settings: Settings, units: int, index: int) -> dict[str, float]:
    """Import period `index` through the real importer; seconds spent in each listener."""
    spent: dict[str, float] = {}
    import_period(engine, settings, units, index, after_import=timed_listeners(settings, spent))
    return spent


def rows_by_kind(engine: Engine) -> Counter[str]:
    """Outbox rows per kind."""
    with Session(engine) as session:
        return Counter(
            dict(
                session.exec(
                    select(OutboxMessage.kind, func.count()).group_by(col(OutboxMessage.kind))
                ).all()
            )
        )


async def send_everything(engine: Engine, base_url: str, token: str, rate: float) -> int:
    """Run the real sender until every outbox row is settled; returns how many it sent."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    bot = Bot(token, base_url=f"{base_url}/bot", request=HTTPXRequest())
    limits = Limits(overall_per_second=rate or 1_000_000.0)
    sender = OutboxSender(engine=engine, bot=bot, limits=limits)
    async with bot:
        task = asyncio.create_task(sender.run())
        while await asyncio.to_thread(unsettled, engine):
            await asyncio.sleep(0.2)
        sender.stop()
        await task
    return sender.stats.sent


def rows_by_status(engine: Engine) -> dict[str, int]:
    """Outbox rows per status."""
    with Session(engine) as session:
        stmt = select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
        return dict(sorted(session.exec(stmt).all()))


def expected_pushes(engine: Engine, kind: str | None) -> Counter[tuple[int, bytes]]:
    """(chat, text or caption) of every outbox row (of `kind`, if given): what the Bot API
    should have received."""
    stmt = select(OutboxMessage.chat_id, OutboxMessage.payload)
    if kind is not None:
        stmt = stmt.where(OutboxMessage.kind == kind)
    with Session(engine) as session:
        rows = session.exec(stmt).all()
    return Counter(
        (int(chat), digest(payload.get("text", payload.get("caption", ""))))
        for chat, payload in rows
    )


def deadline_step(engine: Engine, settings: Settings) -> tuple[int, int]:
    """Create the letters' 100 % deadline for every unit a week ahead, run its first reminder
    step; (units owing, pushes queued)."""
    tz = settings.tz
    now = dt.datetime(2026, 6, 22, 9, 0, tzinfo=tz).astimezone(dt.UTC)
    with Session(engine) as session:
        draft = template_draft(session=session, template=TEMPLATE_RATE, now=now, tz=tz)
        deadline = lifecycle.create_deadline(session=session, draft=draft, actor=ADMIN, now=now)
        session.commit()
        steps = [s for s in plan_steps(Schedule.of(deadline), tz) if s.kind is not StepKind.OVERDUE]
        ctx = PushContext(
            tz=tz,
            quiet=QuietHours.from_settings(settings),
            admin_ids=settings.admin_telegram_ids,
            default_language=settings.default_language,
            basis=links(default_language="vi").deadline_basis,
        )
        result = reminders.run_due(session=session, now=steps[0].at, ctx=ctx)
        session.commit()
        owing = session.exec(
            select(func.count())
            .select_from(DeadlineUnit)
            .where(col(DeadlineUnit.fulfilled_at).is_(None))
        ).one()
    return int(owing), result.queued


def workbook(engine: Engine, settings: Settings) -> tuple[int, int]:
    """The /baocao workbook of the latest period; (bytes, sheets)."""
    with Session(engine) as session:
        period = reports.list_periods(session=session, limit=1)[0]
        report = reports.build_report(
            session=session,
            period=period,
            tz=settings.tz,
            sections=links(default_language="vi").report_sections,
        )
    return len(report.data), len(report.sheets)


def group_summary(engine: Engine, settings: Settings) -> tuple[int, int]:
    """This week's summary (text and charts) for a province-wide group; (summaries, rows)."""
    with Session(engine) as session:
        session.add(Chat(id=GROUP, type="supergroup", title="Văn phòng Tỉnh ủy"))
        session.add(GroupSubscription(chat_id=GROUP, area_unit_id=None, created_by=ADMIN))
        session.commit()
        run = enqueue_group_summaries(
            session=session,
            standings=StandingsCache(),
            now=dt.datetime.now(dt.UTC),
            tz=settings.tz,
            language=settings.default_language,
        )
        session.commit()
    return run.summaries, run.rows


def link_officials(engine: Engine, units: int, officials: int) -> str:
    """A head in every unit, the rest staff spread over the units; a note of how many."""
    heads = link_heads(engine, units, first_id=10_000_000, every_unit=True)
    staff = link_heads(
        engine, max(0, officials - units), first_id=20_000_000, every_unit=True, role=Role.STAFF
    )
    return f"{len(heads):,} heads, {len(staff):,} staff"


def build(
    args: argparse.Namespace,
    settings: Settings,
    engine: Engine,
    phases: Phases,
    send: Callable[[], int],
) -> None:
    """Every step: imports, the broadcast (sent with `send`), warnings, the reminder step, the
    workbook and the summary (these last pushes queued, sent by the caller if asked)."""
    units = args.units
    for index in range(2):
        with phases.time(f"import period {index + 1} ({units:,} rows)") as ph:
            spent = import_one(engine, settings, units, index)
            ph.note = ", ".join(f"{k} {v:.2f} s" for k, v in spent.items())
    with phases.time(f"link {args.officials:,} officials") as ph:
        ph.note = link_officials(engine, units, args.officials)
    with phases.time("broadcast to every head: queued") as ph:
        with Session(engine) as session:
            _b, count = broadcasts.create(
                session=session,
                text=TEXT,
                audience=Audience(AudienceKind.ALL, reach=Reach.HEADS),
                actor=ADMIN,
                ack_label="Đã nhận",
            )
        ph.note = f"{count:,} recipients"
    with phases.time("broadcast to every head: sent") as ph:
        sent = send()
    ph.note = f"{sent:,} sent, {sent / max(ph.wall, 1e-9):,.0f} a second"
    with phases.time(f"import period 3 ({units:,} rows) + warnings") as ph:
        spent = import_one(engine, settings, units, 2)
        ph.note = ", ".join(f"{k} {v:.2f} s" for k, v in spent.items())
    ph.note += f"; warnings queued {rows_by_kind(engine).get('warning', 0):,}"
    with phases.time("100 % deadline: create + one reminder step") as ph:
        owing, queued = deadline_step(engine, settings)
        ph.note = f"{owing:,} units owing, {queued:,} pushes queued"
    with phases.time("/baocao workbook") as ph:
        size, sheets = workbook(engine, settings)
        ph.note = f"{size / 1024:,.0f} KiB, {sheets} sheets"
    with phases.time("group summary with charts: queued") as ph:
        summaries, rows = group_summary(engine, settings)
        ph.note = f"{summaries} summary, {rows} rows (text + chart images)"


def run(args: argparse.Namespace) -> bool:
    """The whole run; prints the figures and returns whether every push went out once."""
    token = "123456:NATIONAL"
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    refereed = bool(args.rate) and args.rate <= 30
    server = ctx.Process(target=serve, args=(child, token, refereed), daemon=True)
    server.start()
    base_url = parent.recv()
    phases = Phases()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'national.db'}"
        settings = settings_for(url, ADMIN_TELEGRAM_IDS=str(ADMIN))
        set_timezone(settings.tz)
        engine = create_db_engine(settings.database_url)
        if args.database_url:
            from sqlalchemy import text

            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        init_db(engine)
        profile = args.profile

        def send() -> int:
            sending = send_everything(engine, base_url, token, args.rate)
            return profiled(profile, lambda: asyncio.run(sending))

        build(args, settings, engine, phases, send)
        kinds = rows_by_kind(engine)
        if not args.queue_only:
            waiting = unsettled(engine)
            with phases.time(f"warnings, reminders, summary: sent ({waiting:,} rows)") as ph:
                sent = send()
            ph.note = f"{sent:,} sent, {sent / max(ph.wall, 1e-9):,.0f} a second"
        peak = peak_rss_getrusage_mib()  # before the check, which is the bench's, not the bot's
        expected = expected_pushes(engine, "broadcast" if args.queue_only else None)
        statuses = rows_by_status(engine)
        engine.dispose()
    parent.send("report")
    accepted, answered = parent.recv()
    parent.send("stop")
    server.join(timeout=10)
    got = Counter((int(c), bytes(t)) for c, t in accepted)
    missing = sum((expected - got).values())
    extra = sum((got - expected).values())
    print()
    print(f"national-scale run: {args.units:,} units, {args.officials:,} officials, 3 periods")
    print(
        f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; sender rate: "
        f"{args.rate or 'unpaced'}{' (Telegram limits refereed)' if refereed else ''}"
    )
    print(phases.table())
    total_wall = sum(p.wall for p in phases.done)
    total_cpu = sum(p.cpu for p in phases.done)
    print(f"total: {total_wall:.1f} s wall, {total_cpu:.1f} s CPU (this process)")
    print(f"load average at the end: {load_average()}")
    print(f"peak RSS (ru_maxrss) when every step was done: {peak:.1f} MiB")
    print(f"outbox rows by kind: {dict(sorted(kinds.items()))}")
    print(f"outbox rows by status: {statuses}")
    print(f"Bot API answers: {answered}")
    once = missing == 0 and extra == 0 and sum(got.values()) == sum(expected.values())
    which = "every push of the broadcast" if args.queue_only else "every push"
    print(
        f"{which} went out once: {'yes' if once else 'NO'} "
        f"({sum(expected.values()):,} queued, {sum(got.values()):,} received, "
        f"{missing:,} missing, {extra:,} duplicate or unexpected)"
    )
    return once


def profiled(path: str | None, work: Callable[[], int]) -> int:
    """Run `work`, under cProfile into `path` if given (the event loop's thread only)."""
    if not path:
        return work()
    import cProfile

    profile = cProfile.Profile()
    try:
        return profile.runcall(work)
    finally:
        profile.dump_stats(path)


def main() -> None:
    """Parse options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--officials", type=int, default=50_000, help="a head per unit + staff")
    parser.add_argument(
        "--rate", type=float, default=0.0, help="sender pace per second (0: unpaced)"
    )
    parser.add_argument("--database-url", default=None, help="a THROWAWAY PostgreSQL database")
    parser.add_argument("--profile", default=None, help="cProfile of the sending steps, to FILE")
    parser.add_argument(
        "--queue-only",
        action="store_true",
        help="send only the broadcast; leave the warnings, reminders and summary queued",
    )
    parser.add_argument("--send-all", action="store_true", help=argparse.SUPPRESS)  # the default
    args = parser.parse_args()
    sys.exit(0 if run(args) else 1)


if __name__ == "__main__":
    main()
