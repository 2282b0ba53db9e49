"""Imports never hold the database while reading a file, one import is written at a time, and
a Confirm cut short by a restart is explained to its uploader (issue 12 §1, §5, §6)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

import handlers.imports
from bot.app import build_application
from bot.broadcasts.service import create as create_broadcast
from bot.console import demo_table
from bot.core.audiences import Audience, AudienceKind
from bot.core.config import Settings
from bot.core.db import create_db_engine
from bot.core.models import ImportBatch, Measurement, PendingImport
from bot.imports import apply as apply_module
from bot.imports import parse as parse_module
from bot.imports import plan as plan_module
from bot.imports import restarts, staging
from bot.imports.apply import import_statistics
from bot.imports.issues import ImportRejected
from bot.offline import OfflineRequest
from tests.conftest import ADMIN_ID, ON_POSTGRES, SHARED_NAME, Harness
from tests.import_kit import (
    delivered_to,
    link_two_per_unit,
    outbox_statuses,
    units_table,
)

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's single write lock")
WAIT = 60  # seconds a blocked step may wait before the test fails instead of hanging


class Gate:
    """Holds a patched function in its worker thread until released."""

    def __init__(self) -> None:
        """Closed."""
        self.entered = threading.Event()
        self.opened = threading.Event()

    def hold(self, real: Callable[..., Any]) -> Callable[..., Any]:
        """`real`, waiting for the gate to open first."""

        def held(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            self.opened.wait(WAIT)
            return real(*args, **kwargs)

        return held

    async def reached(self) -> bool:
        """Wait (in a thread) until the patched function was entered."""
        return await asyncio.to_thread(self.entered.wait, WAIT)


def write_now(h: Harness) -> None:
    """One write from a connection that waits at most 50 ms for SQLite's lock."""
    url = h.app.bot_data.runtime.settings.database_url
    engine = create_db_engine(url)

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_conn: Any, _record: object) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=50")

    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE appstate SET value = value"))
    finally:
        engine.dispose()


def start_broadcast(h: Harness) -> set[int]:
    """An announcement to two officials of every unit; returns their chats."""
    officials = link_two_per_unit(h)
    with Session(h.engine) as session:
        create_broadcast(
            session=session,
            text="Họp giao ban trực tuyến lúc 14:00",
            audience=Audience(AudienceKind.ALL),
            actor=ADMIN_ID,
            ack_label="✅ Đã nhận",
        )
    return set(officials)


@sqlite_only
async def test_a_slow_upload_and_confirm_never_block_a_broadcast(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the importer reads a file (held here), nothing holds the write lock: another
    writer gets in at once, the 208 officials get the announcement exactly once, and the
    uploader then gets the preview and, after Confirm, the result."""
    chats = start_broadcast(loaded)
    gate = Gate()
    monkeypatch.setattr(parse_module, "_title_period", gate.hold(parse_module._title_period))
    upload = asyncio.create_task(loaded.send_document(ADMIN_ID, demo_table(), SHARED_NAME))
    assert await gate.reached()
    write_now(loaded)  # raised "database is locked" when staging purged before parsing
    await loaded.drain()
    assert delivered_to(loaded, chats) == {chat: 1 for chat in chats}
    gate.opened.set()
    preview = (await upload)[-1]
    assert "Số đơn vị: 104" in preview and "Chưa ghi gì" in preview

    gate = Gate()
    monkeypatch.setattr(parse_module, "_title_period", gate.hold(parse_module._title_period))
    confirm = asyncio.create_task(loaded.press(ADMIN_ID, loaded.last_keyboard()[0][1]))
    assert await gate.reached()
    write_now(loaded)  # raised "database is locked" when Confirm claimed before parsing
    gate.opened.set()
    result = (await confirm)[-1]
    assert "✅ <b>Đã nhập" in result
    await loaded.drain()  # the import's own warnings
    assert not outbox_statuses(loaded).keys() & {"pending", "sending"}
    assert delivered_to(loaded, chats) == {chat: 1 for chat in chats} | delivered_to(loaded, chats)


def _import(h: Harness, data: bytes, engine: Any = None, **kw: Any) -> Any:
    """import_statistics on the harness's database (or another engine on it)."""
    settings = h.app.bot_data.runtime.settings
    with Session(engine or h.engine) as session:
        return import_statistics(
            session=session,
            data=data,
            filename="bang.tsv",
            tz=settings.tz,
            after_import=kw.pop("after_import", ()),
            **kw,
        )


async def test_two_imports_at_once_the_second_waits(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports of the same new units at once: the second waits for the first and then
    replaces its figures; no IntegrityError, no 'database is locked', units created once."""
    gate = Gate()
    table = units_table(30)
    # The first import holds its write transaction in _record (audit, after the figures).
    monkeypatch.setattr(apply_module, "_record", gate.hold(apply_module._record))
    planned = threading.Event()
    calls: list[int] = []
    stored_figures = plan_module._stored_figures

    def counted(*args: Any) -> Any:
        found = stored_figures(*args)
        calls.append(1)
        if len(calls) == 2:
            planned.set()  # the second import has read the database (and seen no units)
        return found

    monkeypatch.setattr(plan_module, "_stored_figures", counted)
    first = asyncio.create_task(asyncio.to_thread(_import, bot, table))
    assert await gate.reached()
    second = asyncio.create_task(asyncio.to_thread(_import, bot, table))
    assert await asyncio.to_thread(planned.wait, WAIT)
    gate.opened.set()
    one, two = await first, await second
    assert (len(one.new_units), len(two.new_units), two.replaced_existing) == (30, 0, True)
    with Session(bot.engine) as session:
        assert len(session.exec(select(ImportBatch)).all()) == 2
        assert len(session.exec(select(Measurement)).all()) == 30


@sqlite_only
async def test_an_import_that_cannot_get_the_lock_says_another_import_is_running(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held past the busy timeout: a clear refusal naming the other import, nothing written."""
    gate = Gate()
    monkeypatch.setattr(apply_module, "_record", gate.hold(apply_module._record))
    first = asyncio.create_task(asyncio.to_thread(_import, bot, units_table(5)))
    assert await gate.reached()
    url = bot.app.bot_data.runtime.settings.database_url
    impatient = create_db_engine(url, busy_timeout=0.1)
    try:
        with pytest.raises(ImportRejected) as info:
            await asyncio.to_thread(_import, bot, units_table(7), impatient)
    finally:
        impatient.dispose()
        gate.opened.set()
        await first
    (issue,) = info.value.issues
    assert issue.code == "import_busy"
    assert "Another import" in issue.message() or "nhập khác" in issue.message()


def restarted(settings: Settings) -> Harness:
    """A second application on the same database, as after a restart."""
    request = OfflineRequest()
    return Harness(build_application(settings, request=request), request)


async def confirm_killed_mid_write(bot: Harness, monkeypatch: pytest.MonkeyPatch) -> str:
    """Preview the table and press Confirm; the process 'dies' while writing (the write raises
    and nothing after it runs), leaving the staged import marked as being written and the chat
    saying '⏳ Đang ghi số liệu…'. Returns the Confirm button's data."""
    await bot.send_document(ADMIN_ID, demo_table(), SHARED_NAME)
    confirm = bot.last_keyboard()[0][1]

    def killed(**_kw: Any) -> Any:
        raise RuntimeError("SIGKILL")  # nothing after this point runs in the real process

    monkeypatch.setattr(staging, "apply_import", killed)
    texts = await bot.press(ADMIN_ID, confirm)
    monkeypatch.undo()
    assert "Đang ghi số liệu" in texts[0]
    with Session(bot.engine) as session:
        assert session.exec(select(Measurement)).first() is None
        marker = session.exec(select(PendingImport)).one().options["confirming"]
    assert (marker["chat_id"], marker["message_id"]) == (ADMIN_ID, 1)  # the pressed message
    return confirm


async def test_a_confirm_cut_short_is_explained_in_its_message_after_a_restart(
    bot: Harness, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a restart the very message that said '⏳ Đang ghi số liệu…' is edited to say, in
    the uploader's language, that nothing was written, with the Confirm button again (no new
    message); pressing it imports the file."""
    confirm = await confirm_killed_mid_write(bot, monkeypatch)
    again = restarted(settings)
    app = again.app
    async with app:
        assert await handlers.imports.on_startup(app) == 1
        assert await handlers.imports.on_startup(app) == 0  # told once
        (edit,) = again.request.sent("editMessageText")
        assert (edit.params["chat_id"], edit.params["message_id"]) == (ADMIN_ID, 1)
        assert "khởi động lại" in edit.params["text"] and "chưa được ghi" in edit.params["text"]
        assert again.last_keyboard()[0][1] == confirm
        assert await again.drain() == []
    app.bot_data.runtime.engine.dispose()
    result = (await bot.press(ADMIN_ID, confirm))[-1]
    assert "✅ <b>Đã nhập" in result
    with Session(bot.engine) as session:
        assert len(session.exec(select(Measurement)).all()) == 104


async def test_when_that_message_cannot_be_edited_a_new_one_explains(
    bot: Harness, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message was deleted meanwhile (Telegram refuses the edit): the notice comes as a new
    message through the outbox instead, with the Confirm button, once."""
    confirm = await confirm_killed_mid_write(bot, monkeypatch)
    again = restarted(settings)
    again.request.fail(ADMIN_ID, 400, "Bad Request: message to edit not found")
    app = again.app
    async with app:
        assert await handlers.imports.on_startup(app) == 1
        texts = await again.drain()
        assert len(texts) == 1
        assert "khởi động lại" in texts[0] and "chưa được ghi" in texts[0]
        assert again.last_keyboard()[0][1] == confirm
        assert await handlers.imports.on_startup(app) == 0
        assert await again.drain() == []
    app.bot_data.runtime.engine.dispose()


async def test_a_restart_between_telling_and_clearing_tells_again_without_a_second_message(
    bot: Harness, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot dies after editing the message but before the marks are cleared: the next
    start tells the uploader again (never not at all); Telegram answers 'message is not
    modified', which counts as told, so no new message is sent either."""
    await confirm_killed_mid_write(bot, monkeypatch)
    first = restarted(settings)
    app = first.app

    def killed(*_args: object) -> None:
        raise SystemExit("killed before the marks were cleared")

    async with app:
        with monkeypatch.context() as patched:
            patched.setattr(handlers.imports, "_settle", killed)
            with pytest.raises(SystemExit):
                await handlers.imports.on_startup(app)
        assert len(first.request.sent("editMessageText")) == 1
    app.bot_data.runtime.engine.dispose()
    second = restarted(settings)
    second.request.fail(
        ADMIN_ID,
        400,
        "Bad Request: message is not modified: specified new message content and reply "
        "markup are exactly the same",
    )
    app = second.app
    async with app:
        assert await handlers.imports.on_startup(app) == 1
        assert await second.drain() == []
        assert await handlers.imports.on_startup(app) == 0
    app.bot_data.runtime.engine.dispose()


def test_database_file_is_sqlite_or_postgres(settings: Settings) -> None:
    """The guard tests run on the configured backend (a smoke check of the fixtures)."""
    assert make_url(settings.database_url).get_backend_name() in ("sqlite", "postgresql")


async def test_a_confirm_still_being_written_by_another_worker_is_left_alone(
    bot: Harness,
) -> None:
    """Several workers (PostgreSQL): a start-up tells only about marks of workers that are gone."""
    await bot.send_document(ADMIN_ID, demo_table(), SHARED_NAME)
    token = bot.last_keyboard()[0][1].split(":")[-1]
    with Session(bot.engine) as session:
        restarts.mark_confirming(
            session=session,
            token=token,
            telegram_id=ADMIN_ID,
            chat_id=ADMIN_ID,
            message_id=7,
            worker="w1",
        )
        session.commit()
        assert restarts.take_interrupted(session=session, live_workers={"w1", "w2"}) == []
        (gone,) = restarts.take_interrupted(session=session, live_workers={"w2"})
    assert (gone.token, gone.chat_id, gone.message_id, gone.expired) == (token, ADMIN_ID, 7, False)
