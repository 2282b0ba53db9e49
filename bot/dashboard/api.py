"""The dashboard's JSON: who is asking, the province table, and the rules of who sees what.

Permissions are the chat commands' rules, unchanged: the secretariat sees everything; an
official sees their own unit only (its card); a stranger is told how to get linked. Every
answer is a plain dict, already formatted for the caller's language (vi: 82,5%, 1.234,
22/06/2026), so the page never formats numbers itself.

The functions live in four modules, re-exported here for the endpoints (`api.me`, `api.table`)
and the other views: access (who is asking, the rules, the secretariat), cache (period tables
and rendered answers, the Context), figures (indicators, periods, a unit's figures) and table
(the province table).
"""

from __future__ import annotations

from bot.dashboard.access import (
    Audience,
    Caller,
    Forbidden,
    NotFound,
    me,
    secretariat_members,
)
from bot.dashboard.cache import (
    GZIP_CACHE_SIZE,
    GZIP_KEEP_BYTES,
    TABLE_CACHE_SIZE,
    Context,
    TableCache,
)
from bot.dashboard.figures import (
    MAX_PERIODS,
    change_points,
    choose_indicator,
    indicator_json,
    indicators_with_data,
    period_json,
    periods_of,
    status_text,
    unit_figures,
)
from bot.dashboard.table import (
    TABLE_COLUMNS,
    status_of,
    table,
)

__all__ = [
    "GZIP_CACHE_SIZE",
    "GZIP_KEEP_BYTES",
    "MAX_PERIODS",
    "TABLE_CACHE_SIZE",
    "TABLE_COLUMNS",
    "Audience",
    "Caller",
    "Context",
    "Forbidden",
    "NotFound",
    "TableCache",
    "change_points",
    "choose_indicator",
    "indicator_json",
    "indicators_with_data",
    "me",
    "period_json",
    "periods_of",
    "secretariat_members",
    "status_of",
    "status_text",
    "table",
    "unit_figures",
]
