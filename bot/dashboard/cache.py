"""The dashboard's per-process cache of period tables and rendered answers, and its Context."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from bot.core.config import Settings
from bot.core.links import Links
from bot.core.stats import IndicatorInfo, PeriodInfo, PeriodTable, load_period_table
from bot.dashboard.sources import Sources

TABLE_CACHE_SIZE = 32
GZIP_KEEP_BYTES = 64 * 1024  # answers this large are gzipped once and kept
GZIP_CACHE_SIZE = 8


# --- period tables, cached per data revision ---------------------------------------------------


class TableCache:
    """Period tables and rendered table answers of this process, dropped when the data changes."""

    def __init__(self) -> None:
        """Empty."""
        self._revision: int | None = None
        self._tables: OrderedDict[tuple[int, int], PeriodTable] = OrderedDict()
        self._answers: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._gzipped: OrderedDict[bytes, bytes] = OrderedDict()  # body → gzipped body
        self._lock = threading.Lock()

    def _check(self, revision: int) -> None:
        """Forget everything computed at another revision."""
        if revision != self._revision:
            self._tables.clear()
            self._answers.clear()
            self._gzipped.clear()
            self._revision = revision

    def table(
        self, *, session: Session, revision: int, indicator: IndicatorInfo, period: PeriodInfo
    ) -> PeriodTable:
        """The standings of one indicator in one period."""
        key = (indicator.id, period.id)
        with self._lock:
            self._check(revision)
            found = self._tables.get(key)
            if found is not None:
                self._tables.move_to_end(key)
                return found
        found = load_period_table(session=session, indicator=indicator, period=period)
        with self._lock:
            if revision == self._revision:
                self._tables[key] = found
                while len(self._tables) > TABLE_CACHE_SIZE:
                    self._tables.popitem(last=False)
        return found

    def answer(self, revision: int, key: tuple[Any, ...]) -> bytes | None:
        """A rendered answer, if still current."""
        with self._lock:
            self._check(revision)
            return self._answers.get(key)

    def gzipped(self, body: bytes) -> bytes:
        """A body gzipped; a large one (the table) once, not on every view."""
        if len(body) < GZIP_KEEP_BYTES:
            return gzip.compress(body, compresslevel=5)
        with self._lock:
            found = self._gzipped.get(body)
        if found is None:
            found = gzip.compress(body, compresslevel=5)
            with self._lock:
                self._gzipped[body] = found
                while len(self._gzipped) > GZIP_CACHE_SIZE:
                    self._gzipped.popitem(last=False)
        return found

    def keep(self, revision: int, key: tuple[Any, ...], body: bytes) -> None:
        """Remember a rendered answer."""
        with self._lock:
            if revision == self._revision:
                self._answers[key] = body
                while len(self._answers) > TABLE_CACHE_SIZE:
                    self._answers.popitem(last=False)


@dataclass
class Context:
    """What every answer needs besides the session and the caller."""

    settings: Settings
    now: dt.datetime
    tables: TableCache
    links: Links
    sources: Sources
