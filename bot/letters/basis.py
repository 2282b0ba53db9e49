"""The letter passage a push rests on: a deadline's, and the low-rate warning's.

Groundwork for pushes that cite their basis: a deadline may be linked to a passage by the
secretariat (DeadlineBasis); otherwise the templates and the warning rule find theirs in the
library by what the passage must say (the 26/6 explanation report below 80 %, 100 % by 30/6).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.core import audit
from bot.core.models import Deadline, DeadlineBasis, Letter, LetterPassage, LetterStatus, utcnow
from bot.letters import texts
from bot.letters.answers import Library
from bot.letters.search import LetterIndex
from bot.letters.service import LetterError, SourcePassage

logger = logging.getLogger(__name__)

LOW_RATE_RULE = "low_rate"


@dataclass(frozen=True)
class Rule:
    """How to find a rule's passage: what to search for, and what the passage must say."""

    query: str
    must: tuple[str, ...]


RULES = {
    "report80": Rule(
        "đảng ủy có tỷ lệ ký số dưới 80% xây dựng báo cáo giải trình nguyên nhân trách nhiệm "
        "giải pháp gửi Văn phòng Tỉnh ủy trước ngày",
        ("80%", "giải trình"),
    ),
    "sign100": Rule(
        "bảo đảm 100% văn bản điện tử được ký số theo đúng quy định hoàn thành trước ngày",
        ("100%",),
    ),
    LOW_RATE_RULE: Rule(
        "tỷ lệ ký số văn bản điện tử dưới 80% báo cáo giải trình rõ nguyên nhân trách nhiệm "
        "và giải pháp khắc phục",
        ("80%",),
    ),
}


@dataclass(frozen=True)
class Basis:
    """A passage and its letter."""

    letter: Letter
    passage: LetterPassage

    def citation(self) -> str:
        """'Công văn số …-CV/TU tháng 06/2026 của Ban Thường vụ Tỉnh ủy Hưng Yên, mục 3'
        in the current language (plain text: escape it for HTML)."""
        return texts.citation(self.letter, self.passage)


def _mentions(text: str, needle: str) -> bool:
    """Whether a passage says something ('80%', '26/6'), spacing aside."""
    return needle.replace(" ", "") in re.sub(r"\s+", "", text)


def rule_basis(
    *, session: Session, library: Library, rule: str, due: dt.date | None = None
) -> Basis | None:
    """The active passage that sets a rule ('report80', 'sign100', 'low_rate'); with `due`,
    it must also name that day ('26/6'). None when the library has no such passage.
    Remembered until the library changes (pushes and /tyle ask often)."""
    wanted = RULES.get(rule)
    if wanted is None:
        return None

    def find(index: LetterIndex, sources: Mapping[int, SourcePassage]) -> Basis | None:
        needles = [*wanted.must, *([f"{due.day}/{due.month}"] if due is not None else [])]
        for hit in index.search(wanted.query, limit=5):
            source = sources[hit.key]
            if all(_mentions(source.passage.text, n) for n in needles):
                return Basis(source.letter, source.passage)
        return None

    found = library.remembered(session, ("rule", rule, due), find)
    return found if isinstance(found, Basis) else None


def deadline_basis(
    *,
    session: Session,
    library: Library,
    deadline_id: int,
    template: str | None = None,
    due: dt.date | None = None,
) -> Basis | None:
    """What a deadline carries out: the passage it was linked to, else its template's rule."""
    link = session.exec(
        select(DeadlineBasis).where(DeadlineBasis.deadline_id == deadline_id)
    ).first()
    if link is not None:
        passage = session.get(LetterPassage, link.passage_id)
        letter = session.get(Letter, passage.letter_id) if passage is not None else None
        if passage is not None and letter is not None:
            return Basis(letter, passage)
    if not template:
        return None
    # The template's own day first ('26/6'); a postponed deadline still rests on its rule.
    found = rule_basis(session=session, library=library, rule=template, due=due)
    if found is None and due is not None:
        found = rule_basis(session=session, library=library, rule=template)
    return found


def find_passage(*, session: Session, letter_id: int, label: str) -> LetterPassage | None:
    """The first passage of a letter's item ('3', '3.2') or part ('intro', 'end')."""
    letter = session.get(Letter, letter_id)
    if letter is None or letter.status == LetterStatus.PENDING.value:
        raise LetterError("not_found", id=letter_id)
    kind_filter = {"intro": "intro", "end": "end"}.get(label)
    stmt = select(LetterPassage).where(LetterPassage.letter_id == letter_id)
    if kind_filter:
        stmt = stmt.where(LetterPassage.kind == kind_filter)
    else:
        stmt = stmt.where(LetterPassage.kind == "item", LetterPassage.label == label)
    return session.exec(stmt.order_by(col(LetterPassage.seq))).first()


def link_item(
    *, session: Session, deadline_id: int, letter_id: int, label: str, actor: int | None
) -> Basis:
    """Link a deadline to a letter's item ('3.2', 'intro', 'end'): checked, audited."""
    if session.get(Deadline, deadline_id) is None:
        raise LetterError("no_deadline", id=deadline_id)
    passage = find_passage(session=session, letter_id=letter_id, label=label)
    letter = session.get(Letter, letter_id)
    if passage is None or passage.id is None or letter is None:
        raise LetterError("no_item", id=letter_id, item=label)
    link_deadline(session=session, deadline_id=deadline_id, passage_id=passage.id, actor=actor)
    return Basis(letter, passage)


def link_deadline(
    *, session: Session, deadline_id: int, passage_id: int, actor: int | None
) -> DeadlineBasis:
    """Record that a deadline carries out a letter's passage (replacing an earlier link)."""
    passage = session.get(LetterPassage, passage_id)
    if passage is None:
        raise LetterError("not_found", id=passage_id)
    if session.get(Deadline, deadline_id) is None:
        raise LetterError("no_deadline", id=deadline_id)
    link = session.exec(
        select(DeadlineBasis).where(DeadlineBasis.deadline_id == deadline_id)
    ).first()
    if link is None:
        link = DeadlineBasis(deadline_id=deadline_id, passage_id=passage_id)
    link.passage_id, link.linked_by, link.linked_at = passage_id, actor, utcnow()
    session.add(link)
    audit.record(
        session=session,
        actor=actor,
        action="letter.link",
        subject=f"deadline {deadline_id}",
        deadline_id=deadline_id,
        passage_id=passage_id,
        letter_id=passage.letter_id,
    )
    session.flush()
    return link
