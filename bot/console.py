"""Offline chat in the terminal over the real Application and handlers (no network)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import mimetypes
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from sqlmodel import Session, col, select
from telegram import Update

from bot.app import build_application
from bot.console_demo import (
    DEMO_ADMIN_ID,
    DEMO_FILE,
    DEMO_OFFICIAL_BASE,
    DEMO_STAFF_BASE,
    DEMO_TITLE,
    DemoDashboard,
    DemoDatabase,
    copy_saved_demo,
    demo_table,
    link_demo_officials,
    link_unit_head,
    load_demo_data,
    prepare_demo,
)
from bot.console_output import (
    DEFAULT_FILES_DIR,
    ConsoleSession,
    Printer,
    SavedFiles,
    render_html,
    shown_path,
)
from bot.core.clock import SimulatedClock, parse_span
from bot.core.config import Settings
from bot.core.dates import DateInputError, parse_when
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime, ngettext, set_timezone, use_language
from bot.core.models import OutboxMessage, OutboxStatus, use_clock, utcnow
from bot.dashboard.auth import create_login_link
from bot.deadlines.reminders import open_schedules
from bot.deadlines.schedule import plan_steps
from bot.offline import ApiCall, OfflineRequest, callback_update, document_update, message_update
from handlers.context import BotContext
from jobs import deadlines as reminders
from jobs.broadcasts import update_progress
from jobs.outbox import OutboxSender
from jobs.outbox_gate import Limits, RateGate

logger = logging.getLogger(__name__)

MAX_FULL_PUSHES = 3  # more pushes than this: the first in full, then a line each
# What tests and the command line use from here (the demo data lives in bot/console_demo.py).
__all__ = ["DEMO_FILE", "DEMO_TITLE", "Console", "demo_table", "load_demo_data", "run_console"]


class Console:
    """Reads lines, turns them into updates, prints what the bot sent back."""

    def __init__(
        self,
        app: Any,
        request: OfflineRequest,
        out: TextIO,
        settings: Settings | None = None,
        files_dir: Path = DEFAULT_FILES_DIR,
    ) -> None:
        """Wrap an initialised application; files the bot sends are saved in `files_dir`."""
        self.app = app
        self.request = request
        self.settings = settings
        self.state = ConsoleSession(user_id=DEMO_ADMIN_ID)
        self.files = SavedFiles(files_dir)
        self.printer = Printer(out, self.state, self.files)
        self.say = self.printer.say
        self.dashboard = DemoDashboard()

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
                "Deadlines and reminders run on a simulated clock:\n"
                "  /dongho [time]    show or set it, e.g. /dongho 23/6 08:00 (also /clock)\n"
                "  /tua <span>       move it on, e.g. /tua 1d or /tua 3h (also /advance)\n"
                "  /khoidong         restart the bot on the same database (also /restart)\n"
                "  /canbo_demo       link a head and an office staff member to every unit"
            )
        )
        self.say(
            _("Files the bot sends are saved in {folder}").format(
                folder=shown_path(self.files.folder) + "/"
            )
        )
        self.say(_("Simulated clock: {now}").format(now=self._clock_text()))

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
                self.state.languages[self.state.user_id] = rest  # this person only
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
        if word in ("/dongho", "/clock"):
            await self._set_clock(rest)
            return True
        if word in ("/tua", "/advance"):
            await self._advance(rest)
            return True
        if word in ("/khoidong", "/restart"):
            await self._restart()
            return True
        if word in ("/canbo_demo", "/demo_officials"):
            linked = link_demo_officials(self.runtime.engine)
            self.say(
                _(
                    "Linked {n} demo officials: for each unit, office staff {staff}+id and head "
                    "{head}+id (/as <unit> becomes the head)."
                ).format(n=linked, staff=DEMO_STAFF_BASE, head=DEMO_OFFICIAL_BASE)
            )
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
        linked = link_unit_head(self.runtime.engine, arg)
        if isinstance(linked, list):
            if not linked:
                self.say(_("No unit matches “{query}”.").format(query=arg))
            else:
                self.say(_("Several units match; be more precise:"))
                for name in linked:
                    self.say(f"  - {name}")
            return
        user_id, unit_name = linked
        self.state.user_id = user_id
        self.say(_("You are now user {id}, head of {unit}.").format(id=user_id, unit=unit_name))

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
            self.say(_("Usage: /upload <path to a file>"))
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
        """Feed one update through the application, print the answer, then deliver pushes."""
        start = len(self.request.calls)
        # A task of its own, so the user's language does not leak into console lines.
        await asyncio.create_task(self.app.process_update(Update.de_json(payload, self.app.bot)))
        for call in self.request.calls[start:]:
            self.printer.call(call)
        await self._deliver(None)

    # --- simulated time ---------------------------------------------------------------

    @property
    def runtime(self) -> Any:
        """The application's runtime."""
        return self.app.bot_data.runtime

    def _clock(self) -> SimulatedClock:
        """The simulated clock, installed on first use (starting at the real time)."""
        clock = self.runtime.clock
        if not isinstance(clock, SimulatedClock):
            clock = SimulatedClock(utcnow())
            self.runtime.clock = clock
            use_clock(clock)
        return clock

    def _clock_text(self) -> str:
        """The simulated time in the bot's zone."""
        set_timezone(self.runtime.settings.tz)
        return fmt_datetime(self.runtime.clock())

    async def _set_clock(self, arg: str) -> None:
        """/dongho [date time]: show the clock, or move it (forward: reminders on the way)."""
        if not arg:
            self.say(_("Simulated clock: {now}").format(now=self._clock_text()))
            return
        clock = self._clock()
        try:
            target = parse_when(
                arg, now=clock(), tz=self.runtime.settings.tz, default_time=dt.time(0, 0),
                allow_past=True,
            )  # fmt: skip
        except DateInputError as exc:
            self.say(render_html(exc.message(), bold=False))
            return
        if target <= clock():
            clock.set(target)
            self.say(_("Simulated clock set back to {now}.").format(now=self._clock_text()))
            return
        await self._run_until(target)

    async def _advance(self, arg: str) -> None:
        """/tua 1d | 3h | 30m: move the clock forward."""
        span = parse_span(arg)
        if span is None:
            self.say(_("Usage: /advance 1d, /advance 3h or /advance 30m"))
            return
        await self._run_until(self._clock()() + span)

    def _next_stop(self, after: dt.datetime, until: dt.datetime) -> dt.datetime | None:
        """The next reminder step or deferred push between two instants."""
        tz = self.runtime.settings.tz
        with Session(self.runtime.engine) as session:
            times = [
                step.at
                for schedule in open_schedules(session=session, now=after)
                for step in plan_steps(schedule, tz)
                if after < step.at <= until
            ]
            times += [
                row.not_before
                for row in session.exec(
                    select(OutboxMessage).where(
                        OutboxMessage.status == OutboxStatus.PENDING.value,
                        col(OutboxMessage.not_before) > after,
                        col(OutboxMessage.not_before) <= until,
                    )
                )
            ]
        return min(times) if times else None

    async def _run_until(self, target: dt.datetime) -> None:
        """Stop at every reminder step on the way, as the running bot would, and show pushes."""
        clock = self._clock()
        while (stop := self._next_stop(clock(), target)) is not None:
            clock.set(stop)
            reminders.run_pass(self.app)
            await self._deliver(_("🕗 {now}").format(now=self._clock_text()))
        clock.set(target)
        reminders.run_pass(self.app)
        await self._deliver(None)
        self.say(_("Simulated clock: {now}").format(now=self._clock_text()))

    async def _deliver(self, heading: str | None) -> None:
        """Send what is due in the outbox at once, update progress messages, print the pushes:
        in full when few or addressed to you, else one line each."""
        sender: OutboxSender = self.app.bot_data.sender
        sender.gate = RateGate(
            Limits(overall_per_second=10_000, private_interval=0, group_per_minute=1_000_000)
        )
        start = len(self.request.calls)
        await asyncio.create_task(sender.drain_all())
        await asyncio.create_task(update_progress(BotContext(self.app)))
        pushes, others = list[ApiCall](), list[ApiCall]()
        for call in self.request.calls[start:]:
            delivered = isinstance(call.result, dict) and "message_id" in call.result
            (pushes if call.method == "sendMessage" and delivered else others).append(call)
        if not pushes and heading:
            self.say(heading + " — " + _("nothing to send"))
        if pushes:
            self.say(
                (heading + " — " if heading else "")
                + ngettext(
                    "📬 {n} message delivered from the outbox:",
                    "📬 {n} messages delivered from the outbox:",
                    len(pushes),
                ).format(n=len(pushes))
            )
            few = len(pushes) <= MAX_FULL_PUSHES
            for index, call in enumerate(pushes):
                chat_id = int(call.params.get("chat_id", 0) or 0)
                self.printer.push(call, full=few or index == 0 or chat_id == self.state.user_id)
            self.say("")
        for call in others:
            self.printer.call(call)

    async def _restart(self) -> None:
        """Stop this bot and start a new one on the same database and simulated clock."""
        if self.settings is None:
            self.say(_("Restart is not available here."))
            return
        clock = self.runtime.clock
        await self.app.shutdown()
        self.runtime.reader.close()
        self.runtime.engine.dispose()
        self.app = build_application(self.settings, request=self.request)
        self.runtime.clock = clock
        await self.app.initialize()
        await self.dashboard.move(self.app)
        result = await reminders.on_startup(self.app)
        jobs = len(reminders.queue_names(self.app))
        self.say(
            _(
                "🔄 Restarted: {jobs} reminder jobs rebuilt from the database; the catch-up "
                "queued {queued} new messages."
            ).format(jobs=jobs, queued=result.queued)
        )
        await self._deliver(None)

    async def start_dashboard(self) -> None:
        """Serve the dashboard on 127.0.0.1 and print a login link for the secretariat."""
        rt = self.runtime
        if not rt.settings.dashboard_enabled:
            return
        url = await self.dashboard.start(self.app, port=rt.settings.status_port or 0)
        rt.settings = rt.settings.model_copy(update={"dashboard_url": url})
        if self.settings is not None:
            self.settings = self.settings.model_copy(update={"dashboard_url": url})
        with session_scope(rt.engine) as session:
            code = create_login_link(session=session, telegram_id=DEMO_ADMIN_ID, now=rt.clock())
        self.say(
            _(
                "📊 Dashboard in your browser (single use, 10 minutes; /dashboard gives a "
                "new link):\n   {link}"
            ).format(link=f"{url}#login={code}")
        )


async def run_console(
    settings: Settings,
    *,
    demo: bool,
    lines: Iterable[str] | None = None,
    out: TextIO = sys.stdout,
    files_dir: Path = DEFAULT_FILES_DIR,
    demo_cache: Path | None = None,
) -> int:
    """Run the console until EOF or /thoat; returns an exit code. Files the bot sends are saved
    in `files_dir` (created when the first one comes); the demo's database in `demo_cache`."""
    tmp: tempfile.TemporaryDirectory[str] | None = None
    overrides: dict[str, Any] = {"telegram_bot_token": SecretStr("123456:offline-console")}
    database: DemoDatabase | None = None
    if demo:
        tmp = tempfile.TemporaryDirectory(prefix="kyso-demo-")
        overrides["database_url"] = f"sqlite:///{Path(tmp.name) / 'demo.db'}"
        overrides["admin_telegram_ids"] = frozenset({DEMO_ADMIN_ID, *settings.admin_telegram_ids})
    settings = settings.model_copy(update=overrides)
    if tmp is not None:
        database = copy_saved_demo(settings, Path(tmp.name) / "demo.db", demo_cache)
    request = OfflineRequest()
    app = build_application(settings, request=request)
    console = Console(app, request, out, settings, files_dir)
    try:
        if database is not None:  # on a simulated clock from an hour after the figures' time
            prepare_demo(app.bot_data.runtime, database)
        await console.app.initialize()
        try:
            await reminders.on_startup(console.app)
            with use_language(settings.default_language):
                console.intro()
                if demo:
                    await console.start_dashboard()
            if lines is None:  # read the terminal off the event loop: the dashboard answers
                source = iter(_stdin_lines(console))
                while (line := await asyncio.to_thread(next, source, None)) is not None:
                    if not await console.handle_line(line):
                        break
            else:
                for line in lines:
                    if not await console.handle_line(line):
                        break
        finally:
            await console.dashboard.stop()
            await console.app.shutdown()
    finally:
        console.app.bot_data.runtime.reader.close()
        console.app.bot_data.runtime.engine.dispose()
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
            print(f"[{console.state.user_id}]> {line.rstrip()}", file=console.printer.out)
        yield line
