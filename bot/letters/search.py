"""Retrieval over the letters' passages: BM25 on syllables and syllable pairs (folded, and with
diacritics where the question has them), the domain's synonyms, and a confidence score. Fields
are weighted: the passage, its opening words (an item names who must act first), its heading,
its footnotes and its letter's subject and issuer.

A few hundred passages fit in memory; the index is rebuilt when the library changes. The
confidence of a hit is the share of the question's content (weighted by rarity: a word no
letter uses weighs most) that the passage has, as typed or in other words; below THRESHOLD
the bot says the letters do not cover the question.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.letters import synonyms as vocab
from bot.letters.tokens import (
    Tok,
    document_number,
    document_tokens,
    english_table,
    index_terms,
    is_english,
    is_stop,
    is_vietnamese_syllable,
    period_words,
    phrase,
    query_term,
    query_terms,
    question_tokens,
    tokenize,
)

K1 = 1.2
B = 0.75
SYNONYM_WEIGHT = 0.6  # a span found in other words scores this share of its best wording
RELATED_WEIGHT = 0.35
SYNONYM_CREDIT = 0.8  # … and counts this much towards the confidence
RELATED_CREDIT = 0.7
HEADING_WEIGHT = 0.6
FOOTNOTE_WEIGHT = 0.5
LETTER_WEIGHT = 0.25  # the letter's subject and issuer, on every passage of it
LEAD_WEIGHT = 0.5  # a passage's opening words again: who must act, or what it is about
LEAD_WORDS = 8  # (weight and length tuned on the tuning questions of bench/letters_qa.py)
ASKED_WEIGHT = 0.15  # the questions known to be answered by a passage (ranking.py)
UNKNOWN_WEIGHT = 1.5  # a word no letter uses, in the confidence
THRESHOLD = 0.55  # calibrated on bench/letters_qa.py (tuning questions)
SECOND_RATIO = 0.8  # a second passage is shown when it scores this close to the first
MAX_QUESTION_CHARS = 500
NUMBER_WEIGHT = 4.0
STOP_PAIR_WEIGHT = 0.5  # a pair with a function word ('được ký') says less than 'ký thay'


@cache
def _groups() -> tuple[tuple[tuple[Tok, ...], ...], ...]:
    """Synonym groups as token phrases."""
    return tuple(tuple(phrase(p) for p in group) for group in vocab.SYNONYMS)


@cache
def _related() -> tuple[tuple[tuple[Tok, ...], tuple[tuple[Tok, ...], ...]], ...]:
    """Related wordings as token phrases."""
    return tuple((phrase(key), tuple(phrase(p) for p in ps)) for key, ps in vocab.RELATED)


@dataclass(frozen=True)
class Document:
    """A passage to index: its id, its letter and its texts."""

    key: int
    letter: int
    text: str
    heading: str = ""
    footnotes: str = ""
    letter_text: str = ""  # the letter's subject and issuer
    asked: str = ""  # questions known to be answered by it, as the index reads them
    place: str = ""  # its place in the letter ("item:2"): the pieces of a long item share it


@dataclass(frozen=True)
class Expansion:
    """Other wordings of a span of the question, each as the terms it must have."""

    span: range
    phrases: tuple[tuple[str, ...], ...]
    weight: float  # in the score
    credit: float  # in the confidence, when the passage has one of the wordings


@dataclass(frozen=True)
class Query:
    """A question ready to score."""

    tokens: tuple[Tok, ...]
    terms: tuple[tuple[str, range], ...]
    stop_pairs: tuple[bool, ...]  # per term: a pair with a stopword in it
    units: tuple[tuple[str, range], ...]
    expansions: tuple[Expansion, ...]
    off_topic: tuple[range, ...] = ()  # money, pay, leave: what directive letters never cover


@dataclass(frozen=True)
class Hit:
    """A passage that matches, its BM25 score and how much of the question it covers."""

    key: int
    letter: int
    score: float
    confidence: float


@dataclass
class LetterIndex:
    """BM25 over the passages of the active letters."""

    documents: Sequence[Document]
    tf: list[dict[str, float]] = field(init=False)
    df: Counter[str] = field(init=False)
    lengths: list[float] = field(init=False)
    vocabulary: list[str] = field(init=False)

    def __post_init__(self) -> None:
        """Count terms once."""
        self.tf, self.lengths, self.df = [], [], Counter()
        self.postings: dict[str, list[int]] = {}
        self._bm25: dict[str, dict[int, float]] = {}
        for doc in self.documents:
            counts: dict[str, float] = {}
            for text, weight in (
                (doc.text, 1.0),
                (doc.heading, HEADING_WEIGHT),
                (doc.footnotes, FOOTNOTE_WEIGHT),
                (doc.letter_text, LETTER_WEIGHT),
                (_lead(doc.text), LEAD_WEIGHT),
                (period_words(f"{doc.heading} {doc.text}"), HEADING_WEIGHT),
                (doc.asked, ASKED_WEIGHT),
            ):
                for term in index_terms(document_tokens(text)) if text else ():
                    counts[term] = counts.get(term, 0.0) + weight
            for term in counts:
                self.postings.setdefault(term, []).append(len(self.tf))
            self.tf.append(counts)
            self.lengths.append(sum(counts.values()) / 2)  # folded and accented: one word
            self.df.update(counts.keys())
        self.avgdl = sum(self.lengths) / len(self.lengths) if self.lengths else 1.0
        words = {t for t in self.df if "_" not in t and not t.startswith("~")}
        words.update(t.f for group in _groups() for p in group for t in p)
        self.vocabulary = sorted(words)
        self._known = (
            words
            | vocab.STOPWORDS
            | {s for source in english_table(True) for s in source}
            | {t.f for key, _ in _related() for t in key}
        )

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency (a term in no passage gets the highest)."""
        n = len(self.documents)
        df = self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _correct(self, token: Tok, english: bool = False) -> list[Tok]:
        """A typed token that no Vietnamese syllable spells: split run-together syllables
        ('kyso'), or fix a typo ('trnh' → 'trinh'). Real words the letters lack stay, and so
        do the English words of an English question ('pays' is not a typo of 'pass')."""
        word = token.f
        if word in self._known or is_vietnamese_syllable(word) or len(word) < 3 or english:
            return [token]
        for cut in range(2, len(word) - 1):
            left, right = phrase(word[:cut]), phrase(word[cut:])
            if (
                len(left) == len(right) == 1
                and left[0].f in self._known
                and right[0].f in self._known
                and is_vietnamese_syllable(right[0].f)
            ):
                return [Tok(left[0].f), Tok(right[0].f)]
        candidates = process.extract(
            word, self.vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None
        )
        if not candidates:
            return [token]
        # A missing letter is the likeliest typo ('trnh' → 'trinh', not 'tênh'); then the
        # commoner word.
        best = min(candidates, key=lambda c: (not _subsequence(word, c[0]), -self.df.get(c[0], 0)))
        return [Tok(best[0])]

    def read(self, question: str) -> list[Tok]:
        """A question's tokens: normalised, typos fixed against the letters' words."""
        question = question[:MAX_QUESTION_CHARS]
        english = is_english(tokenize(question, accents=False))
        return [w for t in question_tokens(question) for w in self._correct(t, english)]

    def query(self, question: str) -> Query:
        """Normalise a question, fix typos and add the other wordings of what it mentions."""
        tokens = self.read(question)
        expansions = tuple(_expansions(tokens))
        terms = tuple(dict.fromkeys(query_terms(tokens)))
        stop_pairs = tuple(
            len(span) == 2 and any(is_stop(tokens[i]) for i in span) for _t, span in terms
        )
        units = self._units(tokens, terms, expansions)
        off_topic = _off_topic(tokens, known_pair=lambda pair: query_term(pair) in self.df)
        return Query(tuple(tokens), terms, stop_pairs, units, expansions, off_topic)

    def _units(
        self,
        tokens: Sequence[Tok],
        terms: Sequence[tuple[str, range]],
        expansions: Sequence[Expansion],
    ) -> tuple[tuple[str, range], ...]:
        """What the question asks about, for the confidence: its content syllables, and the
        pairs of content syllables that may be words. A pair unknown to the letters whose two
        syllables both belong to words already recognised (in the letters or the synonym
        tables) straddles a word boundary ('phòng | nội vụ | Tuần Giáo') and is left out."""
        phrases = [e.span for e in expansions if len(e.span) > 1]

        def in_phrase(i: int, j: int) -> bool:
            return any(s.start <= i and j < s.stop for s in phrases)

        pairs = {span.start: term for term, span in terms if len(span) == 2}

        def word_at(i: int, j: int) -> bool:
            """Tokens i and j (adjacent) form a known word."""
            return (
                0 <= i
                and j < len(tokens)
                and (in_phrase(i, j) or (i in pairs and self.df.get(pairs[i], 0) > 0))
            )

        units = []
        for term, span in terms:
            if any(is_stop(tokens[i]) for i in span):
                continue
            if len(span) == 2:
                i, j = span.start, span.start + 1
                known = word_at(i, j)
                if not known and word_at(i - 1, i) and word_at(j, j + 1):
                    continue
            units.append((term, span))
        return tuple(units)

    def _term_scores(self, term: str) -> dict[int, float]:
        """BM25 of one term in each passage that has it (computed once per index)."""
        found = self._bm25.get(term)
        if found is None:
            idf = self.idf(term)
            found = {}
            for index in self.postings.get(term, ()):
                tf = self.tf[index][term]
                norm = K1 * (1 - B + B * self.lengths[index] / self.avgdl)
                found[index] = idf * tf * (K1 + 1) / (tf + norm)
            self._bm25[term] = found
        return found

    def scores(self, query: Query) -> dict[int, float]:
        """BM25 of the question's terms in every passage that has one; a span said in other
        words scores as the best of its wordings (at the synonym's weight), never on top of
        the span as typed. Term by term over the postings, so the cost follows the passages
        that match, not the size of the library."""
        weighted = [
            (self._term_scores(term), _term_weight(query.tokens, span, stop), span)
            for (term, span), stop in zip(query.terms, query.stop_pairs, strict=True)
        ]
        totals: dict[int, float] = {}
        for found, weight, _span in weighted:
            for index, value in found.items():
                totals[index] = totals.get(index, 0.0) + value * weight
        for expansion in query.expansions:
            inside = [
                (found, weight)
                for found, weight, span in weighted
                if expansion.span.start <= span.start and span.stop <= expansion.span.stop
            ]
            for index, best in self._best_wording(expansion).items():
                extra = expansion.weight * best * max(len(inside), 1) - sum(
                    found.get(index, 0.0) * weight for found, weight in inside
                )
                if extra > 0:
                    totals[index] = totals.get(index, 0.0) + extra
        return totals

    def _best_wording(self, expansion: Expansion) -> dict[int, float]:
        """Per passage that has one of the other wordings whole, the score of that wording's
        most telling term ('chứng thư số cá nhân' for 'token' weighs as its rarest pair, not
        as the mean that its common syllables 'số', 'thư' pull down)."""
        best: dict[int, float] = {}
        for wording in expansion.phrases:
            if not wording:
                continue
            found = [self._term_scores(term) for term in wording]
            for index in set(found[0]).intersection(*found[1:]):
                value = max(f[index] for f in found)
                if value > best.get(index, 0.0):
                    best[index] = value
        return best

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """The best passages for a question, best first."""
        if not self.documents:
            return []
        query = self.query(question)
        ranked = sorted(self.scores(query).items(), key=lambda pair: (-pair[1], pair[0]))
        return [
            Hit(self.documents[i].key, self.documents[i].letter, s, self.coverage(query, i))
            for i, s in ranked[:limit]
            if s > 0
        ]

    def coverage(self, query: Query, index: int) -> float:
        """Share of the question the passage accounts for: each content syllable and pair
        weighted by its rarity, found as typed or in other words. Inside a phrase of the
        synonym tables ('cán bộ văn phòng') only the whole phrase counts as typed: 'văn phòng'
        alone is another thing; so with money or leave ('bao nhiêu tiền' is not 'tiến độ'),
        which weighs as a word no letter uses."""
        counts = self.tf[index]
        spans = [e.span for e in query.expansions if len(e.span) > 1] + list(query.off_topic)
        broken = [
            whole
            for whole in spans
            if not all(
                term in counts
                for term, span in query.terms
                if whole.start <= span.start and span.stop <= whole.stop
            )
        ]
        # chunk → (weight, matched): an English word put in Vietnamese ("explanation" →
        # "giải trình") is one unit of the question however many syllables it became.
        parts: dict[int, tuple[float, float, float]] = {}
        for n, (unit, span) in enumerate(query.units):
            weight = self.idf(unit) * (UNKNOWN_WEIGHT if unit not in self.df else 1.0)
            if any(o.start <= span.start and span.stop <= o.stop for o in query.off_topic):
                weight = self.idf("") * UNKNOWN_WEIGHT
            whole = not any(b.start <= span.start and span.stop <= b.stop for b in broken)
            if unit in counts and whole:
                credit = 1.0
            else:
                credit = max(
                    (
                        e.credit
                        for e in query.expansions
                        if e.span.start <= span.start
                        and span.stop <= e.span.stop
                        and any(all(t in counts for t in wording) for wording in e.phrases)
                    ),
                    default=0.0,
                )
            chunk = query.tokens[span.start].chunk
            key = chunk if chunk >= 0 else -1 - n
            total, matched, top = parts.get(key, (0.0, 0.0, 0.0))
            parts[key] = (total + weight, matched + weight * credit, max(top, weight))
        total = sum(top for _w, _m, top in parts.values())
        matched = sum(top * m / w for w, m, top in parts.values() if w)
        return matched / total if total else 0.0


def _term_weight(tokens: Sequence[Tok], span: range, stop_pair: bool) -> float:
    """A pair with a function word says less; the number of a document named in the question
    ('quyết định 28', 'quy định 574') says more."""
    if stop_pair:
        return STOP_PAIR_WEIGHT
    return NUMBER_WEIGHT if len(span) == 1 and document_number(tokens, span.start) else 1.0


def _lead(text: str) -> str:
    """A passage's opening words, which name who must act or what it is about."""
    return " ".join(text.split()[:LEAD_WORDS])


def document(
    key: int,
    letter: int,
    *,
    text: str,
    heading: str = "",
    footnotes: Sequence[str] = (),
    letter_text: str = "",
    place: str = "",
) -> Document:
    """A passage as the index wants it."""
    return Document(key, letter, text, heading, " ".join(footnotes), letter_text, place=place)


def confident(hits: Sequence[Hit], threshold: float = THRESHOLD) -> list[Hit]:
    """The one or two hits worth quoting: the best if it is confident enough, and the next
    if it is nearly as good (nothing when the letters do not cover the question)."""
    if not hits or hits[0].confidence < threshold:
        return []
    chosen = [hits[0]]
    if (
        len(hits) > 1
        and hits[1].confidence >= threshold
        and hits[1].score >= SECOND_RATIO * hits[0].score
    ):
        chosen.append(hits[1])
    return chosen


@cache
def _wording_terms(wording: tuple[Tok, ...]) -> tuple[str, ...]:
    """The terms a passage must have to contain a wording."""
    return tuple(term for term, _span in query_terms(wording))


Wordings = tuple[tuple[Tok, ...], ...]


@cache
def _related_wordings() -> tuple[tuple[Wordings, Wordings], ...]:
    """Each related entry as (the wordings that trigger it, what it relates to): a key that
    is in a synonym group is triggered by the whole group ("ký thay" is "ký hộ")."""
    return tuple(
        (next((g for g in _groups() if key in g), (key,)), related) for key, related in _related()
    )


def _expansions(tokens: Sequence[Tok]) -> Iterable[Expansion]:
    """Synonyms and related wordings of each phrase of the question found in the tables."""
    starts: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        starts.setdefault(token.f, []).append(i)
    for group in _groups():
        for wording in group:
            for start in _find(tokens, wording, starts):
                others = tuple(_wording_terms(p) for p in group if p != wording)
                yield Expansion(
                    range(start, start + len(wording)), others, SYNONYM_WEIGHT, SYNONYM_CREDIT
                )
    for wordings, related in _related_wordings():
        for wording in wordings:
            for start in _find(tokens, wording, starts):
                yield Expansion(
                    range(start, start + len(wording)),
                    tuple(_wording_terms(p) for p in related),
                    RELATED_WEIGHT,
                    RELATED_CREDIT,
                )


def _off_topic(
    tokens: Sequence[Tok], known_pair: Callable[[Sequence[Tok]], bool]
) -> tuple[range, ...]:
    """Where the question asks about money, pay or leave. A one-syllable word typed without
    diacritics counts only outside the pairs the letters use: 'luong' beside 'chat' is
    'chất lượng', in 'luong cua can bo' it is pay."""
    starts: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        starts.setdefault(token.f, []).append(i)

    def in_letters_pair(i: int) -> bool:
        return any(known_pair(tokens[j : j + 2]) for j in (i - 1, i) if 0 <= j < len(tokens) - 1)

    return tuple(
        range(start, start + len(wording))
        for wording in _off_topic_phrases()
        for start in _find(tokens, wording, starts)
        if len(wording) > 1 or tokens[start].a is not None or not in_letters_pair(start)
    )


@cache
def _off_topic_phrases() -> tuple[tuple[Tok, ...], ...]:
    """The off-topic phrases as tokens."""
    return tuple(phrase(p) for p in vocab.OFF_TOPIC)


def _subsequence(short: str, long: str) -> bool:
    """Whether `short` is `long` with letters left out."""
    letters = iter(long)
    return all(ch in letters for ch in short)


def _find(tokens: Sequence[Tok], wording: Sequence[Tok], starts: dict[str, list[int]]) -> list[int]:
    """Where a wording occurs in the question (diacritics compared when both have them). A
    one-syllable wording that folds to a function word ('tải' → 'tai', as in 'tại sao') must
    be typed with its diacritics."""
    size = len(wording)
    if not size:
        return []
    return [
        i
        for i in starts.get(wording[0].f, ())
        if i + size <= len(tokens)
        and not (size == 1 and is_stop(wording[0]) and tokens[i].a is None)
        and all(
            t.f == w.f and (t.a is None or w.a is None or t.a == w.a)
            for t, w in zip(tokens[i : i + size], wording, strict=True)
        )
    ]
