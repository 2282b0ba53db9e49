"""The dashboard's HTTP plumbing: its shared state, the page, its files, the authenticated base."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from tornado.web import RequestHandler

from bot.core.i18n import normalize_language, set_timezone, use_language
from bot.core.people import load_viewer
from bot.core.runtime import Runtime
from bot.dashboard import auth
from bot.dashboard.strings import catalog_json

if TYPE_CHECKING:
    from bot.dashboard import api
    from bot.dashboard.sources import Sources

# Imported inside the functions that use them: the API's modules load at the dashboard's first call,
# not at start-up.

logger = logging.getLogger(__name__)

TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
SENDS_PER_MINUTE = 10
STATIC_TYPES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
UNAUTHORIZED = b'{"error":"unauthorized"}'
_API_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


@dataclass(frozen=True)
class Outgoing:
    """A file the bot sends to a viewer's private chat (by Telegram file_id, or bytes)."""

    chat_id: int
    kind: str  # document | photo
    filename: str
    caption: str
    file_id: str | None = None
    data: bytes | None = None


Sender = Callable[[Outgoing], Awaitable[None]]
Work = Callable[[Session, "api.Caller", "api.Context"], Any]
FAILED = object()  # compute() already answered with a refusal


@dataclass
class Dashboard:
    """What the handlers share: the bot's runtime, the file sender, caches and limits."""

    runtime: Runtime
    sources: Callable[[], Sources]  # made at the first API call: its modules load then
    send: Sender | None = None

    def __post_init__(self) -> None:
        """Caches and rate limits of this process; the page is rendered once."""
        self.failed_logins = auth.WindowCounter()
        self.sends = auth.WindowCounter(SENDS_PER_MINUTE, dt.timedelta(minutes=1))
        self.page = render_page(self.runtime.settings.dashboard_url)

    @functools.cached_property
    def tables(self) -> api.TableCache:
        """The API's cache of rendered tables (made, and the API loaded, at the first call)."""
        from bot.dashboard import api

        return api.TableCache()

    def now(self) -> dt.datetime:
        """The runtime's clock (simulated in the console demo)."""
        return self.runtime.clock()


def _static(name: str) -> bytes:
    """A file of bot/dashboard/static."""
    return resources.files("bot.dashboard").joinpath("static", name).read_bytes()


def content_security_policy(with_telegram: bool) -> str:
    """Only our own files; Telegram's script when it is loaded; framed by Telegram Web only."""
    scripts = "'self'" + (" https://telegram.org" if with_telegram else "")
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
    )


def render_page(public_url: str | None) -> tuple[bytes, str]:
    """The page with its words for every language; Telegram's script only in production."""
    with_telegram = bool(public_url and public_url.startswith("https://"))
    script = f'<script src="{TELEGRAM_SCRIPT}"></script>' if with_telegram else ""
    page = _static("index.html").decode("utf-8")
    page = page.replace("<!--TELEGRAM-->", script).replace("__STRINGS__", catalog_json())
    return page.encode("utf-8"), content_security_policy(with_telegram)


class _Base(RequestHandler):
    """Shared set-up and headers."""

    def initialize(self, dashboard: Dashboard) -> None:
        """Receive the shared state."""
        self.dashboard = dashboard

    def set_default_headers(self) -> None:
        """No server banner."""
        self.clear_header("Server")

    def check_xsrf_cookie(self) -> None:
        """No cookies are used (the header carries who is calling), so no XSRF check."""


class PageHandler(_Base):
    """GET /app/: the page."""

    def get(self) -> None:
        """The HTML with its Content-Security-Policy."""
        body, csp = self.dashboard.page
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", csp)
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.finish(body)


class StaticHandler(_Base):
    """GET /app/static/app.js|app.css."""

    def get(self, name: str) -> None:
        """One of the two files (anything else: 404)."""
        if name not in STATIC_TYPES:
            self.set_status(404)
            self.finish()
            return
        self.set_header("Content-Type", STATIC_TYPES[name])
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(_static(name))


# Every API call is authenticated by a header: `Authorization: tma <initData>` (Telegram's signed
# launch data) or `Authorization: Session <token>` (from a single-use login link). Anything that
# does not prove who is calling gets 401 and the same tiny body, whatever the reason.


class ApiHandler(_Base):
    """Base of /app/api/…: authenticate, resolve the caller, answer JSON."""

    logged = False

    def _launch_user(self, now: dt.datetime) -> tuple[int, str | None]:
        """(Telegram id, language code) proven by the Authorization header; AuthError if not."""
        header = self.request.headers.get("Authorization", "")
        scheme, _sep, value = header.partition(" ")
        settings = self.dashboard.runtime.settings
        if scheme == "tma" and settings.telegram_bot_token is not None:
            user = auth.validate_init_data(
                value.strip(),
                bot_token=settings.telegram_bot_token.get_secret_value(),
                max_age=dt.timedelta(seconds=settings.dashboard_max_age),
                now=now,
            )
            return user.telegram_id, user.language_code
        if scheme == "Session":
            with Session(self.dashboard.runtime.engine) as session:
                found = auth.session_user(session=session, token=value.strip(), now=now)
            if found is not None:
                return found, None
            raise auth.AuthError("bad_session")
        raise auth.AuthError("missing")

    def caller(self) -> api.Caller | None:
        """Who is calling, or None after answering 401."""
        from bot.dashboard import api

        now = self.dashboard.now()
        try:
            telegram_id, language_code = self._launch_user(now)
        except auth.AuthError as exc:
            logger.info("Dashboard call refused (%s) from %s", exc.reason, self.request.remote_ip)
            self.logged = True
            self.reply(401, UNAUTHORIZED)
            return None
        rt = self.dashboard.runtime
        viewer = load_viewer(
            reader=rt.reader, telegram_id=telegram_id, admin_ids=rt.settings.admin_telegram_ids
        )
        language = (
            viewer.language or normalize_language(language_code) or rt.settings.default_language
        )
        return api.Caller(viewer=viewer, language=language)

    def reply(self, status: int, body: bytes) -> None:
        """A JSON answer, gzipped when large and the client takes it."""
        self.set_status(status)
        for key, value in _API_HEADERS.items():
            self.set_header(key, value)
        if len(body) > 2048 and "gzip" in self.request.headers.get("Accept-Encoding", ""):
            self.set_header("Content-Encoding", "gzip")
            self.set_header("Vary", "Accept-Encoding")
            body = self.dashboard.tables.gzipped(body)
        self.finish(body)

    def reply_json(self, value: Any) -> None:
        """200 with a JSON value."""
        self.reply(200, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())

    async def compute(self, caller: api.Caller, work: Work) -> Any:
        """Run `work` off the event loop in the caller's language; on a refusal answer 403/404
        and return FAILED."""
        from bot.dashboard import api

        rt = self.dashboard.runtime
        ctx = api.Context(
            settings=rt.settings,
            now=self.dashboard.now(),
            tables=self.dashboard.tables,
            links=rt.links,
            sources=self.dashboard.sources(),
        )

        def run() -> Any:
            set_timezone(rt.settings.tz)
            with use_language(caller.language), Session(rt.engine) as session:
                return work(session, caller, ctx)

        try:
            return await asyncio.to_thread(run)
        except api.Forbidden:
            self.reply(403, b'{"error":"forbidden"}')
        except api.NotFound:
            self.reply(404, b'{"error":"not_found"}')
        return FAILED

    async def answer(self, work: Work) -> None:
        """Authenticate, compute, answer JSON."""
        caller = self.caller()
        if caller is None:
            return
        result = await self.compute(caller, work)
        if result is FAILED:
            return
        if isinstance(result, bytes):
            self.reply(200, result)
        else:
            self.reply_json(result)

    def arg_int(self, name: str) -> int | None:
        """An optional integer query argument (garbage is ignored)."""
        value = self.get_query_argument(name, None)
        return int(value) if value and value.isdigit() and len(value) < 12 else None

    def arg_code(self) -> str | None:
        """The optional indicator code."""
        value = self.get_query_argument("indicator", None)
        return value[:64] if value else None
