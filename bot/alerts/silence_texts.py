"""What the secretariat reads about silences: /imlang parsed and answered, /imlang_ds."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import ClassVar

from bot.alerts.silences import SilenceInfo
from bot.core.errors import CodedError, Message
from bot.core.i18n import (
    _,
    current_timezone,
    fmt_date,
    fmt_datetime,
    fmt_number,
    ngettext,
    on_command_line,
)

logger = logging.getLogger(__name__)

_DATE_TOKEN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$|^(\d{4})-(\d{2})-(\d{2})$")


# --- parsing /imlang ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SilenceRequest:
    """'/imlang Nam Tiền Hải 30/06/2026 đã giải trình' → unit text, day, reason."""

    unit_query: str
    day: dt.date
    reason: str


class SilenceUsage(CodedError, ValueError):
    """Arguments that are not '<unit> <dd/mm/yyyy> [reason]'; code: usage or bad_date (token)."""

    MESSAGES: ClassVar[Mapping[str, Message]] = {
        "usage": lambda _params: silence_usage(),
        "bad_date": lambda params: silence_bad_date(params["token"]),
    }


def parse_silence(text: str, today: dt.date) -> SilenceRequest:
    """Unit name, then a date (dd/mm/yyyy, dd/mm or yyyy-mm-dd), then an optional reason."""
    tokens = text.split()
    for index, token in enumerate(tokens):
        match = _DATE_TOKEN.match(token)
        if match is None:
            continue
        if index == 0:
            raise SilenceUsage("usage")
        try:
            if match.group(4):
                day = dt.date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
            else:
                year = int(match.group(3)) if match.group(3) else today.year
                day = dt.date(year, int(match.group(2)), int(match.group(1)))
                if not match.group(3) and day < today:
                    day = day.replace(year=today.year + 1)
        except ValueError:
            raise SilenceUsage("bad_date", token=token) from None
        return SilenceRequest(" ".join(tokens[:index]), day, " ".join(tokens[index + 1 :]))
    raise SilenceUsage("usage")


def silence_usage() -> str:
    """How to type /imlang."""
    return _(
        "Type the unit and the last day of the silence, optionally a reason:\n"
        "<code>/silence Nam Tiền Hải 30/06/2026 đã giải trình</code>\n"
        "Until that day the unit gets no warning or repeat; if it rises above the threshold it "
        "still gets the short note. /silences lists silences."
    )


def silence_bad_date(token: str) -> str:
    """A date that does not exist."""
    return _("“{date}” is not a valid date. Write it as dd/mm/yyyy, e.g. 30/06/2026.").format(
        date=escape(token)
    )


def silence_done(unit_name: str, until_day: dt.date, reason: str) -> str:
    """Confirmation of /imlang."""
    lines = [
        _("🔕 Warnings for <b>{unit}</b> are silenced through {day}.").format(
            unit=escape(unit_name), day=fmt_date(until_day)
        )
    ]
    if reason:
        lines.append(_("Reason: {reason}").format(reason=escape(reason)))
    if on_command_line():
        lines.append(
            _(
                "If the unit rises above the threshold meanwhile, its officials still get the "
                "short note. python -m bot warnings silences lists silences and python -m bot "
                "warnings unsilence lifts one early (in the chat: /silences)."
            )
        )
    else:
        lines.append(
            _(
                "If the unit rises above the threshold meanwhile, its officials still get the "
                "short note. /silences lists silences and lifts them early."
            )
        )
    return "\n".join(lines)


def silence_lifted(unit_name: str) -> str:
    """A silence was ended early (plain text: shown as a button's pop-up)."""
    return _("🔔 Warnings for {unit} are on again.").format(unit=unit_name)[:200]


def last_day(until: dt.datetime) -> str:
    """A silence ends at midnight after its last day: show that day."""
    return fmt_date((until.astimezone(current_timezone()) - dt.timedelta(seconds=1)).date())


def no_silences_text() -> str:
    """/imlang_ds when no unit is silenced."""
    return _(
        "No unit is silenced. To silence one after an accepted explanation:\n"
        "<code>/silence Nam Tiền Hải 30/06/2026 đã giải trình</code>"
    )


def silences_heading(silences: list[SilenceInfo]) -> str:
    """'🔕 3 units with warnings silenced'."""
    return "🔕 " + ngettext(
        "<b>{n} unit with warnings silenced</b>",
        "<b>{n} units with warnings silenced</b>",
        len(silences),
    ).format(n=fmt_number(len(silences)))


def silence_lines(silences: list[SilenceInfo]) -> list[str]:
    """One line per silenced unit: until when, why, by whom."""
    lines = []
    for n, s in enumerate(silences, start=1):
        line = _("{n}. {unit} — through {day}").format(
            n=n, unit=escape(s.unit_name), day=last_day(s.until)
        )
        if s.reason:
            line += f" · “{escape(s.reason)}”"
        who = s.created_by_name or (str(s.created_by) if s.created_by else "")
        if who:
            line += " · " + _("by {who}, {at}").format(
                who=escape(who), at=fmt_datetime(s.created_at)
            )
        lines.append(line)
    return lines


def silences_footer() -> str:
    """Under the list of silences."""
    return _("Press a button to turn a unit's warnings back on.")
