"""A controllable clock for tests and the console demo (the bot itself uses models.utcnow)."""

from __future__ import annotations

import datetime as dt
import logging
import re

logger = logging.getLogger(__name__)

_SPAN = re.compile(r"^\s*(\d+)\s*(d|ngay|h|gio|m|p|phut)\s*$")
_UNITS = {
    "d": "days",
    "ngay": "days",
    "h": "hours",
    "gio": "hours",
    "m": "minutes",
    "p": "minutes",
    "phut": "minutes",
}


class SimulatedClock:
    """Callable returning a settable aware UTC time; install it as Runtime.clock."""

    def __init__(self, start: dt.datetime) -> None:
        """Start at an aware instant."""
        self.now = self._aware(start)

    @staticmethod
    def _aware(value: dt.datetime) -> dt.datetime:
        """Refuse naive values; keep UTC."""
        if value.tzinfo is None:
            raise ValueError("a simulated clock needs an aware datetime")
        return value.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        """The simulated now."""
        return self.now

    def set(self, value: dt.datetime) -> None:
        """Jump to an instant."""
        self.now = self._aware(value)

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        """Move forward and return the new now."""
        self.now += delta
        return self.now


def parse_span(text: str) -> dt.timedelta | None:
    """'1d', '3h', '30m' (also '2 ngày', '5 giờ', '10 phút'; combined: '1d 3h') → a timedelta."""
    from bot.core.text import fold

    parts = re.findall(r"\d+\s*[a-z]+", fold(text))
    if not parts or fold(text).replace(" ", "") != "".join(p.replace(" ", "") for p in parts):
        return None
    total = dt.timedelta()
    for part in parts:
        match = _SPAN.match(part)
        if match is None:
            return None
        total += dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    return total if total > dt.timedelta() else None
