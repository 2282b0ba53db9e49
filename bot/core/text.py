"""Text folding for matching Vietnamese names regardless of case, spacing and diacritics."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z%]+")

# Leading words that say what kind of body a unit is, not which one.
_PREFIXES = (
    "dang uy",
    "ubnd",
    "uy ban nhan dan",
    "hdnd",
    "chi bo",
    "dang bo",
)
_KIND_WORDS = ("xa", "phuong", "thi tran", "huyen", "thanh pho", "thi xa", "tinh")


def fold(text: str) -> str:
    """Lower-case ASCII form: no diacritics, đ→d, punctuation to single spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return _NON_ALNUM.sub(" ", text).strip()


def short_key(folded: str) -> str:
    """Strip generic prefixes ("dang uy xa …") from a folded unit name."""
    key = folded
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            key = key[len(prefix) + 1 :]
            break
    for word in _KIND_WORDS:
        if key.startswith(word + " "):
            key = key[len(word) + 1 :]
            break
    return key


def slugify(text: str) -> str:
    """URL- and CLI-friendly code from a name."""
    return fold(text).replace("%", "").replace(" ", "-").strip("-")


def guess_unit_kind(name: str) -> str:
    """Infer the unit kind (xa, phuong, so, ban, …) from its published name."""
    folded = fold(name)
    rest = folded
    for prefix in _PREFIXES:
        if rest.startswith(prefix + " "):
            rest = rest[len(prefix) + 1 :]
            break
    for kind, words in (
        ("xa", ("xa ",)),
        ("phuong", ("phuong ",)),
        ("thi-tran", ("thi tran ",)),
        ("so", ("so ",)),
        ("ban", ("ban ",)),
    ):
        if rest.startswith(words):
            return kind
    return "khac"
