"""The import's pre-write limits hold for the whole check, not only for reading: the time budget
covers checking rows and matching units, and an .xlsx member that unpacks beyond its declared
size is measured by what it really unpacks to (issue 12 §2)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.core.i18n import use_language
from bot.core.models import ImportBatch, Measurement, Unit
from bot.imports import parse as parse_module
from bot.imports import plan as plan_module
from bot.imports.apply import import_statistics
from bot.imports.issues import ImportRejected, RowIssue, describe_issue
from bot.imports.limits import ReadLimits
from tests.import_kit import HEADER, TITLE, units_table, workbook

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def refused(engine: Engine, data: bytes, name: str, limits: ReadLimits) -> RowIssue:
    """The one issue of a refused import; nothing at all was written."""
    with Session(engine) as session, pytest.raises(ImportRejected) as info:
        import_statistics(
            session=session, data=data, filename=name, tz=TZ, after_import=(), limits=limits
        )
    with Session(engine) as session:
        for table in (Measurement, Unit, ImportBatch):
            assert session.exec(select(func.count()).select_from(table)).one() == 0
    (issue,) = info.value.issues
    return issue


def in_both_languages(issue: RowIssue) -> tuple[str, str]:
    """The issue as the uploader reads it, in Vietnamese and in English."""
    with use_language("vi"):
        vi = describe_issue(issue)
    with use_language("en"):
        en = describe_issue(issue)
    return vi, en


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        """At zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """The time."""
        return self.now

    def jump_after(self, real: Callable[..., Any], seconds: float) -> Callable[..., Any]:
        """`real`, after which the clock has moved on `seconds`."""

        def moved(*args: Any, **kwargs: Any) -> Any:
            result = real(*args, **kwargs)
            self.now += seconds
            return result

        return moved


@pytest.mark.parametrize(
    ("module", "step"),
    [(parse_module, "find_header"), (plan_module, "load_units")],
    ids=["checking-rows", "matching-units"],
)
def test_the_time_budget_covers_checking_rows_and_matching_units(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, module: Any, step: str
) -> None:
    """Reading is instant, then the clock jumps past IMPORT_TIME_BUDGET once the header is
    found (before the rows are checked) or once the units are loaded (before they are
    matched): the same clear refusal naming the setting, nothing written."""
    clock = FakeClock()
    monkeypatch.setattr(module, step, clock.jump_after(getattr(module, step), 31.0))
    issue = refused(engine, units_table(50), "bang.tsv", ReadLimits(time_budget=30, clock=clock))
    assert issue.code == "too_slow"
    vi, en = in_both_languages(issue)
    assert "IMPORT_TIME_BUDGET" in vi and "IMPORT_TIME_BUDGET" in en
    assert "30" in vi and "30" in en


def test_within_the_budget_the_same_table_is_imported(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same steps taking 29 of 30 seconds in all: imported (the check is not too eager)."""
    clock = FakeClock()
    monkeypatch.setattr(plan_module, "load_units", clock.jump_after(plan_module.load_units, 29))
    with Session(engine) as session:
        result = import_statistics(
            session=session,
            data=units_table(50),
            filename="bang.tsv",
            tz=TZ,
            after_import=(),
            limits=ReadLimits(time_budget=30, clock=clock),
        )
    assert result.rows == 50


# --- a member that unpacks beyond its declared size ---------------------------------------


def lying_workbook(member_mb: int, declared: int) -> bytes:
    """A valid workbook plus a member of `member_mb` MB of zeros whose declared size (local
    header and central directory) says `declared` bytes."""
    out = io.BytesIO(workbook([[TITLE], HEADER, ["1", "Đảng ủy xã A", 10, 9, ""]]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.bin", "w") as member:
            for _ in range(member_mb):
                member.write(bytes(1024 * 1024))
    data = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/media/image1.bin")
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, declared)  # local header: uncompressed size
    name = info.filename.encode()
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, declared)  # central directory: the same
    return bytes(data)


def test_a_member_unpacking_beyond_its_declared_size_is_refused_by_what_it_unpacks_to(
    engine: Engine,
) -> None:
    """3 MB of zeros declared as 1 KB, under IMPORT_MAX_UNZIPPED_MB=2: the declared sizes
    pass, the real ones do not — the clear refusal naming the setting, nothing written (not
    'send .xlsx, CSV or TSV')."""
    data = lying_workbook(3, declared=1024)
    declared = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert declared < 1024 * 1024
    issue = refused(engine, data, "bang.xlsx", ReadLimits(max_unzipped_bytes=2 * 1024 * 1024))
    assert issue.code == "too_large_unzipped"
    vi, en = in_both_languages(issue)
    assert "IMPORT_MAX_UNZIPPED_MB" in vi and "IMPORT_MAX_UNZIPPED_MB" in en
    assert "2 MB" in vi and "2 MB" in en


def test_a_member_whose_declared_size_is_wrong_but_small_is_a_damaged_file(
    engine: Engine,
) -> None:
    """The same lie within the limit: refused as a file that cannot be read, nothing written."""
    issue = refused(engine, lying_workbook(1, declared=1024), "bang.xlsx", ReadLimits())
    assert issue.code == "unsupported_format"
