"""Bounds on reading an uploaded table: rows, cell length, unzipped size and time.

Over a bound the file is refused with one issue naming the limit and the setting that raises it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.config import Settings
from bot.imports.issues import RowIssue

# Columns read from a row: a statistics table has five or six; the rest is ignored.
MAX_COLUMNS = 64
# Members of an .xlsx archive: a workbook has a few dozen.
MAX_ZIP_MEMBERS = 2000
# The database's INTEGER on PostgreSQL; a count above it is a mistake anyway.
MAX_COUNT = 2**31 - 1
# Unit.name's length in the database.
MAX_NAME_CHARS = 255


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file the importer reads before refusing it."""

    max_rows: int = 20_000
    max_cell_chars: int = 2_000
    max_unzipped_bytes: int = 50 * 1024 * 1024
    time_budget: float = 60.0  # seconds
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)

    def budget(self) -> Budget:
        """A time budget starting now."""
        return Budget(self.clock, self.clock() + self.time_budget, self.time_budget)


DEFAULT_LIMITS = ReadLimits()


def limits_from(settings: Settings) -> ReadLimits:
    """The reading limits a deployment configured (IMPORT_MAX_* settings)."""
    return ReadLimits(
        max_rows=settings.import_max_rows,
        max_cell_chars=settings.import_max_cell_chars,
        max_unzipped_bytes=round(settings.import_max_unzipped_mb * 1024 * 1024),
        time_budget=settings.import_time_budget,
    )


class LimitExceeded(Exception):
    """A file goes over a reading limit; `issue` names the limit and its setting."""

    def __init__(self, code: str, limit: str, setting: str) -> None:
        """Keep the limit as shown (a number or megabytes) and the setting's name."""
        super().__init__(f"{code}: over {limit} ({setting})")
        self.issue = RowIssue(None, None, None, code, {"limit": limit, "setting": setting})


@dataclass
class Budget:
    """Time left for reading one file (checked every few rows, never by a thread)."""

    clock: Callable[[], float]
    deadline: float
    seconds: float

    def check(self) -> None:
        """Raise LimitExceeded once the time is up."""
        if self.clock() > self.deadline:
            raise LimitExceeded("too_slow", _seconds(self.seconds), "IMPORT_TIME_BUDGET")


def _seconds(value: float) -> str:
    """A number as plain text ("60", "2.5"); the message formats it for the reader."""
    return str(int(value)) if float(value).is_integer() else str(value)


def too_many_rows(limits: ReadLimits) -> LimitExceeded:
    """The table has rows beyond the row cap."""
    return LimitExceeded("too_many_rows", str(limits.max_rows), "IMPORT_MAX_ROWS")


def too_large_unzipped(limits: ReadLimits) -> LimitExceeded:
    """An .xlsx that unpacks to more than the configured size."""
    megabytes = round(limits.max_unzipped_bytes / (1024 * 1024), 1)
    return LimitExceeded("too_large_unzipped", _seconds(megabytes), "IMPORT_MAX_UNZIPPED_MB")
