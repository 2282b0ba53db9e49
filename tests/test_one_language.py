"""Issue 13 §2–§3: English that names English commands, one language per message, audit entries
as sentences, the CLI in one language."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.app import all_commands
from bot.audit_log.names import Names
from bot.audit_log.sentences import RENDERERS, render
from bot.core import audit
from bot.core.config import Settings
from bot.core.i18n import LOCALE_DIR, use_language
from bot.core.models import AuditLog, Role
from bot.core.settings_errors import describe
from tests.cli_kit import imported_cli
from tests.conftest import ADMIN_ID, Harness

ROOT = Path(__file__).resolve().parents[1]
HEAD = 5002
# Vietnamese command names that have an English alias: never in an English text.
VI_ONLY = {spec.names[0] for spec in all_commands() if len(spec.names) > 1}
VI_COMMAND = re.compile(
    r"(?<![\w/.:-])/(" + "|".join(sorted(VI_ONLY, key=len, reverse=True)) + r")\b"
)


def test_every_vietnamese_command_has_an_english_alias() -> None:
    """Each command is named in both languages (start is the same word in both)."""
    assert [spec.names for spec in all_commands() if len(spec.names) < 2] == [("start",)]


def test_no_english_message_names_a_vietnamese_command() -> None:
    """Every msgid (the English text) names the English commands: '/rate', never '/tyle'."""
    template = read_po((LOCALE_DIR / "messages.pot").open("rb"))
    found = [
        text
        for message in template
        if message.id
        for text in ([message.id] if isinstance(message.id, str) else message.id)
        if VI_COMMAND.search(text)
    ]
    assert found == []


async def test_english_replies_carry_no_vietnamese_command(loaded: Harness) -> None:
    """A stranger and a head using the bot in English only ever read English command names."""
    replies: list[str] = []
    for user, text in (
        (777, "/start"),
        (777, "hello"),
        (777, "/tyel"),
        (777, "/me"),
        (ADMIN_ID, "/rate"),
        (ADMIN_ID, "/rate Sao Hỏa"),
        (ADMIN_ID, "/deadlines"),
        (ADMIN_ID, "/broadcasts"),
        (ADMIN_ID, "/unreachable"),
        (ADMIN_ID, "/import"),
    ):
        replies += await loaded.send(user, text, language_code="en")
    loaded.link(HEAD, "Quang Lịch")
    for text in ("/start", "/help", "/me", "/explain", "/rate", "/history Nam"):
        replies += await loaded.send(HEAD, text, language_code="en")
    assert len(replies) >= 15
    assert [r for r in replies if VI_COMMAND.search(r)] == []


SETTING_NAMES = sorted(
    {str(info.alias) for info in Settings.model_fields.values() if info.alias}
    - {"TELEGRAM_BOT_TOKEN", "DATABASE_URL", "DEFAULT_LANGUAGE"}
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(SETTING_NAMES),
    value=st.one_of(
        st.sampled_from(["abc", "-1", "0", "1e999", "nan", "", "1.5", "99999999999999999999"]),
        st.text(max_size=12),
    ),
)
def test_a_configuration_error_in_vietnamese_has_no_pydantic_english(name: str, value: str) -> None:
    """Whatever the value, the one line is Vietnamese: none of pydantic's English sentences."""
    if "\x00" in value:
        return
    try:
        Settings(_env_file=None, **{name: value})  # type: ignore[call-arg]
    except ValidationError as exc:
        line = describe(exc)
        english = exc.errors(include_url=False)[0]["msg"]
        assert line.startswith("Lỗi cấu hình ")
        assert english not in line and "Input should" not in line and "should be" not in line


def test_the_cli_names_roles_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`link` says 'cán bộ văn phòng', never 'staff', in a Vietnamese sentence; argparse's
    own words are Vietnamese too."""
    from bot import cli

    out = imported_cli(monkeypatch, capsys, tmp_path)
    assert "Chi tiết: python -m bot warnings status (trong cuộc trò chuyện: /canhbao)" in out
    assert cli.main(["link", "4242", "Quang Lịch", "--role", "staff"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "Đã gắn 4242 với Đảng ủy xã Quang Lịch, vai trò cán bộ văn phòng."
    with pytest.raises(SystemExit):
        cli.main(["link"])
    err = capsys.readouterr().err
    assert "cách dùng:" in err and "thiếu các tham số bắt buộc: telegram_id" in err
    assert "usage" not in err and "required" not in err
    from bot.core.i18n import on_command_line

    assert not on_command_line()  # the bot's own texts after the CLI ran still speak chat


# --- the audit log as sentences -------------------------------------------------------------


def sample_subject(node: ast.expr) -> str:
    """What a call site's subject looks like when written: 'unit:102', 'deadline:7', a name."""
    text = ast.unparse(node)
    for prefix, sample in (
        ("unit:", "unit:102"),
        ("deadline:", "deadline:7"),
        ("chat:", "chat:7"),
        ("broadcast:", "broadcast:7"),
        ("indicator:", "indicator:ky-so"),
        ("period:", "period:7"),
        ("official:", "official:7"),
    ):
        if prefix in text:
            return sample
    return "7" if "telegram_id" in text or text == "subject" else "Đảng ủy xã Quang Lịch"


def recorded_actions() -> list[tuple[str, set[str], str]]:
    """Every action bot/ records: its name, the detail keys and a subject like the written one."""
    found: list[tuple[str, set[str], str]] = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            action = keywords.get("action")
            if action is None or "subject" not in keywords:  # argparse's action= is not ours
                continue
            names = [
                n.value
                for n in ast.walk(action)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            keys = {k for k in keywords if k != "action"}
            found += [(name, keys, sample_subject(keywords["subject"])) for name in names]
    return found


SAMPLE: dict[str, Any] = {
    "role": "staff",
    "previous_role": "viewer",
    "expires_at": "2026-12-08T00:14:52.875789+00:00",
    "due_at": "2026-06-29T09:00:00+00:00",
    "old_due": "2026-06-29T09:00:00+00:00",
    "new_due": "2026-07-03T09:00:00+00:00",
    "until": "2026-06-30",
    "period": "2026-06-08..2026-06-22",
    "field": "kind",
    "old": "xa",
    "new": "phuong",
    "reason": "đã giải trình",
    "note": "bổ sung số liệu",
    "title": "Báo cáo giải trình",
    "unit": "Đảng ủy xã Quang Lịch",
    "name": "Đảng ủy xã Mới",
    "kind": "xa",
    "area": "Thành phố Hưng Yên",
    "receipt": "GT-1-66",
    "source": "chat",
    "filename": "cv.docx",
}


def sample_details(keys: set[str]) -> dict[str, Any]:
    """Plausible details for the keys a call site writes."""
    details: dict[str, Any] = {}
    for key in keys - {"session", "actor", "subject"}:
        details[key] = SAMPLE.get(key, 7)
    return details


def test_every_recorded_action_renders_a_sentence() -> None:
    """Each action written anywhere in bot/ has a renderer, and reads as a sentence in both
    languages: no 'key: value', no ids like 'unit:102', no ISO times."""
    actions = recorded_actions()
    assert set(audit.ACTION_LABELS) <= set(RENDERERS)
    assert sorted({name for name, _keys, _subject in actions} - set(RENDERERS)) == []
    names = Names(
        units={7: "Đảng ủy xã Quang Lịch", 102: "Đảng ủy xã Vũ Tiên"},
        people={7: "Nguyễn Văn A"},
        deadlines={7: "Báo cáo giải trình tháng 6"},
        chats={7: "Nhóm Văn phòng"},
    )
    raw = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(unit|deadline|chat|indicator):\d|\d{4}-\d\d-\d\dT")
    for action, keys, subject in actions:
        entry = AuditLog(
            action=action, subject=subject, details=sample_details(keys), actor_telegram_id=7
        )
        for language in ("vi", "en"):
            with use_language(language):
                text = render(entry, names)
            assert text and not raw.search(text), (action, language, text)
            assert "·" not in text or action == "import", (action, text)


async def test_the_audit_log_reads_names_and_local_times(loaded: Harness) -> None:
    """An invitation and a silence as /nhatky shows them: sentences, names, Hà Nội time."""
    from sqlmodel import Session, select

    from bot.core.models import Invite

    await loaded.send(ADMIN_ID, "/moi Quang Lịch vanphong")
    until = (dt.date.today() + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    await loaded.send(ADMIN_ID, f"/imlang Vũ Tiên {until} đã giải trình")
    (page,) = await loaded.send(ADMIN_ID, "/nhatky")
    with Session(loaded.engine) as session:
        invite = session.exec(select(Invite)).one()
    with use_language("vi"):
        from bot.core.i18n import fmt_datetime

        expires = fmt_datetime(invite.expires_at)
    assert (
        f"Đã tạo lời mời cho cán bộ văn phòng của Đảng ủy xã Quang Lịch, "
        f"hiệu lực đến {expires}." in page
    )
    assert f"Đã tạm dừng cảnh báo cho Đảng ủy xã Vũ Tiên đến hết {until}. Lý do: đã giải trình" in (
        page
    )
    for internal in ("invite_id", "unit_id", "expires_at", "source:", "unit:", "until:", "+00:00"):
        assert internal not in page
    assert Role.STAFF.value not in page.split("\n", 1)[1]
