"""The cached standings and rendered answers: exact ranks, bounded memory, fresh after changes."""

from __future__ import annotations

import datetime as dt
import threading
from fractions import Fraction
from typing import Any

import pytest
import telegram
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Message, Update

import bot.core.stats as stats
from bot.core.db import session_scope
from bot.core.stats import RenderedCache, _rank
from bot.letters.service import load_shipped
from bot.offline import message_update
from handlers import rates
from handlers.replies import reply_lean
from tests.conftest import ADMIN_ID, Harness

OFFICIAL = 5001


def fraction_ranks(rows: list[tuple[int, str, int, int]]) -> dict[int, int | None]:
    """Competition ranks straight from exact fractions (the oracle)."""
    rated = [r for r in rows if r[3] > 0]
    ranks: dict[int, int | None] = {}
    for unit_id, _name, num, den in rows:
        if den <= 0:
            ranks[unit_id] = None
        else:
            rate = Fraction(num, den)
            ranks[unit_id] = 1 + sum(1 for r in rated if Fraction(r[2], r[3]) > rate)
    return ranks


counts = st.one_of(
    st.tuples(st.integers(0, 3000), st.integers(0, 3000)).map(lambda t: (min(t), max(t))),
    st.tuples(st.integers(0, 2**40), st.integers(0, 2**40)),  # huge and odd counts: exact too
    st.sampled_from([(1, 3), (2, 6), (33, 99), (0, 0), (5, 0), ((1 << 26) - 1, 1 << 26)]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=80))
def test_standings_rank_exactly_like_fractions(pairs: list[tuple[int, int]]) -> None:
    """The fast ranking gives every unit the rank exact fractions give it (ties share one)."""
    rows = [(n, f"u{n}", num, den) for n, (num, den) in enumerate(pairs)]
    standings, ranked = _rank(rows)
    assert {u: s.rank for u, s in standings.items()} == fraction_ranks(rows)
    assert ranked == sum(1 for r in rows if r[3] > 0)
    assert all(standings[u].numerator == num for u, _n, num, _d in rows)


def test_rendered_cache_keeps_at_most_its_limit_and_the_most_recent() -> None:
    """The least recently used text goes first; a text read again stays."""
    cache = RenderedCache(limit=3)
    for unit in range(3):
        cache.put((unit, "vi"), f"text {unit}")
    assert cache.get((0, "vi")) == "text 0"  # 0 is now the most recent
    cache.put((3, "vi"), "text 3")
    cache.put((4, "vi"), "text 4")
    assert len(cache) == 3
    assert cache.get((1, "vi")) is None and cache.get((2, "vi")) is None
    assert [cache.get((u, "vi")) for u in (0, 3, 4)] == ["text 0", "text 3", "text 4"]


async def test_answers_stay_right_when_the_cache_is_full(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking about more units than the cache keeps: every answer is still the unit's own."""
    monkeypatch.setattr(stats, "RENDERED_MAX", 2)
    names = ["Nam Tiền Hải", "Phường Thái Bình", "Tây Thụy Anh", "Nam Tiền Hải"]
    first = {}
    for name in names:
        (text,) = await loaded.send(ADMIN_ID, f"/tyle {name}")
        assert name in text
        first.setdefault(name, text)
        assert text == first[name]  # an evicted report is rendered again, identical
    snapshot = loaded.app.bot_data.runtime.standings._snapshots["ky-so"]
    assert len(snapshot.rendered) == 2


async def test_evicted_reports_come_back_with_their_citation_without_the_database(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More units asked than the cache keeps: each answer is the same, citation included, and
    once a rule's citation was looked up an evicted report is rendered again on the spot (no
    worker thread, no database) — the 10,000-unit /tyle hot path depends on it."""
    monkeypatch.setattr(stats, "RENDERED_MAX", 1)
    with session_scope(loaded.engine) as session:
        load_shipped(session=session)
    officials = {OFFICIAL: "Nguyễn Văn Linh", OFFICIAL + 1: "Quang Lịch"}
    for person, unit in officials.items():
        loaded.link(person, unit)
    answers = {p: (await loaded.send(p, "/tyle"))[0] for p in officials}
    assert all("📜 Căn cứ:" in text for text in answers.values())
    looked_up: list[int] = []
    original = rates._answer
    monkeypatch.setattr(rates, "_answer", lambda *a: looked_up.append(1) or original(*a))
    for _ in range(2):
        for person in officials:
            (again,) = await loaded.send(person, "/tyle")
            assert again == answers[person]
    assert looked_up == []


async def test_new_figures_after_an_import_are_answered_at_once(
    loaded: Harness, shared_tsv: bytes
) -> None:
    """An official asked (answer cached); a newer table is imported; the next /tyle has it."""
    loaded.link(OFFICIAL, "Nam Tiền Hải")
    (before,) = await loaded.send(OFFICIAL, "/tyle")
    assert "33/40" in before
    newer = shared_tsv.decode("utf-8").replace(
        "Đảng ủy xã Nam Tiền Hải\t40\t33\t83%", "Đảng ủy xã Nam Tiền Hải\t40\t38\t95%"
    )
    loaded.import_table(
        newer.encode("utf-8"), period_start=dt.date(2026, 6, 23), period_end=dt.date(2026, 6, 29)
    )
    (after,) = await loaded.send(OFFICIAL, "/tyle")
    assert "38/40" in after and "<b>95%</b>" in after


async def test_language_change_and_a_new_link_are_answered_at_once(loaded: Harness) -> None:
    """/ngonngu en, then /tyle: English; linked to another unit, then /tyle: that unit."""
    loaded.link(OFFICIAL, "Nam Tiền Hải")
    (vi,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Xếp hạng" in vi
    await loaded.send(OFFICIAL, "/ngonngu en")
    (en,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Rank" in en and "82.5%" in en
    loaded.link(OFFICIAL, "Phường Thái Bình")
    (other,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Thái Bình" in other and "Nam Tiền Hải" not in other


async def test_standings_are_rebuilt_off_the_event_loop(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first /tyle after a change ranks the units in a worker thread, not on the loop."""
    threads: list[threading.Thread] = []
    original = stats.StandingsCache.get

    def spy(self: stats.StandingsCache, **kwargs: Any) -> stats.Snapshot | None:
        threads.append(threading.current_thread())
        return original(self, **kwargs)

    monkeypatch.setattr(stats.StandingsCache, "get", spy)
    loaded.link(OFFICIAL, "Nam Tiền Hải")  # a change: the next answer rebuilds
    (text,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Nam Tiền Hải" in text
    assert threads and threading.main_thread() not in threads


@pytest.mark.parametrize(
    ("chat_type", "chat_id", "topic"),
    [("private", None, False), ("supergroup", -100123, False), ("supergroup", -100123, True)],
)
async def test_lean_reply_sends_what_reply_text_sends(
    bot: Harness, chat_type: str, chat_id: int | None, topic: bool
) -> None:
    """The hot path's reply is the same request as Message.reply_text (quote, topic, defaults)."""
    payload = message_update(OFFICIAL, "/tyle", chat_type=chat_type, chat_id=chat_id)
    if topic:
        payload["message"].update(message_thread_id=77, is_topic_message=True)
    message = Update.de_json(payload, bot.app.bot).effective_message
    assert message is not None
    await message.reply_text("82,5% <b>x</b>")
    await reply_lean(message, "82,5% <b>x</b>")
    classic, lean = bot.request.calls[-2:]
    assert lean.method == classic.method == "sendMessage"
    assert lean.params == classic.params


async def test_lean_reply_falls_back_to_reply_text_without_the_private_post(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PTB without `Bot._post`: the lean reply still answers, through the public reply_text."""
    message = Update.de_json(message_update(OFFICIAL, "/tyle"), bot.app.bot).effective_message
    assert message is not None
    sent: list[tuple[str, object]] = []

    async def reply_text(self: Message, text: str, reply_markup: object = None) -> None:
        sent.append((text, reply_markup))

    monkeypatch.delattr(telegram.Bot, "_post")
    monkeypatch.setattr(Message, "reply_text", reply_text)
    await reply_lean(message, "82,5%")
    assert sent == [("82,5%", None)]
