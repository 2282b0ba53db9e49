"""Reminder steps as a pure function of (deadline, now), the JobQueue jobs, quiet hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import Settings
from bot.core.outbox import QuietHours
from bot.deadlines.schedule import Schedule, StepKind, due_steps, plan_steps
from jobs import deadlines as reminders
from tests.conftest import Harness
from tests.deadline_kit import TZ, at, create_template, fire_due_jobs, use_clock


def schedule(**overrides: object) -> Schedule:
    """The explanation-report deadline: 23:59 26/6, default plan, created on 1/6."""
    values: dict[str, object] = {
        "deadline_id": 1,
        "due_at": at(6, 26, 23, 59),
        "plan_days": (7, 3, 1),
        "plan_time": dt.time(8, 0),
        "version": 1,
        "schedule_from": at(6, 1),
    }
    values.update(overrides)
    return Schedule(**values)  # type: ignore[arg-type]


def test_default_plan_fires_at_8_local_time_7_3_1_days_before_and_on_the_day() -> None:
    """08:00 in Hà Nội is 01:00 UTC; the overdue step is the deadline itself."""
    steps = plan_steps(schedule(), TZ)
    assert [(s.code, s.at.astimezone(TZ).strftime("%d/%m %H:%M")) for s in steps] == [
        ("v1-d7", "19/06 08:00"),
        ("v1-d3", "23/06 08:00"),
        ("v1-d1", "25/06 08:00"),
        ("v1-d0", "26/06 08:00"),
        ("v1-over", "26/06 23:59"),
    ]
    assert steps[0].at == dt.datetime(2026, 6, 19, 1, 0, tzinfo=dt.UTC)
    assert all(s.at.tzinfo is not None for s in steps)
    assert [s.kind for s in steps][-2:] == [StepKind.DUE_DAY, StepKind.OVERDUE]


def test_the_plan_follows_the_configured_zone() -> None:
    """The same plan in another zone fires at 08:00 there."""
    tokyo = ZoneInfo("Asia/Tokyo")
    due = dt.datetime(2026, 6, 26, 17, 0, tzinfo=tokyo)
    steps = plan_steps(schedule(due_at=due), tokyo)
    assert {s.at.astimezone(tokyo).time() for s in steps[:-1]} == {dt.time(8, 0)}
    assert steps[0].at == dt.datetime(2026, 6, 18, 23, 0, tzinfo=dt.UTC)


def test_due_steps_coalesce_what_was_missed_and_stop_at_the_deadline() -> None:
    """Only the latest step already due is sent; after the deadline only the overdue step."""
    s = schedule()
    assert due_steps(s, at(6, 19, 7, 59), TZ) == []
    assert [x.code for x in due_steps(s, at(6, 19, 8), TZ)] == ["v1-d7"]
    assert [x.code for x in due_steps(s, at(6, 24, 12), TZ)] == ["v1-d3"]  # d7 and d3 missed
    assert [x.code for x in due_steps(s, at(6, 26, 23, 58), TZ)] == ["v1-d0"]
    assert [x.code for x in due_steps(s, at(6, 26, 23, 59), TZ)] == ["v1-over"]
    assert [x.code for x in due_steps(s, at(7, 3), TZ)] == ["v1-over"]
    assert due_steps(Schedule(**{**s.__dict__, "open": False}), at(6, 25, 9), TZ) == []


def test_steps_before_creation_or_postponement_are_never_sent() -> None:
    """A deadline created on 22/6 starts with the 3-day step; a postponed one with its new plan."""
    late = schedule(schedule_from=at(6, 22, 16))
    assert [s.code for s in plan_steps(late, TZ)] == ["v1-d3", "v1-d1", "v1-d0", "v1-over"]
    moved = schedule(due_at=at(6, 30, 17), version=2, schedule_from=at(6, 25, 10))
    assert [s.code for s in plan_steps(moved, TZ)] == ["v2-d3", "v2-d1", "v2-d0", "v2-over"]
    assert due_steps(moved, at(6, 25, 10, 1), TZ) == []


def test_a_deadline_before_the_reminder_hour_gets_its_due_day_step_an_hour_before() -> None:
    """Due at 07:30: the due-day step cannot be at 08:00."""
    steps = plan_steps(schedule(due_at=at(6, 26, 7, 30)), TZ)
    d0 = next(s for s in steps if s.code == "v1-d0")
    assert d0.at == at(6, 26, 6, 30)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ((6, 25, 22, 30), (6, 26, 7, 0)),  # evening: next morning
        ((6, 26, 5, 0), (6, 26, 7, 0)),  # early morning: same morning
        ((6, 26, 7, 0), (6, 26, 7, 0)),  # the end of the quiet hours is not quiet
        ((6, 26, 12, 0), (6, 26, 12, 0)),
        ((6, 26, 20, 59), (6, 26, 20, 59)),
    ],
)
def test_quiet_hours_defer_to_the_morning(
    local: tuple[int, int, int, int], expected: tuple[int, int, int, int]
) -> None:
    """21:00–07:00 by default, in the bot's zone."""
    quiet = QuietHours(dt.time(21), dt.time(7), TZ)
    assert quiet.defer(at(*local)) == at(*expected)


def test_quiet_hours_settings() -> None:
    """QUIET_HOURS_START/END accept 22:00, 6h, 6; equal times switch quiet hours off."""
    settings = Settings(_env_file=None, QUIET_HOURS_START="22:00", QUIET_HOURS_END="6h")  # type: ignore[call-arg]
    quiet = QuietHours.from_settings(settings)
    assert quiet.defer(at(6, 26, 21, 30)) == at(6, 26, 21, 30)
    assert quiet.defer(at(6, 26, 23)) == at(6, 27, 6)
    off = QuietHours(dt.time(7), dt.time(7), TZ)
    assert off.defer(at(6, 26, 3)) == at(6, 26, 3)
    lunch = QuietHours(dt.time(12), dt.time(13, 30), TZ)
    assert lunch.defer(at(6, 26, 12, 15)) == at(6, 26, 13, 30)
    with pytest.raises(ValueError, match="QUIET_HOURS_START"):
        Settings(_env_file=None, QUIET_HOURS_START="25:00")  # type: ignore[call-arg]


async def test_jobs_have_deterministic_names_and_survive_any_number_of_rebuilds(
    loaded: Harness,
) -> None:
    """One job per future step, named deadline:<id>:<step>, never skipped when late."""
    use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded)
    queue = loaded.app.job_queue
    assert queue is not None
    expected = [f"deadline:{deadline_id}:v1-{code}" for code in ("d0", "d1", "d3", "over")]
    for _ in range(3):
        await reminders.on_startup(loaded.app)
        assert reminders.queue_names(loaded.app) == expected
    jobs = {j.name: j.job for j in queue.jobs() if (j.name or "").startswith("deadline:")}
    assert len(jobs) == 4
    for name, job in jobs.items():
        assert job.id == name
        assert job.misfire_grace_time is None and job.coalesce is True
    assert jobs[f"deadline:{deadline_id}:v1-d3"].trigger.run_date == at(6, 23, 8)
    assert jobs[f"deadline:{deadline_id}:v1-over"].trigger.run_date == at(6, 26, 23, 59)


async def test_a_job_run_queues_its_step_and_a_second_run_queues_nothing(loaded: Harness) -> None:
    """The job's callback asks the database what is due; running it twice changes nothing."""
    loaded.link(2001, "Phụ Dực")
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded)
    clock.set(at(6, 23, 8))
    assert await fire_due_jobs(loaded, clock()) == ["deadline:1:v1-d3"]
    job_result = reminders.run_pass(loaded.app)
    assert job_result.queued == 0  # already queued by the job
    delivered = await loaded.drain()
    assert len(delivered) == 1 and "Đảng ủy xã Phụ Dực" in delivered[0]  # the head: no staff
    assert "deadline:1:v1-d3" not in reminders.queue_names(loaded.app)
