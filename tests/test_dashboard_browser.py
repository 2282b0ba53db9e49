"""The dashboard in a real browser: Debian's chromium driven by Playwright, served on 127.0.0.1.

Skipped when chromium or Playwright is missing on a developer's machine; in CI (.ci/run sets
KYSO_REQUIRE_BROWSER=1) a missing browser fails instead. KYSO_SCREENSHOTS=1 also saves the
guide's screenshots (360×740, light and dark) into docs/images/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.core.config import Settings
from bot.core.db import bump_revision, session_scope
from bot.core.lookup import find_units
from bot.core.models import Unit
from bot.dashboard import auth
from tests.conftest import ADMIN_ID
from tests.dashboard_kit import (
    OFFICIAL_ID,
    STRANGER_ID,
    Served,
    expired,
    launch_url,
    seed_activity,
    serve_dashboard,
    signed_init_data,
    tampered,
)

CHROMIUM = os.environ.get("KYSO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REQUIRED = os.environ.get("KYSO_REQUIRE_BROWSER") == "1"
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "images"
LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#efeff3",
}
DARK = {
    "bg_color": "#212121",
    "text_color": "#ffffff",
    "hint_color": "#aaaaaa",
    "link_color": "#8774e1",
    "button_color": "#8774e1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#181818",
}


def _missing() -> str | None:
    """Why the browser tests cannot run here (None: they can)."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Headless system chromium (never a downloaded browser)."""
    reason = _missing()
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"browser tests are required here but {reason}")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def served(settings: Settings, shared_tsv: bytes) -> AsyncIterator[Served]:
    """Two imported periods, Quang Lịch's head, a deadline and an announcement."""
    async with serve_dashboard(settings, shared_tsv) as s:
        seed_activity(s.harness)
        yield s


async def open_page(browser: Any, url: str, theme: str = "light") -> Any:
    """A phone-sized page (360×740) with page errors collected."""
    context = await browser.new_context(
        viewport={"width": 360, "height": 740}, color_scheme=theme, locale="vi-VN"
    )
    page = await context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    await page.goto(url)
    return page


async def shot(page: Any, name: str) -> None:
    """Save a screenshot for the guide when asked to (KYSO_SCREENSHOTS=1)."""
    if os.environ.get("KYSO_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"{name}.png"))


async def rows(page: Any) -> list[str]:
    """The table's rows as text."""
    return await page.locator("#rows tr").all_inner_texts()


async def api_status(page: Any, path: str, init_data: str) -> int:
    """Status of an API call made from the page itself."""
    return int(
        await page.evaluate(
            """async ([path, data]) => (await fetch('api/' + path,
                {headers: {Authorization: 'tma ' + data}})).status""",
            [path, init_data],
        )
    )


async def test_the_secretariat_works_the_province_table(browser: Any, served: Served) -> None:
    """104 rows; rate ascending puts Phường Thái Bình (9,09 %) first; "Dưới 80%" leaves 38;
    "nam tien hai" finds Nam Tiền Hải, 82,5 %, rank 62/104."""
    page = await open_page(browser, launch_url(served.base, signed_init_data(ADMIN_ID), LIGHT))
    await page.wait_for_selector("#rows tr")
    assert len(await rows(page)) == 104
    assert "#tgWebAppData" not in page.url  # the launch data left the address bar
    await shot(page, "dashboard-table-light")
    await page.click("th button[data-col=rate]")
    first = (await rows(page))[0]
    assert "Đảng ủy Phường Thái Bình" in first and "9,09%" in first
    await page.select_option("#status-filter", label="Dưới 80%")
    assert len(await rows(page)) == 38
    assert await page.inner_text("#shown") == "Đang hiển thị: 38/104 đơn vị"
    await page.select_option("#status-filter", label="Tất cả trạng thái")
    await page.fill("#search", "nam tien hai")
    (found,) = await rows(page)
    assert "Đảng ủy xã Nam Tiền Hải" in found and "82,5%" in found and "33/40" in found
    assert found.split("\t")[0] == "62"
    await page.click("#rows tr button")
    await page.wait_for_selector("#figures")
    assert "Xếp hạng: 62/104" in await page.inner_text("#figures")
    assert page.errors == []


async def test_the_unit_page_shows_the_trend_over_two_periods(browser: Any, served: Served) -> None:
    """Nam Tiền Hải's page: an SVG line through 75 % and 82,5 %, its deadline and report state."""
    page = await open_page(browser, launch_url(served.base, signed_init_data(ADMIN_ID), LIGHT))
    await page.wait_for_selector("#rows tr")
    await page.fill("#search", "nam tien hai")
    await page.click("#rows tr button")
    await page.wait_for_selector("svg.chart")
    assert await page.locator("svg.chart circle").count() == 2
    labels = await page.locator("svg.chart text.value").all_text_contents()
    assert labels == ["75%", "82,5%"]
    text = await page.inner_text("main")
    assert "25/05/2026 – 07/06/2026: 75% (30/40)" in text
    assert "Báo cáo giải trình — đơn vị dưới 80%" in text and "chưa nộp" in text
    await shot(page, "dashboard-unit-light")
    await page.click("#back")
    await page.wait_for_selector("#rows tr")
    assert len(await rows(page)) == 1  # the search is kept
    assert page.errors == []


async def test_an_official_sees_only_their_unit(browser: Any, served: Served) -> None:
    """Quang Lịch's head: their card at 80 %, no table, no other unit through the API."""
    head = signed_init_data(OFFICIAL_ID)
    page = await open_page(browser, launch_url(served.base, head, LIGHT))
    await page.wait_for_selector("#figures")
    assert await page.inner_text("#unit-name") == "Đảng ủy xã Quang Lịch"
    assert await page.inner_text("#rate") == "80%"
    assert await page.locator("#rows").count() == 0 and await page.locator("#tabs").is_hidden()
    body = await page.inner_text("main")
    assert "Cần thêm 6 văn bản để đạt 100%" in body and "Nam Tiền Hải" not in body
    await shot(page, "dashboard-card-light")
    with session_scope(served.harness.engine) as session:
        own = find_units(session=session, query="Quang Lịch").unique
        assert own is not None
        others = session.exec(select(Unit.id).where(col(Unit.id) != own.id)).all()
    for unit_id in [*others[:10], others[-1], 999_999]:
        assert await api_status(page, f"unit/{unit_id}", head) == 403
    assert await api_status(page, "table", head) == 403
    assert await api_status(page, f"unit/{own.id}", head) == 200
    assert page.errors == []


async def test_a_stranger_is_told_how_to_get_linked(browser: Any, served: Served) -> None:
    """Someone the bot does not know sees their Telegram id and the way in."""
    page = await open_page(browser, launch_url(served.base, signed_init_data(STRANGER_ID)))
    await page.wait_for_selector("#stranger")
    assert str(STRANGER_ID) in await page.inner_text("#stranger")


@pytest.mark.parametrize("kind", ["tampered", "expired"])
async def test_bad_launch_data_is_refused_on_the_page_and_by_the_api(
    browser: Any, served: Served, kind: str
) -> None:
    """The page says the data is invalid or expired; the API answers 401."""
    data = tampered(signed_init_data(ADMIN_ID)) if kind == "tampered" else expired(ADMIN_ID)
    page = await open_page(browser, launch_url(served.base, data))
    await page.wait_for_selector("#status.error")
    assert "không hợp lệ hoặc đã hết hạn" in await page.inner_text("#status")
    assert await page.locator("#rows tr").count() == 0
    assert await api_status(page, "me", data) == 401
    assert await api_status(page, "table", data) == 401


async def test_names_are_shown_as_text_never_as_html(browser: Any, served: Served) -> None:
    """A unit named like markup is displayed literally; nothing in it runs."""
    hostile = '<img src=x onerror="window.hacked=1">Xã <b>Thử</b>'
    with session_scope(served.harness.engine) as session:
        unit = find_units(session=session, query="Quang Lịch").unique
        assert unit is not None
        row = session.get(Unit, unit.id)
        assert row is not None
        row.name = hostile
        session.add(row)
        bump_revision(session)
    page = await open_page(browser, launch_url(served.base, signed_init_data(ADMIN_ID)))
    await page.wait_for_selector("#rows tr")
    await page.fill("#search", "thu")
    assert hostile in await page.inner_text("#rows")
    assert await page.locator("#rows img, #rows b").count() == 0
    assert await page.evaluate("window.hacked") is None
    assert page.errors == []


async def test_dark_theme_follows_telegram(browser: Any, served: Served) -> None:
    """Telegram's theme colours become the page's; screenshots of the dark theme."""
    page = await open_page(
        browser, launch_url(served.base, signed_init_data(ADMIN_ID), DARK), theme="dark"
    )
    await page.wait_for_selector("#rows tr")
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(33, 33, 33)"
    assert await page.evaluate("document.documentElement.dataset.scheme") == "dark"
    await shot(page, "dashboard-table-dark")
    await page.fill("#search", "nam tien hai")
    await page.click("#rows tr button")
    await page.wait_for_selector("svg.chart")
    await shot(page, "dashboard-unit-dark")
    card = await open_page(
        browser, launch_url(served.base, signed_init_data(OFFICIAL_ID), DARK), theme="dark"
    )
    await card.wait_for_selector("#figures")
    await shot(card, "dashboard-card-dark")
    assert page.errors == [] and card.errors == []


async def test_a_login_link_opens_the_dashboard_in_a_browser(browser: Any, served: Served) -> None:
    """/bangdieukhien's link works once; the page then works without Telegram."""
    with session_scope(served.harness.engine) as session:
        code = auth.create_login_link(
            session=session,
            telegram_id=ADMIN_ID,
            now=served.harness.app.bot_data.runtime.clock(),
        )
    page = await open_page(browser, f"{served.base}/app/#login={code}")
    await page.wait_for_selector("#rows tr")
    assert len(await rows(page)) == 104 and "login" not in page.url
    again = await open_page(browser, f"{served.base}/app/#login={code}")
    await again.wait_for_selector("#status.error")
    assert "đã được dùng hoặc đã hết hạn" in await again.inner_text("#status")
