"""Where features meet: deadline reminders replace warnings; the report lists deadlines."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from bot.core import models
from tests import deadline_kit as kit
from tests.app_kit import document
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness
from tests.warnings_kit import CRITICAL_TITLE, WARNING_TITLE, drained, link_all, scheduled


@pytest.fixture
def june(loaded: Harness) -> Iterator[Harness]:
    """The loaded application on a simulated clock at 16:00 22/06/2026, for every 'now'."""
    clock = kit.use_clock(loaded, kit.at(6, 22, 16))
    models.use_clock(clock)
    yield loaded
    models.use_clock(None)


async def test_open_explanation_deadline_replaces_warnings_until_it_passes(
    june: Harness, shared_tsv: bytes
) -> None:
    """The 38 units that owe an explanation are reminded by the deadline, not warned as well;
    once the deadline has passed, the weekly run warns them."""
    link_all(june)
    await kit.create_template(june, "report80")
    await june.drain()
    june.import_table(shared_tsv, SHARED_NAME)
    sent = await drained(june)
    assert not [t for _c, t in sent if WARNING_TITLE in t or CRITICAL_TITLE in t]
    (status,) = await june.send(ADMIN_ID, "/canhbao")
    assert "thay bằng nhắc hạn: 38" in status

    clock = june.app.bot_data.runtime.clock
    clock.set(kit.at(6, 27, 8))
    scheduled(june, clock())
    sent = await drained(june)
    warned = [t for _c, t in sent if WARNING_TITLE in t or CRITICAL_TITLE in t]
    assert len(warned) == 38 and sum(CRITICAL_TITLE in t for t in warned) == 6


async def test_report_has_the_deadline_compliance_sheet(june: Harness) -> None:
    """/baocao lists every unit of every open deadline with its state."""
    kit.link_officials(june)
    deadline_id = await kit.create_template(june, "report80")
    start = len(june.request.calls)
    await june.send(ADMIN_ID, "/baocao")
    _name, data = document(june, start)
    sheet = load_workbook(io.BytesIO(data))["Hạn chót"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "STT",
        "Hạn chót",
        "Hạn",
        "Đơn vị",
        "Trạng thái",
        "Thời điểm nộp",
        "Số biên nhận",
        "Đã nhận",
    ]
    assert len(rows) == 1 + 38
    assert {r[0] for r in rows[1:]} == {deadline_id}
    assert {r[4] for r in rows[1:]} == {"chưa nộp (còn hạn)"}
