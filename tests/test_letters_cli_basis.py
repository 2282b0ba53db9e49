"""`python -m bot letters …`, and the passages deadlines and warnings rest on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot import cli
from bot.core.db import create_db_engine, init_db, session_scope
from bot.core.i18n import use_language
from bot.core.models import AuditLog, Deadline, Letter, LetterStatus
from bot.letters import texts
from bot.letters.answers import Library
from bot.letters.basis import deadline_basis, find_passage, link_deadline, rule_basis
from bot.letters.service import load_shipped, shipped_letters
from tests.conftest import database_url
from tests.letters_kit import docx_letter, letters_database

HUNG_YEN = "Công văn số …-CV/TU tháng 06/2026 của Ban Thường vụ Tỉnh ủy Hưng Yên"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty database and the environment the command line reads."""
    url = database_url(tmp_path, "letters")
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_TELEGRAM_IDS", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    yield url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`python -m bot letters …` in-process: exit code, stdout, stderr."""
    capsys.readouterr()
    code = cli.main(["letters", *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored(url: str) -> list[Letter]:
    """Letters in the database."""
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            found = list(session.exec(select(Letter).order_by(Letter.id)))
            for letter in found:
                session.expunge(letter)
            return found
    finally:
        engine.dispose()


def test_add_list_retire(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Add shows what was read and needs --yes off a terminal; corrections on the way in."""
    path = tmp_path / "cv-125.docx"
    path.write_bytes(docx_letter())
    code, out, _err = run(capsys, "add", str(path))
    assert code == 0 and "Số, ký hiệu: 125/UBND-VP" in out and "--yes" in out
    assert stored(db) == []
    code, out, _err = run(capsys, "add", str(path), "--yes", "--date", "8/7/2026")
    assert code == 0 and "Ngày ban hành: 08/07/2026" in out and "Đã thêm vào thư viện" in out
    (letter,) = stored(db)
    assert letter.status == LetterStatus.ACTIVE.value and letter.issued_on == dt.date(2026, 7, 8)
    code, _out, err = run(capsys, "add", str(path), "--yes")
    assert code == 1 and "đã có trong thư viện" in err
    code, out, _err = run(capsys, "list")
    assert out.startswith(f"{letter.id}\tCông văn số 125/UBND-VP ngày 08/07/2026 của Ủy ban")
    assert run(capsys, "retire", str(letter.id))[0] == 0
    assert run(capsys, "list")[1].startswith("Thư viện chưa có văn bản nào")
    assert "[" in run(capsys, "list", "--all")[1]
    code, _out, err = run(capsys, "retire", str(letter.id))
    assert code == 1 and "đã được đưa ra khỏi thư viện" in err
    bad = tmp_path / "bang.xlsx"
    bad.write_bytes(b"PK")
    code, _out, err = run(capsys, "add", str(bad))
    assert code == 1 and "không đọc được" in err


@pytest.fixture
def library_db(tmp_path: Path) -> Iterator[object]:
    """The five letters in a database."""
    with letters_database(database_url(tmp_path, "basis")) as engine:
        yield engine


def test_templates_and_the_warning_rule_cite_the_hung_yen_letter(library_db: object) -> None:
    """report80 → item 3 (26/6), sign100 → item 2 (30/6), the low-rate warning → item 3."""
    library = Library()
    with Session(library_db) as session, use_language("vi"):  # type: ignore[arg-type]
        report = rule_basis(
            session=session, library=library, rule="report80", due=dt.date(2026, 6, 26)
        )
        assert report is not None and report.citation() == f"{HUNG_YEN}, mục 3"
        assert texts.basis_line(report) == f"📜 Căn cứ: {HUNG_YEN}, mục 3"
        sign = rule_basis(
            session=session, library=library, rule="sign100", due=dt.date(2026, 6, 30)
        )
        assert sign is not None and sign.citation() == f"{HUNG_YEN}, mục 2"
        warning = rule_basis(session=session, library=library, rule="low_rate")
        assert warning is not None and warning.citation() == f"{HUNG_YEN}, mục 3"
        assert (
            rule_basis(session=session, library=library, rule="report80", due=dt.date(2026, 6, 27))
            is None
        )
        assert rule_basis(session=session, library=library, rule="nope") is None


def test_a_deadline_linked_to_a_letter_cites_it(library_db: object) -> None:
    """The secretariat's link wins over the template's rule; the link is audited."""
    with session_scope(library_db) as session:  # type: ignore[arg-type]
        deadline = Deadline(
            title="Hoàn thành kết nối",
            kind="report",
            due_at=dt.datetime(2026, 6, 25, 10, tzinfo=dt.UTC),
            template="report80",
        )
        session.add(deadline)
        session.flush()
        letter_484 = session.exec(select(Letter).where(Letter.number == "484-CV/TU")).one()
        passage = find_passage(session=session, letter_id=letter_484.id, label="3.2")  # type: ignore[arg-type]
        assert passage is not None
        link_deadline(session=session, deadline_id=deadline.id, passage_id=passage.id, actor=7)  # type: ignore[arg-type]
        deadline_id = deadline.id
    with Session(library_db) as session, use_language("vi"):  # type: ignore[arg-type]
        basis = deadline_basis(
            session=session,
            library=Library(),
            deadline_id=deadline_id,
            template="report80",  # type: ignore[arg-type]
        )
        assert basis is not None
        assert (
            basis.citation()
            == "Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên, mục 3.2"
        )
        entry = session.exec(select(AuditLog).where(AuditLog.action == "letter.link")).one()
        assert entry.actor_telegram_id == 7 and entry.details["deadline_id"] == deadline_id


def test_shipped_letters_are_package_data() -> None:
    """The demo and the tests load them from the installed package."""
    assert len(shipped_letters()) == 5


def test_link_a_deadline_from_the_command_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`letters link DEADLINE LETTER ITEM`: checked, and the deadline then cites that item."""
    engine = create_db_engine(db)
    init_db(engine)
    with session_scope(engine) as session:
        load_shipped(session=session)
        deadline = Deadline(
            title="Kết nối", kind="report", due_at=dt.datetime(2026, 6, 25, tzinfo=dt.UTC)
        )
        session.add(deadline)
        session.flush()
        deadline_id = deadline.id
        letter_id = session.exec(select(Letter.id).where(Letter.number == "484-CV/TU")).one()
    code, out, _err = run(capsys, "link", str(deadline_id), str(letter_id), "3.2")
    assert code == 0
    assert out.strip() == (
        f"🔗 Hạn chót #{deadline_id} nay dẫn căn cứ: Công văn số 484-CV/TU ngày 21/05/2026 "
        "của Tỉnh ủy Hưng Yên, mục 3.2"
    )
    code, _out, err = run(capsys, "link", str(deadline_id), str(letter_id), "9")
    assert code == 2 and f"Văn bản #{letter_id} không có mục “9”." in err
    code, _out, err = run(capsys, "link", "999", str(letter_id), "3.2")
    assert code == 1 and "Không có hạn chót #999." in err
    with Session(engine) as session, use_language("vi"):
        assert deadline_id is not None
        basis = deadline_basis(session=session, library=Library(), deadline_id=deadline_id)
        assert basis is not None and basis.citation().endswith("mục 3.2")
    engine.dispose()
