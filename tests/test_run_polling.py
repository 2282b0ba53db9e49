"""`python -m bot run` end to end: a real process long-polling a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.offline import message_update
from tests.app_kit import REPO, run_cli
from tests.conftest import database_url
from tests.fake_bot_api import FakeBotApi

TOKEN = "424242:E2E-SECRET-TOKEN"


def test_run_answers_over_long_polling_and_never_logs_the_token(tmp_path: Path) -> None:
    """The bot publishes vi/en menus, answers /tyle from the imported table, stops on SIGINT."""
    db = database_url(tmp_path, "kyso")
    table = REPO / "bot" / "data" / "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
    imported = run_cli("import", str(table), env={"DATABASE_URL": db}, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    with FakeBotApi(TOKEN) as api:
        api.updates.append(message_update(1, "/tyle nam tien hai"))
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "DATABASE_URL": db,
            "ADMIN_TELEGRAM_IDS": "1",
        }
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        full_env.update(env, PYTHONPATH=str(REPO))
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not api.sent_texts() and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.1)
            texts = api.sent_texts()
        finally:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
    assert texts, err
    assert "Đảng ủy xã Nam Tiền Hải" in texts[0] and "82,5%" in texts[0]
    menus = {
        p.get("language_code"): json.loads(p["commands"])
        for m, p in api.calls
        if m == "setMyCommands"
    }
    assert {"vi", "en", None} <= set(menus)
    vi_menu = [c["command"] for c in menus["vi"]]
    assert vi_menu[0] == "tyle" and "trogiup" in vi_menu
    assert proc.returncode == 0, err
    assert TOKEN not in err and TOKEN not in out
    assert "Starting long polling" in err
