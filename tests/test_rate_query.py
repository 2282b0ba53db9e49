"""The rate query in chat: /tyle, /rate, free text, fuzzy lookup, languages, unlinked users."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest

from bot.core.models import Role
from tests.conftest import ADMIN_ID, Harness, PublishedRow

OFFICIAL = 5001


def by_name(published: list[PublishedRow], fragment: str) -> PublishedRow:
    """The one published row whose name contains a fragment."""
    (row,) = [r for r in published if r.name.endswith(fragment)]
    return row


def expected_rank(published: list[PublishedRow], row: PublishedRow) -> int:
    """Competition rank computed straight from the published counts."""
    return 1 + sum(1 for r in published if r.rate > row.rate)


async def test_secretariat_asks_for_a_unit_in_vietnamese(loaded: Harness, published) -> None:
    """/tyle Nam Tiền Hải: 82,5%, 33/40, rank 62/104, 7 documents short of 100%."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle Nam Tiền Hải")
    row = by_name(published, "Nam Tiền Hải")
    assert "Đảng ủy xã Nam Tiền Hải" in text
    assert "<b>82,5%</b>" in text
    assert "33/40 văn bản" in text
    assert f"Xếp hạng: {expected_rank(published, row)}/104" in text
    assert "Xếp hạng: 62/104" in text
    assert "08/06/2026 – 22/06/2026" in text
    assert "15:00 22/06/2026" in text
    assert "7 văn bản" in text  # 40 - 33 to reach 100%
    assert "Dưới ngưỡng" not in text


async def test_lookup_without_diacritics_and_any_case(loaded: Harness) -> None:
    """'/tyle nam tien hai' and '/tyle NAM TIỀN HẢI' find the same unit."""
    (plain,) = await loaded.send(ADMIN_ID, "/tyle nam tien hai")
    (upper,) = await loaded.send(ADMIN_ID, "/tyle   NAM TIỀN  HẢI")
    assert "Nam Tiền Hải" in plain and "82,5%" in plain
    assert plain == upper


async def test_several_matches_offer_buttons_and_a_press_shows_the_report(
    loaded: Harness,
) -> None:
    """'/tyle tien' matches several units: a keyboard; pressing one edits in its report."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle tien")
    keyboard = loaded.last_keyboard()
    labels = [label for label, _ in keyboard]
    assert len(keyboard) >= 3
    assert "Đảng ủy xã Nam Tiền Hải" in labels
    assert "Chọn" in text
    data = dict(keyboard)["Đảng ủy xã Nam Tiền Hải"]
    (edited,) = await loaded.press(ADMIN_ID, data)
    assert "82,5%" in edited and "Xếp hạng: 62/104" in edited
    assert loaded.request.sent("answerCallbackQuery")


async def test_exactly_80_percent_is_not_below(loaded: Harness) -> None:
    """Quang Lịch (24/30 = 80%) is at the threshold, not below it; 6 more for 100%."""
    loaded.link(OFFICIAL, "Quang Lịch")
    (text,) = await loaded.send(OFFICIAL, "tỷ lệ ký số của tôi")
    assert "<b>80%</b>" in text and "24/30" in text
    assert "Dưới ngưỡng" not in text
    assert "6 văn bản" in text


@pytest.mark.parametrize(
    "question",
    ["tỷ lệ ký số của tôi", "ty le ky so", "đơn vị tôi ký số được bao nhiêu", "/tyle", "/rate"],
)
async def test_official_gets_own_unit_from_free_text_and_commands(
    loaded: Harness, published, question: str
) -> None:
    """A critical unit's official asks in several ways and gets the firm answer."""
    loaded.link(OFFICIAL, "Phường Thái Bình")
    row = by_name(published, "Phường Thái Bình")
    (text,) = await loaded.send(OFFICIAL, question)
    need_80 = math.ceil(Fraction(4, 5) * row.total) - row.signed
    need_100 = row.total - row.signed
    assert "Thái Bình" in text
    assert "9,09%" in text  # 5/55
    assert f"{row.signed}/{row.total}" in text
    assert "dưới 50%" in text.lower()
    assert f"{need_80} văn bản" in text and f"{need_100} văn bản" in text
    assert f"Xếp hạng: {expected_rank(published, row)}/104" in text
    assert "báo cáo giải trình" in text


async def test_english_user_gets_english_and_english_numbers(loaded: Harness) -> None:
    """Telegram language en: English text, '82.5%', 'Rank 62/104', dates day first."""
    (text,) = await loaded.send(ADMIN_ID, "/rate nam tien hai", language_code="en")
    assert "<b>82.5%</b>" in text
    assert "Rank: 62/104" in text
    assert "08/06/2026 – 22/06/2026" in text
    assert "Xếp hạng" not in text


async def test_english_free_text_question(loaded: Harness) -> None:
    """'what is my signing rate' works for an English-speaking official."""
    loaded.link(OFFICIAL, "Quang Lịch")
    (text,) = await loaded.send(OFFICIAL, "what is my signing rate", language_code="en")
    assert "<b>80%</b>" in text and "24/30 documents" in text


async def test_user_without_a_unit_is_told_what_to_do(loaded: Harness) -> None:
    """An unknown user gets an instruction with their Telegram ID, not an error."""
    (text,) = await loaded.send(4242, "/tyle")
    assert "chưa được gắn với đơn vị" in text
    assert "4242" in text
    assert "lỗi" not in text.lower()


async def test_official_cannot_look_up_another_unit(loaded: Harness) -> None:
    """A unit head asking for another unit sees a note and their own unit only."""
    loaded.link(OFFICIAL, "Quang Lịch")
    (text,) = await loaded.send(OFFICIAL, "/tyle Nam Tiền Hải")
    assert "Chỉ Văn phòng" in text
    assert "Quang Lịch" in text and "Nam Tiền Hải" not in text


async def test_official_cannot_press_a_button_for_another_unit(loaded: Harness) -> None:
    """Forged callback data for another unit is refused."""
    loaded.link(OFFICIAL, "Quang Lịch", role=Role.STAFF)
    await loaded.send(ADMIN_ID, "/tyle tien")
    data = dict(loaded.last_keyboard())["Đảng ủy xã Nam Tiền Hải"]
    (text,) = await loaded.press(OFFICIAL, data)
    assert "82,5%" not in text and "Chỉ Văn phòng" in text


async def test_exact_name_wins_over_partial_matches(loaded: Harness) -> None:
    """'tien hai' is exactly the unit 'Tiên Hải', so no keyboard is needed."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle tien hai")
    assert "Đảng ủy xã Tiên Hải" in text and "48/50" in text
    assert loaded.last_keyboard() == []


async def test_misspelled_name_is_offered_not_assumed(loaded: Harness) -> None:
    """A typo ('Nam Tiềnn Hảii') offers the close names as buttons instead of guessing."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle Nam Tiềnn Hảii")
    assert "Có phải" in text
    assert "Đảng ủy xã Nam Tiền Hải" in [label for label, _ in loaded.last_keyboard()]
    assert "82,5%" not in text


async def test_unknown_unit_name(loaded: Harness) -> None:
    """A name that matches nothing gets a clear hint."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle Hà Nội Mới")
    assert "Không tìm thấy" in text


async def test_no_data_yet(bot: Harness) -> None:
    """Before any import the bot says so instead of failing."""
    (text,) = await bot.send(ADMIN_ID, "/tyle")
    assert "Chưa có số liệu" in text


async def test_secretariat_without_unit_gets_the_overview(loaded: Harness) -> None:
    """/tyle alone for the secretariat: overall 82,29%, 38 below 80%, 6 critical, 14 at 100%."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle")
    assert "82,29%" in text and "4.299/5.224" in text
    assert "38 đơn vị dưới ngưỡng cảnh báo 80%" in text
    assert "6 đơn vị dưới ngưỡng nghiêm trọng 50%" in text
    assert "14 đơn vị đạt mục tiêu 100%" in text


async def test_change_since_previous_period(loaded: Harness, shared_tsv: bytes) -> None:
    """A newer period shows the change in percentage points against the previous one."""
    newer = shared_tsv.decode("utf-8").replace(
        "Đảng ủy xã Nam Tiền Hải\t40\t33\t83%", "Đảng ủy xã Nam Tiền Hải\t40\t38\t95%"
    )
    loaded.import_table(
        newer.encode("utf-8"),
        period_start=dt.date(2026, 6, 23),
        period_end=dt.date(2026, 6, 29),
    )
    (text,) = await loaded.send(ADMIN_ID, "/tyle Nam Tiền Hải")
    assert "<b>95%</b>" in text and "38/40" in text
    assert "23/06/2026 – 29/06/2026" in text
    assert "+12,5 điểm %" in text
    assert "82,5%" in text  # previous rate quoted


async def test_stored_language_beats_telegram_language(loaded: Harness) -> None:
    """A stored preference (en) wins over the Telegram app language (vi)."""
    from bot.core.db import session_scope
    from bot.core.people import set_language_preference

    with session_scope(loaded.engine) as session:
        set_language_preference(session=session, telegram_id=ADMIN_ID, language="en")
    (text,) = await loaded.send(ADMIN_ID, "/tyle nam tien hai", language_code="vi")
    assert "Rank: 62/104" in text


async def test_typed_diacritics_prefer_the_same_diacritics(loaded: Harness) -> None:
    """'/tyle tiền' means Nam Tiền Hải, not the Tiên units; without accents it still asks."""
    (text,) = await loaded.send(ADMIN_ID, "/tyle tiền")
    assert "Đảng ủy xã Nam Tiền Hải" in text and "82,5%" in text
    (text,) = await loaded.send(ADMIN_ID, "/tyle Tiền Hải")  # not the exact 'Tiên Hải'
    assert "Đảng ủy xã Nam Tiền Hải" in text and "82,5%" in text
    (text,) = await loaded.send(ADMIN_ID, "/tyle tiên hải")
    assert "Đảng ủy xã Tiên Hải" in text and "Nam Tiền" not in text
    await loaded.send(ADMIN_ID, "/tyle tien")
    assert len(loaded.last_keyboard()) > 5
