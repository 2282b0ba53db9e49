"""The reporting period: read from a table's title or file name, or given with the upload."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath
from zoneinfo import ZoneInfo

from bot.imports.issues import RowIssue

_DATE = r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?"
_TIME = r"(\d{1,2})\s*(?:gio|g|h|:)\s*(?:(\d{1,2})\s*(?:phut|p|')?)?"
_PERIOD = re.compile(
    r"(?:(?:tu|from)\s+)?(?:ngay\s+)?"
    + _DATE
    + r"\s*,?\s*(?:den|toi|to|until|-|–|—)\s*(?:(?:het|luc|at)\s+)?(?:"
    + _TIME
    + r"\s*,?\s*)?(?:(?:het\s+)?ngay\s+)?"
    + _DATE
    + r"(?:\s*,?\s*(?:luc|at)?\s*"
    + _TIME
    + r")?"
)
_VI_LONG_DATE = re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*,?\s+nam\s+(\d{4}))?")
_FILENAME_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[_\s.]+|--|_den_|_to_)(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Period:
    """A period read from a title: dates, the as-of wall time, or what was wrong."""

    start: date | None
    end: date | None
    as_of_local: datetime | None
    bad_text: str | None = None

    @property
    def is_good(self) -> bool:
        """True when nothing in the title's period was impossible."""
        return self.bad_text is None


def _ascii_lower(text: str) -> str:
    """Lower-case, no diacritics, đ→d, whitespace collapsed; punctuation kept."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(text.split())


def _year(text: str | None) -> int | None:
    """Four-digit year from 2 or 4 digits."""
    if text is None:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _start_date(day: str, month: str, year: str | None, end: date) -> date:
    """The first day; without a year, the last such day not after the end (ValueError if none)."""
    start_year = _year(year)
    if start_year is None:
        start_year = end.year if (int(month), int(day)) <= (end.month, end.day) else end.year - 1
    return date(start_year, int(month), int(day))


def _with_as_of(start: date, end: date, hour_text: str, minute_text: str | None) -> Period:
    """The period with the wall time its figures were counted at ("15 giờ", "24h")."""
    hour, minute = int(hour_text), int(minute_text or 0)
    if hour == 24 and minute == 0:
        return Period(start, end, datetime.combine(end + timedelta(days=1), datetime.min.time()))
    if hour > 23 or minute > 59:
        return Period(None, None, None, bad_text=f"{hour_text}:{minute_text or '00'}")
    return Period(start, end, datetime(end.year, end.month, end.day, hour, minute))


def period_from_text(text: str) -> Period | None:
    """Find "từ ngày D/M[/Y] đến [H giờ [MM]] ngày D/M/Y" (and variants) in a title."""
    normal = _VI_LONG_DATE.sub(
        lambda m: f"{m.group(1)}/{m.group(2)}" + (f"/{m.group(3)}" if m.group(3) else ""),
        _ascii_lower(text),
    )
    match = _PERIOD.search(normal)
    if match is None:
        return None
    sd, sm, sy, h1, mi1, ed, em, ey, h2, mi2 = match.groups()
    if ey is None:
        # "từ 08/6 đến 22/6" without any year: not enough to place the period.
        return None
    try:
        end = date(_year(ey) or 0, int(em), int(ed))
    except ValueError:
        return Period(None, None, None, bad_text=f"{ed}/{em}/{ey}")
    try:
        start = _start_date(sd, sm, sy, end)
    except ValueError:
        return Period(None, None, None, bad_text=f"{sd}/{sm}" + (f"/{sy}" if sy else ""))
    hour_text, minute_text = (h1, mi1) if h1 is not None else (h2, mi2)
    if hour_text is None:
        return Period(start, end, None)
    return _with_as_of(start, end, hour_text, minute_text)


def period_from_filename(filename: str) -> Period | None:
    """Two ISO dates in the file name, e.g. "…-2026-06-08_2026-06-22.tsv"."""
    match = _FILENAME_PERIOD.search(PurePath(filename).name)
    if match is None:
        return None
    try:
        return Period(date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2)), None)
    except ValueError:
        return Period(None, None, None, bad_text=match.group(0))


def bad_period_text(text: str) -> RowIssue:
    """Issue for an impossible date or time in the title."""
    return RowIssue(None, None, text, "bad_period", {"reason": "impossible_date"})


def _end_before_start(start: date, end: date) -> RowIssue:
    """Issue for a period that ends before it starts."""
    return RowIssue(
        None,
        None,
        f"{start.isoformat()}..{end.isoformat()}",
        "bad_period",
        {"reason": "end_before_start", "start": start.isoformat(), "end": end.isoformat()},
    )


def resolve_period(
    title: Period | None,
    period_start: date | None,
    period_end: date | None,
    tz: ZoneInfo,
) -> tuple[date | None, date | None, datetime | None, list[RowIssue]]:
    """Period from the options, else the title or file name; as_of only from the title."""
    good = title if title is not None and title.is_good else None
    need_title = period_start is None or period_end is None
    if need_title and title is not None and title.bad_text is not None:
        return None, None, None, [bad_period_text(title.bad_text)]
    start = period_start if period_start is not None else (good.start if good is not None else None)
    end = period_end if period_end is not None else (good.end if good is not None else None)
    if start is None or end is None:
        return None, None, None, [RowIssue(None, None, None, "no_period", {})]
    if end < start:
        return None, None, None, [_end_before_start(start, end)]
    as_of: datetime | None = None
    if good is not None and good.as_of_local is not None and good.end == end:
        as_of = good.as_of_local.replace(tzinfo=tz).astimezone(UTC)
    return start, end, as_of, []
