"""Bounded reading of a letter file (TXT, DOCX, PDF with a text layer) into plain text."""

from __future__ import annotations

import codecs
import io
import json
import logging
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, ClassVar

from bot.core.errors import CodedError, Message
from bot.letters import texts
from bot.letters.docx import DocxTooLarge, docx_text

logger = logging.getLogger(__name__)

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".text"})
OLD_WORD_EXTENSIONS = frozenset({".doc", ".rtf", ".odt"})
_ALLOWED_CONTROL = frozenset("\t\n\r\x0b\x0c")


@dataclass(frozen=True)
class Limits:
    """What reading one letter may cost."""

    max_bytes: int = 5 * 1024 * 1024  # the file as sent
    max_member_bytes: int = 16 * 1024 * 1024  # one part of a DOCX once decompressed
    max_members: int = 2000  # parts in a DOCX
    max_pages: int = 100  # pages of a PDF
    max_chars: int = 400_000  # text extracted
    pdf_seconds: float = 20.0  # wall time of the PDF reader (a separate process)
    pdf_memory: int = 1024 * 1024 * 1024  # its address space


class LetterFileError(CodedError):
    """A letter file that cannot be read; message() says why and what to do."""

    MESSAGES: ClassVar[Mapping[str, Message]] = texts.READ_ERRORS


def kind_of(filename: str) -> str | None:
    """'docx', 'pdf' or 'txt' from the file name; None when not a letter format."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix in TEXT_EXTENSIONS:
        return "txt"
    return None


def upload_problem(filename: str, size: int | None, limits: Limits) -> LetterFileError | None:
    """Why a file is refused before it is downloaded (None: go ahead)."""
    name = PurePath(filename).name
    suffix = PurePath(filename).suffix.lower()
    if suffix in OLD_WORD_EXTENSIONS:
        return LetterFileError("old_format", name=name)
    if kind_of(filename) is None:
        return LetterFileError("unsupported", name=name)
    if size is not None and size > limits.max_bytes:
        return LetterFileError("too_large", size=size, limit=limits.max_bytes)
    return None


def read_letter(data: bytes, filename: str, limits: Limits | None = None) -> str:
    """The letter's text (paragraphs separated by blank lines where the format knows them)."""
    limits = limits or Limits()
    name = PurePath(filename).name
    if len(data) > limits.max_bytes:
        raise LetterFileError("too_large", size=len(data), limit=limits.max_bytes)
    problem = upload_problem(filename, None, limits)
    if problem is not None:
        raise problem
    if not data.strip():
        raise LetterFileError("empty", name=name)
    kind = kind_of(filename)
    if data.startswith(b"%PDF"):
        kind = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        kind = "docx"
    if kind == "docx":
        text = _read_docx(data, name, limits)
    elif kind == "pdf":
        text = _read_pdf(data, name, limits)
    else:
        text = _decode_text(data, name)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > limits.max_chars:
        raise LetterFileError("too_long", name=name, limit=limits.max_chars)
    if len(text.split()) < 20:
        raise LetterFileError("no_text" if kind == "pdf" else "empty", name=name)
    return text


def _decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; binary content refused."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LetterFileError("encoding", name=name) from None
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in text):
        raise LetterFileError("binary", name=name)
    return text


def _read_docx(data: bytes, name: str, limits: Limits) -> str:
    """A DOCX through docx_text, with its zip checked against the limits first."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise LetterFileError("corrupt", name=name) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise LetterFileError("docx_bomb", name=name)
        try:
            text = docx_text(archive, max_member_bytes=limits.max_member_bytes)
        except DocxTooLarge:
            raise LetterFileError("docx_bomb", name=name) from None
        except (KeyError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
            raise LetterFileError("corrupt", name=name) from None
    return text


def _read_pdf(data: bytes, name: str, limits: Limits) -> str:
    """Text of a PDF, extracted by a separate process with a time and memory limit."""
    request = json.dumps({"max_pages": limits.max_pages, "max_chars": limits.max_chars})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.letters.pdftext", request, str(limits.pdf_memory)],
            input=data,
            capture_output=True,
            timeout=limits.pdf_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("PDF reading timed out: %r", name)
        raise LetterFileError("timeout", name=name) from None
    try:
        answer: dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        logger.warning("PDF reader failed on %r: %s", name, done.stderr[-500:])
        raise LetterFileError("corrupt", name=name) from None
    error = answer.get("error")
    if error:
        raise LetterFileError(str(error), name=name, pages=limits.max_pages)
    return str(answer.get("text", ""))
