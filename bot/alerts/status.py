"""What the secretariat sees: the current warnings of an indicator (/canhbao), a unit's history."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlmodel import Session, col, select

from bot.alerts.firing import (
    KIND_RESOLVED,
    KIND_WARNING,
    Level,
    alert_states,
    inhibited_units,
    level_of,
)
from bot.alerts.policy import Policy, load_policy
from bot.alerts.silences import display_names, silenced_until
from bot.core.config import Settings
from bot.core.db import SIGNING_INDICATOR
from bot.core.links import Inhibitor
from bot.core.models import Indicator, Official, OutboxMessage, WarningRun, utcnow
from bot.core.people import unit_recipients
from bot.core.stats import IndicatorInfo, PeriodInfo, load_period_table, recent_periods

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnitWarning:
    """One unit below the warning threshold, with what it was told and why not."""

    unit_id: int
    unit_name: str
    level: Level
    numerator: int
    denominator: int
    rank: int | None
    notified: bool
    first_sent_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    repeats: int
    recipients: int  # officials who would receive it now
    silenced_until: dt.datetime | None
    inhibited: bool


@dataclass(frozen=True)
class WarningStatus:
    """The current warnings of one indicator, for /canhbao."""

    indicator: IndicatorInfo
    policy: Policy
    period: PeriodInfo | None
    ranked: int
    units: list[UnitWarning]
    last_run: WarningRun | None
    next_run: dt.datetime | None
    other_indicators: list[tuple[int, str, str]]  # id, code, stored name (with data)

    @property
    def critical(self) -> int:
        """Units below the critical threshold."""
        return sum(1 for u in self.units if u.level is Level.CRITICAL)

    @property
    def notified(self) -> int:
        """Units told about their current warning."""
        return sum(1 for u in self.units if u.notified)

    @property
    def silenced(self) -> int:
        """Units silenced now."""
        return sum(1 for u in self.units if u.silenced_until is not None)

    @property
    def inhibited(self) -> int:
        """Units covered by a deadline reminder."""
        return sum(1 for u in self.units if u.inhibited)

    @property
    def unreachable(self) -> int:
        """Units with nobody to warn (not silenced or inhibited)."""
        return sum(
            1
            for u in self.units
            if not u.recipients and u.silenced_until is None and not u.inhibited
        )


def indicators_with_data(*, session: Session) -> list[tuple[int, str, str]]:
    """(id, code, name) of indicators that have at least one period of figures."""
    found = []
    for row in session.exec(select(Indicator).order_by(col(Indicator.id))).all():
        assert row.id is not None
        if recent_periods(session=session, indicator_id=row.id, limit=1):
            found.append((row.id, row.code, row.name))
    return found


def _default_indicator(with_data: list[tuple[int, str, str]]) -> int | None:
    """The signing indicator if it has figures, else the first that has (None: none has)."""
    signing = [i for i in with_data if i[1] == SIGNING_INDICATOR]
    chosen = signing[0] if signing else (with_data[0] if with_data else None)
    return chosen[0] if chosen is not None else None


def warning_status(
    *,
    session: Session,
    settings: Settings,
    inhibitors: Sequence[Inhibitor],
    indicator_id: int | None = None,
    now: dt.datetime | None = None,
) -> WarningStatus | None:
    """Units below the threshold in the latest period and what each was told (None: no data)."""
    now = now or utcnow()
    with_data = indicators_with_data(session=session)
    indicator_id = indicator_id if indicator_id is not None else _default_indicator(with_data)
    indicator = session.get(Indicator, indicator_id) if indicator_id is not None else None
    if indicator is None or indicator_id is None:
        return None
    info = IndicatorInfo.from_row(indicator)
    policy = load_policy(session=session, indicator=indicator, settings=settings)
    periods = recent_periods(session=session, indicator_id=indicator_id, limit=1)
    others = [i for i in with_data if i[0] != indicator_id]
    last_run = session.exec(
        select(WarningRun)
        .where(WarningRun.indicator_id == indicator_id)
        .order_by(col(WarningRun.at).desc(), col(WarningRun.id).desc())
    ).first()
    next_run = (
        policy.schedule.next_run(now, settings.tz)
        if policy.schedule is not None and policy.enabled
        else None
    )
    if not periods:
        return WarningStatus(info, policy, None, 0, [], last_run, next_run, others)
    table = load_period_table(session=session, indicator=info, period=periods[0])
    states = alert_states(session=session, indicator_id=indicator_id)
    firing = {
        unit_id: level
        for unit_id, s in table.by_unit.items()
        if (level := level_of(info, s.numerator, s.denominator)) is not None
    }
    silenced = silenced_until(session=session, indicator_id=indicator_id, now=now)
    inhibited = inhibited_units(
        session=session,
        indicator_id=indicator_id,
        unit_ids=set(firing),
        now=now,
        inhibitors=inhibitors,
    )
    recipients = unit_recipients(
        session=session, unit_ids=firing, default_language=settings.default_language
    )
    units = []
    for unit_id, level in firing.items():
        s = table.by_unit[unit_id]
        st = states.get(unit_id)
        notified = bool(
            st and st.notified_level == level.value and st.notified_period_id == table.period.id
        )
        units.append(
            UnitWarning(
                unit_id=unit_id,
                unit_name=s.unit_name,
                level=level,
                numerator=s.numerator,
                denominator=s.denominator,
                rank=s.rank,
                notified=notified,
                first_sent_at=st.first_sent_at if st and notified else None,
                last_sent_at=st.last_sent_at if st and notified else None,
                repeats=st.repeats if st and notified else 0,
                recipients=len(recipients.get(unit_id, [])),
                silenced_until=silenced.get(unit_id),
                inhibited=unit_id in inhibited,
            )
        )
    units.sort(key=lambda u: (Fraction(u.numerator, u.denominator), u.unit_name))
    return WarningStatus(
        info, policy, table.period, table.ranked, units, last_run, next_run, others
    )


@dataclass(frozen=True)
class SentWarning:
    """One warning or resolved note queued for a unit, for its history."""

    at: dt.datetime
    kind: str  # warning, critical, repeat, resolved
    repeat: int
    telegram_id: int
    name: str
    role: str | None
    status: str
    sent_at: dt.datetime | None


def unit_history(*, session: Session, unit_id: int, limit: int = 15) -> list[SentWarning]:
    """The latest warnings and resolved notes queued for a unit (one row per person)."""
    rows = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.unit_id == unit_id,
            col(OutboxMessage.kind).in_([KIND_WARNING, KIND_RESOLVED]),
            ~col(OutboxMessage.dedupe_key).contains("#"),
        )
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
    ).all()
    names = display_names(session=session, telegram_ids=[r.chat_id for r in rows])
    roles = dict(
        session.exec(
            select(Official.telegram_id, Official.role).where(
                col(Official.telegram_id).in_([r.chat_id for r in rows]),
                Official.active == True,  # noqa: E712
            )
        ).all()
    )
    found = []
    for r in rows:
        parts = r.dedupe_key.split(":")
        repeat = 0
        if r.kind == KIND_RESOLVED:
            kind = "resolved"
        else:
            kind = parts[4] if len(parts) > 4 else Level.WARNING.value
            if len(parts) > 6 and parts[6].startswith("r") and parts[6][1:].isdigit():
                repeat = int(parts[6][1:])
        found.append(
            SentWarning(
                at=r.created_at,
                kind=kind,
                repeat=repeat,
                telegram_id=r.chat_id,
                name=names.get(r.chat_id, ""),
                role=roles.get(r.chat_id),
                status=r.status,
                sent_at=r.sent_at,
            )
        )
    return found


def run_for_import(*, session: Session, import_id: int) -> WarningRun | None:
    """The evaluation an import triggered, if any."""
    return session.exec(select(WarningRun).where(WarningRun.import_id == import_id)).first()
