"""The secretariat in chat: /quantri (who is in it), /quantri_them and /quantri_bo.

The person concerned is told through the outbox, in their language, once per change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core import outbox
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime, fmt_number, ngettext, use_language
from bot.core.roles import ROLE_LABELS
from handlers.commands import SECRETARIAT
from handlers.common import secretariat_only
from handlers.context import BotContext
from handlers.paging import Listing, ListingSource, Section, send_listing

if TYPE_CHECKING:
    from bot.invites.secretariat import MembershipResult, MembershipStatus

# Imported inside the functions that use them: bot.invites loads at the first secretariat command,
# not at start-up.

logger = logging.getLogger(__name__)

ADMIN_CALLBACK = "adm"  # adm:rm:<telegram id> (confirm removal)  ·  adm:keep


def _admin_ids(context: BotContext) -> frozenset[int]:
    """Bootstrap administrators from the configuration."""
    return context.runtime.settings.admin_telegram_ids


def _person(telegram_id: int, name: str) -> str:
    """'Nguyễn Văn A (<code>123</code>)' or just the id."""
    code = f"<code>{telegram_id}</code>"
    return f"{escape(name[:60])} ({code})" if name else code


ADMINS = "admins"  # the kind of list /quantri pages through


def admins_listing(context: BotContext, _subject: int | None = None) -> Listing:
    """Everyone in the secretariat, with how to add and remove."""
    from bot.invites.secretariat import list_secretariat

    with session_scope(context.runtime.engine) as session:
        members = list_secretariat(session=session, admin_ids=_admin_ids(context))
    heading = ngettext(
        "👥 <b>Secretariat</b>: {n} member", "👥 <b>Secretariat</b>: {n} members", len(members)
    ).format(n=fmt_number(len(members)))
    lines = []
    for m in members:
        who = _person(m.telegram_id, m.display_name)
        if m.bootstrap:
            lines.append("• " + who + " — " + _("by configuration, cannot be removed in chat"))
        elif m.since is not None:
            lines.append("• " + who + " — " + _("since {date}").format(date=fmt_datetime(m.since)))
        else:
            lines.append("• " + who)
    footer = _(
        "Add: /admin_add &lt;Telegram ID&gt; · Remove: /admin_remove &lt;Telegram ID&gt;. "
        "A person finds their Telegram ID with /me."
    )
    return Listing([Section(heading, lines)], file_name=_("secretariat.txt"), footer=footer)


ADMINS_SOURCE = ListingSource(allowed=SECRETARIAT, build=admins_listing)


async def admins_command(update: Update, context: BotContext) -> None:
    """/quantri: everyone in the secretariat, in pages."""
    await send_listing(update, context, ADMINS, admins_listing(context))


def _telegram_id_arg(context: BotContext) -> int | None:
    """The one numeric argument, or None."""
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit() or not 0 < int(args[0]) < 2**53:
        return None
    return int(args[0])


def _added_text() -> str:
    """What a new member of the secretariat is told."""
    return _("You have been added to the secretariat. Type /help to see your new commands.")


def _removed_text() -> str:
    """What a former member of the secretariat is told."""
    return _("You are no longer a member of the secretariat.")


def _notify(
    session: Session, context: BotContext, result: MembershipResult, text: Callable[[], str]
) -> None:
    """Queue the notice to the person concerned, in their language, once per change."""
    language = result.language or context.runtime.settings.default_language
    with use_language(language):
        body = text()
    outbox.enqueue(
        session=session,
        push=outbox.Push(
            key=f"secretariat:{result.status.value}:{result.official_id}",
            chat_id=result.telegram_id,
            text=body,
            kind="secretariat",
            priority=outbox.PRIORITY_URGENT,
        ),
    )


async def admin_add_command(update: Update, context: BotContext) -> None:
    """/quantri_them <telegram id>."""
    from bot.invites.secretariat import MembershipStatus, grant_secretariat

    message = update.effective_message
    assert message is not None
    telegram_id = _telegram_id_arg(context)
    if telegram_id is None:
        await message.reply_text(
            _(
                "Usage: /admin_add &lt;Telegram ID&gt;, e.g. /admin_add 123456789. The "
                "person finds their ID with /me."
            )
        )
        return
    actor = context.require_viewer().telegram_id
    with session_scope(context.runtime.engine) as session:
        result = grant_secretariat(
            session=session, actor=actor, telegram_id=telegram_id, admin_ids=_admin_ids(context)
        )
        if result.changed:
            _notify(session, context, result, _added_text)
    who = _person(result.telegram_id, result.display_name)
    if result.status is MembershipStatus.ALREADY:
        await message.reply_text(_("{who} is already in the secretariat.").format(who=who))
        return
    logger.info("%s added %s to the secretariat", actor, telegram_id)
    lines = [_("✅ {who} is now in the secretariat.").format(who=who)]
    if result.ended_role is not None:
        if result.ended_unit_name:
            lines.append(
                _("Their role at {unit} ({role}) has ended.").format(
                    role=ROLE_LABELS[result.ended_role], unit=escape(result.ended_unit_name)
                )
            )
    # The notice is queued either way; this says what the bot knew of them beforehand (never
    # seen, or found unreachable), since the reply cannot wait for the sender's attempt.
    if not result.reachable:
        lines.append(
            _("I could not tell them: they have not started the bot yet. Ask them to send /start.")
        )
    await message.reply_text("\n".join(lines))


def _revoke_refusal(status: MembershipStatus, who: str) -> str:
    """Why the secretariat role cannot be removed."""
    from bot.invites.secretariat import MembershipStatus

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
    from bot.invites.secretariat import check_revoke, list_secretariat

    message = update.effective_message
    assert message is not None
    telegram_id = _telegram_id_arg(context)
    if telegram_id is None:
        await message.reply_text(
            _(
                "Usage: /admin_remove &lt;Telegram ID&gt;, e.g. /admin_remove 123456789. "
                "See /admins."
            )
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
    from bot.invites.secretariat import MembershipStatus, revoke_secretariat

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
        if result.changed and telegram_id != actor:
            _notify(session, context, result, _removed_text)
    who = _person(result.telegram_id, result.display_name)
    if result.status is not MembershipStatus.REVOKED:
        await query.edit_message_text(_revoke_refusal(result.status, who))
        return
    logger.info("%s removed %s from the secretariat", actor, telegram_id)
    await query.edit_message_text(_("{who} is no longer in the secretariat.").format(who=who))
