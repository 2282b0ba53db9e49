"""Low-rate warnings: who is warned, dedupe, repeats, resolved notes, silences, inhibition."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from bot.alerts.policy import configure
from bot.core.db import SIGNING_INDICATOR, session_scope
from bot.core.links import Inhibitor
from bot.core.models import (
    AlertState,
    AppUser,
    AuditLog,
    OutboxMessage,
    Role,
    Unit,
    WarningSilence,
    utcnow,
)
from bot.features import links
from jobs.alerts import job_name, schedule_warning_jobs
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness, PublishedRow
from tests.warnings_kit import (
    CRITICAL_TITLE,
    HEADS,
    WARNING_TITLE,
    drained,
    link_all,
    scheduled,
    signing_id,
)

STAFF = 800_000
RESOLVED_TITLE = "đã không còn dưới 80%"
REFUSAL = "Lệnh này chỉ dành cho Văn phòng (quản trị)."

NVL = "Đảng ủy xã Nguyễn Văn Linh"  # 23/40 = 57.5 %
TRA_LY = "Đảng ủy Phường Trà Lý"  # 38/48 = 79.17 %
VU_TIEN = "Đảng ủy xã Vũ Tiên"  # 9/27 = 33.33 %, critical
TIEN_LU = "Đảng ủy xã Tiên Lữ"  # 37/48 = 77.08 %
QUANG_LICH = "Đảng ủy xã Quang Lịch"  # 24/30 = exactly 80 %, not below


def clean(name: str) -> str:
    """A unit's name as the importer stores it."""
    return " ".join(name.split())


def unit_ids(h: Harness) -> dict[str, int]:
    """Unit name → id."""
    with Session(h.engine) as session:
        return {u.name: u.id for u in session.exec(select(Unit))}  # type: ignore[misc]


def below(published: list[PublishedRow], threshold: Fraction) -> set[str]:
    """Names of units strictly below a rate."""
    return {clean(r.name) for r in published if r.total and r.rate < threshold}


def edited_table(shared_tsv: bytes, changes: dict[str, int]) -> bytes:
    """The shared table with some units' signed counts changed (their rate cell emptied)."""
    lines = shared_tsv.decode("utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        if clean(cells[1]) in changes:
            cells[3] = str(changes[clean(cells[1])])
            cells[4] = ""
        out.append("\t".join(cells))
    return ("\n".join(out) + "\n").encode("utf-8")


async def import_in_chat(h: Harness, data: bytes, name: str = SHARED_NAME) -> str:
    """Upload as the admin, press Confirm; return the final report."""
    await h.send_document(ADMIN_ID, data, name)
    keyboard = h.last_keyboard()
    assert keyboard and keyboard[0][1].startswith("imp:ok:")
    texts = await h.press(ADMIN_ID, keyboard[0][1])
    return texts[-1]


def chats(items: Iterable[tuple[int, str]]) -> set[int]:
    """Distinct chat ids."""
    return {chat for chat, _text in items}


# --- the scenario of the issue -------------------------------------------------------------------


async def test_import_warns_every_unit_below_once(
    loaded: Harness, shared_tsv: bytes, published: list[PublishedRow]
) -> None:
    """38 units below 80 % get one warning each (6 critical); a second import sends nothing."""
    people = link_all(loaded)
    report = await import_in_chat(loaded, shared_tsv)
    assert "📨 Cảnh báo: 38 đơn vị được cảnh báo (6 nghiêm trọng). Chi tiết: /canhbao" in report

    sent = await drained(loaded)
    assert len(sent) == 38
    assert {people[chat] for chat in chats(sent)} == below(published, Fraction(4, 5))
    critical = [(chat, text) for chat, text in sent if CRITICAL_TITLE in text]
    assert {people[chat] for chat in chats(critical)} == below(published, Fraction(1, 2))
    assert len(critical) == 6
    assert all(WARNING_TITLE in text for chat, text in sent if (chat, text) not in critical)

    report = await import_in_chat(loaded, shared_tsv)
    assert "📨 Cảnh báo: không có gì mới cần gửi. Chi tiết: /canhbao" in report
    assert await drained(loaded) == []


async def test_warning_names_rate_rank_and_gap(
    loaded: Harness, shared_tsv: bytes, published: list[PublishedRow]
) -> None:
    """The text gives the rate, the documents owed to 80 % and 100 %, and the rank."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    sent = dict(await drained(loaded))
    row = next(r for r in published if clean(r.name) == NVL)
    rank = 1 + sum(1 for r in published if r.total and r.rate > row.rate)
    text = sent[HEADS + unit_ids(loaded)[NVL]]
    assert f"⚠️ <b>Cảnh báo: {NVL} dưới 80%</b>" in text
    assert "Kính gửi đồng chí," in text
    assert (
        "Tỷ lệ văn bản điện tử được ký số của đơn vị: <b>57,5%</b> (23/40 văn bản), "
        f"xếp hạng {rank}/104." in text
    )
    need80 = math.ceil(Fraction(4, 5) * row.total) - row.signed
    assert f"Cần ký thêm {need80} văn bản để đạt 80%, 17 văn bản để đạt 100%." in text
    assert need80 == 9
    assert "Kỳ báo cáo: 08/06/2026 – 22/06/2026" in text


async def test_heads_and_staff_are_warned_viewers_and_unreachable_are_not(
    loaded: Harness, shared_tsv: bytes
) -> None:
    """Head and staff get it; critical texts tell staff whether the head got it too."""
    loaded.link(5001, VU_TIEN, Role.HEAD)
    loaded.link(5002, VU_TIEN, Role.STAFF)
    loaded.link(5003, VU_TIEN, Role.VIEWER)
    loaded.link(5004, "Thái Bình", Role.STAFF)  # critical, no head linked
    loaded.link(5005, NVL, Role.STAFF)
    with session_scope(loaded.engine) as session:
        user = session.get(AppUser, 5005)
        assert user is not None
        user.reachable = False  # blocked the bot
    loaded.import_table(shared_tsv, SHARED_NAME)
    sent = dict(await drained(loaded))
    assert set(sent) == {5001, 5002, 5004}
    assert CRITICAL_TITLE in sent[5001] and CRITICAL_TITLE in sent[5002]
    assert "Thủ trưởng đơn vị chịu trách nhiệm cá nhân" in sent[5001]
    assert "Thủ trưởng đơn vị cũng nhận được cảnh báo này." not in sent[5001]
    assert "Thủ trưởng đơn vị cũng nhận được cảnh báo này." in sent[5002]
    assert "Thủ trưởng đơn vị chưa liên kết với bot" in sent[5004]


async def test_english_reader_gets_english(loaded: Harness, shared_tsv: bytes) -> None:
    """A person who chose English gets the warning in English, numbers in English style."""
    loaded.link(5010, NVL, Role.HEAD)
    await loaded.send(5010, "/language en")
    loaded.import_table(shared_tsv, SHARED_NAME)
    sent = dict(await drained(loaded))
    assert "Warning: Đảng ủy xã Nguyễn Văn Linh is below 80%" in sent[5010]
    assert "Sign 9 documents more to reach 80%, 17 documents to reach 100%." in sent[5010]
    assert "57.5%" in sent[5010]


async def test_improved_table_sends_resolved_notes_to_units_that_crossed(
    loaded: Harness, shared_tsv: bytes
) -> None:
    """Crossing 80 % (exactly 80 % counts) gets a short note; still-below units get nothing new
    except a changed level; a unit that fell below is warned."""
    people = link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    assert len(await drained(loaded)) == 38
    improved = edited_table(
        shared_tsv,
        {NVL: 32, TRA_LY: 48, VU_TIEN: 20, TIEN_LU: 38, QUANG_LICH: 20},
    )
    report = await import_in_chat(loaded, improved)
    assert "2 đơn vị đã trở lại từ 80% trở lên và đã được thông báo" in report
    sent = await drained(loaded)
    by_unit = {people[chat]: text for chat, text in sent}
    assert set(by_unit) == {NVL, TRA_LY, VU_TIEN, QUANG_LICH}
    assert RESOLVED_TITLE in by_unit[NVL] and RESOLVED_TITLE in by_unit[TRA_LY]
    assert "<b>80%</b> (32/40 văn bản)" in by_unit[NVL]
    assert "còn 8 văn bản nữa để đạt 100%" in by_unit[NVL]
    assert "đã đạt mục tiêu" in by_unit[TRA_LY]
    # critical → warning level: a new (milder) warning with the new rate, no resolved note
    assert WARNING_TITLE in by_unit[VU_TIEN] and "74,07%" in by_unit[VU_TIEN]
    assert RESOLVED_TITLE not in by_unit[VU_TIEN]
    assert WARNING_TITLE in by_unit[QUANG_LICH]  # fell from 80 % to 66,67 %

    # the same improved table again: nothing
    loaded.import_table(improved, SHARED_NAME)
    assert await drained(loaded) == []


async def test_new_period_warns_again(loaded: Harness, shared_tsv: bytes) -> None:
    """A new reporting period is a new warning for every unit still below."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    assert len(await drained(loaded)) == 38
    loaded.import_table(shared_tsv, "ky-so-2026-06-22_2026-07-06.tsv")
    sent = await drained(loaded)
    assert len(sent) == 38
    assert all("22/06/2026 – 06/07/2026" in text for _chat, text in sent)


async def test_import_of_an_older_period_warns_nobody(loaded: Harness, shared_tsv: bytes) -> None:
    """Back-filling an earlier period does not warn about old figures."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    await drained(loaded)
    loaded.import_table(shared_tsv, "ky-so-2026-05-25_2026-06-07.tsv")
    assert await drained(loaded) == []


# --- repeats -------------------------------------------------------------------------------------


async def test_repeat_at_most_every_repeat_interval(loaded: Harness, shared_tsv: bytes) -> None:
    """Still below: the weekly run repeats only once 7 days have passed, numbered."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    await drained(loaded)
    t0 = utcnow()

    outcome = scheduled(loaded, t0 + dt.timedelta(days=6, hours=22))
    assert outcome.repeated == [] and await drained(loaded) == []

    scheduled(loaded, t0 + dt.timedelta(days=7))
    sent = await drained(loaded)
    assert len(sent) == 38
    assert all("🔁 Nhắc lại lần 1: đơn vị vẫn dưới 80% từ" in text for _c, text in sent)

    scheduled(loaded, t0 + dt.timedelta(days=8))
    assert await drained(loaded) == []
    scheduled(loaded, t0 + dt.timedelta(days=14))
    sent = await drained(loaded)
    assert len(sent) == 38 and all("Nhắc lại lần 2" in text for _c, text in sent)
    with Session(loaded.engine) as session:
        keys = session.exec(
            select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).endswith(":r2"))
        ).all()
    assert len(keys) == 38


async def test_import_does_not_repeat(loaded: Harness, shared_tsv: bytes) -> None:
    """Re-importing the same period never counts as a repeat (only the schedule repeats)."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    await drained(loaded)
    with session_scope(loaded.engine) as session:  # pretend the warnings went out long ago
        for state in session.exec(select(AlertState)).all():
            state.last_sent_at = utcnow() - dt.timedelta(days=30)
            session.add(state)
    loaded.import_table(shared_tsv, SHARED_NAME)
    assert await drained(loaded) == []


async def test_repeat_interval_per_indicator(loaded: Harness, shared_tsv: bytes) -> None:
    """A 2-day repeat interval set for the indicator repeats after 2 days."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    await drained(loaded)
    with session_scope(loaded.engine) as session:
        configure(session=session, indicator_code=SIGNING_INDICATOR, repeat="2d")
    scheduled(loaded, utcnow() + dt.timedelta(days=2))
    assert len(await drained(loaded)) == 38


# --- silences ------------------------------------------------------------------------------------


async def test_silence_stops_warnings_but_not_the_resolved_note(
    loaded: Harness, shared_tsv: bytes
) -> None:
    """A silenced unit gets no repeat; rising above 80 % still brings its note."""
    people = link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    await drained(loaded)
    until = (utcnow() + dt.timedelta(days=20)).astimezone(dt.UTC).date()
    texts = await loaded.send(ADMIN_ID, f"/imlang Nguyễn Văn Linh {until:%d/%m/%Y} đã giải trình")
    assert f"🔕 Đã tạm dừng cảnh báo cho <b>{NVL}</b> đến hết {until:%d/%m/%Y}." in texts[0]
    assert "Lý do: đã giải trình" in texts[0]
    with Session(loaded.engine) as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "warnings.silence")).one()
        assert audit.actor_telegram_id == ADMIN_ID

    scheduled(loaded, utcnow() + dt.timedelta(days=7))
    repeated = {people[c] for c in chats(await drained(loaded))}
    assert len(repeated) == 37 and NVL not in repeated

    loaded.import_table(edited_table(shared_tsv, {NVL: 32}), SHARED_NAME)
    sent = await drained(loaded)
    assert [(people[c], RESOLVED_TITLE in t) for c, t in sent] == [(NVL, True)]


async def test_silenced_before_the_first_warning_then_lifted(
    loaded: Harness, shared_tsv: bytes
) -> None:
    """Silenced: no warning, shown in /canhbao; lifted with its button: warned at the next run."""
    people = link_all(loaded)
    first = f"{(utcnow() + dt.timedelta(days=30)).date():%d/%m/%Y}"
    day = f"{(utcnow() + dt.timedelta(days=20)).date():%d/%m/%Y}"
    await loaded.send(ADMIN_ID, f"/imlang Vũ Tiên {first} chờ giải trình")
    texts = await loaded.send(ADMIN_ID, f"/imlang Vũ Tiên {day}")  # replaces the first
    assert f"đến hết {day}" in texts[0]
    loaded.import_table(shared_tsv, SHARED_NAME)
    sent = await drained(loaded)
    assert len(sent) == 37 and VU_TIEN not in {people[c] for c in chats(sent)}

    status = (await loaded.send(ADMIN_ID, "/canhbao"))[0]
    assert "tạm dừng: 1" in status
    assert f"🔴 {VU_TIEN} — 33,33% (9/27) hạng 102 · 🔕 tạm dừng đến hết {day}" in status

    listing = (await loaded.send(ADMIN_ID, "/imlang_ds"))[0]
    assert "<b>1 đơn vị đang tạm dừng cảnh báo</b>" in listing
    assert f"1. {VU_TIEN} — đến hết {day}" in listing
    label, data = loaded.last_keyboard()[0]
    assert label == f"🔔 Bật lại: {VU_TIEN}" and data.startswith("wn:un:")
    texts = await loaded.press(ADMIN_ID, data)
    assert "Không có đơn vị nào đang tạm dừng cảnh báo" in texts[-1]
    stale = await loaded.press(ADMIN_ID, data)  # the same button again
    assert stale  # the list is shown again
    assert any(
        c.method == "answerCallbackQuery" and "đã kết thúc" in str(c.params.get("text"))
        for c in loaded.request.calls[-3:]
    )

    scheduled(loaded, utcnow())
    sent = await drained(loaded)
    assert [people[c] for c in chats(sent)] == [VU_TIEN]
    assert CRITICAL_TITLE in sent[0][1]


async def test_silence_command_checks_its_input(loaded: Harness) -> None:
    """Usage, impossible and past dates, unknown units; nothing is written for any of them."""
    assert "Gõ tên đơn vị và ngày cuối cùng" in (await loaded.send(ADMIN_ID, "/imlang"))[0]
    assert "Gõ tên đơn vị" in (await loaded.send(ADMIN_ID, "/imlang Vũ Tiên"))[0]
    bad = (await loaded.send(ADMIN_ID, "/imlang Vũ Tiên 31/02/2099"))[0]
    assert "“31/02/2099” không phải ngày hợp lệ" in bad
    past = (await loaded.send(ADMIN_ID, "/imlang Vũ Tiên 01/01/2020"))[0]
    assert "Ngày này đã qua" in past
    day = (utcnow() + dt.timedelta(days=3)).date()
    unknown = (await loaded.send(ADMIN_ID, f"/imlang Sao Hỏa {day:%d/%m/%Y}"))[0]
    assert "Không tìm thấy đơn vị nào khớp với “Sao Hỏa”" in unknown
    with Session(loaded.engine) as session:
        assert session.exec(select(WarningSilence)).all() == []


async def test_silence_needs_a_day_within_a_year(loaded: Harness) -> None:
    """More than a year ahead is refused; nothing is written."""
    day = (utcnow() + dt.timedelta(days=400)).date()
    text = (await loaded.send(ADMIN_ID, f"/imlang Vũ Tiên {day:%d/%m/%Y}"))[0]
    assert text == "Chỉ được tạm dừng cảnh báo tối đa một năm."
    with Session(loaded.engine) as session:
        assert session.exec(select(WarningSilence)).all() == []


async def test_ambiguous_silence_offers_buttons_and_keeps_the_reason(loaded: Harness) -> None:
    """Several matches: choose with a button; the reason typed is kept."""
    day = (utcnow() + dt.timedelta(days=10)).date()
    texts = await loaded.send(ADMIN_ID, f"/imlang tien {day:%d/%m/%Y} đã họp")
    assert "Chọn đơn vị cần tạm dừng cảnh báo" in texts[0]
    data = next(d for lb, d in loaded.last_keyboard() if "Nam Tiền Hải" in lb)
    assert data == f"wn:s:{unit_ids(loaded)['Đảng ủy xã Nam Tiền Hải']}:{day:%Y%m%d}"
    texts = await loaded.press(ADMIN_ID, data)
    assert "Đã tạm dừng cảnh báo cho <b>Đảng ủy xã Nam Tiền Hải</b>" in texts[-1]
    assert "Lý do: đã họp" in texts[-1]


async def test_only_the_secretariat_may_silence_or_see_warnings(loaded: Harness) -> None:
    """Officials are refused before any handler runs; buttons too."""
    loaded.link(5020, VU_TIEN, Role.HEAD)
    for command in ("/imlang Vũ Tiên 30/12/2026", "/imlang_ds", "/canhbao", "/silence x"):
        assert await loaded.send(5020, command) == [REFUSAL]
    await loaded.press(5020, "wn:run:1")
    assert loaded.request.calls[-1].params.get("text") == REFUSAL
    with Session(loaded.engine) as session:
        assert session.exec(select(WarningSilence)).all() == []


# --- inhibition ----------------------------------------------------------------------------------

INHIBITED: set[int] = set()
INHIBITOR_CALLS: list[dict[str, Any]] = []


def plug_inhibitor(h: Harness, monkeypatch: pytest.MonkeyPatch, inhibitor: Inhibitor) -> None:
    """Compose the running bot with `inhibitor` in place of the deadlines' check."""
    monkeypatch.setattr(
        h.app.bot_data.runtime, "links", links(default_language="vi", inhibitors=(inhibitor,))
    )


def inhibit_marked(
    *, session: Session, indicator_id: int, unit_ids: set[int], now: dt.datetime
) -> set[int]:
    """Test inhibitor: the units in INHIBITED have an open deadline reminder."""
    INHIBITOR_CALLS.append({"indicator_id": indicator_id, "unit_ids": set(unit_ids)})
    return INHIBITED & unit_ids


async def test_inhibited_unit_gets_the_reminder_instead(
    loaded: Harness, shared_tsv: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unit with an open deadline reminder gets no warning; warned once that closes."""
    plug_inhibitor(loaded, monkeypatch, inhibit_marked)
    people = link_all(loaded)
    vu_tien = unit_ids(loaded)[VU_TIEN]
    monkeypatch.setattr("tests.test_warnings.INHIBITED", {vu_tien, unit_ids(loaded)[QUANG_LICH]})
    INHIBITOR_CALLS.clear()
    loaded.import_table(shared_tsv, SHARED_NAME)
    sent = await drained(loaded)
    assert len(sent) == 37 and VU_TIEN not in {people[c] for c in chats(sent)}
    call = INHIBITOR_CALLS[-1]
    assert call["indicator_id"] == signing_id(loaded) and len(call["unit_ids"]) == 38

    status = (await loaded.send(ADMIN_ID, "/canhbao"))[0]
    assert "thay bằng nhắc hạn: 1" in status and "⏰ thay bằng nhắc hạn" in status

    monkeypatch.setattr("tests.test_warnings.INHIBITED", set())
    scheduled(loaded, utcnow())
    sent = await drained(loaded)
    assert [people[c] for c in chats(sent)] == [VU_TIEN]


# --- /canhbao ------------------------------------------------------------------------------------


async def test_status_without_data(bot: Harness) -> None:
    """Nothing imported: said plainly."""
    texts = await bot.send(ADMIN_ID, "/canhbao")
    assert texts == ["Chưa có bảng thống kê nào được nhập nên chưa có cảnh báo."]


async def test_status_shows_who_cannot_be_warned_and_pages(loaded: Harness) -> None:
    """Nobody linked: 38 units below, none can be warned; 4 pages of 10."""
    text = (await loaded.send(ADMIN_ID, "/canhbao"))[0]
    assert "38 đơn vị dưới 80%, trong đó 6 đơn vị dưới 50%" in text
    assert "Đã cảnh báo: 0 · tạm dừng: 0 · thay bằng nhắc hạn: 0 · chưa có cán bộ nhận: 38" in text
    assert "vào Thứ Hai hằng tuần lúc 08:00; nhắc lại sau mỗi 7 ngày" in text
    assert "Trang 1/4" in text and "👤 chưa có cán bộ nhận" in text
    assert "🔴 Đảng ủy Phường Thái Bình — 9,09% (5/55) hạng 104" in text
    ind = signing_id(loaded)
    assert ("Tiếp ▶️", f"pg:warnings:{ADMIN_ID}:1:{ind}") in loaded.last_keyboard()
    page2 = await loaded.press(ADMIN_ID, f"pg:warnings:{ADMIN_ID}:1:{ind}")
    assert "Trang 2/4" in page2[-1] and "Thái Bình" not in page2[-1]
    assert page2[-1].startswith("🚨 <b>Cảnh báo")  # the counts stay above every page


async def test_send_now_after_linking_officials(loaded: Harness) -> None:
    """Officials linked after the import: 📣 Send now asks, then warns their units once."""
    loaded.link(5030, VU_TIEN, Role.HEAD)
    loaded.link(5031, NVL, Role.STAFF)
    await loaded.send(ADMIN_ID, "/canhbao")
    data = next(d for label, d in loaded.last_keyboard() if label == "📣 Gửi ngay")
    preview = await loaded.press(ADMIN_ID, data)
    assert "Đơn vị chưa được cảnh báo với số liệu hiện tại: 2." in preview[-1]
    assert await drained(loaded) == []  # nothing before confirming
    go = next(d for label, d in loaded.last_keyboard() if label == "✅ Gửi")
    texts = await loaded.press(ADMIN_ID, go)
    assert "📨 Cảnh báo: 2 đơn vị được cảnh báo (1 nghiêm trọng)" in texts[-1]
    assert chats(await drained(loaded)) == {5030, 5031}
    texts = await loaded.press(ADMIN_ID, go)  # pressed again
    assert "không có gì mới cần gửi" in texts[-1]
    assert await drained(loaded) == []
    with Session(loaded.engine) as session:
        runs = session.exec(select(AuditLog).where(AuditLog.action == "warnings.run")).all()
    assert len(runs) == 2 and runs[0].actor_telegram_id == ADMIN_ID


async def test_unit_history_shows_who_was_warned_when(loaded: Harness, shared_tsv: bytes) -> None:
    """/canhbao <unit>: each message, to whom (role), and whether it was delivered."""
    loaded.link(5040, VU_TIEN, Role.HEAD)
    await loaded.send(5040, "/start", first_name="Trần Văn Bí")
    with session_scope(loaded.engine) as session:
        user = session.get(AppUser, 5040)
        assert user is not None
        user.display_name = "Trần Văn Bí"
    loaded.import_table(shared_tsv, SHARED_NAME)
    before = (await loaded.send(ADMIN_ID, "/canhbao vu tien"))[0]
    assert "đang chờ gửi" in before
    await drained(loaded)
    text = (await loaded.send(ADMIN_ID, "/canhbao vu tien"))[0]
    assert f"🚨 <b>{VU_TIEN}</b>" in text
    assert "Hiện tại: 🔴 33,33% (9/27)." in text
    assert "🔴 cảnh báo nghiêm trọng → Trần Văn Bí (lãnh đạo) · đã gửi" in text
    quiet = (await loaded.send(ADMIN_ID, "/canhbao nam tien hai"))[0]
    assert "Kỳ gần nhất đơn vị không ở dưới ngưỡng cảnh báo." in quiet
    assert "Chưa gửi cảnh báo nào cho đơn vị này." in quiet


async def test_status_is_private_only(loaded: Harness) -> None:
    """In a group the secretariat is asked to use a private chat."""
    texts = await loaded.send(ADMIN_ID, "/canhbao", chat_id=-100555, chat_type="supergroup")
    assert len(texts) == 1 and "trong cuộc trò chuyện riêng với tôi" in texts[0]


# --- schedule ------------------------------------------------------------------------------------


async def test_weekly_job_defaults_to_monday_0800_local(loaded: Harness) -> None:
    """One job per indicator with a deterministic name, Monday 08:00 in the bot's zone."""
    queue = loaded.app.job_queue
    jobs = queue.get_jobs_by_name(job_name(SIGNING_INDICATOR))
    assert len(jobs) == 1
    aps = jobs[0].job
    assert aps.id == "warnings:ky-so"
    assert aps.misfire_grace_time is None and aps.coalesce is True
    fields = {f.name: str(f) for f in aps.trigger.fields}
    assert fields["day_of_week"] == "mon" and fields["hour"] == "8" and fields["minute"] == "0"
    assert str(aps.trigger.timezone) == "Asia/Ho_Chi_Minh"


async def test_schedule_override_and_off(loaded: Harness) -> None:
    """A per-indicator schedule replaces the job; 'off' removes it."""
    with session_scope(loaded.engine) as session:
        configure(session=session, indicator_code=SIGNING_INDICATOR, schedule="mon,thu 07:30")
    schedule_warning_jobs(loaded.app)
    queue = loaded.app.job_queue
    jobs = [j for j in queue.get_jobs_by_name("warnings:ky-so") if not j.removed]
    assert len(jobs) == 1
    fields = {f.name: str(f) for f in jobs[0].job.trigger.fields}
    assert fields["day_of_week"] == "mon,thu" and fields["hour"] == "7"
    with session_scope(loaded.engine) as session:
        configure(session=session, indicator_code=SIGNING_INDICATOR, schedule="off")
    schedule_warning_jobs(loaded.app)
    assert [j for j in queue.get_jobs_by_name("warnings:ky-so") if not j.removed] == []


async def test_schedule_from_settings(tmp_path: Path) -> None:
    """WARNING_SCHEDULE sets the default; a bad value is refused at start-up."""
    from pydantic import ValidationError

    from bot.app import build_application
    from bot.offline import OfflineRequest
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, WARNING_SCHEDULE="t6 17:00", WARNING_REPEAT_INTERVAL="3d")
    app = build_application(settings, request=OfflineRequest())
    try:
        job = app.job_queue.get_jobs_by_name("warnings:ky-so")[0]
        fields = {f.name: str(f) for f in job.job.trigger.fields}
        assert fields["day_of_week"] == "fri" and fields["hour"] == "17"
    finally:
        app.bot_data.runtime.engine.dispose()
    with pytest.raises(ValidationError):
        make_settings(tmp_path, WARNING_SCHEDULE="someday 25:00")
    with pytest.raises(ValidationError):
        make_settings(tmp_path, WARNING_REPEAT_INTERVAL="10m")


async def test_job_callback_sends_due_repeats(loaded: Harness, shared_tsv: bytes) -> None:
    """Running the scheduled job itself queues and (with the sender) delivers."""
    link_all(loaded)
    loaded.import_table(shared_tsv, SHARED_NAME)
    await drained(loaded)
    with session_scope(loaded.engine) as session:
        for state in session.exec(select(AlertState)).all():
            state.last_sent_at = utcnow() - dt.timedelta(days=7)
            session.add(state)
    job = loaded.app.job_queue.get_jobs_by_name("warnings:ky-so")[0]
    await job.run(loaded.app)
    sent = await drained(loaded)
    assert len(sent) == 38 and all("Nhắc lại lần 1" in t for _c, t in sent)


# --- command line and console --------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "bot" / "data" / SHARED_NAME


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the June table, and the environment the CLI reads."""
    from bot import cli

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_TELEGRAM_IDS", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    assert cli.main(["import", str(TABLE)]) == 0
    return url


def run_warnings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`python -m bot warnings …` in-process: exit code, stdout, stderr."""
    from bot import cli

    capsys.readouterr()
    code = cli.main(["warnings", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_status_config_and_run(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Status lists every unit below; config changes thresholds (audited); run warns."""
    from bot import cli
    from bot.core.db import create_db_engine

    code, out, _err = run_warnings(capsys, "status")
    assert code == 0
    assert "38 đơn vị dưới 80%, trong đó 6 đơn vị dưới 50%" in out
    assert out.count(" hạng ") == 38 and "<b>" not in out

    code, out, _err = run_warnings(
        capsys, "config", "--warning", "85", "--schedule", "mon,thu 07:30", "--repeat", "3d"
    )
    assert code == 0
    assert "Dưới 85% bị cảnh báo" in out and "vào Thứ Hai, Thứ Năm hằng tuần lúc 07:30" in out
    assert "nhắc lại sau mỗi 3 ngày" in out and "Khởi động lại bot" in out
    code, _out, err = run_warnings(capsys, "config", "--critical", "90")
    assert code == 1 and "Không thay đổi gì" in err
    code, _out, err = run_warnings(capsys, "config", "--schedule", "someday")
    assert code == 1

    assert cli.main(["link", "6001", "Vũ Tiên", "--role", "staff"]) == 0
    capsys.readouterr()
    assert cli.main(["import", str(TABLE)]) == 0
    out = capsys.readouterr().out
    assert "📨 Cảnh báo: 1 đơn vị được cảnh báo (1 nghiêm trọng); 51 đơn vị dưới ngưỡng" in out
    assert cli.main(["link", "6002", "Nguyễn Văn Linh", "--role", "head"]) == 0
    code, out, _err = run_warnings(capsys, "run")
    assert code == 0 and "ky-so: 📨 Cảnh báo: 1 đơn vị được cảnh báo (0 nghiêm trọng)" in out
    code, out, _err = run_warnings(capsys, "run")
    assert "không có gì mới cần gửi" in out

    engine = create_db_engine(cli_db)
    try:
        with Session(engine) as session:
            queued = session.exec(select(OutboxMessage.chat_id)).all()
            actions = set(session.exec(select(AuditLog.action)).all())
    finally:
        engine.dispose()
    assert sorted(queued) == [6001, 6002]
    assert {"warnings.config", "warnings.run"} <= actions


def test_cli_silences(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Silence, list and lift from the command line."""
    day = (utcnow() + dt.timedelta(days=5)).date()
    code, out, _err = run_warnings(
        capsys, "silence", "Vũ Tiên", f"{day:%d/%m/%Y}", "--reason", "ok"
    )
    assert code == 0 and f"Đã tạm dừng cảnh báo cho {VU_TIEN} đến hết {day:%d/%m/%Y}" in out
    code, out, _err = run_warnings(capsys, "silences")
    assert out.strip() == f"{VU_TIEN}\t{day:%d/%m/%Y}\tok"
    code, _out, err = run_warnings(capsys, "silence", "Vũ Tiên", "2020-01-01")
    assert code == 1 and "Ngày này đã qua" in err
    code, out, _err = run_warnings(capsys, "unsilence", "Vũ Tiên")
    assert code == 0 and "Đã bật lại cảnh báo" in out
    code, _out, err = run_warnings(capsys, "unsilence", "Vũ Tiên")
    assert code == 1


@pytest.mark.sqlite_pass_only  # the demo's own SQLite file
async def test_console_demo_import_sends_38_warnings_once(tmp_path: Path) -> None:
    """The console: link demo heads, import the shared table: 38 pushes (6 critical); again: 0."""
    import io

    from bot.console import run_console
    from tests.conftest import make_settings

    out = io.StringIO()
    lines = ["/canbo_demo", f"/gui {TABLE}", "/bam 1", f"/gui {TABLE}", "/bam 1"]
    settings = make_settings(tmp_path)
    files = tmp_path / "files"
    assert await run_console(settings, demo=True, lines=lines, out=out, files_dir=files) == 0
    text = out.getvalue()
    assert "Đã gắn 208 cán bộ demo" in text  # a head and an office staff member per unit
    first, second = text.split("Xem trước", 2)[1:]
    assert "📨 Cảnh báo: 38 đơn vị được cảnh báo (6 nghiêm trọng)" in first
    assert "📬 Đã gửi 76 tin từ hàng đợi:" in first  # 38 units × (head + staff)
    assert first.count("📨 → 9") == 38 and first.count("CẢNH BÁO NGHIÊM TRỌNG") == 12
    assert "không có gì mới cần gửi" in second and "📬" not in second
