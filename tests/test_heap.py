"""The garbage collector and the event loop (bot/core/heap.py): start-up's objects set aside,
full passes deferred while bulk work runs — and nothing leaks or stays switched off."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, func, select

import bot.imports.staging as staging
from bot.core import heap
from bot.core.models import Measurement
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness


class _Cycle:
    """An object in a reference cycle (only the collector frees it)."""

    def __init__(self) -> None:
        """Point at itself."""
        self.me = self


@pytest.fixture(autouse=True)
def _thresholds() -> Iterator[None]:
    """Every test leaves the collector as it found it."""
    before = gc.get_threshold()
    yield
    assert not heap.deferring()
    assert gc.get_threshold() == before


def test_bulk_defers_full_passes_and_gives_them_back() -> None:
    """Inside bulk(), no full pass happens (young ones still do); after it, the usual ones."""
    usual = gc.get_threshold()
    full: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(note)
    try:
        kept = [[i] for i in range(300_000)]
        assert full  # the same work outside bulk() calls for a full pass
        del kept
        full.clear()
        with heap.bulk():
            assert heap.deferring()
            assert gc.get_threshold()[:2] == usual[:2]
            kept = [[i] for i in range(300_000)]  # enough survivors to call for a full pass
            assert not full
        del kept
    finally:
        gc.callbacks.remove(note)
    assert gc.get_threshold() == usual


def test_bulk_nests_across_threads() -> None:
    """Two overlapping bulk jobs: full passes come back only when the last one ends."""
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with heap.bulk():
            entered.set()
            release.wait(10)

    worker = threading.Thread(target=other)
    worker.start()
    assert entered.wait(10)
    with heap.bulk():
        assert heap.deferring()
    assert heap.deferring()  # the other job still runs
    release.set()
    worker.join(10)
    assert not heap.deferring()


def test_cyclic_garbage_made_during_bulk_is_collected_after_it() -> None:
    """Deferred is not leaked: cycles dropped inside bulk() are freed by the next full pass."""
    with heap.bulk():
        cycle = _Cycle()
        gone = weakref.ref(cycle)
        del cycle
        gc.collect(1)
    gc.collect()
    assert gone() is None


def test_a_deferral_that_lasts_too_long_ends_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulk job that never ends does not switch full passes off for ever."""
    monkeypatch.setattr(heap, "MAX_DEFER_SECONDS", 0.0)
    usual = gc.get_threshold()
    with heap.bulk():
        gc.collect(0)  # any collection looks at the clock
        assert not heap.deferring()
        assert gc.get_threshold() == usual
    assert gc.get_threshold() == usual


def test_a_collection_while_the_lock_is_held_does_not_wait_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A collection can start inside bulk()'s own locked block (any allocation may trigger
    it): the overdue check then skips instead of waiting for a lock its own thread holds."""
    monkeypatch.setattr(heap, "MAX_DEFER_SECONDS", 0.0)
    with heap.bulk():
        with heap._lock:
            gc.collect(0)
            assert heap.deferring()  # not ended yet: the lock was busy
        gc.collect(0)
        assert not heap.deferring()


def test_an_error_inside_bulk_gives_full_passes_back() -> None:
    """bulk() restores the collector even when the job fails."""
    with pytest.raises(RuntimeError), heap.bulk():
        raise RuntimeError("boom")
    assert not heap.deferring()


def test_a_started_bot_has_set_its_start_up_objects_aside(bot: Harness) -> None:
    """After the application started, its modules and handlers are out of the collector's
    sight (a full pass walks only what was made since), once per process."""
    assert gc.get_freeze_count() > 10_000
    assert heap.freeze_startup_objects() is False  # already done: later calls pin nothing


async def test_an_import_reads_and_writes_with_full_passes_deferred(
    bot: Harness, shared_tsv: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 10,000-row work of an import (preview, confirm, the listeners) runs as bulk work;
    the figures are previewed and written as before, and the collector is back to normal."""
    seen: list[bool] = []
    stage, confirm = staging.stage_upload, staging.confirm_pending

    def staged(**kwargs: Any) -> Any:
        seen.append(heap.deferring())
        return stage(**kwargs)

    def confirmed(**kwargs: Any) -> Any:
        seen.append(heap.deferring())
        return confirm(**kwargs)

    monkeypatch.setattr("bot.imports.staging.stage_upload", staged)
    monkeypatch.setattr("bot.imports.staging.confirm_pending", confirmed)
    texts = await bot.send_document(ADMIN_ID, shared_tsv, SHARED_NAME, language_code="en")
    assert "104" in texts[-1]
    ok = [data for label, data in bot.last_keyboard() if data.startswith("imp:ok:")]
    texts = await bot.press(ADMIN_ID, ok[0], language_code="en")
    assert any("104" in text for text in texts), texts
    with Session(bot.engine) as session:
        assert session.exec(select(func.count()).select_from(Measurement)).one() == 104
    assert seen == [True, True]
    assert not heap.deferring()
