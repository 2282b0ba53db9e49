"""The sender's pacing: Telegram's overall, per-person and per-group limits, and flood waits."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits, with headroom (see the Bot FAQ and OUTBOX_RATE_PER_SECOND)."""

    overall_per_second: float = 28.0
    private_interval: float = 1.0
    group_per_minute: int = 20
    concurrency: int = 16
    max_attempts: int = 10
    batch: int = 100


FLOOD_SLOWDOWN = 0.8  # after a 429, the overall pace times this
FLOOD_RECOVERY = 0.5  # messages/s regained per second without a 429
# A row whose chat may not receive for longer than this (a group's 20 a minute used up) goes
# back to the queue instead of holding one of the sender's workers while it waits.
DEFER_AFTER = 2.0
PRUNE_EVERY = 1024  # bookings between two sweeps of the per-chat state
TELEGRAM_PER_SECOND = 30  # Telegram's own limit, counted on when messages may have arrived
# Seconds of answers the quickest one is taken from: long enough that a stalled event loop
# (every answer handled late, so every latency looks longer) cannot make it look quicker.
LATENCY_MEMORY = 30.0
ARRIVAL_MARGIN = 0.01  # s: an answer may come this much quicker than the quickest one seen
MAX_IN_FLIGHT_AGE = 3.0  # s: a send unanswered for longer no longer counts (PTB times out at 5)


class RateGate:
    """Decides when the next message may go: overall pace, per-chat spacing, flood pauses.

    The overall pace is an even grid of 1/rate slots (a GCRA pacer): a send that wakes up a
    little late keeps the grid instead of drifting, no two sends are closer than half a slot,
    and a sliding window allows at most `overall_per_second` sends in any second.
    A chat's next message is timed from when Telegram answered the previous one, which is after
    Telegram counted it, so a slow answer cannot bring two messages too close on its side.
    """

    def __init__(
        self,
        limits: Limits,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Start with no history."""
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._per_window = max(1, math.floor(limits.overall_per_second))
        self._next_global = 0.0  # the next slot of the grid
        self._window: deque[float] = deque()  # sends in the last second
        self._paused_until = 0.0
        self._next_private: dict[int, float] = {}
        self._group_times: dict[int, deque[float]] = {}
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._lock_users: dict[int, int] = {}
        self._booked_at: dict[int, float] = {}  # chat → when its send in flight was booked
        # (answered at, latency) of the last LATENCY_MEMORY seconds as a monotonic queue: the
        # quickest answer is at its front (O(1) per send).
        self._quickest: deque[tuple[float, float]] = deque()
        self._answers: deque[float] = deque()  # when Telegram answered, the last second or so
        self._bookings = 0
        self.rate = limits.overall_per_second  # lowered after a 429, then back up
        self._last_flood = -math.inf

    def pause(self, seconds: float) -> None:
        """Telegram asked us to wait (RetryAfter): hold every send that long, and send more
        slowly afterwards (x0.8 per 429, climbing back by 0.5/s every 429-free second)."""
        now = self.clock()
        self._paused_until = max(self._paused_until, now + seconds)
        self.rate = max(1.0, self._current_rate(now) * FLOOD_SLOWDOWN)
        self._last_flood = now + seconds

    def _current_rate(self, now: float) -> float:
        """The pace now: the configured one, or lower while recovering from a 429."""
        ceiling = self.limits.overall_per_second
        if self.rate >= ceiling:
            return ceiling
        recovered = self.rate + FLOOD_RECOVERY * max(0.0, now - self._last_flood)
        if recovered >= ceiling:
            self.rate = ceiling
        return min(recovered, ceiling)

    def state_size(self) -> int:
        """How many chats the gate remembers (locks, spacing, group windows)."""
        return (
            len(self._chat_locks)
            + len(self._next_private)
            + len(self._group_times)
            + len(self._booked_at)
        )

    @contextlib.asynccontextmanager
    async def chat_lock(self, chat_id: int) -> AsyncIterator[None]:
        """Serialises sends to one chat so parts arrive in order and spaced; the lock is
        forgotten when nobody holds or awaits it."""
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = self._chat_locks[chat_id] = asyncio.Lock()
        self._lock_users[chat_id] = self._lock_users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._lock_users[chat_id] -= 1
            if not self._lock_users[chat_id]:
                del self._lock_users[chat_id], self._chat_locks[chat_id]

    def _prune(self, now: float) -> None:
        """Forget chats whose spacing has passed: memory stays bounded by recent sends."""
        self._next_private = {c: t for c, t in self._next_private.items() if t > now}
        stale = [c for c, times in self._group_times.items() if not times or times[-1] <= now - 60]
        for chat_id in stale:
            del self._group_times[chat_id]
        self._booked_at = {c: t for c, t in self._booked_at.items() if t > now - 60}

    def chat_delay(self, chat_id: int) -> float:
        """Seconds until this chat may receive again (0 if it may now)."""
        return max(0.0, self._chat_wait(chat_id, self.clock()))

    def _chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may receive again."""
        if chat_id > 0:
            return self._next_private.get(chat_id, 0.0) - now
        times = self._group_times.get(chat_id)
        if times is None or len(times) < self.limits.group_per_minute:
            return 0.0
        return times[0] + 60.0 - now

    def _window_wait(self, now: float) -> float:
        """Seconds until the last second holds fewer than the allowed number of bookings, and
        fewer than Telegram's 30 messages may have reached Telegram in any second with this one.

        A message reaches Telegram somewhere between its booking and its answer (less Telegram's
        own handling time, the quickest recent answer); when answers are slow (a busy machine, a
        stalled loop), messages booked apart can arrive together. Counting, besides the
        bookings, every send still in flight and every send answered so recently that it may
        have arrived less than a second ago keeps every second Telegram sees under its limit
        whatever the delays, and slows down only while delayed messages may still bunch
        (bench/broadcast.py: no 429).
        """
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= self._per_window:
            return window[len(window) - self._per_window] + 1.0 - now
        return self._arrival_wait(now)

    def _arrival_wait(self, now: float) -> float:
        """Seconds until fewer than Telegram's 30 sends may have arrived in the last second."""
        answers = self._answers
        while answers and answers[0] <= now - 1.0:
            answers.popleft()
        cap = max(TELEGRAM_PER_SECOND, self._per_window)  # tests and demos pace faster
        if len(answers) + len(self._booked_at) < cap or not self._recent_answers(now):
            return 0.0  # the usual case; before any answer, bookings are the measure
        quickest = max(0.0, self._quickest[0][1] - ARRIVAL_MARGIN)
        start = bisect.bisect_right(answers, now - 1.0 + quickest)
        in_flight = sum(1 for t in self._booked_at.values() if t > now - MAX_IN_FLIGHT_AGE)
        excess = len(answers) - start + in_flight + 1 - cap
        if excess <= 0:
            return 0.0
        if excess > len(answers) - start:  # sends in flight alone fill it: wait for answers
            return 1.0 / max(self._per_window, TELEGRAM_PER_SECOND)
        return answers[start + excess - 1] + 1.0 - quickest - now + 1e-6

    def _recent_answers(self, now: float) -> bool:
        """Whether Telegram answered in the last LATENCY_MEMORY seconds (the quickest of
        them is then at the front of `_quickest`)."""
        quickest = self._quickest
        while quickest and quickest[0][0] <= now - LATENCY_MEMORY:
            quickest.popleft()
        return bool(quickest)

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to `chat_id` is allowed, then book the slot."""
        while True:
            now = self.clock()
            wait = max(
                self._paused_until - now,
                self._next_global - now,
                self._chat_wait(chat_id, now),
                self._window_wait(now),
            )
            if wait <= 0:
                break
            await self.sleep(wait)
        # Keep the grid when up to half a slot late (a late wake-up must not slow the pace);
        # later than that, restart it from now: never two sends closer than half a slot.
        interval = 1.0 / self._current_rate(now)
        self._next_global = max(self._next_global + interval, now + interval - interval / 2)
        self._bookings += 1
        if self._bookings % PRUNE_EVERY == 0:
            self._prune(now)
        self._window.append(now)
        self._booked_at[chat_id] = now
        if chat_id > 0:
            self._next_private[chat_id] = now + self.limits.private_interval
        else:
            times = self._group_times.setdefault(chat_id, deque())
            times.append(now)
            while len(times) > self.limits.group_per_minute:
                times.popleft()

    def done(self, chat_id: int) -> None:
        """Telegram answered the send booked for `chat_id`: time the chat's next one from now."""
        now = self.clock()
        booked = self._booked_at.pop(chat_id, None)
        if booked is not None:
            latency = now - booked
            quickest = self._quickest
            while quickest and quickest[-1][1] >= latency:
                quickest.pop()
            quickest.append((now, latency))
            self._answers.append(now)
        if chat_id > 0:
            self._next_private[chat_id] = max(
                self._next_private.get(chat_id, 0.0), now + self.limits.private_interval
            )
        elif times := self._group_times.get(chat_id):
            times[-1] = max(times[-1], now)
