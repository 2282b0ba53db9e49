"""Helpers for the low-rate warning tests: officials for every unit, the weekly run, what
went out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from bot.core.db import SIGNING_INDICATOR, session_scope
from bot.core.models import Indicator, Role, Unit
from bot.core.people import link_official
from jobs.alerts import run_scheduled
from tests.conftest import Harness

HEADS = 700_000
CRITICAL_TITLE = "CẢNH BÁO NGHIÊM TRỌNG"
WARNING_TITLE = "⚠️ <b>Cảnh báo:"


def link_all(h: Harness, base: int = HEADS, role: Role = Role.HEAD) -> dict[int, str]:
    """Link one official per unit (Telegram id base + unit id); return id → unit name."""
    people: dict[int, str] = {}
    with session_scope(h.engine) as session:
        for unit in session.exec(select(Unit)).all():
            assert unit.id is not None
            link_official(session=session, telegram_id=base + unit.id, unit_id=unit.id, role=role)
            people[base + unit.id] = unit.name
    return people


def pushes(h: Harness, start: int = 0) -> list[tuple[int, str]]:
    """(chat id, text) of every delivered message since `start`."""
    return [
        (int(c.params["chat_id"]), str(c.params["text"]))
        for c in h.request.calls[start:]
        if c.method == "sendMessage" and isinstance(c.result, dict)
    ]


async def drained(h: Harness) -> list[tuple[int, str]]:
    """Deliver the outbox; return (chat id, text) of what went out."""
    start = len(h.request.calls)
    await h.drain()
    return pushes(h, start)


def signing_id(h: Harness) -> int:
    """Id of the signing indicator."""
    with Session(h.engine) as session:
        row = session.exec(select(Indicator).where(Indicator.code == SIGNING_INDICATOR)).one()
        assert row.id is not None
        return row.id


def scheduled(h: Harness, now: dt.datetime) -> Any:
    """The weekly run at a given moment."""
    rt = h.app.bot_data.runtime
    return run_scheduled(
        engine=h.engine,
        settings=rt.settings,
        indicator_id=signing_id(h),
        inhibitors=rt.links.alert_inhibitors,
        now=now,
    )
