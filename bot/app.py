"""The application factory: the one place that wires settings, database and handlers."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from sqlalchemy import Engine
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.db import create_db_engine, init_db
from bot.leader import LeaderElector, Leadership
from bot.runtime import Runtime
from handlers.common import RUNTIME_KEY, BotContext
from handlers.start import bot_commands
from jobs.scheduler import LeaderJobQueue
from jobs.sender import RECOVER_SECONDS, Limits, OutboxSender, recover_orphans_job

logger = logging.getLogger(__name__)


class MissingTokenError(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


SENDER_KEY = "outbox_sender"
SENDER_TASK_KEY = "outbox_sender_task"
ELECTOR_KEY = "leader_elector"
ELECTOR_TASK_KEY = "leader_elector_task"
POLLING_KEY = "long_polling"  # getUpdates arguments, set by serve(): poll while leader


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    """Join the election, publish the command menus, recover the outbox, start the sender."""
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    elector: LeaderElector = app.bot_data[ELECTOR_KEY]
    await elector.start()  # SQLite: raises WorkerAlreadyRunning if another worker has the file
    app.bot_data[SENDER_KEY].worker = rt.leadership.worker_id
    specs = handlers.all_commands()
    for language in SUPPORTED_LANGUAGES:
        await app.bot.set_my_commands(bot_commands(specs, language), language_code=language)
    await app.bot.set_my_commands(bot_commands(specs, rt.settings.default_language))
    sender: OutboxSender = app.bot_data[SENDER_KEY]
    sender.recover()
    app.bot_data[SENDER_TASK_KEY] = asyncio.create_task(sender.run(), name="outbox-sender")
    app.bot_data[ELECTOR_TASK_KEY] = asyncio.create_task(
        elector.run(lambda leadership: align_with_leadership(app, leadership)),
        name="leader-election",
    )


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    """Hand the scheduler over, let in-flight sends finish, then leave: a worker that is still
    sending stays registered, so nobody recovers (and repeats) its claimed rows."""
    elector: LeaderElector = app.bot_data[ELECTOR_KEY]
    election: asyncio.Task[None] | None = app.bot_data.pop(ELECTOR_TASK_KEY, None)
    if election is not None:
        elector.stop()
        await election
    await asyncio.to_thread(elector.step_down)
    task: asyncio.Task[None] | None = app.bot_data.pop(SENDER_TASK_KEY, None)
    if task is not None:
        app.bot_data[SENDER_KEY].stop()
        await task
    await asyncio.to_thread(elector.close)


async def align_with_leadership(app: Application, leadership: Leadership) -> None:  # type: ignore[type-arg]
    """Run the scheduler, and long polling if used, only while this worker is the leader."""
    app.bot_data[SENDER_KEY].worker = leadership.worker_id
    job_queue = app.job_queue
    if isinstance(job_queue, LeaderJobQueue) and job_queue.scheduler.running:
        job_queue.align()
    polling: dict[str, Any] | None = app.bot_data.get(POLLING_KEY)
    updater = app.updater
    if polling is None or updater is None or not app.running:
        return
    if leadership.is_leader and not updater.running:
        logger.info("Starting long polling")
        await updater.start_polling(**polling)
    elif not leadership.is_leader and updater.running:
        logger.info("Stopping long polling: another worker is the leader")
        await updater.stop()


async def serve(app: Application, **polling: Any) -> None:  # type: ignore[type-arg]
    """Run until SIGINT or SIGTERM: the outbox sender always; long polling (with `polling` as
    getUpdates arguments) and the scheduler while this worker is the leader."""
    app.bot_data[POLLING_KEY] = polling
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGABRT):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    try:
        await _post_init(app)
        await app.start()
        await align_with_leadership(app, app.bot_data[RUNTIME_KEY].leadership)
        await stop.wait()
        logger.info("Stopping")
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await _post_stop(app)
        await app.shutdown()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    engine: Engine | None = None,
) -> Application:  # type: ignore[type-arg]
    """Build the Application: bot, defaults, database, handlers (nothing runs yet)."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        raise MissingTokenError("TELEGRAM_BOT_TOKEN")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .job_queue(LeaderJobQueue())
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_file_url or ""
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # No AIORateLimiter: pushes are paced by the outbox sender, and replies to a user's own
    # question must never wait behind a broadcast.
    app = builder.build()
    if engine is None:
        engine = create_db_engine(settings.database_url)
    init_db(engine)
    elector = LeaderElector(engine)
    sender = OutboxSender(
        engine=engine,
        bot=app.bot,
        limits=Limits(
            overall_per_second=settings.outbox_rate_per_second,
            concurrency=settings.outbox_concurrency,
        ),
    )
    sender.worker = elector.leadership.worker_id
    app.bot_data[SENDER_KEY] = sender
    app.bot_data[ELECTOR_KEY] = elector
    app.bot_data[RUNTIME_KEY] = Runtime(
        settings=settings, engine=engine, wake_sender=sender.wake, leadership=elector.leadership
    )
    job_queue = app.job_queue
    assert isinstance(job_queue, LeaderJobQueue)
    job_queue.leadership = elector.leadership
    job_queue.run_repeating(
        recover_orphans_job,
        interval=RECOVER_SECONDS,
        first=RECOVER_SECONDS,
        data=sender,
        name="outbox-recover",
    )
    handlers.register_all(app)
    return app
