"""Who is asking is remembered between updates, but never past a change to the database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session

import bot.core.people as people
from bot.core.db import create_db_engine, session_scope
from bot.core.lookup import find_units
from bot.core.models import AppUser, Role
from bot.core.people import Viewer, ViewerCache, link_official, set_language_preference
from bot.core.reader import _wal_index_version
from tests.conftest import Harness

OFFICIAL = 5101


@pytest.fixture
def other_process(loaded: Harness) -> Iterator[Any]:
    """An engine of its own on the bot's database, as `python -m bot link` would have."""
    engine = create_db_engine(str(loaded.engine.url.render_as_string(hide_password=False)))
    yield engine
    engine.dispose()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The telegram ids whose identity row was read from the database."""
    seen: list[int] = []
    original = people._read_viewer

    def spy(reader: Any, telegram_id: int, admin_ids: frozenset[int]) -> Viewer:
        seen.append(telegram_id)
        return original(reader, telegram_id, admin_ids)

    monkeypatch.setattr(people, "_read_viewer", spy)
    return seen


def link_elsewhere(engine: Any, unit_query: str, role: Role = Role.HEAD) -> None:
    """Link OFFICIAL through another engine (another process's connections)."""
    with session_scope(engine) as session:
        unit = find_units(session=session, query=unit_query).unique
        assert unit is not None
        link_official(session=session, telegram_id=OFFICIAL, unit_id=unit.id, role=role)


async def test_a_link_made_by_another_process_is_seen_at_once(
    loaded: Harness, other_process: Any
) -> None:
    """Asked twice (the second answer from memory), relinked from the command line: the next
    /tyle answers about the new unit; made secretariat: /tyle with a name works."""
    loaded.link(OFFICIAL, "Nam Tiền Hải")
    for _ in range(2):
        (text,) = await loaded.send(OFFICIAL, "/tyle")
        assert "Nam Tiền Hải" in text
    link_elsewhere(other_process, "Phường Thái Bình")
    (text,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Thái Bình" in text and "Nam Tiền Hải" not in text
    link_elsewhere(other_process, "Tây Thụy Anh", Role.SECRETARIAT)
    (text,) = await loaded.send(OFFICIAL, "/tyle Nam Tiền Hải")
    assert "Nam Tiền Hải" in text


async def test_a_language_set_elsewhere_is_seen_at_once(
    loaded: Harness, other_process: Any
) -> None:
    """Vietnamese, then English stored by another process: the next answer is in English."""
    loaded.link(OFFICIAL, "Nam Tiền Hải")
    (vi,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Xếp hạng" in vi
    with session_scope(other_process) as session:
        set_language_preference(session=session, telegram_id=OFFICIAL, language="en")
    (en,) = await loaded.send(OFFICIAL, "/tyle")
    assert "Rank" in en


async def test_marked_unreachable_by_the_sender_then_writing_makes_them_reachable(
    loaded: Harness, other_process: Any
) -> None:
    """The sender found them blocked after their last question; they write again: reachable."""
    loaded.link(OFFICIAL, "Nam Tiền Hải")
    await loaded.send(OFFICIAL, "/tyle")
    with session_scope(other_process) as session:
        session.exec(
            update(AppUser).where(AppUser.telegram_id == OFFICIAL).values(reachable=False)  # type: ignore[arg-type]
        )
    await loaded.send(OFFICIAL, "/tyle")
    with Session(loaded.engine) as session:
        user = session.get(AppUser, OFFICIAL)
        assert user is not None and user.reachable


async def test_nothing_changed_no_query(loaded: Harness, reads: list[int]) -> None:
    """The identity row is read once while nothing is committed, again after any commit."""
    if loaded.app.bot_data.runtime.reader.version() is None:
        pytest.skip("kept only where a change can be noticed without a query (SQLite)")
    loaded.link(OFFICIAL, "Nam Tiền Hải")
    for _ in range(3):
        await loaded.send(OFFICIAL, "/tyle")
    assert reads == [OFFICIAL]
    loaded.link(OFFICIAL, "Phường Thái Bình")
    (text,) = await loaded.send(OFFICIAL, "/tyle")
    assert reads == [OFFICIAL, OFFICIAL] and "Thái Bình" in text


def test_the_cache_is_bounded_and_forgets_everything_on_a_new_version() -> None:
    """At most `limit` people, least recently asked out first; a new version empties it."""
    cache = ViewerCache(limit=2)
    rows = {
        t: Viewer(
            telegram_id=t,
            language=None,
            unit_id=None,
            unit_name=None,
            role=None,
            is_secretariat=False,
            revision=1,
        )
        for t in (1, 2, 3)
    }
    assert cache.get(7, 1) is None
    for t in (1, 2):
        cache.put(7, rows[t])
    assert cache.get(7, 1) == rows[1]  # 1 is now the most recent
    cache.put(7, rows[3])
    assert len(cache) == 2 and cache.get(7, 2) is None and cache.get(7, 3) == rows[3]
    cache.put(6, rows[2])  # read before a newer version was seen: not kept
    assert cache.get(8, 1) is None and len(cache) == 0


def test_the_data_version_is_read_without_a_query_and_sees_other_processes(
    loaded: Harness, other_process: Any
) -> None:
    """In WAL mode the version comes from the WAL index's header (no statement, no lock), and
    it still changes when another process commits, and only then."""
    reader = loaded.app.bot_data.runtime.reader
    first = reader.version()
    if first is None:
        pytest.skip("kept only where a change can be noticed without a query (SQLite)")
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    try:
        before = reader.version()
        assert reader.version() == before and statements == []
        link_elsewhere(other_process, "Nam Tiền Hải")
        after = reader.version()
        assert after is not None and after != before and statements == []
        assert reader.version() == after
    finally:
        reader._connection().set_trace_callback(None)


def test_a_wal_index_header_being_rewritten_is_no_version(tmp_path: Path) -> None:
    """Two copies that differ (a commit is rewriting them) or a short file give no version, so
    nothing kept is trusted; equal copies give one."""
    shm = tmp_path / "kyso.db-shm"
    header = bytes(range(48))
    for content, expected in (
        (header + header + bytes(40), int.from_bytes(header, "little")),
        (header + bytes(48) + bytes(40), None),
        (header, None),
    ):
        shm.write_bytes(content)
        index = os.open(shm, os.O_RDONLY)
        try:
            assert _wal_index_version(index) == expected
        finally:
            os.close(index)
