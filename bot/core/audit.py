"""The audit log: who did what and when, for every administrative action."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlmodel import Session, col, select

from bot.core.i18n import LazyString, lazy_gettext
from bot.core.models import AuditLog

logger = logging.getLogger(__name__)

# Action codes and their labels; features add theirs here so /nhatky can name every entry.
ACTION_LABELS: dict[str, LazyString] = {
    "import": lazy_gettext("statistics imported"),
    "invite.create": lazy_gettext("invitation created"),
    "invite.use": lazy_gettext("invitation used"),
    "invite.revoke": lazy_gettext("invitation revoked"),
    "role.grant": lazy_gettext("role granted"),
    "role.revoke": lazy_gettext("role revoked"),
    "official.leave": lazy_gettext("official left"),
    "official.remove": lazy_gettext("official removed"),
    "unit.create": lazy_gettext("unit added"),
    "unit.rename": lazy_gettext("unit renamed"),
    "unit.update": lazy_gettext("unit changed"),
    "unit.deactivate": lazy_gettext("unit deactivated"),
    "unit.activate": lazy_gettext("unit reactivated"),
    "group.subscribe": lazy_gettext("group subscribed"),
    "group.unsubscribe": lazy_gettext("group unsubscribed"),
    "broadcast.create": lazy_gettext("announcement sent"),
    "broadcast.remind": lazy_gettext("announcement reminder sent"),
    "warnings.config": lazy_gettext("warning settings changed"),
    "warnings.silence": lazy_gettext("unit's warnings silenced"),
    "warnings.unsilence": lazy_gettext("unit's warnings turned back on"),
    "warnings.run": lazy_gettext("warnings sent on request"),
    "deadline.create": lazy_gettext("deadline created"),
    "deadline.edit": lazy_gettext("deadline changed"),
    "deadline.postpone": lazy_gettext("deadline postponed"),
    "deadline.cancel": lazy_gettext("deadline cancelled"),
    "report.submit": lazy_gettext("explanation report sent"),
    "report.replace": lazy_gettext("explanation report replaced"),
    "report.accept": lazy_gettext("explanation report accepted"),
    "report.more": lazy_gettext("explanation report: more asked"),
    "dashboard.link": lazy_gettext("dashboard login link created"),
    "dashboard.login": lazy_gettext("dashboard opened with a login link"),
    "letter.add": lazy_gettext("letter added to the library"),
    "letter.retire": lazy_gettext("letter retired from the library"),
    "letter.link": lazy_gettext("deadline linked to a letter"),
}


def record(
    *,
    session: Session,
    actor: int | None,
    action: str,
    subject: str = "",
    **details: Any,
) -> AuditLog:
    """Add an entry in the caller's transaction (it is written with the action or not at all)."""
    entry = AuditLog(actor_telegram_id=actor, action=action, subject=subject[:255], details=details)
    session.add(entry)
    return entry


def recent(*, session: Session, limit: int = 20, offset: int = 0) -> list[AuditLog]:
    """Newest entries first."""
    stmt = (
        select(AuditLog)
        .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(stmt))


def since(
    *, session: Session, start: dt.datetime, end: dt.datetime | None = None
) -> list[AuditLog]:
    """Entries from `start` (aware) up to `end`, oldest first, for export."""
    stmt = select(AuditLog).where(col(AuditLog.at) >= start)
    if end is not None:
        stmt = stmt.where(col(AuditLog.at) < end)
    return list(session.exec(stmt.order_by(col(AuditLog.at), col(AuditLog.id))))


def action_label(action: str) -> str:
    """Translated name of an action code (the code itself if unknown)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
