"""Recognising free-text questions people type instead of commands."""

from __future__ import annotations

import re

from bot.core.text import fold

_RATE_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\bt[yi] le\b.*\bky so\b",
        r"\bky so\b.*\b(bao nhieu|the nao|cua toi|don vi toi|minh)\b",
        r"\b(don vi|xa|phuong) (toi|minh)\b.*\bky so\b",
        r"\bky so\b.*\bt[yi] le\b",
        r"\bsigning rate\b",
        r"\b(rate|percent|percentage)\b.*\bsign",
        r"\bsign\w*\b.*\b(rate|percent|percentage)\b",
        r"^\s*t[yi] le\s*$",
    )
)


def is_rate_question(text: str) -> bool:
    """True for 'tỷ lệ ký số của tôi', 'ty le ky so', 'what is my signing rate' and the like."""
    folded = fold(text)
    return any(p.search(folded) for p in _RATE_PATTERNS)
