"""A letter's identity from its header: number, date, issuer, title (and its kind)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.core.text import fold

# Date precision: official letters are often published with the day (or the number) blank.
DAY, MONTH, YEAR = "day", "month", "year"

_MOTTOS = (
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap tu do hanh phuc",
    "dang cong san viet nam",
)
_ADMIN_WORDS = ("tinh", "huyen", "xa", "phuong", "thanh pho", "thi xa", "quan", "thi tran")
_ORGAN_WORDS = (
    "dang bo", "dang uy", "uy ban", "ubnd", "ban ", "so ", "van phong", "tinh uy", "huyen uy",
    "thanh uy", "hoi dong", "bo ", "cuc ", "chi bo", "trung tam",
)  # fmt: skip
# The kind of a document from its number's symbol ("484-CV/TU" → CV), Vietnamese names.
KINDS = {
    "cv": "công văn", "hd": "hướng dẫn", "kh": "kế hoạch", "tb": "thông báo", "qd": "quyết định",
    "ct": "chỉ thị", "nq": "nghị quyết", "bc": "báo cáo", "qđ": "quyết định",
}  # fmt: skip
DEFAULT_KIND = "cv"
_NUMBER = re.compile(r"^\s*s[ốô]\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_TITLE = re.compile(r"^\s*(?:v/v|về việc)\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_DATE = re.compile(
    r"^(?P<place>[a-z][a-z ]{1,40}?) ngay (?:(?P<d>\d{1,2}) )?thang (?:(?P<m>\d{1,2}) )?"
    r"nam (?P<y>\d{4})\b"
)
_SIGNER_ORGAN = re.compile(r"^\s*(?:t/?m|tm)\s*\.?\s+(?P<organ>.+)$", re.IGNORECASE)
_SYMBOL_ORGANS = {"tu": "Tỉnh ủy", "hu": "Huyện ủy", "tu.": "Tỉnh ủy", "đu": "Đảng ủy"}


@dataclass(frozen=True)
class Header:
    """What the header says; blank fields are left for the secretariat to fill in."""

    number: str = ""  # "484-CV/TU"; "…-CV/TU" when the number itself was left blank
    kind: str = DEFAULT_KIND  # key of KINDS
    issued_on: dt.date | None = None  # the first of the month/year when less is known
    precision: str = ""  # DAY, MONTH, YEAR or "" (no date)
    issuer: str = ""  # "Tỉnh ủy Hưng Yên"
    title: str = ""  # what the letter is about, after "V/v"
    place: str = ""  # "Hưng Yên", from the date line


def is_motto(line: str) -> bool:
    """The national or party motto lines of the header."""
    folded = fold(line)
    return any(folded.startswith(m) for m in _MOTTOS)


def is_date_line(line: str) -> bool:
    """'Hưng Yên, ngày 21 tháng 5 năm 2026'."""
    return _DATE.match(fold(line)) is not None


def _is_upper(line: str) -> bool:
    """An all-capitals line with letters in it."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def body_name(upper: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP' → 'Ủy ban nhân dân tỉnh Đồng Tháp'."""
    words = upper.lower().split()
    if not words:
        return ""
    folded = [fold(w) for w in words]
    last_admin = -1
    for i, word in enumerate(folded):
        if word in ("tinh", "huyen", "xa", "phuong", "quan") or (
            i + 1 < len(folded) and f"{word} {folded[i + 1]}" in ("thanh pho", "thi xa", "thi tran")
        ):
            last_admin = i
    out = []
    for i, word in enumerate(words):
        proper = i > last_admin >= 0 and folded[i] != "uy"  # "Tỉnh ủy Hưng Yên"
        if i == 0 or proper:
            word = word[:1].upper() + word[1:]
        if folded[i] in ("ubnd", "hdnd"):
            word = word.upper()
        out.append(word)
    return " ".join(out)


def _normalise_number(value: str) -> str:
    """'484 -CV/TU' → '484-CV/TU'; '/UBND-KGVX' → '…/UBND-KGVX' (number left blank)."""
    value = re.sub(r"\s+", "", value).strip("*_:")
    if not value:
        return ""
    if value[0] in "-/":
        value = "…" + value
    return value[:64]


def kind_from_number(number: str) -> str:
    """'484-CV/TU' → 'cv'; a state letter ('…/UBND-KGVX') is a công văn too."""
    match = re.search(r"-([A-Za-zĐđ]{2,4})/", number)
    if match:
        code = match.group(1).lower()
        return code if code in KINDS else DEFAULT_KIND
    return DEFAULT_KIND


def _issuer_from_lines(lines: Sequence[str]) -> str:
    """The issuing body from the capitalised lines at the top (the last body named)."""
    organ: list[str] = []
    for line in lines:
        text = line.strip(" *#-")
        if not text or is_motto(text) or not _is_upper(text):
            continue
        folded = fold(text)
        joined = fold(" ".join(organ))
        has_admin = any(f" {w} " in f" {joined} " for w in _ADMIN_WORDS)
        starts_admin = any(folded.startswith(w + " ") for w in _ADMIN_WORDS)
        starts_organ = any(folded.startswith(w) for w in _ORGAN_WORDS)
        if organ and starts_admin and not has_admin:
            organ.append(text)
        elif organ and not starts_organ and not starts_admin:
            organ.append(text)
        else:
            organ = [text]
    return body_name(" ".join(organ)) if organ else ""


def _issuer_from_signature(signature: Sequence[str], number: str, place: str) -> str:
    """'T/M BAN THƯỜNG VỤ' + '-CV/TU' + 'Hưng Yên' → 'Ban Thường vụ Tỉnh ủy Hưng Yên'."""
    organ = ""
    for line in signature:
        match = _SIGNER_ORGAN.match(line.strip(" *"))
        if match:
            organ = match.group("organ").strip(" *")
            break
    symbol = number.rsplit("/", 1)[-1].lower() if "/" in number else ""
    parent = _SYMBOL_ORGANS.get(symbol)
    if not organ or not parent or not place:
        return ""
    name = organ[:1].upper() + organ[1:].lower()
    if fold(name) == "ban thuong vu":
        name = "Ban Thường vụ"
    return f"{name} {parent} {place}"


def _ends_title(line: str, lines_so_far: int) -> bool:
    """A line that cannot continue the subject line ("V/v …")."""
    return (
        lines_so_far >= 5
        or is_motto(line)
        or is_date_line(line)
        or _NUMBER.match(line) is not None
        or fold(line).startswith("kinh gui")
        or line.lstrip().startswith(("-", "#"))
        or _is_upper(line)
    )


def parse_header(lines: Sequence[str], signature: Sequence[str] = ()) -> Header:
    """Read the header lines (before 'Kính gửi'); the signature helps when the issuer is blank."""
    header = Header()
    top: list[str] = []
    title: list[str] | None = None  # collecting the subject's lines
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if title is not None:
            if not _ends_title(line, len(title)):
                title.append(line)
                continue
            header = replace(header, title=" ".join(title))
            title = None
        if (match := _NUMBER.match(line)) and not header.number:
            header = replace(header, number=_normalise_number(match.group("value")))
        elif (match := _TITLE.match(line)) and not header.title:
            first = match.group("value").strip()
            title = [first] if first else []
        elif (match := _DATE.match(fold(line))) and not header.precision:
            header = replace(header, **_date_fields(match, line))
        elif not header.number and not header.title:
            top.append(line)
    if title:
        header = replace(header, title=" ".join(title))
    subject = re.sub(r"\s+", " ", header.title).strip(" *")
    issuer = _issuer_from_lines(top) or _issuer_from_signature(
        signature, header.number, header.place
    )
    return replace(
        header, title=subject[:500], issuer=issuer[:255], kind=kind_from_number(header.number)
    )


def _date_fields(match: re.Match[str], line: str) -> dict[str, Any]:
    """issued_on, precision and place from a matched date line."""
    place = line.split(",", 1)[0].strip(" *#")
    year = int(match.group("y"))
    month = int(match.group("m")) if match.group("m") else None
    day = int(match.group("d")) if match.group("d") else None
    try:
        if day and month:
            return {"issued_on": dt.date(year, month, day), "precision": DAY, "place": place}
        if month:
            return {"issued_on": dt.date(year, month, 1), "precision": MONTH, "place": place}
        return {"issued_on": dt.date(year, 1, 1), "precision": YEAR, "place": place}
    except ValueError:
        return {"place": place}


def parse_date_input(text: str) -> tuple[dt.date, str] | None:
    """A date typed by the secretariat: '21/5/2026', '5/2026' or '2026' (None if not one)."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), DAY
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text):
            return dt.date(int(m.group(2)), int(m.group(1)), 1), MONTH
        if m := re.fullmatch(r"(\d{4})", text):
            return dt.date(int(m.group(1)), 1, 1), YEAR
    except ValueError:
        return None
    return None
