"""The HTTP server of a running bot: Telegram's webhook, /healthz and /metrics.

PTB's own webhook server serves only the webhook, so this one follows PTB's custom-webhook
pattern: a POST on the webhook path is checked against the secret token Telegram sends in
X-Telegram-Bot-Api-Secret-Token, parsed, and handled by the Application's update processor as
a polled update is (in order per chat), while Telegram waits: the update's first reply can then
ride on the HTTP answer (handlers/webhook_answer.py). The server is bot/http_server/
(asyncio, httptools): the webhook path goes to bot/webhook.py, every other route to a
tornado.web handler.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import signal
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.request import BaseRequest
from tornado.web import Application as TornadoApplication
from tornado.web import RequestHandler

from bot.app import align_with_leadership, build_application, sender_running
from bot.core import health
from bot.core.config import Settings
from bot.core.metrics import CONTENT_TYPE
from bot.core.runtime import Runtime
from bot.dashboard.web import Dashboard
from bot.dashboard.web import routes as dashboard_routes
from bot.features import dashboard_sources
from bot.http_server import HttpServer, Limits
from bot.webhook import SECRET_HEADER, Hook
from handlers.context import KysoApp
from handlers.dashboard import file_sender

logger = logging.getLogger(__name__)

__all__ = ["SECRET_HEADER", "BotRunner", "StartError", "WebServer", "run_bot"]
MAX_BODY_BYTES = 1024 * 1024  # an update is a few kilobytes; files are never posted
HEALTH_TIMEOUT = 5.0  # seconds before an unanswered database counts as unreachable
# An unreachable Bot API at start-up is retried (1 s, 2 s, 4 s … at most a minute apart) until
# it answers or the bot is stopped: a reboot before the network is up, or a short Telegram
# outage, must not leave the service failed. A refused token is not retried (exit 2).
API_RETRY_FIRST = 1.0
API_RETRY_MAX = 60.0


def _runtime(app: KysoApp) -> Runtime:
    """The Runtime of a built Application."""
    return app.bot_data.runtime


async def check_health(app: KysoApp) -> health.Health:
    """Database (off the event loop, bounded), scheduler, sender and leader of an Application."""
    rt = _runtime(app)
    scheduler = bool(app.job_queue is not None and app.job_queue.scheduler.running)
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(
                health.check,
                engine=rt.engine,
                scheduler_running=scheduler,
                sender_running=sender_running(app),
                leader=rt.is_leader(),
            ),
            timeout=HEALTH_TIMEOUT,
        )
    except TimeoutError:
        logger.warning("Health check: the database did not answer within %s s", HEALTH_TIMEOUT)
        return health.Health(
            database=False,
            scheduler_running=scheduler,
            sender_running=sender_running(app),
            leader=rt.is_leader(),
            pending=None,
            oldest_pending_age=None,
        )


class _Base(RequestHandler):
    """Shared set-up: the bot Application."""

    def initialize(self, app: KysoApp) -> None:
        """Receive the bot Application."""
        self.app = app

    def set_default_headers(self) -> None:
        """No server banner."""
        self.clear_header("Server")


class HealthHandler(_Base):
    """GET /healthz: JSON, 200 when healthy, 503 otherwise."""

    async def get(self) -> None:
        """Probe and answer."""
        result = await check_health(self.app)
        self.set_status(200 if result.healthy else 503)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(result.as_dict()))


class MetricsHandler(_Base):
    """GET /metrics: the Prometheus text format."""

    async def get(self) -> None:
        """Render off the event loop (the backlog gauges query the database)."""
        body = await asyncio.to_thread(_runtime(self.app).metrics.render)
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(body)


@dataclass
class WebServer:
    """HTTP on `listen:port`: the webhook (when a secret is given), /healthz, /metrics."""

    app: KysoApp
    listen: str = "127.0.0.1"
    port: int = 8080
    webhook_path: str | None = None
    secret: str | None = None

    def __post_init__(self) -> None:
        """Nothing is bound until start()."""
        self._server: HttpServer | None = None
        self._pending: set[asyncio.Task[Any]] = set()  # updates still being handled

    def routes(self) -> list[tuple[str, type[RequestHandler], dict[str, Any]]]:
        """URL patterns and their handlers (the webhook is bot/webhook.py's, in front)."""
        common: dict[str, Any] = {"app": self.app}
        routes: list[tuple[str, type[RequestHandler], dict[str, Any]]] = [
            (r"/healthz", HealthHandler, common),
            (r"/metrics", MetricsHandler, common),
        ]
        if _runtime(self.app).settings.dashboard_enabled:  # the Mini App: /app/, /app/api/…
            dashboard = Dashboard(
                _runtime(self.app), sources=dashboard_sources, send=file_sender(self.app)
            )
            routes.extend(dashboard_routes(dashboard))
        return routes

    async def start(self) -> int:
        """Bind and serve; returns the port (useful when 0 asked for a free one)."""
        web = TornadoApplication(self.routes(), log_function=_log_request)
        hook = path = None
        if self.webhook_path is not None:  # the webhook straight on the connection
            hook = Hook(self.app, self.secret, self._pending)
            path = "/" + self.webhook_path.strip("/")
        server = HttpServer(
            web=web, hook=hook, hook_path=path, limits=Limits(body_bytes=MAX_BODY_BYTES)
        )
        bound = await server.start(self.listen, self.port)
        self._server = server
        logger.info("HTTP server listening on %s:%s", self.listen, bound)
        return bound

    async def stop(self) -> None:
        """Stop accepting, then close open connections."""
        if self._server is None:
            return
        await self._server.stop()
        self._server = None
        if self._pending:  # updates received before the stop are handled before the app stops
            await asyncio.gather(*self._pending, return_exceptions=True)
        logger.info("HTTP server stopped")


def _log_request(handler: RequestHandler) -> None:
    """Access log for errors only: 4xx/5xx at WARNING (never headers or bodies)."""
    status = handler.get_status()
    if status >= 400:
        logger.warning(
            "%s %s %s (%.1f ms)",
            status,
            handler.request.method,
            handler.request.path,
            1000.0 * handler.request.request_time(),
        )


class StartError(RuntimeError):
    """The bot could not start (port taken, webhook refused …); the message says why."""


class BotRunner:
    """One running bot: long polling or the webhook, plus /healthz and /metrics.

    Start-up: reach the Bot API (getMe, retried until it answers), initialise, post_init
    (menus, outbox recovery, sender), start the Application,
    then the HTTP server, then setWebhook (so Telegram never posts to a closed port).
    Shut-down: stop the HTTP server (no new updates), stop polling, stop the Application
    (queued updates are handled first), post_stop (in-flight sends finish, the rest of the
    claimed batch returns to pending). The webhook stays registered: Telegram keeps the
    updates that arrive while the bot restarts.
    """

    def __init__(
        self, settings: Settings, *, webhook: bool, request: BaseRequest | None = None
    ) -> None:
        """Build the Application and, when needed, the HTTP server (nothing runs yet)."""
        self.settings = settings
        self.webhook = webhook
        self.app = build_application(settings, request=request)
        self.server: WebServer | None = None
        if webhook:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            self.server = WebServer(
                self.app,
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                webhook_path=settings.webhook_path,
                secret=secret,
            )
        elif settings.status_port is not None or (
            settings.dashboard_enabled and settings.dashboard_url  # the dashboard needs a server
        ):
            self.server = WebServer(
                self.app,
                listen=settings.webhook_listen,
                port=settings.status_port or settings.webhook_port,
            )
        self.port: int | None = None
        self.ready = asyncio.Event()
        self._stop = asyncio.Event()

    def stop(self) -> None:
        """Ask the running bot to shut down gracefully."""
        self._stop.set()

    async def run(self) -> None:
        """Run until stop(); raises StartError when the bot cannot start."""
        app = self.app
        try:
            if not await self._reach_bot_api():
                logger.info("Stopped before the Bot API answered")
                await app.bot.shutdown()
                return
            async with app:
                if app.post_init is not None:
                    await app.post_init(app)
                try:
                    await self._start()
                    self.ready.set()
                    await self._stop.wait()
                    logger.info("Stopping")
                finally:
                    await self._shutdown()
        finally:
            _runtime(app).reader.close()
            _runtime(app).engine.dispose()

    async def _reach_bot_api(self) -> bool:
        """getMe until Telegram answers, waiting longer each time; False if stopped meanwhile.

        Raises InvalidToken (a refused token) and BadRequest at once: waiting cannot fix them.
        """
        from telegram.error import BadRequest, NetworkError, RetryAfter

        where = self.settings.telegram_api_base_url or "https://api.telegram.org"
        delay = API_RETRY_FIRST
        while not self._stop.is_set():
            try:
                await self.app.bot.initialize()
                return True
            except BadRequest:
                raise
            except (NetworkError, RetryAfter) as exc:
                wait = delay
                if isinstance(exc, RetryAfter):
                    after = exc.retry_after
                    wait = after.total_seconds() if isinstance(after, dt.timedelta) else after
                logger.warning(
                    "The Telegram Bot API at %s does not answer (%s); trying again in %g s. "
                    "Check the network, or TELEGRAM_API_BASE_URL.",
                    where,
                    exc.message,
                    wait,
                )
                try:
                    await asyncio.wait_for(self._stop.wait(), timeout=wait)
                except TimeoutError:
                    delay = min(delay * 2, API_RETRY_MAX)
        return False

    async def _start(self) -> None:
        """Polling or the Application, the HTTP server, then the webhook."""
        app = self.app
        await app.start()
        if not self.webhook:  # only the leader polls: Telegram serves one getUpdates client
            app.bot_data.polling = {"allowed_updates": Update.ALL_TYPES}
            await align_with_leadership(app, _runtime(app).leadership)
        if self.server is not None:
            try:
                self.port = await self.server.start()
            except OSError as exc:
                raise StartError(
                    f"cannot listen on {self.server.listen}:{self.server.port}: {exc.strerror}"
                ) from exc
        if self.webhook:
            await _set_webhook(app, self.settings)

    async def _shutdown(self) -> None:
        """Stop in the safe order."""
        app = self.app
        app.bot_data.polling = None  # an election tick must not restart polling now
        if self.server is not None:
            await self.server.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        logger.info("Stopped")


async def run_bot(settings: Settings, *, webhook: bool) -> None:
    """`python -m bot run [--webhook]`: run until SIGINT or SIGTERM."""
    runner = BotRunner(settings, webhook=webhook)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, runner.stop)
    try:
        await runner.run()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _set_webhook(app: KysoApp, settings: Settings) -> None:
    """Register WEBHOOK_URL with the secret; updates queued while away are kept."""
    from telegram.error import TelegramError

    assert settings.webhook_url and settings.webhook_secret
    try:
        await app.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            max_connections=settings.webhook_max_connections,
            drop_pending_updates=False,
        )
    except TelegramError as exc:
        raise StartError(f"setWebhook refused: {exc}") from exc
    logger.info("Webhook set to %s", settings.webhook_url)
