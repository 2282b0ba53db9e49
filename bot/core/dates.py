"""Dates and times typed the Vietnamese way: 26/06/2026, 26/6 17:00, 17h 26/6, 5h chiều 26/6."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.core.i18n import _, fmt_datetime
from bot.core.text import fold

logger = logging.getLogger(__name__)

# A date without a time means "by the end of that day".
END_OF_DAY = dt.time(23, 59)
# A date typed without a year that is more than this far in the past means next year (5/1 typed
# in December); a more recent one is a mistake and is refused as past.
_NEXT_YEAR_AFTER = dt.timedelta(days=183)
_MAX_AHEAD = dt.timedelta(days=2 * 366)

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE = re.compile(r"(?<![\d:])(\d{1,2})\s*([/.\-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?![\d:])")
# 17:00 · 17h · 17h30 · 17 h 30 · 17g30 · 17 giờ · 17 giờ 30 (phút) — on folded text.
_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*(?::|gio|h|g)\s*(\d{1,2})?\s*(?:phut|p)?(?![\d/])")
_AFTERNOON = {"chieu", "toi", "dem"}
_FILLERS = {
    "ngay",
    "luc",
    "vao",
    "truoc",
    "han",
    "den",
    "het",
    "sang",
    "trua",
    "chieu",
    "toi",
    "dem",
    "nam",
    "thang",
    "at",
    "on",
    "by",
    "the",
}


@dataclass
class DateInputError(ValueError):
    """Typed date or time that cannot be a deadline; `message()` explains it to the user."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        """The code, for logs."""
        return self.code

    def message(self) -> str:
        """What went wrong, in the current language, with examples."""
        examples = _("For example: 26/06/2026, 26/6 17:00 or 17h 26/6.")
        if self.code == "empty":
            return _("Please type a date.") + " " + examples
        if self.code == "bad_date":
            return _("There is no such date as {date}.").format(**self.params) + " " + examples
        if self.code == "bad_time":
            return (
                _("{time} is not a time of day (hours 0–23, minutes 0–59).").format(**self.params)
                + " "
                + examples
            )
        if self.code == "past":
            return _(
                "{when} has already passed (it is now {now}). Please type a later date and time."
            ).format(**self.params)
        if self.code == "far":
            return _("{when} is more than two years away. Please check the year.").format(
                **self.params
            )
        return _("I could not read “{text}” as a date.").format(**self.params) + " " + examples


def _year(text: str | None, month: int, day: int, local_now: dt.datetime) -> int:
    """The year typed (2 or 4 digits) or inferred from today."""
    if text:
        year = int(text)
        return year + 2000 if year < 100 else year
    year = local_now.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return year  # reported as a bad date by the caller
    if candidate < local_now.date() - _NEXT_YEAR_AFTER:
        return year + 1
    return year


def _find_date(text: str, local_now: dt.datetime) -> tuple[dt.date, str]:
    """The one date in the text and the text without it."""
    iso = list(_ISO_DATE.finditer(text))
    found = [] if len(iso) == 1 else list(_DATE.finditer(text))
    if len(iso) + len(found) != 1:
        raise DateInputError("unreadable", {"text": text.strip()})
    if iso:
        match = iso[0]
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        shown = match.group(0)
    else:
        match = found[0]
        day, month = int(match.group(1)), int(match.group(3))
        year = _year(match.group(4), month, day, local_now)
        shown = match.group(0).replace(" ", "")
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise DateInputError("bad_date", {"date": shown}) from None
    rest = text[: match.start()] + " " + text[match.end() :]
    return value, rest


def _find_time(rest: str, original: str) -> dt.time | None:
    """The time of day left in the text (None if there is none)."""
    folded = fold(rest.replace(":", " colon "))
    folded = folded.replace(" colon ", ":").replace(" colon", ":").replace("colon ", ":")
    matches = list(_TIME.finditer(folded))
    if len(matches) > 1:
        raise DateInputError("unreadable", {"text": original.strip()})
    leftover = folded
    value: dt.time | None = None
    if matches:
        match = matches[0]
        hour = int(match.group(1))
        minute = int(match.group(2) or 0)
        words = set(folded.split())
        if words & _AFTERNOON and 1 <= hour < 12:
            hour += 12
        if hour > 23 or minute > 59:
            raise DateInputError("bad_time", {"time": match.group(0).strip()})
        value = dt.time(hour, minute)
        leftover = folded[: match.start()] + " " + folded[match.end() :]
    for word in leftover.replace(":", " ").split():
        if word not in _FILLERS:
            raise DateInputError("unreadable", {"text": original.strip()})
    return value


def parse_when(
    text: str,
    *,
    now: dt.datetime,
    tz: ZoneInfo,
    default_time: dt.time = END_OF_DAY,
    allow_past: bool = False,
) -> dt.datetime:
    """A typed date and optional time in `tz`, as aware UTC; raises DateInputError."""
    text = (text or "").strip()
    if not text:
        raise DateInputError("empty")
    local_now = now.astimezone(tz)
    date, rest = _find_date(text, local_now)
    time = _find_time(rest, text)
    local = dt.datetime.combine(date, time or default_time).replace(tzinfo=tz)
    when = local.astimezone(dt.UTC)
    if not allow_past:
        if when <= now:
            raise DateInputError("past", {"when": fmt_datetime(when), "now": fmt_datetime(now)})
        if when - now > _MAX_AHEAD:
            raise DateInputError("far", {"when": fmt_datetime(when)})
    return when


# --- reminder plans -----------------------------------------------------------------------

DEFAULT_PLAN_DAYS: tuple[int, ...] = (7, 3, 1)
DEFAULT_PLAN_TIME = dt.time(8, 0)
MAX_PLAN_DAYS = 60
MAX_PLAN_STEPS = 8


@dataclass
class PlanInputError(ValueError):
    """A typed reminder plan that cannot be used."""

    code: str

    def message(self) -> str:
        """What went wrong and how to type it."""
        example = _(
            "Type the days before the deadline and optionally the time, e.g. “7 3 1 08:00” or "
            "“5, 2 9h”; “0” for the due day only."
        )
        if self.code == "range":
            return (
                _("Days must be between 0 and {max}, at most {steps} of them.").format(
                    max=MAX_PLAN_DAYS, steps=MAX_PLAN_STEPS
                )
                + " "
                + example
            )
        if self.code == "bad_time":
            return _("That is not a time of day.") + " " + example
        return _("I could not read that reminder plan.") + " " + example


def parse_plan(text: str) -> tuple[tuple[int, ...], dt.time]:
    """'7 3 1 08:00' → ((7, 3, 1), 08:00); the due day is always part of a plan."""
    folded = fold((text or "").replace(":", " colon ")).replace(" colon ", ":")
    folded = folded.replace(" colon", ":").replace("colon ", ":")
    if folded in ("mac dinh", "default"):
        return DEFAULT_PLAN_DAYS, DEFAULT_PLAN_TIME
    time = DEFAULT_PLAN_TIME
    matches = list(_TIME.finditer(folded))
    if len(matches) > 1:
        raise PlanInputError("unreadable")
    if matches:
        match = matches[0]
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 23 or minute > 59:
            raise PlanInputError("bad_time")
        time = dt.time(hour, minute)
        folded = folded[: match.start()] + " " + folded[match.end() :]
    days: set[int] = set()
    for word in folded.replace(",", " ").replace(";", " ").split():
        if word.isdigit():
            days.add(int(word))
        elif word not in ("ngay", "truoc", "luc", "va", "days", "before", "at", "and"):
            raise PlanInputError("unreadable")
    if not days and not matches:
        raise PlanInputError("unreadable")
    days.discard(0)
    if any(d > MAX_PLAN_DAYS for d in days) or len(days) > MAX_PLAN_STEPS:
        raise PlanInputError("range")
    return tuple(sorted(days, reverse=True)), time


# --- days typed on the command line -----------------------------------------------------


def parse_day(text: str) -> dt.date | None:
    """YYYY-MM-DD or DD/MM/YYYY (the two forms the command line accepts), else None."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """00:00 of a day in the display zone, as aware UTC."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
