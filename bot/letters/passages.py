"""Split a letter's text into citable passages that follow its own structure.

A letter is: header (issuer, number, subject, date), "Kính gửi" and its addressees, the body
(opening paragraphs, numbered items with sub-items "3.1", "a)" and bullets "-", "+", closing
paragraphs), "Nơi nhận" and the signature, footnotes (at the foot of a page, so anywhere), and
an appendix ("PHỤ LỤC"). Each paragraph or bullet of the body becomes one passage labelled
with its place ("intro", "1", "3.2", "1.a", "II.2", "end"); footnotes go with the passage that
cites them; the appendix is kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.text import fold
from bot.letters.header import Header, is_date_line, parse_header

INTRO, ITEM, END, APPENDIX = "intro", "item", "end", "appendix"
MAX_PASSAGES = 2000
SHORT_WORDS = 8  # a paragraph this short belongs with the one before it
MAX_APPENDIX_CHARS = 60_000

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_FOOTNOTE_DEF = re.compile(rf"^(?:(?P<sup>[{SUPERSCRIPTS}]+)|\[\^(?P<md>\d+)\]:)\s*(?P<text>\S.*)$")
_FOOTNOTE_REF = re.compile(rf"(?<=\S)(?:(?P<sup>[{SUPERSCRIPTS}]+)|\[\^(?P<md>\d+)\](?!:))")
_TOP = re.compile(r"^(?P<n>\d{1,2})[.)](?:\s+|(?=[^\d\s]))(?P<rest>\S.*)$")
_SUB = re.compile(r"^(?P<n>\d{1,2})\.(?P<m>\d{1,2})\.?\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<l>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
_ROMAN = re.compile(
    r"^(?:(?:phần|mục|phan|muc)\s+)?(?P<r>[IVX]{1,5})\s*[.:\-–]\s*(?P<rest>\S.*)$", re.IGNORECASE
)
_BULLET = re.compile(r"^[-+•–—*]\s*(?P<rest>\S.*)$")
_CLOSING = re.compile(
    r"^(?:giao |yeu cau |nhan duoc |trong qua trinh |de nghi |"
    r"(?:ban thuong vu|ubnd|uy ban nhan dan|thuong truc)\b.{0,60}\byeu cau )"
)
_TERMINAL = (".", ";", ":", "!", "?")
_WRAPPED_TERMINAL = (".", ":", "!", "?")  # a cut line may end with ";" inside a list
_MD_NOISE = re.compile(r"<sup>.*?</sup>|\^\{[^}]*\}|\*\*|__|(?<!\w)\\(?=[*_#-])")


@dataclass(frozen=True)
class Passage:
    """One citable piece of a letter."""

    seq: int
    kind: str  # INTRO, ITEM, END or APPENDIX
    label: str  # "1", "3.2", "1.a", "II.2"; "" for intro, end and appendix
    heading: str  # the item's heading or lead-in ("Về hệ thống điều hành tác nghiệp")
    text: str
    footnotes: tuple[str, ...] = ()  # the footnotes this passage cites, with their marks


@dataclass(frozen=True)
class ParsedLetter:
    """A letter's header and passages (the appendix, if any, last)."""

    header: Header
    passages: list[Passage] = field(default_factory=list)

    @property
    def body(self) -> list[Passage]:
        """The passages questions are answered from (not the appendix)."""
        return [p for p in self.passages if p.kind != APPENDIX]

    @property
    def appendix(self) -> Passage | None:
        """The appendix, kept apart."""
        return next((p for p in self.passages if p.kind == APPENDIX), None)

    @property
    def footnote_count(self) -> int:
        """Footnotes attached to passages."""
        return len({f for p in self.passages for f in p.footnotes})


def clean_line(line: str) -> str:
    """A line without Markdown marks, HTML superscripts or runs of spaces."""
    line = _MD_NOISE.sub("", line.replace("\u00a0", " "))
    stripped = line.strip()
    if re.fullmatch(r"[-*_=#\\ ]{3,}|\\?\*", stripped):
        return ""
    stripped = re.sub(r"^#+\s*", "", stripped)
    stripped = re.sub(r"^(-\s*)?(kính gửi\s*:?)\s*\*", r"\1\2", stripped, flags=re.IGNORECASE)
    return re.sub(r"[ \u2009]+", " ", stripped).strip()


def _is_heading_start(line: str) -> bool:
    """A line that starts a new element (a number, a letter, a bullet, a part)."""
    return bool(
        _TOP.match(line) or _SUB.match(line) or _LETTER.match(line) or _BULLET.match(line)
    ) or bool(_ROMAN.match(line) and line.split()[0].isupper())


def _regions(lines: list[str]) -> tuple[int, int, int]:
    """(body start, body end, appendix start) as line indexes."""
    folded = [fold(line) for line in lines]
    greeting = next((i for i, f in enumerate(folded) if f.startswith("kinh gui")), None)
    appendix = next(
        (
            i
            for i, line in enumerate(lines)
            if folded[i].startswith("phu luc") and line.upper() == line and i > (greeting or 0)
        ),
        len(lines),
    )
    start = 0
    if greeting is not None:
        start = greeting + 1
        if not re.search(r"kinh gui\s+\S", folded[greeting]):  # addressees on the lines below
            while start < len(lines) and (not lines[start] or _BULLET.match(lines[start])):
                start += 1
    else:
        dated = next((i for i, line in enumerate(lines[:40]) if is_date_line(line)), None)
        start = dated + 1 if dated is not None else 0
    end = next((i for i in range(start, appendix) if folded[i].startswith("noi nhan")), None)
    if end is None:  # no "Nơi nhận": the signature's "T/M …", "TM. …", "KT. …" ends the body
        end = next(
            (
                i
                for i in range(start, appendix)
                if folded[i].startswith(("t m ", "tm ", "kt "))
                and lines[i].upper() == lines[i]
                and len(lines[i]) < 60
            ),
            appendix,
        )
    return start, end, appendix


def _paragraph_breaks(lines: Sequence[str]) -> list[str]:
    """Text with no blank lines (a PDF's): a short line ending a sentence ends a paragraph."""
    filled = [line for line in lines if line]
    if len(filled) < 8 or len(filled) < len(lines) * 0.9:
        return list(lines)
    widths = sorted(len(line) for line in filled)
    full = widths[int(len(widths) * 0.75)]
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line.endswith((".", ":", "!", "?")) and len(line) < 0.8 * full:
            out.append("")
    return out


def _blocks(lines: Sequence[str]) -> list[str]:
    """Paragraphs: blank-line separated, each new number or bullet starting its own."""
    blocks: list[str] = []
    current: list[str] = []
    for line in _paragraph_breaks(lines):
        if not line:
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        if current and _is_heading_start(line):
            blocks.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        blocks.append(" ".join(current))
    return blocks


def _hard_wrapped(blocks: Sequence[str]) -> bool:
    """Text broken at a fixed width (a PDF's lines): most paragraphs are short."""
    if len(blocks) < 6:
        return False
    lengths = sorted(len(b) for b in blocks)
    return lengths[len(lengths) // 2] < 100 and lengths[int(len(lengths) * 0.9)] < 130


def _rejoin(blocks: Sequence[str], wrapped: bool) -> list[str]:
    """Glue back paragraphs a page break or a line width cut in two."""
    out: list[str] = []
    for block in blocks:
        if out and not _is_heading_start(block):
            previous = out[-1]
            ends = previous.endswith(_WRAPPED_TERMINAL if wrapped else _TERMINAL) or (
                previous.startswith("(") and previous.endswith(")")
            )
            starts_lower = block[:1].islower() or block[:1] == "("
            if not ends and (starts_lower or wrapped):
                out[-1] = f"{previous} {block}"
                continue
        elif out and wrapped and block[:1] in "–—" and not out[-1].endswith(_WRAPPED_TERMINAL):
            out[-1] = f"{out[-1]} {block}"  # "Tài nguyên" / "– Môi trường": a cut, not a bullet
            continue
        out.append(block)
    return out


def _footnotes(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Lines without footnote definitions, and the definitions by mark ('2' → text)."""
    kept: list[str] = []
    notes: dict[str, str] = {}
    last: str | None = None
    for line in lines:
        match = _FOOTNOTE_DEF.match(line)
        if match:
            mark = (match.group("sup") or "").translate(_SUP_TO_DIGIT) or match.group("md")
            notes[mark] = match.group("text").strip()
            last = mark
            continue
        if last is not None and line and not _is_heading_start(line) and line[:1].islower():
            notes[last] += " " + line  # a footnote's second line
            continue
        last = None
        kept.append(line)
    return kept, notes


def footnote_marks(text: str) -> list[str]:
    """The footnote marks a text cites, in order ('người khác²' → ['2'])."""
    marks = []
    for match in _FOOTNOTE_REF.finditer(text):
        mark = (match.group("sup") or "").translate(_SUP_TO_DIGIT) or match.group("md")
        if mark not in marks:
            marks.append(mark)
    return marks


@dataclass
class _State:
    """Where the walk through the body is."""

    part: str = ""
    part_heading: str = ""
    top: int = 0
    sub: int = 0
    letter: str = ""
    heading: str = ""
    lead: str = ""  # a numbered item's lead-in ("3.1 Kết quả … từ ngày …:")
    sublead: str = ""  # a bullet's lead-in ("- Khối các phòng chuyên môn:")
    phase: str = INTRO

    @property
    def label(self) -> str:
        """The current place as a label."""
        if self.phase != ITEM:
            return ""
        label = str(self.top) if self.top else ""
        if self.sub:
            label += f".{self.sub}"
        if self.letter:
            label += f".{self.letter}"
        return f"{self.part}.{label}" if self.part and label else (label or self.part)


def _is_heading(rest: str, followed: bool) -> bool:
    """A short title of an item ('Về công tác lãnh đạo, chỉ đạo') or a lead-in ending ':',
    when content follows it."""
    if not followed:
        return False
    return rest.endswith(":") or (len(rest.split()) <= 20 and not rest.endswith((".", ";")))


def _step(state: _State, block: str, following: str | None) -> str | None:
    """Move the state past a numbered or bulleted start; return the block's own text (None:
    a heading only)."""
    top = _TOP.match(following or "") or _ROMAN.match(following or "")
    if (m := _ROMAN.match(block)) and block.split()[0].isupper():
        state.part, state.top, state.sub, state.letter = m.group("r").upper(), 0, 0, ""
        state.phase, state.part_heading = ITEM, m.group("rest").rstrip(":")
        state.heading = state.lead = state.sublead = ""
        return None if _is_heading(m.group("rest"), following is not None) else m.group("rest")
    if (m := _SUB.match(block)) and int(m.group("n")) == state.top:
        state.sub, state.letter, state.lead, state.sublead = int(m.group("m")), "", "", ""
        followed = following is not None and not top and not _SUB.match(following)
    elif (m := _TOP.match(block)) and (
        int(m.group("n")) == state.top + 1 or (int(m.group("n")) == 1 and state.top == 0)
    ):
        state.top, state.sub, state.letter = int(m.group("n")), 0, ""
        state.lead = state.sublead = ""
        state.phase, state.heading = ITEM, ""
        rest = m.group("rest")
        if _is_heading(rest, following is not None and not top):
            state.heading = rest.rstrip(":")
            return None
        return rest
    elif (m := _LETTER.match(block)) and state.top:
        state.letter, state.lead, state.sublead = m.group("l"), "", ""
        followed = following is not None and not top and not _LETTER.match(following)
    elif m := _BULLET.match(block):
        rest = m.group("rest")
        followed = following is not None and not top and bool(_BULLET.match(following))
        if rest.endswith(":") and len(rest.split()) <= 20 and followed:
            state.sublead = rest.rstrip(":")
            return None
        return rest
    else:
        if block.endswith(":") and len(block.split()) <= 30 and _BULLET.match(following or ""):
            state.lead, state.sublead = block.rstrip(":"), ""
            return None
        return block
    rest = m.group("rest")
    if rest.endswith(":") and len(rest.split()) <= 30 and followed:
        state.lead = rest.rstrip(":")
        return None
    return rest


def _body_passages(blocks: Sequence[str], notes: dict[str, str]) -> list[Passage]:
    """Walk the body's paragraphs and label each."""
    state = _State()
    passages: list[Passage] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if state.phase == ITEM and not _is_heading_start(block) and _CLOSING.match(fold(block)):
            state.phase, state.heading, state.lead, state.sublead = END, "", "", ""
            state.part_heading = ""
        elif state.phase == END and (m := _TOP.match(block)) and int(m.group("n")) == state.top + 1:
            state.phase = ITEM  # a numbered item after all: the closing-like paragraph was not
        text = block if state.phase == END else _step(state, block, following)
        if text is None:
            continue
        parts = (state.part_heading, state.heading, state.lead, state.sublead)
        heading = " — ".join(h for h in parts if h)
        previous = passages[-1] if passages else None
        if (
            previous is not None
            and len(text.split()) <= SHORT_WORDS
            and (previous.kind, previous.label) == (state.phase, state.label)
            and not _BULLET.match(block)
        ):  # "Hoàn thành trước ngày 25/6/2026.": the end of the paragraph before
            text = f"{previous.text} {text}"
            passages.pop()
        marks = footnote_marks(text)
        passages.append(
            Passage(
                seq=len(passages) + 1,
                kind=state.phase,
                label=state.label,
                heading=heading[:500],
                text=text,
                footnotes=tuple(f"{m}. {notes[m]}" for m in marks if m in notes),
            )
        )
        if len(passages) >= MAX_PASSAGES:
            break
    return passages


def split_letter(text: str) -> ParsedLetter:
    """Header and passages of a letter's text."""
    lines = [clean_line(line) for line in text.splitlines()]
    lines, notes = _footnotes(lines)
    start, end, appendix = _regions(lines)
    header = parse_header(lines[:start], lines[end:appendix])
    raw_blocks = _blocks(lines[start:end])
    blocks = _rejoin(raw_blocks, _hard_wrapped(raw_blocks))
    passages = _body_passages(blocks, notes)
    appendix_lines = [line for line in lines[appendix:] if line]
    if appendix_lines:
        table = "\n".join(appendix_lines)[:MAX_APPENDIX_CHARS]
        passages.append(
            Passage(
                seq=len(passages) + 1,
                kind=APPENDIX,
                label="",
                heading=" ".join(appendix_lines[1:3])[:500],
                text=table,
            )
        )
    return ParsedLetter(header=header, passages=passages)
