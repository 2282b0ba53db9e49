"""Text of a DOCX: paragraphs with their list numbers, tables as tab-separated rows, footnotes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_CHUNK = 1024 * 1024


class DocxTooLarge(Exception):
    """A part of the DOCX decompresses to more than the limit (a zip bomb, or not a letter)."""


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes | None:
    """A part's bytes, never more than max_bytes whatever its header claims (None if absent)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > max_bytes:
        raise DocxTooLarge(name)
    out = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > max_bytes:
                raise DocxTooLarge(name)
    return bytes(out)


def _parse(raw: bytes) -> ET.Element:
    """Parse a part; DTDs (entity expansion) are refused outright."""
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise ValueError("DTD in a DOCX part")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError("malformed XML") from exc


def _attr(element: ET.Element | None, name: str) -> str | None:
    """A w: attribute of an element."""
    return None if element is None else element.get(W + name)


def _roman(n: int) -> str:
    """1 → I, 4 → IV."""
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out += letters
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    """A counter in a numbering format."""
    if fmt == "lowerLetter":
        return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
    if fmt == "upperLetter":
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26]
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    return str(n)


@dataclass
class _Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    """List definitions and the running counters of each list."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: ET.Element | None) -> Numbering:
        """From numbering.xml (empty when the document has no lists)."""
        numbering = cls()
        if root is None:
            return numbering
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iter(W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in node.iter(W + "lvl"):
                level = _Level(
                    start=int(_attr(lvl.find(W + "start"), "val") or 1),
                    fmt=_attr(lvl.find(W + "numFmt"), "val") or "decimal",
                    text=_attr(lvl.find(W + "lvlText"), "val") or "",
                )
                levels[int(_attr(lvl, "ilvl") or 0)] = level
            abstract[_attr(node, "abstractNumId") or ""] = levels
        for num in root.iter(W + "num"):
            levels = dict(abstract.get(_attr(num.find(W + "abstractNumId"), "val") or "", {}))
            for override in num.iter(W + "lvlOverride"):
                start = _attr(override.find(W + "startOverride"), "val")
                ilvl = int(_attr(override, "ilvl") or 0)
                if start is not None and ilvl in levels:
                    base = levels[ilvl]
                    levels[ilvl] = _Level(start=int(start), fmt=base.fmt, text=base.text)
            numbering.levels[_attr(num, "numId") or ""] = levels
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The next label of a list at a level ('3.', '3.1.', 'a)', '-')."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            depth = len(counters)
            counters.append((levels[depth].start if depth in levels else 1) - 1)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = (levels[deeper].start if deeper in levels else 1) - 1
        level = levels[ilvl]
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return ""
        text = level.text
        for depth in range(ilvl + 1):
            fmt = levels[depth].fmt if depth in levels else "decimal"
            text = text.replace(f"%{depth + 1}", _format(max(counters[depth], 1), fmt))
        return text


@dataclass
class _Context:
    """State while walking the document."""

    numbering: Numbering
    footnote_marks: dict[str, int] = field(default_factory=dict)  # footnote id → number shown


def _runs_text(node: ET.Element, ctx: _Context) -> Iterator[str]:
    """Text of a paragraph's content in order (deleted revisions skipped)."""
    for child in node:
        tag = child.tag
        if tag == W + "del":
            continue
        if tag == W + "t":
            yield child.text or ""
        elif tag == W + "tab":
            yield "\t"
        elif tag in (W + "br", W + "cr"):
            yield "\n"
        elif tag == W + "footnoteReference":
            ref = _attr(child, "id") or ""
            mark = ctx.footnote_marks.setdefault(ref, len(ctx.footnote_marks) + 1)
            yield str(mark).translate(SUPERSCRIPT)
        elif tag != W + "pPr":
            yield from _runs_text(child, ctx)


def _paragraph(node: ET.Element, ctx: _Context) -> str:
    """One paragraph, with its list label when Word numbers it."""
    text = "".join(_runs_text(node, ctx)).strip()
    num = node.find(f"{W}pPr/{W}numPr")
    if num is not None and text:
        label = ctx.numbering.label(
            _attr(num.find(W + "numId"), "val") or "", int(_attr(num.find(W + "ilvl"), "val") or 0)
        )
        if label:
            text = f"{label} {text}"
    return text


def _blocks(node: ET.Element, ctx: _Context) -> Iterator[str]:
    """Paragraphs and tables of a body (content controls opened)."""
    for child in node:
        if child.tag == W + "p":
            yield _paragraph(child, ctx)
        elif child.tag == W + "tbl":
            for row in child.iter(W + "tr"):
                cells = [
                    " ".join(p for p in (_paragraph(x, ctx) for x in tc.iter(W + "p")) if p)
                    for tc in row.iter(W + "tc")
                ]
                yield "\t".join(cells)
            yield ""
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
            yield from _blocks(child, ctx)


def docx_text(archive: zipfile.ZipFile, *, max_member_bytes: int) -> str:
    """The document's text; footnotes follow as '¹ text' lines (as in published letters)."""
    raw = read_member(archive, "word/document.xml", max_member_bytes)
    if raw is None:
        raise KeyError("word/document.xml")
    numbering_raw = read_member(archive, "word/numbering.xml", max_member_bytes)
    footnotes_raw = read_member(archive, "word/footnotes.xml", max_member_bytes)
    ctx = _Context(Numbering.load(_parse(numbering_raw) if numbering_raw else None))
    body = _parse(raw).find(W + "body")
    if body is None:
        raise ValueError("no body")
    paragraphs = list(_blocks(body, ctx))
    if footnotes_raw and ctx.footnote_marks:
        notes = {}
        for note in _parse(footnotes_raw).iter(W + "footnote"):
            ident = _attr(note, "id") or ""
            if ident in ctx.footnote_marks:
                text = " ".join(p for p in (_paragraph(x, ctx) for x in note.iter(W + "p")) if p)
                notes[ctx.footnote_marks[ident]] = text.strip()
        for mark in sorted(notes):
            paragraphs.append(
                f"{str(mark).translate(SUPERSCRIPT)} {notes[mark].lstrip('⁰¹²³⁴⁵⁶⁷⁸⁹ ')}"
            )
    return "\n\n".join(p for p in paragraphs)
