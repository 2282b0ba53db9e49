"""How features reach each other: the shapes of the callables the composition passes around.

No feature imports another. Where one needs another (warnings after an import, a deadline
sheet in the report, open deadlines silencing warnings), the composition function in
`bot/features.py` hands it a callable of one of these shapes.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeAlias
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.stats import PeriodInfo

# The `python -m bot` subcommands a feature adds its own to.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

# A worksheet for the report: its name, header and rows (plain values; text is written as text).
Sheet = tuple[str, list[str], list[list[object]]]


@dataclass(frozen=True)
class Imported:
    """What an import stored, as other features need to know it."""

    batch_id: int
    period_id: int
    indicator_code: str


class AfterImport(Protocol):
    """Runs after an import was committed, in a short transaction of its own (read and render
    first, then write what it queues; the caller commits)."""

    def __call__(self, *, session: Session, imported: Imported) -> None:
        """React to an import."""


class Inhibitor(Protocol):
    """Units whose low-rate warnings give way to something more specific (e.g. a deadline)."""

    def __call__(
        self, *, session: Session, indicator_id: int, unit_ids: Iterable[int], now: dt.datetime
    ) -> set[int]:
        """The units among `unit_ids` not to warn now."""
        ...


class ReportSection(Protocol):
    """Extra sheets for the report workbook of a period."""

    def __call__(self, *, session: Session, period: PeriodInfo, tz: ZoneInfo) -> list[Sheet]:
        """The sheets to add."""
        ...


class ImportNote(Protocol):
    """A line for an import's reply about what another feature did with it (None: nothing)."""

    def __call__(self, *, session: Session, imported: Imported) -> str | None:
        """The line (Telegram HTML), or None."""
        ...


# The rules a push or an answer may cite (bot.letters.basis knows what each passage must say).
RULE_LOW_RATE = "low_rate"  # units below the warning threshold: explanation report (26/6)
RULE_REPORT = "report80"  # the explanation report below 80 % by 26/6 (the deadline template)
RULE_SIGN_ALL = "sign100"  # 100 % of electronic documents signed by 30/6 (the template)


class Cited(Protocol):
    """A letter's passage a push rests on."""

    def citation(self) -> str:
        """'Công văn số … của …, mục 3' in the current language (plain text)."""
        ...


class RuleBasis(Protocol):
    """The passage of the letters that sets a rule (None: no letter loaded says it)."""

    def __call__(self, *, session: Session, rule: str, due: dt.date | None = None) -> Cited | None:
        """The passage for `rule` (one of the RULE_* names); with `due`, naming that day."""
        ...


class DeadlineBasis(Protocol):
    """The passage a deadline carries out: its link, else its template's rule."""

    def __call__(
        self,
        *,
        session: Session,
        deadline_id: int,
        template: str | None = None,
        due: dt.date | None = None,
    ) -> Cited | None:
        """The passage, or None (no letter linked or loaded)."""
        ...


@dataclass(frozen=True)
class Links:
    """Every link between features, as callables (built by bot.features.links)."""

    after_import: tuple[AfterImport, ...] = ()
    alert_inhibitors: tuple[Inhibitor, ...] = ()
    report_sections: tuple[ReportSection, ...] = ()
    import_notes: tuple[ImportNote, ...] = ()
    # The letters pushes and answers cite (None: they cite nothing).
    rule_basis: RuleBasis | None = None
    deadline_basis: DeadlineBasis | None = None
