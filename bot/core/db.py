"""Engine creation, schema set-up and built-in reference data."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from ast import literal_eval
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, event, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session, SQLModel, col, create_engine, select

from bot.core.i18n import _
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


class DatabaseSetupError(Exception):
    """The database cannot be opened as configured; `str()` is one line saying what to do."""


def database_url(url: str) -> URL:
    """Parse DATABASE_URL; 'postgres://' and 'postgresql://' use psycopg 3, the installed driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseSetupError(_bad_url(url)) from exc
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _bad_url(url: str) -> str:
    """The one line for an unusable DATABASE_URL."""
    return _(
        "DATABASE_URL is not a database address: {url}. Use sqlite:///path/to/kyso.db or "
        "postgresql://user:password@host:5432/name."
    ).format(url=hide_password(url))


def hide_password(url: str) -> str:
    """A URL as it may be shown: the password replaced by ***."""
    try:
        parsed = make_url(url)
        return url if parsed.password is None else parsed.render_as_string(hide_password=True)
    except ArgumentError:
        return url if "@" not in url else "…@" + url.rsplit("@", 1)[1]


def create_db_engine(
    url: str, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT, existing: bool = False
) -> Engine:
    """Create an engine; SQLite files get their folder, WAL, a busy timeout and foreign keys.
    `existing`: a reader's engine, which refuses (in one line) to create a missing SQLite file."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = bool(parsed.database) and parsed.database != ":memory:" and "mode=memory" not in url
        path = Path(str(parsed.database).removeprefix("file:"))
        if file and existing and not path.is_file():
            raise DatabaseSetupError(
                _(
                    "There is no database at {path}: check DATABASE_URL, or import a statistics "
                    "table first."
                ).format(path=path)
            )
        if file:
            _make_folder(path.parent)
        engine = _create(parsed, {"check_same_thread": False, "timeout": busy_timeout})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: object) -> None:
            """Per-connection SQLite settings (every connection of the pool)."""
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
            if file:
                _wal(cur)
            cur.close()

        return engine
    _postgresql_options()
    return _create(parsed, {}, pool_pre_ping=True)


def _postgresql_options() -> None:
    """The tables' PostgreSQL-only options, given when a PostgreSQL engine is made: naming them
    in bot.core.models would import SQLAlchemy's PostgreSQL dialect (~40 ms) at every start-up,
    on SQLite too. Same condition as SQLite's and as the migrations' (0001)."""
    index = next(
        i
        for i in SQLModel.metadata.tables["official"].indexes
        if i.name == "uq_official_active_person"
    )
    index.dialect_options["postgresql"]["where"] = text("active")


def _create(url: URL, connect_args: dict[str, Any], **kwargs: Any) -> Engine:
    """create_engine, with a missing driver reported as a setup error."""
    try:
        return create_engine(url, connect_args=connect_args, **kwargs)
    except (ArgumentError, ModuleNotFoundError, NoSuchModuleError) as exc:
        raise DatabaseSetupError(_bad_url(url.render_as_string(hide_password=True))) from exc


def _make_folder(folder: Path) -> None:
    """Create the SQLite file's folder, or say in one line why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseSetupError(
            _(
                "Cannot create the folder {folder} for the database ({reason}): create it "
                "yourself, or set DATABASE_URL to a file in a folder the bot may write to."
            ).format(folder=folder, reason=exc.strerror or exc)
        ) from exc


def _wal(cursor: Any) -> None:
    """Write-ahead logging: readers never wait for the writer. Skipped on a read-only file."""
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError as exc:
        if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
            raise
        logger.debug("Read-only SQLite database: journal mode left as it is")


def setup_problem(url: str, exc: BaseException) -> str | None:
    """One line for a database the configuration makes unusable (unreadable or read-only file,
    wrong password, no such database); None for other errors (e.g. a server that is down)."""
    if isinstance(exc, DatabaseSetupError):
        return str(exc)
    orig = getattr(exc, "orig", None)
    where = hide_password(url)
    name = str(getattr(orig, "sqlite_errorname", ""))
    if name.startswith("SQLITE_READONLY"):
        return _(
            "The database {where} is read-only: let the bot's user write to the file and its "
            "folder (SQLite keeps its -wal and -shm files there), or set DATABASE_URL to a "
            "writable database."
        ).format(where=where)
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_NOTADB")):
        return _(
            "Cannot open the database {where} ({reason}): check DATABASE_URL and that the bot's "
            "user may read and write the file and its folder."
        ).format(where=where, reason=str(orig))
    text = str(orig or "")
    unreachable = _unreachable(url, text)
    if unreachable is not None:
        return unreachable
    if getattr(orig, "sqlstate", None) in _PG_SETUP_STATES or (
        "FATAL:" in text and any(words in text for words in _PG_SETUP_WORDS)
    ):
        return _(
            "The database server refused {where} ({reason}): check the user, password, "
            "database name and the user's rights in DATABASE_URL."
        ).format(where=where, reason=text.strip().splitlines()[-1].strip())
    return None


def _unreachable(url: str, text: str) -> str | None:
    """One line for a PostgreSQL server that cannot be reached (down, wrong host or port):
    where it was looked for (no password) and what to check; None for other errors."""
    if not text or not any(words in text for words in _PG_UNREACHABLE_WORDS):
        return None
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.get_backend_name().startswith("postgres"):
        return None
    reason = text.strip().splitlines()[0].strip().removeprefix("connection failed: ")
    return _(
        "Cannot reach the PostgreSQL server at {host}:{port} ({reason}): check that the server "
        "is running and accepts connections there, and that DATABASE_URL names the right host "
        "and port."
    ).format(host=parsed.host or "localhost", port=parsed.port or 5432, reason=reason)


# libpq's words for a server it could not reach at all (refused, unknown host, no answer).
_PG_UNREACHABLE_WORDS = (
    "Connection refused",
    "could not translate host name",
    "failed to resolve host",
    "timeout expired",
    "No route to host",
    "Network is unreachable",
    "No such file or directory",  # a Unix socket that is not there: no local server
    "Is the server running",
)

# PostgreSQL: invalid password or authorization, no such database, no privilege, read-only
# server (a standby).
_PG_SETUP_STATES = frozenset({"28P01", "28000", "3D000", "42501", "25006"})
# The same refusals at connection time, where libpq gives only the server's message.
_PG_SETUP_WORDS = ("password authentication failed", "does not exist", "no pg_hba.conf entry")


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


_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)
# CPython 3.11's `ast` keeps one recursion counter per interpreter: three workers starting in one
# process (tests/test_migrations.py) now and then raised "AST constructor recursion depth
# mismatch" here on a loaded machine. literal_eval parses, so one thread at a time.
_LITERAL_LOCK = threading.Lock()


def shipped_head() -> str | None:
    """The newest migration shipped, read from the revision files without loading Alembic;
    None when it cannot be told that simply (then Alembic decides)."""
    with _LITERAL_LOCK:
        return _read_shipped_head()


def _read_shipped_head() -> str | None:
    """shipped_head's work (literal_eval parses: callers hold _LITERAL_LOCK)."""
    revisions: set[str] = set()
    parents: set[object] = set()
    for path in (Path(__file__).with_name("migrations") / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        try:
            revisions.add(str(literal_eval(found["revision"])))
            down = literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        parents.update(down if isinstance(down, tuple | list) else [down])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """Whether the database is already at the shipped head (one query, no Alembic: loading it
    costs ~0.3 s and 7 MiB at every start)."""
    head = shipped_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return False  # no such table yet: a new database
    return [str(r[0]) for r in rows] == [head]


def needs_migration(engine: Engine) -> bool:
    """Whether the database is behind the shipped schema (read only: nothing is migrated)."""
    if _at_head(engine):
        return False
    from bot.core.migrate import current_revision, head_revision

    return current_revision(engine) != head_revision()


def migrate_first_text(url: str) -> str:
    """The one line for a reader that found an older schema it must not upgrade itself."""
    return _(
        "The database {where} has an older structure: run `python -m bot migrate` first "
        "(this command only reads, so it does not upgrade it)."
    ).format(where=hide_password(url))


def init_db(engine: Engine) -> None:
    """Migrate the schema to the newest revision and add the built-in rows (idempotent, and
    safe when several workers start at once)."""
    if not _at_head(engine):
        from bot.core.migrate import upgrade

        upgrade(engine)
    elif _has_builtin_rows(engine):
        return  # a restart: nothing to add, and no ORM statement compiled before the first answer
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
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


def _has_builtin_rows(engine: Engine) -> bool:
    """Whether the built-in indicators and the data revision are all there (plain SQL)."""
    with engine.connect() as conn:
        codes = {str(r[0]) for r in conn.execute(text("SELECT code FROM indicator"))}
        revision = conn.execute(
            text("SELECT 1 FROM appstate WHERE key = :key"), {"key": REVISION_KEY}
        ).first()
    return revision is not None and codes >= {code for code, _n, _k in BUILTIN_INDICATORS}


def check_writable(engine: Engine) -> None:
    """Fail now, not at the first write, when the database cannot be written (a read-only file,
    a read-only server or user): an UPDATE that touches no row, rolled back."""
    with engine.connect() as conn:
        conn.execute(update(AppState).where(col(AppState.key) == "").values(value=AppState.value))
        conn.rollback()


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for statements that read or write rows without the ORM (bulk
    work, and what runs before the first answer: the ORM's one-off set-up is ~40 ms)."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def stored_id(value: int | None) -> int:
    """The primary key of a row read from the database (never None once stored)."""
    assert value is not None
    return value


def bump_revision(session: Session) -> None:
    """Mark cached standings and identities stale; call inside the writing transaction."""
    session.exec(
        update(AppState).where(col(AppState.key) == REVISION_KEY).values(value=AppState.value + 1)
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
