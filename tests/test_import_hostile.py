"""Hostile and oversized tables: bounded reading with named limits, cells that cannot be stored,
encodings, formulas without values, names that differ only in diacritics, many new units
(issue 12 §2, §5, §6)."""

from __future__ import annotations

import argparse
import io
import itertools
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from bot.core.config import Settings
from bot.core.i18n import use_language
from bot.core.models import Measurement, PendingImport, Unit
from bot.features import links
from bot.imports.apply import ImportResult, import_statistics
from bot.imports.cli import cmd_import
from bot.imports.issues import ImportRejected, RowIssue, describe_issue
from bot.imports.limits import ReadLimits
from tests.conftest import ADMIN_ID, Harness
from tests.import_kit import HEADER, TITLE, tsv, units_table, workbook

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LINKS = links(default_language="vi")


def do_import(engine: Engine, data: bytes, name: str = "bang.tsv", **kw: Any) -> ImportResult:
    """import_statistics in a fresh session."""
    with Session(engine) as session:
        return import_statistics(
            session=session, data=data, filename=name, tz=TZ, after_import=(), **kw
        )


def refused(engine: Engine, data: bytes, name: str = "bang.tsv", **kw: Any) -> list[RowIssue]:
    """Every issue of a refused import; nothing was written."""
    with pytest.raises(ImportRejected) as info:
        do_import(engine, data, name, **kw)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Measurement)).one() == 0
    return info.value.issues


def both(issue: RowIssue) -> tuple[str, str]:
    """The issue as the CLI and the chat show it, in Vietnamese and in English."""
    with use_language("vi"):
        vi = describe_issue(issue)
    with use_language("en"):
        en = describe_issue(issue)
    return vi, en


# --- limits: one clear message naming the limit and the setting --------------------------


def bomb_workbook(member_mb: int) -> bytes:
    """A valid workbook with one more member that unpacks to `member_mb` MB of zeros."""
    out = io.BytesIO(workbook([[TITLE], HEADER, ["1", "Đảng ủy xã A", 10, 9, ""]]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.bin", "w") as member:
            for _ in range(member_mb):
                member.write(bytes(1024 * 1024))
    return out.getvalue()


def ticking(step: float) -> ReadLimits:
    """Limits whose clock moves `step` seconds each time it is read (no wall clock)."""
    counter = itertools.count()
    return ReadLimits(time_budget=30, clock=lambda: next(counter) * step)


@pytest.mark.parametrize(
    ("data", "limits", "code", "setting", "shown"),
    [
        (units_table(150), ReadLimits(max_rows=100), "too_many_rows", "IMPORT_MAX_ROWS", "100"),
        (
            bomb_workbook(3),
            ReadLimits(max_unzipped_bytes=2 * 1024 * 1024),
            "too_large_unzipped",
            "IMPORT_MAX_UNZIPPED_MB",
            "2 MB",
        ),
        (units_table(3000), ticking(5.0), "too_slow", "IMPORT_TIME_BUDGET", "30"),
    ],
    ids=["rows", "unzipped", "time"],
)
def test_over_a_limit_is_one_message_naming_the_limit_and_its_setting(
    engine: Engine, data: bytes, limits: ReadLimits, code: str, setting: str, shown: str
) -> None:
    """Rows, an .xlsx that unpacks too large, a slow file: one issue, nothing written."""
    (issue,) = refused(engine, data, limits=limits)
    assert issue.code == code
    vi, en = both(issue)
    assert setting in vi and setting in en
    assert shown in vi and shown in en


def test_a_zip_bomb_is_refused_by_default_without_unpacking_it_into_memory(
    engine: Engine,
) -> None:
    """60 MB of zeros in a 60 KB workbook: refused by its declared size (50 MB by default),
    and reading it never holds more than a few MB."""
    data = bomb_workbook(60)
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        (issue,) = refused(engine, data, "bang.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert issue.code == "too_large_unzipped"
    assert peak < 20 * 1024 * 1024


async def test_in_chat_the_refusal_names_the_setting(settings: Settings, tmp_path: Path) -> None:
    """IMPORT_MAX_ROWS=100 and a table of 150 units: the uploader reads why, in Vietnamese,
    with the setting that raises the limit; no preview is stored."""
    from bot.app import build_application
    from bot.offline import OfflineRequest

    request = OfflineRequest()
    small = settings.model_copy(update={"import_max_rows": 100})
    app = build_application(small, request=request)
    async with app:
        h = Harness(app, request)
        texts = await h.send_document(ADMIN_ID, units_table(150), "bang.tsv")
        with Session(h.engine) as session:
            assert session.exec(select(PendingImport)).first() is None
    app.bot_data.runtime.engine.dispose()
    assert "bị từ chối" in texts[-1]
    assert "hơn 100 dòng" in texts[-1] and "IMPORT_MAX_ROWS" in texts[-1]


# --- cells that cannot be stored are listed with the other bad rows ------------------------


def test_cells_that_cannot_be_stored_are_listed_with_the_other_bad_rows(engine: Engine) -> None:
    """A count of 99999999999999999999999, a name longer than the column, a field longer than
    the csv module reads, an over-long cell and an ordinary mistake: all listed, each on its
    row, before anything is written."""
    data = tsv(
        ["1", "Đảng ủy xã A", "99999999999999999999999", "5", ""],
        ["2", "Đảng ủy xã " + "B" * 300, "10", "5", ""],
        ["3", "Đảng ủy xã C", "10", "5", "x" * 200_000],
        ["4", "Đảng ủy xã D", "10", "5", "", "y" * 5_000],
        ["5", "Đảng ủy xã E", "10", "50", ""],
        ["6", "Đảng ủy xã F", "10", "5", ""],
    )
    issues = refused(engine, data)
    found = sorted((i.row, i.code) for i in issues)
    assert found == [
        (3, "too_large"),
        (4, "name_too_long"),
        (5, "cell_too_long"),
        (6, "cell_too_long"),
        (7, "signed_gt_total"),
    ]
    en = both(next(i for i in issues if i.code == "too_large"))[1]
    assert "99999999999999999999999" in en and "too large" in en
    long_cell = both(next(i for i in issues if i.row == 6))[1]
    assert "5,000 characters" in long_cell and "IMPORT_MAX_CELL_CHARS" in long_cell


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda text: text.encode("cp1258", errors="replace"), "Windows-1258"),
        (lambda text: text.encode("utf-16-le"), "UTF-16"),
        (lambda text: text.encode("utf-16-be"), "UTF-16"),
    ],
    ids=["windows-1258", "utf-16-le", "utf-16-be"],
)
def test_a_csv_not_in_utf8_is_told_to_be_saved_as_utf8(
    engine: Engine, encode: Callable[[str], bytes], encoding: str
) -> None:
    """Windows-1258, UTF-16 without its BOM: the message names the encoding and UTF-8."""
    text = tsv(["1", "Đảng ủy xã Quang Hưng", "10", "9", ""]).decode("utf-8")
    (issue,) = refused(engine, encode(text), "bang.csv")
    assert issue.code == "not_utf8"
    vi, en = both(issue)
    assert encoding in vi and "UTF-8" in vi and "lưu tệp" in vi
    assert encoding in en and "save the file as UTF-8" in en


def test_formulas_without_saved_values_are_named(engine: Engine) -> None:
    """A workbook written by a program: the formulas' values were never computed."""
    data = workbook(
        [
            [TITLE],
            HEADER,
            [1, "Đảng ủy xã A", 10, 9, ""],
            [2, "Đảng ủy xã B", "=5+5", "=3*3", ""],
            [3, "Đảng ủy xã C", 10, "=A1", ""],
        ]
    )
    issues = refused(engine, data, "bang.xlsx")
    assert sorted((i.row, i.code) for i in issues) == [
        (4, "formula_no_value"),
        (4, "formula_no_value"),
        (5, "formula_no_value"),
    ]
    vi, en = both(issues[0])
    assert "open the file in Excel, save it" in en and "công thức" in vi


# --- names that differ only in diacritics --------------------------------------------------


NEXT = "từ ngày 23/6/2026 đến ngày 29/6/2026"
LATER = "từ ngày 30/6/2026 đến ngày 06/7/2026"


def test_an_exact_name_wins_and_a_folded_match_is_reported(engine: Engine) -> None:
    """Stored: Đông Hưng. A file naming Đông Hùng is matched to it but says so; a file naming
    both is not refused as a duplicate: Đông Hưng is Đông Hưng and Đông Hùng is new."""
    do_import(engine, tsv(["1", "Đảng ủy xã Đông Hưng", "10", "9", ""]))
    second = do_import(engine, tsv(["1", "Đảng ủy xã Đông Hùng", "10", "8", ""], title=NEXT))
    assert second.folded == [("Đảng ủy xã Đông Hùng", "Đảng ủy xã Đông Hưng")]
    assert second.new_units == []
    third = do_import(
        engine,
        tsv(
            ["1", "Đảng ủy xã Đông Hùng", "10", "7", ""],
            ["2", "Đảng ủy xã Đông Hưng", "10", "6", ""],
            title=LATER,
        ),
    )
    assert third.new_units == ["Đảng ủy xã Đông Hùng"] and third.folded == []
    with Session(engine) as session:
        names = session.exec(select(Unit.name).order_by(col(Unit.id))).all()
    assert names == ["Đảng ủy xã Đông Hưng", "Đảng ủy xã Đông Hùng"]


async def test_the_preview_shows_a_name_matched_only_without_diacritics(
    loaded: Harness,
) -> None:
    """ "Đảng ủy xã Quang Hùng → Đảng ủy xã Quang Hưng?" before anything is written."""
    data = tsv(["1", "Đảng ủy xã Quang Hùng", "71", "71", ""], title=NEXT)
    preview = (await loaded.send_document(ADMIN_ID, data, "bang.tsv"))[-1]
    assert "chỉ khớp với đơn vị đã có khi bỏ dấu" in preview
    assert "• Đảng ủy xã Quang Hùng → Đảng ủy xã Quang Hưng?" in preview


# --- many new units ------------------------------------------------------------------------


def cli_import(settings: Settings, path: Path, *extra: str) -> int:
    """`python -m bot import PATH [--allow-new-units]` in this process."""
    args = argparse.Namespace(
        file=path,
        period_start=None,
        period_end=None,
        indicator="ky-so",
        allow_new_units="--allow-new-units" in extra,
    )
    with use_language("en"):
        return cmd_import(settings, args, links=LINKS)


def test_the_cli_wants_allow_new_units_for_many_new_units(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """104 units known, a table adding 30 more: refused (exit 1) unless --allow-new-units; a
    first import into an empty database and a folded match go through and are printed."""
    first = tmp_path / "first.tsv"
    first.write_bytes(units_table(104, prefix="Đảng ủy xã Số"))
    assert cli_import(settings, first) == 0
    more = tmp_path / "more.tsv"
    more.write_bytes(units_table(30, prefix="Chi bộ số", title=NEXT))
    assert cli_import(settings, more) == 1
    err = capsys.readouterr().err
    assert "30 new units" in err and "--allow-new-units" in err
    assert cli_import(settings, more, "--allow-new-units") == 0
    assert "30 new units" in capsys.readouterr().out
    folded = tmp_path / "folded.tsv"
    folded.write_bytes(tsv(["1", "Đảng ủy xã Sô 1", "10", "9", ""], title=LATER))
    assert cli_import(settings, folded) == 0
    assert "“Đảng ủy xã Sô 1” was taken as the unit “Đảng ủy xã Số 1”" in capsys.readouterr().out


async def test_the_preview_warns_about_many_new_units(loaded: Harness) -> None:
    """30 new units next to the 104 known: the preview lists some and asks for a second look."""
    preview = (
        await loaded.send_document(
            ADMIN_ID, units_table(30, prefix="Chi bộ số", title=NEXT), "bang.tsv"
        )
    )[-1]
    assert "Sẽ thêm 30 đơn vị mới: Chi bộ số 1, Chi bộ số 2" in preview
    assert "nhiều so với 104 đơn vị đã có" in preview
