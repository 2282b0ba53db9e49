"""Pushes cite their basis: warnings, reminders, explanation requests and the rate answer name
the letter and item that require them when the letters are loaded, and read as before if not."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.db import session_scope, stored_id
from bot.core.models import AuditLog, DeadlineBasis, Letter, Role
from bot.letters.service import load_shipped
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness
from tests.deadline_kit import (
    PHU_DUC_HEAD,
    PHU_DUC_STAFF,
    QUANG_LICH_STAFF,
    at,
    create_template,
    link_officials,
    sent_to,
    step,
    use_clock,
)

HUNG_YEN = "Công văn số …-CV/TU tháng 06/2026 của Ban Thường vụ Tỉnh ủy Hưng Yên"
REPORT_BASIS = f"📜 Căn cứ: {HUNG_YEN}, mục 3"
SIGN_BASIS = f"📜 Căn cứ: {HUNG_YEN}, mục 2"
LETTER_484 = "Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên"
NVL_HEAD = 9101  # Đảng ủy xã Nguyễn Văn Linh: 23/40 = 57.5 %
STRANGER = 9999


def load_letters(h: Harness) -> dict[str, int]:
    """The five shipped letters in the library; number → id."""
    with session_scope(h.engine) as session:
        load_shipped(session=session)
    with Session(h.engine) as session:
        return {str(r.number): stored_id(r.id) for r in session.exec(select(Letter))}


async def warnings_to(h: Harness, chat_id: int, data: bytes) -> list[str]:
    """Import the table again (a warning run) and return what reached one chat."""
    start = len(h.request.calls)
    h.import_table(data, SHARED_NAME)
    await h.drain()
    return [
        str(c.params["text"])
        for c in h.request.calls[start:]
        if c.method == "sendMessage" and c.params.get("chat_id") == chat_id
    ]


@pytest.mark.parametrize("with_letters", [True, False])
async def test_a_warning_cites_the_letter_that_sets_the_threshold(
    loaded: Harness, shared_tsv: bytes, with_letters: bool
) -> None:
    """The low-rate warning ends with the Hưng Yên letter's item 3, only if it is loaded."""
    if with_letters:
        load_letters(loaded)
    loaded.link(NVL_HEAD, "Nguyễn Văn Linh", Role.HEAD)
    (warning,) = await warnings_to(loaded, NVL_HEAD, shared_tsv)
    assert "⚠️ <b>Cảnh báo: Đảng ủy xã Nguyễn Văn Linh dưới 80%</b>" in warning
    assert (REPORT_BASIS in warning) is with_letters
    assert ("Căn cứ" in warning) is with_letters
    if with_letters:
        assert warning.splitlines()[-1] == REPORT_BASIS


async def test_reminders_and_the_explanation_request_cite_the_template_letter(
    loaded: Harness,
) -> None:
    """The 26/6 report deadline cites item 3 (request, reminders, escalation, overdue), the
    30/6 signing deadline item 2."""
    load_letters(loaded)
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded, "report80")
    await create_template(loaded, "sign100")
    await step(loaded, clock, at(6, 23, 8))
    request, signing = sent_to(loaded, PHU_DUC_STAFF)  # 75 %: owes both
    assert "Báo cáo giải trình — đơn vị dưới 80%" in request
    assert request.splitlines()[-1] == REPORT_BASIS
    assert "100% văn bản điện tử được ký số" in signing
    assert signing.splitlines()[-1] == SIGN_BASIS
    await step(loaded, clock, at(6, 26, 8))
    await step(loaded, clock, at(6, 27, 7))
    reports = [t for t in sent_to(loaded, PHU_DUC_STAFF) if "Báo cáo giải trình" in t]
    assert len(reports) == 3 and "⛔ <b>Quá hạn" in reports[-1]  # 23/6, 26/6, overdue
    assert all(text.splitlines()[-1] == REPORT_BASIS for text in reports)
    (escalation, overdue) = sent_to(loaded, PHU_DUC_HEAD)
    assert "🚨" in escalation and REPORT_BASIS in escalation and REPORT_BASIS in overdue
    at_80 = sent_to(loaded, QUANG_LICH_STAFF)  # 80 %: owes no report, owes 100 %
    assert at_80 and all(text.splitlines()[-1] == SIGN_BASIS for text in at_80)


async def test_without_letters_reminders_read_as_before(loaded: Harness) -> None:
    """No letter loaded: no basis line."""
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    await create_template(loaded, "report80")
    await step(loaded, clock, at(6, 23, 8))
    (request,) = sent_to(loaded, PHU_DUC_STAFF)
    assert "Căn cứ" not in request
    assert request.splitlines()[-1] == "Nộp bằng nút “Nộp giải trình” hoặc gõ /giaitrinh."


async def test_the_secretariat_links_a_deadline_to_a_letter_item_in_chat(loaded: Harness) -> None:
    """/cancu: checked input, an audited link, and the reminders then cite that item."""
    numbers = load_letters(loaded)
    link_officials(loaded)
    clock = use_clock(loaded, at(6, 22, 16))
    deadline_id = await create_template(loaded, "report80")
    letter = numbers["484-CV/TU"]

    usage = await loaded.send(ADMIN_ID, "/cancu")
    assert "/cancu 12 3 3.2" in usage[0]
    assert await loaded.send(ADMIN_ID, f"/cancu 999 {letter} 3.2") == ["Không có hạn chót #999."]
    missing = await loaded.send(ADMIN_ID, f"/cancu {deadline_id} {letter} 9.9")
    assert missing == [f"Văn bản #{letter} không có mục “9.9”."]
    refused = await loaded.send(PHU_DUC_STAFF, f"/cancu {deadline_id} {letter} 3.2")
    assert "Căn cứ" not in refused[0]
    with Session(loaded.engine) as session:
        assert session.exec(select(DeadlineBasis)).first() is None

    (linked,) = await loaded.send(ADMIN_ID, f"/cancu {deadline_id} {letter} 3.2")
    assert linked == f"🔗 Hạn chót #{deadline_id} nay dẫn căn cứ: {LETTER_484}, mục 3.2"
    with Session(loaded.engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "letter.link")).one()
    assert entry.actor_telegram_id == ADMIN_ID and entry.details["deadline_id"] == deadline_id

    await step(loaded, clock, at(6, 23, 8))
    (request,) = sent_to(loaded, PHU_DUC_STAFF)
    assert request.splitlines()[-1] == f"📜 Căn cứ: {LETTER_484}, mục 3.2"


async def test_the_rate_answer_cites_the_rule_its_advice_paraphrases(loaded: Harness) -> None:
    """Below 80 %: item 3 (explanation report); between 80 % and 100 %: item 2; none without
    letters."""
    loaded.link(NVL_HEAD, "Nguyễn Văn Linh", Role.HEAD)
    loaded.link(QUANG_LICH_STAFF, "Quang Lịch", Role.STAFF)
    (before,) = await loaded.send(NVL_HEAD, "/tyle")
    assert "👉" in before and "Căn cứ" not in before
    load_letters(loaded)
    (below,) = await loaded.send(NVL_HEAD, "/tyle")
    lines = below.splitlines()
    assert lines[-2].startswith("👉") and lines[-1] == REPORT_BASIS
    (at_80,) = await loaded.send(QUANG_LICH_STAFF, "/tyle")
    assert at_80.splitlines()[-1] == SIGN_BASIS
    (stranger,) = await loaded.send(STRANGER, "/tyle")
    assert "Căn cứ" not in stranger
