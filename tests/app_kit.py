"""Helpers for tests of the whole program: the repository, `python -m bot`, a bounded wait,
and what the bot sent."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Harness

REPO = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot …` in a clean environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    base["PYTHONPATH"] = str(REPO)
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=cwd or REPO,
        timeout=120,
    )


def wait_for(condition: Callable[[], bool], limit: float) -> bool:
    """Poll a condition (bounded, so a broken build fails instead of hanging)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def document(h: Harness, start: int) -> tuple[str, bytes]:
    """The one document sent since `start`: (file name, bytes)."""
    (call,) = [c for c in h.request.calls[start:] if c.method == "sendDocument"]
    return call.uploads["document"]


NEXT_PAGE = ("Tiếp ▶️", "Next ▶️")


async def every_page(h: Harness, user_id: int, command: str, **kwargs: object) -> str:
    """Send a command and press ▶️ until the last page; every page's text, joined."""
    pages = ["\n".join(await h.send(user_id, command, **kwargs))]
    for _page in range(200):  # bounded: a pager that never ends fails the test
        buttons = dict(h.last_keyboard())
        data = next((buttons[label] for label in NEXT_PAGE if label in buttons), None)
        if data is None:
            return "\n".join(pages)
        pages.extend(await h.press(user_id, data, **kwargs))
    raise AssertionError(f"{command}: more than 200 pages")
