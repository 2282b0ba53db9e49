"""Changing an open deadline from its card: rename it, change its reminders, postpone it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from sqlmodel import Session
from telegram import Update

from bot.core.dates import DateInputError, PlanInputError, parse_plan, parse_when
from bot.core.db import session_scope
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _, fmt_datetime
from bot.core.models import Deadline
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext
from handlers.deadlines.dialog import (
    DialogState,
    button_parts,
    drop,
    end,
    move,
    now,
    refuse,
    reply,
    say,
)
from handlers.deadlines.lists import show_card
from handlers.deadlines.views import due_prompt, plan_prompt
from handlers.dialogs import State
from jobs import deadlines as reminders

# Imported inside the functions that use them: bot.deadlines loads at its first use, not at start-
# up.

# dl:ed:<id>:<what> → the question it opens.
EDITS = {
    "title": DialogState.EDIT_TITLE,
    "plan": DialogState.EDIT_PLAN,
    "due": DialogState.EDIT_DUE,
}


def _prompt(state: DialogState, deadline: Deadline) -> str:
    """The question for one change of an existing deadline."""
    from bot.deadlines.audience import Draft
    from bot.deadlines.schedule import parse_hhmm

    title = escape(deadline.title)
    if state == DialogState.EDIT_TITLE:
        return _("Type the new title of “{title}”.").format(title=title)
    if state == DialogState.EDIT_PLAN:
        holder = Draft(
            plan_days=tuple(deadline.plan_days), plan_time=parse_hhmm(deadline.plan_time)
        )
        return plan_prompt(holder)
    return (
        _(
            "“{title}” is due {due}. Type the new deadline; everyone already reminded is told."
        ).format(title=title, due=fmt_datetime(deadline.due_at))
        + "\n"
        + due_prompt()
    )


@secretariat_only
async def edit_button(update: Update, context: BotContext) -> None:
    """dl:ed:<id>:title|plan|due — ask for the new value."""
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.lifecycle import open_deadline

    if not await private_only(update, contact_data=False):
        return
    _sep, _dl, raw_id, what = button_parts(update)
    deadline_id, state = int(raw_id), EDITS[what]
    with Session(context.runtime.engine) as session:
        try:
            deadline = open_deadline(session, deadline_id)
        except DeadlineError as exc:
            await refuse(update, exc.message())
            drop(context)
            return
        prompt = _prompt(state, deadline)
    move(context, state, {"deadline_id": deadline_id})
    await say(update, prompt + "\n" + _("Send /cancel to stop."))


# --- the typed new values -----------------------------------------------------------------

# A change: (session, context, deadline id, typed text) → the reply once it is written.
Change = Callable[[Session, BotContext, int, str], str]


def _rename(session: Session, context: BotContext, deadline_id: int, text: str) -> str:
    """The new title."""
    from bot.deadlines.lifecycle import edit_title

    actor = context.require_viewer().telegram_id
    edit_title(session=session, deadline_id=deadline_id, title=text, actor=actor, now=now(context))
    return _("✅ Renamed.")


def _replan(session: Session, context: BotContext, deadline_id: int, text: str) -> str:
    """The new reminder days and time."""
    from bot.deadlines import replies
    from bot.deadlines.lifecycle import edit_plan

    days, time = parse_plan(text)
    deadline = edit_plan(
        session=session,
        deadline_id=deadline_id,
        days=days,
        time=time,
        actor=context.require_viewer().telegram_id,
        now=now(context),
    )
    return _("✅ Reminders: {plan}.").format(
        plan=replies.plan_text(deadline.plan_days, deadline.plan_time)
    )


def _postpone(session: Session, context: BotContext, deadline_id: int, text: str) -> str:
    """The new deadline; everyone already reminded is told."""
    from bot.deadlines import replies
    from bot.deadlines.lifecycle import postpone

    rt = context.runtime
    moment = now(context)
    result = postpone(
        session=session,
        deadline_id=deadline_id,
        new_due=parse_when(text, now=moment, tz=rt.settings.tz),
        actor=context.require_viewer().telegram_id,
        now=moment,
        ctx=reminders.push_context(rt),
    )
    return (
        _("✅ Postponed to {due}.").format(due=fmt_datetime(result.deadline.due_at))
        + " "
        + replies.notified_text(result.notified)
    )


CHANGES: dict[str, Change] = {
    DialogState.EDIT_TITLE: _rename,
    DialogState.EDIT_PLAN: _replan,
    DialogState.EDIT_DUE: _postpone,
}


async def edit_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The typed new title, plan or due date: write it, reschedule, show the card again."""
    from bot.deadlines.errors import DeadlineError

    message = update.effective_message
    assert message is not None and message.text is not None
    deadline_id = int(dialog.data["deadline_id"])
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            done = CHANGES[dialog.state](session, context, deadline_id, message.text.strip())
    except (DateInputError, PlanInputError, DeadlineError) as exc:
        await reply(update, exc.message() + "\n" + _("Send /cancel to stop."))
        return
    end(context)
    reminders.schedule_deadline(context.application, deadline_id)
    await reply(update, done)
    await show_card(update, context, deadline_id, edit=False)


STATES: dict[str, State] = {state: State(on_text=edit_step) for state in CHANGES}
