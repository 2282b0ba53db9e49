"""The composition of the domain: every feature that links to another, and how.

No feature imports another. The app factory (bot/app.py), the command line (bot/cli.py) and
the console demo get the links between features from `links()` and hand them down as
callables; a reader of this module sees every such link in one place.

The features' command-line modules are named here, not imported: `python -m bot run` (and the
console) never loads them; `python -m bot units …` loads the units one only.
"""

from __future__ import annotations

import functools
import importlib

from bot.alerts import evaluate as alerts
from bot.alerts import status as alerts_status
from bot.alerts.texts import import_summary
from bot.broadcasts import service as broadcasts
from bot.core.links import Inhibitor, Links, Subcommands
from bot.dashboard.sources import Sources
from bot.deadlines import explanations as deadline_explanations
from bot.deadlines import lifecycle as deadline_lifecycle
from bot.deadlines import reminders as deadline_reminders
from bot.deadlines import texts as deadline_texts
from bot.deadlines import views as deadline_views
from bot.letters import basis as letters_basis
from bot.letters.answers import Library
from bot.reports import service as reports
from bot.units import officials as unit_officials


def links(*, default_language: str, inhibitors: tuple[Inhibitor, ...] | None = None) -> Links:
    """Every link between features, as callables (`inhibitors` replaces the usual ones);
    `default_language` (DEFAULT_LANGUAGE) is for pushes to people who never chose one."""
    if inhibitors is None:
        # Units still owing an open deadline get its reminders instead of a low-rate warning.
        inhibitors = (deadline_reminders.units_with_open_reminder,)
    # Warnings, reminders and the rate answer cite the letter passage they rest on.
    library = Library()
    rule_basis = functools.partial(letters_basis.rule_basis, library=library)
    return Links(
        # After an import: rate deadlines check who reached them; warnings are evaluated.
        after_import=(
            deadline_lifecycle.after_import,
            functools.partial(
                alerts.after_import,
                inhibitors=inhibitors,
                default_language=default_language,
                basis=rule_basis,
            ),
        ),
        alert_inhibitors=inhibitors,
        # The report workbook gets a sheet per open deadline (on time, late, missing).
        report_sections=(deadline_views.compliance_sheets,),
        # The import's reply says which warnings it queued.
        import_notes=(import_summary,),
        rule_basis=rule_basis,
        deadline_basis=functools.partial(letters_basis.deadline_basis, library=library),
    )


def dashboard_sources() -> Sources:
    """What the dashboard reads from the other features."""
    return Sources(
        warning_history=alerts_status.unit_history,
        recent_broadcasts=broadcasts.recent,
        broadcast_status=broadcasts.status,
        get_report=deadline_explanations.get_report,
        list_deadlines=deadline_views.list_deadlines,
        status_view=deadline_views.status_view,
        open_unit_deadlines=deadline_views.unit_deadlines,
        owed_text=deadline_texts.owed_text,
        time_left=deadline_texts.time_left,
        build_workbook=reports.build_report,
        unreachable_reason=reports.unreachable_reason,
        unit_officials=unit_officials.unit_officials,
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
