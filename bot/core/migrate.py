"""Schema migrations (Alembic): the only way tables are created or changed."""

from __future__ import annotations

import functools
import logging
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# pg_advisory_xact_lock key held while migrating, so workers starting together migrate once.
MIGRATION_LOCK = 0x6B79_736F  # "kyso"
# SQLite: how long a worker waits for another one's migration (one write transaction that can
# take seconds on a busy machine) before giving up — like the advisory lock on PostgreSQL, far
# longer than the busy timeout ordinary writes use.
SQLITE_MIGRATION_WAIT_MS = 600_000
# Tables every schema since before migrations existed has: their presence without an
# alembic_version table marks a database made by create_all.
_LEGACY_MARKERS = frozenset({"unit", "measurement", "reportingperiod"})


class MigrationError(RuntimeError):
    """The database cannot be brought to the schema this code expects."""


def metadata() -> MetaData:
    """The models' metadata (every table lives in bot.core.models)."""
    from sqlmodel import SQLModel

    import bot.core.models  # noqa: F401  (registers the tables)

    return SQLModel.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration without an alembic.ini; `connection` is used by env.py."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _script() -> ScriptDirectory:
    """The revision files (read once per process)."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision in bot/migrations/versions."""
    head = _script().get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise MigrationError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision (None for an empty or pre-migrations database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    """Where the database was and is."""

    before: str | None
    after: str | None
    legacy: bool = False

    @property
    def changed(self) -> bool:
        """True if a migration ran."""
        return self.before != self.after


def upgrade(engine: Engine, revision: str = "head") -> UpgradeResult:
    """Bring the database to `revision` in one transaction (a no-op when already there).

    On PostgreSQL a transaction-level advisory lock makes workers that start together migrate
    one after another; on SQLite foreign keys are checked at the end instead of per statement,
    as Alembic's table rebuilds need.
    """
    target = head_revision() if revision == "head" else revision
    with engine.connect() as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        if before == target:
            return UpgradeResult(before, before)
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            _begin_immediate_waiting(conn)  # transactional DDL under pysqlite
        elif engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        try:
            before = MigrationContext.configure(conn).get_current_revision()
            legacy = before is None and _LEGACY_MARKERS <= set(inspect(conn).get_table_names())
            if legacy:
                logger.warning("Database made before migrations: adopting it at revision 0001")
            if before != target:
                command.upgrade(alembic_config(conn), revision)
            if sqlite:
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise MigrationError(f"foreign key violations after migrating: {problems[:5]}")
            after = MigrationContext.configure(conn).get_current_revision()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    if before != after:
        logger.info("Database migrated from %s to %s", before or "empty", after)
    return UpgradeResult(before, after, legacy)


def _begin_immediate_waiting(conn: Connection) -> None:
    """BEGIN IMMEDIATE on SQLite, waiting as long as another worker's migration may take."""
    usual = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_MIGRATION_WAIT_MS}")
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(usual or 0)}")


def differences(engine: Engine) -> list[Any]:
    """What the models have that the database lacks, or the reverse (empty when they agree)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        return list(compare_metadata(context, metadata()))


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Leave Alembic's own bookkeeping table out of comparisons."""
    return not (type_ == "table" and name == "alembic_version")


def next_revision_id() -> str:
    """'0002' after '0001': revisions are numbered in order."""
    numbers = [
        int(m.group(1))
        for rev in _script().walk_revisions()
        if (m := re.fullmatch(r"(\d+)", rev.revision))
    ]
    return f"{max(numbers, default=0) + 1:04d}"


def _format_with_ruff(config: Config) -> None:
    """Format written revisions with ruff when it is installed (the dev extra has it)."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).is_file():
        return
    section = "post_write_hooks"
    config.set_section_option(section, "hooks", "ruff_format")
    config.set_section_option(section, "ruff_format.type", "exec")
    config.set_section_option(section, "ruff_format.executable", ruff)
    config.set_section_option(section, "ruff_format.options", "format REVISION_SCRIPT_FILENAME")


def new_revision(message: str) -> Path:
    """Write the next revision from the difference between the models and head (developers)."""
    from bot.core.db import create_db_engine

    rev_id = next_revision_id()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_db_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
        try:
            upgrade(engine)
            with engine.connect() as conn:
                config = alembic_config(conn)
                _format_with_ruff(config)
                script = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()
    _script.cache_clear()
    if script is None or isinstance(script, list):  # pragma: no cover - one head, one file
        raise MigrationError("alembic wrote no revision file")
    return Path(script.path)
