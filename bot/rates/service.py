"""Answers to questions asked in chat, independent of Telegram."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from bot.core import messages
from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import (
    _,
    current_language,
    fmt_number,
    fmt_percent_value,
    fmt_rate,
    ngettext,
    use_language,
)
from bot.core.links import RULE_LOW_RATE, RULE_SIGN_ALL, RuleBasis
from bot.core.lookup import UnitRef, find_units
from bot.core.people import Viewer
from bot.core.stats import Snapshot, StandingsCache, Status, build_report

logger = logging.getLogger(__name__)

# The rule each "what to do" line paraphrases (bot.core.messages.what_to_do).
_RULES = {
    Status.CRITICAL: RULE_LOW_RATE,
    Status.BELOW_WARNING: RULE_LOW_RATE,
    Status.BELOW_TARGET: RULE_SIGN_ALL,
}


@dataclass(frozen=True)
class Answer:
    """Text to reply with and, optionally, units to choose from."""

    text: str
    choices: list[UnitRef] = field(default_factory=list)


def rate_answer(
    *,
    session: Session,
    standings: StandingsCache,
    viewer: Viewer,
    query: str = "",
    indicator_code: str = SIGNING_INDICATOR,
    basis: RuleBasis | None = None,
) -> Answer:
    """Rate of the viewer's unit, or (secretariat) of the unit named in `query`; its "what to
    do" line cites the letter `basis` finds for the rule it paraphrases."""
    query = query.strip()
    if query and viewer.is_secretariat:
        matches = find_units(session=session, query=query)
        if not matches:
            return Answer(messages.no_unit_found(query))
        if matches.unique is None:
            text = messages.did_you_mean() if matches.fuzzy else messages.choose_unit(len(matches))
            return Answer(text, list(matches))
        return unit_rate_answer(
            session=session,
            standings=standings,
            viewer=viewer,
            unit_id=matches.unique.id,
            unit_name=matches.unique.name,
            indicator_code=indicator_code,
            basis=basis,
        )
    if viewer.unit_id is None:
        if viewer.is_secretariat:
            return Answer(overview(session=session, standings=standings, viewer=viewer))
        return Answer(messages.not_linked(viewer.telegram_id))
    answer = unit_rate_answer(
        session=session,
        standings=standings,
        viewer=viewer,
        unit_id=viewer.unit_id,
        unit_name=viewer.unit_name or "",
        indicator_code=indicator_code,
        basis=basis,
    )
    if query:
        return Answer(messages.only_own_unit() + "\n\n" + answer.text)
    return answer


def cached_answer(
    *,
    standings: StandingsCache,
    viewer: Viewer,
    query: str = "",
    indicator_code: str = SIGNING_INDICATOR,
) -> Answer | None:
    """`rate_answer` from the cached standings alone, without the database; None when the
    answer needs it (a unit search, the overview, standings to rebuild after a change)."""
    query = query.strip()
    if viewer.unit_id is None or (query and viewer.is_secretariat):
        return None
    snapshot = standings.cached(indicator_code=indicator_code, revision=viewer.revision)
    if snapshot is None:
        return None
    answer = _report_answer(snapshot, viewer.unit_id, viewer.unit_name or "")
    if answer is None:
        return None  # its citation line is not known at this revision yet: it needs the database
    if query:
        return Answer(messages.only_own_unit() + "\n\n" + answer.text)
    return answer


def unit_rate_answer(
    *,
    session: Session,
    standings: StandingsCache,
    viewer: Viewer,
    unit_id: int,
    unit_name: str,
    indicator_code: str = SIGNING_INDICATOR,
    basis: RuleBasis | None = None,
) -> Answer:
    """Rate report for one unit; only the secretariat may ask about a unit not their own."""
    if unit_id != viewer.unit_id and not viewer.is_secretariat:
        return Answer(messages.only_own_unit())
    snapshot = standings.get(
        session=session, indicator_code=indicator_code, revision=viewer.revision
    )
    if snapshot is None:
        return Answer(messages.no_data())
    answer = _report_answer(snapshot, unit_id, unit_name, session=session, basis=basis)
    assert answer is not None  # with a session every citation can be looked up
    return answer


def _report_answer(
    snapshot: Snapshot,
    unit_id: int,
    unit_name: str,
    *,
    session: Session | None = None,
    basis: RuleBasis | None = None,
) -> Answer | None:
    """A unit's report in the current language, kept with the snapshot (bounded) once rendered;
    its "what to do" line cites the letter for its rule, looked up once per revision and
    language. None without a session when that citation was not looked up yet."""
    if snapshot.latest is None:
        return Answer(messages.no_data())
    language = current_language()
    key = (unit_id, language)
    text = snapshot.rendered.get(key)
    if text is None:
        report = build_report(snapshot, unit_id)
        if report is None:
            return Answer(messages.no_figures_for_unit(unit_name))
        # Same figures, same language, same revision: same text (a change to the letters
        # library bumps the revision too, so the citation stays current).
        rule = _RULES.get(report.status)
        cite = snapshot.notes.get((rule, language), None) if rule else ""
        if cite is None:
            if session is None or rule is None:
                return None
            cite = snapshot.notes.setdefault((rule, language), _basis_line(session, basis, rule))
        text = snapshot.rendered.put(key, messages.rate_report(report) + cite)
    return Answer(text)


def cite_rules(
    *, session: Session, snapshot: Snapshot, basis: RuleBasis, languages: Iterable[str]
) -> None:
    """Look up the citation line of every rule a report may paraphrase, in each language, and
    keep it with the snapshot (start-up does it in a worker thread): the first /tyle after a
    restart is then answered on the event loop, without the database or the letters' index."""
    for language in languages:
        with use_language(language):
            for rule in set(_RULES.values()):
                snapshot.notes.setdefault((rule, language), _basis_line(session, basis, rule))


def _basis_line(session: Session, basis: RuleBasis | None, rule: str) -> str:
    """'\n📜 Căn cứ: …' for the rule the "what to do" line paraphrases ('' without a letter)."""
    cited = basis(session=session, rule=rule) if basis is not None else None
    return "\n" + messages.basis_line(cited.citation()) if cited is not None else ""


def overview(
    *,
    session: Session,
    standings: StandingsCache,
    viewer: Viewer,
    indicator_code: str = SIGNING_INDICATOR,
) -> str:
    """One-paragraph picture of the latest period, for the secretariat."""
    snapshot = standings.get(
        session=session, indicator_code=indicator_code, revision=viewer.revision
    )
    if snapshot is None or snapshot.latest is None:
        return messages.no_data()
    table = snapshot.latest
    ind = table.indicator
    at_target = table.count(Status.AT_TARGET)
    below = table.below_warning()
    critical = table.count(Status.CRITICAL)
    text = "\n".join(
        [
            "📊 <b>" + messages.indicator_name(ind.code, ind.name) + "</b>",
            _("Period: {period}").format(period=messages.period_text(table.period)),
            _("Overall: <b>{rate}</b> ({signed}/{total})").format(
                rate=fmt_rate(table.numerator, table.denominator),
                signed=fmt_number(table.numerator),
                total=messages.items(ind.item_kind, table.denominator),
            ),
            ngettext("{n} unit in the table", "{n} units in the table", len(table.by_unit)).format(
                n=fmt_number(len(table.by_unit))
            ),
            "🟢 "
            + ngettext(
                "{n} unit at the target of {target}",
                "{n} units at the target of {target}",
                at_target,
            ).format(n=fmt_number(at_target), target=fmt_percent_value(ind.target_percent)),
            "🟠 "
            + ngettext(
                "{n} unit below the warning threshold of {warning}",
                "{n} units below the warning threshold of {warning}",
                below,
            ).format(n=fmt_number(below), warning=fmt_percent_value(ind.warning_percent)),
            "🔴 "
            + ngettext(
                "{n} unit below the critical threshold of {critical}",
                "{n} units below the critical threshold of {critical}",
                critical,
            ).format(n=fmt_number(critical), critical=fmt_percent_value(ind.critical_percent)),
            "",
            messages.unknown_user_secretariat(),
        ]
    )
    return text
