"""Group chats: joining and leaving, /nhom subscriptions, /nhom_ds, supergroup upgrades."""

from __future__ import annotations

import logging
from html import escape

from sqlmodel import Session
from telegram import (
    ChatMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.core.areas import list_areas
from bot.core.audiences import Subscription, current_subscription, subscribed_groups
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime, fmt_number, lazy_gettext
from bot.core.lookup import UnitRef
from bot.groups import service as groups
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.common import secretariat_only
from handlers.context import BotContext, KysoApp
from handlers.paging import Listing, ListingSource, Section, add_listing, send_listing

logger = logging.getLogger(__name__)


AREA_PAGE = 8
_IN = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER}


def _is_in(member: ChatMember) -> bool:
    """Whether a chat member status means the bot is in the chat."""
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in _IN


def _what(area_name: str | None) -> str:
    """'the whole province' or the area's name."""
    return escape(area_name) if area_name else _("the whole province (every unit)")


# --- joining and leaving ------------------------------------------------------------------


async def my_chat_member(update: Update, context: BotContext) -> None:
    """The bot was added to or removed from a group."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type not in groups.GROUP_TYPES:
        return
    was_in, is_in = _is_in(change.old_chat_member), _is_in(change.new_chat_member)
    chat = change.chat
    if is_in and not was_in:
        with session_scope(context.runtime.engine) as session:
            groups.record_chat(
                session=session, chat_id=chat.id, chat_type=chat.type, title=chat.title or ""
            )
        logger.info("added to group %s", chat.id)
        await context.bot.send_message(
            chat.id,
            _(
                "Hello! I follow the digital signing of electronic documents. A member of the "
                "secretariat can type /group here to choose the summaries this group receives."
            ),
        )
    elif was_in and not is_in:
        with session_scope(context.runtime.engine) as session:
            groups.record_chat_left(session=session, chat_id=chat.id, actor=change.from_user.id)
        logger.info("removed from group %s", chat.id)


async def migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup: move its subscription to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    with session_scope(context.runtime.engine) as session:
        groups.migrate_chat(session=session, old_chat_id=old, new_chat_id=new)


# --- /nhom --------------------------------------------------------------------------------


def group_view(
    title: str, current: Subscription | None, areas: list[UnitRef], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The group's subscription and the choices."""
    lines = [f"👥 <b>{escape(title)}</b>" if title else _("👥 <b>This group</b>")]
    if current is None:
        lines.append(_("This group does not receive summaries yet."))
    else:
        lines.append(
            _("This group receives summaries for {what}, since {since}.").format(
                what=_what(current.area_name), since=fmt_datetime(current.since)
            )
        )
    lines.append(_("Choose what it should receive:"))
    if not areas:
        lines.append(
            _(
                "To choose a single area, first make a unit an area in /units (kind “area”, or "
                "place units under it)."
            )
        )
    now_area = current.area_unit_id if current else -1
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if current is not None and now_area is None else "") + _("🌐 Whole province"),
                callback_data="gs:all",
            )
        ]
    ]
    pages = max(1, -(-len(areas) // AREA_PAGE))
    page = min(max(page, 0), pages - 1)
    for area in areas[page * AREA_PAGE : (page + 1) * AREA_PAGE]:
        mark = "✓ " if area.id == now_area else ""
        rows.append(
            [InlineKeyboardButton((mark + area.name)[:64], callback_data=f"gs:a:{area.id}")]
        )
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(_("◀️ Previous"), callback_data=f"gs:p:{page - 1}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(_("Next ▶️"), callback_data=f"gs:p:{page + 1}"))
    if nav:
        rows.append(nav)
    if current is not None:
        rows.append([InlineKeyboardButton(_("🔕 Unsubscribe"), callback_data="gs:off")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def _group_screen(update: Update, context: BotContext, page: int, *, edit: bool) -> None:
    """Show /nhom's screen for the current chat."""
    chat = update.effective_chat
    assert chat is not None
    with Session(context.runtime.engine) as session:
        current = current_subscription(session=session, chat_id=chat.id)
        areas = list_areas(session=session)
    text, markup = group_view(chat.title or "", current, areas, page)
    query = update.callback_query
    if edit and query is not None:
        await query.answer()
        await query.edit_message_text(text, reply_markup=markup)
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text, reply_markup=markup)


async def group_command(update: Update, context: BotContext) -> None:
    """/nhom: in a group, its subscription and choices; in private, how to use it."""
    chat = update.effective_chat
    assert chat is not None and update.effective_message is not None
    if chat.type not in groups.GROUP_TYPES:
        await update.effective_message.reply_text(
            _(
                "Use /group inside the group: add me to the group, then type /group there to "
                "choose what it receives. /groups lists the groups that receive summaries."
            )
        )
        return
    with session_scope(context.runtime.engine) as session:
        # Groups the bot joined before it kept track of them are recorded here.
        groups.record_chat(
            session=session, chat_id=chat.id, chat_type=chat.type, title=chat.title or ""
        )
    await _group_screen(update, context, 0, edit=False)


@secretariat_only
async def group_button(update: Update, context: BotContext) -> None:
    """gs:all, gs:a:<area id>, gs:p:<page>, gs:off."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and query.data is not None and chat is not None
    parts = query.data.split(":")
    if parts[1] == "p":
        await _group_screen(update, context, int(parts[2]), edit=True)
        return
    actor = context.require_viewer().telegram_id
    try:
        with session_scope(context.runtime.engine) as session:
            if parts[1] == "off":
                groups.unsubscribe(session=session, chat_id=chat.id, actor=actor)
                text = _("🔕 This group will no longer receive summaries.")
            else:
                area_id = int(parts[2]) if parts[1] == "a" else None
                groups.subscribe(
                    session=session,
                    chat_id=chat.id,
                    chat_type=chat.type,
                    title=chat.title or "",
                    area_unit_id=area_id,
                    actor=actor,
                )
                current = current_subscription(session=session, chat_id=chat.id)
                assert current is not None
                text = _("✅ This group will receive summaries for {what}.").format(
                    what=_what(current.area_name)
                )
    except groups.GroupError as exc:
        text = exc.message()
    await query.answer()
    await query.edit_message_text(text)


GROUPS = "groups"  # the kind of list /nhom_ds pages through


def groups_listing(context: BotContext, _subject: int | None = None) -> Listing | None:
    """Every subscribed group (None: there are none)."""
    with Session(context.runtime.engine) as session:
        subs = subscribed_groups(session=session)
    if not subs:
        return None
    heading = _("👥 <b>Groups receiving summaries: {n}</b>").format(n=fmt_number(len(subs)))
    lines = [
        _("{number}. {title} — {what}, since {since} · <code>{id}</code>").format(
            number=number,
            title=escape(sub.chat_title) if sub.chat_title else _("(no title)"),
            what=_what(sub.area_name),
            since=fmt_datetime(sub.since),
            id=sub.chat_id,
        )
        for number, sub in enumerate(subs, start=1)
    ]
    return Listing([Section(heading, lines)], file_name=_("groups.txt"))


GROUPS_SOURCE = ListingSource(allowed=SECRETARIAT, build=groups_listing)


async def groups_command(update: Update, context: BotContext) -> None:
    """/nhom_ds: every subscribed group, in pages."""
    assert update.effective_message is not None
    listing = groups_listing(context)
    if listing is None:
        await update.effective_message.reply_text(
            _("No group receives summaries yet. Add me to a group and type /group there.")
        )
        return
    await send_listing(update, context, GROUPS, listing)


COMMANDS = (
    CommandSpec(
        names=("nhom", "group"),
        description=lazy_gettext("(in a group) choose what the group receives"),
        allowed=SECRETARIAT,
        callback=group_command,
    ),
    CommandSpec(
        names=("nhom_ds", "groups"),
        description=lazy_gettext("groups receiving summaries"),
        allowed=SECRETARIAT,
        callback=groups_command,
    ),
)


def register(app: KysoApp) -> None:
    """Membership changes, /nhom, /nhom_ds, their buttons and migrations."""
    add_listing(app, GROUPS, GROUPS_SOURCE)
    app.add_handler(ChatMemberHandler(my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    app.add_handler(CallbackQueryHandler(group_button, pattern=r"^gs:(all|off|a:\d+|p:\d+)$"))
