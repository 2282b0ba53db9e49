"""The period a question names against the period a passage's figures cover: Tuần Giáo's
November table and its whole-year table list the same units, and the question's month or
'cả năm' tells which one it wants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.letters.periods import YEAR, asked_period, passage_periods, period_fit
from bot.letters.ranking import Ranker
from tests.letters_kit import shipped_index

pytestmark = pytest.mark.sqlite_pass_only  # no database

TUAN_GIAO = "tuan-giao-ubnd-vp-2020-12-chu-ky-so.txt"
INDEX, PLACES = shipped_index()


def test_a_question_names_a_month_or_the_whole_year() -> None:
    """Vietnamese with or without diacritics, chat spelling and English; 'may' asks leave."""
    assert asked_period("phòng Văn hóa thông tin ký số tháng 11 được bao nhiêu") == "11"
    assert asked_period("Noi vu signing rate in Nov 2020?") == "11"
    assert asked_period("trung tam quan ly dat dai ca nam ky so dc bao nhieu") == YEAR
    assert asked_period("What was Thanh tra's rate from January to December 2020?") == YEAR
    assert asked_period("ky so tu thang 1 den thang 12 bao nhieu") == YEAR
    assert asked_period("may the clerk sign for the head") == ""
    assert asked_period("van thu co duoc ky thay khong") == ""


def test_a_passage_covers_the_period_of_its_own_dates() -> None:
    """From the 1st of a month for a few weeks: that month; from 1 January: the year."""
    november = "Kết quả từ ngày 01/11/2020 đến ngày 8/12/2020 — Khối các phòng chuyên môn"
    year = "Kết quả từ ngày 01/01/2020 đến ngày 8/12/2020 — Khối UBND cấp xã"
    assert passage_periods(november) == {"11"} and passage_periods(year) == {YEAR}
    assert passage_periods("Báo cáo trước ngày 26/6/2026.") == frozenset()
    assert period_fit("11", frozenset({"11"})) == 1 and period_fit(YEAR, frozenset({"11"})) == -1
    assert period_fit("", frozenset({"11"})) == 0 == period_fit("11", frozenset())


def test_the_whole_year_table_answers_a_question_about_the_year() -> None:
    """A letter nobody has asked about (no question memory): asked about a unit's whole year,
    the year's table comes first, not November's (which lists the unit too)."""
    ranker = Ranker(INDEX)
    for question, label in (
        ("Tư pháp ky so ca nam 2020 duoc bao nhieu", "3.2"),
        ("xa Pu Xi ky so ca nam 2020 duoc bao nhieu", "3.2"),
        ("Tư pháp ký số tháng 11 năm 2020 được bao nhiêu", "3.1"),
    ):
        first = ranker.search(question)[0]
        assert PLACES[first.key] == (TUAN_GIAO, label), question


@given(st.text(max_size=200))
def test_any_text_names_at_most_one_period(text: str) -> None:
    """Whatever is typed: no period, the year, or one month 1–12."""
    found = asked_period(text)
    assert found in {"", YEAR} or 1 <= int(found) <= 12
