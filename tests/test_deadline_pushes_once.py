"""A step's reminder is rendered once per unit and language, and every reader gets their own."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.models import Deadline, DeadlineKind, Role
from bot.core.outbox import QuietHours
from bot.core.people import Recipient
from bot.core.stats import PeriodInfo
from bot.deadlines import texts
from bot.deadlines.progress import Owing, Progress
from bot.deadlines.pushes import PushContext, compose_step
from bot.deadlines.schedule import Step, StepKind

pytestmark = pytest.mark.sqlite_pass_only  # no database

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 6, 22, 2, 0, tzinfo=dt.UTC)
PERIOD = PeriodInfo(1, dt.date(2026, 6, 8), dt.date(2026, 6, 22), None)


def test_each_reader_gets_the_reminder_in_their_language_rendered_once_per_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Four office staff, two in English: two renders, and each text in its reader's language."""
    deadline = Deadline(
        id=5,
        title="Ký số 100%",
        kind=DeadlineKind.RATE.value,
        indicator_code=texts.SIGNING,
        required_rate=100,
        due_at=NOW + dt.timedelta(days=3),
        audience={},
    )
    owing = [
        Owing(1, "Xã Nam Tiền Hải", Progress(33, 40, PERIOD)),
        Owing(2, "Phường Quang Lịch", Progress(9, 10, PERIOD)),
    ]
    people = {
        unit: [
            Recipient(100 * unit + i, unit, Role.STAFF.value, "en" if i % 2 else "vi")
            for i in range(4)
        ]
        for unit in (1, 2)
    }
    renders: list[int] = []
    original = texts.reminder

    def counted(deadline: Deadline, item: Owing, **kw: object) -> str:
        renders.append(item.unit_id)
        return original(deadline, item, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(texts, "reminder", counted)
    ctx = PushContext(tz=TZ, quiet=QuietHours(dt.time(0), dt.time(0), TZ))
    step = Step("v1-d3", StepKind.REMIND, 3, NOW)
    pushes = compose_step(
        deadline, step, owing=owing, people=people, secretariat=[], total=2, now=NOW, ctx=ctx
    )
    assert sorted(renders) == [1, 1, 2, 2]
    by_chat = {p.chat_id: p.text for p in pushes}
    assert len(by_chat) == 8
    assert "Reminder" in by_chat[101] and "Nhắc" in by_chat[100]
    assert by_chat[100] == by_chat[102] and by_chat[101] == by_chat[103]
    assert "Nam Tiền Hải" in by_chat[101] and "Quang Lịch" in by_chat[201]
