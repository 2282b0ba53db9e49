"""The dashboard's tornado routes: /app/ (the page), its files and /app/api/… (its JSON)."""

from __future__ import annotations

from typing import Any

from tornado.web import RedirectHandler, RequestHandler

from bot.dashboard.endpoints import (
    BroadcastsHandler,
    CardHandler,
    DeadlinesHandler,
    LoginHandler,
    MeHandler,
    ReportHandler,
    ReportSendHandler,
    TableHandler,
    UnitHandler,
    WorkbookHandler,
    WorkbookSendHandler,
)
from bot.dashboard.serving import Dashboard, PageHandler, StaticHandler

# The entry point (bot/web.py) makes the Dashboard it serves from here.
__all__ = ["Dashboard", "routes"]

PREFIX = "/app"


def routes(dashboard: Dashboard) -> list[tuple[str, type[RequestHandler], dict[str, Any]]]:
    """Tornado routes of the dashboard."""
    common: dict[str, Any] = {"dashboard": dashboard}
    api_routes: list[tuple[str, type[RequestHandler]]] = [
        (r"/me", MeHandler),
        (r"/table", TableHandler),
        (r"/unit/(\d{1,12})", UnitHandler),
        (r"/card", CardHandler),
        (r"/deadlines", DeadlinesHandler),
        (r"/broadcasts", BroadcastsHandler),
        (r"/reports/(\d{1,12})", ReportHandler),
        (r"/reports/(\d{1,12})/send", ReportSendHandler),
        (r"/workbook", WorkbookHandler),
        (r"/workbook/send", WorkbookSendHandler),
        (r"/login", LoginHandler),
    ]
    return [
        (PREFIX, RedirectHandler, {"url": PREFIX + "/"}),
        (PREFIX + "/", PageHandler, common),
        (PREFIX + r"/static/([a-z]+\.[a-z]+)", StaticHandler, common),
        *[(PREFIX + "/api" + path, handler, common) for path, handler in api_routes],
    ]
