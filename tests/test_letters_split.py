"""Each shipped letter splits into the passages its own structure gives, with its identity."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.letters.header import parse_date_input
from bot.letters.passages import APPENDIX, END, INTRO, ITEM, ParsedLetter, split_letter
from bot.letters.service import shipped_letters

pytestmark = pytest.mark.sqlite_pass_only  # no database

LETTERS = dict(shipped_letters())


def parsed(name: str) -> ParsedLetter:
    """A shipped letter, split."""
    return split_letter(LETTERS[name].decode("utf-8"))


def labels(letter: ParsedLetter) -> list[str]:
    """Item labels in order, each once."""
    return list(dict.fromkeys(p.label for p in letter.passages if p.kind == ITEM))


def item(letter: ParsedLetter, label: str) -> str:
    """The text of an item's passages."""
    return " ".join(p.text for p in letter.passages if p.kind == ITEM and p.label == label)


def test_hung_yen_signing_letter() -> None:
    """Four items, the VPTU paragraph closing it, the 104-unit table kept apart."""
    letter = parsed("hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt")
    header = letter.header
    assert header.number == "…-CV/TU"
    assert (header.issued_on, header.precision) == (dt.date(2026, 6, 1), "month")
    assert header.issuer == "Ban Thường vụ Tỉnh ủy Hưng Yên"  # from the signature: no header
    assert header.title == "thực hiện nghiêm việc ký số văn bản điện tử"
    assert labels(letter) == ["1", "2", "3", "4"]
    assert "Mục 2, Phần II Hướng dẫn số 09-HD/VPTW" in item(letter, "1")
    assert "hoàn thành trước ngày 30/6/2026" in item(letter, "2")
    assert "trước ngày 26/6/2026" in item(letter, "3") and "dưới 80%" in item(letter, "3")
    assert item(letter, "4").startswith("Bí thư đảng ủy xã, phường chịu trách nhiệm")
    closing = [p.text for p in letter.passages if p.kind == END]
    assert closing[0].startswith("Giao Văn phòng Tỉnh ủy theo dõi")
    assert [p.kind for p in letter.passages].count(APPENDIX) == 1
    appendix = letter.appendix
    assert appendix is not None and appendix.text.startswith("PHỤ LỤC")
    assert "Đảng ủy Phường Thái Bình\t55\t5\t9%" in appendix.text
    assert all("Thái Bình" not in p.text for p in letter.body)  # the table is not quoted
    assert "Nơi nhận" not in " ".join(p.text for p in letter.passages)


def test_hung_yen_484_sub_items_and_bullets() -> None:
    """Headed items, bullets under item 2, sub-items 3.1 and 3.2 with their lead-ins, and a
    page break in the middle of a word mended."""
    letter = parsed("hung-yen-484-cv-tu-2026-05-21-chuyen-doi-so.txt")
    header = letter.header
    assert header.number == "484-CV/TU"
    assert (header.issued_on, header.precision) == (dt.date(2026, 5, 21), "day")
    assert header.issuer == "Tỉnh ủy Hưng Yên"
    assert header.title.startswith("triển khai thực hiện chỉ đạo của đồng chí Thường trực")
    assert labels(letter) == ["1", "2", "3.1", "3.2", "4"]
    heading_1 = {p.heading for p in letter.passages if p.label == "1"}
    assert heading_1 == {"Về công tác lãnh đạo, chỉ đạo"}
    bullets = [p for p in letter.passages if p.label == "2"]
    assert len(bullets) == 5 and bullets[-1].text.startswith("Tiếp tục triển khai hướng dẫn")
    sub = [p for p in letter.passages if p.label == "3.2"]
    assert "Đảng ủy Ủy ban nhân dân tỉnh lãnh đạo Ủy ban nhân dân tỉnh" in sub[0].heading
    assert sub[-1].text.endswith("Hoàn thành trước ngày 25/6/2026.")  # short line kept with it
    assert "an toàn thông tin, an ninh mạng theo nhiệm vụ" in item(letter, "4")
    assert [p.kind for p in letter.passages][:2] == [INTRO, INTRO]
    assert letter.appendix is None


def test_dong_thap_footnotes_go_with_the_sentences_that_cite_them() -> None:
    """Footnote 2 (the decree on keeping one's token) with item 1, footnote 3 with the
    paragraph on copying paper documents that continues item 2 after the page's footnotes."""
    letter = parsed("dong-thap-ubnd-kgvx-2026-chu-ky-so-cong-vu.txt")
    header = letter.header
    assert header.number == "…/UBND-KGVX"
    assert (header.issued_on, header.precision) == (dt.date(2026, 1, 1), "year")
    assert header.issuer == "Ủy ban nhân dân tỉnh Đồng Tháp"
    assert labels(letter) == ["1", "2", "3", "4"]
    one = next(p for p in letter.passages if p.label == "1")
    assert "chuyển giao chứng thư số cá nhân" in one.text
    assert one.footnotes == (
        "2. Khoản 3 Điều 32 Nghị định số 30/2020/NĐ-CP ngày 05/3/2020: Cá nhân có trách nhiệm "
        "tự bảo quản an toàn thiết bị lưu khóa bí mật và khóa bí mật.",
    )
    two = [p for p in letter.passages if p.label == "2"]
    assert len(two) == 2 and two[1].text.startswith("Hạn chế tối đa thực hiện sao y")
    assert two[1].footnotes[0].startswith("3. Điểm c Khoản 1 Điều 25 Nghị định số 30/2020")
    intro = [p for p in letter.passages if p.kind == INTRO]
    assert intro[1].footnotes[0].startswith("1. Nghị định số 30/2020/NĐ-CP ngày 05/3/2020")
    assert letter.footnote_count == 3
    assert all(not p.text.startswith(("¹", "²", "³")) for p in letter.passages)


def test_tuan_giao_lines_cut_by_the_page_width_are_joined() -> None:
    """One paragraph per item although every line was a paragraph of its own; results by
    unit group under 3.1 and 3.2 with the period in the heading."""
    letter = parsed("tuan-giao-ubnd-vp-2020-12-chu-ky-so.txt")
    header = letter.header
    assert header.issuer == "Ủy ban nhân dân huyện Tuần Giáo"
    assert header.number == "…/UBND-VP"
    assert (header.issued_on, header.precision) == (dt.date(2020, 12, 1), "month")
    assert header.title.startswith("đôn đốc sử dụng chữ ký số trên hệ thống Quản lý văn bản")
    assert labels(letter) == ["1", "2", "3", "3.1", "3.2"]
    assert item(letter, "3").startswith("Nghiêm túc kiểm điểm") and "tối thiểu 80%" in item(
        letter, "3"
    )
    nội_vụ = next(p for p in letter.passages if p.label == "3.1" and "Nội vụ" in p.text)
    assert "Nội vụ (7,69%); Tài nguyên – Môi trường (0%)" in nội_vụ.text
    assert "từ ngày 01/11/2020 đến ngày 8/12/2020" in nội_vụ.heading
    assert "Khối các phòng chuyên môn" in nội_vụ.heading
    closing = [p.text for p in letter.passages if p.kind == END]
    assert closing == [
        "Nhận được Văn bản này, UBND huyện yêu cầu thủ trưởng các cơ quan, đơn vị, chủ tịch "
        "UBND các xã, thị trấn nghiêm túc triển khai thực hiện./."
    ]


def test_xuan_truong_party_header() -> None:
    """The commune's party committee, not the province's party organisation above it."""
    letter = parsed("xuan-truong-cv-du-2026-06-08-phan-mem-dung-chung.txt")
    header = letter.header
    assert header.issuer == "Đảng ủy xã Xuân Trường"
    assert header.number == "…-CV/ĐU"
    assert (header.issued_on, header.precision) == (dt.date(2026, 6, 8), "day")
    assert header.title == "sử dụng các phần mềm dùng chung của cơ quan Đảng"
    assert labels(letter) == ["1", "2", "3", "4"]
    assert "68,04%" in " ".join(p.text for p in letter.passages if p.kind == INTRO)
    assert [p.text[:30] for p in letter.passages if p.kind == END] == [
        "Trong quá trình thực hiện nếu ",
        "Yêu cầu các cơ quan, đơn vị, t",
    ]


def test_letter_items_and_sub_items_of_a_word_letter() -> None:
    """Roman parts, 'a)' points and bullets as Word letters number them."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nSố: 12/UBND-VP\nV/v chữ ký số\n\n"
        "Bắc Ninh, ngày 3 tháng 7 năm 2026\n\nKính gửi: Các sở, ngành.\n\n"
        "Ủy ban nhân dân tỉnh yêu cầu:\n\nI. NHIỆM VỤ CHUNG\n\n"
        "1. Các đơn vị thực hiện ký số toàn bộ văn bản đi trên hệ thống.\n\n"
        "2. Thủ trưởng các đơn vị:\n\n"
        "a) Chịu trách nhiệm về tỷ lệ ký số của đơn vị mình.\n\n"
        "b) Không giao thiết bị ký số cho người khác.\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n\n1. Văn phòng theo dõi, tổng hợp, báo cáo hằng tháng.\n\n"
        "Nơi nhận:\n- Như trên;\n"
    )
    letter = split_letter(text)
    assert letter.header.number == "12/UBND-VP"
    assert letter.header.issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert letter.header.issued_on == dt.date(2026, 7, 3)
    assert [p.label for p in letter.passages if p.kind == ITEM] == [
        "I.1",
        "I.2.a",
        "I.2.b",
        "II.1",
    ]
    point_b = next(p for p in letter.passages if p.label == "I.2.b")
    assert point_b.heading == "NHIỆM VỤ CHUNG — Thủ trưởng các đơn vị"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21/5/2026", (dt.date(2026, 5, 21), "day")),
        ("6/2026", (dt.date(2026, 6, 1), "month")),
        ("2026", (dt.date(2026, 1, 1), "year")),
        ("31/2/2026", None),
        ("hôm qua", None),
    ],
)
def test_dates_typed_in_a_preview(typed: str, expected: object) -> None:
    """The secretariat corrects a date as it is written on letters."""
    assert parse_date_input(typed) == expected
