"""The per-update reader: pre-compiled read-only statements on a raw DBAPI cursor, and a data
version that changes whenever anyone commits (what the viewer cache and the idle sender watch)."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, TextClause
from sqlalchemy.pool import QueuePool


class HotReader:
    """Read-only statements run on a raw DBAPI cursor, for per-update lookups.

    An ORM Session costs ~100 µs to begin and ~250 µs per query; a pre-compiled statement on a
    raw connection costs ~25 µs. Statements are compiled once for the engine's dialect, so the
    same SQL text works on SQLite and PostgreSQL. On an SQLite file the reader keeps a connection
    of its own, out of the pool (a pool checkout and check-in cost as much as the query), and
    `version()` says whether anyone committed since it last asked: in WAL mode by reading the
    WAL index's header from the `-shm` file (SQLite rewrites it at every commit and WAL reset:
    one `pread`, no library call, no lock), else by `PRAGMA data_version`.
    """

    def __init__(self, engine: Engine) -> None:
        """Bind to an engine; the reader's own connection is opened on first use."""
        self.engine = engine
        self._compiled: dict[object, tuple[str, tuple[str, ...] | None]] = {}
        self._own: Any = None
        self._lock = threading.Lock()
        self._wal_index: int | None = None  # a descriptor of the -shm file, once known WAL
        self._wal_unknown = True  # the journal mode is asked once
        url = engine.url
        self._may_own = (
            url.get_backend_name() == "sqlite"
            and bool(url.database)
            and url.database != ":memory:"
            and "mode=memory" not in str(url)
            and isinstance(engine.pool, QueuePool)  # not one connection shared by everything
        )

    def _compile(self, stmt: TextClause) -> tuple[str, tuple[str, ...] | None]:
        """SQL string in the driver's paramstyle and the positional order of parameters."""
        found = self._compiled.get(stmt)
        if found is None:
            compiled = stmt.compile(dialect=self.engine.dialect)
            order = tuple(compiled.positiontup) if compiled.positiontup else None
            found = (str(compiled), order)
            self._compiled[stmt] = found
        return found

    def _connection(self) -> Any:
        """The reader's own connection (SQLite files), opened once and never pooled."""
        if self._own is None and self._may_own:
            raw = self.engine.raw_connection()  # the pool's "connect" event sets the pragmas
            raw.detach()
            cursor = raw.cursor()
            cursor.execute("PRAGMA cache_size=-512")  # KiB: its few lookups need few pages
            cursor.close()
            self._own = raw
        return self._own

    def version(self) -> int | None:
        """A number that changes whenever anyone else commits; None if it cannot be known
        cheaply (PostgreSQL, or another thread is using the connection)."""
        if self._wal_index is not None:
            return _wal_index_version(self._wal_index)
        if not self._may_own or not self._lock.acquire(blocking=False):
            return None
        try:
            cursor = self._connection().cursor()
            cursor.execute("PRAGMA data_version")  # a read: the WAL index is open from here on
            row = cursor.fetchone()
            if self._wal_unknown:
                self._wal_unknown = False
                cursor.execute("PRAGMA journal_mode")
                if cursor.fetchone()[0] == "wal":
                    self._wal_index = _open_wal_index(self.engine.url.database)
            cursor.close()
            if self._wal_index is not None:  # from now on every answer is the header's
                return _wal_index_version(self._wal_index)
            return int(row[0])
        finally:
            self._lock.release()

    def one(self, stmt: TextClause, params: dict[str, object]) -> tuple[Any, ...] | None:
        """First row of a query, or None."""
        sql, order = self._compile(stmt)
        args: Sequence[Any] | Mapping[str, Any] = (
            tuple(params[name] for name in order) if order else params
        )
        if self._may_own and self._lock.acquire(blocking=False):
            try:
                return _first(self._connection(), sql, args)
            finally:
                self._lock.release()
        raw = self.engine.raw_connection()
        try:
            return _first(raw, sql, args)
        finally:
            raw.close()

    def close(self) -> None:
        """Close the reader's own connection (a later query opens another)."""
        with self._lock:
            own, self._own = self._own, None
            index, self._wal_index = self._wal_index, None
            self._wal_unknown = True
            if own is not None:
                own.close()
            if index is not None:
                os.close(index)


# SQLite's WAL index (https://www.sqlite.org/walformat.html) begins with two copies of a
# 48-byte header that every commit and every WAL reset rewrites (its change counter, frame
# count, checksums and salts), the second copy first. Equal copies are a finished write.
_WAL_HEADER = 48


def _open_wal_index(database: str | None) -> int | None:
    """A read-only descriptor of the database's -shm file, or None if there is none."""
    try:
        return os.open(f"{database}-shm", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


def _wal_index_version(index: int) -> int | None:
    """The WAL index's header as a number; None while a commit is rewriting it (or if the
    file cannot be read): the caller then reads the database instead of trusting a cache."""
    try:
        head = os.pread(index, 2 * _WAL_HEADER, 0)
    except OSError:
        return None
    first = head[:_WAL_HEADER]
    if len(head) != 2 * _WAL_HEADER or first != head[_WAL_HEADER:]:
        return None
    return int.from_bytes(first, "little")


def _first(raw: Any, sql: str, args: Sequence[Any] | Mapping[str, Any]) -> tuple[Any, ...] | None:
    """First row of a statement on a raw connection; the cursor is closed, so no read
    transaction stays open."""
    cursor = raw.cursor()
    try:
        cursor.execute(sql, args)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return tuple(row) if row is not None else None
