"""Offline chat in the terminal over the real Application and handlers (no network)."""

from __future__ import annotations

import asyncio
import html
import logging
import mimetypes
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from pydantic import SecretStr
from sqlmodel import Session, col, select
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.db import session_scope
from bot.i18n import _, ngettext, use_language
from bot.importer import import_statistics
from bot.models import Official, Role, Unit
from bot.offline import (
    ApiCall,
    OfflineRequest,
    callback_update,
    document_update,
    message_update,
)
from bot.people import link_official
from bot.units import find_units
from jobs.broadcast_progress import update_progress
from jobs.sender import Limits, OutboxSender, RateGate

logger = logging.getLogger(__name__)

DEMO_FILE = "hung-yen-dang-uy-xa-phuong-2026-06-08_2026-06-22.tsv"
DEMO_TITLE = (
    "THỐNG KÊ TỶ LỆ VĂN BẢN ĐIỆN TỬ ĐƯỢC KÝ SỐ CỦA ĐẢNG ỦY CÁC XÃ, PHƯỜNG "
    "(từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026)\n"
)
DEMO_ADMIN_ID = 1
DEMO_OFFICIAL_BASE = 900_000
MAX_FULL_PUSHES = 3  # more pushes after one line: the first in full, then a line each
_TAG = re.compile(r"<(/?)(b|i|u|s|code|pre|a)[^>]*>")


def demo_table() -> bytes:
    """The published June 2026 table, with its title line as in the original letter."""
    data = resources.files("bot").joinpath("data", DEMO_FILE).read_bytes()
    return DEMO_TITLE.encode("utf-8") + data


def load_demo_data(settings: Settings, engine: Any) -> None:
    """Import the packaged table into a fresh database."""
    with Session(engine) as session:
        import_statistics(session=session, data=demo_table(), filename=DEMO_FILE, tz=settings.tz)


def render_html(text: str, *, bold: bool) -> str:
    """Telegram HTML to terminal text."""

    def tag(match: re.Match[str]) -> str:
        if not bold or match.group(2) != "b":
            return ""
        return "\033[0m" if match.group(1) else "\033[1m"

    return html.unescape(_TAG.sub(tag, text))


@dataclass
class ConsoleSession:
    """State of the person typing: who they are and the last buttons they saw."""

    user_id: int = DEMO_ADMIN_ID
    language_code: str = "vi"
    # chat id → the last keyboard that chat received: (label, data, message id)
    keyboards: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)

    @property
    def buttons(self) -> list[tuple[str, str, int]]:
        """The last keyboard the current user received."""
        return self.keyboards.get(self.user_id, [])


class Console:
    """Reads lines, turns them into updates, prints what the bot sent back."""

    def __init__(self, app: Any, request: OfflineRequest, out: TextIO) -> None:
        """Wrap an initialised application."""
        self.app = app
        self.request = request
        self.out = out
        self.state = ConsoleSession()
        self.bold = out.isatty()

    def say(self, text: str) -> None:
        """Print a console (not bot) line."""
        print(text, file=self.out)

    def intro(self) -> None:
        """How to use the console."""
        self.say(
            _(
                "kyso-bot offline console. Type as a Telegram user would; the bot answers here.\n"
                "  /as <id>          act as Telegram user <id> (default 1, the secretariat)\n"
                "  /as <unit name>   act as the head of that unit (linked for the demo)\n"
                "  /lang vi|en       your Telegram app language\n"
                "  /bam <n>          press button <n> of the last keyboard (also /press)\n"
                "  /gui <path>       send a file, e.g. a statistics table (also /upload)\n"
                "  /thoat            quit (also /quit or Ctrl-D)"
            )
        )
        self.say(
            _(
                "  /canbo_demo       link a demo head to every unit without officials, so "
                "warnings reach them (also /demo_officials)"
            )
        )

    async def handle_line(self, line: str) -> bool:
        """Process one typed line; False when the user quits."""
        line = line.strip()
        if not line:
            return True
        word, _sep, rest = line.partition(" ")
        word = word.lower()
        rest = rest.strip()
        if word in ("/thoat", "/quit", "/exit"):
            return False
        if word == "/as":
            self._switch_user(rest)
            return True
        if word == "/lang":
            if rest in ("vi", "en"):
                self.state.language_code = rest
                self.say(_("Telegram app language: {lang}").format(lang=rest))
            else:
                self.say(_("Usage: /lang vi or /lang en"))
            return True
        if word in ("/bam", "/press"):
            await self._press(rest)
            return True
        if word in ("/gui", "/upload"):
            await self._upload(rest)
            return True
        if word in ("/canbo_demo", "/demo_officials"):
            self._demo_officials()
            return True
        await self._send(
            message_update(self.state.user_id, line, language_code=self.state.language_code)
        )
        return True

    def _switch_user(self, arg: str) -> None:
        """/as <id> or /as <unit name>."""
        if not arg:
            self.say(_("You are Telegram user {id}.").format(id=self.state.user_id))
            return
        if arg.isdigit():
            self.state.user_id = int(arg)
            self.say(_("You are now Telegram user {id}.").format(id=arg))
            return
        engine = self.app.bot_data["runtime"].engine
        with session_scope(engine) as session:
            matches = find_units(session=session, query=arg)
            if matches.unique is None:
                if not matches:
                    self.say(_("No unit matches “{query}”.").format(query=arg))
                else:
                    self.say(_("Several units match; be more precise:"))
                    for m in matches:
                        self.say(f"  - {m.name}")
                return
            unit = matches.unique
            user_id = DEMO_OFFICIAL_BASE + unit.id
            link_official(session=session, telegram_id=user_id, unit_id=unit.id, role=Role.HEAD)
        self.state.user_id = user_id
        self.say(_("You are now user {id}, head of {unit}.").format(id=user_id, unit=unit.name))

    def _demo_officials(self) -> None:
        """Link a demo head (id 900000 + unit id) to every active unit without officials."""
        engine = self.app.bot_data["runtime"].engine
        with session_scope(engine) as session:
            staffed = set(
                session.exec(
                    select(Official.unit_id).where(
                        Official.active == True,  # noqa: E712
                        col(Official.unit_id).is_not(None),
                    )
                ).all()
            )
            units = session.exec(
                select(Unit).where(Unit.active == True).order_by(col(Unit.id))  # noqa: E712
            ).all()
            linked = 0
            for unit in units:
                if unit.id is None or unit.id in staffed:
                    continue
                link_official(
                    session=session,
                    telegram_id=DEMO_OFFICIAL_BASE + unit.id,
                    unit_id=unit.id,
                    role=Role.HEAD,
                )
                linked += 1
        self.say(
            ngettext(
                "Linked a demo head to {n} unit (Telegram id {base} + unit id). Warnings now "
                "reach it; /as <unit name> acts as its head.",
                "Linked a demo head to {n} units (Telegram id {base} + unit id). Warnings now "
                "reach them; /as <unit name> acts as one of them.",
                linked,
            ).format(n=linked, base=DEMO_OFFICIAL_BASE)
        )

    async def _press(self, arg: str) -> None:
        """Press a numbered inline button."""
        if not arg.isdigit() or not 1 <= int(arg) <= len(self.state.buttons):
            self.say(_("There is no button {n}.").format(n=arg or "?"))
            return
        _label, data, message_id = self.state.buttons[int(arg) - 1]
        await self._send(
            callback_update(
                self.state.user_id,
                data,
                message_id=message_id,
                language_code=self.state.language_code,
            )
        )

    async def _upload(self, arg: str) -> None:
        """Send a file from disk as a document from the current user."""
        if not arg:
            self.say(_("Usage: /gui <path to a file>"))
            return
        path = Path(arg.strip("\"'")).expanduser()
        if not path.is_file():
            self.say(_("File not found: {path}").format(path=path))
            return
        data = path.read_bytes()
        file_id = f"console-{len(self.request.files) + 1}"
        self.request.files[file_id] = data
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        await self._send(
            document_update(
                self.state.user_id,
                file_id=file_id,
                file_name=path.name,
                file_size=len(data),
                mime_type=mime_type,
                language_code=self.state.language_code,
            )
        )

    async def _send(self, payload: dict[str, Any]) -> None:
        """Feed one update through the application, deliver queued pushes, print the calls."""
        start = len(self.request.calls)
        # A task of its own, so the user's language does not leak into console lines.
        await asyncio.create_task(self.app.process_update(Update.de_json(payload, self.app.bot)))
        middle = len(self.request.calls)
        await asyncio.create_task(self._deliver_pushes())
        for call in self.request.calls[start:middle]:
            self._print_call(call)
        pushes, others = [], []
        for call in self.request.calls[middle:]:
            delivered = isinstance(call.result, dict) and "message_id" in call.result
            (pushes if call.method == "sendMessage" and delivered else others).append(call)
        if pushes:
            self.say(
                ngettext(
                    "📬 {n} message delivered from the outbox:",
                    "📬 {n} messages delivered from the outbox:",
                    len(pushes),
                ).format(n=len(pushes))
            )
            few = len(pushes) <= MAX_FULL_PUSHES
            for index, call in enumerate(pushes):
                chat_id = int(call.params.get("chat_id", 0) or 0)
                self._print_push(call, full=few or index == 0 or chat_id == self.state.user_id)
            self.say("")
        for call in others:
            self._print_call(call)

    async def _deliver_pushes(self) -> None:
        """Send what the outbox holds at once and update progress messages (no waiting)."""
        sender: OutboxSender = self.app.bot_data["outbox_sender"]
        sender.gate = RateGate(
            Limits(overall_per_second=10_000, private_interval=0, group_per_minute=1_000_000)
        )
        await sender.drain_all()
        await update_progress(SimpleNamespace(application=self.app, bot=self.app.bot))  # type: ignore[arg-type]

    def _print_push(self, call: ApiCall, *, full: bool) -> None:
        """One delivered push: in full with its buttons, or its first line."""
        chat_id = int(call.params.get("chat_id", 0) or 0)
        text = render_html(str(call.params.get("text", "")), bold=self.bold)
        keyboard = self._remember_keyboard(call, chat_id)
        if not full:
            self.say(f"📨 → {chat_id}: {text.splitlines()[0] if text else ''}")
            return
        self.say(f"📨 → {chat_id}:\n{text}")
        for n, (label, _data, _mid) in enumerate(keyboard, start=1):
            self.say(f"   [{n}] {label}")
        if keyboard and chat_id != self.state.user_id:
            self.say(_("   (as {chat}: /as {chat}, then /bam <n>)").format(chat=chat_id))
        elif keyboard:
            self.say(_("   (press with /bam <n>)"))

    def _remember_keyboard(self, call: ApiCall, chat_id: int) -> list[tuple[str, str, int]]:
        """Store the inline keyboard a chat received, for /bam."""
        markup = call.params.get("reply_markup")
        if not (isinstance(markup, dict) and markup.get("inline_keyboard")):
            return []
        message_id = call.result.get("message_id", 0) if isinstance(call.result, dict) else 0
        keyboard = [
            (button["text"], button["callback_data"], message_id)
            for row in markup["inline_keyboard"]
            for button in row
            if "callback_data" in button
        ]
        self.state.keyboards[chat_id or self.state.user_id] = keyboard
        return keyboard

    def _print_call(self, call: ApiCall) -> None:
        """Show a Bot API call as chat output."""
        if call.method in ("sendDocument", "sendPhoto") and call.uploads:
            name, data = next(iter(call.uploads.values()))
            self.say(f"🤖 📎 {name} ({len(data):,} B)")
            if call.params.get("caption"):
                self.say(render_html(str(call.params["caption"]), bold=self.bold))
            self.say("")
            return
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            self.say("🤖 💬 " + str(call.params["text"]) + "\n")
            return
        if call.method not in ("sendMessage", "editMessageText"):
            return
        chat_id = int(call.params.get("chat_id", 0) or 0)
        if not isinstance(call.result, dict) or "error_code" in call.result:  # refused
            self.say(_("🤖 ✖ not delivered to {chat}").format(chat=chat_id) + "\n")
            return
        prefix = "🤖 " if call.method == "sendMessage" else "🤖 ✎ "
        if chat_id and chat_id != self.state.user_id:
            prefix += _("→ to {chat}: ").format(chat=chat_id)
        self.say(prefix + render_html(str(call.params.get("text", "")), bold=self.bold))
        keyboard = self._remember_keyboard(call, chat_id)
        if keyboard:
            for n, (label, _data, _mid) in enumerate(keyboard, start=1):
                self.say(f"   [{n}] {label}")
            if chat_id and chat_id != self.state.user_id:
                self.say(_("   (as {chat}: /as {chat}, then /bam <n>)").format(chat=chat_id))
            else:
                self.say(_("   (press with /bam <n>)"))
        self.say("")


async def run_console(
    settings: Settings,
    *,
    demo: bool,
    lines: Iterable[str] | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run the console until EOF or /thoat; returns an exit code."""
    tmp: tempfile.TemporaryDirectory[str] | None = None
    overrides: dict[str, Any] = {"telegram_bot_token": SecretStr("123456:offline-console")}
    if demo:
        tmp = tempfile.TemporaryDirectory(prefix="kyso-demo-")
        overrides["database_url"] = f"sqlite:///{Path(tmp.name) / 'demo.db'}"
        overrides["admin_telegram_ids"] = frozenset({DEMO_ADMIN_ID, *settings.admin_telegram_ids})
    settings = settings.model_copy(update=overrides)
    request = OfflineRequest()
    app = build_application(settings, request=request)
    try:
        if demo:
            load_demo_data(settings, app.bot_data["runtime"].engine)
        async with app:
            console = Console(app, request, out)
            with use_language(settings.default_language):
                console.intro()
            if lines is None:
                lines = _stdin_lines(console)
            for line in lines:
                if not await console.handle_line(line):
                    break
    finally:
        app.bot_data["runtime"].engine.dispose()
        if tmp is not None:
            tmp.cleanup()
    return 0


def _stdin_lines(console: Console) -> Iterable[str]:
    """Prompted lines from the terminal, or plain lines from a pipe."""
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = input(f"[{console.state.user_id}]> ") if interactive else sys.stdin.readline()
        except EOFError:
            return
        if not interactive and line == "":
            return
        if not interactive:
            print(f"[{console.state.user_id}]> {line.rstrip()}", file=console.out)
        yield line
