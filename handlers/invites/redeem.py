"""Redeeming an invitation: /start CODE (linked into /start by the composition in bot/app.py)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from telegram import Update

from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime
from bot.core.roles import ROLE_LABELS, role_duties
from handlers.context import BotContext

if TYPE_CHECKING:
    from bot.invites.codes import RedeemResult, RedeemStatus

logger = logging.getLogger(__name__)


def welcome_text(result: RedeemResult, name: str) -> str:
    """The answer to a redeemed invitation: the new role, the one it replaced, what to try."""
    assert result.role is not None and result.unit_name is not None
    lines = [
        _("Welcome, {name}! You are now with <b>{unit}</b> as {role}.").format(
            name=escape(name), role=ROLE_LABELS[result.role], unit=escape(result.unit_name)
        )
    ]
    if result.previous_role is not None:
        if result.previous_unit_name:
            lines.append(
                _("Your previous role ({role}, {unit}) has ended.").format(
                    role=ROLE_LABELS[result.previous_role],
                    unit=escape(result.previous_unit_name),
                )
            )
        else:
            lines.append(
                _("Your previous role ({role}) has ended.").format(
                    role=ROLE_LABELS[result.previous_role]
                )
            )
    lines += [
        "",
        role_duties(result.role),
        "",
        _("Try it now: /rate — your unit's signing rate; /me — your details; /help — help."),
    ]
    return "\n".join(lines)


def _throttled(result: RedeemResult) -> str:
    """Too many wrong codes: when to try again."""
    assert result.retry_at is not None
    return _(
        "Too many wrong invitation codes. For security, please try again after {time}."
    ).format(time=fmt_datetime(result.retry_at))


def _expired(result: RedeemResult) -> str:
    """The invitation expired: when."""
    assert result.expires_at is not None
    return _("This invitation expired at {time}. Ask the secretariat for a new link.").format(
        time=fmt_datetime(result.expires_at)
    )


def _already_yours(result: RedeemResult) -> str:
    """The person opened their own invitation again."""
    assert result.role is not None and result.unit_name is not None
    return _("You already joined <b>{unit}</b> as {role} with this invitation.").format(
        unit=escape(result.unit_name), role=ROLE_LABELS[result.role]
    )


def _not_valid(result: RedeemResult) -> str:
    """An unknown or malformed code."""
    return _(
        "This invitation code is not valid. Check that you opened or copied the whole link, "
        "or ask the secretariat for a new one."
    )


@functools.cache
def refusals() -> dict[RedeemStatus, Callable[[RedeemResult], str]]:
    """Every outcome but OK: what the person is told (the result gives the details)."""
    # bot.invites loads at the first invitation code, not at start-up
    from bot.invites.codes import RedeemStatus

    return {
        RedeemStatus.THROTTLED: _throttled,
        RedeemStatus.USED: lambda r: _(
            "This invitation has already been used. Each link works for one person only: ask "
            "the secretariat for a new one."
        ),
        RedeemStatus.EXPIRED: _expired,
        RedeemStatus.REVOKED: lambda r: _(
            "This invitation was withdrawn by the secretariat. Ask them for a new link if you "
            "still need one."
        ),
        RedeemStatus.ALREADY_YOURS: _already_yours,
        RedeemStatus.LAST_SECRETARIAT: lambda r: _(
            "You are the only member of the secretariat: joining a unit would leave it empty. "
            "Add another member with /admin_add first."
        ),
        RedeemStatus.UNKNOWN: _not_valid,
    }


def redeem_text(result: RedeemResult, name: str) -> str:
    """The answer to /start <code>, specific to what happened."""
    from bot.invites.codes import RedeemStatus  # loaded by the redemption already

    if result.status is RedeemStatus.OK:
        return welcome_text(result, name)
    return refusals().get(result.status, _not_valid)(result)


async def redeem_payload(update: Update, context: BotContext, payload: str) -> None:
    """/start <code>: link the sender to the invitation's unit and role."""
    # bot.invites loads at the first invitation code, not at start-up
    from bot.invites.codes import extract_code, redeem_invite

    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    with session_scope(context.runtime.engine) as session:
        result = redeem_invite(
            session=session,
            code=extract_code(payload),
            telegram_id=user.id,
            display_name=user.full_name,
            admin_ids=context.runtime.settings.admin_telegram_ids,
        )
    logger.info("Invitation code from %s: %s", user.id, result.status.value)
    await message.reply_text(redeem_text(result, user.full_name))
