"""`python -m bot letters add FILE | list | retire ID | link DEADLINE LETTER ITEM`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sqlalchemy import Engine

from bot.core.config import Settings
from bot.core.db import create_db_engine, init_db, session_scope
from bot.core.i18n import _
from bot.core.links import Links, Subcommands
from bot.core.telegram_html import plain
from bot.letters import service, texts
from bot.letters.basis import link_item
from bot.letters.reading import LetterFileError, Limits
from bot.letters.service import LetterError

logger = logging.getLogger(__name__)

EXIT_REFUSED = 1
EXIT_USAGE = 2


def _err(text: str) -> None:
    """A line on stderr."""
    print(plain(text), file=sys.stderr)


def _engine(settings: Settings) -> Engine:
    """The configured database, migrated."""
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    return engine


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    """Read a letter, show what was read, add it (after a yes, or with --yes)."""
    path: Path = args.file
    if not path.is_file():
        _err(_("File not found: {path}").format(path=path))
        return EXIT_USAGE
    limits = Limits(max_bytes=settings.max_upload_bytes)
    try:
        if path.stat().st_size > limits.max_bytes:
            raise LetterFileError("too_large", size=path.stat().st_size, limit=limits.max_bytes)
        prepared = service.prepare(path.read_bytes(), path.name, limits)
    except (LetterFileError, LetterError) as exc:
        _err(exc.message())
        return EXIT_REFUSED
    corrections = {
        "number": args.number or "",
        "date": args.date or "",
        "issuer": args.issuer or "",
        "title": args.title or "",
    }
    engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            view = service.stage_letter(session=session, prepared=prepared, telegram_id=None)
            assert view.token is not None
            for field, value in corrections.items():
                if value:
                    view = service.edit_pending(
                        session=session,
                        token=view.token,
                        telegram_id=None,
                        field=field,
                        value=value,
                    )
            print(plain(texts.preview_text(view)))
            if not (args.yes or _confirmed()):
                session.rollback()
                print(_("Not added. Run again with --yes to add it."))
                return 0
            assert view.token is not None
            view = service.confirm_letter(session=session, token=view.token, telegram_id=None)
        print(plain(texts.added_text(view)))
        return 0
    except LetterError as exc:
        _err(exc.message())
        return EXIT_REFUSED
    finally:
        engine.dispose()


def _confirmed() -> bool:
    """Ask on a terminal; a pipe never confirms by itself."""
    if not sys.stdin.isatty():
        return False
    return input(_("Add this letter to the library? [y/N] ")).strip().lower() in (
        "y",
        "yes",
        "c",
        "co",
        "có",
    )


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    """Print the library."""
    engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            views = service.list_letters(session=session, include_retired=args.all)
        for view in views:
            name = texts.letter_name(
                kind=view.kind,
                number=view.number,
                issued_on=view.issued_on,
                precision=view.precision,
                issuer=view.issuer,
            )
            status = "" if view.status == "active" else f" [{_('retired')}]"
            print(f"{view.id}\t{name}{status}\t{view.title}\t{view.passages}")
        if not views:
            print(plain(texts.list_text([], secretariat=False)))
        return 0
    finally:
        engine.dispose()


def cmd_retire(settings: Settings, args: argparse.Namespace) -> int:
    """Take a letter out of the answers."""
    engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            view = service.retire_letter(session=session, letter_id=args.id, actor=None)
        print(plain(texts.retired_text(view)))
        return 0
    except LetterError as exc:
        _err(exc.message())
        return EXIT_REFUSED
    finally:
        engine.dispose()


def cmd_link(settings: Settings, args: argparse.Namespace) -> int:
    """Record that a deadline carries out an item of a letter."""
    engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            basis = link_item(
                session=session,
                deadline_id=args.deadline,
                letter_id=args.letter,
                label=args.item,
                actor=None,
            )
            text = plain(texts.linked_text(args.deadline, basis))
        print(text)
        return 0
    except LetterError as exc:
        _err(exc.message())
        return EXIT_USAGE if exc.code == "no_item" else EXIT_REFUSED
    finally:
        engine.dispose()


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """Register `letters` and its subcommands."""
    letters = subparsers.add_parser(
        "letters", help=_("the letters library questions are answered from")
    )
    sub = letters.add_subparsers(dest="letters_command", required=True)

    p = sub.add_parser("add", help=_("read a letter (.docx, .pdf, .txt) and add it"))
    p.add_argument("file", type=Path)
    p.add_argument("--number", help=_("the letter's number, e.g. 484-CV/TU"))
    p.add_argument("--date", help=_("its date: 21/5/2026, 6/2026 or 2026"))
    p.add_argument("--issuer", help=_("the issuing body"))
    p.add_argument("--title", help=_("its subject"))
    p.add_argument("--yes", action="store_true", help=_("add without asking"))
    p.set_defaults(run=cmd_add)

    p = sub.add_parser("list", help=_("list the letters (tab-separated)"))
    p.add_argument("--all", action="store_true", help=_("include retired letters"))
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("retire", help=_("stop answering from a letter"))
    p.add_argument("id", type=int)
    p.set_defaults(run=cmd_retire)

    p = sub.add_parser("link", help=_("record that a deadline carries out an item of a letter"))
    p.add_argument("deadline", type=int)
    p.add_argument("letter", type=int)
    p.add_argument("item", help=_("the item: 1, 3.2, intro or end"))
    p.set_defaults(run=cmd_link)
