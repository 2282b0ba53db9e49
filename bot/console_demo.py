"""The console demo's data: the published June 2026 table, the letters and demo officials."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot import console_cache
from bot.core.clock import SimulatedClock
from bot.core.config import Settings
from bot.core.db import session_scope
from bot.core.lookup import find_units
from bot.core.models import Official, Role, Unit, use_clock, utcnow
from bot.core.people import link_official
from bot.core.runtime import Runtime
from bot.imports.apply import ImportResult, apply_import, run_after_import
from bot.imports.plan import plan_import
from bot.letters.service import load_shipped as load_shipped_letters
from bot.web import WebServer

logger = logging.getLogger(__name__)

DEMO_FILE = "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
DEMO_ADMIN_ID = 1
DEMO_OFFICIAL_BASE = 900_000  # /as <unit> and /canbo_demo: the unit's head
DEMO_STAFF_BASE = 800_000  # /canbo_demo: the unit's office staff
DEMO_DELAY = dt.timedelta(hours=1)  # the demo starts an hour after the figures were taken


def demo_table() -> bytes:
    """The published June 2026 table as the letter's appendix prints it: the title lines (with
    the period and the as-of time, "đến 15 giờ ngày 22/6/2026"), the header and 104 rows."""
    return resources.files("bot").joinpath("data", DEMO_FILE).read_bytes()


def _title_lines() -> str:
    """The shipped table's lines above its header row (the appendix title)."""
    text = demo_table().decode("utf-8")
    return text[: text.index("STT\t")]


DEMO_TITLE = _title_lines()


def load_demo_data(runtime: Runtime) -> ImportResult:
    """Import the packaged table and the five letters into a fresh database on a simulated clock
    that starts an hour after the table's figures were taken; returns the import result."""
    settings = runtime.settings
    with Session(runtime.engine) as session:  # read-only: where the clock starts
        plan = plan_import(session=session, data=demo_table(), filename=DEMO_FILE, tz=settings.tz)
    start_clock(runtime, (plan.as_of or utcnow()) + DEMO_DELAY)
    with session_scope(runtime.engine) as session:
        load_shipped_letters(session=session)
    with Session(runtime.engine) as session:
        try:
            result = apply_import(session=session, plan=plan)
            session.commit()
        except Exception:
            session.rollback()
            raise
        run_after_import(session=session, result=result, listeners=runtime.links.after_import)
    return result


def start_clock(runtime: Runtime, start: dt.datetime) -> None:
    """Put the bot on the demo's simulated clock (this context and the tasks it starts)."""
    clock = SimulatedClock(start)
    runtime.clock = clock
    use_clock(clock)  # every stamp from now on (audit log, warnings run) is on the demo's clock


@dataclass(frozen=True)
class DemoDatabase:
    """The demo's SQLite file and where it came from: a saved copy (`clock` is then its clock's
    start) or nothing yet (it is built, then saved when there is a cache folder)."""

    path: Path
    key: str | None = None
    cache: Path | None = None
    clock: dt.datetime | None = None


def copy_saved_demo(settings: Settings, path: Path, cache: Path | None) -> DemoDatabase:
    """Before the bot is built: copy the saved demo database for these inputs to `path`."""
    if cache is None:
        return DemoDatabase(path)
    key = console_cache.demo_key(settings)
    clock = console_cache.restore(path, key, folder=cache)
    return DemoDatabase(path, key, cache, clock)


def prepare_demo(runtime: Runtime, database: DemoDatabase) -> None:
    """After the bot is built: start the clock of a copied database, or build it (and save
    it for the next console)."""
    if database.clock is not None:
        start_clock(runtime, database.clock)
        return
    load_demo_data(runtime)
    if database.key is not None and database.cache is not None:
        console_cache.save(database.path, database.key, runtime.clock(), folder=database.cache)


def link_unit_head(engine: Engine, query: str) -> tuple[int, str] | list[str]:
    """Link the demo head (900000 + unit id) of the one unit `query` names: (user id, unit name);
    else the names that match (none, or several)."""
    with session_scope(engine) as session:
        matches = find_units(session=session, query=query)
        unit = matches.unique
        if unit is None or unit.id is None:
            return [m.name for m in matches]
        user_id = DEMO_OFFICIAL_BASE + unit.id
        link_official(session=session, telegram_id=user_id, unit_id=unit.id, role=Role.HEAD)
        return user_id, unit.name


def link_demo_officials(engine: Engine) -> int:
    """Link office staff (800000 + id) and a head (900000 + id) to every active unit that has
    nobody; returns how many people were linked."""
    linked = 0
    with session_scope(engine) as session:
        staffed = set(
            session.exec(select(Official.unit_id).where(Official.active == True)).all()  # noqa: E712
        )
        for unit in session.exec(select(Unit).where(Unit.active == True)).all():  # noqa: E712
            if unit.id in staffed or unit.id is None:
                continue
            link_official(
                session=session,
                telegram_id=DEMO_STAFF_BASE + unit.id,
                unit_id=unit.id,
                role=Role.STAFF,
            )
            session.flush()
            link_official(
                session=session,
                telegram_id=DEMO_OFFICIAL_BASE + unit.id,
                unit_id=unit.id,
                role=Role.HEAD,
            )
            linked += 2
    return linked


class DemoDashboard:
    """The dashboard of the demo bot on 127.0.0.1, kept on one port across restarts."""

    def __init__(self) -> None:
        """Nothing served yet."""
        self.web: WebServer | None = None
        self.port = 0

    async def start(self, app: Any, *, port: int) -> str:
        """Serve `app`'s dashboard (port 0: any free one); returns its address."""
        self.web = WebServer(app, listen="127.0.0.1", port=port)
        self.port = await self.web.start()
        return f"http://127.0.0.1:{self.port}/app/"

    async def move(self, app: Any) -> None:
        """After a restart, serve the new bot's dashboard on the same port."""
        if self.web is None:
            return
        await self.web.stop()
        self.web = WebServer(app, listen="127.0.0.1", port=self.port)
        await self.web.start()

    async def stop(self) -> None:
        """Stop serving."""
        if self.web is not None:
            await self.web.stop()
            self.web = None
