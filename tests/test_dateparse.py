"""Dates, times and reminder plans typed the Vietnamese way, and their errors."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.clock import parse_span
from bot.core.dates import DateInputError, PlanInputError, parse_plan, parse_when
from bot.core.i18n import set_timezone, use_language
from tests.deadline_kit import TZ, at

pytestmark = pytest.mark.sqlite_pass_only  # no database

NOW = at(6, 22, 16)


@pytest.fixture(autouse=True)
def _zone() -> None:
    """Messages show times in the bot's zone."""
    set_timezone(TZ)


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("26/06/2026", (6, 26, 23, 59)),  # a date alone: by the end of that day
        ("26/6", (6, 26, 23, 59)),
        ("26/6/26", (6, 26, 23, 59)),
        ("26-6-2026", (6, 26, 23, 59)),
        ("26.6.2026", (6, 26, 23, 59)),
        ("26/6 17:00", (6, 26, 17, 0)),
        ("17:00 26/6", (6, 26, 17, 0)),
        ("17h 26/6", (6, 26, 17, 0)),
        ("17h30 26/6", (6, 26, 17, 30)),
        ("17 giờ 30 phút ngày 26/6", (6, 26, 17, 30)),
        ("17g 26/06/2026", (6, 26, 17, 0)),
        ("5h chiều 26/6", (6, 26, 17, 0)),
        ("8h sáng 26/6", (6, 26, 8, 0)),
        ("Trước 17h ngày 26/6", (6, 26, 17, 0)),
        ("2026-06-26 17:00", (6, 26, 17, 0)),
        ("  26 / 6   lúc 9h ", (6, 26, 9, 0)),
    ],
)
def test_forms_people_type(typed: str, local: tuple[int, int, int, int]) -> None:
    """Every common form gives the same instant in the bot's zone, stored as aware UTC."""
    when = parse_when(typed, now=NOW, tz=TZ)
    assert when == at(*local)
    assert when.tzinfo == dt.UTC


@pytest.mark.parametrize(
    ("typed", "code", "vi"),
    [
        ("31/6", "bad_date", "Không có ngày 31/6."),
        ("29/2/2027", "bad_date", "Không có ngày 29/2/2027."),
        ("30/13", "bad_date", "Không có ngày 30/13."),
        ("25h 26/6", "bad_time", "25h không phải giờ hợp lệ"),
        ("26/6 17:75", "bad_time", "17:75 không phải giờ hợp lệ"),
        ("21/6", "past", "23:59 21/06/2026 đã qua (bây giờ là 16:00 22/06/2026)"),
        ("22/6 15:00", "past", "đã qua"),
        ("26/6/2030", "far", "cách hiện tại hơn hai năm"),
        ("thứ sáu", "unreadable", "Không đọc được “thứ sáu” thành ngày giờ."),
        ("26/6 hoặc 27/6", "unreadable", "Không đọc được"),
        ("26/6 17:00 18:00", "unreadable", "Không đọc được"),
        ("", "empty", "Đồng chí hãy nhập ngày."),
    ],
)
def test_impossible_past_and_unreadable_dates_are_explained(typed: str, code: str, vi: str) -> None:
    """Each mistake has its own message, with examples, in Vietnamese."""
    with pytest.raises(DateInputError) as caught:
        parse_when(typed, now=NOW, tz=TZ)
    assert caught.value.code == code
    with use_language("vi"):
        assert vi in caught.value.message()


def test_year_is_inferred_sensibly() -> None:
    """5/1 typed in December is next January; a date a few days ago is refused as past."""
    december = at(12, 20, 9)
    assert parse_when("5/1", now=december, tz=TZ) == dt.datetime(
        2027, 1, 5, 23, 59, tzinfo=TZ
    ).astimezone(dt.UTC)
    with pytest.raises(DateInputError, match="past"):
        parse_when("15/12", now=december, tz=TZ)


def test_english_messages() -> None:
    """The same error in English."""
    with pytest.raises(DateInputError) as caught:
        parse_when("31/6", now=NOW, tz=TZ)
    with use_language("en"):
        assert caught.value.message().startswith("There is no such date as 31/6.")


@pytest.mark.parametrize(
    ("typed", "days", "time"),
    [
        ("7 3 1", (7, 3, 1), dt.time(8)),
        ("1, 3, 7", (7, 3, 1), dt.time(8)),
        ("5 2 9h", (5, 2), dt.time(9)),
        ("7 3 1 lúc 14:30", (7, 3, 1), dt.time(14, 30)),
        ("0", (), dt.time(8)),
        ("mặc định", (7, 3, 1), dt.time(8)),
        ("10:00", (), dt.time(10)),
    ],
)
def test_reminder_plans(typed: str, days: tuple[int, ...], time: dt.time) -> None:
    """Days before the deadline and an optional time; the due day is always included."""
    assert parse_plan(typed) == (days, time)


@pytest.mark.parametrize(
    ("typed", "code"), [("ba ngày", "unreadable"), ("90", "range"), ("1 2 25h", "bad_time")]
)
def test_bad_reminder_plans(typed: str, code: str) -> None:
    """Unreadable plans, out-of-range days and impossible times are refused."""
    with pytest.raises(PlanInputError) as caught:
        parse_plan(typed)
    assert caught.value.code == code


def test_console_time_spans() -> None:
    """/tua 1d, 3h, 30m, 2 ngày, '1d 6h'; nonsense is refused."""
    assert parse_span("1d") == dt.timedelta(days=1)
    assert parse_span("3h") == dt.timedelta(hours=3)
    assert parse_span("30m") == dt.timedelta(minutes=30)
    assert parse_span("2 ngày") == dt.timedelta(days=2)
    assert parse_span("1d 6h") == dt.timedelta(days=1, hours=6)
    assert parse_span("mai") is None and parse_span("0h") is None and parse_span("") is None
