"""Unit kinds: their codes, translated labels, and the words people type for them."""

from __future__ import annotations

from bot.core.i18n import LazyString, lazy_gettext
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
