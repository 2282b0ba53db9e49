"""The schema's base: the clock, the UTC timestamp column and the table base class."""

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# A simulated clock for the console demo (and tests): when set, every "now" in this context —
# timestamps, due times of pushes — comes from it, so simulated time is consistent everywhere.
_clock_override: ContextVar[Callable[[], dt.datetime] | None] = ContextVar(
    "clock_override", default=None
)


def utcnow() -> dt.datetime:
    """Current time, aware, in UTC (the simulated clock's, when one is in use)."""
    clock = _clock_override.get()
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def use_clock(clock: Callable[[], dt.datetime] | None) -> None:
    """Make utcnow() follow a clock in this context and the tasks it starts (None: real time)."""
    _clock_override.set(clock)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamp column that only accepts aware datetimes and always returns UTC-aware ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        """Convert to UTC before writing; naive values are a programming error."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        """Attach UTC to values SQLite hands back naive."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _ts(nullable: bool = False, default: bool = True) -> Any:
    """A UTC timestamp field."""
    return Field(
        default_factory=utcnow if default else None,
        sa_column_kwargs={},
        sa_type=UTCDateTime,
        nullable=nullable,
    )


class Table(SQLModel):
    """A table: pydantic builds its validator when first used, not at start-up (~30 ms)."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]
