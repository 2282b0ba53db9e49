"""Letter files for tests: a Word letter with a numbered list, a footnote and a table; PDFs;
the five shipped letters indexed as the bot does, or stored in a database."""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

from bot.core.db import create_db_engine, init_db, session_scope
from bot.letters import asked
from bot.letters.passages import APPENDIX, split_letter
from bot.letters.reading import read_letter
from bot.letters.search import LetterIndex, document
from bot.letters.service import load_shipped, shipped_letters

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _p(text: str, num: tuple[int, int] | None = None, footnote: int | None = None) -> str:
    """A Word paragraph, optionally numbered (numId, level) and citing a footnote."""
    ppr = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
        if num
        else ""
    )
    note = f'<w:r><w:footnoteReference w:id="{footnote}"/></w:r>' if footnote is not None else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>{note}</w:p>'


def docx_letter() -> bytes:
    """A Word letter whose items are numbered by Word (1., 2., a), b)) with a footnote."""
    body = "".join(
        [
            _p("ỦY BAN NHÂN DÂN"),
            _p("TỈNH BẮC NINH"),
            _p("Số: 125/UBND-VP"),
            _p("V/v chấn chỉnh việc ký số văn bản điện tử"),
            _p("Bắc Ninh, ngày 7 tháng 7 năm 2026"),
            _p("Kính gửi: Các sở, ban, ngành tỉnh."),
            _p("Qua kiểm tra, một số đơn vị còn để văn thư ký thay lãnh đạo trên hệ thống."),
            _p("Thủ trưởng các đơn vị ký số văn bản đi bằng chứng thư số của mình.", (1, 0), 5),
            _p("Văn phòng các đơn vị:", (1, 0)),
            _p("Không giữ hộ thiết bị ký số của lãnh đạo;", (1, 1)),
            _p("Báo cáo kết quả trước ngày 15/7/2026.", (1, 1)),
            _p("Nơi nhận:"),
            _p("- Như trên;"),
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>"
            "<w:tc><w:p><w:r><w:t>Đơn vị</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        ]
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}'
        "</w:body></w:document>"
    )
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%2)"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>--</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="5"><w:p><w:r><w:t>Khoản 3 Điều 32 Nghị định số 30/2020/NĐ-CP.'
        "</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    return zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": document,
            "word/numbering.xml": numbering,
            "word/footnotes.xml": footnotes,
        }
    )


def zipped(members: dict[str, str | bytes]) -> bytes:
    """A zip archive (deflated) of the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bomb(size: int) -> bytes:
    """A small .docx whose document.xml unpacks to `size` bytes."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    return zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": head + b" " * size})


def pdf_of(text: str, *, image_only: bool = False) -> bytes:
    """A one-page PDF with the text as a text layer (or only a picture of nothing)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(8.27, 11.69))
    try:
        if image_only:
            figure.figimage([[0.2, 0.8], [0.8, 0.2]], 20, 20)
        else:
            y = 0.97
            for paragraph in text.splitlines():
                for line in textwrap.wrap(paragraph, 95) or [""]:
                    figure.text(0.05, y, line, fontsize=7, family="DejaVu Sans")
                    y -= 0.0135
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def shipped_index() -> tuple[LetterIndex, dict[int, tuple[str, str]]]:
    """The five shipped letters indexed as the bot does, and each passage key's (file, label)."""
    index, places, _named = library_with({})
    return index, places


def library_with(
    extra: dict[str, bytes],
) -> tuple[LetterIndex, dict[int, tuple[str, str]], list[asked.Place]]:
    """The five shipped letters and `extra` (file name → file) indexed as the bot does, each
    passage key's (file, label), and the passages' lasting names for the question memory."""
    documents, places, named = [], {}, []
    files = [*shipped_letters(), *extra.items()]
    for number, (name, data) in enumerate(files, start=1):
        letter = split_letter(read_letter(data, name))
        for passage in letter.passages:
            if passage.kind == APPENDIX:
                continue
            key = number * 1000 + passage.seq
            places[key] = (name, passage.label)
            named.append(
                asked.Place(
                    key, letter.header.number, letter.header.issued_on, passage.kind, passage.label
                )
            )
            documents.append(
                document(
                    key,
                    number,
                    text=passage.text,
                    heading=passage.heading,
                    footnotes=passage.footnotes,
                    letter_text=f"{letter.header.title} {letter.header.issuer}",
                    place=f"{passage.kind}:{passage.label}",
                )
            )
    return LetterIndex(documents), places, named


@contextmanager
def letters_database(url: str) -> Iterator[Any]:
    """A migrated database at `url` holding the five shipped letters."""
    engine = create_db_engine(url)
    init_db(engine)
    with session_scope(engine) as session:
        load_shipped(session=session)
    try:
        yield engine
    finally:
        engine.dispose()
