"""The garbage collector and the event loop: start-up's objects set aside, full passes deferred.

A full collection walks every tracked object while holding the interpreter, whichever thread
triggered it, so the event loop waits for it. Measured with bench/loop_lag.py --debug (10,000
units): a started bot holds ~150,000 objects (modules, classes, catalogs, handlers), and a
10,000-row import in a worker thread made the collector walk them all several times — stalls of
100-400 ms. Two things keep those passes short:

- `freeze_startup_objects()`: objects made during start-up live as long as the process, so they
  are moved out of the collector's sight (`gc.freeze`); a start-up leaves no cyclic garbage to
  pin (a collection at that point finds none), and acyclic objects are still freed when let go.
- `enable_after_imports()`: `python -m bot` imports with the collector off (bot/__main__.py),
  which leaves every object the imports made (~200,000) in the youngest generation: turning
  the collector back on as is made its next two passes walk them all (~270 ms of CPU before
  the first answer, on Debian's optimized 3.11). They are set aside first, like start-up's.
- `bulk()`: while a worker thread builds something big (an import's rows, an after-import
  evaluation, a broadcast's pushes, the standings), full passes wait — they would walk all of
  it only to find it alive. When the last bulk job ends its objects are gone, and the next full
  pass walks the rest. Young generations are still collected meanwhile, and a full pass is never
  held off longer than `MAX_DEFER_SECONDS`.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_DEFER_SECONDS = 120.0  # a full pass may wait this long at most, even if bulk work goes on
_NEVER = 2**30  # gen1 collections between two full passes: none while deferred

_frozen = False
_lock = threading.Lock()
_active = 0  # bulk jobs running now
_saved: int | None = None  # the full pass's threshold while deferred
_since = 0.0  # when the deferral began (time.monotonic)


def freeze_startup_objects() -> bool:
    """Set aside every object alive now, the first time a process asks (later calls do nothing,
    so that tests building many applications in one process do not pin each other's garbage);
    returns whether this call did. (Not counted: `gc.get_freeze_count()` walks them all, ~20 ms
    before the first answer.)"""
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.freeze()
    return True


def enable_after_imports() -> None:
    """Turn the collector back on once a command's modules are imported, setting aside what the
    imports made (modules, classes, functions: they live as long as the process; the few
    hundred garbage cycles the imports leave, ~0.2 MiB, stay with them)."""
    gc.freeze()
    gc.enable()


def _restore() -> None:
    """Full passes allowed again (call with _lock held)."""
    global _saved
    if _saved is not None:
        first, second, _ = gc.get_threshold()
        gc.set_threshold(first, second, _saved)
        _saved = None


def _watch(phase: str, info: dict[str, int]) -> None:
    """gc.callbacks: end a deferral that has lasted too long. Never waits for the lock: the
    collection may run inside bulk()'s own locked block (a later one looks again)."""
    if _saved is not None and phase == "start" and time.monotonic() - _since > MAX_DEFER_SECONDS:
        if _lock.acquire(blocking=False):
            try:
                _restore()
            finally:
                _lock.release()


@contextmanager
def bulk() -> Iterator[None]:
    """Defer the collector's full passes while the block runs (nestable, any thread)."""
    global _active, _saved, _since
    with _lock:
        _active += 1
        if _active == 1 and _saved is None:
            first, second, third = gc.get_threshold()
            if third < _NEVER:
                _saved, _since = third, time.monotonic()
                gc.set_threshold(first, second, _NEVER)
                if _watch not in gc.callbacks:
                    gc.callbacks.append(_watch)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _restore()


def deferring() -> bool:
    """Whether full passes are being held off right now."""
    return _saved is not None
