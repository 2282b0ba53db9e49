"""`python -m bot run --webhook` end to end: a real process, a fake Bot API, JSON logs, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.offline import message_update
from tests.app_kit import REPO, run_cli
from tests.fake_bot_api import FakeBotApi

TOKEN = "434343:WEBHOOK-E2E-TOKEN"
SECRET = "e2e-Secret_0123456789"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_webhook_answers_reports_health_and_logs_json_without_secrets(tmp_path: Path) -> None:
    """setWebhook with the secret; /healthz 200; a posted /tyle is answered; SIGTERM exits 0."""
    db = f"sqlite:///{tmp_path / 'kyso.db'}"
    table = REPO / "bot" / "data" / "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
    assert run_cli("import", str(table), env={"DATABASE_URL": db}, cwd=tmp_path).returncode == 0
    port = free_port()
    with FakeBotApi(TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(
            PYTHONPATH=str(REPO),
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
            DATABASE_URL=db,
            ADMIN_TELEGRAM_IDS="1",
            WEBHOOK_URL="https://kyso.example.vn/hook",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_PORT=str(port),
            LOG_FORMAT="json",
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--webhook"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        health = None
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                for _ in range(600):  # bounded: a broken build fails instead of hanging
                    if proc.poll() is not None:
                        break
                    try:
                        health = client.get("/healthz")
                        if any(m == "setWebhook" for m, _p in api.calls):
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.1)
                refused = client.post("/hook", json=message_update(1, "/tyle"))
                accepted = client.post(
                    "/hook",
                    json=message_update(1, "/tyle nam tien hai"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                metrics = client.get("/metrics").text
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=60)
    assert health is not None and health.status_code == 200, err
    assert health.json()["database"] == "ok" and health.json()["scheduler"] == "running"
    assert refused.status_code == 403 and accepted.status_code == 200
    # The reply rides on the webhook's answer (Telegram performs it): no request of its own.
    answer = accepted.json()
    assert answer["method"] == "sendMessage" and answer["chat_id"] == 1
    assert "Đảng ủy xã Nam Tiền Hải" in answer["text"] and "82,5%" in answer["text"]
    assert api.sent_texts() == []
    (hook,) = [p for m, p in api.calls if m == "setWebhook"]
    assert hook["url"] == "https://kyso.example.vn/hook" and hook["secret_token"] == SECRET
    assert str(hook["drop_pending_updates"]).lower() == "false"
    assert not any(m == "deleteWebhook" for m, _p in api.calls)  # updates wait while restarting
    assert 'kyso_updates_total{command="tyle",kind="command"} 1.0' in metrics
    assert proc.returncode == 0, err
    records = [json.loads(line) for line in err.splitlines() if line.strip()]  # every line JSON
    handled = [r for r in records if r["msg"] == "Handled update"]
    assert len(handled) == 1 and handled[0]["user_id"] == 1 and handled[0]["update_id"] > 0
    assert handled[0]["command"] == "tyle" and handled[0]["ms"] > 0
    assert any("refused" in r["msg"] and r["level"] == "WARNING" for r in records)
    assert any(r["msg"] == "Stopped" for r in records)
    assert TOKEN not in err + out and SECRET not in err + out


def test_webhook_mode_needs_url_and_secret(tmp_path: Path) -> None:
    """Without WEBHOOK_URL/WEBHOOK_SECRET: one line naming them, exit code 2."""
    result = run_cli(
        "run",
        "--webhook",
        cwd=tmp_path,
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1
    assert "WEBHOOK_URL" in lines[0] and "WEBHOOK_SECRET" in lines[0]


def test_bad_webhook_settings_are_configuration_errors(tmp_path: Path) -> None:
    """A secret with other characters, or a plain http URL, is refused in one line."""
    for name, value in (
        ("WEBHOOK_SECRET", "has spaces and ümlauts"),
        ("WEBHOOK_SECRET", "x" * 257),
        ("WEBHOOK_URL", "http://kyso.example.vn/hook"),
        ("LOG_FORMAT", "xml"),
    ):
        result = run_cli("run", "--webhook", cwd=tmp_path, env={name: value})
        assert result.returncode == 2, (name, value)
        assert name in result.stderr and "Traceback" not in result.stderr
        assert value not in result.stderr or name != "WEBHOOK_SECRET"
