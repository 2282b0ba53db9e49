"""Which free-text messages are questions for the letters (rate questions go to /tyle)."""

from __future__ import annotations

import re
from functools import cache

from bot.core.text import fold
from bot.letters import synonyms as vocab

MAX_QUESTION_CHARS = 500
_CUES = re.compile(
    r"(^|\s)(co duoc|duoc khong|co phai|phai khong|khong|chua|gi|nao|dau|ai|sao|bao nhieu|"
    r"bao gio|khi nao|the nao|lam sao|lam gi|may|hoi|cho hoi|xin hoi|phai|"
    r"what|who|when|where|why|how|which|can|may|must|should|is|are|do|does)(\s|$)"
)
# Topics of the letters: a message naming one is worth looking up even without a question word.
_TOPICS = (
    "ky so", "ki so", "chu ky so", "chung thu", "token", "usb", "mat khau", "van ban",
    "bao cao", "giai trinh", "han nop", "thoi han", "sao y", "scan", "so hoa", "van thu",
    "cong van", "nghi dinh", "quy dinh", "huong dan", "so tay dang vien", "phan mem",
    "chuyen doi so", "dieu hanh tac nghiep", "trach nhiem", "signing", "signature", "deadline",
    "report", "letter", "decree",
)  # fmt: skip


@cache
def _topics() -> tuple[str, ...]:
    """Topic phrases, folded, with the abbreviations officials use."""
    short = tuple(fold(k) for k in vocab.ABBREVIATIONS if len(k) >= 2)
    return tuple(dict.fromkeys((*_TOPICS, *short)))


def looks_like_question(text: str) -> bool:
    """A question, or a message about what the letters deal with ('han nop bao cao')."""
    text = text.strip()
    if not 3 <= len(text) <= MAX_QUESTION_CHARS:
        return False
    if text.endswith("?"):
        return True
    folded = f" {fold(text)} "
    if _CUES.search(folded.strip()):
        return True
    return any(f" {topic} " in folded for topic in _topics())
