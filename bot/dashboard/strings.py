"""The page's words, from the bot's own gettext catalogs, for every supported language."""

from __future__ import annotations

import json

from bot.core.config import SUPPORTED_LANGUAGES
from bot.core.i18n import _, use_language


def page_strings() -> dict[str, str]:
    """Every label the page shows, in the current language ({name} placeholders kept)."""
    return {
        "title": _("📊 Dashboard"),
        "loading": _("Loading…"),
        "auth_failed": _(
            "The launch data is invalid or has expired. Close the dashboard and open it again "
            "from the bot."
        ),
        "no_launch": _(
            "Open this dashboard from the bot in Telegram: the menu button, or /dashboard "
            "for a login link."
        ),
        "login_failed": _(
            "This login link is invalid, already used or expired. Ask the bot for a new one "
            "with /dashboard."
        ),
        "forbidden": _("Your role does not include this page."),
        "not_found": _("Not found."),
        "network_error": _("The bot did not answer. Please try again."),
        "stranger_title": _("You are not linked to a unit yet"),
        "tab_units": _("Units"),
        "tab_deadlines": _("Deadlines"),
        "tab_broadcasts": _("Announcements"),
        "indicator": _("Indicator"),
        "period": _("Period"),
        "search": _("Search a unit (diacritics optional)"),
        "status_all": _("All statuses"),
        "area_all": _("All areas"),
        "kind_all": _("All kinds"),
        "col_rank": _("Rank"),
        "col_name": _("Unit"),
        "col_rate": _("Rate"),
        "col_figures": _("Signed/total"),
        "col_change": _("Change"),
        "col_status": _("Status"),
        "col_area": _("Area"),
        "col_officials": _("Officials"),
        "shown": _("Units shown: {shown}/{total}"),
        "show_more": _("Show more"),
        "overall": _("Overall: {rate} ({figures})"),
        "counts": _("Below {warning}: {below} · below {critical}: {critical_count}"),
        "back": _("← Back"),
        "rank": _("Rank: {rank}"),
        "change": _("Change since the previous period: {points} points"),
        "trend": _("Trend"),
        "trend_single": _("The chart appears once there are two periods."),
        "officials": _("Officials"),
        "reachable": _("reachable"),
        "unreachable": _("not reachable: {reason}"),
        "warnings": _("Warnings"),
        "my_warnings": _("Warnings you received"),
        "deadlines": _("Deadlines"),
        "open_deadlines": _("Open deadlines"),
        "acknowledgements": _("Acknowledgements"),
        "none": _("None."),
        "what_to_do": _("What to do"),
        "report": _("Explanation report {receipt}"),
        "report_late": _("sent late"),
        "send_file": _("📨 Send the file to my chat"),
        "sent": _("Sent: see your chat with the bot."),
        "workbook": _("📥 Excel report"),
        "workbook_send": _("📨 Send the Excel report to my chat"),
        "on_time": _("on time"),
        "late": _("late"),
        "missing": _("missing"),
        "acknowledged_mark": _("✅ acknowledged"),
        "delivered": _("delivered"),
        "acknowledged": _("acknowledged"),
        "unreachable_count": _("unreachable"),
        "failed": _("failed"),
        "pending": _("waiting"),
        "units_ack": _("Units that confirmed: {done}/{total}"),
        "not_ack": _("Not confirmed yet:"),
        "no_data": _("No statistics have been imported yet."),
        "chart_label": _("Rate by period end"),
    }


def catalog() -> dict[str, dict[str, str]]:
    """The page's words in every supported language."""
    found = {}
    for language in SUPPORTED_LANGUAGES:
        with use_language(language):
            found[language] = page_strings()
    return found


def catalog_json() -> str:
    """The catalog as JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(catalog(), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
