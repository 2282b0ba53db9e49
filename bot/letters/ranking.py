"""Ranking that learns from questions: BM25 over the passages (search.py) fused with a question
memory — questions already answered, each with the passages that answer it, or with none when
the letters do not cover it (data: bot/data/letters/questions.tsv, see asked.py).

The known questions help twice: their words are indexed with the passages that answer them (a
low-weight field, so a new question in the same words finds the passage), and the known
questions most like a new one (character n-gram cosine) vote for their passages, in full only
when they are near-duplicates (MEMORY_OFFSET), so a new letter whose own words match the
question is not outvoted by old questions that merely look alike. A vote counts
in the confidence only from MEMORY_SURE on; a known unanswerable question closer than any vote
lowers it. Without known questions (a new letter) this is passage retrieval alone. Weights were
chosen by cross-validation (bench/letters_qa.py --cv).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.letters.ngrams import GramIndex
from bot.letters.periods import asked_period, passage_periods, period_fit
from bot.letters.roles import NARROW, Role, amounts, fit, intents, passage_role, procedure
from bot.letters.search import Hit, LetterIndex

MEMORY_WEIGHT = 0.7  # a known question's likeness, added to the normalised BM25 of its passages
NEIGHBOURS = 3  # known questions that vote
MEMORY_FLOOR = 0.3  # known questions less alike than this do not vote
MEMORY_SURE = 0.6  # a vote this alike counts as confidence (unanswerable ones reach ~0.56)
MEMORY_OFFSET = 0.45  # a vote counts from this likeness up, in full only for the same question
UNANSWERED_PENALTY = 1.0  # confidence lost per unit an unanswerable known question is closer
ROLE_WEIGHT = 0.15  # a passage whose role fits the question's intent (roles.py), on the score
NARROW_WEIGHT = 0.3  # … for a narrow ask: where to turn, by when (roles.NARROW)
PROCEDURE_SHARE = 0.7  # a procedure question's confidence in a passage that gives no steps
AMOUNT_SHARE = 0.5  # … and an amount, contact or head-count question's in a passage without one
PERIOD_WEIGHT = 0.2  # a dated passage covering the period asked about, or another (periods.py)


@dataclass(frozen=True)
class Known:
    """A question asked before and the passages that answer it (none: not in the letters)."""

    question: str
    keys: frozenset[int] = frozenset()


def normal(index: LetterIndex, question: str) -> str:
    """A question as the index reads it: folded, typos fixed, abbreviations and English put in
    Vietnamese words."""
    return " ".join(t.f for t in index.read(question))


@dataclass
class Ranker:
    """The passages' BM25 fused with the question memory, over one library."""

    index: LetterIndex
    known: Sequence[Known] = ()
    scoring: LetterIndex = field(init=False)
    memory: GramIndex = field(init=False)
    roles: list[Role] = field(init=False)
    periods: list[frozenset[str]] = field(init=False)
    places: list[tuple[int, str]] = field(init=False)

    def __post_init__(self) -> None:
        """Keep the known questions whose passages are in the library (and the unanswerable
        ones); index their words with those passages and their n-grams for the votes."""
        docs = self.index.documents
        self.roles = [passage_role(doc.text) for doc in docs]
        self.periods = [passage_periods(f"{doc.heading} {doc.text}") for doc in docs]
        self.positions = {doc.key: i for i, doc in enumerate(docs)}
        self.places = [(doc.letter, doc.place or f"#{doc.key}") for doc in docs]
        keys = set(self.positions)
        self.known = [
            Known(k.question, k.keys & keys) for k in self.known if not k.keys or k.keys & keys
        ]
        texts = [normal(self.index, k.question) for k in self.known]
        self.memory = GramIndex(texts)
        asked: dict[int, list[str]] = {}
        for k, text in zip(self.known, texts, strict=True):
            for key in k.keys:
                asked.setdefault(key, []).append(text)
        self.scoring = self.index
        if asked:
            self.scoring = LetterIndex(
                [replace(d, asked=" . ".join(asked.get(d.key, ()))) for d in docs]
            )

    def votes(self, text: str) -> tuple[dict[int, float], float]:
        """Per passage position, the likeness of the closest known question it answered; and
        that of the closest known question nothing answers."""
        if not self.known:
            return {}, 0.0
        sims = self.memory.alike(text, MEMORY_FLOOR, NEIGHBOURS)  # the votes a full scan finds
        near = sorted(sims.items(), key=lambda pair: (-pair[1], pair[0]))[:NEIGHBOURS]
        votes: dict[int, float] = {}
        unanswered = 0.0
        for i, sim in near:
            if sim < MEMORY_FLOOR:
                continue
            known = self.known[i]
            if not known.keys:
                unanswered = max(unanswered, sim)
            for key in known.keys:
                position = self.positions[key]
                votes[position] = max(votes.get(position, 0.0), sim)
        return votes, unanswered

    def distinct(self, totals: dict[int, float]) -> list[tuple[int, float]]:
        """Positions and scores, best first, one per place of a letter: a long item split into
        pieces is offered once, by its best piece (the one quoted), so the next places offered
        are other parts of the letters. (Adding the other pieces' scores to it, at 0.1–0.5 of
        them, lost top-1 in every set of bench/letters_qa.py --cv-sets.)"""
        ranked = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
        seen: set[tuple[int, str]] = set()
        distinct = []
        for i, score in ranked:
            if self.places[i] not in seen:
                seen.add(self.places[i])
                distinct.append((i, score))
        return distinct

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """The best passages for a question, best first, with a confidence: the share of the
        question the passage's own words cover, or a close known question's likeness."""
        if not self.index.documents:
            return []
        query = self.scoring.query(question)
        bm25 = self.scoring.scores(query)
        top = max(bm25.values(), default=0.0) or 1.0
        totals = {i: s / top for i, s in bm25.items() if s > 0}
        votes, unanswered = self.votes(" ".join(t.f for t in query.tokens))
        for i, sim in votes.items():
            lift = max(sim - MEMORY_OFFSET, 0.0) / (1 - MEMORY_OFFSET)
            totals[i] = totals.get(i, 0.0) + MEMORY_WEIGHT * lift
        wanted = intents(question)
        if wanted and ROLE_WEIGHT:
            for i in totals:
                totals[i] += ROLE_WEIGHT * fit(wanted - NARROW, self.roles[i])
                totals[i] += NARROW_WEIGHT * fit(wanted & NARROW, self.roles[i])
        when = asked_period(question)
        if when and PERIOD_WEIGHT:
            for i in totals:
                totals[i] += PERIOD_WEIGHT * period_fit(when, self.periods[i])
        ranked = self.distinct(totals)[:limit]
        how = procedure(question)
        much = amounts(question)
        hits = []
        for i, score in ranked:
            vote = votes.get(i, 0.0)
            # Money, pay and leave are what the letters never cover: a known question alike in
            # its other words does not make such a question answered.
            trusted = vote if vote >= MEMORY_SURE and not query.off_topic else 0.0
            confidence = max(self.index.coverage(query, i), trusted)
            if unanswered > vote:
                confidence = max(confidence * (1 - UNANSWERED_PENALTY * (unanswered - vote)), 0.0)
            if how and not self.roles[i].steps:
                confidence *= PROCEDURE_SHARE  # the letters set rules; this asks for steps
            if much and not much & self.roles[i].amounts:
                confidence *= AMOUNT_SHARE  # asks how long, how much, a phone, a count: never says
            doc = self.index.documents[i]
            hits.append(Hit(doc.key, doc.letter, score, confidence))
        return hits
