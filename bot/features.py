"""The composition of the domain: every feature that links to another, and how.

No feature imports another. The app factory (bot/app.py), the command line (bot/cli.py) and
the console demo get the links between features from `links()` and hand them down as
callables; a reader of this module sees every such link in one place.

The features' command-line modules are named here, not imported: `python -m bot run` (and the
console) never loads them; `python -m bot units …` loads the units one only. Likewise each link
imports the module it calls at its first call (an import, a push, a citation), not at start-up:
the first `/tyle` needs none of them (tests/test_startup_imports.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.links import Cited, Imported, Inhibitor, Links, Sheet, Subcommands
from bot.core.stats import PeriodInfo

if TYPE_CHECKING:
    from bot.dashboard.sources import Sources
    from bot.letters.answers import Library


# The links below import their feature's module inside the call: a feature's code loads when it
# is first used, not when the bot starts (start-up's first answer needs none of them).


def units_with_open_reminder(
    *, session: Session, indicator_id: int, unit_ids: Iterable[int], now: dt.datetime
) -> set[int]:
    """Units owing an open deadline (bot.deadlines.reminders), loaded on first use."""
    from bot.deadlines import reminders  # on first use (see above)

    return reminders.units_with_open_reminder(
        session=session, indicator_id=indicator_id, unit_ids=unit_ids, now=now
    )


def deadlines_after_import(*, session: Session, imported: Imported) -> None:
    """Rate deadlines reached by an import (bot.deadlines.lifecycle), loaded on first use."""
    from bot.deadlines import lifecycle  # on first use (see above)

    lifecycle.after_import(session=session, imported=imported)


def warnings_after_import(
    *,
    session: Session,
    imported: Imported,
    inhibitors: tuple[Inhibitor, ...],
    default_language: str,
    letters: LettersLink,
) -> None:
    """The warnings evaluated after an import (bot.alerts.evaluate), loaded on first use."""
    from bot.alerts import evaluate  # on first use (see above)

    evaluate.after_import(
        session=session,
        imported=imported,
        inhibitors=inhibitors,
        default_language=default_language,
        basis=letters.rule_basis,
    )


def warnings_note(*, session: Session, imported: Imported) -> str | None:
    """The warnings line under an import's reply (bot.alerts.texts), loaded on first use."""
    from bot.alerts import texts  # on first use (see above)

    return texts.import_summary(session=session, imported=imported)


def deadline_sheets(*, session: Session, period: PeriodInfo, tz: ZoneInfo) -> list[Sheet]:
    """The report's deadline sheets (bot.deadlines.views), loaded on first use."""
    from bot.deadlines import views  # on first use (see above)

    return views.compliance_sheets(session=session, period=period, tz=tz)


class LettersLink:
    """The letter passages pushes and answers cite: the letters' search index (and its modules)
    made at the first citation or question, then kept for every later one. The application
    makes one and hands its `library` to the questions in chat too (bot/app.py): one index per
    process, whichever path needs it first."""

    def __init__(self) -> None:
        """No index yet."""
        self._library: Library | None = None
        self._lock = threading.Lock()

    def library(self) -> Library:
        """The search index over the letters, made once (pushes cite from worker threads)."""
        with self._lock:
            if self._library is None:
                from bot.letters.answers import Library  # on first use (see above)

                self._library = Library()
            return self._library

    def rule_basis(
        self, *, session: Session, rule: str, due: dt.date | None = None
    ) -> Cited | None:
        """The passage that sets a rule (bot.letters.basis.rule_basis)."""
        from bot.letters import basis  # on first use (see above)

        return basis.rule_basis(session=session, library=self.library(), rule=rule, due=due)

    def deadline_basis(
        self,
        *,
        session: Session,
        deadline_id: int,
        template: str | None = None,
        due: dt.date | None = None,
    ) -> Cited | None:
        """The passage a deadline carries out (bot.letters.basis.deadline_basis)."""
        from bot.letters import basis  # on first use (see above)

        return basis.deadline_basis(
            session=session,
            library=self.library(),
            deadline_id=deadline_id,
            template=template,
            due=due,
        )


def links(
    *,
    default_language: str,
    inhibitors: tuple[Inhibitor, ...] | None = None,
    letters: LettersLink | None = None,
) -> Links:
    """Every link between features, as callables (`inhibitors` replaces the usual ones);
    `default_language` (DEFAULT_LANGUAGE) is for pushes to people who never chose one;
    `letters`: the letters' index the caller also answers questions from (bot/app.py)."""
    if inhibitors is None:
        # Units still owing an open deadline get its reminders instead of a low-rate warning.
        inhibitors = (units_with_open_reminder,)
    # Warnings, reminders and the rate answer cite the letter passage they rest on.
    letters = letters if letters is not None else LettersLink()
    return Links(
        # After an import: rate deadlines check who reached them; warnings are evaluated.
        after_import=(
            deadlines_after_import,
            functools.partial(
                warnings_after_import,
                inhibitors=inhibitors,
                default_language=default_language,
                letters=letters,
            ),
        ),
        alert_inhibitors=inhibitors,
        # The report workbook gets a sheet per open deadline (on time, late, missing).
        report_sections=(deadline_sheets,),
        # The import's reply says which warnings it queued.
        import_notes=(warnings_note,),
        rule_basis=letters.rule_basis,
        deadline_basis=letters.deadline_basis,
    )


@functools.cache
def dashboard_sources() -> Sources:
    """What the dashboard reads from the other features: made, and their modules imported, at
    the dashboard's first API call (the web server hands the dashboard this function)."""
    from bot.alerts.status import unit_history
    from bot.broadcasts import service as broadcasts
    from bot.dashboard.sources import Sources  # the dashboard's own, loaded with its server
    from bot.deadlines import explanations, texts, views
    from bot.reports import service as reports
    from bot.units.officials import unit_officials

    return Sources(
        warning_history=unit_history,
        recent_broadcasts=broadcasts.recent,
        broadcast_status=broadcasts.status,
        get_report=explanations.get_report,
        list_deadlines=views.list_deadlines,
        status_view=views.status_view,
        open_unit_deadlines=views.unit_deadlines,
        owed_text=texts.owed_text,
        time_left=texts.time_left,
        build_workbook=reports.build_report,
        unreachable_reason=reports.unreachable_reason,
        unit_officials=unit_officials,
    )


# Each feature's `python -m bot` subcommand and the module whose `add_cli(subparsers, links)`
# adds it (its parsers set run=callable(settings, args)), in the order of `--help`.
CLI: dict[str, str] = {
    "import": "bot.imports.cli",
    "invites": "bot.invites.cli",
    "audit": "bot.audit_log.cli",
    "units": "bot.units.cli",
    "report": "bot.reports.cli",
    "warnings": "bot.alerts.cli",
    "deadlines": "bot.deadlines.cli",
    "letters": "bot.letters.cli",
    "migrate": "bot.core.migrate_cli",
}


def add_cli(subparsers: Subcommands, domain: Links, *, only: str | None = None) -> None:
    """Add the features' subcommands (`only`: just that one, importing just its module)."""
    for name, module in CLI.items():
        if only is None or name == only:
            importlib.import_module(module).add_cli(subparsers, domain)
