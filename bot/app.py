"""The application factory and the composition: every feature and every link between them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, JobQueue
from telegram.request import BaseRequest, HTTPXRequest

from bot.application import ChatOrderedProcessor, KysoApplication, update_kind
from bot.core import outbox
from bot.core.config import SUPPORTED_LANGUAGES, Settings
from bot.core.db import check_writable, create_db_engine, init_db
from bot.core.i18n import load_catalogs_in_background
from bot.core.leader import LeaderElector, Leadership
from bot.core.runtime import Runtime
from bot.core.stats import latest_snapshot
from bot.core.tls import context as tls_context
from bot.features import LettersLink, links
from bot.groups.service import migrate_chat
from bot.rates.service import cite_rules
from handlers import (
    alerts,
    audit_log,
    broadcasts,
    common,
    dashboard,
    deadlines,
    dialogs,
    errors,
    groups,
    imports,
    invites,
    letters,
    me,
    paging,
    rates,
    reports,
    start,
    summaries,
    units,
)
from handlers.commands import CommandSpec, bot_commands
from handlers.context import BotContext, BotData, KysoApp
from handlers.invites.redeem import redeem_payload
from handlers.replies import ReplyRetry
from jobs import alerts as alert_jobs
from jobs import broadcasts as broadcast_jobs
from jobs import dashboard as dashboard_jobs
from jobs import deadlines as deadline_jobs
from jobs import summaries as summary_jobs
from jobs.outbox import RECOVER_SECONDS, OutboxSender, recover_orphans_job
from jobs.outbox_gate import Limits
from jobs.scheduler import LeaderJobQueue

logger = logging.getLogger(__name__)

# The Application subclass and its update processor live in bot/application.py; they are
# re-exported here for every `from bot.app import …`.
__all__ = [
    "CATCH_UP_AFTER_SECONDS",
    "FEATURES",
    "GIL_SWITCH_SECONDS",
    "WARMING",
    "ChatOrderedProcessor",
    "Feature",
    "KysoApplication",
    "MissingTokenError",
    "align_with_leadership",
    "all_commands",
    "build_application",
    "compose",
    "sender_running",
    "update_kind",
]


class MissingTokenError(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


class Feature(Protocol):
    """A handlers module: its chat commands and the rest of its handlers."""

    @property
    def COMMANDS(self) -> Sequence[CommandSpec]:
        """The feature's chat commands, in help order."""

    def register(self, app: KysoApp) -> None:
        """Add the feature's buttons, free-text and other non-command handlers."""


# The handler modules, in registration and help order; `start` holds the catch-alls, last.
FEATURES: tuple[Feature, ...] = (
    rates,
    letters,  # before imports: a letter's file is not a statistics table
    invites,
    me,
    imports,
    audit_log,
    units,
    dialogs,
    groups,
    broadcasts,
    summaries,
    reports,
    alerts,
    deadlines,
    dashboard,
    start,
)


def all_commands() -> list[CommandSpec]:
    """Every feature's commands, in help order."""
    return [spec for module in FEATURES for spec in module.COMMANDS]


def compose(app: KysoApp) -> None:
    """Wire every feature: the middleware, commands, handlers, links and scheduled jobs."""
    data = app.bot_data
    specs = all_commands()
    for spec in specs:
        for name in spec.names:
            data.commands[name] = spec
    common.register(app)
    paging.register(app)
    for spec in specs:
        app.add_handler(spec.handler(), group=spec.group)
    for module in FEATURES:
        module.register(app)
    errors.register(app)
    # Links between features, as callables.
    data.start_payload = redeem_payload  # /start CODE redeems an invitation
    data.answer_buttons = dashboard.web_app_markup  # the dashboard's button under answers
    # Scheduled work, rebuilt from the database with deterministic job names.
    alert_jobs.schedule_warning_jobs(app)
    summary_jobs.schedule(app)
    broadcast_jobs.schedule(app)
    dashboard_jobs.schedule(app)


# How long a worker thread (an import, a report) may keep the interpreter before the event loop
# gets it back. Python's 5 ms default made the loop wait 5 ms after every system call while an
# import ran (bench/loop_lag.py: p99 lag 140 ms); 0.5 ms keeps it near the machine's own noise.
GIL_SWITCH_SECONDS = 0.0005


def _tune_process() -> None:
    """The interpreter's switch interval, and the catalogs compiled in a background thread."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    load_catalogs_in_background(SUPPORTED_LANGUAGES)


# After a start, the deadline catch-up and the import notices wait for the first update to be
# handled, or this long when none comes.
CATCH_UP_AFTER_SECONDS = 2.0

# Start-up work running on its own (a reference, so that it is not collected midway).
WARMING: set[asyncio.Task[None]] = set()


def _warm_standings(rt: Runtime) -> None:
    """Build the signing-rate standings (what the first /tyle reads) before the first update."""
    try:
        with Session(rt.engine) as session:
            snapshot = latest_snapshot(session=session, standings=rt.standings)
            basis = rt.links.rule_basis
            if snapshot is not None and basis is not None:  # and the reports' citation lines
                cite_rules(
                    session=session,
                    snapshot=snapshot,
                    basis=basis,
                    languages=SUPPORTED_LANGUAGES,
                )
    except Exception:  # only a head start: the first /tyle builds them if need be
        logger.warning("Could not build the standings ahead of the first update", exc_info=True)


async def _post_init(app: KysoApp) -> None:
    """Join the election, recover the outbox, start the sender; meanwhile a worker thread builds
    the standings. What need not come before the first answer follows it (`_after_start`)."""
    data = app.bot_data
    rt, elector, sender = data.runtime, data.elector, data.sender
    warm = asyncio.create_task(asyncio.to_thread(_warm_standings, rt), name="warm-standings")
    WARMING.add(warm)
    warm.add_done_callback(WARMING.discard)
    await elector.start()  # SQLite: raises WorkerAlreadyRunning if another worker has the file
    sender.worker = rt.leadership.worker_id
    sender.recover()
    data.after_start = asyncio.create_task(_after_start(app), name="after-start")
    data.sender_task = asyncio.create_task(sender.run(), name="outbox-sender")
    data.elector_task = asyncio.create_task(
        elector.run(lambda leadership: align_with_leadership(app, leadership)),
        name="leader-election",
    )


async def _after_start(app: KysoApp) -> None:
    """Start-up's work that the first answer does not wait for: the command menus (a round trip
    to Telegram, ~0.1-0.3 s), the deadline jobs with their catch-up, and the notices of imports
    a stop interrupted. A failure is logged; the bot answers meanwhile and regardless."""

    async def menus() -> None:
        specs = all_commands()
        settings = app.bot_data.runtime.settings
        # The menus in one round trip to Telegram, not one after another.
        await asyncio.gather(
            *(
                app.bot.set_my_commands(bot_commands(specs, language), language_code=language)
                for language in SUPPORTED_LANGUAGES
            ),
            app.bot.set_my_commands(bot_commands(specs, settings.default_language)),
        )

    async def catch_up() -> None:
        # Not beside the first answer: the catch-up's worker thread (the deadlines' modules,
        # the ORM's set-up: ~50 ms of CPU) would share the interpreter with it.
        due = app.bot_data.catch_up_due
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(due.wait(), CATCH_UP_AFTER_SECONDS)
        due.set()  # begun: a stop now lets it finish (post_stop)
        await deadline_jobs.on_startup(app)
        await imports.on_startup(app)

    for name, outcome in zip(
        ("command menus", "deadline and import catch-up"),
        await asyncio.gather(menus(), catch_up(), return_exceptions=True),
        strict=True,
    ):
        if isinstance(outcome, BaseException):
            logger.error("Start-up's %s failed", name, exc_info=outcome)


async def _post_stop(app: KysoApp) -> None:
    """Hand the scheduler over, let in-flight sends finish, then leave: a worker that is still
    sending stays registered, so nobody recovers (and repeats) its claimed rows."""
    data = app.bot_data
    started, data.after_start = data.after_start, None
    if started is not None:
        if not data.catch_up_due.is_set():  # stopped before the catch-up began: the next
            started.cancel()  # start makes it (it repeats nothing)
        # Until it is done (a catch-up under way writes to the database: let it finish);
        # asyncio.wait neither raises its cancellation nor swallows post_stop's own.
        await asyncio.wait({started})
    election, data.elector_task = data.elector_task, None
    if election is not None:
        data.elector.stop()
        await election
    await asyncio.to_thread(data.elector.step_down)
    task, data.sender_task = data.sender_task, None
    if task is not None:
        data.sender.stop()
        await task
    await asyncio.to_thread(data.elector.close)


async def align_with_leadership(app: KysoApp, leadership: Leadership) -> None:
    """Run the scheduler, and long polling if used, only while this worker is the leader."""
    app.bot_data.sender.worker = leadership.worker_id
    job_queue = app.job_queue
    if isinstance(job_queue, LeaderJobQueue) and job_queue.scheduler.running:
        job_queue.align()
    polling = app.bot_data.polling
    updater = app.updater
    if polling is None or updater is None:
        return
    async with app.bot_data.polling_lock:  # start-up and the election may align at once
        if not app.running:
            return
        if leadership.is_leader and not updater.running:
            logger.info("Starting long polling")
            await updater.start_polling(**polling)
        elif not leadership.is_leader and updater.running:
            logger.info("Stopping long polling: another worker is the leader")
            await updater.stop()


def _move_group(session: Session, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup while we were sending to it: move its subscription."""
    migrate_chat(session=session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)


def _backlog(engine: Engine) -> outbox.Backlog:
    """The outbox backlog, for a metrics scrape."""
    with Session(engine) as session:
        return outbox.backlog(session=session)


def sender_running(app: KysoApp) -> bool:
    """Whether the outbox sender task is alive."""
    task = app.bot_data.sender_task
    return task is not None and not task.done()


def _job_queue() -> JobQueue[BotContext]:
    """The leader-only job queue, typed as KysoApp has it."""
    return LeaderJobQueue()


def _with_requests(builder: Any, request: BaseRequest | None) -> Any:
    """The given request for every call (tests, the console); else PTB's two HTTP clients,
    sharing one TLS context (loading the CA bundle takes ~50 ms of start-up)."""
    if request is not None:
        return builder.request(request).get_updates_request(request)
    tls = {"verify": tls_context()}  # loaded in a thread while the modules imported
    return builder.request(
        HTTPXRequest(connection_pool_size=256, httpx_kwargs=tls)
    ).get_updates_request(HTTPXRequest(connection_pool_size=1, httpx_kwargs=tls))


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    engine: Engine | None = None,
) -> KysoApp:
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
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .job_queue(_job_queue())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .application_class(KysoApplication)
        .concurrent_updates(ChatOrderedProcessor(settings.concurrent_updates))
        .rate_limiter(ReplyRetry())
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_file_url or ""
        )
    builder = _with_requests(builder, request)
    # No AIORateLimiter: pushes are paced by the outbox sender, and replies to a user's own
    # question must never wait behind a broadcast; ReplyRetry only resends a reply refused
    # with 429 after Telegram's retry_after.
    app: KysoApp = builder.build()
    _tune_process()
    engine = engine if engine is not None else create_db_engine(settings.database_url)
    init_db(engine)
    check_writable(engine)  # a read-only database fails here, in one line (bot.cli.main)
    elector = LeaderElector(engine)
    sender = OutboxSender(
        engine=engine,
        bot=app.bot,
        limits=Limits(
            overall_per_second=settings.outbox_rate_per_second,
            concurrency=settings.outbox_concurrency,
        ),
        on_migrate=_move_group,
    )
    sender.worker = elector.leadership.worker_id
    outbox.wake_on_commit(engine, sender.wake)  # every committed push wakes the sender
    app.bot_data.sender = sender
    app.bot_data.elector = elector
    letters = LettersLink()  # the citations' and the questions' one index (made at first use)
    app.bot_data.letter_library = letters.library
    runtime = Runtime(
        settings=settings,
        engine=engine,
        leadership=elector.leadership,
        links=links(default_language=settings.default_language, letters=letters),
    )
    runtime.is_leader = lambda: elector.leadership.is_leader
    sender.data_version = runtime.reader.version  # an idle sender sleeps until a commit
    sender.clock = lambda: runtime.clock()
    runtime.metrics.bind(backlog=lambda: _backlog(engine), sender=lambda: sender.stats)
    if isinstance(app.bot.rate_limiter, ReplyRetry):
        app.bot.rate_limiter.on_wait = runtime.metrics.note_reply_flood_wait
    app.bot_data.runtime = runtime
    _schedule_recovery(app, elector, sender)
    compose(app)
    return app


def _schedule_recovery(app: KysoApp, elector: LeaderElector, sender: OutboxSender) -> None:
    """The leader-only job queue, and its periodic recovery of pushes a dead worker held."""
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
