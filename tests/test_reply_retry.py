"""Direct replies honour Telegram's flood waits (issue 12 §6): a part refused with 429 and
retry_after is sent again after the wait instead of being lost with a log line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select
from telegram import Update
from telegram.error import RetryAfter

from bot.app import build_application
from bot.console import demo_table
from bot.core.models import AppUser, Role, Unit
from bot.core.people import link_official
from bot.imports.apply import import_statistics
from bot.offline import message_update
from tests.conftest import ADMIN_ID, SHARED_NAME, make_settings
from tests.fake_bot_api import FakeBotApi, FloodLimits

TOKEN = "616161:REPLY-RETRY"


def add_unreachable_officials(engine: object, count: int) -> None:
    """`count` officials, spread over the units, who blocked the bot."""
    with Session(engine) as session:  # type: ignore[arg-type]
        units = session.exec(select(Unit).order_by(Unit.id)).all()
        for n in range(count):
            link_official(
                session=session,
                telegram_id=800_000 + n,
                unit_id=units[n % len(units)].id,
                role=Role.STAFF,
                display_name=f"Cán bộ văn phòng số {n:03d} Nguyễn Thị Hồng Nhung",
            )
        session.execute(
            update(AppUser)
            .where(AppUser.telegram_id >= 800_000)  # type: ignore[operator]
            .values(reachable=False, unreachable_reason="blocked")
        )
        session.commit()


async def test_every_reply_arrives_despite_flood_answers(tmp_path: Path) -> None:
    """Three quick replies to one person: Telegram refuses the second and third
    (1 message/s per chat) with retry_after; each is sent again after the wait, in order."""
    with FakeBotApi(TOKEN, limits=FloodLimits()) as api:
        settings = make_settings(
            tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url
        )
        app = build_application(settings)
        engine = app.bot_data.runtime.engine
        with Session(engine) as session:
            import_statistics(
                session=session,
                data=demo_table(),
                filename=SHARED_NAME,
                tz=settings.tz,
                after_import=(),
            )
        add_unreachable_officials(engine, 120)
        async with app:
            for command in ("/khonglienlac", "/toi", "/trogiup"):
                await app.process_update(Update.de_json(message_update(ADMIN_ID, command), app.bot))
        engine.dispose()
        parts = [text for chat, _, text in api.accepted if chat == ADMIN_ID]
        assert api.answered["429"] >= 2
    assert len(parts) == 3
    assert "Trang 1/10" in parts[0] and f"<code>{ADMIN_ID}</code>" in parts[1]


async def test_a_reply_gives_up_after_two_waits_or_a_long_one() -> None:
    """Bounded: at most two retries, and no wait longer than half a minute."""
    from handlers.replies import ReplyRetry

    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = ReplyRetry(sleep=sleep)
    calls = 0

    async def refused(retry_after: int) -> dict[str, object]:
        nonlocal calls
        calls += 1
        raise RetryAfter(retry_after)

    with pytest.raises(RetryAfter):
        await limiter.process_request(refused, (3,), {}, "sendMessage", {"chat_id": 5}, None)
    assert calls == 3 and slept == pytest.approx([3.1, 3.1])
    calls, slept[:] = 0, []
    with pytest.raises(RetryAfter):
        await limiter.process_request(refused, (45,), {}, "sendMessage", {"chat_id": 5}, None)
    assert calls == 1 and slept == []
    with pytest.raises(RetryAfter):  # the outbox sender asks for none: it pauses all sends
        await limiter.process_request(
            refused, (1,), {}, "sendMessage", {"chat_id": 5}, {"max_retries": 0}
        )
    assert calls == 2 and slept == []
