"""Changing units: add, rename (keeping old names), kind, area, deactivate and reactivate."""

from __future__ import annotations

import logging

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.areas import KINDS, ancestors, parse_kind
from bot.core.db import bump_revision
from bot.core.lookup import former_name_units
from bot.core.models import Unit, UnitNameHistory
from bot.core.text import fold, guess_unit_kind, short_key, slugify
from bot.units.errors import MAX_NAME, UnitAdminError
from bot.units.queries import get_unit

logger = logging.getLogger(__name__)


def clean_name(name: str) -> str:
    """Collapse spaces; refuse an empty or over-long name."""
    cleaned = " ".join(name.split())
    if not fold(cleaned):
        raise UnitAdminError("empty_name")
    if len(cleaned) > MAX_NAME:
        raise UnitAdminError("name_too_long")
    return cleaned


def _check_name_free(session: Session, name: str, unit_id: int | None) -> None:
    """Refuse a name another unit has now or had before (naming that unit)."""
    key = fold(name)
    for other in session.exec(select(Unit).where(Unit.name_key == key)):
        if other.id != unit_id:
            raise UnitAdminError(
                "name_taken" if other.active else "name_taken_inactive", unit=other.name
            )
    for other_id in former_name_units(session=session, key=key, short=False):
        if other_id != unit_id:
            other = get_unit(session=session, unit_id=other_id)
            if fold(other.name) != key:
                raise UnitAdminError("former_name", name=name, unit=other.name)


def _unique_code(session: Session, name: str) -> str:
    """A free code from the name: slug, slug-2, slug-3 …"""
    base = (slugify(name) or "unit")[:110].strip("-") or "unit"
    taken = set(session.exec(select(Unit.code).where(col(Unit.code).startswith(base))).all())
    code, suffix = base, 2
    while code in taken:
        code = f"{base}-{suffix}"
        suffix += 1
    return code


def _check_kind(kind: str) -> str:
    """A valid kind code (codes and typed labels accepted)."""
    found = kind if kind in KINDS else parse_kind(kind)
    if found is None:
        raise UnitAdminError("unknown_kind", kind=kind)
    return found


def _check_area(session: Session, unit: Unit | None, area_id: int | None) -> Unit | None:
    """The area a unit may be placed under; refuses itself, sub-units and inactive areas."""
    if area_id is None:
        return None
    area = get_unit(session=session, unit_id=area_id)
    if unit is not None:
        if area.id == unit.id:
            raise UnitAdminError("own_area")
        if unit.id in ancestors(session=session, unit_id=area.id):
            raise UnitAdminError("cycle", area=area.name, unit=unit.name)
    if not area.active:
        raise UnitAdminError("area_inactive", area=area.name)
    return area


def _subject(unit: Unit) -> str:
    """Audit subject of a unit."""
    return f"unit:{unit.id}"


def add_unit(
    *,
    session: Session,
    name: str,
    actor: int | None,
    kind: str | None = None,
    area_id: int | None = None,
    active: bool = True,
) -> Unit:
    """Create a unit (kind guessed from the name unless given); audited, in the caller's
    transaction."""
    name = clean_name(name)
    _check_name_free(session, name, None)
    kind = _check_kind(kind) if kind else guess_unit_kind(name)
    area = _check_area(session, None, area_id)
    key = fold(name)
    unit = Unit(
        code=_unique_code(session, name),
        name=name,
        name_key=key,
        short_key=short_key(key),
        kind=kind,
        parent_id=area.id if area else None,
        active=active,
    )
    session.add(unit)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="unit.create",
        subject=_subject(unit),
        name=name,
        kind=kind,
        area=area.name if area else None,
        active=active,
    )
    bump_revision(session)
    logger.info("unit %s created: %s", unit.id, name)
    return unit


def rename_unit(*, session: Session, unit_id: int, new_name: str, actor: int | None) -> Unit:
    """Rename a unit, keeping the old name so files and searches using it still find it."""
    unit = get_unit(session=session, unit_id=unit_id)
    new_name = clean_name(new_name)
    if new_name == unit.name:
        raise UnitAdminError("same_name")
    _check_name_free(session, new_name, unit.id)
    old_name, old_key = unit.name, unit.name_key
    session.add(
        UnitNameHistory(
            unit_id=unit_id,
            old_name=old_name,
            old_name_key=old_key,
            new_name=new_name,
            changed_by=actor,
        )
    )
    key = fold(new_name)
    unit.name, unit.name_key, unit.short_key = new_name, key, short_key(key)
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.rename",
        subject=_subject(unit),
        old=old_name,
        new=new_name,
    )
    bump_revision(session)
    session.flush()
    return unit


def set_kind(*, session: Session, unit_id: int, kind: str, actor: int | None) -> bool:
    """Change a unit's kind; False if it already had it."""
    unit = get_unit(session=session, unit_id=unit_id)
    kind = _check_kind(kind)
    if unit.kind == kind:
        return False
    old = unit.kind
    unit.kind = kind
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.update",
        subject=_subject(unit),
        field="kind",
        old=old,
        new=kind,
    )
    bump_revision(session)
    session.flush()
    return True


def set_area(
    *, session: Session, unit_id: int, area_id: int | None, actor: int | None, check: bool = True
) -> bool:
    """Place a unit under an area (None: top level); refuses cycles. False if unchanged."""
    unit = get_unit(session=session, unit_id=unit_id)
    if check:
        area = _check_area(session, unit, area_id)
    else:
        area = session.get(Unit, area_id) if area_id is not None else None
    if unit.parent_id == (area.id if area else None):
        return False
    old = session.get(Unit, unit.parent_id) if unit.parent_id is not None else None
    unit.parent_id = area.id if area else None
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.update",
        subject=_subject(unit),
        field="area",
        old=old.name if old else None,
        new=area.name if area else None,
    )
    bump_revision(session)
    session.flush()
    return True


def set_active(*, session: Session, unit_id: int, active: bool, actor: int | None) -> Unit:
    """Deactivate (leaves lookups and rankings; figures, officials and history are kept) or
    reactivate a unit."""
    unit = get_unit(session=session, unit_id=unit_id)
    if unit.active == active:
        raise UnitAdminError("already_active" if active else "already_inactive", unit=unit.name)
    if active:
        _check_name_free(session, unit.name, unit.id)
    unit.active = active
    session.add(unit)
    audit.record(
        session=session,
        actor=actor,
        action="unit.activate" if active else "unit.deactivate",
        subject=_subject(unit),
        name=unit.name,
    )
    bump_revision(session)
    session.flush()
    return unit
