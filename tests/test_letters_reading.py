"""Reading letter files is bounded: size, unpacked size, pages, time; bad files are refused
with a reason, never half-read."""

from __future__ import annotations

import codecs

import pytest

from bot.core.i18n import use_language
from bot.letters.passages import ITEM, split_letter
from bot.letters.reading import LetterFileError, Limits, read_letter, upload_problem
from bot.letters.service import shipped_letters
from tests.letters_kit import docx_bomb, docx_letter, pdf_of, zipped

pytestmark = pytest.mark.sqlite_pass_only  # no database

HUNG_YEN = dict(shipped_letters())["hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt"]


def refused(data: bytes, name: str, limits: Limits | None = None) -> LetterFileError:
    """The error reading a file raises."""
    with pytest.raises(LetterFileError) as caught:
        read_letter(data, name, limits)
    return caught.value


def test_text_in_utf8_or_utf16() -> None:
    """Plain text as saved by Notepad or Word, with or without a byte-order mark."""
    text = HUNG_YEN.decode("utf-8")
    assert read_letter(HUNG_YEN, "cv.txt") == text
    assert read_letter(codecs.BOM_UTF8 + HUNG_YEN, "cv.txt") == text
    assert read_letter(text.encode("utf-16"), "cv.txt") == text


def test_text_in_an_old_vietnamese_encoding_is_refused_with_a_way_out() -> None:
    """A Windows-1258 file would come out garbled: refused, and told to save as UTF-8."""
    legacy = "Kính gửi các đơn vị thực hiện ký số ".encode("cp1258", errors="replace")
    error = refused(legacy * 5, "cv.txt")
    assert error.code == "encoding"
    with use_language("vi"):
        assert "UTF-8" in error.message()


def test_word_numbering_and_footnotes_survive() -> None:
    """Word's own list numbers become the items' numbers; footnotes go with their sentence;
    tables come out as tab-separated rows."""
    text = read_letter(docx_letter(), "cv.docx")
    assert "1. Thủ trưởng các đơn vị ký số văn bản đi bằng chứng thư số của mình.¹" in text
    assert "a) Không giữ hộ thiết bị ký số của lãnh đạo;" in text
    assert "STT\tĐơn vị" in text
    letter = split_letter(text)
    assert letter.header.number == "125/UBND-VP"
    assert letter.header.issuer == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert [p.label for p in letter.passages if p.kind == ITEM] == ["1", "2.a", "2.b"]
    first = next(p for p in letter.passages if p.label == "1")
    assert first.footnotes == ("1. Khoản 3 Điều 32 Nghị định số 30/2020/NĐ-CP.",)


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked() -> None:
    """A 100 KB file that would unpack to 20 MB is refused with a clear message."""
    bomb = docx_bomb(20 * 1024 * 1024)
    assert len(bomb) < 100_000
    error = refused(bomb, "cong-van.docx")
    assert error.code == "docx_bomb"
    with use_language("vi"):
        assert "cong-van.docx" in error.message() and "lớn" in error.message()
    with use_language("en"):
        assert "far larger than any letter" in error.message()


def test_a_docx_with_too_many_parts_or_entities_is_refused() -> None:
    """Thousands of parts, or XML entities (the 'billion laughs'), are not read."""
    many = zipped({f"word/media/{i}.xml": "x" for i in range(2100)})
    assert refused(many, "a.docx").code == "docx_bomb"
    laughs = zipped(
        {
            "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>',
        }
    )
    assert refused(laughs, "a.docx").code == "corrupt"
    assert refused(b"PK\x03\x04 not really a zip", "a.docx").code == "corrupt"


def test_size_limits_before_and_after_download() -> None:
    """Telegram's announced size is checked first; the bytes themselves again."""
    limits = Limits(max_bytes=1000)
    problem = upload_problem("cv.docx", 5000, limits)
    assert problem is not None and problem.code == "too_large"
    assert refused(b"x" * 1001, "cv.txt", limits).code == "too_large"
    assert upload_problem("cv.doc", 10, limits).code == "old_format"  # type: ignore[union-attr]
    assert upload_problem("bang.xlsx", 10, limits).code == "unsupported"  # type: ignore[union-attr]
    assert upload_problem("cv.pdf", 10, limits) is None


def test_a_pdf_with_a_text_layer_is_read_and_split() -> None:
    """A PDF exported from Word: its lines are joined back into the letter's items."""
    text = HUNG_YEN.decode("utf-8").split("PHỤ LỤC")[0]
    letter = split_letter(read_letter(pdf_of(text), "cong-van.pdf"))
    labels = [p.label for p in letter.passages if p.kind == ITEM]
    assert list(dict.fromkeys(labels)) == ["1", "2", "3", "4"]
    item_3 = " ".join(p.text for p in letter.passages if p.label == "3")
    assert "trước ngày 26/6/2026" in item_3
    assert letter.header.title == "thực hiện nghiêm việc ký số văn bản điện tử"


def test_scanned_damaged_or_slow_pdfs_are_refused() -> None:
    """No text layer, not a PDF after all, or longer than the time allowed."""
    assert refused(pdf_of("", image_only=True), "scan.pdf").code == "no_text"
    assert refused(b"%PDF-1.7\n garbage " * 50, "x.pdf").code == "corrupt"
    slow = refused(pdf_of("Kính gửi " * 100), "x.pdf", Limits(pdf_seconds=0.001))
    assert slow.code == "timeout"


def test_binary_or_empty_text_is_refused() -> None:
    """A file with control bytes, or with a few words only."""
    assert refused(b"\x00\x01\x02 abc " * 20, "x.txt").code == "binary"
    assert refused(b"   \n  ", "x.txt").code == "empty"
    assert refused("Kính gửi các đơn vị.".encode(), "x.txt").code == "empty"
