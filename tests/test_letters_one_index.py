"""One letters' search index per process: a question asked in chat and a citation ending a
report (or start-up's look-up of the reports' citations) share it, whichever comes first."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.core.db import session_scope, stored_id
from bot.core.models import Letter, Role
from bot.core.stats import StandingsCache
from bot.letters import answers
from bot.letters.service import load_shipped, retire_letter
from tests.conftest import Harness

HEAD = 9101  # Đảng ủy xã Nguyễn Văn Linh: 23/40 = 57.5 %, so /tyle cites the report's rule
QUESTION = "han nop bao cao giai trinh"
HUNG_YEN = "Công văn số …-CV/TU tháng 06/2026 của Ban Thường vụ Tỉnh ủy Hưng Yên"
ANSWER = f"📄 <b>{HUNG_YEN}, mục 3</b>"
REPORT_BASIS = f"📜 Căn cứ: {HUNG_YEN}, mục 3"


@pytest.fixture
def builds(loaded: Harness, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The five shipped letters loaded, a head below 80 %; every index built is counted (its
    number of passages)."""
    with session_scope(loaded.engine) as session:
        load_shipped(session=session)
    loaded.link(HEAD, "Nguyễn Văn Linh", Role.HEAD)
    built: list[int] = []
    real = answers.build_index

    def counted(sources: list[answers.SourcePassage]) -> answers.LetterIndex:
        """The real index, counted."""
        built.append(len(sources))
        return real(sources)

    monkeypatch.setattr(answers, "build_index", counted)
    return built


async def ask_and_cite(h: Harness, question_first: bool) -> None:
    """A question answered from the letters and a /tyle that cites one, in either order."""

    async def ask() -> None:
        (reply,) = await h.send(HEAD, QUESTION)
        assert reply.startswith(ANSWER)

    async def cite() -> None:
        (rate,) = await h.send(HEAD, "/tyle")
        assert "23/40" in rate and rate.splitlines()[-1] == REPORT_BASIS

    for step in (ask, cite) if question_first else (cite, ask):
        await step()


@pytest.mark.parametrize("question_first", [True, False])
async def test_a_question_and_a_citation_build_the_index_once(
    loaded: Harness, builds: list[int], question_first: bool
) -> None:
    """Whichever comes first, the question or the citation builds the index; the other uses it."""
    await ask_and_cite(loaded, question_first)
    assert len(builds) == 1 and builds[0] > 0
    await ask_and_cite(loaded, not question_first)
    assert len(builds) == 1


async def test_start_up_builds_the_index_the_first_question_uses(
    loaded: Harness, builds: list[int]
) -> None:
    """Start-up's worker thread looks up the reports' citations, building the index (lazily:
    building the application builds none); the first question is answered from that index."""
    from bot.app import WARMING

    assert builds == []  # the application is built and initialised: no index yet
    loaded.app.bot_data.runtime.standings = StandingsCache()  # as after a restart
    await loaded.app.post_init(loaded.app)
    await asyncio.gather(*WARMING)
    assert len(builds) == 1
    (reply,) = await loaded.send(HEAD, QUESTION)
    assert reply.startswith(ANSWER)
    (rate,) = await loaded.send(HEAD, "/tyle")
    assert rate.splitlines()[-1] == REPORT_BASIS
    assert len(builds) == 1


async def test_a_retired_library_rebuilds_the_one_index_once_for_both(
    loaded: Harness, builds: list[int]
) -> None:
    """The database stays the source: once the letters are retired, the question and the
    citation both see it, from one index rebuilt once."""
    await ask_and_cite(loaded, question_first=True)
    with session_scope(loaded.engine) as session:
        for letter in session.exec(select(Letter)):
            retire_letter(session=session, letter_id=stored_id(letter.id), actor=None)
    (rate,) = await loaded.send(HEAD, "/tyle")
    assert "23/40" in rate and "Căn cứ" not in rate
    (reply,) = await loaded.send(HEAD, QUESTION)
    assert not reply.startswith("📄")
    assert builds == [builds[0], 0]
