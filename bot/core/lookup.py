"""Finding units by name the way people type them (any case, with or without diacritics)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import true
from sqlmodel import Session, col, or_, select

from bot.core.db import binary_order, stored_id
from bot.core.models import Unit, UnitNameHistory
from bot.core.text import fold, short_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnitRef:
    """A unit's id and display name."""

    id: int
    name: str


class UnitMatches(list[UnitRef]):
    """Units found for a query; `fuzzy` means only approximate (spelling) matches were found."""

    fuzzy: bool = False

    @property
    def unique(self) -> UnitRef | None:
        """The one unit meant, if the query names exactly one (never a fuzzy guess)."""
        return self[0] if len(self) == 1 and not self.fuzzy else None


def former_name_units(*, session: Session, key: str, short: bool = True) -> list[int]:
    """Ids of units that once had a name folding to `key` (or, with `short`, the same name
    without its "Đảng ủy xã" prefix)."""
    wanted = short_key(key)
    found: list[int] = []
    for unit_id, old_key in session.exec(
        select(UnitNameHistory.unit_id, UnitNameHistory.old_name_key).order_by(
            col(UnitNameHistory.id)
        )
    ).all():
        matches = old_key == key or (short and short_key(old_key) == wanted)
        if matches and unit_id not in found:
            found.append(unit_id)
    return found


def find_units(
    *, session: Session, query: str, limit: int = 8, include_inactive: bool = False
) -> UnitMatches:
    """Units matching a typed name: exact (or a former name), whole-word contains, spelling."""
    key = fold(query)
    if not key:
        return UnitMatches()
    short = short_key(key)
    active = true() if include_inactive else Unit.active == True  # noqa: E712
    exact = session.exec(
        select(Unit)
        .where(active, or_(Unit.name_key == key, Unit.short_key == short))
        .order_by(col(Unit.id))
    ).all()
    if not exact:
        renamed = former_name_units(session=session, key=key)
        if renamed:
            exact = session.exec(
                select(Unit).where(active, col(Unit.id).in_(renamed)).order_by(col(Unit.id))
            ).all()
    if exact:
        return UnitMatches(UnitRef(stored_id(u.id), u.name) for u in exact[:limit])
    padded = f"% {short} %"
    contains = session.exec(
        select(Unit)
        .where(active, (" " + col(Unit.name_key) + " ").like(padded))
        .order_by(binary_order(col(Unit.name)), col(Unit.id))
        .limit(limit + 1)
    ).all()
    if contains:
        return UnitMatches(UnitRef(stored_id(u.id), u.name) for u in contains[:limit])
    rows = session.exec(select(Unit.id, Unit.name, Unit.short_key).where(active)).all()
    choices = {stored_id(uid): skey for uid, _, skey in rows}
    names = {stored_id(uid): name for uid, name, _ in rows}
    best = process.extract(short, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=75)
    found = UnitMatches(UnitRef(uid, names[uid]) for _, _, uid in best)
    found.fuzzy = True
    return found
