"""Weekly schedules ("mon,thu 08:00") and durations ("7d", "36h") typed in settings and the CLI.

Pure parsing, no project imports: bot.core.config validates settings with it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

OFF = "off"
# Python weekday numbers (Monday 0 … Sunday 6); Vietnamese "thứ 2" … "chủ nhật" as t2 … cn.
_DAY_NAMES: dict[str, int] = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "t2": 0,
    "t3": 1,
    "t4": 2,
    "t5": 3,
    "t6": 4,
    "t7": 5,
    "cn": 6,
}
_DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m)")
MIN_REPEAT = dt.timedelta(hours=1)


@dataclass(frozen=True)
class WeeklySchedule:
    """Days of the week (Monday 0) and a local time of day."""

    days: tuple[int, ...]
    at: dt.time

    def canonical(self) -> str:
        """'mon,thu 08:00' (the form stored and shown in the CLI)."""
        days = "daily" if len(self.days) == 7 else ",".join(_DAY_CODES[d] for d in self.days)
        return f"{days} {self.at:%H:%M}"

    def ptb_days(self) -> tuple[int, ...]:
        """Days for PTB's run_daily, where 0 is Sunday and 6 Saturday."""
        return tuple(sorted((d + 1) % 7 for d in self.days))

    def next_run(self, after: dt.datetime, zone: ZoneInfo) -> dt.datetime:
        """First scheduled moment strictly after `after` (aware), in UTC."""
        local = after.astimezone(zone)
        for offset in range(8):
            day = local.date() + dt.timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            candidate = dt.datetime.combine(day, self.at, tzinfo=zone)
            if candidate > local:
                return candidate.astimezone(dt.UTC)
        raise AssertionError("a weekly schedule always runs within 8 days")


def parse_schedule(text: str) -> WeeklySchedule | None:
    """'mon 08:00', 'mon,thu 7:30', 'mon-fri 08:00', 'daily 08:00', 't2 08:00'; 'off' is None.

    Raises ValueError with a short English reason.
    """
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in (OFF, "none", "tat", "tắt"):
        return None
    days_text, _sep, time_text = cleaned.rpartition(" ")
    match = _TIME.match(time_text)
    if not days_text or match is None:
        raise ValueError("expected days and a time, e.g. 'mon 08:00' or 'off'")
    at = dt.time(int(match.group(1)), int(match.group(2)))
    days: set[int] = set()
    for part in days_text.replace(" ", "").split(","):
        if part in ("daily", "everyday", "hangngay", "hàngngày", "hằngngày"):
            days.update(range(7))
        elif "-" in part:
            first, _dash, last = part.partition("-")
            if first not in _DAY_NAMES or last not in _DAY_NAMES:
                raise ValueError(f"unknown day range {part!r}")
            start, end = _DAY_NAMES[first], _DAY_NAMES[last]
            day = start
            days.add(day)
            while day != end:
                day = (day + 1) % 7
                days.add(day)
        elif part in _DAY_NAMES:
            days.add(_DAY_NAMES[part])
        else:
            raise ValueError(f"unknown day {part!r} (use mon … sun, or daily)")
    return WeeklySchedule(days=tuple(sorted(days)), at=at)


def parse_duration(text: str) -> dt.timedelta:
    """'7d', '36h', '90m', '1d12h'; a bare number is days. At least one hour."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        raise ValueError("empty duration")
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        value = dt.timedelta(days=float(cleaned))
    else:
        pos = 0
        value = dt.timedelta()
        for match in _DURATION_PART.finditer(cleaned):
            if match.start() != pos:
                break
            amount = float(match.group(1))
            unit = match.group(2)
            value += dt.timedelta(
                days=amount if unit == "d" else 0,
                hours=amount if unit == "h" else 0,
                minutes=amount if unit == "m" else 0,
            )
            pos = match.end()
        if pos != len(cleaned):
            raise ValueError("expected a duration such as 7d, 36h or 90m")
    if value < MIN_REPEAT:
        raise ValueError("the repeat interval must be at least 1 hour")
    return value


def format_duration(value: dt.timedelta) -> str:
    """Canonical short form: '7d', '36h', '90m'."""
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds // 60}m"
