"""The ways into the dashboard from the chat: /bangdieukhien, web_app buttons, menu buttons."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from bot.app import build_application
from bot.console import demo_table
from bot.core.config import Settings
from bot.core.models import AuditLog, DashboardLogin, Role
from bot.dashboard import auth
from bot.offline import OfflineRequest
from handlers.context import BotContext
from jobs.dashboard import set_menu_buttons
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness, make_settings

URL = "https://kyso.example.vn/app/"


@pytest.fixture
async def dash(settings: Settings) -> AsyncIterator[Harness]:
    """The bot with DASHBOARD_URL set and the shared table imported."""
    request = OfflineRequest()
    app = build_application(settings.model_copy(update={"dashboard_url": URL}), request=request)
    async with app:
        harness = Harness(app, request)
        harness.import_table(demo_table(), SHARED_NAME)
        yield harness
    app.bot_data.runtime.engine.dispose()


def web_app_buttons(call: Any) -> list[str]:
    """URLs of the web_app buttons of a sent message."""
    markup = call.params.get("reply_markup") or {}
    return [
        button["web_app"]["url"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "web_app" in button
    ]


def last_send(h: Harness) -> Any:
    """The last sendMessage call."""
    return next(c for c in reversed(h.request.calls) if c.method == "sendMessage")


async def test_the_secretariat_gets_a_single_use_link_the_button_and_the_menu(
    dash: Harness,
) -> None:
    """/bangdieukhien: a login link (only its hash stored, audited), the Mini App button, and
    the chat's menu button set to the dashboard."""
    (text,) = await dash.send(ADMIN_ID, "/bangdieukhien")
    assert "Bảng điều khiển" in text and "một lần" in text
    code = re.search(r"#login=([A-Za-z0-9_-]+)", text)
    assert code is not None and text.count(URL + "#login=") == 2  # href and visible text
    assert web_app_buttons(last_send(dash)) == [URL]
    (menu,) = [c for c in dash.request.calls if c.method == "setChatMenuButton"]
    assert menu.params["chat_id"] == ADMIN_ID
    button = menu.params["menu_button"]
    assert button == {"type": "web_app", "text": "📊 Bảng điều khiển", "web_app": {"url": URL}}
    with Session(dash.engine) as session:
        row = session.exec(select(DashboardLogin)).one()
        audit = session.exec(select(AuditLog).where(AuditLog.action == "dashboard.link")).one()
    assert row.code_hash == hashlib.sha256(code.group(1).encode()).hexdigest()
    assert code.group(1) not in json.dumps(audit.details)
    (english,) = await dash.send(ADMIN_ID, "/dashboard", language_code="en")
    assert "Dashboard" in english


async def test_links_are_rate_limited(dash: Harness) -> None:
    """After five links in ten minutes the secretariat is told when to ask again."""
    for _ in range(auth.MAX_LINKS):
        await dash.send(ADMIN_ID, "/bangdieukhien")
    (refused,) = await dash.send(ADMIN_ID, "/bangdieukhien")
    assert "quá nhiều link" in refused and "#login=" not in refused


async def test_only_the_secretariat_and_only_in_private(dash: Harness) -> None:
    """Officials are refused like any secretariat command; a group gets no link."""
    dash.link(900_066, "Quang Lịch", Role.HEAD)
    (head,) = await dash.send(900_066, "/bangdieukhien")
    assert head == "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    (group,) = await dash.send(ADMIN_ID, "/bangdieukhien", chat_id=-100, chat_type="group")
    assert "trò chuyện riêng" in group and "#login=" not in group
    with Session(dash.engine) as session:
        assert session.exec(select(DashboardLogin)).all() == []


async def test_without_an_address_or_when_off(tmp_path: Path, settings: Settings) -> None:
    """No DASHBOARD_URL: say so; DASHBOARD_ENABLED=false: say it is off; no buttons."""
    for update, expected in (
        ({}, "DASHBOARD_URL"),
        ({"dashboard_url": URL, "dashboard_enabled": False}, "đang tắt"),
    ):
        request = OfflineRequest()
        app = build_application(settings.model_copy(update=update), request=request)
        async with app:
            harness = Harness(app, request)
            (text,) = await harness.send(ADMIN_ID, "/bangdieukhien")
            assert expected in text
            await harness.send(ADMIN_ID, "/tyle")
            assert web_app_buttons(last_send(harness)) == []
        app.bot_data.runtime.engine.dispose()


async def test_a_web_app_button_under_rate_and_warnings_answers(dash: Harness) -> None:
    """/tyle (officials and secretariat, private chats) and /canhbao carry the button; a group,
    a stranger and a choice of units do not."""
    dash.link(900_066, "Quang Lịch", Role.HEAD)
    await dash.send(900_066, "/tyle")
    assert web_app_buttons(last_send(dash)) == [URL]
    await dash.send(ADMIN_ID, "/tyle")
    assert web_app_buttons(last_send(dash)) == [URL]
    await dash.send(ADMIN_ID, "/canhbao")
    call = last_send(dash)
    assert web_app_buttons(call) == [URL]
    assert any(
        "callback_data" in b for row in call.params["reply_markup"]["inline_keyboard"] for b in row
    )
    await dash.send(900_066, "/tyle", chat_id=-100, chat_type="group")
    assert web_app_buttons(last_send(dash)) == []
    await dash.send(5555, "/tyle")
    assert web_app_buttons(last_send(dash)) == []
    await dash.send(ADMIN_ID, "/tyle tiền")  # several matches: the choice buttons only
    assert web_app_buttons(last_send(dash)) == []


async def test_menu_buttons_for_every_secretariat_member(dash: Harness) -> None:
    """The start-up job sets the menu button in each member's chat, in their language."""
    dash.link(4242, "Quang Lịch", Role.SECRETARIAT)
    await dash.send(4242, "/ngonngu en")
    start = len(dash.request.calls)
    context = BotContext(dash.app)
    assert await set_menu_buttons(context) == 2
    calls = [c for c in dash.request.calls[start:] if c.method == "setChatMenuButton"]
    texts = {c.params["chat_id"]: c.params["menu_button"]["text"] for c in calls}
    assert texts == {ADMIN_ID: "📊 Bảng điều khiển", 4242: "📊 Dashboard"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://kyso.example.vn", "https://kyso.example.vn/app/"),
        ("https://kyso.example.vn/bang", "https://kyso.example.vn/bang/"),
        ("http://127.0.0.1:8080/app/", "http://127.0.0.1:8080/app/"),
        ("", None),
    ],
)
def test_dashboard_url_setting(tmp_path: Path, value: str, expected: str | None) -> None:
    """A bare host gets /app/; plain http only on the loopback."""
    assert make_settings(tmp_path, DASHBOARD_URL=value).dashboard_url == expected


@pytest.mark.parametrize(
    "value", ["http://kyso.example.vn/app/", "ftp://x", "https://x.vn/app/?a=1", "kyso.vn"]
)
def test_bad_dashboard_urls_are_refused(tmp_path: Path, value: str) -> None:
    """Telegram opens Mini Apps over https only."""
    with pytest.raises(ValidationError):
        make_settings(tmp_path, DASHBOARD_URL=value)


async def test_the_console_demo_serves_the_dashboard_with_a_login_link(tmp_path: Path) -> None:
    """`console --demo` prints a local link; it opens the dashboard on the demo data."""
    import io

    import httpx

    from bot.console import Console, load_demo_data

    settings = make_settings(tmp_path)
    request = OfflineRequest()
    app = build_application(settings, request=request)
    load_demo_data(app.bot_data.runtime)
    out = io.StringIO()
    console = Console(app, request, out, settings)
    await app.initialize()
    try:
        await console.start_dashboard()
        found = re.search(r"(http://127\.0\.0\.1:\d+)/app/#login=(\S+)", out.getvalue())
        assert found is not None
        async with httpx.AsyncClient(base_url=found.group(1)) as client:
            login = await client.post("/app/api/login", json={"code": found.group(2)})
            headers = {"Authorization": "Session " + login.json()["token"]}
            table = await client.get("/app/api/table", headers=headers)
            assert len(table.json()["rows"]) == 104
            await console.dashboard.move(app)  # what /khoidong does
            again = await client.get("/app/api/me", headers=headers)
            assert again.json()["role"] == "secretariat"
    finally:
        await console.dashboard.stop()
        await app.shutdown()
        app.bot_data.runtime.engine.dispose()
