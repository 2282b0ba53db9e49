"""Group summaries with charts, the weekly job, /baocao workbooks, /lichsu and the report CLI."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from pydantic import ValidationError
from sqlmodel import Session, col, select

from bot import cli
from bot.core.db import (
    SIGNING_INDICATOR,
    bump_revision,
    create_db_engine,
    init_db,
    session_scope,
)
from bot.core.i18n import use_language
from bot.core.models import (
    Acknowledgement,
    AppUser,
    Broadcast,
    Indicator,
    OutboxAttachment,
    OutboxMessage,
    Role,
    Unit,
)
from bot.core.stats import PeriodInfo
from bot.core.text import vi_sort_key
from bot.features import links
from bot.groups.service import subscribe
from bot.imports.apply import import_statistics
from bot.reports import service as reports
from bot.summaries.charts import chunk
from bot.summaries.figures import load_summary
from bot.summaries.texts import summary_text
from jobs.summaries import CATCH_UP_NAME, JOB_NAME, queue_summaries, schedule
from tests.app_kit import REPO, document
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness, PublishedRow, make_settings

GROUP = -1001111
AREA_GROUP = -1002222
QUIET_GROUP = -1003333
HEAD = 5002
STAFF_ELSEWHERE = 5003
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PNG = b"\x89PNG\r\n\x1a\n"
AREA_UNITS = ("Nam Tiền Hải", "Tây Tiên Hải", "Đông Tiên Hải", "Tiên Hải")
REFUSAL = "Lệnh này chỉ dành cho Văn phòng (quản trị)."
TITLE_MAY = (
    "THỐNG KÊ TỶ LỆ VĂN BẢN ĐIỆN TỬ ĐƯỢC KÝ SỐ (từ ngày 25/5/2026 đến 15 giờ ngày 07/6/2026)\n"
)


# --- helpers ---------------------------------------------------------------------------------


def may_table(published: list[PublishedRow]) -> bytes:
    """An earlier period: every unit signed 3 documents fewer (no rate column)."""
    lines = ["STT\tĐơn vị\tTổng số lượng văn bản đi\tSố lượng văn bản ký số điện tử"]
    for number, row in enumerate(published, start=1):
        lines.append(f"{number}\t{row.name}\t{row.total}\t{max(0, row.signed - 3)}")
    return (TITLE_MAY + "\n".join(lines) + "\n").encode()


def make_area(h: Harness) -> int:
    """An area 'Khu vực Tiền Hải' holding four communes; return its id."""
    from bot.core.lookup import find_units
    from bot.units import changes as unit_admin

    with session_scope(h.engine) as session:
        area = unit_admin.add_unit(
            session=session, name="Khu vực Tiền Hải", actor=ADMIN_ID, kind="khu-vuc"
        )
        assert area.id is not None
        for name in AREA_UNITS:
            unit = find_units(session=session, query=name).unique
            assert unit is not None, name
            unit_admin.set_area(session=session, unit_id=unit.id, area_id=area.id, actor=ADMIN_ID)
        return area.id


def subscribe_group(h: Harness, chat_id: int, area_id: int | None) -> None:
    """A group receiving the province (None) or an area."""
    with session_scope(h.engine) as session:
        subscribe(
            session=session,
            chat_id=chat_id,
            chat_type="supergroup",
            title=f"Nhóm {chat_id}",
            area_unit_id=area_id,
            actor=ADMIN_ID,
        )


def photos(h: Harness, start: int = 0, chat_id: int | None = None) -> list[Any]:
    """sendPhoto calls since `start` (to one chat)."""
    return [
        c
        for c in h.request.calls[start:]
        if c.method == "sendPhoto" and (chat_id is None or c.params["chat_id"] == chat_id)
    ]


def texts_to(h: Harness, chat_id: int, start: int = 0) -> list[str]:
    """Texts sent to one chat since `start`."""
    return [
        str(c.params["text"])
        for c in h.request.calls[start:]
        if c.method in ("sendMessage", "editMessageText") and c.params.get("chat_id") == chat_id
    ]


def assert_png(data: bytes, *, max_height: int = 3000) -> tuple[int, int]:
    """A real PNG of phone-friendly size; returns (width, height)."""
    assert data.startswith(PNG)
    assert 10_000 < len(data) < 2_000_000
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    assert 800 <= width <= 1600 and 300 <= height <= max_height
    assert height / width <= 20  # Telegram refuses photos with a more extreme ratio
    return width, height


def answers(h: Harness, start: int) -> list[dict[str, Any]]:
    """answerCallbackQuery parameters since `start`."""
    return [c.params for c in h.request.calls[start:] if c.method == "answerCallbackQuery"]


# --- the numbers -----------------------------------------------------------------------------


async def test_province_summary_matches_the_published_table(
    loaded: Harness, published: list[PublishedRow]
) -> None:
    """Overall 82,29 %, 38 below 80 %, 6 below 50 %, 14 at 100 %; best and worst five
    agree with the table read independently."""
    rt = loaded.app.bot_data.runtime
    with Session(loaded.engine) as session:
        summary = load_summary(session=session, standings=rt.standings, area_unit_id=None)
    assert summary is not None
    assert (summary.numerator, summary.denominator) == (4299, 5224)
    assert (summary.below_warning, summary.critical, summary.at_target) == (38, 6, 14)
    assert len(summary.rated) == 104
    rates = sorted(published, key=lambda r: r.rate)
    assert [u.name for u in summary.worst()] == [r.name for r in rates[:5]]
    best_names = {u.name for u in summary.best()}
    assert best_names <= {r.name for r in published if r.rate == 1}
    with use_language("vi"):
        text = summary_text(summary)
    assert len(text) < 4096
    for expected in (
        "Toàn tỉnh",
        "<b>82,29%</b> (4.299/5.224 văn bản)",
        "14 đơn vị đạt 100%",
        "38 đơn vị dưới 80%",
        "6 đơn vị dưới 50%",
        "• Đảng ủy Phường Thái Bình — 9,09% (5/55)",
        "• Đảng ủy xã Nghĩa Trụ — 100% (92/92)",  # ties at 100 %: more documents first
        "… và 9 đơn vị khác cũng đạt 100%",
        "Chưa có kỳ trước để so sánh.",
    ):
        assert expected in text, expected


async def test_area_summary_counts_only_its_units_and_the_change(
    loaded: Harness, published: list[PublishedRow]
) -> None:
    """An area's summary covers its units only, with the change since the previous period."""
    loaded.import_table(may_table(published), "may.tsv")
    loaded.import_table(  # the June table again is the latest period
        (REPO / "bot" / "data" / SHARED_NAME).read_bytes(),
        SHARED_NAME,
        period_start=dt.date(2026, 6, 8),
        period_end=dt.date(2026, 6, 22),
    )
    area_id = make_area(loaded)
    rt = loaded.app.bot_data.runtime
    with Session(loaded.engine) as session:
        summary = load_summary(session=session, standings=rt.standings, area_unit_id=area_id)
    assert summary is not None and summary.area_name == "Khu vực Tiền Hải"
    mine = [r for r in published if r.name.removeprefix("Đảng ủy xã ") in AREA_UNITS]
    assert len(mine) == 4
    assert {u.name for u in summary.units} == {r.name for r in mine}
    signed, total = sum(r.signed for r in mine), sum(r.total for r in mine)
    assert (summary.numerator, summary.denominator) == (signed, total)
    assert summary.previous_numerator == sum(max(0, r.signed - 3) for r in mine)
    with use_language("vi"):
        text = summary_text(summary)
    assert "🏛 Khu vực Tiền Hải" in text and "Tất cả đơn vị:" in text
    assert "So với kỳ trước (25/05/2026 – 07/06/2026" in text
    assert "Nghĩa Trụ" not in text


def test_vietnamese_alphabetical_order() -> None:
    """Ties are broken in Vietnamese dictionary order: a < ă < â, d < đ, tones last."""
    names = ["Đông", "Dương", "Ân", "Ăn", "An", "Bắc", "Án", "Ơn", "Ôn", "On"]
    assert sorted(names, key=vi_sort_key) == [
        "An",
        "Án",
        "Ăn",
        "Ân",
        "Bắc",
        "Dương",
        "Đông",
        "On",
        "Ôn",
        "Ơn",
    ]


# --- charts ------------------------------------------------------------------------------------


def test_chart_font_has_every_vietnamese_letter(published: list[PublishedRow]) -> None:
    """The font matplotlib ships (DejaVu Sans) covers every letter in the unit names and the
    whole Vietnamese alphabet, and rendering them warns about no missing glyph."""
    import matplotlib
    from fontTools.ttLib import TTFont

    from bot.core.stats import Status
    from bot.summaries import charts

    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert bundled.is_file()
    cmap = TTFont(str(bundled)).getBestCmap()
    alphabet = (
        "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    )
    letters = set(alphabet + alphabet.upper() + "".join(r.name for r in published))
    letters = {unicodedata.normalize("NFC", ch) for ch in letters if not ch.isspace()}
    missing = sorted(ch for ch in letters if ord(ch) not in cmap)
    assert missing == []
    bars = [
        charts.Bar(r.name, i + 1, r.signed, r.total, Status.BELOW_TARGET)
        for i, r in enumerate(published[:40])
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = charts.ranking_charts(
            bars=bars,
            title=alphabet.upper(),
            subtitle=alphabet,
            legend=charts.Legend("Đạt 100%", "Từ 80%", "Từ 50%", "Dưới 50%"),
            warning=Fraction(4, 5),
            critical=Fraction(1, 2),
        )
    assert not [w for w in caught if "glyph" in str(w.message).lower()]
    assert len(images) == 1
    assert_png(images[0])


def test_charts_split_into_balanced_images() -> None:
    """At most 40 units per image, sizes balanced: 104 → 35/35/34, 40 → one image."""
    assert [len(c) for c in chunk(list(range(104)))] == [35, 35, 34]
    assert [len(c) for c in chunk(list(range(40)))] == [40]
    assert [len(c) for c in chunk(list(range(41)))] == [21, 20]
    assert chunk([]) == []


# --- /tonghop -----------------------------------------------------------------------------------


async def test_group_summary_on_demand_posts_text_and_three_charts(loaded: Harness) -> None:
    """/tonghop in a subscribed group posts the summary, then the 104 units in three chart
    images; asking again at once does not flood the group."""
    subscribe_group(loaded, GROUP, None)
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    start = len(loaded.request.calls)
    await loaded.send(HEAD, "/tonghop", chat_id=GROUP, chat_type="supergroup")
    (text,) = texts_to(loaded, GROUP, start)
    assert "📊 <b>Tổng hợp: Tỷ lệ văn bản điện tử được ký số</b>" in text
    assert "38 đơn vị dưới 80%" in text
    sent = photos(loaded, start, GROUP)
    assert len(sent) == 3
    assert [c.params["caption"].split(" · ")[-1] for c in sent] == ["ảnh 1/3", "ảnh 2/3", "ảnh 3/3"]
    sizes = [assert_png(c.uploads["photo"][1]) for c in sent]
    assert all(w == sizes[0][0] for w, _h in sizes)
    again = len(loaded.request.calls)
    (reply,) = await loaded.send(HEAD, "/tonghop", chat_id=GROUP, chat_type="supergroup")
    assert "vừa được gửi" in reply
    assert photos(loaded, again) == []


async def test_charts_draw_a_threshold_with_a_decimal(loaded: Harness) -> None:
    """A warning threshold of 82.5% is drawn on the charts as "82,5%" (it used to stop them)."""
    with session_scope(loaded.engine) as session:
        indicator = session.exec(select(Indicator).where(Indicator.code == SIGNING_INDICATOR)).one()
        indicator.warning_threshold = 82.5
        session.add(indicator)
        bump_revision(session)
    subscribe_group(loaded, GROUP, None)
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    start = len(loaded.request.calls)
    await loaded.send(HEAD, "/tonghop", chat_id=GROUP, chat_type="supergroup")
    (text,) = texts_to(loaded, GROUP, start)
    assert "dưới 82,5%" in text
    sent = photos(loaded, start, GROUP)
    assert len(sent) == 3
    for call in sent:
        assert_png(call.uploads["photo"][1])


async def test_group_without_subscription_is_told_how_to_get_one(loaded: Harness) -> None:
    """A group that receives nothing gets pointed at /nhom, and no chart."""
    start = len(loaded.request.calls)
    (reply,) = await loaded.send(ADMIN_ID, "/tonghop", chat_id=QUIET_GROUP, chat_type="group")
    assert "chưa đăng ký nhận tổng hợp" in reply and "/nhom" in reply
    assert photos(loaded, start) == []


async def test_strangers_cannot_ask_for_summaries(loaded: Harness) -> None:
    """/tonghop is for officials: a stranger is told how to get linked."""
    start = len(loaded.request.calls)
    (reply,) = await loaded.send(777, "/tonghop")
    assert reply.startswith("Lệnh này dành cho cán bộ đã được gắn với đơn vị.")
    assert photos(loaded, start) == []


async def test_secretariat_chooses_an_area_in_private(loaded: Harness) -> None:
    """In private the secretariat picks the province or an area; the area's chart follows."""
    area_id = make_area(loaded)
    await loaded.send(ADMIN_ID, "/tonghop")
    keyboard = loaded.last_keyboard()
    assert ("🌐 Toàn tỉnh", "sum:all") in keyboard
    assert ("Khu vực Tiền Hải", f"sum:a:{area_id}") in keyboard
    start = len(loaded.request.calls)
    (text,) = await loaded.press(ADMIN_ID, f"sum:a:{area_id}")
    assert "🏛 Khu vực Tiền Hải" in text and "4 đơn vị có số liệu" in text
    (chart,) = photos(loaded, start)
    assert "Khu vực Tiền Hải" in chart.params["caption"]
    assert_png(chart.uploads["photo"][1])
    start = len(loaded.request.calls)
    await loaded.press(HEAD, "sum:all")  # not the secretariat: refused, nothing posted
    assert answers(loaded, start)[0]["text"] == REFUSAL
    assert photos(loaded, start) == []


async def test_official_in_private_gets_their_area(loaded: Harness) -> None:
    """An official's /tonghop in private shows the area their unit belongs to."""
    make_area(loaded)
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    texts = await loaded.send(HEAD, "/tonghop")
    assert "🏛 Khu vực Tiền Hải" in texts[0]


# --- the weekly job -----------------------------------------------------------------------------


async def test_scheduled_summaries_reach_each_group_once(loaded: Harness) -> None:
    """The Monday run queues each subscribed group's summary and charts once; running again
    (a retry, a restart) adds nothing; the next week they come again."""
    area_id = make_area(loaded)
    subscribe_group(loaded, GROUP, None)
    subscribe_group(loaded, AREA_GROUP, area_id)
    rt = loaded.app.bot_data.runtime
    monday = dt.datetime(2026, 6, 29, 8, 0, tzinfo=TZ)
    first = queue_summaries(rt, now=monday)
    assert (first.groups, first.summaries) == (2, 2)
    assert queue_summaries(rt, now=monday + dt.timedelta(hours=3)).rows == 0
    start = len(loaded.request.calls)
    await loaded.drain()
    province = texts_to(loaded, GROUP, start)
    area = texts_to(loaded, AREA_GROUP, start)
    assert len(province) == 1 and "38 đơn vị dưới 80%" in province[0]
    assert len(area) == 1 and "Khu vực Tiền Hải" in area[0] and "Nghĩa Trụ" not in area[0]
    assert len(photos(loaded, start, GROUP)) == 3
    assert len(photos(loaded, start, AREA_GROUP)) == 1
    assert texts_to(loaded, QUIET_GROUP, start) == []
    for call in photos(loaded, start):
        assert_png(call.uploads["photo"][1])
    with Session(loaded.engine) as session:
        keys = set(session.exec(select(OutboxMessage.dedupe_key)).all())
        stored = len(session.exec(select(OutboxAttachment)).all())
    assert any(k.startswith(f"summary:{GROUP}:ky-so:") and k.endswith(":2026-W27") for k in keys)
    assert stored == 4  # one copy of each image, however many groups get it
    # After delivery, a re-run the same week still sends nothing.
    assert queue_summaries(rt, now=monday + dt.timedelta(days=2)).rows == 0
    assert await loaded.drain() == []
    next_week = queue_summaries(rt, now=monday + dt.timedelta(days=7))
    assert next_week.summaries == 2
    start = len(loaded.request.calls)
    await loaded.drain()
    assert len(texts_to(loaded, GROUP, start)) == 1


async def test_weekly_job_is_scheduled_monday_0800(bot: Harness) -> None:
    """Monday 08:00 in the bot's zone by default, one deterministic job, misfires coalesced."""
    jobs = bot.app.job_queue.get_jobs_by_name(JOB_NAME)
    assert len(jobs) == 1
    job = jobs[0].job
    assert job.id == JOB_NAME
    assert job.misfire_grace_time is None and job.coalesce is True
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "8", "0")
    assert str(job.trigger.timezone) == "Asia/Ho_Chi_Minh"
    await bot.app.job_queue.start()
    try:
        schedule(bot.app)  # registering again replaces, never duplicates
        assert len(bot.app.job_queue.get_jobs_by_name(JOB_NAME)) == 1
        assert bot.app.job_queue.get_jobs_by_name(JOB_NAME)[0].next_t is not None
    finally:
        await bot.app.job_queue.stop(wait=False)


async def test_missed_run_is_caught_up_after_a_restart(bot: Harness) -> None:
    """Starting after this week's moment schedules one catch-up run; before it, none."""
    for job in bot.app.job_queue.get_jobs_by_name(CATCH_UP_NAME):
        job.schedule_removal()
    schedule(bot.app, now=dt.datetime(2026, 6, 29, 7, 0, tzinfo=TZ))  # Monday 07:00
    assert bot.app.job_queue.get_jobs_by_name(CATCH_UP_NAME) == ()
    schedule(bot.app, now=dt.datetime(2026, 7, 1, 9, 0, tzinfo=TZ))  # Wednesday
    assert len(bot.app.job_queue.get_jobs_by_name(CATCH_UP_NAME)) == 1


def test_schedule_settings(tmp_path: Path) -> None:
    """SUMMARY_WEEKDAY / SUMMARY_TIME: validated, 'off' disables."""
    settings = make_settings(tmp_path, SUMMARY_WEEKDAY="Friday", SUMMARY_TIME="7:30")
    assert settings.summary_schedule == (5, dt.time(7, 30))
    assert make_settings(tmp_path, SUMMARY_WEEKDAY="off").summary_schedule is None
    with pytest.raises(ValidationError):
        make_settings(tmp_path, SUMMARY_TIME="25:00")
    with pytest.raises(ValidationError):
        make_settings(tmp_path, SUMMARY_WEEKDAY="someday")


# --- /baocao and the workbook -------------------------------------------------------------------


async def test_report_reimports_to_the_same_numbers(loaded: Harness, tmp_path: Path) -> None:
    """/baocao sends an XLSX in the appendix layout that the importer reads back to the same
    figures and period."""
    start = len(loaded.request.calls)
    await loaded.send(ADMIN_ID, "/baocao")
    name, data = document(loaded, start)
    assert name == "bao-cao-2026-06-08_2026-06-22.xlsx"
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "Ký số 08.06-22.06.2026",
        "Xác nhận đã nhận",
        "Cán bộ không liên lạc được",
    ]
    ws = wb.worksheets[0]
    assert ws["A1"].value == (
        "THỐNG KÊ TỶ LỆ VĂN BẢN ĐIỆN TỬ ĐƯỢC KÝ SỐ (từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)"
    )
    assert [c.value for c in ws[2]] == [
        "STT",
        "Đơn vị",
        "Tổng số lượng văn bản đi",
        "Số lượng văn bản ký số điện tử",
        "Tỷ lệ",
    ]
    assert [c.value for c in ws[3]][:4] == [1, "Đảng ủy xã Nghĩa Trụ", 92, 92]
    assert [c.value for c in ws[106]][:4] == [104, "Đảng ủy Phường Thái Bình", 55, 5]
    assert [c.value for c in ws[107]][:4] == ["Tổng cộng", None, 5224, 4299]
    rates = [ws.cell(row=r, column=5).value for r in range(3, 107)]
    assert rates == sorted(rates, reverse=True)  # as the letters list them
    engine = create_db_engine(f"sqlite:///{tmp_path / 'again.db'}")
    init_db(engine)
    with Session(engine) as session:
        result = import_statistics(
            session=session,
            data=data,
            filename=name,
            tz=TZ,
            after_import=links(default_language="vi").after_import,
        )
    engine.dispose()
    assert (result.rows, result.signed, result.total) == (104, 4299, 5224)
    assert (result.below_warning, result.below_critical, result.at_target) == (38, 6, 14)
    assert (result.period_start, result.period_end) == (dt.date(2026, 6, 8), dt.date(2026, 6, 22))


async def test_report_is_for_the_secretariat_only(loaded: Harness) -> None:
    """An official's /baocao is refused, as is pressing a period button; no file is sent."""
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    start = len(loaded.request.calls)
    assert await loaded.send(HEAD, "/baocao") == [REFUSAL]
    with Session(loaded.engine) as session:
        (period,) = reports.list_periods(session=session)
    await loaded.press(HEAD, f"rep:{period.id}")
    assert answers(loaded, start)[0]["text"] == REFUSAL
    assert [c for c in loaded.request.calls[start:] if c.method == "sendDocument"] == []


async def test_report_period_choice_and_group_refusal(
    loaded: Harness, published: list[PublishedRow]
) -> None:
    """With two periods the secretariat chooses one; in a group the report is not sent."""
    loaded.import_table(may_table(published), "may.tsv")
    start = len(loaded.request.calls)
    (reply,) = await loaded.send(ADMIN_ID, "/baocao", chat_id=GROUP, chat_type="supergroup")
    assert "chat riêng" in reply
    assert [c for c in loaded.request.calls[start:] if c.method == "sendDocument"] == []
    (question,) = await loaded.send(ADMIN_ID, "/baocao")
    assert question == "Lập báo cáo cho kỳ nào?"
    keyboard = loaded.last_keyboard()
    assert [label for label, _data in keyboard] == [
        "08/06/2026 – 22/06/2026",
        "25/05/2026 – 07/06/2026",
    ]
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, keyboard[1][1])
    name, data = document(loaded, start)
    assert name == "bao-cao-2026-05-25_2026-06-07.xlsx"
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert "từ ngày 25/5/2026 đến 15 giờ ngày 07/6/2026" in ws["A1"].value
    assert ws["D107"].value == sum(max(0, r.signed - 3) for r in published)
    start = len(loaded.request.calls)
    await loaded.press(ADMIN_ID, "rep:999")
    assert "không còn số liệu" in answers(loaded, start)[0]["text"]


async def test_report_lists_acknowledgements_and_unreachable_officials(loaded: Harness) -> None:
    """Acknowledgements grouped by what was acknowledged, with units; officials the bot cannot
    reach, with the reason."""
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    loaded.link(STAFF_ELSEWHERE, "Quang Lịch", Role.STAFF)
    with session_scope(loaded.engine) as session:
        broadcast = Broadcast(text="Họp giao ban ký số thứ Hai", created_by=ADMIN_ID)
        session.add(broadcast)
        session.flush()
        broadcast_id = broadcast.id
        nam = session.exec(select(Unit).where(col(Unit.name).contains("Nam Tiền Hải"))).one()
        session.add(
            Acknowledgement(
                subject=f"broadcast:{broadcast_id}",
                telegram_id=HEAD,
                unit_id=nam.id,
                at=dt.datetime(2026, 6, 20, 3, 0, tzinfo=dt.UTC),
            )
        )
        user = session.get(AppUser, STAFF_ELSEWHERE)
        assert user is not None
        user.display_name = "Nguyễn Văn Bình"
        user.reachable = False
        user.unreachable_reason = "Forbidden: bot was blocked by the user"
        user.unreachable_since = dt.datetime(2026, 6, 21, 1, 0, tzinfo=dt.UTC)
        session.add(user)
    start = len(loaded.request.calls)
    await loaded.send(ADMIN_ID, "/baocao")
    _name, data = document(loaded, start)
    wb = load_workbook(io.BytesIO(data))
    acks = [[c.value for c in row] for row in wb["Xác nhận đã nhận"].iter_rows()]
    assert acks[1] == ["Nội dung", "Đơn vị", "Người", "Mã Telegram", "Thời điểm xác nhận"]
    assert acks[2][:4] == [
        f"Thông báo số {broadcast_id}: Họp giao ban ký số thứ Hai",
        "Đảng ủy xã Nam Tiền Hải",
        None,  # no display name known
        HEAD,
    ]
    assert acks[2][4] == "10:00 20/06/2026"
    gone = [[c.value for c in row] for row in wb["Cán bộ không liên lạc được"].iter_rows()]
    assert gone[2][:6] == [
        "Đảng ủy xã Quang Lịch",
        "cán bộ văn phòng",
        "Nguyễn Văn Bình",
        None,
        STAFF_ELSEWHERE,
        "đã chặn bot",
    ]
    assert len(gone) == 3  # the reachable head is not listed


def deadline_sheet(*, session: Session, period: PeriodInfo, tz: ZoneInfo) -> Iterator[Any]:
    """A report section like the deadlines feature's (bot.features links it)."""
    yield ("Hạn nộp báo cáo", ["Đơn vị", "Đã nộp", "Nộp muộn", "Chưa nộp"], [["Xã A", 1, 0, 0]])
    yield reports.ReportSheet(
        title=f"Kỳ {period.end:%d.%m}", header=["Ghi chú"], rows=[[period.end.isoformat()]]
    )


async def test_report_sections_seam(loaded: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sheets from report sections follow the appendix, before acknowledgements."""
    rt = loaded.app.bot_data.runtime
    monkeypatch.setattr(rt, "links", replace(rt.links, report_sections=(deadline_sheet,)))
    start = len(loaded.request.calls)
    await loaded.send(ADMIN_ID, "/baocao")
    _name, data = document(loaded, start)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[1:3] == ["Hạn nộp báo cáo", "Kỳ 22.06"]
    rows = [[c.value for c in row] for row in wb["Hạn nộp báo cáo"].iter_rows()]
    assert rows == [["Đơn vị", "Đã nộp", "Nộp muộn", "Chưa nộp"], ["Xã A", 1, 0, 0]]
    assert wb["Kỳ 22.06"]["A2"].value == "2026-06-22"


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database with the June table, and the environment the CLI reads."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_TELEGRAM_IDS", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    table = REPO / "bot" / "data" / SHARED_NAME
    assert cli.main(["import", str(table), "--period-start", "2026-06-08", "--period-end",
                     "2026-06-22"]) == 0  # fmt: skip
    yield url


def test_report_cli(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m bot report --period … --out FILE` writes the same workbook; an unknown
    period exits 2 listing the periods there are."""
    out = tmp_path / "june.xlsx"
    capsys.readouterr()
    assert cli.main(["report", "--period", "15/06/2026", "--out", str(out)]) == 0
    assert "june.xlsx" in capsys.readouterr().out
    ws = load_workbook(out).worksheets[0]
    assert ws["C107"].value == 5224 and ws["D107"].value == 4299
    assert cli.main(["report"]) == 0
    assert (tmp_path / "bao-cao-2026-06-08_2026-06-22.xlsx").is_file()
    assert cli.main(["report", "--period", "2026-08-01"]) == 2
    err = capsys.readouterr().err
    assert "2026-06-08..2026-06-22" in err
    assert cli.main(["report", "--period", "tomorrow"]) == 2


# --- /lichsu ------------------------------------------------------------------------------------


async def test_history_with_two_periods(loaded: Harness, published: list[PublishedRow]) -> None:
    """/lichsu shows the official's unit over both periods as a chart, figures in the caption."""
    loaded.import_table(may_table(published), "may.tsv")
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    start = len(loaded.request.calls)
    await loaded.send(HEAD, "/lichsu")
    (chart,) = photos(loaded, start)
    caption = chart.params["caption"]
    assert "<b>Đảng ủy xã Nam Tiền Hải</b>" in caption
    lines = caption.splitlines()
    may_line = next(line for line in lines if "25/05/2026 – 07/06/2026" in line)
    june_line = next(line for line in lines if "08/06/2026 – 22/06/2026" in line)
    assert "<b>75%</b> (30/40)" in may_line
    assert "<b>82,5%</b> (33/40)" in june_line and "+7,5" in june_line
    assert lines.index(may_line) < lines.index(june_line)  # oldest first
    width, height = assert_png(chart.uploads["photo"][1], max_height=1200)
    assert width > height
    start = len(loaded.request.calls)
    await loaded.send(HEAD, "/lichsu Quang Lịch")  # not theirs: their own unit instead
    (own,) = photos(loaded, start)
    assert own.params["caption"].startswith("Chỉ Văn phòng mới xem được")
    assert "Nam Tiền Hải" in own.params["caption"] and "Quang Lịch" not in own.params["caption"]


async def test_history_for_the_secretariat_and_a_single_period(loaded: Harness) -> None:
    """The secretariat names any unit (buttons when several match); with one period the
    figures come as text and the chart is promised for later."""
    (question,) = await loaded.send(ADMIN_ID, "/lichsu tiên")
    assert "Chọn" in question
    keyboard = loaded.last_keyboard()
    assert len(keyboard) > 1 and all(data.startswith("hist:") for _label, data in keyboard)
    label, data = keyboard[0]
    start = len(loaded.request.calls)
    texts = await loaded.press(ADMIN_ID, data)
    assert any(f"<b>{label}</b>" in t and "08/06/2026 – 22/06/2026" in t for t in texts)
    assert any("Biểu đồ sẽ có khi đủ hai kỳ" in t for t in texts)
    assert photos(loaded, start) == []
    loaded.link(HEAD, "Nam Tiền Hải", Role.HEAD)
    start = len(loaded.request.calls)
    await loaded.press(HEAD, data)  # someone else's unit
    assert "Chỉ Văn phòng" in answers(loaded, start)[0]["text"]
    (reply,) = await loaded.send(ADMIN_ID, "/lichsu")
    assert "/lichsu Nam Tiền Hải" in reply


async def test_outbox_sends_photos_and_refuses_long_captions(bot: Harness) -> None:
    """A photo push is one sendPhoto with its caption; the image is stored once per content;
    a caption over Telegram's 1,024 characters is refused before anything is queued."""
    from bot.core import outbox

    image = (REPO / "bot" / "data" / SHARED_NAME).read_bytes()  # any bytes stand in for a PNG
    with session_scope(bot.engine) as session:
        pushes = [
            outbox.Push(key=f"t:{chat}", chat_id=chat, text="<b>Biểu đồ</b>", kind="t", photo=image)
            for chat in (GROUP, AREA_GROUP)
        ]
        assert outbox.enqueue_many(session=session, pushes=pushes) == 2
        assert outbox.enqueue_many(session=session, pushes=pushes) == 0
        with pytest.raises(ValueError):
            outbox.enqueue(
                session=session,
                push=outbox.Push(
                    key="t:long", chat_id=GROUP, text="x" * 1025, kind="t", photo=image
                ),
            )
    with Session(bot.engine) as session:
        assert len(session.exec(select(OutboxAttachment)).all()) == 1
    start = len(bot.request.calls)
    await bot.drain()
    sent = photos(bot, start)
    assert sorted(c.params["chat_id"] for c in sent) == sorted([GROUP, AREA_GROUP])
    assert all(c.params["caption"] == "<b>Biểu đồ</b>" for c in sent)
    assert all(c.uploads["photo"][1] == image for c in sent)
    with Session(bot.engine) as session:
        statuses = set(session.exec(select(OutboxMessage.status)).all())
    assert statuses == {"sent"}
