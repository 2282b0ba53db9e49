"""Command line: run the bot, import statistics, link officials, offline console."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot import features
from bot.core import cli_words
from bot.core.config import Settings
from bot.core.heap import enable_after_imports
from bot.core.i18n import (
    _,
    command_line,
    normalize_language,
    set_language,
    set_timezone,
)
from bot.core.roles import role_label

logger = logging.getLogger(__name__)

EXIT_USAGE = 2


class RedactTokenFilter(logging.Filter):
    """Replace the bot token wherever it would appear in a log line."""

    def __init__(self, token: str | None) -> None:
        """Remember the secret to hide."""
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message without the token."""
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
        return True


def setup_logging(
    settings: Settings | None, level: int | None = None, *, batched: bool = False
) -> None:
    """Logs on stderr (LOG_FORMAT text or json); secrets redacted; HTTP client chatter quiet;
    `batched` (the running bot): INFO lines written at most LOG_FLUSH_SECONDS late."""
    from bot.core.logs import BatchingHandler, make_formatter

    handler: logging.Handler = logging.StreamHandler()
    if batched and settings is not None and settings.log_flush_seconds > 0:
        handler = BatchingHandler(delay=settings.log_flush_seconds)
    end_batched_logs()  # one batching handler at a time, its lines written first
    secrets = settings.secrets() if settings is not None else []
    handler.setFormatter(make_formatter(settings.log_format if settings else "text", secrets))
    token = (
        settings.telegram_bot_token.get_secret_value()
        if settings and settings.telegram_bot_token
        else None
    )
    handler.addFilter(RedactTokenFilter(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    if level is None:
        level = logging.getLevelName(settings.log_level) if settings else logging.INFO
    root.setLevel(level)
    # No formatter prints the caller's file and line, the thread or the process: skip finding
    # them for every record (the logging HOWTO's "Optimization"; a third of a record's cost).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    # Alembic's set-up chatter and APScheduler's line per job run; bot.core.migrate and
    # jobs.scheduler log what matters (migrations applied, scheduler paused or resumed).
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def end_batched_logs() -> None:
    """Write the log lines `setup_logging(batched=True)` keeps waiting and stop batching: what
    is logged after the bot stopped is written at once (same stream, format and filters)."""
    from bot.core.logs import BatchingHandler

    root = logging.getLogger()
    for index, handler in enumerate(root.handlers):
        if isinstance(handler, BatchingHandler):
            handler.close()  # writes what waits, stops its flusher thread
            plain = logging.StreamHandler(handler.stream)
            plain.setFormatter(handler.formatter)
            plain.filters = handler.filters
            root.handlers[index] = plain


# The subcommands of this module; a feature's are added only when needed (`build_parser`).
OWN_COMMANDS = ("run", "console", "link")


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand the command line starts with (None for `--help` or nothing)."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def build_parser(settings: Settings, command: str | None = None) -> argparse.ArgumentParser:
    """The subcommands `command` needs: `run`, `console` and `link` no feature's command-line
    module (nor the links), a feature's subcommand its own; None or an unknown word all."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="kyso-bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help=_("run the bot (long polling, or --webhook)"))
    run.add_argument(
        "--webhook",
        action="store_true",
        help=_("receive updates on WEBHOOK_URL instead of long polling"),
    )
    console = sub.add_parser("console", help=_("offline chat in the terminal"))
    console.add_argument(
        "--demo", action="store_true", help=_("use a temporary database with the June 2026 table")
    )
    link = sub.add_parser("link", help=_("link a Telegram user to a unit with a role"))
    link.add_argument("telegram_id", type=int)
    link.add_argument("unit", nargs="?", default="")
    link.add_argument("--role", choices=["head", "staff", "viewer", "secretariat"], default="head")
    if command in OWN_COMMANDS:
        return parser
    domain = features.links(default_language=settings.default_language)
    features.add_cli(sub, domain, only=command if command in features.CLI else None)
    return parser


def load_settings() -> Settings:
    """Settings from the environment, or exit 2 with one clear line in one language."""
    from bot.core.settings_errors import describe

    try:
        return Settings()
    except ValidationError as exc:
        print(describe(exc), file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def cmd_run(settings: Settings, args: argparse.Namespace | None = None) -> int:
    """Run the bot: long polling, or the webhook with --webhook."""
    webhook = bool(args is not None and getattr(args, "webhook", False))
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        print(
            _(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
                "or in .env (or try the offline demo: python -m bot console --demo)."
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    if webhook:
        missing = [
            name
            for name, value in (
                ("WEBHOOK_URL", settings.webhook_url),
                ("WEBHOOK_SECRET", settings.webhook_secret),
            )
            if not value
        ]
        if missing:
            print(
                _(
                    "Webhook mode needs {names}: the public https:// address Telegram posts "
                    "to, and a random secret of letters, digits, _ and - (up to 256)."
                ).format(names=", ".join(missing)),
                file=sys.stderr,
            )
            return EXIT_USAGE
    from telegram.error import InvalidToken, TelegramError

    from bot.core.leader import WorkerAlreadyRunning
    from bot.web import StartError, run_bot

    enable_after_imports()  # the bot's modules are imported (bot/__main__.py)
    setup_logging(settings, batched=True)
    try:
        try:
            asyncio.run(run_bot(settings, webhook=webhook))  # migrates the database first
        finally:  # the batched log lines go before any last word printed below
            end_batched_logs()
    except InvalidToken:
        print(
            _(
                "Telegram refused TELEGRAM_BOT_TOKEN: copy the token again from @BotFather "
                "(and check TELEGRAM_API_BASE_URL if you use your own Bot API server)."
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    except TelegramError as exc:
        print(
            _("Telegram did not answer at start-up ({error}); try again later.").format(
                error=exc.message
            ),
            file=sys.stderr,
        )
        return 1
    except WorkerAlreadyRunning as exc:
        print(
            _(
                "Another `python -m bot run` is already using {database}: SQLite allows one "
                "worker. Stop it first, or use PostgreSQL (DATABASE_URL) to run several."
            ).format(database=exc),
            file=sys.stderr,
        )
        return EXIT_USAGE
    except StartError as exc:
        logger.error("Could not start: %s", exc)
        return 1
    return 0


def cmd_link(settings: Settings, args: argparse.Namespace) -> int:
    """Link a Telegram user to a unit (until invitations exist)."""
    from bot.core.db import create_db_engine, init_db, session_scope
    from bot.core.lookup import find_units
    from bot.core.models import Role
    from bot.core.people import link_official

    role = Role(args.role)
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with session_scope(engine) as session:
            unit_id = None
            unit_label = ""
            if role is not Role.SECRETARIAT:
                matches = find_units(session=session, query=args.unit) if args.unit else None
                if not matches or matches.unique is None:
                    print(
                        _("Name exactly one unit; matches: {names}").format(
                            names=", ".join(m.name for m in matches or []) or "—"
                        ),
                        file=sys.stderr,
                    )
                    return EXIT_USAGE
                unit_id, unit_label = matches.unique.id, matches.unique.name
            link_official(session=session, telegram_id=args.telegram_id, unit_id=unit_id, role=role)
    finally:
        engine.dispose()
    if role is Role.SECRETARIAT:
        print(_("Added {id} to the secretariat.").format(id=args.telegram_id))
    else:
        print(
            _("Linked {id} to {unit} as {role}.").format(
                id=args.telegram_id, role=role_label(role), unit=unit_label
            )
        )
    return 0


def cli_language(settings: Settings) -> str:
    """DEFAULT_LANGUAGE if set, else the terminal's LANG if we speak it, else the default."""
    if "default_language" in settings.model_fields_set:
        return settings.default_language
    return normalize_language(os.environ.get("LANG")) or settings.default_language


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot`: every command, with the failures every command shares
    (an unusable database, output to a closed pipe) turned into one line and an exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.core.db import DatabaseSetupError

    settings = load_settings()
    set_language(cli_language(settings))
    set_timezone(settings.tz)
    cli_words.install()
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(settings, chosen_command(words)).parse_args(words)
    try:
        code = dispatch(settings, args)
        sys.stdout.flush()  # a closed pipe shows here rather than as a warning at exit
        return code
    except BrokenPipeError:
        # `python -m bot units list | head -1`: the reader has what it wanted.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (DatabaseSetupError, SQLAlchemyError) as exc:
        return database_failure(settings, exc)


def database_failure(settings: Settings, exc: Exception) -> int:
    """One line for a database error: exit 2 when the configuration is at fault, else 1."""
    from bot.core.db import setup_problem
    from bot.core.migrate_cli import database_error

    problem = setup_problem(settings.database_url, exc)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    logger.debug("Database error", exc_info=exc)
    print(database_error(settings.database_url, exc), file=sys.stderr)
    return 1


def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    """Run the chosen command; returns its exit code."""
    if args.command == "run":
        return cmd_run(settings, args)
    if args.command == "console":
        from bot.console import run_console
        from bot.console_cache import cache_dir

        enable_after_imports()  # the console's modules are imported (bot/__main__.py)
        setup_logging(settings, logging.WARNING)
        return asyncio.run(run_console(settings, demo=args.demo, demo_cache=cache_dir()))
    enable_after_imports()  # bot/__main__.py turned it off for the imports
    setup_logging(settings, logging.WARNING)
    with command_line():  # not for the bot or the console: their texts are for the chat
        if args.command == "link":
            return cmd_link(settings, args)
        run = getattr(args, "run", None)
        if run is not None:
            return int(run(settings, args))
    return EXIT_USAGE
