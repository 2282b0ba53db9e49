"""Warning settings per indicator: thresholds, schedule and repeat interval (WarningPolicy)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from bot.core import audit
from bot.core.config import Settings
from bot.core.db import bump_revision, table_of
from bot.core.models import Indicator, WarningPolicy, utcnow
from bot.core.timespec import WeeklySchedule, format_duration, parse_duration, parse_schedule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    """Effective warning settings of one indicator."""

    indicator_id: int
    indicator_code: str
    enabled: bool
    schedule: WeeklySchedule | None  # None: no scheduled runs
    repeat_interval: dt.timedelta


def load_policy(*, session: Session, indicator: Indicator, settings: Settings) -> Policy:
    """The indicator's overrides on top of WARNING_SCHEDULE and WARNING_REPEAT_INTERVAL."""
    assert indicator.id is not None
    row = session.get(WarningPolicy, indicator.id)
    return _policy(
        indicator.id,
        indicator.code,
        (row.enabled, row.schedule, row.repeat_seconds) if row else None,
        settings,
    )


def _policy(
    indicator_id: int,
    indicator_code: str,
    override: tuple[bool, str | None, int | None] | None,
    settings: Settings,
) -> Policy:
    """A Policy from an indicator and its WarningPolicy row's (enabled, schedule, repeat)."""
    enabled, schedule, repeat_seconds = override if override else (True, None, None)
    return Policy(
        indicator_id=indicator_id,
        indicator_code=indicator_code,
        enabled=enabled,
        schedule=parse_schedule(schedule or settings.warning_schedule),
        repeat_interval=(
            dt.timedelta(seconds=repeat_seconds)
            if repeat_seconds
            else parse_duration(settings.warning_repeat_interval)
        ),
    )


def all_policies(*, session: Session, settings: Settings) -> list[Policy]:
    """Policies of every indicator, built-in ones first, in one query on the tables (no ORM
    entity: start-up schedules the warning jobs with it, before the first answer, and the ORM's
    one-off set-up — ~40 ms — is left to whatever needs it later)."""
    indicator, policy = table_of(Indicator), table_of(WarningPolicy)
    query = (
        sa_select(
            indicator.c.id,
            indicator.c.code,
            policy.c.indicator_id,
            policy.c.enabled,
            policy.c.schedule,
            policy.c.repeat_seconds,
        )
        .select_from(indicator.outerjoin(policy, policy.c.indicator_id == indicator.c.id))
        .order_by(indicator.c.id)
    )
    return [
        _policy(ind_id, code, None if row_id is None else (enabled, schedule, repeat), settings)
        for ind_id, code, row_id, enabled, schedule, repeat in session.execute(query)
    ]


class PolicyError(ValueError):
    """A refused configuration change; str() is the reason in English for the CLI."""


def configure(
    *,
    session: Session,
    indicator_code: str,
    enabled: bool | None = None,
    schedule: str | None = None,
    repeat: str | None = None,
    warning: float | None = None,
    critical: float | None = None,
    target: float | None = None,
    actor: int | None = None,
) -> Indicator:
    """Change an indicator's thresholds, schedule ('default' to clear) or repeat interval."""
    indicator = session.exec(select(Indicator).where(Indicator.code == indicator_code)).first()
    if indicator is None or indicator.id is None:
        raise PolicyError(f"unknown indicator {indicator_code!r}")
    new_warning = indicator.warning_threshold if warning is None else warning
    new_critical = indicator.critical_threshold if critical is None else critical
    new_target = indicator.target if target is None else target
    if not 0 <= new_critical <= new_warning <= new_target <= 100:
        raise PolicyError("thresholds must satisfy 0 ≤ critical ≤ warning ≤ target ≤ 100")
    row = session.get(WarningPolicy, indicator.id) or WarningPolicy(indicator_id=indicator.id)
    changes: dict[str, object] = {}
    if schedule is not None:
        if schedule.strip().lower() == "default":
            row.schedule = None
        else:
            try:
                parsed = parse_schedule(schedule)
            except ValueError as exc:
                raise PolicyError(str(exc)) from None
            row.schedule = parsed.canonical() if parsed is not None else "off"
        changes["schedule"] = row.schedule or "default"
    if repeat is not None:
        if repeat.strip().lower() == "default":
            row.repeat_seconds = None
        else:
            try:
                row.repeat_seconds = int(parse_duration(repeat).total_seconds())
            except ValueError as exc:
                raise PolicyError(str(exc)) from None
        changes["repeat"] = (
            format_duration(dt.timedelta(seconds=row.repeat_seconds))
            if row.repeat_seconds
            else "default"
        )
    if enabled is not None:
        row.enabled = enabled
        changes["enabled"] = enabled
    thresholds = (new_warning, new_critical, new_target)
    if thresholds != (indicator.warning_threshold, indicator.critical_threshold, indicator.target):
        indicator.warning_threshold, indicator.critical_threshold, indicator.target = thresholds
        session.add(indicator)
        bump_revision(session)  # cached standings carry the thresholds
        changes.update(warning=new_warning, critical=new_critical, target=new_target)
    row.updated_at = utcnow()
    session.add(row)
    if changes:
        audit.record(
            session=session,
            actor=actor,
            action="warnings.config",
            subject=f"indicator:{indicator.code}",
            **changes,
        )
    session.flush()
    return indicator
