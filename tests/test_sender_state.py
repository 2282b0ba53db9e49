"""The sender's per-chat memory stays bounded, and a 429 slows the whole pace for a while."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.outbox_gate import (
    FLOOD_RECOVERY,
    FLOOD_SLOWDOWN,
    LATENCY_MEMORY,
    MAX_HORIZON,
    Limits,
    RateGate,
)


class Clock:
    """Fake monotonic time; sleeping advances it."""

    def __init__(self) -> None:
        """Start at 1,000 s."""
        self.now = 1000.0

    def __call__(self) -> float:
        """The time now."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Advance without waiting."""
        self.now += max(0.0, seconds)


async def send(gate: RateGate, chat_id: int) -> None:
    """One send the way the sender makes it: the chat's turn, the slot, the answer."""
    async with gate.chat_lock(chat_id):
        await gate.acquire(chat_id)
        gate.done(chat_id)


async def test_a_broadcast_to_many_chats_leaves_no_memory_of_each() -> None:
    """10,000 people and 300 groups once each: afterwards the gate remembers few chats."""
    clock = Clock()
    gate = RateGate(Limits(overall_per_second=30), clock=clock, sleep=clock.sleep)
    for chat in range(10_000):
        await send(gate, 100_000 + chat)
    for group in range(300):
        await send(gate, -1_000_000 - group)
    clock.now += 120  # two quiet minutes, then one more message
    await send(gate, 42)
    for _ in range(2048):  # enough bookings for the periodic sweep
        await send(gate, 43)
        clock.now += 1.0
    assert gate.state_size() <= 5


async def test_a_chat_lock_is_forgotten_only_when_nobody_waits_for_it() -> None:
    """Two sends to the same chat wait their turn; after both, no lock is kept."""
    clock = Clock()
    gate = RateGate(Limits(overall_per_second=30), clock=clock, sleep=clock.sleep)
    order: list[str] = []

    async def part(name: str) -> None:
        async with gate.chat_lock(7):
            order.append(name + " start")
            await gate.acquire(7)
            gate.done(7)
            order.append(name + " end")

    import asyncio

    await asyncio.gather(part("a"), part("b"))
    assert order == ["a start", "a end", "b start", "b end"]
    assert gate.state_size() == 1  # only the chat's spacing, until it has passed


async def test_a_flood_answer_slows_the_pace_and_it_recovers() -> None:
    """After a 429 the gate sends at 80 % of the rate, and is back at full rate later."""
    clock = Clock()
    gate = RateGate(Limits(overall_per_second=25), clock=clock, sleep=clock.sleep)
    gate.pause(3)
    assert gate.rate == pytest.approx(25 * FLOOD_SLOWDOWN)
    start = clock.now
    for chat in range(20):
        await send(gate, 500 + chat)
    # the pause, then 19 intervals at no more than the lowered pace plus what it regained
    assert clock.now - start >= 3 + 19 / (25 * FLOOD_SLOWDOWN + FLOOD_RECOVERY * 1.0) - 0.05
    clock.now += 60
    before = clock.now
    for chat in range(26):
        await send(gate, 900 + chat)
    assert clock.now - before == pytest.approx(25 / 25, abs=0.05)  # full pace again


async def test_uneven_answers_never_bunch_more_than_30_arrivals_in_a_second() -> None:
    """Telegram takes 0.1 s to answer; now and then a stall holds a dozen messages back 0.4 s
    on their way there: in no second do more than 30 arrive, at a pace of 27 a second."""
    clock = Clock()
    gate = RateGate(Limits(overall_per_second=27), clock=clock, sleep=clock.sleep)
    arrivals: list[float] = []
    in_flight: list[tuple[float, int]] = []
    for n in range(400):
        in_flight.sort()
        while in_flight and in_flight[0][0] <= clock.now:
            gate.done(in_flight.pop(0)[1])
        await gate.acquire(2000 + n)
        transit = 0.4 if n % 40 < 12 else 0.0  # a stall now and then holds a dozen back
        arrivals.append(clock.now + transit)
        in_flight.append((clock.now + transit + 0.1, 2000 + n))
    arrivals.sort()
    for start in arrivals[60:]:
        assert sum(1 for t in arrivals if start <= t < start + 1.0) <= 30


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 3.0), st.floats(0.0, 2.5)),  # (time to the answer, latency)
        min_size=1,
        max_size=80,
    )
)
def test_the_widening_is_the_spread_of_the_last_seconds_answers(
    answers: list[tuple[float, float]],
) -> None:
    """However answers come (slow, quick, in any order), the second Telegram's 30 is counted over
    is widened by exactly the spread between the slowest and quickest answer of the last 5 s."""
    clock = Clock()
    gate = RateGate(Limits(overall_per_second=1000), clock=clock, sleep=clock.sleep)
    seen: list[tuple[float, float]] = []
    for chat, (gap, latency) in enumerate(answers):
        clock.now += gap
        gate._booked_at[chat + 1] = clock.now - latency  # booked `latency` before the answer
        gate.done(chat + 1)
        seen.append((clock.now, latency))
        recent = [lat for at, lat in seen if at > clock.now - LATENCY_MEMORY]
        expected = min(MAX_HORIZON, max(recent) - min(recent))
        assert gate._horizon(clock.now) == pytest.approx(expected)
