"""Deadlines over the shared table: who is followed, when reminders go, escalation, restarts."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlmodel import Session, select

from bot.core.audit import recent
from bot.core.config import Settings
from bot.core.models import DeadlineUnit, OutboxMessage, OutboxStatus
from bot.deadlines.reminders import RunResult
from jobs import deadlines as reminders
from tests.conftest import ADMIN_ID, Harness, PublishedRow
from tests.deadline_kit import (
    NGHIA_TRU_STAFF,
    PHU_DUC_HEAD,
    PHU_DUC_STAFF,
    QUANG_LICH_STAFF,
    TIEN_HUNG_STAFF,
    at,
    audience_names,
    create_template,
    link_officials,
    markup_of,
    restarted,
    sent_to,
    step,
    use_clock,
)


async def test_report_template_follows_exactly_the_38_units_below_80(
    loaded: Harness, published: list[PublishedRow]
) -> None:
    """One tap reproduces the letter: explanation reports from the units below 80 %, by 26/6."""
    use_clock(loaded, at(6, 22, 16))
    await loaded.send(ADMIN_ID, "/hanchot_moi")
    labels = [label for label, _data in loaded.last_keyboard()]
    assert "Báo cáo giải trình — đơn vị dưới 80%" in labels
    assert "100% văn bản điện tử được ký số" in labels
    summary = (await loaded.press(ADMIN_ID, "dl:new:t:report80"))[-1]
    assert "Hạn chót: <b>23:59 26/06/2026</b>" in summary
    assert "38 đơn vị có tỷ lệ dưới 80% trong kỳ 08/06/2026 – 22/06/2026" in summary
    assert "trước 7, 3, 1 ngày và vào ngày hạn chót, lúc 08:00" in summary
    assert "Nhắc lần đầu: 08:00 23/06/2026" in summary  # 19/6 was before the deadline existed
    with Session(loaded.engine) as session:  # nothing is written before Create
        assert session.exec(select(DeadlineUnit)).first() is None
    created = (await loaded.press(ADMIN_ID, "dl:new:ok"))[-1]
    assert "Đã tạo hạn chót #1" in created and "Theo dõi 38 đơn vị." in created
    oracle = {row.name for row in published if row.rate < Fraction(4, 5)}
    assert len(oracle) == 38
    assert audience_names(loaded, 1) == oracle
    with Session(loaded.engine) as session:
        entry = recent(session=session, limit=1)[0]
    assert entry.action == "deadline.create" and entry.details["units"] == 38


async def test_simulated_run_reminds_each_unit_once_and_escalates_on_the_due_day(
    loaded: Harness,
) -> None:
    """7/3/1 days before and on the day at 08:00, escalation and lists on the day, overdue after;
    every push exactly once even though each step runs twice."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    assert await step(loaded, clock, at(6, 23, 7, 59)) == []
    await step(loaded, clock, at(6, 23, 8))
    first = sent_to(loaded, PHU_DUC_STAFF)
    assert len(first) == 1
    assert "⏰ <b>Nhắc hạn: Báo cáo giải trình — đơn vị dưới 80%</b>" in first[0]
    assert "Đơn vị: <b>Đảng ủy xã Phụ Dực</b>" in first[0]
    assert "tỷ lệ ký số của đơn vị là 75% (18/24), dưới 80%" in first[0]
    assert "(còn 3 ngày 15 giờ)" in first[0]
    assert markup_of(loaded, PHU_DUC_STAFF) == [
        ("✅ Đã nhận", f"dl:ack:{deadline_id}"),
        ("📝 Nộp giải trình", f"dl:rep:{deadline_id}"),
    ]
    assert sent_to(loaded, PHU_DUC_HEAD) == []  # office staff are reminded, not the head
    await step(loaded, clock, at(6, 24, 8))  # no step that day
    await step(loaded, clock, at(6, 25, 8))
    await step(loaded, clock, at(6, 26, 8))
    assert await step(loaded, clock, at(6, 26, 23, 59)) == []  # quiet hours: wait for morning
    await step(loaded, clock, at(6, 27, 7))

    staff = sent_to(loaded, PHU_DUC_STAFF)
    assert len(staff) == 4
    assert "(còn 1 ngày 15 giờ)" in staff[1]
    assert "⏰ <b>Hôm nay là hạn chót" in staff[2]
    assert "⛔ <b>Quá hạn" in staff[3] and "nộp muộn" in staff[3]
    head = sent_to(loaded, PHU_DUC_HEAD)
    assert len(head) == 2
    assert "🚨 <b>Hôm nay là hạn chót" in head[0] and "trực tiếp chịu trách nhiệm" in head[0]
    assert "Kính gửi đồng chí lãnh đạo <b>Đảng ủy xã Phụ Dực</b>" in head[0]
    assert "⛔ <b>Quá hạn" in head[1]
    assert len(sent_to(loaded, TIEN_HUNG_STAFF)) == 4  # no head: nobody to escalate to
    assert sent_to(loaded, QUANG_LICH_STAFF) == []  # exactly 80 % is not below 80 %
    assert sent_to(loaded, NGHIA_TRU_STAFF) == []
    lists = sent_to(loaded, ADMIN_ID)
    assert len(lists) == 2
    assert "📋 <b>Hôm nay hết hạn" in lists[0] and "38/38 đơn vị chưa hoàn thành" in lists[0]
    assert "Đảng ủy xã Tiên Hưng — 20%" in lists[0]
    assert "⛔ <b>Đã hết hạn" in lists[1] and "38/38 đơn vị chưa hoàn thành" in lists[1]

    status = "\n".join(await loaded.send(ADMIN_ID, f"/hanchot_tt {deadline_id}"))
    assert "✅ Đúng hạn: 0 · ⏰ Muộn: 0 · ❌ Chưa nộp: 38" in status
    assert "(đã quá hạn 7 giờ 1 phút)" in status


async def test_restart_in_the_middle_neither_repeats_nor_loses_reminders(
    loaded: Harness, settings: Settings
) -> None:
    """Jobs are rebuilt from the database; the catch-up repeats nothing; later steps come."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    before = reminders.queue_names(loaded.app)
    assert before == [
        f"deadline:{deadline_id}:v1-d0",
        f"deadline:{deadline_id}:v1-d1",
        f"deadline:{deadline_id}:v1-over",
    ]
    clock.set(at(6, 23, 9))
    with Session(loaded.engine) as session:
        rows_before = len(session.exec(select(OutboxMessage)).all())
    async with restarted(settings, clock) as again:
        assert reminders.queue_names(again.app) == before
        for _ in range(3):  # any number of restarts: same jobs, nothing queued
            result = await reminders.on_startup(again.app)
            assert result.queued == 0
            assert reminders.queue_names(again.app) == before
        assert await again.drain() == []
        with Session(again.engine) as session:
            assert len(session.exec(select(OutboxMessage)).all()) == rows_before
        await step(again, clock, at(6, 25, 8))
        new_process = [c for c in again.request.sent() if c.params["chat_id"] == PHU_DUC_STAFF]
    old_process = [c for c in loaded.request.sent() if c.params["chat_id"] == PHU_DUC_STAFF]
    assert len(old_process) == 1 and "(còn 3 ngày 15 giờ)" in old_process[0].params["text"]
    assert len(new_process) == 1 and "(còn 1 ngày 15 giờ)" in new_process[0].params["text"]
    assert len(sent_to(loaded, PHU_DUC_STAFF)) == 2  # 3 days and 1 day before: once each


async def test_downtime_across_a_reminder_sends_it_once_after_start(
    loaded: Harness, settings: Settings
) -> None:
    """Down over the 3-day step: it goes once at start-up, with the time left at that moment."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 24, 10))  # the bot was down at 08:00 on 23/6
    async with restarted(settings, clock) as again:
        delivered = await again.drain()
        staff = sent_to(again, PHU_DUC_STAFF)
        assert len(staff) == 1 and "(còn 2 ngày 13 giờ)" in staff[0]
        assert len(delivered) == 2  # the two units with office staff
        result = await reminders.on_startup(again.app)  # a second start changes nothing
        assert result.queued == 0 and await again.drain() == []


async def test_downtime_over_several_steps_is_coalesced_and_the_past_deadline_only_overdue(
    loaded: Harness, settings: Settings
) -> None:
    """Down over 3-day, 1-day and due-day steps: one due-day round; down past the deadline: only
    the overdue notices, never the stale reminders."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 26, 10))
    async with restarted(settings, clock) as again:
        await again.drain()
        staff = sent_to(again, PHU_DUC_STAFF)
        assert len(staff) == 1 and "Hôm nay là hạn chót" in staff[0]
        assert len(sent_to(again, PHU_DUC_HEAD)) == 1
    clock.set(at(6, 28, 10))
    async with restarted(settings, clock) as later:
        await later.drain()
        assert [t.split("\n")[0] for t in sent_to(later, PHU_DUC_STAFF)] == [
            "⏰ <b>Hôm nay là hạn chót: Báo cáo giải trình — đơn vị dưới 80%</b>",
            "⛔ <b>Quá hạn: Báo cáo giải trình — đơn vị dưới 80%</b>",
        ]
        assert len(sent_to(later, ADMIN_ID)) == 2  # due-day list, overdue list


async def test_submitting_stops_further_reminders_for_that_unit(loaded: Harness) -> None:
    """An official answers the reminder's button with text and a PDF; the unit is done."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    await step(loaded, clock, at(6, 23, 8))
    clock.set(at(6, 23, 10, 5))
    prompt = await loaded.press(PHU_DUC_STAFF, f"dl:rep:{deadline_id}")
    assert "Báo cáo giải trình: Báo cáo giải trình — đơn vị dưới 80%" in prompt[-1]
    assert "tối đa 20 MB" in prompt[-1]
    draft = await loaded.send(PHU_DUC_STAFF, "Đơn vị chậm ký số do thiếu chứng thư số.")
    assert "Sẵn sàng nộp: nội dung 40 ký tự" in draft[-1]
    draft = await loaded.send_document(PHU_DUC_STAFF, b"%PDF-1.4 ...", "giai-trinh.pdf")
    assert "tệp giai-trinh.pdf" in draft[-1]
    receipt = (await loaded.press(PHU_DUC_STAFF, "dl:send"))[-1]
    assert "✅ Đã nhận báo cáo giải trình của đơn vị." in receipt
    assert "Số biên nhận: <b>GT1-0001</b> · nhận lúc 10:05 23/06/2026" in receipt
    assert "thay thế bản đã nộp đến 23:59 26/06/2026" in receipt
    # Telegram keeps the file: it is never downloaded.
    assert not any(c.method == "getFile" for c in loaded.request.calls)

    for when in (at(6, 25, 8), at(6, 26, 8), at(6, 27, 7)):
        await step(loaded, clock, when)
    assert len(sent_to(loaded, PHU_DUC_STAFF)) == 1  # only the reminder before the report
    assert sent_to(loaded, PHU_DUC_HEAD) == []  # no escalation for a unit that reported
    assert len(sent_to(loaded, TIEN_HUNG_STAFF)) == 4
    lists = sent_to(loaded, ADMIN_ID)
    assert "37/38 đơn vị chưa hoàn thành" in lists[0] and "Phụ Dực" not in lists[0]
    status = "\n".join(await loaded.send(ADMIN_ID, f"/hanchot_tt {deadline_id}"))
    assert "✅ Đúng hạn: 1 · ⏰ Muộn: 0 · ❌ Chưa nộp: 37" in status
    assert "1. Đảng ủy xã Phụ Dực — 10:05 23/06/2026 · GT1-0001 · 📎" in status


async def test_a_queued_reminder_is_withdrawn_when_the_unit_reports(loaded: Harness) -> None:
    """A reminder waiting for the end of the quiet hours is not sent once the unit has reported."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    await loaded.press(ADMIN_ID, f"dl:ed:{deadline_id}:plan")
    await loaded.send(ADMIN_ID, "1 22:00")  # a reminder at 22:00 falls in the quiet hours
    assert await step(loaded, clock, at(6, 25, 22)) == []
    with Session(loaded.engine) as session:
        waiting = session.exec(
            select(OutboxMessage).where(OutboxMessage.chat_id == PHU_DUC_STAFF)
        ).all()
    assert [w.not_before for w in waiting] == [at(6, 26, 7)]
    clock.set(at(6, 25, 22, 30))
    await loaded.press(PHU_DUC_STAFF, f"dl:rep:{deadline_id}")
    await loaded.send(PHU_DUC_STAFF, "Giải trình")
    await loaded.press(PHU_DUC_STAFF, "dl:send")
    with Session(loaded.engine) as session:
        row = session.get(OutboxMessage, waiting[0].id)
        assert row is not None and row.status == OutboxStatus.CANCELLED.value
    await step(loaded, clock, at(6, 26, 7))
    assert sent_to(loaded, PHU_DUC_STAFF) == []
    assert len(sent_to(loaded, TIEN_HUNG_STAFF)) == 1


def test_units_reaching_the_rate_lose_exactly_their_queued_reminders(bot: Harness) -> None:
    """Several units reach a rate deadline at once: their queued reminders and escalations are
    withdrawn in one pass, and nobody else's (not unit 12's when unit 1 reached it, not another
    deadline's, not what was already sent)."""
    from bot.core import outbox as core_outbox
    from bot.deadlines.pushes import cancel_pending_units

    keys = [
        "deadline:7:v1-d3:u1:501",
        "deadline:7:v1-d0-esc:u1:502",
        "deadline:7:v1-d3:u12:503",
        "deadline:7:v1-d3:u3:504",
        "deadline:7:v1-d3:list:1",
        "deadline:8:v1-d3:u1:505",
        "deadline:7:v1-d7:u3:506",
    ]
    with Session(bot.engine) as session:
        core_outbox.enqueue_many(
            session=session,
            pushes=[
                core_outbox.Push(key=k, chat_id=500 + i, text="Nhắc", kind="deadline_reminder")
                for i, k in enumerate(keys)
            ],
        )
        session.commit()
        sent = session.exec(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == "deadline:7:v1-d7:u3:506")
        ).one()
        sent.status = OutboxStatus.SENT.value
        session.add(sent)
        session.commit()
        assert cancel_pending_units(session, 7, [1, 3]) == 3
        session.commit()
        status = dict(session.exec(select(OutboxMessage.dedupe_key, OutboxMessage.status)).all())
    assert {k for k, s in status.items() if s == OutboxStatus.CANCELLED.value} == {
        "deadline:7:v1-d3:u1:501",
        "deadline:7:v1-d0-esc:u1:502",
        "deadline:7:v1-d3:u3:504",
    }
    assert status["deadline:7:v1-d7:u3:506"] == OutboxStatus.SENT.value


async def test_a_reminder_step_is_prepared_off_the_event_loop(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step for thousands of units takes seconds to read, render and queue: its job hands it
    to a worker thread, and so does the catch-up at start-up."""
    import threading
    from types import SimpleNamespace

    threads: list[int] = []

    def run_pass(app: object, deadline_id: int | None = None) -> RunResult:
        threads.append(threading.get_ident())
        return RunResult([], 0)

    monkeypatch.setattr(reminders, "run_pass", run_pass)
    context = SimpleNamespace(job=SimpleNamespace(data={"deadline_id": 1}), application=bot.app)
    await reminders.step_job(context)  # type: ignore[arg-type]
    await reminders.on_startup(bot.app)
    assert len(threads) == 2 and threading.get_ident() not in threads
