"""The letters library: add (preview, then confirm), correct, list, retire; audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, ClassVar

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.db import bump_revision
from bot.core.errors import CodedError, Message
from bot.core.models import Letter, LetterPassage, LetterStatus, utcnow
from bot.letters import texts
from bot.letters.header import kind_from_number, parse_date_input
from bot.letters.passages import APPENDIX, ITEM, ParsedLetter, split_letter
from bot.letters.reading import Limits, read_letter

logger = logging.getLogger(__name__)

PENDING_TTL = dt.timedelta(days=1)
FIELDS = ("number", "date", "issuer", "title")
MAX_FIELD = {"number": 64, "issuer": 255, "title": 500, "date": 20}
SHIPPED = (
    "hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt",
    "hung-yen-484-cv-tu-2026-05-21-chuyen-doi-so.txt",
    "dong-thap-ubnd-kgvx-2026-chu-ky-so-cong-vu.txt",
    "tuan-giao-ubnd-vp-2020-12-chu-ky-so.txt",
    "xuan-truong-cv-du-2026-06-08-phan-mem-dung-chung.txt",
)


class LetterError(CodedError):
    """A refused library action; message() says why."""

    MESSAGES: ClassVar[Mapping[str, Message]] = texts.LIBRARY_ERRORS


@dataclass(frozen=True)
class Prepared:
    """A letter read and split, not stored yet."""

    parsed: ParsedLetter
    filename: str
    sha256: str


@dataclass(frozen=True)
class LetterView:
    """A letter as lists and previews show it."""

    id: int
    status: str
    kind: str
    number: str
    issued_on: dt.date | None
    precision: str
    issuer: str
    title: str
    filename: str
    token: str | None
    created_by: int | None
    passages: int = 0
    items: int = 0
    footnotes: int = 0
    appendix: bool = False
    first_items: tuple[str, ...] = ()


def prepare(data: bytes, filename: str, limits: Limits | None = None) -> Prepared:
    """Read and split a file (no database); raises LetterFileError or LetterError."""
    text = read_letter(data, filename, limits)
    parsed = split_letter(text)
    if not parsed.body:
        raise LetterError("no_passages", name=filename)
    return Prepared(parsed, filename[:255], hashlib.sha256(data).hexdigest())


def _view(session: Session, letter: Letter) -> LetterView:
    """A letter with counts of its passages."""
    assert letter.id is not None
    rows = session.exec(
        select(LetterPassage)
        .where(LetterPassage.letter_id == letter.id)
        .order_by(col(LetterPassage.seq))
    ).all()
    items = [p for p in rows if p.kind == ITEM]
    labels = list(dict.fromkeys(p.label for p in items if "." not in p.label))
    firsts = tuple(
        f"{label}. {next(p.text for p in items if p.label == label)[:80]}" for label in labels[:3]
    )
    return LetterView(
        id=letter.id,
        status=letter.status,
        kind=letter.kind,
        number=letter.number,
        issued_on=letter.issued_on,
        precision=letter.date_precision,
        issuer=letter.issuer,
        title=letter.title,
        filename=letter.filename,
        token=letter.token,
        created_by=letter.created_by,
        passages=sum(1 for p in rows if p.kind != APPENDIX),
        items=len(labels),
        footnotes=len({f for p in rows for f in p.footnotes}),
        appendix=any(p.kind == APPENDIX for p in rows),
        first_items=firsts,
    )


def purge_expired(*, session: Session, now: dt.datetime | None = None) -> int:
    """Delete previews nobody confirmed in time; returns how many."""
    stale = session.exec(
        select(Letter.id).where(
            Letter.status == LetterStatus.PENDING.value,
            col(Letter.expires_at) < (now or utcnow()),
        )
    ).all()
    if stale:
        session.exec(delete(LetterPassage).where(col(LetterPassage.letter_id).in_(stale)))
        session.exec(delete(Letter).where(col(Letter.id).in_(stale)))
    return len(stale)


def _duplicate(session: Session, sha256: str) -> Letter | None:
    """The active letter with the same file, if any."""
    return session.exec(
        select(Letter).where(Letter.sha256 == sha256, Letter.status == LetterStatus.ACTIVE.value)
    ).first()


def stage_letter(
    *, session: Session, prepared: Prepared, telegram_id: int | None, now: dt.datetime | None = None
) -> LetterView:
    """Store a letter as a preview (not searched until confirmed)."""
    now = now or utcnow()
    purge_expired(session=session, now=now)
    existing = _duplicate(session, prepared.sha256)
    if existing is not None:
        raise LetterError("duplicate", id=existing.id, title=existing.title)
    header = prepared.parsed.header
    letter = Letter(
        status=LetterStatus.PENDING.value,
        token=secrets.token_urlsafe(12),
        kind=header.kind,
        number=header.number,
        issued_on=header.issued_on,
        date_precision=header.precision,
        issuer=header.issuer,
        title=header.title,
        filename=prepared.filename,
        sha256=prepared.sha256,
        created_by=telegram_id,
        created_at=now,
        updated_at=now,
        expires_at=now + PENDING_TTL,
    )
    session.add(letter)
    session.flush()
    assert letter.id is not None
    for passage in prepared.parsed.passages:
        session.add(
            LetterPassage(
                letter_id=letter.id,
                seq=passage.seq,
                kind=passage.kind,
                label=passage.label,
                heading=passage.heading,
                text=passage.text,
                footnotes=list(passage.footnotes),
            )
        )
    session.flush()
    return _view(session, letter)


def _pending(session: Session, token: str, telegram_id: int | None, now: dt.datetime) -> Letter:
    """The caller's open preview, or LetterError saying why not."""
    letter = session.exec(select(Letter).where(Letter.token == token)).first()
    if letter is None or letter.status != LetterStatus.PENDING.value:
        raise LetterError("gone")
    if letter.created_by != telegram_id:
        raise LetterError("not_yours")
    expires = letter.expires_at
    if expires is not None and expires.replace(tzinfo=expires.tzinfo or dt.UTC) <= now:
        raise LetterError("expired")
    return letter


def preview(*, session: Session, token: str, telegram_id: int | None) -> LetterView:
    """The caller's open preview."""
    return _view(session, _pending(session, token, telegram_id, utcnow()))


def edit_pending(
    *,
    session: Session,
    token: str,
    telegram_id: int | None,
    field: str,
    value: str,
    now: dt.datetime | None = None,
) -> LetterView:
    """Correct a field of a preview (number, date, issuer, title)."""
    now = now or utcnow()
    letter = _pending(session, token, telegram_id, now)
    value = " ".join(value.split())
    if field not in FIELDS:
        raise LetterError("bad_field")
    if not value or len(value) > MAX_FIELD[field]:
        raise LetterError("bad_value", limit=MAX_FIELD[field])
    if field == "date":
        parsed = parse_date_input(value)
        if parsed is None:
            raise LetterError("bad_date", value=value)
        letter.issued_on, letter.date_precision = parsed
    elif field == "number":
        letter.number = value
        letter.kind = kind_from_number(value) if "-" in value else letter.kind
    else:
        setattr(letter, field, value)
    letter.updated_at = now
    session.add(letter)
    session.flush()
    return _view(session, letter)


def confirm_letter(
    *, session: Session, token: str, telegram_id: int | None, now: dt.datetime | None = None
) -> LetterView:
    """Add a previewed letter to the library (once, whoever presses twice)."""
    now = now or utcnow()
    letter = _pending(session, token, telegram_id, now)
    if _duplicate(session, letter.sha256) is not None:
        raise LetterError("duplicate_now")
    done = session.exec(
        update(Letter)
        .where(col(Letter.id) == letter.id, col(Letter.status) == LetterStatus.PENDING.value)
        .values(status=LetterStatus.ACTIVE.value, token=None, expires_at=None, updated_at=now)
    )
    if not done.rowcount:
        raise LetterError("gone")
    bump_revision(session)  # answers cached per data revision cite the letters
    session.refresh(letter)
    audit.record(
        session=session,
        actor=telegram_id,
        action="letter.add",
        subject=f"{letter.number} {letter.title}",
        letter_id=letter.id,
        filename=letter.filename,
    )
    return _view(session, letter)


def cancel_letter(*, session: Session, token: str, telegram_id: int | None) -> None:
    """Throw a preview away."""
    letter = _pending(session, token, telegram_id, utcnow())
    session.exec(delete(LetterPassage).where(col(LetterPassage.letter_id) == letter.id))
    session.delete(letter)


def list_letters(*, session: Session, include_retired: bool = False) -> list[LetterView]:
    """The library, newest letter first."""
    statuses = [LetterStatus.ACTIVE.value] + (
        [LetterStatus.RETIRED.value] if include_retired else []
    )
    letters = session.exec(
        select(Letter)
        .where(col(Letter.status).in_(statuses))
        .order_by(col(Letter.issued_on).desc(), col(Letter.id).desc())
    ).all()
    return [_view(session, letter) for letter in letters]


def get_letter(*, session: Session, letter_id: int) -> LetterView | None:
    """One letter of the library (active or retired)."""
    letter = session.get(Letter, letter_id)
    if letter is None or letter.status == LetterStatus.PENDING.value:
        return None
    return _view(session, letter)


def retire_letter(
    *, session: Session, letter_id: int, actor: int | None, now: dt.datetime | None = None
) -> LetterView:
    """Take a letter out of the answers (kept for the citations that name it)."""
    letter = session.get(Letter, letter_id)
    if letter is None or letter.status == LetterStatus.PENDING.value:
        raise LetterError("not_found", id=letter_id)
    if letter.status == LetterStatus.RETIRED.value:
        raise LetterError("already_retired", id=letter_id)
    now = now or utcnow()
    letter.status, letter.retired_at, letter.retired_by = LetterStatus.RETIRED.value, now, actor
    letter.updated_at = now
    session.add(letter)
    bump_revision(session)  # answers cached per data revision cite the letters
    audit.record(
        session=session,
        actor=actor,
        action="letter.retire",
        subject=f"{letter.number} {letter.title}",
        letter_id=letter.id,
    )
    session.flush()
    return _view(session, letter)


def library_version(*, session: Session) -> tuple[Any, ...]:
    """Changes whenever a letter is added, corrected or retired (for the search cache)."""
    row = session.exec(
        select(func.count(), func.max(Letter.updated_at)).where(
            Letter.status == LetterStatus.ACTIVE.value
        )
    ).one()
    return tuple(row)


@dataclass(frozen=True)
class SourcePassage:
    """A stored passage with its letter, for indexing and quoting (copies, in no session)."""

    passage: LetterPassage
    letter: Letter


def active_passages(*, session: Session) -> list[SourcePassage]:
    """Every searchable passage of the active letters."""
    rows = session.exec(
        select(LetterPassage, Letter)
        .join(Letter, col(Letter.id) == col(LetterPassage.letter_id))
        .where(Letter.status == LetterStatus.ACTIVE.value, LetterPassage.kind != APPENDIX)
        .order_by(col(Letter.id), col(LetterPassage.seq))
    ).all()
    # Copies outside the session: the search cache keeps them after the session commits
    # (which would expire the originals) or closes.
    letters: dict[int | None, Letter] = {}
    found = []
    for passage, letter in rows:
        if letter.id not in letters:
            letters[letter.id] = Letter(**letter.model_dump())
        found.append(SourcePassage(LetterPassage(**passage.model_dump()), letters[letter.id]))
    return found


def add_now(
    *,
    session: Session,
    prepared: Prepared,
    actor: int | None,
    corrections: Mapping[str, str] | None = None,
) -> LetterView:
    """Stage, correct and confirm at once (command line and the demo)."""
    view = stage_letter(session=session, prepared=prepared, telegram_id=actor)
    assert view.token is not None
    for field, value in (corrections or {}).items():
        if value:
            edit_pending(
                session=session, token=view.token, telegram_id=actor, field=field, value=value
            )
    return confirm_letter(session=session, token=view.token, telegram_id=actor)


def shipped_letters() -> Sequence[tuple[str, bytes]]:
    """The five letters the project was built from (package data)."""
    folder = resources.files("bot").joinpath("data", "letters")
    return [(name, folder.joinpath(name).read_bytes()) for name in SHIPPED]


def load_shipped(*, session: Session) -> list[LetterView]:
    """Add the shipped letters to an empty library (console demo, tests)."""
    added = []
    for name, data in shipped_letters():
        prepared = prepare(data, name)
        if _duplicate(session, prepared.sha256) is None:
            added.append(add_now(session=session, prepared=prepared, actor=None))
    return added
