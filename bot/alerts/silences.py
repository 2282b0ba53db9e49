"""Silences: a unit's warnings muted through a day (after an accepted explanation), audited."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.db import stored_id
from bot.core.errors import CodedError, Message
from bot.core.i18n import _
from bot.core.models import AppUser, Unit, WarningSilence, utcnow

logger = logging.getLogger(__name__)

MAX_SILENCE_DAYS = 366


@dataclass(frozen=True)
class SilenceInfo:
    """An active silence, for lists."""

    id: int
    unit_id: int
    unit_name: str
    until: dt.datetime
    reason: str
    created_by: int | None
    created_by_name: str
    created_at: dt.datetime


class SilenceError(CodedError, ValueError):
    """A refused silence; `code` says why (past, too_far, missing)."""

    MESSAGES: ClassVar[Mapping[str, Message]] = {
        "past": lambda _params: _("That day has already passed. Choose today or a later day."),
        "too_far": lambda _params: _("A silence can last at most one year."),
        "missing": lambda _params: _("This silence has already ended."),
    }


def silence_end(until_day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """A silence 'until 30/06/2026' lasts through that day: it ends at midnight after it."""
    return dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time(), tzinfo=zone).astimezone(
        dt.UTC
    )


def silence_unit(
    *,
    session: Session,
    unit_id: int,
    until_day: dt.date,
    zone: ZoneInfo,
    reason: str = "",
    actor: int | None = None,
    now: dt.datetime | None = None,
) -> WarningSilence:
    """Mute a unit's warnings through a day (replacing its current silence); audited."""
    now = now or utcnow()
    today = now.astimezone(zone).date()
    if until_day < today:
        raise SilenceError("past")
    if until_day > today + dt.timedelta(days=MAX_SILENCE_DAYS):
        raise SilenceError("too_far")
    for old in _active_silence_rows(session, now, unit_ids=[unit_id]):
        old.ended_at, old.ended_by = now, actor
        session.add(old)
    silence = WarningSilence(
        unit_id=unit_id,
        until=silence_end(until_day, zone),
        reason=reason.strip()[:255],
        created_by=actor,
        created_at=now,
    )
    session.add(silence)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="warnings.silence",
        subject=f"unit:{unit_id}",
        until=until_day.isoformat(),
        reason=silence.reason,
    )
    return silence


def lift_silence(
    *, session: Session, silence_id: int, actor: int | None = None, now: dt.datetime | None = None
) -> WarningSilence:
    """End a silence early; raises SilenceError('missing') if it is not active."""
    now = now or utcnow()
    silence = session.get(WarningSilence, silence_id)
    if silence is None or silence.ended_at is not None or silence.until <= now:
        raise SilenceError("missing")
    silence.ended_at, silence.ended_by = now, actor
    session.add(silence)
    audit.record(
        session=session,
        actor=actor,
        action="warnings.unsilence",
        subject=f"unit:{silence.unit_id}",
        silence=silence_id,
    )
    session.flush()
    return silence


def _active_silence_rows(
    session: Session, now: dt.datetime, unit_ids: Sequence[int] | None = None
) -> list[WarningSilence]:
    """Silences in force at `now`."""
    stmt = select(WarningSilence).where(
        col(WarningSilence.ended_at).is_(None), col(WarningSilence.until) > now
    )
    if unit_ids is not None:
        stmt = stmt.where(col(WarningSilence.unit_id).in_(list(unit_ids)))
    return list(session.exec(stmt.order_by(col(WarningSilence.until), col(WarningSilence.id))))


def active_silences(*, session: Session, now: dt.datetime | None = None) -> list[SilenceInfo]:
    """Silences in force, soonest ending first."""
    now = now or utcnow()
    rows = _active_silence_rows(session, now)
    names = _unit_names(session, [r.unit_id for r in rows])
    people = display_names(
        session=session, telegram_ids=[r.created_by for r in rows if r.created_by is not None]
    )
    return [
        SilenceInfo(
            id=stored_id(r.id),
            unit_id=r.unit_id,
            unit_name=names.get(r.unit_id, "?"),
            until=r.until,
            reason=r.reason,
            created_by=r.created_by,
            created_by_name=people.get(r.created_by, "") if r.created_by is not None else "",
            created_at=r.created_at,
        )
        for r in rows
    ]


def silenced_until(
    *, session: Session, indicator_id: int, now: dt.datetime
) -> dict[int, dt.datetime]:
    """Unit id → end of its silence, for silences covering this indicator."""
    found: dict[int, dt.datetime] = {}
    for row in _active_silence_rows(session, now):
        if row.indicator_id in (None, indicator_id):
            found[row.unit_id] = max(row.until, found.get(row.unit_id, row.until))
    return found


def _unit_names(session: Session, unit_ids: Iterable[int]) -> dict[int, str]:
    """Unit id → name."""
    ids = list(set(unit_ids))
    if not ids:
        return {}
    rows = session.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(ids))).all()
    return {stored_id(uid): name for uid, name in rows}


def display_names(*, session: Session, telegram_ids: Iterable[int]) -> dict[int, str]:
    """Telegram id → display name (may be empty)."""
    ids = list(set(telegram_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(AppUser.telegram_id, AppUser.display_name).where(col(AppUser.telegram_id).in_(ids))
    ).all()
    return {int(tid): name for tid, name in rows}
