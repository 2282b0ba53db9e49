"""Who a push goes to: the one audience model (announcements and deadlines), and group chats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from sqlmodel import Session, col, select

from bot.core.areas import AREA_KIND, descendants
from bot.core.db import SIGNING_INDICATOR, binary_order
from bot.core.models import Chat, GroupSubscription, Unit
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    load_indicator,
    load_period_table,
    period_info,
    recent_periods,
)


class AudienceKind(StrEnum):
    """Which units an audience names."""

    ALL = "all"
    KIND = "kind"  # units of one kind (xã, phường, sở…)
    AREA = "area"  # every unit below an area
    BELOW = "below"  # units whose rate is below a threshold
    GROUPS = "groups"  # the subscribed group chats, not units


class Band(StrEnum):
    """A threshold named by the indicator rather than by a number."""

    WARNING = "warning"
    CRITICAL = "critical"


class Reach(StrEnum):
    """Who in each unit."""

    HEADS = "heads"
    OFFICIALS = "officials"


# How announcements stored before the one model wrote their audience ({"scope": …}).
_LEGACY_SCOPES: dict[str, dict[str, Any]] = {
    "all": {"type": "all"},
    "below_warning": {"type": "below", "band": "warning"},
    "below_critical": {"type": "below", "band": "critical"},
    "kind": {"type": "kind"},
    "area": {"type": "area"},
    "groups": {"type": "groups"},
}


@dataclass(frozen=True)
class Audience:
    """Whom an announcement or a deadline addresses, stored as JSON on its row."""

    kind: AudienceKind
    unit_kind: str | None = None  # KIND
    area_id: int | None = None  # AREA
    threshold: float | None = None  # BELOW: percent (None: the band's, or not chosen yet)
    band: Band | None = None  # BELOW: the indicator's warning or critical threshold
    period_id: int | None = None  # BELOW: the period measured (None: the latest)
    reach: Reach = Reach.OFFICIALS

    def as_dict(self) -> dict[str, Any]:
        """The stored form: only the fields the kind uses."""
        data: dict[str, Any] = {"type": self.kind.value}
        if self.kind is AudienceKind.KIND:
            data["kind"] = self.unit_kind
        elif self.kind is AudienceKind.AREA:
            data["area_id"] = self.area_id
        elif self.kind is AudienceKind.BELOW:
            if self.band is not None:
                data["band"] = self.band.value
            else:
                data["threshold"] = self.threshold
            data["period_id"] = self.period_id
        if self.reach is not Reach.OFFICIALS:
            data["reach"] = self.reach.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Audience | None:
        """Back from the stored form (also the announcements' older {"scope": …} form)."""
        if not data:
            return None
        if "type" not in data and data.get("scope") in _LEGACY_SCOPES:
            legacy = dict(_LEGACY_SCOPES[data["scope"]])
            legacy.update(kind=data.get("kind"), area_id=data.get("area_unit_id"))
            legacy["reach"] = data.get("reach", Reach.OFFICIALS.value)
            data = legacy
        raw_kind = data.get("type")
        if not isinstance(raw_kind, str):
            return None
        try:
            kind = AudienceKind(raw_kind)
        except ValueError:
            return None
        threshold = data.get("threshold")
        return cls(
            kind=kind,
            unit_kind=data.get("kind"),
            area_id=int(data["area_id"]) if data.get("area_id") is not None else None,
            threshold=float(threshold) if threshold is not None else None,
            band=Band(data["band"]) if data.get("band") else None,
            period_id=int(data["period_id"]) if data.get("period_id") is not None else None,
            reach=Reach(data.get("reach") or Reach.OFFICIALS.value),
        )

    @property
    def complete(self) -> bool:
        """Everything the kind needs is chosen."""
        if self.kind is AudienceKind.KIND:
            return bool(self.unit_kind)
        if self.kind is AudienceKind.AREA:
            return self.area_id is not None
        if self.kind is AudienceKind.BELOW:
            return self.band is not None or self.threshold is not None
        return True


@dataclass(frozen=True)
class BelowTerms:
    """What a below-threshold audience measures: the indicator, the period and the rate."""

    indicator: IndicatorInfo
    period: PeriodInfo | None  # None: no figures yet (or the chosen period is gone)
    threshold: Fraction


def below_terms(
    *, session: Session, audience: Audience, indicator_code: str = SIGNING_INDICATOR
) -> BelowTerms | None:
    """The indicator, period (its own, else the latest) and threshold (its own, else the
    band's) of a below-threshold audience; None when the indicator is unknown."""
    indicator = load_indicator(session=session, code=indicator_code)
    if indicator is None:
        return None
    if audience.period_id is None:
        latest = recent_periods(session=session, indicator_id=indicator.id, limit=1)
        period = latest[0] if latest else None
    else:
        period = period_info(session=session, period_id=audience.period_id)
    if audience.threshold is not None and audience.band is None:
        threshold = Fraction(str(audience.threshold)) / 100
    else:
        threshold = indicator.critical if audience.band is Band.CRITICAL else indicator.warning
    return BelowTerms(indicator, period, threshold)


def _below(session: Session, audience: Audience, indicator_code: str) -> set[int]:
    """Units whose rate in the audience's period is below its threshold."""
    terms = below_terms(session=session, audience=audience, indicator_code=indicator_code)
    if terms is None or terms.period is None:
        return set()
    table = load_period_table(session=session, indicator=terms.indicator, period=terms.period)
    return {
        s.unit_id
        for s in table.by_unit.values()
        if s.denominator > 0 and Fraction(s.numerator, s.denominator) < terms.threshold
    }


def audience_unit_ids(
    *,
    session: Session,
    audience: Audience,
    indicator_code: str = SIGNING_INDICATOR,
    with_areas: bool = False,
) -> list[int]:
    """The active units an audience names, in name order (groups name no unit). Area units
    count for "all" only `with_areas` (an announcement reaches their officials; they owe no
    figures, so a deadline never addresses them)."""
    units = session.exec(
        select(col(Unit.id), col(Unit.kind), col(Unit.parent_id))
        .where(col(Unit.active) == True)  # noqa: E712
        .order_by(col(Unit.short_key), col(Unit.id))
    ).all()
    chosen: set[int]
    if audience.kind is AudienceKind.ALL:
        chosen = {
            int(u) for u, kind, _p in units if u is not None and (with_areas or kind != AREA_KIND)
        }
    elif audience.kind is AudienceKind.KIND:
        chosen = {int(u) for u, kind, _p in units if u is not None and kind == audience.unit_kind}
    elif audience.kind is AudienceKind.AREA and audience.area_id is not None:
        chosen = descendants(session=session, unit_id=audience.area_id)
    elif audience.kind is AudienceKind.BELOW:
        chosen = _below(session, audience, indicator_code)
    else:
        return []
    return [int(u) for u, _k, _p in units if u is not None and u in chosen]


@dataclass(frozen=True)
class Subscription:
    """What a group receives: an area's units, or every unit (area None)."""

    chat_id: int
    chat_title: str
    area_unit_id: int | None
    area_name: str | None
    since: dt.datetime
    created_by: int | None


def active_subscriptions(*, session: Session, chat_id: int) -> list[GroupSubscription]:
    """Subscriptions of a chat that have not ended."""
    return list(
        session.exec(
            select(GroupSubscription)
            .where(GroupSubscription.chat_id == chat_id, GroupSubscription.active == True)  # noqa: E712
            .order_by(col(GroupSubscription.id))
        )
    )


def area_name(*, session: Session, area_unit_id: int | None) -> str | None:
    """Name of an area unit (None for the whole province)."""
    if area_unit_id is None:
        return None
    unit = session.get(Unit, area_unit_id)
    return unit.name if unit else None


def current_subscription(*, session: Session, chat_id: int) -> Subscription | None:
    """What a group receives now, if anything."""
    subs = active_subscriptions(session=session, chat_id=chat_id)
    if not subs:
        return None
    sub = subs[-1]
    chat = session.get(Chat, chat_id)
    return Subscription(
        chat_id=chat_id,
        chat_title=chat.title if chat else "",
        area_unit_id=sub.area_unit_id,
        area_name=area_name(session=session, area_unit_id=sub.area_unit_id),
        since=sub.created_at,
        created_by=sub.created_by,
    )


def subscribed_groups(*, session: Session) -> list[Subscription]:
    """Every group receiving summaries, by title."""
    rows = session.exec(
        select(GroupSubscription, Chat)
        .join(Chat, col(Chat.id) == col(GroupSubscription.chat_id))
        .where(GroupSubscription.active == True, Chat.active == True)  # noqa: E712
        .order_by(binary_order(col(Chat.title)), col(Chat.id))
    ).all()
    return [
        Subscription(
            chat_id=chat.id,
            chat_title=chat.title,
            area_unit_id=sub.area_unit_id,
            area_name=area_name(session=session, area_unit_id=sub.area_unit_id),
            since=sub.created_at,
            created_by=sub.created_by,
        )
        for sub, chat in rows
    ]
