"""Schema migrations: the models match the revisions, old databases upgrade without loss."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, event, inspect, select, text
from sqlmodel import Session, SQLModel

from bot import cli
from bot.app import build_application
from bot.core import migrate
from bot.core.db import BUILTIN_INDICATORS, REVISION_KEY, create_db_engine, init_db
from bot.core.models import Indicator, UTCDateTime
from bot.core.text import fold, short_key
from bot.offline import OfflineRequest
from tests.conftest import Harness, database_url, make_settings

FIRST = "0001"


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    """An empty database of the current backend (nothing migrated yet)."""
    eng = create_db_engine(database_url(tmp_path, "mig"))
    if eng.dialect.name == "postgresql":  # the per-test database is a copy of a migrated one
        _drop_everything(eng)
    yield eng
    eng.dispose()


def _drop_everything(engine: Engine) -> None:
    """Empty a PostgreSQL database."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table except Alembic's, in primary-key order."""
    found: dict[str, list[dict[str, Any]]] = {}
    reflected = MetaData()
    reflected.reflect(engine)
    with engine.connect() as conn:
        for name, table in sorted(reflected.tables.items()):
            if name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            found[name] = [dict(r._mapping) for r in conn.execute(select(table).order_by(*order))]
    return found


def _at(day: int, hour: int = 8) -> dt.datetime:
    """A UTC time in June 2026."""
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=dt.UTC)


def _unit(uid: int, name: str, kind: str, parent: int | None) -> dict[str, Any]:
    """A unit row as revision 0001 stored it."""
    return {
        "id": uid,
        "code": f"unit-{uid}",
        "name": name,
        "name_key": fold(name),
        "short_key": short_key(fold(name)),
        "kind": kind,
        "parent_id": parent,
        "active": True,
        "created_at": _at(1),
    }


# One of everything a running bot writes, as plain rows of revision 0001's tables: written
# without the models, so the test keeps working when later revisions change them.
OLD_ROWS: dict[str, list[dict[str, Any]]] = {
    "indicator": [
        {
            "id": i,
            "code": code,
            "name": name,
            "item_kind": kind,
            "warning_threshold": 80.0,
            "critical_threshold": 50.0,
            "target": 100.0,
            "builtin": True,
            "created_at": _at(1),
        }
        for i, (code, name, kind) in enumerate(BUILTIN_INDICATORS, start=1)
    ],
    "appstate": [{"key": REVISION_KEY, "value": 7}],
    "unit": [
        _unit(1, "Khu vực Tiền Hải", "khu-vuc", None),
        _unit(2, "Đảng ủy xã Quang Lịch", "xa", 1),
        _unit(3, "Đảng ủy xã Nam Tiền Hải", "xa", 1),
    ],
    "reportingperiod": [
        {
            "id": 1,
            "start_date": dt.date(2026, 6, 8),
            "end_date": dt.date(2026, 6, 22),
            "as_of": _at(22),
            "created_at": _at(22, 9),
        }
    ],
    "importbatch": [
        {
            "id": 1,
            "indicator_id": 1,
            "period_id": 1,
            "source": "bang-ky-so.tsv",
            "sha256": "ab" * 32,
            "row_count": 2,
            "new_units": 2,
            "actor_telegram_id": 1,
            "created_at": _at(22, 9),
        }
    ],
    "measurement": [
        {
            "id": m,
            "unit_id": unit,
            "indicator_id": 1,
            "period_id": 1,
            "numerator": signed,
            "denominator": total,
            "published_rate": rate,
            "import_id": 1,
            "updated_at": _at(22, 9),
        }
        for m, unit, signed, total, rate in ((1, 2, 24, 30, 80.0), (2, 3, 33, 40, 82.5))
    ],
    "appuser": [
        {
            "telegram_id": 5002,
            "display_name": "Nguyễn Văn Á",
            "username": "nva",
            "language": "vi",
            "reachable": True,
            "unreachable_reason": None,
            "unreachable_since": None,
            "created_at": _at(20),
            "updated_at": _at(21),
        },
        {
            "telegram_id": 7_000_000_001,  # beyond 32 bits
            "display_name": "Trần Thị B",
            "username": "",
            "language": None,
            "reachable": False,
            "unreachable_reason": "blocked",
            "unreachable_since": _at(21, 3),
            "created_at": _at(20),
            "updated_at": _at(21),
        },
    ],
    "official": [
        {
            "id": 1,
            "telegram_id": 5002,
            "unit_id": 2,
            "role": "head",
            "active": True,
            "created_at": _at(20),
            "ended_at": None,
        },
        {
            "id": 2,
            "telegram_id": 1,
            "unit_id": None,
            "role": "secretariat",
            "active": True,
            "created_at": _at(1),
            "ended_at": None,
        },
        {
            "id": 3,
            "telegram_id": 7_000_000_001,
            "unit_id": 3,
            "role": "staff",
            "active": False,
            "created_at": _at(2),
            "ended_at": _at(10),
        },
    ],
    "chat": [
        {
            "id": -1001234567890,
            "type": "supergroup",
            "title": "Nhóm Tiền Hải",
            "active": True,
            "migrated_to": None,
            "left_at": None,
            "created_at": _at(5),
            "updated_at": _at(5),
        }
    ],
    "groupsubscription": [
        {
            "id": 1,
            "chat_id": -1001234567890,
            "area_unit_id": 1,
            "active": True,
            "created_by": 1,
            "created_at": _at(5),
            "ended_at": None,
        }
    ],
    "invite": [
        {
            "id": 1,
            "code_hash": "cd" * 32,
            "unit_id": 3,
            "role": "staff",
            "created_by": 1,
            "created_at": _at(15),
            "expires_at": _at(22),
            "used_by": None,
            "used_at": None,
            "revoked_at": None,
        }
    ],
    "redeemattempt": [{"id": 1, "telegram_id": 5002, "ok": True, "at": _at(20)}],
    "unitnamehistory": [
        {
            "id": 1,
            "unit_id": 3,
            "old_name": "Đảng ủy xã Tiền Hải Nam",
            "old_name_key": fold("Đảng ủy xã Tiền Hải Nam"),
            "new_name": "Đảng ủy xã Nam Tiền Hải",
            "changed_by": 1,
            "changed_at": _at(3),
        }
    ],
    "auditlog": [
        {
            "id": 1,
            "at": _at(22, 9),
            "actor_telegram_id": 1,
            "action": "import",
            "subject": "bang-ky-so.tsv",
            "details": {"rows": 2, "đơn vị": ["Quang Lịch", "Nam Tiền Hải"]},
        }
    ],
    "broadcast": [
        {
            "id": 1,
            "text": "Đề nghị các đồng chí ký số đầy đủ văn bản đi.",
            "audience": {"kind": "all"},
            "recipients": 2,
            "created_by": 1,
            "created_at": _at(22, 10),
            "progress_chat_id": 1,
            "progress_message_id": 55,
        }
    ],
    "outboxmessage": [
        {
            "id": n,
            "dedupe_key": f"broadcast:1:{chat}",
            "kind": "broadcast",
            "chat_id": chat,
            "unit_id": unit,
            "broadcast_id": 1,
            "priority": 8,
            "method": "sendMessage",
            "payload": {
                "text": "Đề nghị các đồng chí ký số đầy đủ văn bản đi.",
                "reply_markup": {"inline_keyboard": [[{"text": "✅", "callback_data": "ack:1"}]]},
            },
            "status": status,
            "attempts": 1 if status != "pending" else 0,
            "not_before": _at(22, 10),
            "claimed_at": _at(22, 10) if status != "pending" else None,
            "claimed_by": "w5:abc" if status != "pending" else None,
            "sent_at": _at(22, 10) if status == "sent" else None,
            "telegram_message_id": 9001 if status == "sent" else None,
            "last_error": None,
            "created_at": _at(22, 10),
        }
        for n, chat, unit, status in (
            (1, 5002, 2, "sent"),
            (2, 7_000_000_001, 3, "sending"),
            (3, -1001234567890, None, "pending"),
        )
    ],
    "acknowledgement": [
        {"id": 1, "subject": "broadcast:1", "telegram_id": 5002, "unit_id": 2, "at": _at(22, 11)}
    ],
    "pendingimport": [
        {
            "id": 1,
            "token": "t0k3n" * 3,
            "telegram_id": 1,
            "filename": "bảng tháng 7.xlsx",
            "data": bytes(range(256)),
            "sha256": "ef" * 32,
            "options": {"period_start": "2026-07-01"},
            "created_at": _at(23),
            "expires_at": _at(24),
        }
    ],
}


def write_old_rows(engine: Engine) -> None:
    """Insert OLD_ROWS through the database's own (reflected) tables, then fix sequences."""
    reflected = MetaData()
    reflected.reflect(engine)
    with engine.begin() as conn:
        for table in reflected.sorted_tables:
            if table.name in OLD_ROWS:
                conn.execute(table.insert(), OLD_ROWS[table.name])
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for name, rows in OLD_ROWS.items():
                if "id" in rows[0] and isinstance(rows[0]["id"], int) and name != "chat":
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"(SELECT max(id) FROM {name}))"
                        )
                    )


def assert_nothing_lost(before: dict[str, list[dict[str, Any]]], engine: Engine) -> None:
    """Every table, row and value of `before` is still there (new columns may be added)."""
    after = snapshot(engine)
    for table, rows in before.items():
        assert table in after, table
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            assert {k: new.get(k) for k in old} == old, table


def test_models_and_migrations_agree(engine: Engine) -> None:
    """An empty database upgraded to head has exactly the models' tables, columns and indexes."""
    # Fails when a model changed without a revision: run `python -m bot migrate --new "…"`.
    result = migrate.upgrade(engine)
    assert result.before is None and result.after == migrate.head_revision()
    assert migrate.differences(engine) == []
    assert set(inspect(engine).get_table_names()) == set(SQLModel.metadata.tables) | {
        "alembic_version"
    }


def test_revisions_form_one_line_from_the_first() -> None:
    """One head, numbered revisions, each revising the one before (no branches to merge)."""
    script = migrate._script()
    assert len(script.get_heads()) == 1
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions[0].revision == FIRST and revisions[0].down_revision is None
    for before, after in itertools.pairwise(revisions):
        assert after.down_revision == before.revision
        assert int(after.revision) == int(before.revision) + 1


async def test_database_at_the_first_revision_upgrades_to_head_without_loss(
    engine: Engine, tmp_path: Path
) -> None:
    """A used database at revision 0001 keeps every row at head; the bot answers from it."""
    migrate.upgrade(engine, FIRST)
    write_old_rows(engine)
    before = snapshot(engine)
    assert {t: len(r) for t, r in before.items()} == {t: len(r) for t, r in OLD_ROWS.items()}

    result = migrate.upgrade(engine)
    assert result.before == FIRST and result.after == migrate.head_revision()
    assert_nothing_lost(before, engine)
    assert migrate.differences(engine) == []
    engine.dispose()

    url = engine.url.render_as_string(hide_password=False)
    request = OfflineRequest()
    app = build_application(make_settings(tmp_path, DATABASE_URL=url), request=request)
    async with app:
        harness = Harness(app, request)
        (answer,) = await harness.send(5002, "/tyle")
        (other,) = await harness.send(1, "/tyle tien hai nam")  # the unit's former name
    app.bot_data.runtime.engine.dispose()
    assert "Quang Lịch" in answer and "80%" in answer and "24/30" in answer
    assert "Nam Tiền Hải" in other and "82,5%" in other
    assert_nothing_lost(before, engine)  # starting the bot changed nothing either


def test_database_made_before_migrations_is_adopted(engine: Engine) -> None:
    """A database created by create_all (no alembic_version table) is taken over, data intact."""
    migrate.upgrade(engine, FIRST)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    write_old_rows(engine)
    before = snapshot(engine)
    assert migrate.current_revision(engine) is None

    result = migrate.upgrade(engine)
    assert result.legacy and result.after == migrate.head_revision()
    assert_nothing_lost(before, engine)
    assert migrate.differences(engine) == []


def test_workers_starting_together_migrate_once(engine: Engine) -> None:
    """Several processes starting at the same moment on an empty database: all succeed."""
    url = engine.url.render_as_string(hide_password=False)
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker() -> None:
        own = create_db_engine(url)
        try:
            start.wait()
            init_db(own)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert migrate.current_revision(engine) == migrate.head_revision()
    with Session(engine) as session:
        assert len(session.exec(select(Indicator)).all()) == 3  # built-in rows added once


def test_a_migration_waits_for_another_longer_than_the_busy_timeout(tmp_path: Path) -> None:
    """A worker whose migration waits behind another (slow on a busy machine) keeps waiting past
    the ordinary busy timeout, then finds the schema done: no "database is locked"."""
    url = f"sqlite:///{tmp_path / 'slow.db'}"
    waiting = create_db_engine(url, busy_timeout=0.05)  # ordinary writes give up after 50 ms
    blocker = create_db_engine(url).raw_connection()
    blocker.execute("PRAGMA journal_mode=WAL")
    blocker.execute("BEGIN IMMEDIATE")  # "another worker" holds the write lock
    reached = threading.Event()

    @event.listens_for(waiting, "before_cursor_execute")
    def _seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE":
            reached.set()

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            init_db(waiting)
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert reached.wait(120)
        thread.join(0.5)  # ten busy timeouts: the worker is still waiting, not failed
        assert thread.is_alive() and not errors, errors
    finally:
        blocker.rollback()
        blocker.close()
    thread.join(120)
    assert not errors, errors
    assert migrate.current_revision(waiting) == migrate.head_revision()
    waiting.dispose()


def test_migrate_command_upgrades_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m bot migrate` creates the schema, says so, and `--status` exits 0 at head."""
    url = database_url(tmp_path, "cli")
    eng = create_db_engine(url)
    if eng.dialect.name == "postgresql":
        _drop_everything(eng)
    eng.dispose()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)

    assert cli.main(["migrate", "--status"]) == 1
    assert "none (empty database)" in capsys.readouterr().out
    assert cli.main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert f"migrated from an empty database to {migrate.head_revision()}" in out
    assert cli.main(["migrate"]) == 0
    assert "already at the newest revision" in capsys.readouterr().out
    assert cli.main(["migrate", "--status"]) == 0


def test_migrate_command_reports_an_unreachable_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that is not there: one line naming its host and port (password hidden) and
    what to check, exit 2 like every command (issue 12 §5)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://kyso:s3cret@127.0.0.1:1/kyso")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    assert cli.main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert "127.0.0.1:1" in err and "DATABASE_URL" in err
    assert "s3cret" not in err and "Traceback" not in err


def test_new_revision_is_written_from_a_model_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`migrate --new` writes the next numbered revision (plain types) that upgrades a database."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    migrate._script.cache_clear()
    previous = migrate.head_revision()
    probe = Table(
        "zz_probe",
        SQLModel.metadata,
        Column("id", Integer, primary_key=True),
        Column("seen_at", UTCDateTime, nullable=False),
    )
    try:
        path = migrate.new_revision("add probe table")
        source = path.read_text(encoding="utf-8")
        assert path.name == f"{int(previous) + 1:04d}_add_probe_table.py"
        assert f"down_revision: str | Sequence[str] | None = '{previous}'" in source.replace(
            '"', "'"
        )
        assert "zz_probe" in source and "sa.DateTime(timezone=True)" in source
        assert "bot.core.models" not in source and "sqlmodel" not in source
        eng = create_db_engine(f"sqlite:///{tmp_path / 'probe.db'}")
        migrate.upgrade(eng)
        assert "zz_probe" in inspect(eng).get_table_names()
        assert migrate.differences(eng) == []
        eng.dispose()
    finally:
        SQLModel.metadata.remove(probe)
        monkeypatch.undo()
        migrate._script.cache_clear()


def test_start_up_reads_the_shipped_head_without_alembic() -> None:
    """The quick check at start-up names the same head as Alembic."""
    from bot.core.db import shipped_head

    assert shipped_head() == migrate.head_revision()
