"""The measured data: units, indicators, reporting periods, imports and measurements."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field

from bot.core.models.base import Table, _ts


class Unit(Table, table=True):
    """A measured body: commune/ward party committee, department, public service unit, area."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=120)
    name: str = Field(max_length=255)
    name_key: str = Field(index=True, max_length=255)
    short_key: str = Field(index=True, max_length=255)
    kind: str = Field(default="khac", max_length=32, index=True)
    parent_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    active: bool = Field(default=True)
    created_at: dt.datetime = _ts()


class Indicator(Table, table=True):
    """A tracked rate (numerator / denominator) with its thresholds, in percent."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=255)
    item_kind: str = Field(default="document", max_length=32)
    warning_threshold: float = Field(default=80.0)
    critical_threshold: float = Field(default=50.0)
    target: float = Field(default=100.0)
    builtin: bool = Field(default=False)
    created_at: dt.datetime = _ts()


class ReportingPeriod(Table, table=True):
    """A reporting window; the as-of time is when the figures were taken."""

    __table_args__ = (UniqueConstraint("start_date", "end_date", name="uq_period_dates"),)

    id: int | None = Field(default=None, primary_key=True)
    start_date: dt.date
    end_date: dt.date = Field(index=True)
    as_of: dt.datetime | None = _ts(nullable=True, default=False)
    created_at: dt.datetime = _ts()


class ImportBatch(Table, table=True):
    """One accepted import of a statistics table."""

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    period_id: int = Field(foreign_key="reportingperiod.id")
    source: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    row_count: int
    new_units: int
    actor_telegram_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()


class Measurement(Table, table=True):
    """Numerator and denominator of one indicator for one unit in one period."""

    __table_args__ = (
        UniqueConstraint("unit_id", "indicator_id", "period_id", name="uq_measurement"),
        Index("ix_measurement_indicator_period", "indicator_id", "period_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    indicator_id: int = Field(foreign_key="indicator.id")
    period_id: int = Field(foreign_key="reportingperiod.id")
    numerator: int
    denominator: int
    published_rate: float | None = None
    import_id: int | None = Field(default=None, foreign_key="importbatch.id")
    updated_at: dt.datetime = _ts()


class UnitNameHistory(Table, table=True):
    """A unit's earlier name, kept on rename so old files and searches still match."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    old_name: str = Field(max_length=255)
    old_name_key: str = Field(index=True, max_length=255)
    new_name: str = Field(max_length=255)
    changed_by: int | None = Field(default=None, sa_type=BigInteger)
    changed_at: dt.datetime = _ts()


class PendingImport(Table, table=True):
    """A statistics file previewed in chat and waiting for its uploader's confirmation."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(unique=True, index=True, max_length=32)  # in the buttons' callback data
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    filename: str = Field(max_length=255)
    data: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: dt.datetime = _ts()
    expires_at: dt.datetime = _ts(default=False)
