"""Unit kinds and the area tree: codes, labels, typed words, and who is inside which area."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from bot.core.i18n import LazyString, lazy_gettext
from bot.core.lookup import UnitRef
from bot.core.models import Unit
from bot.core.text import fold

AREA_KIND = "khu-vuc"
KINDS: tuple[str, ...] = ("xa", "phuong", "thi-tran", "so", "ban", AREA_KIND, "khac")
KIND_LABELS: dict[str, LazyString] = {
    "xa": lazy_gettext("commune"),
    "phuong": lazy_gettext("ward"),
    "thi-tran": lazy_gettext("township"),
    "so": lazy_gettext("department"),
    "ban": lazy_gettext("party board"),
    AREA_KIND: lazy_gettext("area"),
    "khac": lazy_gettext("other"),
}
# What people type for a kind (folded), in Vietnamese or English.
_KIND_WORDS: dict[str, str] = {
    "xa": "xa",
    "commune": "xa",
    "phuong": "phuong",
    "ward": "phuong",
    "thi tran": "thi-tran",
    "township": "thi-tran",
    "so": "so",
    "so nganh": "so",
    "department": "so",
    "ban": "ban",
    "board": "ban",
    "party board": "ban",
    "khu vuc": AREA_KIND,
    "area": AREA_KIND,
    "khac": "khac",
    "other": "khac",
}


def kind_label(kind: str) -> str:
    """Translated name of a unit kind (the code if unknown)."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def parse_kind(text: str) -> str | None:
    """Kind code from a code or label typed in either language; None if not a kind."""
    return _KIND_WORDS.get(fold(text))


def parse_search(text: str) -> tuple[str | None, str]:
    """'/donvi phuong an' → ('phuong', 'an'); a leading kind word filters by kind."""
    key = fold(text)
    words = key.split()
    for size in (2, 1):
        if len(words) >= size:
            kind = _KIND_WORDS.get(" ".join(words[:size]))
            if kind is not None:
                return kind, " ".join(words[size:])
    return None, key


# --- the area tree --------------------------------------------------------------------------


def ancestors(*, session: Session, unit_id: int | None) -> list[int]:
    """The chain of areas above a unit, nearest first (stops on a loop)."""
    chain: list[int] = []
    while unit_id is not None and unit_id not in chain:
        chain.append(unit_id)
        unit = session.get(Unit, unit_id)
        unit_id = unit.parent_id if unit else None
    return chain[1:]


def descendants(*, session: Session, unit_id: int) -> set[int]:
    """Every unit below a unit, at any depth (the one walk of the area tree)."""
    children: dict[int, list[int]] = {}
    for child, parent in session.exec(
        select(col(Unit.id), col(Unit.parent_id)).where(col(Unit.parent_id).is_not(None))
    ).all():
        if child is not None and parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    todo = [unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def area_of_unit(*, session: Session, unit_id: int | None) -> int | None:
    """The nearest active area above a unit (None: it is in no area)."""
    for area_id in ancestors(session=session, unit_id=unit_id):
        area = session.get(Unit, area_id)
        if area is not None and area.active:
            return area_id
    return None


def list_areas(*, session: Session, for_unit_id: int | None = None) -> list[UnitRef]:
    """Active units that are areas (kind 'khu-vuc' or already a parent), by name; for a unit,
    leaves out the unit itself and everything below it."""
    parents = select(Unit.parent_id).where(col(Unit.parent_id).is_not(None))
    stmt = (
        select(col(Unit.id), col(Unit.name))
        .where(
            col(Unit.active).is_(True),
            or_(col(Unit.kind) == AREA_KIND, col(Unit.id).in_(parents)),
        )
        .order_by(col(Unit.short_key), col(Unit.id))
    )
    excluded: set[int] = set()
    if for_unit_id is not None:
        excluded = descendants(session=session, unit_id=for_unit_id) | {for_unit_id}
    return [
        UnitRef(i, n) for i, n in session.exec(stmt).all() if i is not None and i not in excluded
    ]
