"""Fixtures: a real Application on an offline Bot API, a temporary database, the shared table.

Every test gets a fresh database: a SQLite file in its tmp_path, or, when TEST_DATABASE_URL
names a PostgreSQL server (`.ci/with-postgres` sets it), a new database copied from a migrated
template and dropped afterwards.
"""

from __future__ import annotations

import csv
import itertools
import logging
import os
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session
from telegram import Update

from bot.app import build_application
from bot.cli import end_batched_logs
from bot.console import demo_table
from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db, session_scope
from bot.core.lookup import find_units
from bot.core.models import Role
from bot.core.people import link_official
from bot.imports.apply import import_statistics
from bot.offline import OfflineRequest, callback_update, document_update, message_update
from jobs.outbox import Limits, OutboxSender, RateGate

ADMIN_ID = 1
SHARED_NAME = "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"


@dataclass(frozen=True)
class PublishedRow:
    """One row of the shared table, read independently of the importer."""

    name: str
    total: int
    signed: int

    @property
    def rate(self) -> Fraction:
        """Exact rate."""
        return Fraction(self.signed, self.total)


@pytest.fixture(scope="session")
def shared_tsv() -> bytes:
    """The published table from its header row on (the shipped file without its title lines,
    so the period comes from the file name or a caption)."""
    data = resources.files("bot").joinpath("data", SHARED_NAME).read_bytes()
    return data[data.index(b"STT\t") :]


@pytest.fixture(scope="session")
def published(shared_tsv: bytes) -> list[PublishedRow]:
    """The published rows parsed with csv, as an oracle for the bot's answers."""
    lines = shared_tsv.decode("utf-8").splitlines()
    rows = list(csv.reader(lines, delimiter="\t"))[1:]
    return [PublishedRow(r[1], int(r[2]), int(r[3])) for r in rows]


TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = (
    make_url(TEST_DATABASE_URL).get_backend_name() == "postgresql" if TEST_DATABASE_URL else False
)
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL: run under .ci/with-postgres"
)


class PostgresDatabases:
    """Creates one database per test from a migrated template, and drops them after the test."""

    def __init__(self, server_url: str) -> None:
        """Remember the server; nothing is created until a test asks for a database."""
        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.prefix = f"kyso_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.counter = itertools.count(1)
        self.by_path: dict[str, str] = {}
        self.created: list[str] = []
        self._admin: Any = None

    def admin(self) -> Any:
        """An autocommit connection to the server's maintenance database."""
        if self._admin is None:
            import psycopg

            self._admin = psycopg.connect(
                self.server.set(drivername="postgresql").render_as_string(hide_password=False),
                autocommit=True,
            )
            self._admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            try:  # Vietnamese collation, as a production server may have: results must not
                # depend on it (names are matched by folded keys, sorted by code point)
                self._admin.execute(
                    f'CREATE DATABASE "{self.template}" TEMPLATE template0 ENCODING UTF8 '
                    "LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C.UTF-8'"
                )
            except psycopg.Error:  # a server without ICU (or before PostgreSQL 15)
                self._admin.execute(f'CREATE DATABASE "{self.template}"')
            engine = create_db_engine(self.url(self.template))
            init_db(engine)  # migrations + built-in rows, once per session
            engine.dispose()
        return self._admin

    def url(self, name: str) -> str:
        """SQLAlchemy URL of one database on the server."""
        return self.server.set(database=name).render_as_string(hide_password=False)

    def fresh(self, key: str) -> str:
        """A new database for this test (the same one for the same key)."""
        if key not in self.by_path:
            name = f"{self.prefix}_{next(self.counter)}"
            self.admin().execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY'
            )
            self.created.append(name)
            self.by_path[key] = name
        return self.url(self.by_path[key])

    def drop_created(self) -> None:
        """Drop the databases made for the test that just ended."""
        for name in self.created:
            self.admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()
        self.by_path.clear()

    def close(self) -> None:
        """Drop the template and disconnect."""
        if self._admin is not None:
            self.drop_created()
            self._admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            self._admin.close()
            self._admin = None


POSTGRES = PostgresDatabases(TEST_DATABASE_URL) if ON_POSTGRES else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, skip tests marked `sqlite_pass_only`: they touch no database, or
    only the console demo's own SQLite file, so the SQLite pass has already run them as is."""
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="independent of the database server: run in the SQLite pass")
    for item in items:
        if item.get_closest_marker("sqlite_pass_only") is not None:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _postgres_server() -> Iterator[None]:
    """Clean up the template database at the end of the session."""
    yield
    if POSTGRES is not None:
        POSTGRES.close()


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The console demo's saved database goes to the test's folder, never the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# The root logger as the session found it: a test that runs a command in-process (which sets
# logging up for itself) must not leave its handlers, bound to that test's captured stderr,
# to every later test of the worker.
_ROOT_LOGGING = (list(logging.getLogger().handlers), logging.getLogger().level)


@pytest.fixture(autouse=True)
def _restore_root_logging() -> Iterator[None]:
    """After each test: the root logger's handlers and level as the session began (a batching
    handler a command left is closed first: its lines written, its thread stopped)."""
    yield
    end_batched_logs()
    root = logging.getLogger()
    root.handlers[:] = _ROOT_LOGGING[0]
    root.setLevel(_ROOT_LOGGING[1])


@pytest.fixture(autouse=True)
def _drop_test_databases() -> Iterator[None]:
    """Each test's PostgreSQL databases are dropped when it ends."""
    yield
    if POSTGRES is not None:
        POSTGRES.drop_created()


def database_url(tmp_path: Path, name: str = "test") -> str:
    """A fresh database for this test: SQLite in tmp_path, or a new PostgreSQL database."""
    if POSTGRES is not None:
        return POSTGRES.fresh(f"{tmp_path}/{name}")
    return f"sqlite:///{tmp_path / f'{name}.db'}"


def make_settings(tmp_path: Path, **extra: Any) -> Settings:
    """Settings for a test database, ignoring any .env file."""
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN",
        "DATABASE_URL": extra.pop("DATABASE_URL", None) or database_url(tmp_path),
        "ADMIN_TELEGRAM_IDS": str(ADMIN_ID),
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Any]:
    """A fresh, migrated database of the current backend with the built-in indicators."""
    eng = create_db_engine(database_url(tmp_path))
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the built-in rows, made once per session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    init_db(engine)
    engine.dispose()
    return path


@pytest.fixture
def settings(tmp_path: Path, sqlite_template: Path) -> Settings:
    """Test settings; on SQLite the database starts as a copy of the migrated template."""
    if POSTGRES is None:
        shutil.copyfile(sqlite_template, tmp_path / "test.db")
    return make_settings(tmp_path)


class Harness:
    """Drives the real Application with process_update and reads what the bot sent."""

    def __init__(self, app: Any, request: OfflineRequest) -> None:
        """Wrap an initialised application."""
        self.app = app
        self.request = request

    @property
    def engine(self) -> Any:
        """The application's database engine."""
        return self.app.bot_data.runtime.engine

    async def send(self, user_id: int, text: str, **kwargs: Any) -> list[str]:
        """Send a text message as a user; return the texts the bot sent or edited."""
        start = len(self.request.calls)
        await self.app.process_update(
            Update.de_json(message_update(user_id, text, **kwargs), self.app.bot)
        )
        return [
            str(c.params["text"])
            for c in self.request.calls[start:]
            if c.method in ("sendMessage", "editMessageText")
        ]

    def last_keyboard(self) -> list[tuple[str, str]]:
        """(label, callback data) of the last inline keyboard sent."""
        for call in reversed(self.request.calls):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                return [
                    (b["text"], b["callback_data"])
                    for row in markup["inline_keyboard"]
                    for b in row
                ]
        return []

    async def press(self, user_id: int, data: str, **kwargs: Any) -> list[str]:
        """Press an inline button; return texts sent or edited."""
        start = len(self.request.calls)
        await self.app.process_update(
            Update.de_json(callback_update(user_id, data, message_id=1, **kwargs), self.app.bot)
        )
        return [
            str(c.params["text"])
            for c in self.request.calls[start:]
            if c.method in ("sendMessage", "editMessageText")
        ]

    async def send_document(
        self, user_id: int, data: bytes, file_name: str, **kwargs: Any
    ) -> list[str]:
        """Send a file as a user (served by the offline Bot API); return texts sent or edited."""
        file_id = f"file{len(self.request.files) + 1}"
        self.request.files[file_id] = data
        start = len(self.request.calls)
        kwargs.setdefault("file_size", len(data))  # a test may claim a different size
        payload = document_update(user_id, file_id=file_id, file_name=file_name, **kwargs)
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        return [
            str(c.params["text"])
            for c in self.request.calls[start:]
            if c.method in ("sendMessage", "editMessageText")
        ]

    async def drain(self) -> list[str]:
        """Send everything due in the outbox at full speed; return the texts delivered."""
        sender: OutboxSender = self.app.bot_data.sender
        sender.gate = RateGate(
            Limits(overall_per_second=1000, private_interval=0, group_per_minute=100_000)
        )
        start = len(self.request.calls)
        await sender.drain_all()
        return [
            str(c.params["text"])
            for c in self.request.calls[start:]
            if c.method == "sendMessage" and isinstance(c.result, dict) and "message_id" in c.result
        ]

    def import_table(self, data: bytes, filename: str = "table.tsv", **kwargs: Any) -> Any:
        """Import a table into the app's database."""
        settings = self.app.bot_data.runtime.settings
        with Session(self.engine) as session:
            return import_statistics(
                session=session,
                data=data,
                filename=filename,
                tz=settings.tz,
                after_import=self.app.bot_data.runtime.links.after_import,
                **kwargs,
            )

    def link(self, user_id: int, unit_query: str, role: Role = Role.HEAD) -> str:
        """Link a user to the single unit matching a name; return its name."""
        with session_scope(self.engine) as session:
            unit = find_units(session=session, query=unit_query).unique
            assert unit is not None, unit_query
            link_official(session=session, telegram_id=user_id, unit_id=unit.id, role=role)
        return unit.name


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    """An initialised application with an empty database."""
    request = OfflineRequest()
    app = build_application(settings, request=request)
    async with app:
        yield Harness(app, request)
    app.bot_data.runtime.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_loaded_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated template with the published table imported by the real application, once
    per session (each import of the 104 units takes a noticeable part of a second)."""
    path = tmp_path_factory.mktemp("loaded") / "loaded.db"
    shutil.copyfile(sqlite_template, path)
    settings = make_settings(path.parent, DATABASE_URL=f"sqlite:///{path}")
    app = build_application(settings, request=OfflineRequest())
    Harness(app, OfflineRequest()).import_table(demo_table(), SHARED_NAME)
    app.bot_data.runtime.engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
async def loaded(bot: Harness, sqlite_loaded_template: Path) -> Harness:
    """The application with the published June 2026 table imported (title lines included).

    On SQLite the imported database is copied into the running application's database with
    SQLite's online backup (what the import wrote, nothing else); on PostgreSQL it is imported.
    """
    if bot.engine.dialect.name != "sqlite":
        bot.import_table(demo_table(), SHARED_NAME)
        return bot
    source = sqlite3.connect(sqlite_loaded_template)
    target = bot.engine.raw_connection()
    try:
        source.backup(target.driver_connection)
    finally:
        target.close()
        source.close()
    return bot
