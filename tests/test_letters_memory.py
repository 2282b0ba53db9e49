"""The question memory: questions asked before teach the search where their answers are, a
near-duplicate of a question the letters do not cover stays unanswered, and the memory follows
the library (a retired letter's questions are ignored, a re-added letter's count again)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.core.db import session_scope
from bot.core.models import Letter, LetterStatus
from bot.letters import asked
from bot.letters.answers import Library, ask
from bot.letters.ranking import MEMORY_FLOOR, NEIGHBOURS, Known, Ranker, normal
from bot.letters.search import confident
from bot.letters.service import load_shipped, retire_letter
from tests.conftest import database_url
from tests.letters_kit import docx_letter, letters_database, library_with, shipped_index

DONG_THAP = "dong-thap-ubnd-kgvx-2026-chu-ky-so-cong-vu.txt"
HUNG_YEN = "hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt"


def _keys(places: dict[int, tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The key of each (file, label)'s first passage."""
    keys: dict[tuple[str, str], int] = {}
    for key in sorted(places):
        keys.setdefault(places[key], key)
    return keys


INDEX, PLACES = shipped_index()
KEYS = _keys(PLACES)


def test_a_question_like_one_answered_before_finds_that_answer() -> None:
    """Words no letter uses ('chìa khóa phòng máy') are answered once a question in those words
    is known; without the memory the bot says the letters do not cover it."""
    question = "ai giu chia khoa phong may chu ky so cua so"
    rule = KEYS[(DONG_THAP, "1")]
    assert not confident(Ranker(INDEX).search(question))
    taught = Ranker(INDEX, [Known("ai giu chia khoa phong may ky so cua so", frozenset({rule}))])
    chosen = confident(taught.search(question))
    assert chosen and chosen[0].key == rule


def test_a_near_duplicate_of_an_unanswerable_question_stays_unanswered() -> None:
    """A question known to be outside the letters keeps a rewording of it unanswered, even
    where the passages alone would have answered."""
    question = "phan mem ky so van ban dien tu"
    assert confident(Ranker(INDEX).search(question))
    known = [Known("phan mem ky so van ban dien tu nao tot")]
    assert not confident(Ranker(INDEX, known).search(question))


def test_without_known_questions_it_is_the_passage_search() -> None:
    """A new letter nobody has asked about: the same passages, in the same order."""
    question = "han nop bao cao giai trinh"
    plain = [h.key for h in INDEX.search(question)]
    assert [h.key for h in Ranker(INDEX).search(question)] == plain
    assert plain[0] == KEYS[(HUNG_YEN, "3")]


def test_a_new_letter_answers_its_own_question_over_old_questions_alike() -> None:
    """A letter added after the memory was written: a question in its words is answered from
    it, though known questions about an older letter's rule look alike; and the old letter's
    known question is still answered from the old letter."""
    index, places, named = library_with({"bac-ninh.docx": docx_letter()})
    ranker = Ranker(index, asked.known(named, asked.shipped()))
    question = "van thu co duoc giu ho thiet bi ky so cua lanh dao khong"
    votes, _unanswered = ranker.votes(" ".join(t.f for t in index.read(question)))
    voted = {places[index.documents[i].key] for i in votes}
    assert (DONG_THAP, "1") in voted  # old questions alike point to Đồng Tháp's rule
    (first, *_rest) = confident(ranker.search(question))
    assert places[first.key] == ("bac-ninh.docx", "2.a")
    (old, *_rest) = confident(ranker.search("van thu co duoc ky thay bi thu khi di vang khong"))
    assert places[old.key] == (DONG_THAP, "1")


def test_rows_read_back_as_written() -> None:
    """The data file's rows: letter number, date, place, question; '-' for none."""
    rows = [
        asked.Asked("han nop bao cao giai trinh", ("…-CV/TU", "2026-06-01"), "3"),
        asked.Asked("luong bao nhieu"),
    ]
    assert asked.parse(asked.render(rows).splitlines()) == rows
    assert len(asked.shipped()) > 200


SHIPPED = Ranker(
    INDEX,
    [
        Known(a.question, frozenset({KEYS[(HUNG_YEN, "3")]}) if a.letter else frozenset())
        for a in asked.shipped()[::3]
    ],
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.sampled_from([a.question for a in asked.shipped()]))
def test_any_question_with_a_memory_is_ranked_without_crashing(question: str) -> None:
    """Whatever is typed, with known questions: ranked best first, confidences are shares."""
    hits = SHIPPED.search(question, limit=3)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0.0 <= h.confidence <= 1.0 + 1e-9 for h in hits)
    assert len({h.key for h in hits}) == len(hits)


_FULL_INDEX, _FULL_PLACES, _NAMED = library_with({})
FULL = Ranker(_FULL_INDEX, asked.known(_NAMED, asked.shipped()))
QUESTIONS = [a.question for a in asked.shipped()]


def _closest(sims: dict[int, float]) -> list[tuple[int, float]]:
    """The known questions that vote: the NEIGHBOURS most alike, from MEMORY_FLOOR up."""
    ranked = sorted(sims.items(), key=lambda pair: (-pair[1], pair[0]))[:NEIGHBOURS]
    return [(i, sim) for i, sim in ranked if sim >= MEMORY_FLOOR]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(QUESTIONS),
    st.sampled_from(QUESTIONS),
    st.integers(0, 12),
    st.integers(0, 12),
    st.text(max_size=30),
)
def test_the_pruned_memory_lookup_finds_the_votes_a_full_scan_finds(
    first: str, second: str, cut: int, keep: int, typed: str
) -> None:
    """Over the whole shipped memory, for a known question cut short, two run together, or
    with anything typed in: the known questions that vote, and how alike they are, are the
    ones a scan of every known question finds (the lookup reads only the rarer n-grams)."""
    words = first.split()
    question = " ".join([*words[:cut], typed, *words[cut + 1 :], *second.split()[:keep]])
    text = normal(_FULL_INDEX, question)
    full = FULL.memory.similarities(text)
    pruned = FULL.memory.alike(text, MEMORY_FLOOR, NEIGHBOURS)
    assert _closest(pruned) == _closest(full)
    assert all(full[i] == sim for i, sim in pruned.items())
    assert len(FULL.known) > 1000


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[object]:
    """The five letters in a database."""
    with letters_database(database_url(tmp_path, "memory")) as engine:
        yield engine


def _memory_of(library: Library, session: Session, title: str) -> int:
    """How many known questions the search holds about the letter with this subject."""
    ranker, sources = library.ranker(session)
    return sum(1 for k in ranker.known if any(sources[key].letter.title == title for key in k.keys))


def test_the_memory_follows_the_library(engine: object) -> None:
    """Retired: its known questions are ignored and nothing cites it. Added again (new ids):
    they count again and the known question is answered from it."""
    library = Library()
    question = "han nop bao cao giai trinh"
    with session_scope(engine) as session:  # type: ignore[arg-type]
        letter = session.exec(select(Letter).where(Letter.filename == HUNG_YEN)).one()
        letter_id, title = letter.id, letter.title
        before = _memory_of(library, session, title)
        answer = ask(session=session, library=library, question=question)
        assert before > 20 and answer.quotes[0].source.letter.id == letter_id
    with session_scope(engine) as session:  # type: ignore[arg-type]
        retire_letter(session=session, letter_id=letter_id, actor=1)  # type: ignore[arg-type]
    with session_scope(engine) as session:  # type: ignore[arg-type]
        assert _memory_of(library, session, title) == 0
        answer = ask(session=session, library=library, question=question)
        assert all(q.source.letter.id != letter_id for q in answer.quotes)
    with session_scope(engine) as session:  # type: ignore[arg-type]
        (again,) = load_shipped(session=session)
        assert _memory_of(library, session, title) == before
        answer = ask(session=session, library=library, question=question)
        assert answer.quotes[0].source.letter.id == again.id != letter_id
        statuses = session.exec(select(Letter.status).where(Letter.title == title)).all()
        assert sorted(statuses) == [LetterStatus.ACTIVE.value, LetterStatus.RETIRED.value]
