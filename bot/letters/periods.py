"""The period a question asks about against the period a passage's figures cover: a table of
results 'từ ngày 01/11/2020 đến ngày 8/12/2020' is November's, one from 01/01/2020 the year's
(tokens.period_words reads the passage's own dates); a question names a month ('tháng 11',
'Nov 2020') or the whole year ('cả năm', 'from January to December'). Sibling tables of one
letter differ only in that."""

from __future__ import annotations

import re

from bot.letters.roles import folded_words
from bot.letters.tokens import period_words

YEAR = "year"

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
# "may" is a month only before a year ("may 2020"): otherwise it asks for permission.
_ENGLISH_MONTH = re.compile(
    r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b|\bmay (?=\d{4}\b)"
)
_WHOLE_YEAR = re.compile(
    r"\b(ca nam|tu dau nam|nam qua|(whole|full|entire|all) (the )?year|year to date"
    r"|(from )?jan(uary)? (to|through|till|until|-) dec(ember)?"
    r"|thang (0?1|mot) (den|toi|-) (thang )?12)\b"
)
_VIETNAMESE_MONTH = re.compile(r"\bthang (1[0-2]|0?[1-9])\b")
_PASSAGE = re.compile(r"(cả năm)|tháng (\d{1,2}) năm")


def asked_period(question: str) -> str:
    """The period a question names: 'year', a month's number as text, or '' for none."""
    text = " ".join(folded_words(question).lower().replace("/", " ").split())
    if _WHOLE_YEAR.search(text):
        return YEAR
    found = _VIETNAMESE_MONTH.search(text)
    if found:
        return str(int(found.group(1)))
    found = _ENGLISH_MONTH.search(text)
    if found:
        return str(_MONTHS.get(found.group(1) or "", 5))
    return ""


def passage_periods(text: str) -> frozenset[str]:
    """The periods a passage's figures cover, read from its own date ranges (none: undated)."""
    return frozenset(
        YEAR if whole else str(int(month)) for whole, month in _PASSAGE.findall(period_words(text))
    )


def period_fit(asked: str, periods: frozenset[str]) -> int:
    """+1 when a dated passage covers the period asked about, -1 when it covers another, 0 when
    either names none."""
    if not asked or not periods:
        return 0
    return 1 if asked in periods else -1
