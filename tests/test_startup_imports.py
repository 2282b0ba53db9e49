"""Start-up stays lean: building the bot does not load the libraries only some commands use."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import features
from bot.core.config import Settings

ROOT = Path(__file__).resolve().parent.parent

# Libraries a running bot loads only when a command needs them: charts, workbooks, PDF letters,
# and Alembic when the database is already at the shipped head.
LAZY = ("matplotlib", "openpyxl", "pypdf", "alembic", "PIL", "numpy")

BUILD = """
import json, sys
from bot.app import build_application
from bot import features
from bot.core.config import Settings
from bot.web import WebServer
app = build_application(Settings(_env_file=None))
WebServer(app).routes()  # what `bot run` serves: /healthz, /metrics and the dashboard
print(json.dumps(sorted(sys.modules)))
"""

# `python -m bot ARGS` in a fresh interpreter; prints the modules it loaded.
MAIN = """
import json, sys
from bot.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

# The features' command-line modules (each only for its own `python -m bot …` subcommand).
CLI_MODULES = set(features.CLI.values())

# Feature modules that `/tyle` never needs: their handlers, jobs and links load them at first use
# (a file sent, a table pasted, /tonghop, /lichsu, the weekly summaries, /nhatky, a question, a
# citation, the warnings, invitations, deadlines, units, announcements, the report), not at
# every start-up.
ON_FIRST_USE = {
    "bot.letters.answers",
    "bot.letters.basis",
    "bot.letters.ranking",
    "bot.letters.search",
    "bot.letters.service",
    "bot.letters.texts",
    "bot.letters.intents",
    "bot.alerts.evaluate",
    "bot.alerts.silences",
    "bot.alerts.silence_texts",
    "bot.alerts.status",
    "bot.alerts.texts",
    "bot.invites.codes",
    "bot.invites.leaving",
    "bot.invites.secretariat",
    "bot.deadlines.explanations",
    "bot.deadlines.lifecycle",
    "bot.deadlines.reminders",
    "bot.deadlines.replies",
    "bot.deadlines.views",
    "bot.units.officials",
    "bot.units.queries",
    "bot.broadcasts.service",
    "bot.reports.service",
    "bot.dashboard.access",
    "bot.dashboard.api",
    "bot.dashboard.boards",
    "bot.dashboard.cache",
    "bot.dashboard.figures",
    "bot.dashboard.table",
    "bot.dashboard.unitview",
    "bot.imports.apply",
    "bot.imports.options",
    "bot.imports.parse",
    "bot.imports.plan",
    "bot.imports.reading",
    "bot.imports.staging",
    "bot.imports.texts",
    "bot.summaries.figures",
    "bot.summaries.history",
    "bot.summaries.scheduled",
    "bot.summaries.texts",
    "bot.audit_log.service",
}


def loaded_modules(code: str, *args: str, database_url: str) -> set[str]:
    """The modules a fresh interpreter has after running `code` (with a bot token set)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(ROOT), TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN", DATABASE_URL=database_url
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_building_the_application_loads_no_heavy_library(settings: Settings) -> None:
    """`build_application` on a migrated database and the web server's routes (the dashboard's
    included), in a fresh interpreter: none of the heavy libraries is in sys.modules (each costs
    start-up time and memory), nor a feature's command-line module, nor a feature module loaded
    on first use, nor PostgreSQL's dialect on SQLite."""
    loaded = loaded_modules(BUILD, database_url=settings.database_url)
    assert "telegram" in loaded and "sqlalchemy" in loaded  # it did build the bot
    assert sorted({m.split(".")[0] for m in loaded}.intersection(LAZY)) == []
    assert sorted(loaded & CLI_MODULES) == []
    assert sorted(loaded & ON_FIRST_USE) == []
    on_postgresql = settings.database_url.startswith("postgresql")
    assert ("sqlalchemy.dialects.postgresql" in loaded) == on_postgresql


# The bot built in a fresh interpreter (ADMIN_TELEGRAM_IDS=1), then each command of argv sent by
# the administrator in English; prints, for each, the bot's modules it loaded and the replies.
FIRST_USE = """
import asyncio, json, sys
from telegram import Update
from bot.app import build_application
from bot.core.config import Settings
from bot.offline import OfflineRequest, message_update

async def main():
    request = OfflineRequest()
    app = build_application(Settings(_env_file=None), request=request)
    seen = []
    async with app:
        for text in sys.argv[1:]:
            before, start = set(sys.modules), len(request.calls)
            update = message_update(1, text, language_code="en")
            await app.process_update(Update.de_json(update, app.bot))
            sent = [c for c in request.calls[start:] if c.method == "sendMessage"]
            loaded = sorted(m for m in set(sys.modules) - before if m.startswith("bot."))
            seen.append([loaded, [str(c.params["text"]) for c in sent]])
    print(json.dumps(seen))

asyncio.run(main())
"""

# A command, a module it is the first to need, and what its answer says (an empty database).
FIRST_USES = [
    ("/letters", "bot.letters.service", "The library has no letters yet"),
    ("/ask what is a digital signature", "bot.letters.answers", "No letters have been added"),
    ("/warnings", "bot.alerts.status", "there are no warnings"),
    ("/silences", "bot.alerts.silence_texts", "No unit is silenced"),
    ("/admins", "bot.invites.secretariat", "<b>Secretariat</b>: 1 member"),
    ("/invite", "bot.invites.codes", "Which unit is the invitation for?"),
    ("/leave", "bot.invites.leaving", "You are not linked to any unit"),
    ("/deadlines", "bot.deadlines.replies", "No open deadlines"),
    ("/units", "bot.units.queries", "No unit found"),
    ("/broadcasts", "bot.broadcasts.service", "No announcements yet"),
    ("/report", "bot.reports.service", "No statistics have been imported yet"),
]


def test_each_feature_answers_at_its_first_use(settings: Settings) -> None:
    """After start-up without them, each feature's modules load at its first command, which
    answers as usual; `/start CODE` answers an unknown invitation code the same way."""
    commands = ["/rate", *(command for command, _module, _reply in FIRST_USES), "/start ABCDEFGH"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN",
        DATABASE_URL=settings.database_url,
        ADMIN_TELEGRAM_IDS="1",
    )
    done = subprocess.run(
        [sys.executable, "-c", FIRST_USE, *commands],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    rate_loaded, rate_replies = seen[0]
    assert "No statistics have been imported yet" in rate_replies[0]
    assert sorted(set(rate_loaded) & ON_FIRST_USE) == []  # /rate needs none of them
    for (command, module, reply), (loaded, replies) in zip(FIRST_USES, seen[1:], strict=False):
        assert module in loaded, command
        assert len(replies) == 1 and reply in replies[0], (command, replies)
    assert "This invitation code is not valid" in seen[-1][1][0]


def test_bot_run_parses_without_the_features_command_lines(settings: Settings) -> None:
    """`python -m bot run --help` and `console --help` answer without importing any feature's
    command-line module; `units --help` imports the units one only; `--help` lists them all."""
    for command in ("run", "console"):
        loaded = loaded_modules(MAIN, command, "--help", database_url=settings.database_url)
        assert sorted(loaded & CLI_MODULES) == []
    loaded = loaded_modules(MAIN, "units", "--help", database_url=settings.database_url)
    assert sorted(loaded & CLI_MODULES) == ["bot.units.cli"]
    loaded = loaded_modules(MAIN, "--help", database_url=settings.database_url)
    assert loaded >= CLI_MODULES


def test_postgresql_keeps_the_partial_unique_index() -> None:
    """The model names PostgreSQL's index condition only when a PostgreSQL engine is made (to
    keep its dialect out of a SQLite start-up): the DDL is partial there, as on SQLite."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex
    from sqlmodel import SQLModel

    from bot.core.db import create_db_engine

    table = SQLModel.metadata.tables["official"]
    index = next(i for i in table.indexes if i.name == "uq_official_active_person")
    engine = create_db_engine("postgresql+psycopg://kyso@127.0.0.1:1/kyso")  # never connects
    for dialect in (engine.dialect, sqlite.dialect()):
        ddl = str(CreateIndex(index).compile(dialect=dialect))
        assert ddl.endswith("ON official (telegram_id) WHERE active")


@pytest.mark.parametrize(
    "argv", [["run"], ["console", "--demo"], ["link", "5", "--role", "viewer"]]
)
def test_every_command_runs_with_the_garbage_collector_on(
    argv: list[str], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m bot` turns the collector off for its imports (bot/__main__.py): whatever the
    command, it is on again when the command's work starts (else memory would only grow)."""
    from bot import cli, console, web

    seen: list[bool] = []

    async def bot_runs(*args: object, **kwargs: object) -> None:
        seen.append(gc.isenabled())

    async def console_runs(*args: object, **kwargs: object) -> int:
        seen.append(gc.isenabled())
        return 0

    def link_runs(*args: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(web, "run_bot", bot_runs)
    monkeypatch.setattr(console, "run_console", console_runs)
    monkeypatch.setattr(cli, "cmd_link", link_runs)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    gc.disable()
    try:
        assert cli.main(argv) == 0
    finally:
        gc.enable()
    assert seen == [True]


# `python -m bot run` as bot/__main__.py starts it, the bot itself replaced by a probe of the
# collector at the moment it would start.
COLLECTOR_AT_RUN = """
import gc, json
gc.disable()
from bot import cli, web
seen = {}
async def probe(*args, **kwargs):
    seen.update(enabled=gc.isenabled(), set_aside=gc.get_freeze_count())
web.run_bot = probe
cli.main(["run"])
print(json.dumps(seen))
"""


def test_the_imports_are_set_aside_before_the_collector_comes_back_on(
    settings: Settings,
) -> None:
    """The imports made ~200,000 objects with the collector off: it comes back on with them
    set aside (else its next two passes walk them all, ~270 ms of CPU before the first answer)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN",
        DATABASE_URL=settings.database_url,
    )
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR_AT_RUN], env=env, capture_output=True, text=True
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["enabled"] is True
    assert seen["set_aside"] > 100_000
