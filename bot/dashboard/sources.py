"""Every entry point of another feature the dashboard calls, in one place.

Those features are being reorganised: when one moves, only these imports change.
"""

from __future__ import annotations

from bot.alerts.status import unit_history as warning_history
from bot.broadcasts.service import recent as recent_broadcasts
from bot.broadcasts.service import status as broadcast_status
from bot.core.areas import kind_label
from bot.deadlines.errors import DeadlineError
from bot.deadlines.explanations import get_report
from bot.deadlines.texts import owed_text, time_left
from bot.deadlines.views import list_deadlines, status_view
from bot.deadlines.views import unit_deadlines as open_unit_deadlines
from bot.reports.service import build_report as build_workbook
from bot.reports.service import unreachable_reason
from bot.units.officials import unit_officials

__all__ = [
    "DeadlineError",
    "broadcast_status",
    "build_workbook",
    "get_report",
    "kind_label",
    "list_deadlines",
    "open_unit_deadlines",
    "owed_text",
    "recent_broadcasts",
    "status_view",
    "time_left",
    "unit_officials",
    "unreachable_reason",
    "warning_history",
]
