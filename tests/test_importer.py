"""Importing statistics tables: formats, title periods, validation and what ends up stored."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.core.i18n import rate_percent, use_language
from bot.core.models import AppState, ImportBatch, Measurement, ReportingPeriod, Unit
from bot.core.text import fold, short_key, slugify
from bot.features import links
from bot.imports.apply import ImportResult, apply_import, import_statistics
from bot.imports.issues import ImportRejected, RowIssue
from bot.imports.parse import ParsedRow, parse_table
from bot.imports.plan import ImportPlan, plan_import
from bot.imports.reading import read_rows

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LINKS = links(default_language="vi").after_import
SHARED = Path(__file__).resolve().parent.parent / "bot" / "data"
SHARED_NAME = "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
TITLE = (
    "THỐNG KÊ TỶ LỆ VĂN BẢN ĐIỆN TỬ ĐƯỢC KÝ SỐ CỦA ĐẢNG ỦY CÁC XÃ, PHƯỜNG "
    "(từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)"
)
START, END = date(2026, 6, 8), date(2026, 6, 22)
HEADER = [
    "STT",
    "Đơn vị",
    "Tổng số lượng văn bản đi",
    "Số lượng văn bản ký số điện tử",
    "Tỷ lệ văn bản đã phát hành ký số điện tử",
]
TOTAL_COL, SIGNED_COL, RATE_COL, UNIT_COL = HEADER[2], HEADER[3], HEADER[4], HEADER[1]


# --- fixtures and helpers -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_bytes() -> bytes:
    """The published table exactly as shipped: the appendix title lines, header and rows."""
    return (SHARED / SHARED_NAME).read_bytes()


@pytest.fixture(scope="module")
def shared_body(shared_bytes: bytes) -> bytes:
    """The published table from its header row on (no title lines)."""
    return shared_bytes[shared_bytes.index(b"STT\t") :]


@pytest.fixture(scope="module")
def shared_rows(shared_body: bytes) -> list[list[str]]:
    """Data rows of the published table, read with csv independently of the importer."""
    rows = list(csv.reader(shared_body.decode("utf-8").splitlines(), delimiter="\t"))
    assert rows[0] == HEADER
    return rows[1:]


def tsv(*rows: list[str] | str) -> bytes:
    """Tab-separated UTF-8 bytes; a plain string is a one-cell (title) line."""
    lines = [r if isinstance(r, str) else "\t".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def small(*data: list[str], title: bool = True) -> bytes:
    """A small TSV with the title line, the shared header and the given data rows."""
    return tsv(*([TITLE] if title else []), HEADER, *data)


def do_import(
    engine: Engine, data: bytes, filename: str = "bang.tsv", **kw: object
) -> ImportResult:
    """Import through the public entry point in a fresh session."""
    with Session(engine) as session:
        return import_statistics(  # type: ignore[arg-type]
            session=session, data=data, filename=filename, tz=TZ, after_import=LINKS, **kw
        )


def rejected(
    engine: Engine, data: bytes, filename: str = "bang.tsv", **kw: object
) -> list[RowIssue]:
    """Import expecting a refusal; return every issue reported."""
    with pytest.raises(ImportRejected) as info:
        do_import(engine, data, filename, **kw)
    assert info.value.issues
    return info.value.issues


def only(issues: list[RowIssue], code: str) -> RowIssue:
    """The single issue with a code."""
    found = [i for i in issues if i.code == code]
    assert len(found) == 1, issues
    return found[0]


def table_counts(engine: Engine) -> dict[str, int]:
    """How many rows each written table holds."""
    with Session(engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Unit, ReportingPeriod, Measurement, ImportBatch)
        }


def stored(engine: Engine, start: date = START) -> dict[str, tuple[int, int, float | None]]:
    """Unit name → (signed, total, published rate) stored for the period starting on a date."""
    with Session(engine) as session:
        rows = session.exec(
            select(
                Unit.name,
                Measurement.numerator,
                Measurement.denominator,
                Measurement.published_rate,
            )
            .join(Measurement, Measurement.unit_id == Unit.id)  # type: ignore[arg-type]
            .join(ReportingPeriod, ReportingPeriod.id == Measurement.period_id)  # type: ignore[arg-type]
            .where(ReportingPeriod.start_date == start)
        ).all()
    return {name: (num, den, rate) for name, num, den, rate in rows}


def messages(issue: RowIssue) -> tuple[str, str]:
    """The issue's reason in Vietnamese and in English."""
    with use_language("vi"):
        vi = issue.message()
    with use_language("en"):
        en = issue.message()
    return vi, en


def xlsx_bytes(path: Path, rows: list[list[object]], percent_format: str = "0.00%") -> bytes:
    """Write rows to an .xlsx with openpyxl; floats in the rate column get a percent format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in rows:
        sheet.append(values)
        if len(values) == 5 and isinstance(values[4], float):
            sheet.cell(row=sheet.max_row, column=5).number_format = percent_format
    workbook.save(path)
    return path.read_bytes()


# --- the shared table ---------------------------------------------------------------------


def test_shared_tsv_imports_every_unit_with_the_published_totals(
    engine: Engine, shared_bytes: bytes
) -> None:
    """104 units, 4,299 of 5,224 signed, 38 below 80 %, 6 below 50 %, 14 at 100 %."""
    result = do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)

    assert result.rows == 104
    assert (result.total, result.signed) == (5224, 4299)
    assert rate_percent(result.signed, result.total) == Decimal("82.29")
    assert (result.below_warning, result.below_critical, result.at_target) == (38, 6, 14)
    assert (result.period_start, result.period_end) == (START, END)
    # the title's "đến 15 giờ ngày 22/6/2026", stored in UTC
    assert result.as_of == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)
    assert len(result.new_units) == 104 and result.replaced_existing is False
    assert table_counts(engine) == {
        "Unit": 104,
        "ReportingPeriod": 1,
        "Measurement": 104,
        "ImportBatch": 1,
    }
    values = stored(engine)
    assert values["Đảng ủy xã Nghĩa Trụ"] == (92, 92, 100.0)
    assert values["Đảng ủy Phường Thái Bình"] == (5, 55, 9.0)


def test_shared_tsv_batch_records_source_hash_and_actor(
    engine: Engine, shared_bytes: bytes
) -> None:
    """The import batch says which file (name and SHA-256), how many rows and who sent it."""
    result = do_import(
        engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END, actor_telegram_id=42
    )
    with Session(engine) as session:
        batch = session.get(ImportBatch, result.batch_id)
        assert batch is not None
        assert batch.source == SHARED_NAME
        assert batch.sha256 == hashlib.sha256(shared_bytes).hexdigest()
        assert (batch.row_count, batch.new_units, batch.actor_telegram_id) == (104, 104, 42)
        measurement = session.exec(select(Measurement)).first()
        assert measurement is not None and measurement.import_id == batch.id


def test_new_units_get_codes_keys_and_kinds(engine: Engine, shared_bytes: bytes) -> None:
    """Created units can be found by code, folded name and short name."""
    do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)
    with Session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == "Đảng ủy Phường Thái Bình")).one()
    assert unit.code == "dang-uy-phuong-thai-binh"
    assert unit.name_key == "dang uy phuong thai binh"
    assert unit.short_key == "thai binh"
    assert unit.kind == "phuong"


def test_title_line_gives_period_and_as_of(engine: Engine, shared_bytes: bytes) -> None:
    """Title "từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026" → 08–22/06, as of 08:00 UTC."""
    data = (TITLE + "\n").encode("utf-8") + shared_bytes
    result = do_import(engine, data, "bang-ky-so.tsv")
    assert (result.period_start, result.period_end) == (START, END)
    assert result.as_of == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)
    with Session(engine) as session:
        period = session.exec(select(ReportingPeriod)).one()
    assert period.as_of == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)
    assert (result.rows, result.total, result.signed) == (104, 5224, 4299)


@pytest.mark.parametrize(
    ("title", "start", "as_of_local"),
    [
        ("Từ ngày 08/06/2026 đến ngày 22/06/2026", START, None),
        ("từ 08/6 đến 17h00 ngày 22/6/2026", START, datetime(2026, 6, 22, 17, 0)),
        (
            "Số liệu từ ngày 08/6/2026 đến 15 giờ 30 ngày 22/6/2026",
            START,
            datetime(2026, 6, 22, 15, 30),
        ),
        ("TU NGAY 08/6/2026 DEN 15 GIO NGAY 22/6/2026", START, datetime(2026, 6, 22, 15, 0)),
        ("từ ngày 01 tháng 6 năm 2026 đến ngày 22 tháng 6 năm 2026", date(2026, 6, 1), None),
    ],
)
def test_title_variants(title: str, start: date, as_of_local: datetime | None) -> None:
    """Period wording with or without diacritics, hours as "17h00" or "15 giờ 30"."""
    table = parse_table(tsv(title, HEADER, ["1", "Đảng ủy xã A", "10", "9", "90%"]), "bang.tsv")
    assert (table.period_start, table.period_end, table.as_of_local) == (start, END, as_of_local)


def test_options_override_the_title(engine: Engine) -> None:
    """A period given by the sender wins over the title's."""
    result = do_import(
        engine,
        small(["1", "Đảng ủy xã A", "10", "9", "90%"]),
        period_start=date(2026, 6, 1),
        period_end=date(2026, 6, 7),
    )
    assert (result.period_start, result.period_end) == (date(2026, 6, 1), date(2026, 6, 7))
    assert result.as_of is None  # the title's 15:00 belongs to another end date


def test_quang_lich_exactly_80_percent_is_not_below(engine: Engine, shared_bytes: bytes) -> None:
    """24/30 = 80 % exactly: not counted below the 80 % warning line."""
    with Session(engine) as session:
        plan = plan_import(
            session=session, data=shared_bytes, filename=SHARED_NAME, tz=TZ,
            period_start=START, period_end=END,
        )  # fmt: skip
    (row,) = [r for r in plan.table.rows if r.name == "Đảng ủy xã Quang Lịch"]
    assert (row.signed, row.total, row.published_rate) == (24, 30, Decimal("80"))
    assert plan.below_warning == 38
    alone = do_import(engine, small(["66", "Đảng ủy xã Quang Lịch", "30", "24", "80%"]))
    assert (alone.below_warning, alone.below_critical, alone.at_target) == (0, 0, 0)


@pytest.mark.parametrize("published", ["83%", "82%", "82,5%", "82.50%"])
def test_nam_tien_hai_rounded_rate_is_accepted(engine: Engine, published: str) -> None:
    """33/40 = 82.5 %: published 83 % (rounded half up), 82 % or 82,5 % all agree."""
    result = do_import(engine, small(["62", "Đảng ủy xã Nam Tiền Hải", "40", "33", published]))
    assert result.rows == 1
    assert stored(engine)["Đảng ủy xã Nam Tiền Hải"][:2] == (33, 40)


def test_shared_nam_tien_hai_keeps_published_83(engine: Engine, shared_bytes: bytes) -> None:
    """The shared file's 83 % for 33/40 is stored as published."""
    do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)
    assert stored(engine)["Đảng ủy xã Nam Tiền Hải"] == (33, 40, 83.0)


# --- other formats ------------------------------------------------------------------------


def test_csv_utf8_bom_semicolons_and_decimal_comma_rates(
    engine: Engine, shared_rows: list[list[str]]
) -> None:
    """Excel's Vietnamese CSV: BOM, ';' separators, rates like "95,45%"."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for stt, name, total, signed, _rate in shared_rows:
        exact = rate_percent(int(signed), int(total))
        writer.writerow([stt, name, total, signed, f"{exact}%".replace(".", ",")])
    data = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")

    with Session(engine) as session:
        plan = plan_import(session=session, data=data, filename="ky-so.csv", tz=TZ)
    (row,) = [r for r in plan.table.rows if r.name == "Đảng ủy xã Nam Tiền Hải"]
    assert row.published_rate == Decimal("82.50")
    result = do_import(engine, data, "ky-so.csv")
    assert (result.rows, result.total, result.signed) == (104, 5224, 4299)
    assert (result.below_warning, result.below_critical, result.at_target) == (38, 6, 14)
    assert result.as_of == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)
    assert stored(engine)["Đảng ủy xã Nam Tiền Hải"] == (33, 40, 82.5)


def test_comma_csv_without_bom(engine: Engine, shared_rows: list[list[str]]) -> None:
    """Plain comma CSV (quoted title containing commas) is read too."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    writer.writerows(shared_rows)
    result = do_import(engine, out.getvalue().encode("utf-8"), "ky-so.csv")
    assert (result.rows, result.total, result.signed) == (104, 5224, 4299)


def test_excel_unicode_text_utf16(engine: Engine, shared_bytes: bytes) -> None:
    """Excel's "Unicode text" export (UTF-16 with BOM, tabs) imports like the TSV."""
    data = ((TITLE + "\r\n") + shared_bytes.decode("utf-8").replace("\n", "\r\n")).encode("utf-16")
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    result = do_import(engine, data, "ky-so.txt")
    assert (result.rows, result.total, result.signed) == (104, 5224, 4299)


def test_xlsx_with_titles_page_break_totals_and_percent_cells(
    engine: Engine, tmp_path: Path, shared_rows: list[list[str]]
) -> None:
    """Two title rows, header repeated mid-table, "Tổng cộng" and footer rows, 0.00% cells."""
    rows: list[list[object]] = [
        ["ĐẢNG ỦY TỈNH HƯNG YÊN"],
        [TITLE],
        [],
        list(HEADER),
    ]
    for index, (stt, name, total, signed, _rate) in enumerate(shared_rows):
        if index == 52:
            rows.append(list(HEADER))  # page break
        rows.append([int(stt), name, float(total), int(signed), int(signed) / int(total)])
    rows.append(["", "Tổng cộng", 5224, 4299, 4299 / 5224])
    rows.append([])
    rows.append(["Nơi nhận:", "", "", "T/M BAN THƯỜNG VỤ"])
    data = xlsx_bytes(tmp_path / "ky-so.xlsx", rows)

    table = parse_table(data, "ky-so.xlsx")
    assert table.rows[0] == ParsedRow(5, "Đảng ủy xã Nghĩa Trụ", 92, 92, Decimal("100.00"))
    assert table.rows[52].row == 5 + 52 + 1  # the row after the repeated header
    assert table.skipped_rows == 4  # repeated header, totals row, blank row, "Nơi nhận"
    (nam,) = [r for r in table.rows if r.name == "Đảng ủy xã Nam Tiền Hải"]
    assert nam.published_rate == Decimal("82.50")

    result = do_import(engine, data, "ky-so.xlsx")
    assert (result.rows, result.total, result.signed) == (104, 5224, 4299)
    assert (result.below_warning, result.below_critical, result.at_target) == (38, 6, 14)
    assert (result.period_start, result.period_end) == (START, END)
    assert result.as_of == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)


def test_xlsx_whole_percent_cells_round_half_up(engine: Engine, tmp_path: Path) -> None:
    """A "0%" cell holding 0.825 is shown as 83 % and accepted for 33/40."""
    data = xlsx_bytes(
        tmp_path / "t.xlsx",
        [[TITLE], list(HEADER), [62, "Đảng ủy xã Nam Tiền Hải", 40, 33, 0.825]],
        percent_format="0%",
    )
    assert parse_table(data, "t.xlsx").rows[0].published_rate == Decimal("83")
    assert do_import(engine, data, "t.xlsx").rows == 1


def test_xlsx_first_sheet_with_a_header_is_used(tmp_path: Path) -> None:
    """A cover sheet without a table is passed over."""
    workbook = openpyxl.Workbook()
    cover = workbook.active
    assert cover is not None
    cover.append(["Ghi chú: số liệu kèm theo"])
    data_sheet = workbook.create_sheet("Số liệu")
    data_sheet.append([TITLE])
    data_sheet.append(HEADER)
    data_sheet.append([1, "Đảng ủy xã A", 10, 9, "90%"])
    workbook.save(tmp_path / "t.xlsx")
    table = parse_table((tmp_path / "t.xlsx").read_bytes(), "t.xlsx")
    assert [(r.row, r.name, r.signed, r.total) for r in table.rows] == [(3, "Đảng ủy xã A", 9, 10)]


def test_read_rows_gives_line_numbers_and_texts() -> None:
    """Rows carry the line number a text editor shows; blank lines are left out."""
    data = tsv(TITLE, "", HEADER, ["1", "Đảng ủy xã A", "10", "9", "90%"])
    assert read_rows(data, "t.tsv") == [
        (1, [TITLE]),
        (3, HEADER),
        (4, ["1", "Đảng ủy xã A", "10", "9", "90%"]),
    ]


@pytest.mark.parametrize("text", ["1.234", "1,234", "1 234", "1\u00a0234", "1234"])
def test_thousands_separators(text: str) -> None:
    """Counts written with thousands groups are read as whole numbers."""
    (row,) = parse_table(small(["1", "Đảng ủy xã A", text, "1.000", ""]), "t.tsv").rows
    assert (row.total, row.signed) == (1234, 1000)


def test_headers_in_another_order_and_wording() -> None:
    """Columns are found by meaning, not position; no STT or rate column needed."""
    data = tsv(
        "Từ ngày 08/06/2026 đến ngày 22/06/2026",
        ["Số VB đã ký số", "Tên đơn vị", "Tổng số văn bản đi"],
        ["9", "Đảng ủy xã A", "10"],
    )
    (row,) = parse_table(data, "t.tsv").rows
    assert (row.name, row.signed, row.total, row.published_rate) == ("Đảng ủy xã A", 9, 10, None)


# --- validation ---------------------------------------------------------------------------


def test_signed_more_than_total(engine: Engine) -> None:
    """Row 4 (title, header, then rows): signed 12 of 10 is refused and explained."""
    issues = rejected(
        engine,
        small(["1", "Đảng ủy xã A", "10", "9", "90%"], ["2", "Đảng ủy xã B", "10", "12", "120%"]),
    )
    issue = only(issues, "signed_gt_total")
    assert (issue.row, issue.column, issue.value) == (4, SIGNED_COL, "12")
    vi, en = messages(issue)
    assert en == "Signed (12) is more than total (10)"
    assert "12" in vi and "10" in vi


@pytest.mark.parametrize(
    ("cell", "code"),
    [("-5", "negative"), ("abc", "not_a_number"), ("12,5", "not_integer"), ("", "missing_value")],
)
def test_bad_total_cell(engine: Engine, cell: str, code: str) -> None:
    """A total that is negative, text, fractional or empty is pointed at precisely."""
    issues = rejected(engine, small(["1", "Đảng ủy xã A", cell, "3", ""]))
    issue = only(issues, code)
    assert (issue.row, issue.column, issue.value) == (3, TOTAL_COL, cell)
    vi, en = messages(issue)
    assert cell in vi and cell in en
    assert TOTAL_COL in en


def test_messages_in_english(engine: Engine) -> None:
    """English wording of the row-level reasons."""
    issues = rejected(
        engine,
        small(
            ["1", "Đảng ủy xã A", "-5", "3", ""],
            ["2", "Đảng ủy xã B", "abc", "3", ""],
            ["3", "Đảng ủy xã C", "12,5", "3", ""],
        ),
    )
    with use_language("en"):
        texts = [i.message() for i in issues]
    assert texts == [
        f"“{TOTAL_COL}” cannot be negative: -5",
        f"“{TOTAL_COL}” is not a number: “abc”",
        f"“{TOTAL_COL}” must be a whole number: 12,5",
    ]


def test_duplicate_unit_names_the_first_row(engine: Engine) -> None:
    """The same unit twice (different case/diacritics) → the second row, naming the first."""
    issues = rejected(
        engine,
        small(
            ["1", "Đảng ủy xã Nghĩa Trụ", "10", "9", "90%"],
            ["2", "Đảng ủy xã B", "10", "9", "90%"],
            ["3", "ĐẢNG UỶ XÃ NGHĨA TRỤ", "10", "9", "90%"],
        ),
    )
    issue = only(issues, "duplicate_unit")
    assert (issue.row, issue.column, issue.value) == (5, UNIT_COL, "ĐẢNG UỶ XÃ NGHĨA TRỤ")
    assert issue.params["first_row"] == "3"
    vi, en = messages(issue)
    assert en == "“ĐẢNG UỶ XÃ NGHĨA TRỤ” is listed twice (first on row 3)"
    assert "ĐẢNG UỶ XÃ NGHĨA TRỤ" in vi and "3" in vi


def test_rate_that_disagrees_with_counts(engine: Engine) -> None:
    """33/40 is 82.5 %: a published 84 % is more than rounding and is refused."""
    issues = rejected(engine, small(["62", "Đảng ủy xã Nam Tiền Hải", "40", "33", "84%"]))
    issue = only(issues, "rate_mismatch")
    assert (issue.row, issue.column, issue.value) == (3, RATE_COL, "84%")
    vi, en = messages(issue)
    assert en == "Published rate “84%” does not match 33/40 = 82.5%"
    assert "84%" in vi


def test_two_decimal_rate_must_match_to_two_decimals(engine: Engine) -> None:
    """21/22 = 95.4545…: "95,45%" agrees, "95,50%" does not."""
    assert do_import(engine, small(["1", "Đảng ủy xã A", "22", "21", "95,45%"])).rows == 1
    issues = rejected(engine, small(["1", "Đảng ủy xã A", "22", "21", "95,50%"]))
    assert only(issues, "rate_mismatch").value == "95,50%"


def test_zero_documents_ignores_the_rate(engine: Engine) -> None:
    """0/0 has no rate; whatever is published there is not checked."""
    result = do_import(engine, small(["1", "Đảng ủy xã A", "0", "0", "100%"]))
    assert result.rows == 1 and result.below_warning == 0


def test_missing_unit_name(engine: Engine) -> None:
    """A numbered row with figures but no name is refused."""
    issue = only(rejected(engine, small(["7", "", "10", "9", "90%"])), "missing_name")
    assert (issue.row, issue.column, issue.value) == (3, UNIT_COL, "7")
    vi, en = messages(issue)
    assert "7" in vi and "7" in en


def test_no_header(engine: Engine) -> None:
    """A table without recognisable column titles."""
    issue = only(rejected(engine, tsv(["a", "b", "c"], ["1", "x", "2"])), "no_header")
    assert (issue.row, issue.column, issue.value) == (None, None, None)
    vi, en = messages(issue)
    assert "header" in en and vi


@pytest.mark.parametrize("data", [b"", b"  \n\n", tsv(TITLE, HEADER), tsv(HEADER, "Nơi nhận:")])
def test_empty_file(engine: Engine, data: bytes) -> None:
    """No bytes, only blank lines, or a header with no units under it."""
    issues = rejected(engine, data)
    assert [i.code for i in issues] == ["empty_file"]
    vi, en = messages(issues[0])
    assert en == "The file has no data rows" and vi


def test_no_period(engine: Engine) -> None:
    """Without a title period and without options the import cannot be placed in time."""
    issues = rejected(engine, small(["1", "Đảng ủy xã A", "10", "9", "90%"], title=False))
    issue = only(issues, "no_period")
    assert (issue.row, issue.column) == (None, None)
    vi, en = messages(issue)
    assert "period" in en and vi


def test_period_from_file_name_when_no_title(engine: Engine) -> None:
    """Two ISO dates in the file name (as in the shared file's name) also give the period."""
    result = do_import(
        engine, small(["1", "Đảng ủy xã A", "10", "9", "90%"], title=False), SHARED_NAME
    )
    assert (result.period_start, result.period_end, result.as_of) == (START, END, None)


def test_impossible_title_date(engine: Engine) -> None:
    """31/02 cannot be a period start."""
    data = tsv(
        "từ ngày 31/02/2026 đến ngày 22/06/2026", HEADER, ["1", "Đảng ủy xã A", "10", "9", ""]
    )
    issue = only(rejected(engine, data), "bad_period")
    assert issue.value == "31/02/2026"
    vi, en = messages(issue)
    assert "31/02/2026" in vi and "31/02/2026" in en


def test_period_ending_before_it_starts(engine: Engine) -> None:
    """Options with the end before the start are refused."""
    issues = rejected(
        engine,
        small(["1", "Đảng ủy xã A", "10", "9", "90%"]),
        period_start=date(2026, 6, 22),
        period_end=date(2026, 6, 8),
    )
    issue = only(issues, "bad_period")
    assert issue.params["reason"] == "end_before_start"
    with use_language("en"):
        assert (
            issue.message()
            == "The reporting period ends (08/06/2026) before it starts (22/06/2026)"
        )


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "bang.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "bang.doc"),
        (bytes(range(256)) * 4, "bang.csv"),
        (b"STT\tDon vi\n", "bang.docx"),
    ],
)
def test_unsupported_format(engine: Engine, data: bytes, filename: str) -> None:
    """PDF, Word, binary garbage: refused with the file name in the reason."""
    issues = rejected(engine, data, filename)
    assert [i.code for i in issues] == ["unsupported_format"]
    assert issues[0].value == filename
    vi, en = messages(issues[0])
    assert filename in vi and filename in en


def test_zip_that_is_not_a_workbook(engine: Engine) -> None:
    """A zip archive (same magic as .xlsx) that is not a spreadsheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    issues = rejected(engine, buffer.getvalue(), "bang.xlsx")
    assert [i.code for i in issues] == ["unsupported_format"]


def test_unknown_indicator(engine: Engine) -> None:
    """An indicator code the database does not know."""
    issues = rejected(engine, small(["1", "Đảng ủy xã A", "10", "9", "90%"]), indicator_code="xyz")
    issue = only(issues, "unknown_indicator")
    assert issue.value == "xyz"
    assert "xyz" in messages(issue)[1]


def test_two_active_units_with_the_same_name_are_ambiguous(engine: Engine) -> None:
    """If the unit list already holds two active "Đảng ủy xã A", the row cannot be placed."""
    with Session(engine) as session:
        for code in ("a-1", "a-2"):
            key = fold("Đảng ủy xã A")
            session.add(
                Unit(code=code, name="Đảng ủy xã A", name_key=key, short_key=short_key(key))
            )
        session.commit()
    issue = only(rejected(engine, small(["1", "Đảng ủy xã A", "10", "9", "90%"])), "ambiguous_unit")
    assert (issue.row, issue.column, issue.value) == (3, UNIT_COL, "Đảng ủy xã A")
    assert "Đảng ủy xã A" in messages(issue)[1]


def test_every_bad_row_is_reported(engine: Engine, shared_rows: list[list[str]]) -> None:
    """Several problems in one file are all listed, in file order, with their line numbers."""
    rows = [list(r) for r in shared_rows]
    rows[4][3] = "60"  # Lê Quý Đôn: 60 signed of 48
    rows[10][2] = "abc"
    rows[20][4] = "10%"
    rows[30][1] = rows[0][1]
    issues = rejected(engine, small(*rows))
    assert [(i.row, i.code) for i in issues] == [
        (7, "signed_gt_total"),
        (13, "not_a_number"),
        (23, "rate_mismatch"),
        (33, "duplicate_unit"),
    ]


def test_refused_import_writes_nothing(engine: Engine, shared_rows: list[list[str]]) -> None:
    """103 good rows and one bad one: no unit, period, measurement or batch is stored."""
    rows = [list(r) for r in shared_rows]
    rows[-1][2] = "-55"
    with Session(engine) as session:
        revision = session.get(AppState, "data_revision")
        assert revision is not None
        before = revision.value
    rejected(engine, small(*rows))
    assert table_counts(engine) == {
        "Unit": 0,
        "ReportingPeriod": 0,
        "Measurement": 0,
        "ImportBatch": 0,
    }
    with Session(engine) as session:
        revision = session.get(AppState, "data_revision")
        assert revision is not None and revision.value == before


# --- skipping non-data rows ---------------------------------------------------------------


def test_totals_blank_and_footer_rows_are_skipped() -> None:
    """Blank lines, a repeated header, "Tổng cộng" and signature lines are not units."""
    data = tsv(
        TITLE,
        HEADER,
        ["1", "Đảng ủy xã A", "10", "9", "90%"],
        "",
        HEADER,
        ["2", "Đảng ủy xã B", "20", "10", "50%"],
        ["", "Tổng cộng", "30", "19", "63%"],
        "Nơi nhận:",
        ["- Như trên;", "", "", "T/M BAN THƯỜNG VỤ"],
    )
    table = parse_table(data, "t.tsv")
    assert [(r.row, r.name) for r in table.rows] == [(3, "Đảng ủy xã A"), (6, "Đảng ủy xã B")]
    assert table.skipped_rows == 5


# --- storing ------------------------------------------------------------------------------


def test_second_period_leaves_the_first_untouched(
    engine: Engine, shared_bytes: bytes, shared_rows: list[list[str]]
) -> None:
    """Importing 22/06–06/07 adds a period; 08–22/06 figures stay as they were."""
    do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)
    first = stored(engine)
    later = [[s, n, str(int(t) + 10), str(int(g) + 10), ""] for s, n, t, g, _r in shared_rows]
    title = "từ ngày 23/6/2026 đến 15 giờ ngày 06/7/2026"
    result = do_import(engine, tsv(title, HEADER, *later))
    assert (result.period_start, result.period_end) == (date(2026, 6, 23), date(2026, 7, 6))
    assert result.replaced_existing is False and result.new_units == []
    assert stored(engine) == first
    assert stored(engine, date(2026, 6, 23))["Đảng ủy xã Nghĩa Trụ"] == (102, 102, None)
    assert table_counts(engine) == {
        "Unit": 104,
        "ReportingPeriod": 2,
        "Measurement": 208,
        "ImportBatch": 2,
    }


def test_reimporting_a_period_replaces_its_figures(
    engine: Engine, shared_bytes: bytes, shared_rows: list[list[str]]
) -> None:
    """A corrected file for the same period updates in place; a dropped unit loses its row."""
    do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)
    corrected = [list(r) for r in shared_rows[:-1]]  # Phường Thái Bình left out
    corrected[0][2:5] = ["100", "95", "95%"]  # Nghĩa Trụ corrected
    result = do_import(engine, small(*corrected))
    assert result.replaced_existing is True and result.rows == 103
    values = stored(engine)
    assert values["Đảng ủy xã Nghĩa Trụ"] == (95, 100, 95.0)
    assert "Đảng ủy Phường Thái Bình" not in values
    assert table_counts(engine) == {
        "Unit": 104,
        "ReportingPeriod": 1,
        "Measurement": 103,
        "ImportBatch": 2,
    }
    with Session(engine) as session:
        import_ids = set(session.exec(select(Measurement.import_id)).all())
        period = session.exec(select(ReportingPeriod)).one()
    assert import_ids == {result.batch_id}
    assert period.as_of == datetime(2026, 6, 22, 8, 0, tzinfo=UTC)


def test_name_variants_match_the_existing_unit(engine: Engine) -> None:
    """Both "ĐẢNG ỦY XÃ NGHĨA TRỤ" and "Đảng uỷ  xã Nghĩa Trụ" are the unit already known."""
    do_import(engine, small(["1", "Đảng ủy xã Nghĩa Trụ", "92", "92", "100%"]))
    second = tsv(
        "từ ngày 23/6/2026 đến ngày 29/6/2026",
        HEADER,
        ["1", "ĐẢNG ỦY XÃ NGHĨA TRỤ", "50", "40", ""],
    )
    third = tsv(
        "từ ngày 30/6/2026 đến ngày 06/7/2026",
        HEADER,
        ["1", "Đảng uỷ  xã Nghĩa Trụ", "60", "30", ""],
    )
    assert do_import(engine, second).new_units == []
    assert do_import(engine, third).new_units == []
    with Session(engine) as session:
        units = session.exec(select(Unit)).all()
    assert [u.name for u in units] == ["Đảng ủy xã Nghĩa Trụ"]
    assert table_counts(engine)["Measurement"] == 3


def test_new_unit_code_is_made_unique(engine: Engine) -> None:
    """A code already taken by another unit gets a -2 suffix."""
    with Session(engine) as session:
        session.add(Unit(code=slugify("Đảng ủy xã A"), name="Cũ", name_key="cu", short_key="cu"))
        session.commit()
    result = do_import(engine, small(["1", "Đảng  ủy xã   A", "10", "9", "90%"]))
    assert result.new_units == ["Đảng ủy xã A"]
    with Session(engine) as session:
        unit = session.exec(select(Unit).where(Unit.name_key == fold("Đảng ủy xã A"))).one()
    assert (unit.code, unit.name, unit.kind) == ("dang-uy-xa-a-2", "Đảng ủy xã A", "xa")


def test_plan_writes_nothing_and_apply_does_not_commit(engine: Engine, shared_bytes: bytes) -> None:
    """The preview plan counts what would happen; apply leaves committing to the caller."""
    with Session(engine) as session:
        plan = plan_import(
            session=session, data=shared_bytes, filename=SHARED_NAME, tz=TZ,
            period_start=START, period_end=END,
        )  # fmt: skip
        assert isinstance(plan, ImportPlan)
        assert (len(plan.matched), len(plan.new_units)) == (0, 104)
        assert (plan.total, plan.signed, plan.below_warning, plan.below_critical) == (
            5224,
            4299,
            38,
            6,
        )
        assert plan.at_target == 14
        assert table_counts(engine)["Unit"] == 0
        result = apply_import(session=session, plan=plan, actor_telegram_id=7)
        assert result.rows == 104
        session.rollback()
    assert table_counts(engine) == {
        "Unit": 0,
        "ReportingPeriod": 0,
        "Measurement": 0,
        "ImportBatch": 0,
    }


def test_plan_matches_units_already_known(engine: Engine, shared_bytes: bytes) -> None:
    """After a first import every row of the next file is matched, none new."""
    do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)
    with Session(engine) as session:
        plan = plan_import(session=session, data=shared_bytes, filename=SHARED_NAME, tz=TZ)
    assert (len(plan.matched), len(plan.new_units)) == (104, 0)
    assert plan.replaces_existing


def test_successful_import_bumps_the_data_revision(engine: Engine, shared_bytes: bytes) -> None:
    """Caches keyed on the data revision see the new figures."""
    with Session(engine) as session:
        state = session.get(AppState, "data_revision")
        assert state is not None
        before = state.value
    do_import(engine, shared_bytes, SHARED_NAME, period_start=START, period_end=END)
    with Session(engine) as session:
        state = session.get(AppState, "data_revision")
        assert state is not None and state.value == before + 1


def test_ten_thousand_rows_import_and_reimport(engine: Engine) -> None:
    """A large table (10,000 units) imports, and re-imports as a correction (its speed:
    bench/loop_lag.py)."""
    lines = [TITLE, "\t".join(HEADER)]
    for i in range(1, 10_001):
        total, signed = 100 + i % 50, 90 + i % 10
        lines.append(f"{i}\tĐảng ủy đơn vị số {i}\t{total}\t{signed}\t")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    first = do_import(engine, data, "lon.tsv")
    second = do_import(engine, data, "lon.tsv")
    assert (first.rows, len(first.new_units), second.replaced_existing) == (10_000, 10_000, True)
    expected_below = sum(
        1 for i in range(1, 10_001) if Fraction(90 + i % 10, 100 + i % 50) < Fraction(4, 5)
    )
    assert second.below_warning == expected_below
    assert table_counts(engine)["Measurement"] == 10_000


def test_column_numbering_row_under_the_header_is_skipped() -> None:
    """Official tables often number their columns "(1) (2) (3) (4) (5)=(4)/(3)" under the header."""
    data = tsv(
        TITLE,
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)=(4)/(3)"],
        ["1", "Đảng ủy xã A", "10", "9", "90%"],
    )
    table = parse_table(data, "t.tsv")
    assert [(r.row, r.name) for r in table.rows] == [(4, "Đảng ủy xã A")]
    assert table.skipped_rows == 1


def test_total_header_that_also_mentions_signing() -> None:
    """A header "Tổng số văn bản cần ký số" is the total even though it says "ký số"."""
    data = tsv(
        TITLE,
        ["TT", "Tên đơn vị", "Tổng số văn bản cần ký số", "Số văn bản đã ký số", "Tỷ lệ (%)"],
        ["1", "Đảng ủy xã A", "10", "9", "90"],
    )
    (row,) = parse_table(data, "t.tsv").rows
    assert (row.total, row.signed, row.published_rate) == (10, 9, Decimal("90"))


@pytest.mark.parametrize("placeholder", ["#DIV/0!", "-", ""])
def test_rate_placeholder_for_a_unit_without_documents(engine: Engine, placeholder: str) -> None:
    """A unit that sent nothing (0/0) may show "#DIV/0!" or "-" as its rate."""
    result = do_import(
        engine,
        small(
            ["1", "Đảng ủy xã A", "0", "0", placeholder], ["2", "Đảng ủy xã B", "4", "4", "100%"]
        ),
    )
    assert (result.rows, result.total, result.signed, result.at_target) == (2, 4, 4, 1)
    assert stored(engine)["Đảng ủy xã A"] == (0, 0, None)


def test_rate_text_is_not_checked_for_zero_documents(engine: Engine) -> None:
    """Whatever sits in the rate cell of a 0/0 row does not block the import."""
    assert do_import(engine, small(["1", "Đảng ủy xã A", "0", "0", "không có"])).rows == 1


def test_bad_rate_text_is_reported(engine: Engine) -> None:
    """A rate that is not a percentage, on a row with documents, is pointed at."""
    issue = only(
        rejected(engine, small(["1", "Đảng ủy xã A", "10", "9", "chín mươi"])), "not_a_number"
    )
    assert (issue.row, issue.column, issue.value) == (3, RATE_COL, "chín mươi")
