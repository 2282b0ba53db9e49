"""Engine creation, schema set-up and built-in reference data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, TextClause, event, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session, create_engine, select

from bot.core.models import AppState, Indicator

logger = logging.getLogger(__name__)

REVISION_KEY = "data_revision"

# Built-in indicators: (code, Vietnamese name, what is counted).
BUILTIN_INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("ky-so", "Tỷ lệ văn bản điện tử được ký số", "document"),
    ("phat-hanh-dien-tu", "Tỷ lệ văn bản phát hành dưới dạng điện tử", "document"),
    ("so-tay-dang-vien", "Tỷ lệ đảng viên sử dụng ứng dụng Sổ tay đảng viên điện tử", "member"),
)
SIGNING_INDICATOR = "ky-so"


# SQLite: how long a connection waits for another one's write lock before "database is locked".
# Write transactions are short (validated data is written in one go), so this only has to
# outlast the longest of them with room to spare; the outbox sender records outcomes off the
# event loop and retries beyond it (jobs/outbox_recorder.py).
SQLITE_BUSY_TIMEOUT = 15.0


def database_url(url: str) -> URL:
    """Parse DATABASE_URL; 'postgres://' and 'postgresql://' use psycopg 3, the installed driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_db_engine(url: str, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> Engine:
    """Create an engine; SQLite files get their folder, WAL, a busy timeout and foreign keys."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, connect_args={"check_same_thread": False, "timeout": busy_timeout}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
            """Per-connection SQLite settings (every connection of the pool)."""
            cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
            if parsed.database and parsed.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(parsed, pool_pre_ping=True)


class binary_order(ColumnElement[Any]):
    """Order text by code point on every database (PostgreSQL: COLLATE "C"), locale-free."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, column: Any) -> None:
        """Wrap a column or expression."""
        self.column = column
        self.type = column.type


@compiles(binary_order)
def _binary_order_default(element: binary_order, compiler: SQLCompiler, **kw: Any) -> str:
    """SQLite and others already compare text by code point."""
    return compiler.process(element.column, **kw)


@compiles(binary_order, "postgresql")
def _binary_order_postgresql(element: binary_order, compiler: SQLCompiler, **kw: Any) -> str:
    """PostgreSQL: the "C" collation."""
    return f'{compiler.process(element.column, **kw)} COLLATE "C"'


def init_db(engine: Engine) -> None:
    """Migrate the schema to the newest revision and add the built-in rows (idempotent, and
    safe when several workers start at once)."""
    from bot.core.migrate import upgrade

    upgrade(engine)
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with Session(engine) as session:
        existing = set(session.exec(select(Indicator.code)).all())
        missing = [
            Indicator(code=code, name=name, item_kind=item_kind, builtin=True).model_dump(
                exclude={"id"}
            )
            for code, name, item_kind in BUILTIN_INDICATORS
            if code not in existing
        ]
        if missing:  # a worker starting at the same moment may add them first
            session.execute(
                insert(Indicator).on_conflict_do_nothing(index_elements=["code"]), missing
            )
        if session.get(AppState, REVISION_KEY) is None:
            session.execute(
                insert(AppState).on_conflict_do_nothing(index_elements=["key"]),
                [{"key": REVISION_KEY, "value": 0}],
            )
        session.commit()


def bump_revision(session: Session) -> None:
    """Mark cached standings and identities stale; call inside the writing transaction."""
    session.exec(  # type: ignore[call-overload]
        update(AppState).where(AppState.key == REVISION_KEY).values(value=AppState.value + 1)
    )


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


class HotReader:
    """Read-only statements run on a pooled raw DBAPI cursor, for per-update lookups.

    An ORM Session costs ~100 µs to begin and ~250 µs per query; a pre-compiled statement on a
    raw pooled connection costs ~25 µs. Statements are compiled once for the engine's dialect,
    so the same SQL text works on SQLite and PostgreSQL.
    """

    def __init__(self, engine: Engine) -> None:
        """Bind to an engine."""
        self.engine = engine
        self._compiled: dict[object, tuple[str, tuple[str, ...] | None]] = {}

    def _compile(self, stmt: TextClause) -> tuple[str, tuple[str, ...] | None]:
        """SQL string in the driver's paramstyle and the positional order of parameters."""
        found = self._compiled.get(stmt)
        if found is None:
            compiled = stmt.compile(dialect=self.engine.dialect)
            order = tuple(compiled.positiontup) if compiled.positiontup else None
            found = (str(compiled), order)
            self._compiled[stmt] = found
        return found

    def one(self, stmt: TextClause, params: dict[str, object]) -> tuple[object, ...] | None:
        """First row of a query, or None."""
        sql, order = self._compile(stmt)
        args: object = tuple(params[name] for name in order) if order else params
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(sql, args)
            row = cursor.fetchone()
            cursor.close()
        finally:
            raw.close()
        return tuple(row) if row is not None else None
