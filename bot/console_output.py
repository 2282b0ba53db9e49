"""What the console prints: the bot's Bot API calls as chat lines, and the files it sends, saved."""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.core.i18n import _, fmt_number, use_language
from bot.offline import ApiCall

logger = logging.getLogger(__name__)

DEFAULT_FILES_DIR = Path("var") / "console-files"  # relative to the working directory
_TAG = re.compile(r"<(/?)(b|i|u|s|code|pre|a)[^>]*>")
_UNSAFE = re.compile(r"[^\w.\-]+")
_MAX_NAME = 120
FILE_METHODS = ("sendDocument", "sendPhoto", "sendMediaGroup")

Keyboard = list[tuple[str, str, int]]  # (label, callback data, message id)


def render_html(text: str, *, bold: bool) -> str:
    """Telegram HTML to terminal text."""

    def tag(match: re.Match[str]) -> str:
        if not bold or match.group(2) != "b":
            return ""
        return "\033[0m" if match.group(1) else "\033[1m"

    return html.unescape(_TAG.sub(tag, text))


def shown_path(path: Path) -> str:
    """A path as the person can open it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


class SavedFiles:
    """Saves every file the bot sends into one folder (created when the first file comes);
    names stay as the bot gave them, with -2, -3 … when a name comes again in this run."""

    def __init__(self, folder: Path) -> None:
        """Files go into `folder`."""
        self.folder = folder
        self.used: set[str] = set()

    def save(self, name: str, data: bytes) -> Path:
        """Write one file; returns where."""
        stem, dot, suffix = _safe_name(name).rpartition(".")
        if not dot:
            stem, suffix = suffix, ""
        candidate, n = _join(stem, suffix), 1
        while candidate in self.used:
            n += 1
            candidate = _join(f"{stem}-{n}", suffix)
        self.used.add(candidate)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / candidate
        path.write_bytes(data)
        return path


def _join(stem: str, suffix: str) -> str:
    """stem.suffix, or the stem alone."""
    return f"{stem}.{suffix}" if suffix else stem


def _safe_name(name: str) -> str:
    """A file name that stays inside the folder: no directories, no odd characters."""
    base = os.path.basename(name.replace("\\", "/")).strip().lstrip(".")
    base = _UNSAFE.sub("-", base)[-_MAX_NAME:].strip("-.")  # never ".", ".." or hidden
    return base or "file"


@dataclass
class ConsoleSession:
    """State of the person typing: who they are and the last buttons they saw."""

    user_id: int
    languages: dict[int, str] = field(default_factory=dict)  # person → Telegram app language
    # chat id → the last keyboard that chat received
    keyboards: dict[int, Keyboard] = field(default_factory=dict)

    @property
    def language_code(self) -> str:
        """The Telegram app language of the person typing now (each person has their own)."""
        return self.languages.get(self.user_id, "vi")

    @property
    def buttons(self) -> Keyboard:
        """The last keyboard the current user received."""
        return self.keyboards.get(self.user_id, [])


class Printer:
    """Prints console lines and the bot's calls; saves the files the bot sends."""

    def __init__(self, out: TextIO, state: ConsoleSession, files: SavedFiles) -> None:
        """Write to `out`; `state` tells who is typing."""
        self.out = out
        self.state = state
        self.files = files
        self.bold = out.isatty()

    def say(self, text: str) -> None:
        """Print a console (not bot) line."""
        print(text, file=self.out)

    def call(self, call: ApiCall) -> None:
        """Show a Bot API call as chat output."""
        if call.method in FILE_METHODS and call.uploads:
            self._files(call)
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
        self._keyboard(self.remember_keyboard(call, chat_id), chat_id)
        self.say("")

    def _files(self, call: ApiCall) -> None:
        """Save the files of a call and name each with its size and where it is now."""
        for name, data in call.uploads.values():
            path = self.files.save(name, data)
            with use_language(self.state.language_code):
                size = fmt_number(len(data), 0)
            self.say(f"🤖 📎 {name} ({size} B) → {shown_path(path)}")
        if call.params.get("caption"):
            self.say(render_html(str(call.params["caption"]), bold=self.bold))
        self.say("")

    def push(self, call: ApiCall, *, full: bool) -> None:
        """One delivered push: in full with its buttons, or its first line."""
        chat_id = int(call.params.get("chat_id", 0) or 0)
        text = render_html(str(call.params.get("text", "")), bold=self.bold)
        keyboard = self.remember_keyboard(call, chat_id)
        if not full:
            self.say(f"📨 → {chat_id}: {text.splitlines()[0] if text else ''}")
            return
        self.say(f"📨 → {chat_id}:\n{text}")
        self._keyboard(keyboard, chat_id)

    def _keyboard(self, keyboard: Keyboard, chat_id: int) -> None:
        """Numbered buttons, and how to press them."""
        if not keyboard:
            return
        for n, (label, _data, _mid) in enumerate(keyboard, start=1):
            self.say(f"   [{n}] {label}")
        with use_language(self.state.language_code):  # the language of the person typing
            if chat_id and chat_id != self.state.user_id:
                hint = _("   (as {chat}: /as {chat}, then /press <n>)").format(chat=chat_id)
            else:
                hint = _("   (press with /press <n>)")
        self.say(hint)

    def remember_keyboard(self, call: ApiCall, chat_id: int) -> Keyboard:
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
