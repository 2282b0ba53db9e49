"""Who is asking the dashboard, what their role lets them see, and who the secretariat is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from bot.core import messages
from bot.core.models import AppUser, Official, Role
from bot.core.people import Viewer
from bot.core.telegram_html import plain


class Forbidden(Exception):
    """The caller's role does not include this (403)."""


class NotFound(Exception):
    """Nothing by that id (404; only said to the secretariat, who may see everything)."""


class Audience(StrEnum):
    """Who the caller is, for the dashboard's permissions."""

    SECRETARIAT = "secretariat"
    OFFICIAL = "official"
    STRANGER = "stranger"


@dataclass(frozen=True)
class Caller:
    """The person behind an API call, as the bot knows them, and their language."""

    viewer: Viewer
    language: str

    @property
    def audience(self) -> Audience:
        """Secretariat, an official linked to a unit, or a stranger."""
        if self.viewer.is_secretariat:
            return Audience.SECRETARIAT
        if self.viewer.role is not None and self.viewer.unit_id is not None:
            return Audience.OFFICIAL
        return Audience.STRANGER

    def require_secretariat(self) -> None:
        """Forbidden unless the caller is in the secretariat."""
        if self.audience is not Audience.SECRETARIAT:
            raise Forbidden

    def require_unit(self, unit_id: int) -> None:
        """Forbidden unless the caller may see this unit (their own, or any for the secretariat)."""
        if self.audience is Audience.SECRETARIAT:
            return
        if self.audience is Audience.OFFICIAL and self.viewer.unit_id == unit_id:
            return
        raise Forbidden


# --- who is asking -------------------------------------------------------------------------------


def me(*, session: Session, caller: Caller) -> dict[str, Any]:
    """The caller's role, unit and language; strangers get how to get linked."""
    viewer = caller.viewer
    answer: dict[str, Any] = {
        "role": caller.audience.value,
        "language": caller.language,
        "telegram_id": viewer.telegram_id,
        "unit": None,
    }
    if caller.audience is Audience.OFFICIAL:
        answer["unit"] = {"id": viewer.unit_id, "name": viewer.unit_name or ""}
    if caller.audience is Audience.STRANGER:
        answer["message"] = plain(messages.not_linked(viewer.telegram_id))
    return answer


def secretariat_members(
    *, session: Session, admin_ids: frozenset[int]
) -> list[tuple[int, str | None]]:
    """(Telegram id, stored language) of everyone in the secretariat, for their menu button."""
    ids = set(admin_ids)
    ids.update(
        int(t)
        for t in session.exec(
            select(Official.telegram_id).where(
                Official.active == True,  # noqa: E712
                Official.role == Role.SECRETARIAT.value,
            )
        ).all()
    )
    languages = dict(
        session.exec(
            select(AppUser.telegram_id, AppUser.language).where(col(AppUser.telegram_id).in_(ids))
        ).all()
    )
    return [(tid, languages.get(tid)) for tid in sorted(ids)]
