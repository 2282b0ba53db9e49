"""The same storage behaviour on SQLite and PostgreSQL: times, big ids, JSON, name order."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from bot.core.db import binary_order, create_db_engine, database_url, session_scope
from bot.core.lookup import find_units
from bot.core.models import AuditLog, Chat, Unit
from bot.core.text import fold, short_key
from tests.conftest import Harness

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_times_come_back_as_the_same_instant_in_utc(bot: Harness) -> None:
    """A Hà Nội time reads back as the same instant in aware UTC; SQL compares instants."""
    local = dt.datetime(2026, 6, 30, 23, 30, 15, 123456, tzinfo=HANOI)
    with session_scope(bot.engine) as session:
        session.add(AuditLog(at=local, action="test.time", subject="x"))
    with Session(bot.engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "test.time")).one()
        assert entry.at == local and entry.at.tzinfo == dt.UTC
        assert entry.at.isoformat() == "2026-06-30T16:30:15.123456+00:00"
        before = dt.datetime(2026, 6, 30, 16, 30, 16, tzinfo=dt.UTC)  # 1 s after, in UTC
        assert session.exec(select(AuditLog.id).where(col(AuditLog.at) < before)).all()
        assert not session.exec(select(AuditLog.id).where(col(AuditLog.at) < local)).all()


def test_naive_times_are_refused(bot: Harness) -> None:
    """A time without a zone is a programming error on both databases, and nothing is written."""
    with pytest.raises(Exception, match="naive datetime"), session_scope(bot.engine) as session:
        session.add(AuditLog(at=dt.datetime(2026, 6, 30, 8, 0), action="test.naive"))
    with Session(bot.engine) as session:
        assert not session.exec(select(AuditLog).where(AuditLog.action == "test.naive")).all()


def test_big_telegram_ids_and_json_details_round_trip(bot: Harness) -> None:
    """Supergroup ids beyond 32 bits and nested JSON with Vietnamese text survive unchanged."""
    details = {"đơn vị": ["Quang Lịch", "Nam Tiền Hải"], "số": 3, "ok": True, "rate": 82.5}
    with session_scope(bot.engine) as session:
        session.add(Chat(id=-1001234567890, type="supergroup", title="Nhóm Tiền Hải"))
        session.add(AuditLog(actor_telegram_id=7_000_000_001, action="test.json", details=details))
    with Session(bot.engine) as session:
        assert session.get(Chat, -1001234567890) is not None
        entry = session.exec(select(AuditLog).where(AuditLog.action == "test.json")).one()
        assert entry.actor_telegram_id == 7_000_000_001 and entry.details == details


def test_names_match_without_case_or_diacritics_and_sort_by_code_point(bot: Harness) -> None:
    """Any case or diacritics finds the unit; name order is by code point on both databases."""
    names = ["Đảng ủy xã Ấp Bắc", "Đảng ủy xã An Bình", "Đảng ủy xã Zang Ấp", "Đảng ủy xã ấp Nam"]
    with session_scope(bot.engine) as session:
        for i, name in enumerate(names):
            key = fold(name)
            session.add(Unit(code=f"u{i}", name=name, name_key=key, short_key=short_key(key)))
    with Session(bot.engine) as session:
        for query in ("AN BINH", "an bình", "Đảng ủy xã An Bình", "ĐẢNG ỦY XÃ AN BÌNH"):
            found = find_units(session=session, query=query).unique
            assert found is not None and found.name == "Đảng ủy xã An Bình", query
        ordered = session.exec(select(Unit.name).order_by(binary_order(col(Unit.name)))).all()
    assert list(ordered) == sorted(names)


def test_postgres_urls_use_the_installed_driver() -> None:
    """postgres:// and postgresql:// both mean psycopg 3; SQLite URLs are left alone."""
    assert database_url("postgres://u:p@h/db").drivername == "postgresql+psycopg"
    assert database_url("postgresql://u:p@h:5432/db").drivername == "postgresql+psycopg"
    assert database_url("sqlite:///var/kyso.db").drivername == "sqlite"
    engine = create_db_engine("postgresql://kyso@127.0.0.1:1/kyso")  # nothing connects yet
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
