"""Start-up stays lean: building the bot does not load the libraries only some commands use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.core.config import Settings

ROOT = Path(__file__).resolve().parent.parent

# Libraries a running bot loads only when a command needs them: charts, workbooks, PDF letters,
# and Alembic when the database is already at the shipped head.
LAZY = ("matplotlib", "openpyxl", "pypdf", "alembic", "PIL", "numpy")

BUILD = """
import json, sys
from bot.app import build_application
from bot.core.config import Settings
app = build_application(Settings(_env_file=None))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_building_the_application_loads_no_heavy_library(settings: Settings) -> None:
    """`import bot.app` and `build_application` on a migrated database, in a fresh interpreter:
    none of the heavy libraries is in sys.modules (each costs start-up time and memory)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN",
        DATABASE_URL=settings.database_url,
    )
    done = subprocess.run(
        [sys.executable, "-c", BUILD], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "telegram" in loaded and "sqlalchemy" in loaded  # it did build the bot
    assert sorted(loaded.intersection(LAZY)) == []
