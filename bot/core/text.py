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


_VI_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def _vi_char_key(ch: str) -> tuple[int, int]:
    """One lower-case NFC character's (letter, tone) in Vietnamese dictionary order."""
    parts = unicodedata.normalize("NFD", ch)
    base = parts[0] + "".join(m for m in parts[1:] if m in _SHAPE_MARKS)
    letter = unicodedata.normalize("NFC", base)
    index = _VI_ALPHABET.find(letter) if len(letter) == 1 else -1
    code = 1000 + index if index >= 0 else ord(letter[0]) + 2000
    return code, max((_TONES.get(m, 0) for m in parts[1:]), default=0)


_VI_CHAR_KEYS: dict[str, tuple[int, int]] = {}  # bounded by the characters names use


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese dictionary order: a < ă < â < b … đ after d, tones only break ties."""
    letters: list[int] = []
    tones: list[int] = []
    known = _VI_CHAR_KEYS
    for ch in unicodedata.normalize("NFC", text.lower()):
        key = known.get(ch)
        if key is None:
            key = _vi_char_key(ch)
            if len(known) < 4096:
                known[ch] = key
        letters.append(key[0])
        tones.append(key[1])
    return tuple(letters), tuple(tones)
