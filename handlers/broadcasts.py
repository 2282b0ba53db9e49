"""Secretariat broadcasts: /thongbao (compose → audience → preview → send), status, acks."""

from __future__ import annotations

import logging
import re
import secrets
import time
from html import escape
from typing import Any

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.broadcasts import service as broadcasts
from bot.broadcasts.service import Reach, Scope, Target
from bot.core.areas import KINDS, kind_label, list_areas
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_datetime, fmt_number, lazy_gettext, ngettext
from bot.core.outbox import split_text
from bot.core.roles import role_label
from handlers.commands import SECRETARIAT, CommandSpec
from handlers.common import secretariat_only
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)


PENDING_KEY = "broadcast_pending"  # user_data: {"token", "step", "text", "at", ...}
PENDING_SECONDS = 30 * 60
# Typed announcement text is taken before the pasted-table (-1) and feature (0) handlers:
# an announcement mentioning "tỷ lệ ký số" must not be read as a question or a table.
PENDING_GROUP = -3
AREA_BUTTONS = 12
MAX_UNIT_NAMES = 40

CALLBACK = re.compile(r"^bc:([A-Za-z0-9_-]{6}):([a-z]+)(?::([a-z0-9_-]+))?$")


def ack_label() -> str:
    """The acknowledgement button's label."""
    return _("✅ Received")


def _new_token() -> str:
    """A short random key that ties buttons to one draft."""
    return secrets.token_urlsafe(6)[:6]


def _draft(context: BotContext) -> dict[str, Any] | None:
    """The user's current draft, unless it expired."""
    data = context.user_data
    draft = data.get(PENDING_KEY) if data is not None else None
    if draft is None:
        return None
    if time.monotonic() - float(draft["at"]) > PENDING_SECONDS:
        data.pop(PENDING_KEY, None)  # type: ignore[union-attr]
        return None
    return draft  # type: ignore[no-any-return]


def _target(draft: dict[str, Any]) -> Target:
    """The audience chosen so far."""
    return Target(
        scope=Scope(draft["scope"]),
        reach=Reach(draft.get("reach") or Reach.OFFICIALS.value),
        kind=draft.get("kind"),
        area_unit_id=draft.get("area"),
    )


def _button(label: str, token: str, action: str, value: str | int | None = None) -> Any:
    """An inline button of a draft."""
    data = f"bc:{token}:{action}" + (f":{value}" if value is not None else "")
    return InlineKeyboardButton(label, callback_data=data)


# --- /thongbao ------------------------------------------------------------------------------


async def broadcast_command(update: Update, context: BotContext) -> None:
    """/thongbao [text]: start a draft; the text may follow the command."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        await message.reply_text(_("Please write announcements in a private chat with me."))
        return
    draft = {"token": _new_token(), "step": "text", "at": time.monotonic()}
    context.user_data[PENDING_KEY] = draft
    text = _body_from_command(message)
    if text:
        await _take_text(message, context, draft, text)
        return
    await message.reply_text(
        _(
            "📢 <b>New announcement</b>\n"
            "Send the text now. You can format it with Telegram's bold/italic, or with HTML: "
            '&lt;b&gt;, &lt;i&gt;, &lt;u&gt;, &lt;a href="…"&gt;. Then you will choose who '
            "receives it and see a preview before anything is sent.\n"
            "/huy to cancel."
        )
    )


# Entities that carry formatting; with any of them the message is taken as Telegram renders it.
FORMATTING = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    }
)


def _message_html(message: Message) -> str:
    """Formatted with Telegram's buttons: its HTML; otherwise the text as typed (HTML allowed)."""
    if any(e.type in FORMATTING for e in message.entities):
        return message.text_html or ""
    return message.text or ""


def _body_from_command(message: Message) -> str:
    """The text after '/thongbao', if any."""
    first = message.entities[0] if message.entities else None
    if first is None or first.type != "bot_command" or first.offset != 0:
        return ""
    return _message_html(message)[first.length :].strip()


class _WaitingForText(filters.MessageFilter):
    """Messages from someone whose announcement draft waits for its text."""

    def __init__(self, app: KysoApp) -> None:
        """Read the application's per-user data without creating entries."""
        super().__init__(name="WaitingForAnnouncement")
        self._user_data = app.user_data

    def filter(self, message: Message) -> bool:
        """True while the sender's draft is at the text step."""
        user = message.from_user
        draft = self._user_data.get(user.id, {}).get(PENDING_KEY) if user is not None else None
        return draft is not None and draft.get("step") == "text"


async def pending_text(update: Update, context: BotContext) -> None:
    """Typed announcement text while a draft waits for it."""
    draft = _draft(context)
    if draft is None or draft.get("step") != "text":
        return
    viewer = context.viewer
    message = update.effective_message
    if viewer is None or not viewer.is_secretariat or message is None:
        return
    await _take_text(message, context, draft, _message_html(message).strip())
    raise ApplicationHandlerStop


async def _take_text(
    message: Message, context: BotContext, draft: dict[str, Any], text: str
) -> None:
    """Validate the text; if fine, ask for the audience."""
    problems = broadcasts.validate_text(text)
    if problems:
        lines = "\n".join(f"• {escape(p)}" for p in problems[:10])
        await message.reply_text(
            _(
                "⚠️ This text cannot be sent as it is:\n{problems}\n\n"
                "Send the corrected text, or /huy to cancel."
            ).format(problems=lines)
        )
        return
    draft.update(text=text, step="audience", at=time.monotonic())
    await message.reply_text(_("Who should receive it?"), reply_markup=_audience_keyboard(draft))


def _audience_keyboard(draft: dict[str, Any]) -> InlineKeyboardMarkup:
    """The audience choices."""
    t = draft["token"]
    return InlineKeyboardMarkup(
        [
            [_button(_("All units"), t, "a", Scope.ALL.value)],
            [_button(_("Units below the warning threshold"), t, "a", "below_warning")],
            [_button(_("Units below the critical threshold"), t, "a", "below_critical")],
            [
                _button(_("By unit kind…"), t, "a", Scope.KIND.value),
                _button(_("By area…"), t, "a", Scope.AREA.value),
            ],
            [_button(_("Subscribed group chats"), t, "a", Scope.GROUPS.value)],
            [_button(_("✖️ Cancel"), t, "x")],
        ]
    )


@secretariat_only
async def draft_button(update: Update, context: BotContext) -> None:
    """Every button of a draft: audience, kind, area, reach, send, cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = CALLBACK.match(query.data)
    draft = _draft(context)
    if match is None or draft is None or draft["token"] != match.group(1):
        await query.answer(
            _("This draft is no longer open. Start again with /thongbao."), show_alert=True
        )
        return
    action, value = match.group(2), match.group(3)
    await query.answer()
    draft["at"] = time.monotonic()
    if action == "x":
        context.user_data.pop(PENDING_KEY, None)  # type: ignore[union-attr]
        await query.edit_message_text(_("Cancelled. Nothing was sent."))
    elif action == "a" and value in (Scope.KIND.value, Scope.AREA.value):
        draft.update(scope=value)
        await _ask_kind_or_area(update, context, draft, value)
    elif action == "a" and value in {s.value for s in Scope}:
        draft.update(scope=value, kind=None, area=None)
        await _after_units_chosen(update, context, draft)
    elif action == "k" and value in KINDS:
        draft.update(kind=value)
        await _after_units_chosen(update, context, draft)
    elif action == "r" and value is not None and value.isdigit():
        draft.update(area=int(value))
        await _after_units_chosen(update, context, draft)
    elif action == "h" and value in {r.value for r in Reach}:
        draft.update(reach=value)
        await _preview(update, context, draft)
    elif action == "ok":
        await _send(update, context, draft)
    elif action == "back":
        await query.edit_message_text(
            _("Who should receive it?"), reply_markup=_audience_keyboard(draft)
        )


async def _ask_kind_or_area(
    update: Update, context: BotContext, draft: dict[str, Any], scope: str
) -> None:
    """Buttons for a unit kind, or for an area."""
    query = update.callback_query
    assert query is not None
    t = draft["token"]
    if scope == Scope.KIND.value:
        rows = [[_button(kind_label(k), t, "k", k)] for k in KINDS]
        prompt = _("Which kind of unit?")
    else:
        with Session(context.runtime.engine) as session:
            areas = list_areas(session=session)[:AREA_BUTTONS]
        if not areas:
            await query.edit_message_text(
                _("No areas are set up yet (see /donvi). Choose another audience."),
                reply_markup=_audience_keyboard(draft),
            )
            return
        rows = [[_button(a.name, t, "r", a.id)] for a in areas]
        prompt = _("Which area?")
    rows.append([_button(_("◀️ Back"), t, "back"), _button(_("✖️ Cancel"), t, "x")])
    await query.edit_message_text(prompt, reply_markup=InlineKeyboardMarkup(rows))


async def _after_units_chosen(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """Groups go straight to the preview; units ask heads only or all officials."""
    query = update.callback_query
    assert query is not None
    if draft["scope"] == Scope.GROUPS.value:
        await _preview(update, context, draft)
        return
    t = draft["token"]
    markup = InlineKeyboardMarkup(
        [
            [_button(_("Heads only (bí thư / chủ tịch)"), t, "h", Reach.HEADS.value)],
            [_button(_("All officials of those units"), t, "h", Reach.OFFICIALS.value)],
            [_button(_("◀️ Back"), t, "back"), _button(_("✖️ Cancel"), t, "x")],
        ]
    )
    await query.edit_message_text(_("Who in each unit?"), reply_markup=markup)


async def _preview(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """The exact text, the audience in words and the recipient count; Send / Cancel."""
    query = update.callback_query
    assert query is not None
    target = _target(draft)
    with Session(context.runtime.engine) as session:
        recipients = broadcasts.resolve(session=session, audience=target)
        audience_text = broadcasts.describe(session=session, target=target)
    n = len(recipients.chats)
    lines = [_("📋 <b>Preview</b>"), _("Audience: {audience}").format(audience=audience_text)]
    if target.scope is Scope.GROUPS:
        lines.append(
            ngettext(
                "It will go to <b>{n} group chat</b>.",
                "It will go to <b>{n} group chats</b>.",
                n,
            ).format(n=fmt_number(n))
        )
    else:
        units = len(recipients.units)
        lines.append(
            ngettext(
                "It will go to <b>{n} person</b>", "It will go to <b>{n} people</b>", n
            ).format(n=fmt_number(n))
            + " "
            + ngettext("in {n} unit.", "in {n} units.", units).format(n=fmt_number(units))
        )
        empty = len(recipients.units_without_officials)
        if empty:
            lines.append(
                ngettext(
                    "⚠️ {n} unit has nobody using the bot and will not receive it "
                    "(see /khonglienlac).",
                    "⚠️ {n} units have nobody using the bot and will not receive it "
                    "(see /khonglienlac).",
                    empty,
                ).format(n=fmt_number(empty))
            )
    lines.append(_("Exactly what they will see:"))
    body = broadcasts.message_text(draft["text"])
    text = "\n".join(lines) + "\n———\n" + body
    t = draft["token"]
    if n == 0:
        rows = [[_button(_("◀️ Back"), t, "back"), _button(_("✖️ Cancel"), t, "x")]]
        text += "\n———\n" + _("Nobody to send to: choose another audience.")
    else:
        draft["step"] = "confirm"
        rows = [
            [_button(_("✅ Send to {n}").format(n=fmt_number(n)), t, "ok")],
            [_button(_("◀️ Back"), t, "back"), _button(_("✖️ Cancel"), t, "x")],
        ]
    await query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(rows))


async def _send(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    """Store and queue the broadcast in one transaction; the preview becomes the progress."""
    query = update.callback_query
    assert query is not None and query.message is not None and context.user_data is not None
    if draft.get("step") != "confirm":
        return
    context.user_data.pop(PENDING_KEY, None)  # a second press finds no draft
    viewer = context.require_viewer()
    with session_scope(context.runtime.engine) as session:
        broadcast, n = broadcasts.create(
            session=session,
            text=draft["text"],
            audience=_target(draft),
            actor=viewer.telegram_id,
            ack_label=ack_label(),
            progress_chat_id=query.message.chat.id,
        )
        broadcast_id = broadcast.id
        assert broadcast_id is not None
        broadcasts.set_progress_message(
            session=session,
            broadcast_id=broadcast_id,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
        )
    context.runtime.wake_sender()
    logger.info("Broadcast %s queued to %s chats by %s", broadcast_id, n, viewer.telegram_id)
    await query.edit_message_text(
        broadcasts.progress_text(broadcast_id, {"pending": n}, n, done=False), reply_markup=None
    )


# --- acknowledgement ------------------------------------------------------------------------


async def ack_button(update: Update, context: BotContext) -> None:
    """'✅ Received' under an announcement (anyone who got it)."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    broadcast_id = int(query.data.rsplit(":", 1)[1])
    try:
        with Session(context.runtime.engine) as session:
            first = broadcasts.acknowledge(
                session=session, broadcast_id=broadcast_id, telegram_id=update.effective_user.id
            )
    except LookupError:
        await query.answer(_("This announcement no longer exists."), show_alert=True)
        return
    if not first:
        await query.answer(_("You have already confirmed. Thank you."))
        return
    await query.answer(_("Thank you: your confirmation was recorded."))
    if query.message is not None and update.effective_chat is not None:
        if update.effective_chat.type == ChatType.PRIVATE:
            done = InlineKeyboardMarkup(
                [[InlineKeyboardButton(_("✅ Confirmed"), callback_data=query.data)]]
            )
            await query.edit_message_reply_markup(reply_markup=done)


# --- lists and status ------------------------------------------------------------------------


async def list_command(update: Update, context: BotContext) -> None:
    """/thongbao_ds: the latest announcements with their delivery."""
    message = update.effective_message
    assert message is not None
    with Session(context.runtime.engine) as session:
        items = [
            (b, broadcasts.status(session=session, broadcast_id=b.id))  # type: ignore[arg-type]
            for b in broadcasts.recent(session=session, limit=10)
        ]
    if not items:
        await message.reply_text(_("No announcements yet. Write one with /thongbao."))
        return
    lines = [_("📢 <b>Latest announcements</b>")]
    rows = []
    for b, st in items:
        assert st is not None and b.id is not None
        sent = st.counts.get("sent", 0)
        lines.append(
            _("#{id} · {when} · sent {sent}/{total} · {acks} confirmed\n{excerpt}").format(
                id=b.id,
                when=fmt_datetime(b.created_at),
                sent=fmt_number(sent),
                total=fmt_number(b.recipients),
                acks=fmt_number(st.acknowledged_people),
                excerpt=escape(_excerpt(b.text)),
            )
        )
        rows.append([InlineKeyboardButton(f"#{b.id}", callback_data=f"bcs:{b.id}")])
    await message.reply_text("\n\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


def _excerpt(text: str, limit: int = 80) -> str:
    """The start of a text without its HTML tags."""
    plain = re.sub(r"<[^>]+>", "", text).replace("&lt;", "<").replace("&gt;", ">")
    plain = " ".join(plain.replace("&amp;", "&").split())
    return plain if len(plain) <= limit else plain[: limit - 1] + "…"


async def status_command(update: Update, context: BotContext) -> None:
    """/thongbao_tt <id>."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        await message.reply_text(
            _("Type the announcement's number, e.g. /thongbao_tt 12 (see /thongbao_ds).")
        )
        return
    text, markup = _status_view(context, int(args[0].lstrip("#")))
    await message.reply_text(text, reply_markup=markup)


@secretariat_only
async def status_button(update: Update, context: BotContext) -> None:
    """A '#12' button of /thongbao_ds, or the remind button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _sep, raw = query.data.partition(":")
    broadcast_id = int(raw)
    if action == "bcr":
        await _remind(update, context, broadcast_id)
        return
    await query.answer()
    text, markup = _status_view(context, broadcast_id)
    await query.edit_message_text(text, reply_markup=markup)


def _status_view(context: BotContext, broadcast_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Delivered / acknowledged / failed / unreachable, and who has not acknowledged."""
    with Session(context.runtime.engine) as session:
        st = broadcasts.status(session=session, broadcast_id=broadcast_id)
        if st is None:
            return _("There is no announcement #{id}.").format(id=broadcast_id), None
        b = st.broadcast
        audience = broadcasts.describe(
            session=session, target=Target.from_dict(b.audience or {"scope": "all"})
        )
    c = st.counts
    lines = [
        _("📊 <b>Announcement #{id}</b> · {when}").format(
            id=broadcast_id, when=fmt_datetime(b.created_at)
        ),
        _("Audience: {audience}").format(audience=audience),
        escape(_excerpt(b.text, 200)),
        "",
        _("Recipients: {n}").format(n=fmt_number(b.recipients)),
        _("✅ Delivered: {n}").format(n=fmt_number(c.get("sent", 0))),
    ]
    waiting = c.get("pending", 0) + c.get("sending", 0)
    if waiting:
        lines.append(_("⏳ Still to send: {n}").format(n=fmt_number(waiting)))
    lines += [
        _("⚠️ Failed: {n}").format(n=fmt_number(c.get("failed", 0) + c.get("cancelled", 0))),
        _("🚫 Unreachable (blocked the bot or never started it): {n}").format(
            n=fmt_number(c.get("unreachable", 0))
        ),
        ngettext(
            "👍 Confirmed “{ack}”: {n} person; units: {done}/{units}",
            "👍 Confirmed “{ack}”: {n} people; units: {done}/{units}",
            st.acknowledged_people,
        ).format(
            ack=ack_label(),
            n=fmt_number(st.acknowledged_people),
            done=fmt_number(len(st.units) - len(st.units_not_acknowledged)),
            units=fmt_number(len(st.units)),
        ),
    ]
    missing = st.units_not_acknowledged
    if missing:
        names = ", ".join(escape(name) for _id, name in missing[:MAX_UNIT_NAMES])
        more = len(missing) - MAX_UNIT_NAMES
        if more > 0:
            names += " " + _("and {n} more").format(n=fmt_number(more))
        lines.append(
            ngettext(
                "Not yet confirmed ({n} unit): {names}",
                "Not yet confirmed ({n} units): {names}",
                len(missing),
            ).format(n=fmt_number(len(missing)), names=names)
        )
    markup = None
    if missing and st.done:
        label = ngettext(
            "🔔 Remind the {n} unit that has not confirmed",
            "🔔 Remind the {n} units that have not confirmed",
            len(missing),
        ).format(n=fmt_number(len(missing)))
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=f"bcr:{broadcast_id}")]]
        )
    return "\n".join(lines), markup


async def _remind(update: Update, context: BotContext, broadcast_id: int) -> None:
    """Queue a reminder to the officials of units that have not acknowledged."""
    query = update.callback_query
    assert query is not None
    viewer = context.require_viewer()
    with Session(context.runtime.engine) as session:
        try:
            n = broadcasts.remind_unacknowledged(
                session=session,
                broadcast_id=broadcast_id,
                actor=viewer.telegram_id,
                ack_label=ack_label(),
            )
        except broadcasts.ReminderInFlight:
            await query.answer(
                _("A reminder for this announcement is still being sent."), show_alert=True
            )
            return
        except LookupError:
            await query.answer(_("This announcement no longer exists."), show_alert=True)
            return
    context.runtime.wake_sender()
    await query.answer(
        ngettext("Reminder queued for {n} person.", "Reminder queued for {n} people.", n).format(
            n=fmt_number(n)
        ),
        show_alert=True,
    )


# --- unreachable ----------------------------------------------------------------------------


async def unreachable_command(update: Update, context: BotContext) -> None:
    """/khonglienlac: who cannot be reached, so the secretariat can phone them."""
    message = update.effective_message
    assert message is not None
    with Session(context.runtime.engine) as session:
        people, empty_units = broadcasts.unreachable(session=session)
    if not people and not empty_units:
        await message.reply_text(_("✅ Every unit has at least one official the bot can reach."))
        return
    lines: list[str] = []
    if people:
        lines.append(
            ngettext(
                "🚫 <b>{n} official cannot be reached</b> (blocked the bot, left Telegram, or "
                "never pressed Start):",
                "🚫 <b>{n} officials cannot be reached</b> (blocked the bot, left Telegram, or "
                "never pressed Start):",
                len(people),
            ).format(n=fmt_number(len(people)))
        )
        for p in people:
            lines.append(
                f"• {escape(p.name or str(p.telegram_id))} ({p.telegram_id}) — "
                f"{escape(role_label(p.role))}, {escape(p.unit_name)}"
            )
    if empty_units:
        if lines:
            lines.append("")
        lines.append(
            ngettext(
                "🏢 <b>{n} unit has nobody using the bot</b> (invite them with /moi):",
                "🏢 <b>{n} units have nobody using the bot</b> (invite them with /moi):",
                len(empty_units),
            ).format(n=fmt_number(len(empty_units)))
        )
        lines.extend(f"• {escape(name)}" for name in empty_units)
    for part in split_text("\n".join(lines)):
        await message.reply_text(part)


COMMANDS = (
    CommandSpec(
        names=("thongbao", "broadcast"),
        description=lazy_gettext("send an announcement to units or groups"),
        allowed=SECRETARIAT,
        callback=broadcast_command,
    ),
    CommandSpec(
        names=("thongbao_ds", "broadcasts"),
        description=lazy_gettext("recent announcements and their delivery"),
        allowed=SECRETARIAT,
        callback=list_command,
    ),
    CommandSpec(
        names=("thongbao_tt", "broadcast_status"),
        description=lazy_gettext("delivery and acknowledgements of one announcement"),
        allowed=SECRETARIAT,
        callback=status_command,
    ),
    CommandSpec(
        names=("khonglienlac", "unreachable"),
        description=lazy_gettext("officials and units the bot cannot reach"),
        allowed=SECRETARIAT,
        callback=unreachable_command,
    ),
)


def register(app: KysoApp) -> None:
    """Draft buttons, the acknowledgement button and the draft's typed text."""
    app.add_handler(CallbackQueryHandler(draft_button, pattern=r"^bc:"))
    app.add_handler(CallbackQueryHandler(status_button, pattern=r"^bc[sr]:\d+$"))
    app.add_handler(CallbackQueryHandler(ack_button, pattern=r"^ack:b:\d+$"))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & _WaitingForText(app),
            pending_text,
        ),
        group=PENDING_GROUP,
    )
