"""Search over the letters: spellings officials use, what citations say, and no crash on any
question (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.i18n import use_language
from bot.letters import texts
from bot.letters.answers import excerpt
from bot.letters.intents import looks_like_question
from bot.letters.search import confident
from bot.letters.tokens import (
    accent_key,
    dates_as_letters_write_them,
    is_vietnamese_syllable,
    question_tokens,
)
from tests.letters_kit import shipped_index

INDEX, PLACES = shipped_index()


def top(question: str) -> tuple[str, str]:
    """(letter file, label) of the best passage."""
    return PLACES[INDEX.search(question, limit=1)[0].key]


def test_spellings_officials_use_find_the_same_passage() -> None:
    """With or without diacritics, 'kí'/'ký', abbreviations and run-together words."""
    expected = ("hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt", "3")
    for question in (
        "hạn nộp báo cáo giải trình",
        "han nop bao cao giai trinh",
        "han nop bc giai trinh cho vp tu",
        "hạn nộp bc giải trình",
        "han nop baocao giai trinh",
    ):
        assert top(question) == expected, question


HUNG_YEN = "hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt"
HUNG_YEN_484 = "hung-yen-484-cv-tu-2026-05-21-chuyen-doi-so.txt"
DONG_THAP = "dong-thap-ubnd-kgvx-2026-chu-ky-so-cong-vu.txt"


def answer(question: str) -> tuple[str, str] | None:
    """(letter file, label) of what the bot would quote first, or None ("not covered")."""
    chosen = confident(INDEX.search(question, limit=3))
    return PLACES[chosen[0].key] if chosen else None


def test_typos_still_find_the_passage() -> None:
    """Two letters swapped, a letter dropped, an English word mistyped: the same answer,
    quoted (confident), not 'the letters do not cover this'."""
    for question in (
        "bc giai tirnh gui vp tu truoc ngay nao",
        "giai trinh gui vp tihn uy truoc ngay nao",
        "what must the explanation rpeort contain",
        "explanation report edadline",
    ):
        assert answer(question) == (HUNG_YEN, "3"), question
    assert answer("co duoc dua usb tokne cho nguoi khac giu khong") == (DONG_THAP, "1")


def test_english_questions_find_the_vietnamese_passage() -> None:
    """English words the letters use in Vietnamese, inflections and English dates."""
    assert answer("may I give my USB token password to my deputy") == (DONG_THAP, "1")
    assert answer("is scanning paper documents allowed") == (DONG_THAP, "2")
    assert top("which tasks are due by 25 June") == (HUNG_YEN_484, "3.2")
    assert top("who must sign electronic documents") == (DONG_THAP, "2")


def test_english_words_the_letters_lack_are_not_answered() -> None:
    """'penalty', 'buy' are what the question is about: no confident answer from the
    passages that merely share 'explanation report' or 'handbook app'."""
    for question in (
        "what is the penalty for late explanation reports",
        "where do I buy a smartphone for the handbook app",
    ):
        assert answer(question) is None, question


def test_money_is_not_what_the_letters_cover() -> None:
    """'bao nhieu tien' (how much money) is not 'bao nhiêu chứng thư số' (how many) nor
    'tiến độ' (progress): no confident answer; progress still is one."""
    for question in ("bao nhieu tien mot chung thu so", "what is the price of a usb token"):
        assert answer(question) is None, question
    assert answer("bao nhieu chung thu so da cap cho dang uy xa") == (HUNG_YEN, "")  # opening
    assert answer("tien do chuyen doi so") is not None


def test_a_month_or_the_whole_year_finds_that_table() -> None:
    """Tuần Giáo's tables differ only by their date range: from 01/11/2020 is November's, from
    01/01/2020 the year's; the question's 'November' or 'cả năm' picks the right one."""
    tuan_giao = "tuan-giao-ubnd-vp-2020-12-chu-ky-so.txt"
    assert top("ca nam 2020 xa nao o tuan giao ky so cao nhat") == (tuan_giao, "3.2")
    assert top("which communes had 0% signing in november 2020") == (tuan_giao, "3.1")
    assert top("whole of 2020, which commune signed the most in Tuan Giao?") == (tuan_giao, "3.2")


def test_dates_as_the_letters_write_them() -> None:
    """'25 June', 'June 25th', 'ngày 25 tháng 6' are all '25/6'."""
    assert dates_as_letters_write_them("due by 25 June") == "due by 25/6"
    assert dates_as_letters_write_them("due June 30th") == "due 30/6"
    assert dates_as_letters_write_them("hạn ngày 26 tháng 6") == "hạn ngày 26/6"
    assert dates_as_letters_write_them("may I sign in May") == "may I sign in May"
    assert dates_as_letters_write_them("co 5 may tinh", english=False) == "co 5 may tinh"
    months = "January Feb March April May June July Aug September Sept October November December"
    assert [dates_as_letters_write_them(f"1 {m}") for m in months.split()] == [
        f"1/{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12)
    ]


def test_typos_are_told_from_vietnamese_syllables() -> None:
    """'tihn', 'aang', 'gii' spell no Vietnamese syllable; 'tinh', 'xuan', 'quynh' do."""
    assert not any(is_vietnamese_syllable(w) for w in ("tihn", "aang", "gii", "deadline"))
    assert all(is_vietnamese_syllable(w) for w in ("tinh", "xuan", "quynh", "nghieng", "khuya"))


def test_diacritics_tell_salary_from_quantity() -> None:
    """'lương' (salary) is not 'lượng' (quality): no confident answer."""
    assert confident(INDEX.search("lương của cán bộ văn phòng là bao nhiêu", 3)) == []


def test_salary_typed_without_diacritics_is_still_salary() -> None:
    """'luong' outside the letters' own pairs ('chất lượng', 'số lượng') is pay: no passage
    covers a salary question confidently, however high it ranks; 'chat luong' stays quality."""
    salary = "luong cua can bo van phong bao nhieu"
    assert INDEX.query(salary).off_topic
    assert max(h.confidence for h in INDEX.search(salary, 3)) < 0.55
    assert not INDEX.query("nang cao chat luong van ban ky so").off_topic


def test_accent_keys_ignore_where_the_tone_mark_sits() -> None:
    """'ủy' and 'uỷ' are one spelling; 'ký' and 'kí' too."""
    assert accent_key("ủy") == accent_key("uỷ")
    tokens = question_tokens("kí số") + question_tokens("ký số")
    assert tokens[0] == tokens[2]


def test_citations_in_both_languages() -> None:
    """'Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên, mục 1' and its English."""
    letter = SimpleNamespace(
        kind="cv",
        number="484-CV/TU",
        issued_on=dt.date(2026, 5, 21),
        date_precision="day",
        issuer="Tỉnh ủy Hưng Yên",
    )
    item = SimpleNamespace(kind="item", label="1")
    with use_language("vi"):
        assert texts.citation(letter, item) == (
            "Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên, mục 1"
        )
        point = SimpleNamespace(kind="item", label="II.2.b")
        assert texts.citation(letter, point).endswith(", điểm b mục 2 phần II")
        assert texts.citation(letter, SimpleNamespace(kind="intro", label="")).endswith(
            ", phần mở đầu"
        )
    with use_language("en"):
        assert texts.citation(letter, item) == (
            "Official letter No. 484-CV/TU of 21/05/2026 from Tỉnh ủy Hưng Yên, item 1"
        )


def test_long_passages_are_cut_to_what_answers() -> None:
    """At most ~300 characters, the relevant clause kept, cuts marked."""
    text = "Câu mở đầu không liên quan gì cả. " * 12 + "Nghiêm cấm chuyển giao thiết bị ký số."
    shown = excerpt(text, {"chuyen": 3.0, "giao": 2.0})
    assert len(shown) <= 310 and shown.endswith("Nghiêm cấm chuyển giao thiết bị ký số.")
    assert shown.startswith("… ")


def test_questions_and_chatter() -> None:
    """Questions and messages about the letters' topics are looked up; greetings are not."""
    for text in ("han nop bao cao giai trinh", "ai ky van ban?", "may I scan documents"):
        assert looks_like_question(text), text
    for text in ("xin chào", "cảm ơn đồng chí", "ok", ""):
        assert not looks_like_question(text), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_question_is_answered_without_crashing(question: str) -> None:
    """Whatever is typed: hits are ranked, confidences are shares, excerpts are short."""
    hits = INDEX.search(question, limit=3)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0.0 <= h.confidence <= 1.0 + 1e-9 for h in hits)
    for hit in confident(hits):
        assert hit.confidence >= 0.55
    looks_like_question(question)
    assert len(excerpt(question * 3, {"a": 1.0})) <= 320


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "văn thư ký thay bí thư hạn nộp báo cáo giải trình token usb vb vp tu kyso ? 80% "
            "the head clerk sign may đ Đ ủy uỷ 26/6 . , ; ¹ ² \n \t".split(" ")
        ),
        max_size=30,
    )
)
def test_questions_made_of_the_domain_words_never_crash(words: list[str]) -> None:
    """Abbreviations, English, superscripts and punctuation in any order."""
    question = " ".join(words)
    for hit in INDEX.search(question, limit=3):
        assert hit.key in PLACES
