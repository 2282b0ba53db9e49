"""After an import, warnings are evaluated and rendered once the figures are committed, in a
short transaction of their own: the outbox sender can record outcomes meanwhile; a failed
import queues no warning (issue 12 §1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, func, select

from bot.alerts import evaluate as evaluate_module
from bot.console import demo_table
from bot.core.db import create_db_engine
from bot.core.models import ImportBatch, OutboxMessage
from bot.imports import apply as apply_module
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness
from tests.import_kit import link_two_per_unit


def another_writer_gets_in(h: Harness) -> bool:
    """Whether a second connection can write at once, as the outbox sender does when it records
    an outcome (it waits at most 100 ms for a lock another transaction holds)."""
    url = h.app.bot_data.runtime.settings.database_url
    engine = create_db_engine(url)
    sqlite = engine.dialect.name == "sqlite"

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_conn: Any, _record: object) -> None:
        if sqlite:
            dbapi_conn.execute("PRAGMA busy_timeout=100")

    try:
        with engine.begin() as conn:
            if not sqlite:
                conn.execute(text("SET LOCAL lock_timeout = '100ms'"))
            # The import bumps the data revision in its transaction: this row is locked then.
            conn.execute(text("UPDATE appstate SET value = value"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def watch_rendering(h: Harness, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """While the first warning is rendered, try another writer; returns what it found."""
    found: list[bool] = []
    real: Callable[..., Any] = evaluate_module.warning_for

    def rendering(*args: Any, **kwargs: Any) -> Any:
        if not found:
            found.append(another_writer_gets_in(h))
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluate_module, "warning_for", rendering)
    return found


async def test_warnings_after_a_confirm_are_rendered_outside_the_import_transaction(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table again, now that every unit has two officials: Confirm writes the figures, and
    while the 38 units' warnings are rendered another writer gets in at once; the uploader gets
    the result naming the warnings, and the 76 officials get them."""
    officials = set(link_two_per_unit(loaded))
    found = watch_rendering(loaded, monkeypatch)
    await loaded.send_document(ADMIN_ID, demo_table(), SHARED_NAME)
    result = (await loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1]))[-1]
    assert "✅ <b>Đã nhập" in result
    assert found == [True]
    delivered = await loaded.drain()
    assert len(delivered) == 76
    calls = [c for c in loaded.request.sent() if int(c.params["chat_id"]) in officials]
    assert len({int(c.params["chat_id"]) for c in calls}) == 76


async def test_warnings_after_a_command_line_import_are_rendered_outside_it(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same through import_statistics (the `import` command): the write lock is free while
    the warnings are rendered, and they are queued."""
    link_two_per_unit(loaded)
    found = watch_rendering(loaded, monkeypatch)
    loaded.import_table(demo_table(), SHARED_NAME)
    assert found == [True]
    with Session(loaded.engine) as session:
        queued = session.exec(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "warning")
        ).one()
    assert queued == 76


async def test_an_import_that_fails_to_write_queues_no_warning(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statistics' write fails before its commit (76 officials wait for warnings): nothing
    is queued and no batch is stored (nothing written half)."""
    link_two_per_unit(loaded)

    def failing(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_module, "_record", failing)
    with Session(loaded.engine) as session:
        batches = len(session.exec(select(ImportBatch)).all())
    with pytest.raises(RuntimeError, match="disk full"):
        loaded.import_table(demo_table(), SHARED_NAME)
    with Session(loaded.engine) as session:
        assert len(session.exec(select(ImportBatch)).all()) == batches
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
