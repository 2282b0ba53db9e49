"""Directive letters (issue 16): letters, their citable passages, deadlines' bases."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Text, UniqueConstraint
from sqlmodel import Field

from bot.core.models.base import Table, _ts


class LetterStatus(StrEnum):
    """Where a letter stands in the library."""

    PENDING = "pending"  # read and previewed, waiting for the secretariat's confirmation
    ACTIVE = "active"  # answers questions
    RETIRED = "retired"  # kept for citations (deadlines that link it), not searched


class Letter(Table, table=True):
    """A directive letter: its identity as cited ("Công văn số 484-CV/TU ngày 21/5/2026 …")."""

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default=LetterStatus.PENDING.value, max_length=16, index=True)
    token: str | None = Field(default=None, max_length=32, unique=True)  # preview buttons
    kind: str = Field(default="cv", max_length=8)  # cv, hd, kh… (bot.letters.header.KINDS)
    number: str = Field(default="", max_length=64)  # "484-CV/TU"; "…-CV/TU" if blank
    issued_on: dt.date | None = None
    date_precision: str = Field(default="", max_length=8)  # day, month, year or ""
    issuer: str = Field(default="", max_length=255)
    title: str = Field(default="", max_length=500)
    filename: str = Field(default="", max_length=255)
    sha256: str = Field(max_length=64, index=True)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: dt.datetime = _ts()
    updated_at: dt.datetime = _ts()
    expires_at: dt.datetime | None = _ts(nullable=True, default=False)
    retired_at: dt.datetime | None = _ts(nullable=True, default=False)
    retired_by: int | None = Field(default=None, sa_type=BigInteger)


class LetterPassage(Table, table=True):
    """A citable piece of a letter: an item, a paragraph of it, an opening or closing
    paragraph, or the appendix (kept apart: not searched)."""

    __table_args__ = (UniqueConstraint("letter_id", "seq", name="uq_letter_passage"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    seq: int
    kind: str = Field(max_length=16)  # intro, item, end, appendix
    label: str = Field(default="", max_length=32)  # "1", "3.2", "1.a", "II.2"
    heading: str = Field(default="", sa_type=Text)
    text: str = Field(sa_type=Text)
    footnotes: list[str] = Field(default_factory=list, sa_type=JSON)


class DeadlineBasis(Table, table=True):
    """The letter passage a deadline carries out (its reminders cite it)."""

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", unique=True)
    passage_id: int = Field(foreign_key="letterpassage.id", index=True)
    linked_by: int | None = Field(default=None, sa_type=BigInteger)
    linked_at: dt.datetime = _ts()
