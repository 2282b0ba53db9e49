"""What the dashboard reads from the other features, as callables the composition hands in.

The dashboard imports no feature: bot/features.py `dashboard_sources()` fills this in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sources:
    """Entry points of other features the dashboard calls (keyword arguments as theirs)."""

    warning_history: Callable[..., Any]  # alerts: a unit's warnings
    recent_broadcasts: Callable[..., Any]  # broadcasts: the latest announcements
    broadcast_status: Callable[..., Any]  # broadcasts: delivered, acknowledged, unreachable
    get_report: Callable[..., Any]  # deadlines: one explanation report (CodedError if none)
    list_deadlines: Callable[..., Any]  # deadlines: open and recent deadlines
    status_view: Callable[..., Any]  # deadlines: who complied with one
    open_unit_deadlines: Callable[..., Any]  # deadlines: what a unit still owes
    owed_text: Callable[..., str]  # deadlines: "what is still owed", as a sentence
    time_left: Callable[..., str]  # deadlines: "3 days left"
    build_workbook: Callable[..., Any]  # reports: the /baocao workbook
    unreachable_reason: Callable[..., str]  # reports: why an official cannot be reached
    unit_officials: Callable[..., Any]  # units: a unit's officials
