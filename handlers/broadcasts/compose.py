"""/thongbao: the draft dialog (text → audience → preview and confirm) and sending it."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType

from bot.core import heap
from bot.core.areas import KINDS, list_areas
from bot.core.audiences import Audience, Reach
from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _
from bot.core.telegram_html import escape_bare
from handlers.broadcasts.views import (
    ack_label,
    area_keyboard,
    audience_keyboard,
    compose_prompt,
    kind_keyboard,
    preview_keyboard,
    preview_text,
    reach_keyboard,
    text_problems,
)
from handlers.common import secretariat_only
from handlers.context import BotContext
from handlers.dialogs import DialogFeature, State, ask, current_of, end

if TYPE_CHECKING:
    from bot.broadcasts.service import Recipients

# Imported inside the functions that use them: bot.broadcasts loads at the first announcement, not
# at start-up.

logger = logging.getLogger(__name__)

FEATURE = "broadcasts"
# The draft's steps. Its dialog data: token (ties buttons to this draft), text, and the
# audience chosen so far (scope, kind, area, reach).
TEXT, AUDIENCE, CONFIRM = "text", "audience", "confirm"
DRAFT_TTL = dt.timedelta(minutes=30)
AREA_BUTTONS = 12

CALLBACK = re.compile(r"^bc:([A-Za-z0-9_-]{6}):([a-z]+)(?::([a-z0-9_-]+))?$")

Draft = dict[str, Any]


def _new_token() -> str:
    """A short random key that ties buttons to one draft."""
    return secrets.token_urlsafe(6)[:6]


def _save(context: BotContext, state: str, draft: Draft) -> None:
    """Keep the draft at a step (this also restarts its half hour)."""
    ask(context, FEATURE, state, draft)


def _target(draft: Draft) -> Audience:
    """The audience chosen so far."""
    from bot.broadcasts.service import Scope, chosen_audience

    return chosen_audience(
        Scope(draft["scope"]),
        reach=Reach(draft.get("reach") or Reach.OFFICIALS.value),
        unit_kind=draft.get("kind"),
        area_id=draft.get("area"),
    )


# --- /thongbao and the draft's text -----------------------------------------------------------


async def broadcast_command(update: Update, context: BotContext) -> None:
    """/thongbao [text]: start a draft; the text may follow the command."""
    message = update.effective_message
    assert message is not None
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        await message.reply_text(_("Please write announcements in a private chat with me."))
        return
    draft = {"token": _new_token()}
    _save(context, TEXT, draft)
    text = _body_from_command(message)
    if text:
        await _take_text(message, context, draft, text)
        return
    await message.reply_text(compose_prompt())


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


async def on_text(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """Typed announcement text while the draft waits for it (private chat, secretariat)."""
    viewer = context.viewer
    message = update.effective_message
    chat = update.effective_chat
    if viewer is None or not viewer.is_secretariat or message is None:
        return
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    await _take_text(message, context, dialog.data, _message_html(message).strip())


async def _take_text(message: Message, context: BotContext, draft: Draft, text: str) -> None:
    """Validate the text (a bare "<" or "&" is escaped for the writer); if fine, ask for the
    audience."""
    from bot.broadcasts import service as broadcasts

    text = escape_bare(text)
    problems = broadcasts.validate_text(text)
    if problems:
        await message.reply_text(text_problems(problems))
        return
    draft = {**draft, "text": text}
    _save(context, AUDIENCE, draft)
    await message.reply_text(
        _("Who should receive it?"), reply_markup=audience_keyboard(draft["token"])
    )


# --- the draft's buttons ----------------------------------------------------------------------

Action = Callable[[CallbackQuery, BotContext, OpenDialog, str | None], Awaitable[None]]


@secretariat_only
async def draft_button(update: Update, context: BotContext) -> None:
    """Every button of a draft: audience, kind, area, reach, send, back, cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = CALLBACK.match(query.data)
    dialog = current_of(context, FEATURE, AUDIENCE, CONFIRM)
    if match is None or dialog is None or dialog.data.get("token") != match.group(1):
        await query.answer(
            _("This draft is no longer open. Start again with /broadcast."), show_alert=True
        )
        return
    await query.answer()
    _save(context, dialog.state, dialog.data)
    action = ACTIONS.get(match.group(2))
    if action is not None:
        await action(query, context, dialog, match.group(3))


async def _cancel(query: CallbackQuery, context: BotContext, dialog: OpenDialog, _v: Any) -> None:
    """✖️ Cancel: close the draft."""
    end(context)
    await query.edit_message_text(_("Cancelled. Nothing was sent."))


async def _back(query: CallbackQuery, context: BotContext, dialog: OpenDialog, _v: Any) -> None:
    """◀️ Back: the audience choices again."""
    _save(context, AUDIENCE, dialog.data)
    await query.edit_message_text(
        _("Who should receive it?"), reply_markup=audience_keyboard(dialog.data["token"])
    )


async def _audience(
    query: CallbackQuery, context: BotContext, dialog: OpenDialog, value: str | None
) -> None:
    """An audience: a kind or an area asks which one; the others are chosen at once."""
    from bot.broadcasts.service import Scope

    if value in (Scope.KIND.value, Scope.AREA.value):
        draft = {**dialog.data, "scope": value}
        _save(context, AUDIENCE, draft)
        await _ask_kind_or_area(query, context, draft, value)
    elif value in {s.value for s in Scope}:
        await _units_chosen(
            query, context, {**dialog.data, "scope": value, "kind": None, "area": None}
        )


async def _kind(
    query: CallbackQuery, context: BotContext, dialog: OpenDialog, value: str | None
) -> None:
    """A unit kind."""
    if value in KINDS:
        await _units_chosen(query, context, {**dialog.data, "kind": value})


async def _area(
    query: CallbackQuery, context: BotContext, dialog: OpenDialog, value: str | None
) -> None:
    """An area."""
    if value is not None and value.isdigit():
        await _units_chosen(query, context, {**dialog.data, "area": int(value)})


async def _reach(
    query: CallbackQuery, context: BotContext, dialog: OpenDialog, value: str | None
) -> None:
    """Heads only, or every official."""
    if value in {r.value for r in Reach}:
        await _preview(query, context, {**dialog.data, "reach": value})


async def _ok(query: CallbackQuery, context: BotContext, dialog: OpenDialog, _v: Any) -> None:
    """✅ Send, from the preview only."""
    if dialog.state == CONFIRM:
        await _send(query, context, dialog.data)


ACTIONS: dict[str, Action] = {
    "x": _cancel,
    "back": _back,
    "a": _audience,
    "k": _kind,
    "r": _area,
    "h": _reach,
    "ok": _ok,
}


async def _ask_kind_or_area(
    query: CallbackQuery, context: BotContext, draft: Draft, scope: str
) -> None:
    """Buttons for a unit kind, or for an area."""
    from bot.broadcasts.service import Scope

    token = draft["token"]
    if scope == Scope.KIND.value:
        await query.edit_message_text(_("Which kind of unit?"), reply_markup=kind_keyboard(token))
        return
    with Session(context.runtime.engine) as session:
        areas = list_areas(session=session)[:AREA_BUTTONS]
    if not areas:
        await query.edit_message_text(
            _("No areas are set up yet (see /units). Choose another audience."),
            reply_markup=audience_keyboard(token),
        )
        return
    await query.edit_message_text(_("Which area?"), reply_markup=area_keyboard(token, areas))


async def _units_chosen(query: CallbackQuery, context: BotContext, draft: Draft) -> None:
    """Groups go straight to the preview; units ask heads only or all officials."""
    from bot.broadcasts.service import Scope

    if draft["scope"] == Scope.GROUPS.value:
        await _preview(query, context, draft)
        return
    _save(context, AUDIENCE, draft)
    await query.edit_message_text(
        _("Who in each unit?"), reply_markup=reach_keyboard(draft["token"])
    )


async def _preview(query: CallbackQuery, context: BotContext, draft: Draft) -> None:
    """The exact text, the audience in words and the recipient count; Send / Cancel."""
    from bot.broadcasts import service as broadcasts

    target = _target(draft)

    def resolve() -> tuple[Recipients, str]:
        """Recipients and the audience in words (a worker thread: 10,000 rows take a while)."""
        with heap.bulk(), Session(context.runtime.engine) as session:
            found = broadcasts.resolve(session=session, audience=target)
            return found, broadcasts.describe(session=session, audience=target)

    recipients, audience = await asyncio.to_thread(resolve)
    n = len(recipients.chats)
    _save(context, CONFIRM if n else AUDIENCE, draft)
    await query.edit_message_text(
        preview_text(target, recipients, audience, draft["text"]),
        reply_markup=preview_keyboard(draft["token"], n),
    )


async def _send(query: CallbackQuery, context: BotContext, draft: Draft) -> None:
    """Store and queue the broadcast in one transaction; the preview becomes the progress."""
    from bot.broadcasts import service as broadcasts

    assert query.message is not None
    end(context)  # a second press finds no draft
    viewer = context.require_viewer()
    chat_id, message_id = query.message.chat.id, query.message.message_id

    def store() -> tuple[int, int]:
        """Write the broadcast and its pushes (a worker thread: 10,000 rows take a second)."""
        with heap.bulk(), session_scope(context.runtime.engine) as session:
            broadcast, n = broadcasts.create(
                session=session,
                text=draft["text"],
                audience=_target(draft),
                actor=viewer.telegram_id,
                ack_label=ack_label(),
                progress_chat_id=chat_id,
            )
            assert broadcast.id is not None
            broadcasts.set_progress_message(
                session=session, broadcast_id=broadcast.id, chat_id=chat_id, message_id=message_id
            )
            return broadcast.id, n

    broadcast_id, n = await asyncio.to_thread(store)
    logger.info("Broadcast %s queued to %s chats by %s", broadcast_id, n, viewer.telegram_id)
    await query.edit_message_text(
        broadcasts.progress_text(broadcast_id, {"pending": n}, n, done=False), reply_markup=None
    )


DIALOG = DialogFeature(
    feature=FEATURE,
    states={TEXT: State(on_text=on_text), AUDIENCE: State(), CONFIRM: State()},
    ttl=DRAFT_TTL,
)
