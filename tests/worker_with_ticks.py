"""`python -m bot run` plus one scheduled job that shows which worker runs the scheduler.

Every TICK_SECONDS the job enqueues a push "tick <pid> <time>" (kind "tick"), the way a real
reminder job would: if two workers ran the scheduler at once, their ticks would interleave.
Run as `python -m tests.worker_with_ticks` with the environment of `python -m bot run`.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from bot import app as app_module
from bot import cli
from bot.core import outbox
from bot.core.db import session_scope

TICK_SECONDS = 0.5
TICK_CHAT_BASE = 900_000_000

_build = app_module.build_application


async def tick(context: Any) -> None:
    """Enqueue one tick push, in its own transaction like any scheduled reminder."""
    runtime = context.application.bot_data.runtime
    now = time.time()
    with session_scope(runtime.engine) as session:
        outbox.enqueue_many(
            session=session,
            pushes=[
                outbox.Push(
                    key=f"tick:{os.getpid()}:{now:.3f}",
                    chat_id=TICK_CHAT_BASE + int(now * 1000) % 100_000_000,
                    text=f"tick {os.getpid()} {now:.3f}",
                    kind="tick",
                    priority=outbox.PRIORITY_REMINDER,
                )
            ],
        )


def build_application(settings: Any, **kwargs: Any) -> Any:
    """The real factory, with the tick job added to the (leader-only) job queue."""
    app = _build(settings, **kwargs)
    app.job_queue.run_repeating(tick, interval=TICK_SECONDS, first=0.1, name="test-tick")
    return app


if __name__ == "__main__":
    app_module.build_application = build_application  # cmd_run imports it at call time
    sys.exit(cli.main(["run"]))
