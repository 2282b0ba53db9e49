"""Shared helpers for the import guard tests: small tables, workbooks, outbox counts."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import openpyxl
from sqlmodel import Session, col, select

from bot.core.models import OutboxMessage, Role, Unit
from bot.core.people import link_official
from tests.conftest import Harness

TITLE = "THỐNG KÊ TỶ LỆ KÝ SỐ (từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)"
HEADER = ["STT", "Đơn vị", "Tổng số lượng văn bản đi", "Số lượng văn bản ký số điện tử", "Tỷ lệ"]


def tsv(*rows: list[str] | str, title: str = TITLE) -> bytes:
    """A TSV with the title, the header and the given rows (a string is a one-cell line)."""
    lines = [title, "\t".join(HEADER)]
    lines += [r if isinstance(r, str) else "\t".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def units_table(count: int, *, prefix: str = "Đảng ủy đơn vị số", title: str = TITLE) -> bytes:
    """A table of `count` units named prefix 1 … prefix n, each 10 documents, 9 signed."""
    return tsv(
        *([str(i), f"{prefix} {i}", "10", "9", ""] for i in range(1, count + 1)), title=title
    )


def workbook(rows: list[list[Any]]) -> bytes:
    """An .xlsx written by openpyxl (formulas are saved without a value, as programs do)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unit_names(h: Harness) -> list[str]:
    """Every stored unit's name."""
    with Session(h.engine) as session:
        return list(session.exec(select(Unit.name).order_by(col(Unit.id))).all())


def link_two_per_unit(h: Harness) -> list[int]:
    """A head and a staff member in every unit; returns their Telegram ids."""
    ids: list[int] = []
    with Session(h.engine) as session:
        units = session.exec(select(Unit).order_by(col(Unit.id))).all()
        for n, unit in enumerate(units):
            for k, role in enumerate((Role.HEAD, Role.STAFF)):
                telegram_id = 500_000 + 2 * n + k
                link_official(session=session, telegram_id=telegram_id, unit_id=unit.id, role=role)
                ids.append(telegram_id)
        session.commit()
    return ids


def outbox_statuses(h: Harness) -> Counter[str]:
    """Outbox rows by status."""
    with Session(h.engine) as session:
        return Counter(session.exec(select(OutboxMessage.status)).all())


def delivered_to(h: Harness, chats: set[int]) -> Counter[int]:
    """Successful sendMessage calls per recipient chat."""
    return Counter(
        int(c.params["chat_id"])
        for c in h.request.calls
        if c.method == "sendMessage"
        and isinstance(c.result, dict)
        and "message_id" in c.result
        and int(c.params["chat_id"]) in chats
    )
