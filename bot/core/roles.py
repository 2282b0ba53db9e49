"""Role names and what each role means, in one place for every feature."""

from __future__ import annotations

from bot.core.i18n import LazyString, _, lazy_gettext
from bot.core.models import Role

# The roles an invitation may give (the secretariat's membership is given by /quantri_them, never
# by a code): the invite buttons' pattern and create_invite's check both read this one tuple.
INVITE_ROLES: tuple[Role, ...] = (Role.HEAD, Role.STAFF, Role.VIEWER)

ROLE_LABELS: dict[Role, LazyString] = {
    Role.SECRETARIAT: lazy_gettext("secretariat"),
    Role.HEAD: lazy_gettext("head of unit"),
    Role.STAFF: lazy_gettext("office staff"),
    Role.VIEWER: lazy_gettext("viewer"),
}
# The short forms used inside compact lines (a warning's history).
SHORT_ROLE_LABELS: dict[Role, LazyString] = {
    Role.SECRETARIAT: lazy_gettext("secretariat"),
    Role.HEAD: lazy_gettext("head"),
    Role.STAFF: lazy_gettext("staff"),
    Role.VIEWER: lazy_gettext("viewer"),
}


def _role(value: Role | str | None) -> Role | None:
    """A Role from a stored value (None if it is not one)."""
    try:
        return Role(value) if value is not None else None
    except ValueError:
        return None


def role_label(value: Role | str) -> str:
    """Translated role name (the stored value itself if it is not a known role)."""
    role = _role(value)
    return str(ROLE_LABELS[role]) if role is not None else str(value)


def short_role_label(value: Role | str | None) -> str:
    """Short translated role name; 'no longer linked' for none."""
    role = _role(value)
    return str(SHORT_ROLE_LABELS[role]) if role is not None else _("no longer linked")


def role_duties(role: Role) -> str:
    """What the bot does for a person in this role."""
    if role is Role.HEAD:
        return _(
            "As head of the unit you are accountable for its digital signing rate. I will warn "
            "you when the unit falls below the warning threshold and pass on the secretariat's "
            "escalations."
        )
    if role is Role.STAFF:
        return _(
            "You do the digital signing for the unit. I will remind you of deadlines and of "
            "documents still waiting to be signed."
        )
    if role is Role.VIEWER:
        return _(
            "You can read your unit's signing rate at any time: type /rate or ask "
            "“what is my signing rate”. I will not send you reminders."
        )
    return _(
        "You import the statistics, look up any unit, invite officials and manage the secretariat."
    )


def role_notifications(role: Role | None) -> str:
    """The notifications a role receives, as one line."""
    if role is Role.HEAD:
        return _("on — warnings when your unit falls below the threshold, escalations")
    if role is Role.STAFF:
        return _("on — reminders of deadlines and unsigned documents")
    if role is Role.VIEWER:
        return _("none — you read the rate when you ask")
    if role is Role.SECRETARIAT:
        return _("on — import summaries and the province's warnings")
    return _("none until you are linked to a unit")
