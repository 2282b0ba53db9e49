"""The dashboard's JSON API (/app/api/…): one tornado handler per call, on ApiHandler's plumbing."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.core.db import session_scope
from bot.dashboard import auth
from bot.dashboard.serving import FAILED, UNAUTHORIZED, ApiHandler, Outgoing, Work

if TYPE_CHECKING:
    from bot.dashboard import api

# Imported inside the functions that use them: the API's modules load at the dashboard's first call,
# not at start-up.

logger = logging.getLogger(__name__)


class MeHandler(ApiHandler):
    """GET /app/api/me."""

    async def get(self) -> None:
        """Role, unit and language of the caller."""
        from bot.dashboard import api

        await self.answer(lambda s, c, x: api.me(session=s, caller=c))


class TableHandler(ApiHandler):
    """GET /app/api/table?indicator=&period=: every unit (secretariat)."""

    async def get(self) -> None:
        """The compact table."""
        from bot.dashboard import api

        code, period = self.arg_code(), self.arg_int("period")
        await self.answer(
            lambda s, c, x: api.table(
                session=s, caller=c, ctx=x, indicator_code=code, period_id=period
            )
        )


class UnitHandler(ApiHandler):
    """GET /app/api/unit/<id>: a unit (secretariat), or an official's own card."""

    async def get(self, unit_id: str) -> None:
        """The unit page."""
        from bot.dashboard import unitview

        code = self.arg_code()
        await self.answer(
            lambda s, c, x: unitview.unit_page(
                session=s, caller=c, ctx=x, unit_id=int(unit_id), indicator_code=code
            )
        )


class CardHandler(ApiHandler):
    """GET /app/api/card: the official's own unit."""

    async def get(self) -> None:
        """The card."""
        from bot.dashboard import unitview

        code = self.arg_code()
        await self.answer(
            lambda s, c, x: unitview.card(session=s, caller=c, ctx=x, indicator_code=code)
        )


class DeadlinesHandler(ApiHandler):
    """GET /app/api/deadlines (secretariat)."""

    async def get(self) -> None:
        """The deadline board."""
        from bot.dashboard import boards

        await self.answer(lambda s, c, x: boards.deadline_board(session=s, caller=c, ctx=x))


class BroadcastsHandler(ApiHandler):
    """GET /app/api/broadcasts (secretariat)."""

    async def get(self) -> None:
        """The announcements board."""
        from bot.dashboard import boards

        await self.answer(lambda s, c, x: boards.broadcast_board(session=s, caller=c, ctx=x))


class ReportHandler(ApiHandler):
    """GET /app/api/reports/<id>: an explanation report (its unit's officials, secretariat)."""

    async def get(self, report_id: str) -> None:
        """The report's text and details."""
        from bot.dashboard import boards

        await self.answer(
            lambda s, c, x: boards.report_detail(
                session=s, caller=c, ctx=x, report_id=int(report_id)
            )
        )


class _SendingHandler(ApiHandler):
    """Shared: send a file to the caller's own private chat, a few times a minute at most."""

    async def send_to_caller(self, fetch: Work) -> None:
        """Check the role (in `fetch`), then have the bot send the file."""
        caller = self.caller()
        if caller is None:
            return
        now = self.dashboard.now()
        key = str(caller.viewer.telegram_id)
        if self.dashboard.sends.blocked(key, now):
            self.reply(429, b'{"error":"too_many"}')
            return
        outgoing = await self.compute(caller, fetch)
        if outgoing is FAILED:
            return
        if self.dashboard.send is None:
            self.reply(503, b'{"error":"unavailable"}')
            return
        self.dashboard.sends.add(key, now)
        try:
            await self.dashboard.send(outgoing)
        except Exception:
            logger.warning(
                "Dashboard: sending a file to %s failed", outgoing.chat_id, exc_info=True
            )
            self.reply(502, b'{"error":"not_sent"}')
            return
        self.reply_json({"sent": True})


class ReportSendHandler(_SendingHandler):
    """POST /app/api/reports/<id>/send: the report's file, to the caller's chat."""

    async def post(self, report_id: str) -> None:
        """Send it by file_id."""
        from bot.dashboard import boards

        def fetch(session: Session, caller: api.Caller, ctx: api.Context) -> Outgoing:
            found = boards.report_file(
                session=session, caller=caller, ctx=ctx, report_id=int(report_id)
            )
            return Outgoing(
                chat_id=caller.viewer.telegram_id,
                kind=found.kind,
                filename=found.name,
                caption=found.caption,
                file_id=found.file_id,
            )

        await self.send_to_caller(fetch)


class WorkbookHandler(ApiHandler):
    """GET /app/api/workbook?period=: the /baocao workbook as a download (secretariat)."""

    async def get(self) -> None:
        """The .xlsx bytes."""
        from bot.dashboard import boards

        period = self.arg_int("period")
        caller = self.caller()
        if caller is None:
            return
        book = await self.compute(
            caller,
            lambda s, c, x: boards.workbook(session=s, caller=c, ctx=x, period_id=period),
        )
        if book is FAILED:
            return
        self.set_header(
            "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.set_header("Content-Disposition", f'attachment; filename="{book.filename}"')
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(book.data)


class WorkbookSendHandler(_SendingHandler):
    """POST /app/api/workbook/send?period=: the workbook, to the caller's chat (secretariat)."""

    async def post(self) -> None:
        """Build it and have the bot send it."""
        from bot.dashboard import boards

        period = self.arg_int("period")

        def fetch(session: Session, caller: api.Caller, ctx: api.Context) -> Outgoing:
            book = boards.workbook(session=session, caller=caller, ctx=ctx, period_id=period)
            return Outgoing(
                chat_id=caller.viewer.telegram_id,
                kind="document",
                filename=book.filename,
                caption="",
                data=book.data,
            )

        await self.send_to_caller(fetch)


class LoginHandler(ApiHandler):
    """POST /app/api/login {"code": …}: a login link's code for a session token."""

    async def post(self) -> None:
        """Single use, rate-limited per address, audited."""
        address = self.request.remote_ip or "?"
        now = self.dashboard.now()
        if self.dashboard.failed_logins.blocked(address, now):
            self.reply(429, b'{"error":"too_many"}')
            return
        try:
            code = str(json.loads(self.request.body or b"{}").get("code", ""))
        except (ValueError, AttributeError):
            code = ""

        def run() -> auth.Login | None:
            with session_scope(self.dashboard.runtime.engine) as session:
                return auth.redeem_login(session=session, code=code, now=now, address=address)

        login = await asyncio.to_thread(run)
        if login is None:
            self.dashboard.failed_logins.add(address, now)
            logger.info("Dashboard login refused from %s", address)
            self.logged = True
            self.reply(401, UNAUTHORIZED)
            return
        self.reply_json({"token": login.token})
