"""Invitations in chat: /moi (guided by buttons and the "invites" dialog) and /moi_hangloat."""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatType

from bot.core import messages
from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _, fmt_datetime, fmt_number, ngettext
from bot.core.lookup import UnitRef, find_units
from bot.core.models import Role
from bot.core.people import unit_name
from bot.core.roles import INVITE_ROLES, ROLE_LABELS
from handlers import dialogs
from handlers.commands import refusal_text
from handlers.common import secretariat_only
from handlers.context import BotContext
from handlers.dialogs import DialogFeature, State

if TYPE_CHECKING:
    from bot.invites.codes import CreatedInvite

# Imported inside the functions that use them: bot.invites loads at the first invitation command,
# not at start-up.

logger = logging.getLogger(__name__)

INVITE_CALLBACK = "inv"  # inv:<unit id>:<head|staff|viewer|*>  ·  inv:x (cancel)
ANY_ROLE = "*"
# The "invites" dialog: after a bare /moi (or /moi <role>), the next message names the unit.
FEATURE = "invites"
WAITING_FOR_UNIT = "unit"  # data: {"role": the role value chosen already, or None}
WAITING_TTL = dt.timedelta(minutes=15)


def _ttl(context: BotContext) -> dt.timedelta:
    """How long new invitations stay valid."""
    return dt.timedelta(days=context.runtime.settings.invite_ttl_days)


def _is_private(update: Update) -> bool:
    """Invitation codes are only shown in a private chat."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def _private_only_text() -> str:
    """Refusal for invitation commands in a group."""
    return _(
        "Invitation codes must not be shown in a group. Please use this command in a private "
        "chat with me."
    )


# --- /moi ---------------------------------------------------------------------------------


def invite_text(invite: CreatedInvite, bot_username: str | None) -> str:
    """The secretariat's copy of a new invitation: link, code, unit, role, expiry."""
    lines = [
        _("✉️ <b>Invitation created</b>"),
        _("Unit: <b>{unit}</b>").format(unit=escape(invite.unit_name)),
        _("Role: {role}").format(role=ROLE_LABELS[invite.role]),
        _("Valid until {expires}, for one person only.").format(
            expires=fmt_datetime(invite.expires_at)
        ),
        "",
    ]
    link = invite.link(bot_username)
    if link:
        lines.append(_("Send this link to the person:"))
        lines.append(link)
        lines.append("")
    lines.append(_("Or they send me: <code>/start {code}</code>").format(code=escape(invite.code)))
    lines.append(_("Invitation code: <code>{code}</code>").format(code=escape(invite.code)))
    return "\n".join(lines)


def _role_keyboard(unit_id: int) -> InlineKeyboardMarkup:
    """One button per role that can be invited, and Cancel."""
    rows = [
        [
            InlineKeyboardButton(
                str(ROLE_LABELS[r]), callback_data=f"{INVITE_CALLBACK}:{unit_id}:{r}"
            )
        ]
        for r in INVITE_ROLES
    ]
    rows.append([_cancel_button()])
    return InlineKeyboardMarkup(rows)


def _cancel_button() -> InlineKeyboardButton:
    """Cancel the guided invitation."""
    return InlineKeyboardButton(_("Cancel"), callback_data=f"{INVITE_CALLBACK}:x")


def _unit_keyboard(units: list[UnitRef], role: Role | None) -> InlineKeyboardMarkup:
    """One button per unit found; the role (if given) travels in the data."""
    suffix = role.value if role else ANY_ROLE
    rows = [
        [InlineKeyboardButton(u.name, callback_data=f"{INVITE_CALLBACK}:{u.id}:{suffix}")]
        for u in units
    ]
    rows.append([_cancel_button()])
    return InlineKeyboardMarkup(rows)


def _ask_unit_text() -> str:
    """First step of the guided invitation."""
    return _("Which unit is the invitation for? Type part of its name, e.g. <i>Quang Lịch</i>.")


def _ask_role_text(unit_name: str) -> str:
    """Second step: the role."""
    return _("Which role in <b>{unit}</b>?").format(unit=escape(unit_name))


def _wait_for_unit(context: BotContext, role: Role | None) -> None:
    """Take the secretariat's next message as the unit's name (the "invites" dialog)."""
    dialogs.ask(context, FEATURE, WAITING_FOR_UNIT, {"role": role.value if role else None})


def _create(context: BotContext, unit_id: int, role: Role, actor: int) -> CreatedInvite:
    """Create and commit one invitation."""
    from bot.invites.codes import create_invite

    with session_scope(context.runtime.engine) as session:
        invite = create_invite(
            session=session, unit_id=unit_id, role=role, created_by=actor, ttl=_ttl(context)
        )
    logger.info("Invitation %s created by %s", invite.invite_id, actor)
    return invite


async def _offer_units(
    message: Message, context: BotContext, query: str, role: Role | None
) -> None:
    """Find the unit typed; create the invitation, or ask for the role or the exact unit."""
    actor = context.require_viewer().telegram_id
    with session_scope(context.runtime.engine) as session:
        matches = find_units(session=session, query=query)
    if not matches:
        _wait_for_unit(context, role)
        await message.reply_text(
            _("No unit matches “{query}”. Type another part of its name.").format(
                query=escape(query)
            ),
            reply_markup=InlineKeyboardMarkup([[_cancel_button()]]),
        )
        return
    unit = matches.unique
    if unit is None:
        text = messages.did_you_mean() if matches.fuzzy else messages.choose_unit(len(matches))
        await message.reply_text(text, reply_markup=_unit_keyboard(list(matches), role))
        return
    if role is None:
        await message.reply_text(_ask_role_text(unit.name), reply_markup=_role_keyboard(unit.id))
        return
    invite = _create(context, unit.id, role, actor)
    await message.reply_text(invite_text(invite, context.bot.username))


async def invite_command(update: Update, context: BotContext) -> None:
    """/moi [unit] [role]."""
    from bot.invites.codes import split_unit_and_role

    message = update.effective_message
    assert message is not None
    if not _is_private(update):
        await message.reply_text(_private_only_text())
        return
    unit_query, role = split_unit_and_role(" ".join(context.args or []))
    if not unit_query:
        _wait_for_unit(context, role)
        await message.reply_text(
            _ask_unit_text(), reply_markup=InlineKeyboardMarkup([[_cancel_button()]])
        )
        return
    await _offer_units(message, context, unit_query, role)


async def unit_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The unit name typed after a bare /moi: find it, and go on with the invitation.

    Answers count in a private chat only: elsewhere the question stays open, as it did when
    they were read by a private-chat handler.
    """
    if not _is_private(update):
        return
    dialogs.end(context)
    message = update.effective_message
    assert message is not None and message.text is not None
    viewer = context.viewer
    if viewer is None or not viewer.is_secretariat:
        await message.reply_text(refusal_text())
        return
    role = Role(dialog.data["role"]) if dialog.data.get("role") else None
    await _offer_units(message, context, message.text.strip(), role)


def _abandoned() -> str:
    """What /huy says while the unit question is open: any command abandons that question,
    and /huy used to find nothing left to cancel (the reply is kept as it was)."""
    return _("Nothing to cancel.")


DIALOG = DialogFeature(
    feature=FEATURE,
    states={WAITING_FOR_UNIT: State(on_text=unit_step)},
    ttl=WAITING_TTL,
    cancelled=_abandoned,
    end_on_command=True,  # another command abandons the question (/moi asks again if needed)
)


@secretariat_only
async def invite_choice(update: Update, context: BotContext) -> None:
    """inv:<unit id>:<role|*> — a unit or role button; inv:x — cancel."""
    from bot.invites.codes import InviteError

    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    parts = query.data.split(":")
    if parts[1] == "x":
        if dialogs.current_of(context, FEATURE) is not None:
            dialogs.end(context)
        await query.edit_message_text(_("Cancelled: no invitation was created."))
        return
    unit_id, role_value = int(parts[1]), parts[2]
    if role_value == ANY_ROLE:
        with session_scope(context.runtime.engine) as session:
            name = unit_name(session=session, unit_id=unit_id)
        if name is None:
            await query.edit_message_text(_("That unit no longer exists."))
            return
        await query.edit_message_text(_ask_role_text(name), reply_markup=_role_keyboard(unit_id))
        return
    try:
        invite = _create(context, unit_id, Role(role_value), context.require_viewer().telegram_id)
    except InviteError:
        await query.edit_message_text(_("That unit no longer exists."))
        return
    await query.edit_message_text(invite_text(invite, context.bot.username))


# --- /moi_hangloat ------------------------------------------------------------------------


async def bulk_command(update: Update, context: BotContext) -> None:
    """/moi_hangloat [kind] [role]: an XLSX with one new link per active unit."""
    from bot.invites.codes import bulk_invites, split_kind_and_role
    from bot.invites.export import invites_xlsx, kind_label

    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    if not _is_private(update):
        await message.reply_text(_private_only_text())
        return
    kind, role, unknown = split_kind_and_role(" ".join(context.args or []))
    if unknown:
        await message.reply_text(
            _(
                "I did not understand “{words}”.\nUsage: /invite_bulk [kind] [role], e.g. "
                "/invite_bulk xa bithu. Kinds: xa, phuong, thitran, so, ban, khac (default: "
                "all units). Roles: bithu, vanphong, xem (default: bithu)."
            ).format(words=escape(" ".join(unknown)))
        )
        return
    role = role or Role.HEAD
    actor = context.require_viewer().telegram_id
    with session_scope(context.runtime.engine) as session:
        invites = bulk_invites(
            session=session, kind=kind, role=role, created_by=actor, ttl=_ttl(context)
        )
        if not invites:
            session.rollback()
    if not invites:
        await message.reply_text(_("No active unit of that kind."))
        return
    logger.info("%s bulk invitations created by %s", len(invites), actor)
    username = context.bot.username
    data = invites_xlsx(invites, username)
    filename = f"loi-moi-{kind or 'tat-ca'}-{role.value}.xlsx"
    what = kind_label(kind) if kind else _("all units")
    caption = ngettext(
        "{n} invitation link ({what}, {role}), valid until {expires}.",
        "{n} invitation links ({what}, {role}), valid until {expires}.",
        len(invites),
    ).format(
        n=fmt_number(len(invites)),
        what=what,
        role=ROLE_LABELS[role],
        expires=fmt_datetime(invites[0].expires_at),
    )
    caption += "\n" + _(
        "Each link works once: send every unit only its own row, and keep this file private."
    )
    await context.bot.send_document(
        update.effective_chat.id, InputFile(data, filename=filename), caption=caption
    )
