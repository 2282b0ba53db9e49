"""Answering a question from the letters: search, then short quotes with their citations."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot.core.text import fold
from bot.letters import asked
from bot.letters.passages import SUPERSCRIPTS
from bot.letters.ranking import Ranker
from bot.letters.search import Hit, LetterIndex, Query, confident, document
from bot.letters.service import SourcePassage, active_passages, library_version
from bot.letters.tokens import is_stop, tokenize

logger = logging.getLogger(__name__)

QUOTE_CHARS = 300  # about three short lines on a phone
DECREE_CHARS = 220
SECOND_SCORE = 0.85  # a second passage is quoted when it scores this close to the first…
SECOND_COVER = 0.05  # …and covers the question (nearly) as well
KEEP_SHARE = 0.5  # a clause is quoted beside the best one when it is this relevant
SYNONYM_SHARE = 0.5  # the question's synonyms count this much when picking clauses
# Below the confidence threshold, passages this close are offered as "the closest" (never as
# the answer): chosen by the bench's cross-validation on the tuning questions (--cv).
NEAR_FLOOR = 0.3
NEAR_COUNT = 2
NEAR_CHARS = 140
_CLAUSE = re.compile(r"(?<=[.;!?])\s+(?=\S)")
_LEGAL = re.compile(
    r"(?:(?:[Đđ]iểm\s+[a-zđ]\s+)?(?:[Kk]hoản\s+\d+\s+)?(?:[Đđ]iều\s+\d+\s+)?"
    r"(?:[Mm]ục\s+\d+,?\s+)?(?:[Pp]hần\s+[IVX]+,?\s+)?)"
    r"(?:Luật|Nghị định|Nghị quyết|Quyết định|Thông tư|Chỉ thị|Hướng dẫn|Quy định)"
    r"\s+(?:số\s+)?\d[\w/.\-]*\w"
)
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPTS)


@dataclass(frozen=True)
class Quote:
    """One passage to show: where it is from, the words, the decrees it rests on."""

    source: SourcePassage
    excerpt: str
    decrees: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What the bot answers: quotes, or nothing (the letters do not cover the question)."""

    quotes: tuple[Quote, ...] = ()
    empty_library: bool = False
    hits: tuple[Hit, ...] = ()
    nearby: tuple[Quote, ...] = ()  # no confident answer: the closest passages, if any


@dataclass
class Library:
    """The search index over the active letters, rebuilt when the library changes."""

    _version: tuple[Any, ...] | None = None
    _index: LetterIndex | None = None
    _ranker: Ranker | None = None
    _sources: dict[int, SourcePassage] = field(default_factory=dict)
    _memo: dict[Hashable, object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def index(self, session: Session) -> tuple[LetterIndex, dict[int, SourcePassage]]:
        """The current index (one cheap query to check it is up to date)."""
        version = library_version(session=session)
        with self._lock:
            if self._index is None or version != self._version:
                sources = active_passages(session=session)
                self._index = build_index(sources)
                self._ranker = None  # built on the first question
                self._sources = {s.passage.id: s for s in sources if s.passage.id is not None}
                self._version = version
                self._memo = {}
                logger.info("Letters index built: %d passages", len(sources))
            return self._index, self._sources

    def remembered(
        self,
        session: Session,
        key: Hashable,
        compute: Callable[[LetterIndex, dict[int, SourcePassage]], object],
    ) -> object:
        """`compute(index, sources)`, kept until the library changes."""
        index, sources = self.index(session)
        with self._lock:
            if self._index is index and key in self._memo:
                return self._memo[key]
        value = compute(index, sources)
        with self._lock:
            if self._index is index:
                self._memo[key] = value
        return value

    def ranker(self, session: Session) -> tuple[Ranker, dict[int, SourcePassage]]:
        """The current index with the question memory of its letters."""
        index, sources = self.index(session)
        with self._lock:
            ranker = self._ranker
        if ranker is None or ranker.index is not index:
            ranker = build_ranker(index, sources)
            with self._lock:
                if self._index is index:
                    self._ranker = ranker
        return ranker, sources


def build_ranker(index: LetterIndex, sources: dict[int, SourcePassage]) -> Ranker:
    """The index with the shipped question memory of the letters it has."""
    places = [
        asked.Place(key, s.letter.number, s.letter.issued_on, s.passage.kind, s.passage.label)
        for key, s in sources.items()
    ]
    return Ranker(index, asked.known(places, asked.shipped()))


def build_index(sources: list[SourcePassage]) -> LetterIndex:
    """Index stored passages."""
    documents = []
    for source in sources:
        letter, passage = source.letter, source.passage
        assert passage.id is not None and letter.id is not None
        documents.append(
            document(
                passage.id,
                letter.id,
                text=passage.text,
                heading=passage.heading,
                footnotes=passage.footnotes,
                letter_text=f"{letter.title} {letter.issuer}",
                place=f"{passage.kind}:{passage.label}",
            )
        )
    return LetterIndex(documents)


def ask(*, session: Session, library: Library, question: str) -> Answer:
    """Search the letters and pick what to quote."""
    ranker, sources = library.ranker(session)
    if not sources:
        return Answer(empty_library=True)
    index = ranker.index
    hits = ranker.search(question, limit=3)
    chosen = confident(hits)
    if len(chosen) > 1 and not (
        chosen[1].score >= SECOND_SCORE * chosen[0].score
        and chosen[1].confidence >= chosen[0].confidence - SECOND_COVER
    ):
        chosen = chosen[:1]
    query = index.query(question)
    quotes = tuple(quote(sources[h.key], query, index) for h in chosen)
    near = [] if chosen else closest(hits)
    nearby = tuple(quote(sources[h.key], query, index, NEAR_CHARS) for h in near)
    return Answer(quotes=quotes, hits=tuple(hits), nearby=nearby)


def closest(hits: Sequence[Hit]) -> list[Hit]:
    """Below the confidence to answer: the hits close enough to offer as the closest."""
    return [h for h in hits[:NEAR_COUNT] if h.confidence >= NEAR_FLOOR]


def _words(text: str) -> set[str]:
    """Folded syllables of a text."""
    return {t.f for t in tokenize(text, accents=False)}


def excerpt(text: str, wanted: dict[str, float], limit: int = QUOTE_CHARS) -> str:
    """The sentences or clauses of a passage that answer, within `limit` characters: the most
    relevant one, then its neighbours that are nearly as relevant."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    clauses = _CLAUSE.split(text)
    scores = [sum(w for word, w in wanted.items() if word in _words(c)) for c in clauses]
    best = max(range(len(clauses)), key=lambda i: (scores[i], -i))
    keep = [i for i, score in enumerate(scores) if score >= KEEP_SHARE * scores[best]]
    chosen = [best]
    size = len(clauses[best])
    for i in sorted(keep, key=lambda j: (abs(j - best), j)):
        if i != best and size + 1 + len(clauses[i]) <= limit:
            chosen.append(i)
            size += 1 + len(clauses[i])
    chosen.sort()
    pieces: list[str] = []
    for position, i in enumerate(chosen):
        if position and chosen[position - 1] != i - 1:
            pieces.append("…")
        pieces.append(clauses[i])
    body = " ".join(pieces)
    if len(body) > limit:
        body = _window(body, wanted, limit)
    prefix = "… " if chosen[0] > 0 and not body.startswith("…") else ""
    suffix = " …" if chosen[-1] < len(clauses) - 1 and not body.endswith("…") else ""
    return prefix + body + suffix


def _window(text: str, wanted: dict[str, float], limit: int) -> str:
    """A stretch of one long sentence around its first matching word."""
    words = text.split()
    hits = [i for i, w in enumerate(words) if _words(w) & set(wanted)]
    first = hits[0] if hits else 0
    start = 0 if len(" ".join(words[:first])) < limit // 2 else first - 5
    out: list[str] = []
    for word in words[start:]:
        if len(" ".join([*out, word])) > limit - 4:
            break
        out.append(word)
    return ("… " if start else "") + " ".join(out) + " …"


def decrees(source: SourcePassage, shown: str) -> tuple[str, ...]:
    """The legal basis the passage cites: its footnotes, and decrees named in what is not
    quoted."""
    found: list[str] = []
    for note in source.passage.footnotes:
        mark, _sep, body = note.partition(". ")
        text = (body if mark.isdigit() else note).rstrip(" .;")
        if len(text) > DECREE_CHARS:
            text = text[: DECREE_CHARS - 1].rsplit(" ", 1)[0] + " …"
        found.append(f"{mark.translate(_TO_SUPERSCRIPT)} {text}" if mark.isdigit() else text)
    for match in _LEGAL.finditer(source.passage.text):
        ref = match.group(0)
        if ref not in shown and not any(ref in f for f in found):
            found.append(ref)
    return tuple(dict.fromkeys(found))


def quote(
    source: SourcePassage, query: Query, index: LetterIndex, limit: int = QUOTE_CHARS
) -> Quote:
    """A passage cut to what answers the question (`limit` characters), with its legal
    basis."""
    wanted: dict[str, float] = {}
    for expansion in query.expansions:
        for wording in expansion.phrases:
            for term in wording:
                word = fold(term.lstrip("~").rstrip("0123456789"))
                if "_" not in term and word.isalnum():
                    wanted[word] = SYNONYM_SHARE * index.idf(word)
    for token in query.tokens:
        if not is_stop(token) and token.f.isalnum():
            wanted[token.f] = index.idf(token.f)
    shown = excerpt(source.passage.text, wanted, limit)
    return Quote(source=source, excerpt=shown, decrees=decrees(source, shown))
