"""Every dashboard API route as every kind of caller, over real HTTP on 127.0.0.1.

The rules are the chat commands': the secretariat sees everything, an official their own unit
only, a stranger is told how to get linked; data that does not prove who is calling gets 401
with the same body whatever the reason.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.core.config import Settings
from bot.core.db import session_scope
from bot.core.i18n import fmt_number, fmt_points, fmt_rate, rate_percent, use_language
from bot.core.models import AuditLog
from bot.dashboard import auth
from bot.dashboard.fastformat import FastFormat
from tests.conftest import ADMIN_ID
from tests.dashboard_kit import (
    OFFICIAL_ID,
    OTHER_TOKEN,
    STRANGER_ID,
    Seeded,
    Served,
    expired,
    seed_activity,
    serve_dashboard,
    signed_init_data,
    tampered,
)

UNAUTHORIZED = {"error": "unauthorized"}


@pytest.fixture
async def served(settings: Settings, shared_tsv: bytes) -> AsyncIterator[tuple[Served, Seeded]]:
    """The dashboard with two periods, Quang Lịch's head, a deadline and an announcement."""
    async with serve_dashboard(settings, shared_tsv) as s:
        yield s, seed_activity(s.harness)


def bad_launches() -> dict[str, str | None]:
    """Launch data that must never pass."""
    return {
        "missing": None,
        "empty": "",
        "tampered": tampered(signed_init_data(ADMIN_ID)),
        "expired": expired(ADMIN_ID),
        "other bot": signed_init_data(ADMIN_ID, token=OTHER_TOKEN),
        "garbage": "user=%7B%22id%22%3A1%7D&hash=zz",
    }


def routes(seeded: Seeded) -> list[tuple[str, str]]:
    """Every API route (method, path)."""
    return [
        ("GET", "me"),
        ("GET", "table"),
        ("GET", f"unit/{seeded.own_unit_id}"),
        ("GET", "card"),
        ("GET", "deadlines"),
        ("GET", "broadcasts"),
        ("GET", f"reports/{seeded.own_report_id}"),
        ("POST", f"reports/{seeded.own_report_id}/send"),
        ("GET", "workbook"),
        ("POST", "workbook/send"),
    ]


async def call(s: Served, method: str, path: str, init_data: str | None) -> tuple[int, bytes]:
    """Status and body of one API call."""
    if method == "GET":
        response = await s.get(path, init_data)
    else:
        response = await s.post(path, init_data)
    return response.status_code, response.content


async def test_bad_launch_data_gets_401_on_every_route_and_leaks_nothing(
    served: tuple[Served, Seeded],
) -> None:
    """Missing, tampered, expired, other bot's or garbled data: 401, one identical body."""
    s, seeded = served
    before = len(s.harness.request.calls)
    for name, init_data in bad_launches().items():
        for method, path in routes(seeded):
            status, body = await call(s, method, path, init_data)
            assert (status, json.loads(body)) == (401, UNAUTHORIZED), (name, path)
    assert len(s.harness.request.calls) == before  # nothing was sent to anybody


async def test_who_am_i_for_each_kind_of_caller(served: tuple[Served, Seeded]) -> None:
    """Secretariat, official with their unit, stranger with how to get linked."""
    s, _seeded = served
    admin = (await s.get("me", signed_init_data(ADMIN_ID))).json()
    assert admin["role"] == "secretariat" and admin["language"] == "vi"
    official = (await s.get("me", signed_init_data(OFFICIAL_ID, language="en"))).json()
    assert official["role"] == "official"
    assert official["unit"]["name"] == "Đảng ủy xã Quang Lịch"
    assert official["language"] == "en"  # Telegram's language when none was chosen
    stranger = (await s.get("me", signed_init_data(STRANGER_ID))).json()
    assert stranger["role"] == "stranger" and stranger["unit"] is None
    assert str(STRANGER_ID) in stranger["message"] and "link mời" in stranger["message"]


async def test_secretariat_sees_every_route(served: tuple[Served, Seeded]) -> None:
    """The whole province, any unit, the boards, any report, the workbook."""
    s, seeded = served
    admin = signed_init_data(ADMIN_ID)
    table = (await s.get("table", admin)).json()
    assert len(table["rows"]) == 104 and table["summary"]["overall"] == "82,29%"
    assert table["summary"]["below_warning"] == 38 and table["ranked"] == 104
    row = {r[1]: dict(zip(table["columns"], r, strict=True)) for r in table["rows"]}
    nam = row["Đảng ủy xã Nam Tiền Hải"]
    assert (nam["rate"], nam["figures"], nam["rank"]) == ("82,5%", "33/40", 62)
    assert nam["change_text"] == "+7,5" and nam["status"] == "below_target"
    assert row["Đảng ủy Phường Thái Bình"]["rate"] == "9,09%"
    assert table["periods"][0]["id"] == table["period"]["id"]
    earlier = (await s.get(f"table?period={table['periods'][1]['id']}", admin)).json()
    assert earlier["period"]["text"].startswith("25/05/2026 – 07/06/2026")
    for unit_id in (seeded.own_unit_id, *seeded.other_unit_ids[:3]):
        assert (await s.get(f"unit/{unit_id}", admin)).status_code == 200
    assert (await s.get("unit/999999", admin)).status_code == 404
    assert (await s.get("card", admin)).status_code == 404  # the secretariat has no unit
    board = (await s.get("deadlines", admin)).json()["deadlines"][0]
    assert board["counts"] == {"on_time": 1, "late": 1, "missing": 1}
    news = (await s.get("broadcasts", admin)).json()["broadcasts"][0]
    assert (news["delivered"], news["acknowledged"], news["units_acknowledged"]) == (2, 1, 1)
    assert news["text"] == "Khẩn: hoàn thành ký số trước 30/6."
    for report_id in (seeded.own_report_id, seeded.other_report_id):
        assert (await s.get(f"reports/{report_id}", admin)).status_code == 200
    assert (await s.get("reports/999999", admin)).status_code == 404


async def test_an_official_reaches_only_their_own_unit(served: tuple[Served, Seeded]) -> None:
    """Quang Lịch's head: their card (80 %), their report; every other unit id is refused the
    same way as ids that do not exist."""
    s, seeded = served
    head = signed_init_data(OFFICIAL_ID)
    card = (await s.get("card", head)).json()
    assert card["unit"]["name"] == "Đảng ủy xã Quang Lịch"
    assert card["figures"]["rate"] == "80%" and card["figures"]["figures"] == "24/30"
    assert card["figures"]["rank"] == "66/104"
    assert card["figures"]["need_target"] == "Cần thêm 6 văn bản để đạt 100%"
    assert [p["rate_text"] for p in card["trend"]] == ["70%", "80%"]
    assert card["deadlines"][0]["title"].startswith("Báo cáo giải trình")
    own = await s.get(f"unit/{seeded.own_unit_id}", head)
    assert own.status_code == 200 and own.json()["unit"]["name"] == "Đảng ủy xã Quang Lịch"
    assert "officials" not in own.json()  # contacts are for the secretariat
    refusals = set()
    for unit_id in [*seeded.other_unit_ids, 999_999, 0]:
        response = await s.get(f"unit/{unit_id}", head)
        refusals.add((response.status_code, response.content))
    assert refusals == {(403, b'{"error":"forbidden"}')}
    for method, path in [
        ("GET", "table"),
        ("GET", "deadlines"),
        ("GET", "broadcasts"),
        ("GET", "workbook"),
        ("POST", "workbook/send"),
        ("GET", f"reports/{seeded.other_report_id}"),
        ("POST", f"reports/{seeded.other_report_id}/send"),
        ("GET", "reports/999999"),
    ]:
        assert (await call(s, method, path, head))[0] == 403, path
    assert (await s.get(f"reports/{seeded.own_report_id}", head)).status_code == 200


async def test_a_stranger_is_refused_everything_but_who_am_i(
    served: tuple[Served, Seeded],
) -> None:
    """Someone the bot does not know gets 403 on every data route."""
    s, seeded = served
    stranger = signed_init_data(STRANGER_ID)
    for method, path in routes(seeded)[1:]:
        assert (await call(s, method, path, stranger))[0] == 403, path
    for unit_id in seeded.other_unit_ids[:5]:
        assert (await s.get(f"unit/{unit_id}", stranger)).status_code == 403


async def test_files_go_to_the_callers_own_chat(served: tuple[Served, Seeded]) -> None:
    """A report's file is sent by its file_id, the workbook as an upload, to the caller only."""
    s, seeded = served
    calls = s.harness.request.calls
    start = len(calls)
    response = await s.post(f"reports/{seeded.own_report_id}/send", signed_init_data(OFFICIAL_ID))
    assert response.json() == {"sent": True}
    (document,) = [c for c in calls[start:] if c.method == "sendDocument"]
    assert document.params["chat_id"] == OFFICIAL_ID and document.params["document"] == "FILE-QL"
    start = len(calls)
    await s.post(f"reports/{seeded.other_report_id}/send", signed_init_data(ADMIN_ID))
    (photo,) = [c for c in calls[start:] if c.method == "sendPhoto"]
    assert photo.params["chat_id"] == ADMIN_ID and photo.params["photo"] == "PHOTO-TB"
    start = len(calls)
    await s.post("workbook/send", signed_init_data(ADMIN_ID))
    (book,) = [c for c in calls[start:] if c.method == "sendDocument"]
    name, data = next(iter(book.uploads.values()))
    assert name == "bao-cao-2026-06-08_2026-06-22.xlsx" and data[:2] == b"PK"


async def test_the_workbook_download_is_the_report_workbook(served: tuple[Served, Seeded]) -> None:
    """GET workbook is /baocao's file for the latest period (or the one asked)."""
    s, _seeded = served
    response = await s.get("workbook", signed_init_data(ADMIN_ID))
    assert response.status_code == 200
    assert "bao-cao-2026-06-08_2026-06-22.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    first = book[book.sheetnames[0]]
    values = [c for row in first.iter_rows(values_only=True) for c in row if c is not None]
    assert "Đảng ủy xã Nam Tiền Hải" in values


async def test_a_login_link_opens_a_session_once(served: tuple[Served, Seeded]) -> None:
    """Code → session token (once); the token works like launch data; wrong codes are throttled."""
    s, _seeded = served
    with session_scope(s.harness.engine) as session:
        code = auth.create_login_link(
            session=session, telegram_id=ADMIN_ID, now=s.harness.app.bot_data.runtime.clock()
        )
    first = await s.client.post("/app/api/login", json={"code": code})
    token = first.json()["token"]
    second = await s.client.post("/app/api/login", json={"code": code})
    assert (first.status_code, second.status_code) == (200, 401)
    headers = {"Authorization": "Session " + token}
    table = await s.client.get("/app/api/table", headers=headers)
    assert table.status_code == 200 and len(table.json()["rows"]) == 104
    forged = await s.client.get("/app/api/table", headers={"Authorization": "Session x" + token})
    assert forged.status_code == 401 and forged.json() == UNAUTHORIZED
    with Session(s.harness.engine) as session:
        actions = [a.action for a in session.exec(select(AuditLog))]
    assert actions.count("dashboard.login") == 1
    statuses = [
        (await s.client.post("/app/api/login", json={"code": f"wrong{n}"})).status_code
        for n in range(auth.MAX_FAILED_LOGINS - 1)  # the reused code counted as one
    ]
    assert set(statuses) == {401}
    blocked = await s.client.post("/app/api/login", json={"code": "another"})
    assert blocked.status_code == 429


async def test_the_page_has_a_strict_content_security_policy(served: tuple[Served, Seeded]) -> None:
    """Scripts and styles from the bot itself only, no inline code, framed by Telegram only."""
    s, _seeded = served
    page = await s.client.get("/app/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors" in csp
    assert "<script>" not in page.text  # only src= scripts and the JSON strings block
    assert 'type="application/json"' in page.text
    assert (await s.client.get("/app", follow_redirects=False)).status_code in (301, 302)
    assert (await s.client.get("/app/static/app.js")).status_code == 200
    assert (await s.client.get("/app/static/other.js")).status_code == 404
    api = await s.get("me", signed_init_data(ADMIN_ID))
    assert api.headers["cache-control"] == "no-store"


@given(
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.integers(1, 10**7),
    st.sampled_from(["vi", "en"]),
)
def test_the_table_formats_rows_as_the_chat_does(
    num: int, den: int, num0: int, den0: int, language: str
) -> None:
    """The table's fast per-row texts are the chat's: rate, figures and change, in vi and en."""
    with use_language(language):
        fast = FastFormat.current()
        assert fast.rate(num, den) == fmt_rate(num, den)
        assert fast.figure(num, den) == f"{fmt_number(num)}/{fmt_number(den)}"
        if den > 0:
            change = fast.hundredths(num, den) - fast.hundredths(num0, den0)
            now, before = rate_percent(num, den), rate_percent(num0, den0)
            assert now is not None and before is not None
            exact = now - before
            assert fast.points(change) == fmt_points(exact)
            assert change / 100 == float(exact)
