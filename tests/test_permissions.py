"""Every chat command as every role: the secretariat guide's permission table, cell by cell."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from bot.app import all_commands
from bot.core.config import Settings
from bot.core.models import AuditLog, Invite, Official, Role, Unit
from bot.summaries import charts
from tests.conftest import ADMIN_ID, Harness, make_settings

ROLES = ("stranger", "viewer", "staff", "head", "secretariat")

# Who may use each command (the first name; aliases share it). Written out by hand on purpose:
# a command whose rights change must change here and in docs/secretariat.md, not silently.
ALLOWED: dict[str, set[str]] = {
    "tyle": set(ROLES),
    "toi": set(ROLES),
    "ngonngu": set(ROLES),
    "trogiup": set(ROLES),
    "start": set(ROLES),
    "huy": set(ROLES),
    "roi": {"viewer", "staff", "head", "secretariat"},
    "moi": {"secretariat"},
    "moi_hangloat": {"secretariat"},
    "quantri": {"secretariat"},
    "quantri_them": {"secretariat"},
    "quantri_bo": {"secretariat"},
    "nhap": {"secretariat"},
    "nhatky": {"secretariat"},
    "donvi": {"secretariat"},
    "donvi_them": {"secretariat"},
    "nhom": {"secretariat"},
    "nhom_ds": {"secretariat"},
    "thongbao": {"secretariat"},
    "thongbao_ds": {"secretariat"},
    "thongbao_tt": {"secretariat"},
    "khonglienlac": {"secretariat"},
    "tonghop": {"viewer", "staff", "head", "secretariat"},
    "lichsu": {"viewer", "staff", "head", "secretariat"},
    "baocao": {"secretariat"},
    "canhbao": {"secretariat"},
    "imlang": {"secretariat"},
    "imlang_ds": {"secretariat"},
    "hanchot": {"viewer", "staff", "head", "secretariat"},
    "giaitrinh": {"staff", "head", "secretariat"},
    "hanchot_moi": {"secretariat"},
    "hanchot_tt": {"secretariat"},
    "bangdieukhien": {"secretariat"},
    "hoi": set(ROLES),
    "vanban": set(ROLES),
    "vanban_them": {"secretariat"},
    "cancu": {"secretariat"},
}

UNKNOWN_COMMAND = "Lệnh không tồn tại."  # the catch-all's reply: the command is not routed

REFUSALS = (
    "Lệnh này chỉ dành cho Văn phòng (quản trị).",
    "Lệnh này dành cho cán bộ đã được gắn với đơn vị.",
    "Vai trò của đồng chí không dùng được lệnh này.",
)

# Secretariat ids beyond the bootstrap admin: one fresh person per cell keeps cells independent
# (a guided command left half-way must not change how the next command is read).
EXTRA_ADMINS = range(7000, 7100)


def every_command_name() -> list[tuple[str, str]]:
    """(first name, name) for every registered command name, aliases included."""
    return [(spec.names[0], name) for spec in all_commands() for name in spec.names]


def test_the_table_covers_every_registered_command() -> None:
    """A new command cannot ship without a row in this table (and so in the guide)."""
    assert {spec.names[0] for spec in all_commands()} == set(ALLOWED)


def test_the_guide_permission_table_matches() -> None:
    """The secretariat guide's permission table says exactly what this test enforces."""
    readme = (Path(__file__).parents[1] / "docs" / "secretariat.md").read_text(encoding="utf-8")
    section = readme.split("## Permissions", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `/(\w+)`[^|]*\|(.+)\|$", section, flags=re.M)
    table = {}
    for name, cells in rows:
        marks = [c.strip() for c in cells.split("|")][1 : 1 + len(ROLES)]  # after the alias
        table[name] = {role for role, mark in zip(ROLES, marks, strict=True) if mark == "✅"}
    assert table == ALLOWED


def charts_stub() -> bytes:
    """A one-pixel PNG in place of a summary chart."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


async def answers(h: Harness, user: int, text: str) -> list[str]:
    """Texts and captions of everything the bot sent or edited in answer."""
    start = len(h.request.calls)
    await h.send(user, text)
    return [
        str(c.params.get("text") or c.params.get("caption") or c.method)
        for c in h.request.calls[start:]
        if c.method in ("sendMessage", "editMessageText", "sendDocument")
    ]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Extra secretariat members so each secretariat cell is a fresh person."""
    admins = ",".join(str(i) for i in (ADMIN_ID, *EXTRA_ADMINS))
    return make_settings(tmp_path, ADMIN_TELEGRAM_IDS=admins)


def counts(h: Harness) -> tuple[int, int, int, int]:
    """Rows that a refused command must never add: units, officials, invites, audit entries."""
    with Session(h.engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Unit, Official, Invite, AuditLog)
        )


async def test_every_command_as_every_role(
    loaded: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Allowed cells get a real answer; refused cells get the refusal and write nothing."""
    # Who may run /tonghop is the question here, not its charts (tests/test_summaries.py draws
    # them): eight summaries × three 104-unit charts were most of this test's time.
    monkeypatch.setattr(charts, "ranking_charts", lambda *args, **kwargs: [charts_stub()])
    people = iter(range(10_000, 20_000))
    admins = iter(EXTRA_ADMINS)
    failures = []
    for first, name in every_command_name():
        for role in ROLES:
            if role == "secretariat":
                user = next(admins)
            else:
                user = next(people)
                if role != "stranger":
                    loaded.link(user, "Quang Lịch", Role(role))
            before = counts(loaded)
            texts = await answers(loaded, user, f"/{name}")
            refused = any(r in t for t in texts for r in REFUSALS)
            expected_allowed = role in ALLOWED[first]
            if not texts:
                failures.append(f"/{name} as {role}: no answer at all")
            elif any(t.startswith(UNKNOWN_COMMAND) for t in texts):
                failures.append(f"/{name} as {role}: declared but not routed to a handler")
            elif refused == expected_allowed:
                failures.append(f"/{name} as {role}: {'refused' if refused else 'allowed'}")
            elif refused and counts(loaded) != before:
                failures.append(f"/{name} as {role}: refused but wrote to the database")
    assert failures == []


async def test_refusals_say_why(loaded: Harness) -> None:
    """A stranger is told how to get linked; an official is told it is for the secretariat."""
    loaded.link(501, "Quang Lịch", Role.HEAD)
    (stranger,) = await loaded.send(500, "/roi")
    assert "đã được gắn với đơn vị" in stranger and "link mời" in stranger
    (head,) = await loaded.send(501, "/moi")
    assert head == "Lệnh này chỉ dành cho Văn phòng (quản trị)."
    (en,) = await loaded.send(501, "/invite", language_code="en")
    assert en == "This command is for the secretariat only."


async def test_officials_never_see_another_units_details(loaded: Harness) -> None:
    """A head asking about another unit gets their own unit's figures, not the other's."""
    loaded.link(502, "Quang Lịch", Role.HEAD)
    (text,) = await loaded.send(502, "/tyle Nam Tiền Hải")
    assert "Đảng ủy xã Quang Lịch" in text
    assert "Nam Tiền Hải" not in text
    (admin,) = await loaded.send(ADMIN_ID, "/tyle Nam Tiền Hải")
    assert "Nam Tiền Hải" in admin
