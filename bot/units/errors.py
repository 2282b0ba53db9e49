"""Why a unit change is refused: UnitAdminError and its messages, one per code."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any, ClassVar

from bot.core.areas import KINDS
from bot.core.errors import CodedError, Message
from bot.core.i18n import _, fmt_number

MAX_NAME = 255  # the longest unit name, in characters


def _quoted(params: Mapping[str, Any], name: str) -> str:
    """A parameter that quotes a name, HTML-escaped."""
    return escape(params[name])


class UnitAdminError(CodedError):
    """A change that cannot be made; `message()` says why in the current language (HTML)."""

    MESSAGES: ClassVar[Mapping[str, Message]] = {
        "empty_name": lambda p: _("The name is empty."),
        "name_too_long": lambda p: _("The name is too long (at most {n} characters).").format(
            n=fmt_number(MAX_NAME)
        ),
        "name_taken": lambda p: _("There is already a unit named “{unit}”.").format(
            unit=_quoted(p, "unit")
        ),
        "name_taken_inactive": lambda p: _(
            "There is already a deactivated unit named “{unit}”: reactivate it instead."
        ).format(unit=_quoted(p, "unit")),
        "former_name": lambda p: _("“{name}” is a former name of “{unit}”.").format(
            name=_quoted(p, "name"), unit=_quoted(p, "unit")
        ),
        "same_name": lambda p: _("That is already the unit's name."),
        "unknown_kind": lambda p: _("Unknown kind “{kind}”. Use one of: {kinds}.").format(
            kind=_quoted(p, "kind"), kinds=", ".join(KINDS)
        ),
        "own_area": lambda p: _("A unit cannot be its own area."),
        "cycle": lambda p: _(
            "“{area}” is inside “{unit}”: a unit cannot be placed under one of its own sub-units."
        ).format(area=_quoted(p, "area"), unit=_quoted(p, "unit")),
        "area_inactive": lambda p: _("“{area}” is deactivated and cannot be an area.").format(
            area=_quoted(p, "area")
        ),
        "already_inactive": lambda p: _("“{unit}” is already deactivated.").format(
            unit=_quoted(p, "unit")
        ),
        "already_active": lambda p: _("“{unit}” is already active.").format(
            unit=_quoted(p, "unit")
        ),
        "official_gone": lambda p: _("This official is no longer linked to a unit."),
        "not_found": lambda p: _("This unit no longer exists."),
    }
