"""Random and mutated files fed to the importer: every outcome is a table or a clean refusal
(ImportRejected with messages that render), never another exception, within a memory bound."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from functools import cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.i18n import use_language
from bot.imports.issues import ImportRejected, describe_issue
from bot.imports.parse import ParsedTable, parse_table
from tests.import_kit import HEADER, TITLE, tsv, workbook

MEMORY_BOUND = 64 * 1024 * 1024
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "latin-1")
NAMES = ("bang.csv", "bang.tsv", "bang.xlsx", "bang.txt", "bang", "bang.pdf")


@cache
def base_text() -> str:
    """A small valid table."""
    return tsv(
        ["1", "Đảng ủy xã Quang Hưng", "71", "71", "100%"],
        ["2", "Đảng ủy xã Nam Tiền Hải", "40", "33", "82,5%"],
        ["3", "Đảng ủy xã Đông Hùng", "1.234", "1.000", "81,04%"],
    ).decode("utf-8")


@cache
def base_xlsx() -> bytes:
    """The same table as a workbook."""
    return workbook(
        [
            [TITLE],
            HEADER,
            [1, "Đảng ủy xã Quang Hưng", 71, 71, 1.0],
            [2, "Đảng ủy xã Nam Tiền Hải", 40, "=33", 0.825],
        ]
    )


@st.composite
def mutated_text(draw: st.DrawFn) -> bytes:
    """The table with text spliced in (odd characters, huge fields), in some encoding."""
    text = base_text()
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        piece = draw(
            st.one_of(
                st.text(max_size=40),
                st.sampled_from(["\t", ";", ",", '"', "\n", "\r", "\x00", "9" * 30, "=1/0"]),
                st.integers(1, 300_000).map(lambda n: "x" * n),
            )
        )
        text = text[:at] + piece + text[at:]
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    """The workbook with bytes flipped, cut short, or a member added."""
    data = bytearray(base_xlsx())
    how = draw(st.sampled_from(["flip", "cut", "member"]))
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
    elif how == "cut":
        del data[draw(st.integers(4, len(data))) :]
    else:
        out = io.BytesIO(bytes(data))
        with zipfile.ZipFile(out, "a") as archive:
            archive.writestr(draw(st.sampled_from(["xl/x.xml", "xl/worksheets/sheet9.xml"])), "<f>")
        data = bytearray(out.getvalue())
    return bytes(data)


FILES = st.one_of(st.binary(max_size=4096), mutated_text(), mutated_xlsx())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=FILES, name=st.sampled_from(NAMES))
@example(data=tsv(["1", "Đảng ủy xã A", "9" * 5000, "1", ""]), name="bang.tsv")
@example(data=tsv(["1", "Đảng ủy xã A", "1" * 300_000, "1", ""]), name="bang.csv")
def test_any_file_is_a_table_or_a_clean_refusal(data: bytes, name: str) -> None:
    """parse_table returns a table or raises ImportRejected whose every issue renders in both
    languages; the memory it takes stays bounded."""
    tracemalloc.start()
    try:
        try:
            table = parse_table(data, name)
        except ImportRejected as exc:
            assert exc.issues
            for issue in exc.issues:
                for language in ("vi", "en"):
                    with use_language(language):
                        assert describe_issue(issue)
        else:
            assert isinstance(table, ParsedTable)
            assert all(0 <= row.signed <= row.total for row in table.rows)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND
