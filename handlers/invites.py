"""Invitations (/moi, /moi_hangloat), redeeming them, and the secretariat (/quantri*)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.core import messages
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime, fmt_number, lazy_gettext, ngettext, use_language
from bot.core.lookup import UnitRef, find_units
from bot.core.models import Role
from bot.core.people import unit_name
from bot.core.roles import ROLE_LABELS, role_duties
from bot.invites.codes import (
    INVITE_ROLES,
    CreatedInvite,
    InviteError,
    RedeemResult,
    RedeemStatus,
    bulk_invites,
    create_invite,
    extract_code,
    redeem_invite,
    split_kind_and_role,
    split_unit_and_role,
)
from bot.invites.export import invites_xlsx, kind_label
from bot.invites.secretariat import (
    MembershipResult,
    MembershipStatus,
    check_revoke,
    grant_secretariat,
    list_secretariat,
    revoke_secretariat,
)
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.common import secretariat_only
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

INVITE_CALLBACK = "inv"  # inv:<unit id>:<head|staff|viewer|*>  ·  inv:x (cancel)
ADMIN_CALLBACK = "adm"  # adm:rm:<telegram id> (confirm removal)  ·  adm:keep
PENDING_KEY = "invite_pending"  # user_data: {"role": role value or None, "at": monotonic}
PENDING_SECONDS = 15 * 60
PENDING_GROUP = -1  # before every feature, after the middleware
ANY_ROLE = "*"
MAX_LISTED = 25  # /quantri stays well under Telegram's 4,096 characters


def _ttl(context: BotContext) -> dt.timedelta:
    """How long new invitations stay valid."""
    return dt.timedelta(days=context.runtime.settings.invite_ttl_days)


def _admin_ids(context: BotContext) -> frozenset[int]:
    """Bootstrap administrators from the configuration."""
    return context.runtime.settings.admin_telegram_ids


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


def _set_pending(context: BotContext, role: Role | None) -> None:
    """Wait for the unit name as the secretariat's next message."""
    assert context.user_data is not None
    context.user_data[PENDING_KEY] = {"role": role.value if role else None, "at": time.monotonic()}


def _create(context: BotContext, unit_id: int, role: Role, actor: int) -> CreatedInvite:
    """Create and commit one invitation."""
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
        _set_pending(context, role)
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
    message = update.effective_message
    assert message is not None
    if not _is_private(update):
        await message.reply_text(_private_only_text())
        return
    unit_query, role = split_unit_and_role(" ".join(context.args or []))
    if not unit_query:
        _set_pending(context, role)
        await message.reply_text(
            _ask_unit_text(), reply_markup=InlineKeyboardMarkup([[_cancel_button()]])
        )
        return
    await _offer_units(message, context, unit_query, role)


class _WaitingForUnit(filters.MessageFilter):
    """Messages from someone who was just asked which unit to invite (one dict lookup)."""

    def __init__(self, app: KysoApp) -> None:
        """Read the application's per-user data without creating entries."""
        super().__init__(name="WaitingForUnit")
        self._user_data = app.user_data

    def filter(self, message: Message) -> bool:
        """True while a /moi question is open for the sender."""
        user = message.from_user
        return user is not None and PENDING_KEY in self._user_data.get(user.id, {})


async def pending_unit_text(update: Update, context: BotContext) -> None:
    """The unit name typed after a bare /moi (only while that question is open)."""
    data = context.user_data
    pending = data.get(PENDING_KEY) if data is not None else None
    if not pending or data is None:
        return
    del data[PENDING_KEY]
    viewer = context.viewer
    if viewer is None or not viewer.is_secretariat:
        return
    if time.monotonic() - float(pending["at"]) > PENDING_SECONDS:
        return
    message = update.effective_message
    assert message is not None and message.text is not None
    role = Role(pending["role"]) if pending["role"] else None
    await _offer_units(message, context, message.text.strip(), role)
    raise ApplicationHandlerStop


async def forget_pending(update: Update, context: BotContext) -> None:
    """Any command ends an open 'which unit?' question (/moi asks again if needed)."""
    if context.user_data:
        context.user_data.pop(PENDING_KEY, None)


@secretariat_only
async def invite_choice(update: Update, context: BotContext) -> None:
    """inv:<unit id>:<role|*> — a unit or role button; inv:x — cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    parts = query.data.split(":")
    if parts[1] == "x":
        if context.user_data is not None:
            context.user_data.pop(PENDING_KEY, None)
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
    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    if not _is_private(update):
        await message.reply_text(_private_only_text())
        return
    kind, role, unknown = split_kind_and_role(" ".join(context.args or []))
    if unknown:
        await message.reply_text(
            _(
                "I did not understand “{words}”.\nUsage: /moi_hangloat [kind] [role], e.g. "
                "/moi_hangloat xa bithu. Kinds: xa, phuong, thitran, so, ban, khac (default: "
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


# --- redeeming (from /start) --------------------------------------------------------------


def redeem_text(result: RedeemResult, name: str) -> str:
    """The answer to /start <code>, specific to what happened."""
    status = result.status
    if status is RedeemStatus.OK:
        assert result.role is not None and result.unit_name is not None
        lines = [
            _("Welcome, {name}! You are now {role} of <b>{unit}</b>.").format(
                name=escape(name), role=ROLE_LABELS[result.role], unit=escape(result.unit_name)
            )
        ]
        if result.previous_role is not None:
            if result.previous_unit_name:
                lines.append(
                    _("Your previous role ({role} of {unit}) has ended.").format(
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
            _(
                "Try it now: /tyle — your unit's signing rate; /toi — your details; "
                "/trogiup — help."
            ),
        ]
        return "\n".join(lines)
    if status is RedeemStatus.THROTTLED:
        assert result.retry_at is not None
        return _(
            "Too many wrong invitation codes. For security, please try again after {time}."
        ).format(time=fmt_datetime(result.retry_at))
    if status is RedeemStatus.USED:
        return _(
            "This invitation has already been used. Each link works for one person only: ask "
            "the secretariat for a new one."
        )
    if status is RedeemStatus.EXPIRED:
        assert result.expires_at is not None
        return _("This invitation expired at {time}. Ask the secretariat for a new link.").format(
            time=fmt_datetime(result.expires_at)
        )
    if status is RedeemStatus.REVOKED:
        return _(
            "This invitation was withdrawn by the secretariat. Ask them for a new link if you "
            "still need one."
        )
    if status is RedeemStatus.ALREADY_YOURS:
        assert result.role is not None and result.unit_name is not None
        return _("You already joined <b>{unit}</b> as {role} with this invitation.").format(
            unit=escape(result.unit_name), role=ROLE_LABELS[result.role]
        )
    if status is RedeemStatus.LAST_SECRETARIAT:
        return _(
            "You are the only member of the secretariat: joining a unit would leave it empty. "
            "Add another member with /quantri_them first."
        )
    return _(
        "This invitation code is not valid. Check that you opened or copied the whole link, "
        "or ask the secretariat for a new one."
    )


async def redeem_payload(update: Update, context: BotContext, payload: str) -> None:
    """/start <code>: link the sender to the invitation's unit and role."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    with session_scope(context.runtime.engine) as session:
        result = redeem_invite(
            session=session,
            code=extract_code(payload),
            telegram_id=user.id,
            display_name=user.full_name,
            admin_ids=_admin_ids(context),
        )
    logger.info("Invitation code from %s: %s", user.id, result.status.value)
    await message.reply_text(redeem_text(result, user.full_name))


# --- the secretariat ----------------------------------------------------------------------


def _person(telegram_id: int, name: str) -> str:
    """'Nguyễn Văn A (<code>123</code>)' or just the id."""
    code = f"<code>{telegram_id}</code>"
    return f"{escape(name[:60])} ({code})" if name else code


async def admins_command(update: Update, context: BotContext) -> None:
    """/quantri: everyone in the secretariat."""
    assert update.effective_message is not None
    with session_scope(context.runtime.engine) as session:
        members = list_secretariat(session=session, admin_ids=_admin_ids(context))
    lines = [
        ngettext(
            "👥 <b>Secretariat</b>: {n} member", "👥 <b>Secretariat</b>: {n} members", len(members)
        ).format(n=fmt_number(len(members)))
    ]
    for m in members[:MAX_LISTED]:
        who = _person(m.telegram_id, m.display_name)
        if m.bootstrap:
            lines.append("• " + who + " — " + _("by configuration, cannot be removed in chat"))
        elif m.since is not None:
            lines.append("• " + who + " — " + _("since {date}").format(date=fmt_datetime(m.since)))
        else:
            lines.append("• " + who)
    if len(members) > MAX_LISTED:
        lines.append(_("… and {n} more").format(n=fmt_number(len(members) - MAX_LISTED)))
    lines.append("")
    lines.append(
        _(
            "Add: /quantri_them &lt;Telegram ID&gt; · Remove: /quantri_bo &lt;Telegram ID&gt;. "
            "A person finds their Telegram ID with /toi."
        )
    )
    await update.effective_message.reply_text("\n".join(lines))


def _telegram_id_arg(context: BotContext) -> int | None:
    """The one numeric argument, or None."""
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit() or not 0 < int(args[0]) < 2**53:
        return None
    return int(args[0])


async def _notify(context: BotContext, result: MembershipResult, text_fn: object) -> bool:
    """Tell the person concerned, in their language; False if they cannot be reached."""
    language = result.language or context.runtime.settings.default_language
    with use_language(language):
        text = text_fn()  # type: ignore[operator]
    try:
        await context.bot.send_message(result.telegram_id, text)
    except TelegramError:
        logger.info("Could not notify %s", result.telegram_id, exc_info=True)
        return False
    return True


async def admin_add_command(update: Update, context: BotContext) -> None:
    """/quantri_them <telegram id>."""
    message = update.effective_message
    assert message is not None
    telegram_id = _telegram_id_arg(context)
    if telegram_id is None:
        await message.reply_text(
            _(
                "Usage: /quantri_them &lt;Telegram ID&gt;, e.g. /quantri_them 123456789. The "
                "person finds their ID with /toi."
            )
        )
        return
    actor = context.require_viewer().telegram_id
    with session_scope(context.runtime.engine) as session:
        result = grant_secretariat(
            session=session, actor=actor, telegram_id=telegram_id, admin_ids=_admin_ids(context)
        )
    who = _person(result.telegram_id, result.display_name)
    if result.status is MembershipStatus.ALREADY:
        await message.reply_text(_("{who} is already in the secretariat.").format(who=who))
        return
    logger.info("%s added %s to the secretariat", actor, telegram_id)
    lines = [_("✅ {who} is now in the secretariat.").format(who=who)]
    if result.ended_role is not None:
        if result.ended_unit_name:
            lines.append(
                _("Their role as {role} of {unit} has ended.").format(
                    role=ROLE_LABELS[result.ended_role], unit=escape(result.ended_unit_name)
                )
            )
    reached = await _notify(
        context,
        result,
        lambda: _(
            "You have been added to the secretariat. Type /trogiup to see your new commands."
        ),
    )
    if not reached:
        lines.append(
            _("I could not tell them: they have not started the bot yet. Ask them to send /start.")
        )
    await message.reply_text("\n".join(lines))


def _revoke_refusal(status: MembershipStatus, who: str) -> str:
    """Why the secretariat role cannot be removed."""
    if status is MembershipStatus.BOOTSTRAP:
        return _(
            "{who} is an administrator by configuration (ADMIN_TELEGRAM_IDS) and cannot be "
            "removed in chat."
        ).format(who=who)
    if status is MembershipStatus.LAST_ONE:
        return _("{who} is the only member of the secretariat; add someone else first.").format(
            who=who
        )
    return _("{who} is not in the secretariat.").format(who=who)


async def admin_remove_command(update: Update, context: BotContext) -> None:
    """/quantri_bo <telegram id>: ask for confirmation."""
    message = update.effective_message
    assert message is not None
    telegram_id = _telegram_id_arg(context)
    if telegram_id is None:
        await message.reply_text(
            _("Usage: /quantri_bo &lt;Telegram ID&gt;, e.g. /quantri_bo 123456789. See /quantri.")
        )
        return
    with session_scope(context.runtime.engine) as session:
        refused = check_revoke(
            session=session, telegram_id=telegram_id, admin_ids=_admin_ids(context)
        )
        members = list_secretariat(session=session, admin_ids=_admin_ids(context))
    name = next((m.display_name for m in members if m.telegram_id == telegram_id), "")
    who = _person(telegram_id, name)
    if refused is not None:
        await message.reply_text(_revoke_refusal(refused, who))
        return
    if telegram_id == context.require_viewer().telegram_id:
        question = _("Remove yourself from the secretariat? You will lose its commands at once.")
    else:
        question = _("Remove {who} from the secretariat?").format(who=who)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Yes, remove"), callback_data=f"{ADMIN_CALLBACK}:rm:{telegram_id}"
                ),
                InlineKeyboardButton(_("Cancel"), callback_data=f"{ADMIN_CALLBACK}:keep"),
            ]
        ]
    )
    await message.reply_text(question, reply_markup=keyboard)


@secretariat_only
async def admin_remove_choice(update: Update, context: BotContext) -> None:
    """adm:rm:<telegram id> confirms the removal; adm:keep cancels."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    if query.data == f"{ADMIN_CALLBACK}:keep":
        await query.edit_message_text(_("Cancelled: nobody was removed."))
        return
    telegram_id = int(query.data.rsplit(":", 1)[1])
    actor = context.require_viewer().telegram_id
    with session_scope(context.runtime.engine) as session:
        result = revoke_secretariat(
            session=session, actor=actor, telegram_id=telegram_id, admin_ids=_admin_ids(context)
        )
    who = _person(result.telegram_id, result.display_name)
    if result.status is not MembershipStatus.REVOKED:
        await query.edit_message_text(_revoke_refusal(result.status, who))
        return
    logger.info("%s removed %s from the secretariat", actor, telegram_id)
    await query.edit_message_text(_("{who} is no longer in the secretariat.").format(who=who))
    if telegram_id != actor:
        await _notify(context, result, lambda: _("You are no longer a member of the secretariat."))


COMMANDS = (
    CommandSpec(
        names=("moi", "invite"),
        description=lazy_gettext(
            "invitation link for one unit and role, e.g. /moi Quang Lịch bithu "
            "(roles: bithu/chutich/head, vanphong/vanthu/staff, xem/viewer)"
        ),
        allowed=SECRETARIAT,
        callback=invite_command,
    ),
    CommandSpec(
        names=("moi_hangloat", "invite_bulk"),
        description=lazy_gettext(
            "Excel file with a new invitation link for every unit, e.g. /moi_hangloat xa bithu"
        ),
        allowed=SECRETARIAT,
        callback=bulk_command,
    ),
    CommandSpec(
        names=("quantri", "admins"),
        description=lazy_gettext("list the members of the secretariat"),
        allowed=SECRETARIAT,
        callback=admins_command,
    ),
    CommandSpec(
        names=("quantri_them", "admin_add"),
        description=lazy_gettext("add someone to the secretariat by Telegram ID"),
        allowed=SECRETARIAT,
        callback=admin_add_command,
    ),
    CommandSpec(
        names=("quantri_bo", "admin_remove"),
        description=lazy_gettext("remove someone from the secretariat (asks for confirmation)"),
        allowed=SECRETARIAT,
        callback=admin_remove_command,
    ),
)


def register(app: KysoApp) -> None:
    """Invitation and secretariat commands, their buttons and the guided unit question."""
    roles = "|".join(r.value for r in INVITE_ROLES)
    app.add_handler(
        CallbackQueryHandler(
            invite_choice, pattern=rf"^{INVITE_CALLBACK}:(x|\d+:({roles}|\{ANY_ROLE}))$"
        )
    )
    app.add_handler(
        CallbackQueryHandler(admin_remove_choice, pattern=rf"^{ADMIN_CALLBACK}:(keep|rm:\d+)$")
    )
    waiting = _WaitingForUnit(app)
    app.add_handler(
        MessageHandler(
            waiting & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
            pending_unit_text,
        ),
        group=PENDING_GROUP,
    )
    app.add_handler(MessageHandler(waiting & filters.COMMAND, forget_pending), group=PENDING_GROUP)
