"""Shared by the dashboard tests: launch data signed independently, a served dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from bot.app import build_application
from bot.console import demo_table
from bot.core.config import Settings
from bot.core.models import Role
from bot.offline import OfflineRequest
from bot.web import WebServer
from tests.conftest import SHARED_NAME, Harness

TOKEN = "123456:TEST-TOKEN"  # the test settings' bot token
OTHER_TOKEN = "654321:ANOTHER-BOT"
OFFICIAL_ID = 900_066  # head of Quang Lịch in these tests
STRANGER_ID = 5555


def signed_init_data(
    user_id: int,
    *,
    token: str = TOKEN,
    auth_date: int | None = None,
    language: str = "vi",
    extra: dict[str, str] | None = None,
) -> str:
    """Launch data as Telegram signs it, computed here with hmac/hashlib only."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(
            {"id": user_id, "first_name": "Test", "language_code": language},
            separators=(",", ":"),
            ensure_ascii=False,
        ),
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
        **(extra or {}),
    }
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def tampered(init_data: str) -> str:
    """The same launch data with the user id changed (the hash no longer matches)."""
    return init_data.replace("%22id%22%3A", "%22id%22%3A1", 1)


def expired(user_id: int, max_age: int = 3600) -> str:
    """Genuine launch data older than the allowed age."""
    return signed_init_data(user_id, auth_date=int(time.time()) - max_age - 120)


def previous_table(shared: bytes) -> bytes:
    """The shared table as an earlier period (25/05–07/06/2026): three fewer signed each."""
    rows = list(csv.reader(io.StringIO(shared.decode("utf-8")), delimiter="\t"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([row[0], row[1], row[2], str(max(0, int(row[3]) - 3)), ""])
    return out.getvalue().encode("utf-8")


def launch_url(base: str, init_data: str, theme: dict[str, str] | None = None) -> str:
    """The page with launch parameters in the fragment, as Telegram opens a Mini App."""
    fragment = "tgWebAppData=" + quote(init_data, safe="") + "&tgWebAppVersion=8.0"
    fragment += "&tgWebAppPlatform=web"
    if theme is not None:
        fragment += "&tgWebAppThemeParams=" + quote(json.dumps(theme), safe="")
    return f"{base}/app/#{fragment}"


@dataclass
class Served:
    """A running dashboard: its base URL, the bot harness, an HTTP client."""

    base: str
    harness: Harness
    client: httpx.AsyncClient

    async def get(self, path: str, init_data: str | None = None, **kw: Any) -> httpx.Response:
        """GET /app/api/<path> with launch data (None: no Authorization header)."""
        headers = {"Authorization": ("tma " + init_data).strip()} if init_data is not None else {}
        return await self.client.get("/app/api/" + path, headers=headers, **kw)

    async def post(self, path: str, init_data: str | None = None, **kw: Any) -> httpx.Response:
        """POST /app/api/<path> with launch data."""
        headers = {"Authorization": ("tma " + init_data).strip()} if init_data is not None else {}
        return await self.client.post("/app/api/" + path, headers=headers, **kw)


@asynccontextmanager
async def serve_dashboard(
    settings: Settings, shared: bytes, *, two_periods: bool = True
) -> AsyncIterator[Served]:
    """The real Application and HTTP server on 127.0.0.1 with the shared table imported (and
    an earlier period), Quang Lịch's head linked."""
    request = OfflineRequest()
    app = build_application(settings, request=request)
    harness = Harness(app, request)
    if two_periods:
        harness.import_table(
            previous_table(shared),
            "earlier.tsv",
            period_start=dt.date(2026, 5, 25),
            period_end=dt.date(2026, 6, 7),
        )
    harness.import_table(demo_table(), SHARED_NAME)
    harness.link(OFFICIAL_ID, "Quang Lịch", Role.HEAD)
    async with app:
        server = WebServer(app, port=0)
        port = await server.start()
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as client:
            try:
                yield Served(base=base, harness=harness, client=client)
            finally:
                await server.stop()
    app.bot_data.runtime.engine.dispose()


@dataclass(frozen=True)
class Seeded:
    """Ids of what seed_activity wrote."""

    deadline_id: int
    own_report_id: int  # Quang Lịch's report (a PDF)
    other_report_id: int  # Thái Bình's report (a photo)
    broadcast_id: int
    own_unit_id: int
    other_unit_ids: list[int]


def seed_activity(harness: Harness) -> Seeded:
    """A report deadline with two reports, an announcement with one acknowledgement (written
    with the kernel's tables, independently of the features' services)."""
    from sqlmodel import col, select

    from bot.core.db import session_scope
    from bot.core.lookup import find_units
    from bot.core.models import (
        Acknowledgement,
        Broadcast,
        Deadline,
        DeadlineUnit,
        ExplanationReport,
        OutboxMessage,
        Unit,
        utcnow,
    )

    now = utcnow()
    with session_scope(harness.engine) as session:
        ids = {}
        for query in ("Quang Lịch", "Phường Thái Bình", "Nam Tiền Hải"):
            found = find_units(session=session, query=query).unique
            assert found is not None, query
            ids[query] = found.id
        deadline = Deadline(
            title="Báo cáo giải trình — đơn vị dưới 80%",
            kind="report",
            due_at=now + dt.timedelta(days=4),
            audience={"type": "all"},
            plan_days=[1],
        )
        session.add(deadline)
        session.flush()
        for unit_id in ids.values():
            done = None if unit_id == ids["Nam Tiền Hải"] else now
            session.add(DeadlineUnit(deadline_id=deadline.id, unit_id=unit_id, fulfilled_at=done))
        own = ExplanationReport(
            deadline_id=deadline.id,
            unit_id=ids["Quang Lịch"],
            receipt=f"GT{deadline.id}-1",
            text="Đơn vị đã ký số đủ <b>80%</b> & sẽ hoàn thành 100%.",
            file_id="FILE-QL",
            file_kind="document",
            file_name="giai-trinh.pdf",
            submitted_by=OFFICIAL_ID,
        )
        other = ExplanationReport(
            deadline_id=deadline.id,
            unit_id=ids["Phường Thái Bình"],
            receipt=f"GT{deadline.id}-2",
            text="Máy chủ ký số hỏng.",
            file_id="PHOTO-TB",
            file_kind="photo",
            submitted_by=700_000,
            late=True,
        )
        session.add_all([own, other])
        broadcast = Broadcast(text="<b>Khẩn:</b> hoàn thành ký số trước 30/6.", recipients=2)
        session.add(broadcast)
        session.flush()
        for n, unit_id in enumerate((ids["Quang Lịch"], ids["Phường Thái Bình"])):
            session.add(
                OutboxMessage(
                    dedupe_key=f"broadcast:{broadcast.id}:{OFFICIAL_ID + n}",
                    kind="broadcast",
                    chat_id=OFFICIAL_ID + n,
                    unit_id=unit_id,
                    broadcast_id=broadcast.id,
                    status="sent",
                    sent_at=now,
                )
            )
        session.add(
            Acknowledgement(
                subject=f"broadcast:{broadcast.id}",
                telegram_id=OFFICIAL_ID,
                unit_id=ids["Quang Lịch"],
                at=now,
            )
        )
        session.flush()
        every = [int(u) for u in session.exec(select(Unit.id).order_by(col(Unit.id))).all()]
        seeded = Seeded(
            deadline_id=int(deadline.id),  # type: ignore[arg-type]
            own_report_id=int(own.id),  # type: ignore[arg-type]
            other_report_id=int(other.id),  # type: ignore[arg-type]
            broadcast_id=int(broadcast.id),  # type: ignore[arg-type]
            own_unit_id=ids["Quang Lịch"],
            other_unit_ids=[u for u in every if u != ids["Quang Lịch"]],
        )
    return seeded
