"""The question memory as data: questions with the passage that answers them, named so that the
name survives a re-import (the letter's number and date, and the passage's place: its item label,
'intro' or 'end'), or with no passage when the letters do not cover them.

The shipped memory (bot/data/letters/questions.tsv) holds the questions the retrieval was tuned
on, for the five shipped letters. A question whose letter is not in the library (retired, or
never added) is left out; one whose letter comes back, under the same number and date, counts
again. Unanswerable questions always count.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.letters.passages import INTRO, ITEM
from bot.letters.ranking import Known

logger = logging.getLogger(__name__)

NONE = "-"  # the letter and place of a question the letters do not cover


@dataclass(frozen=True)
class Asked:
    """A known question and where its answer is: (letter number, date, place), or nowhere."""

    question: str
    letter: tuple[str, str] | None = None  # (number, ISO date or '')
    place: str = ""


@dataclass(frozen=True)
class Place:
    """A searchable passage by its lasting name, and its key in the index."""

    key: int
    number: str
    issued_on: dt.date | None
    kind: str
    label: str


def place_name(kind: str, label: str) -> str:
    """A passage's place in its letter: its item label, 'intro' or 'end'."""
    if kind == INTRO:
        return "intro"
    return label if kind == ITEM else "end"


def parse(lines: Iterable[str]) -> list[Asked]:
    """Rows 'number<TAB>date<TAB>place<TAB>question' ('-' for none); '#' lines are comments."""
    found = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        number, date, place, question = line.rstrip("\n").split("\t", 3)
        letter = None if number == NONE else (number, "" if date == NONE else date)
        found.append(Asked(question, letter, "" if place == NONE else place))
    return found


def render(asked: Sequence[Asked]) -> str:
    """The rows of `parse`, with a header comment."""
    rows = [
        "# Known questions: letter number, its date, the passage's place, the question"
        " ('-': the letters do not cover it). Written by bench/letters_qa.py --write-memory."
    ]
    for a in asked:
        number, date = a.letter or (NONE, NONE)
        rows.append(f"{number}\t{date or NONE}\t{a.place or NONE}\t{a.question}")
    return "\n".join(rows) + "\n"


@cache
def shipped() -> tuple[Asked, ...]:
    """The memory shipped with the five letters."""
    text = resources.files("bot").joinpath("data", "letters", "questions.tsv").read_text("utf-8")
    return tuple(parse(text.splitlines()))


def known(places: Sequence[Place], asked: Sequence[Asked]) -> list[Known]:
    """The known questions whose passages are in the library (each question once, with every
    passage that answers it), and every unanswerable one."""
    keys: dict[tuple[str, str, str], set[int]] = {}
    for p in places:
        date = p.issued_on.isoformat() if p.issued_on else ""
        keys.setdefault((p.number, date, place_name(p.kind, p.label)), set()).add(p.key)
    answers: dict[str, set[int]] = {}
    unanswerable: list[str] = []
    for a in asked:
        if a.letter is None:
            unanswerable.append(a.question)
        else:
            found = keys.get((*a.letter, a.place), set())
            answers.setdefault(a.question, set()).update(found)
    memory = [Known(q, frozenset(k)) for q, k in answers.items() if k]
    memory += [Known(q) for q in dict.fromkeys(unanswerable) if q not in answers]
    logger.debug("Question memory: %d of %d known questions", len(memory), len(asked))
    return memory
