"""/hanchot_moi's buttons (dl:new:<action>[:<arg>]), from a template's choice to ✅ Create."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import Update

from bot.core.areas import KINDS, list_areas
from bot.core.audiences import Audience, AudienceKind
from bot.core.db import session_scope
from bot.core.i18n import _
from bot.core.models import DeadlineKind
from handlers.common import secretariat_only
from handlers.context import BotContext
from handlers.deadlines.create import ask_audience, ask_next, ask_period
from handlers.deadlines.dialog import (
    CREATING,
    DialogState,
    at,
    button_parts,
    end,
    move,
    now,
    refuse,
    say,
    stale,
)
from handlers.deadlines.views import areas_markup, due_prompt, plan_prompt, unit_kinds_markup
from jobs import deadlines as reminders

if TYPE_CHECKING:
    from bot.deadlines.audience import Draft

# Imported inside the functions that use them: bot.deadlines loads at its first use, not at start-
# up.


ButtonStep = Callable[[Update, BotContext, "Draft", str], Awaitable[None]]


async def _answer(update: Update) -> None:
    """A button that means nothing here: just stop its spinner."""
    assert update.callback_query is not None
    await update.callback_query.answer()


async def _template(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """t:<template> — one of the letters' deadlines (its date asked if already past)."""
    from bot.deadlines.audience import template_draft
    from bot.deadlines.errors import DeadlineError

    rt = context.runtime
    try:
        with Session(rt.engine) as session:
            draft = template_draft(
                session=session, template=arg, now=now(context), tz=rt.settings.tz
            )
    except DeadlineError as exc:
        await refuse(update, exc.message())
        return
    if draft.due_at is None:
        text = _("The letter's date has passed this year.") + " " + due_prompt()
        await say(update, text, edit=True)
        move(context, DialogState.DUE, draft.to_dict())
        return
    await ask_next(update, context, draft, edit=True)


async def _custom(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """custom — a deadline of one's own, from scratch."""
    from bot.deadlines.audience import Draft

    await ask_next(update, context, Draft(), edit=True)


async def _kind(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """k:report|rate — what each unit must do."""
    if arg not in (DeadlineKind.REPORT.value, DeadlineKind.RATE.value):
        await _answer(update)
        return
    draft.kind = arg
    await ask_next(update, context, draft, edit=True)


async def _rate(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """r:<percent> — the rate to reach; then which figures count."""
    draft.required_rate = float(arg)
    await ask_period(update, context, draft, "rp", edit=True)


async def _rate_period(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """rp:<period id> — the figures the rate is measured on (0: each unit's latest)."""
    draft.period_id = int(arg) or None
    await ask_next(update, context, draft, edit=True)


async def _audience(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """a:all|below|kind|area — the kind of audience (kinds and areas are listed next)."""
    if arg == "kind":
        move(context, DialogState.AUDIENCE, draft.to_dict())
        await say(update, _("Which kind of unit?"), unit_kinds_markup(), edit=True)
        return
    if arg == "area":
        with Session(context.runtime.engine) as session:
            areas = list_areas(session=session)[:30]
        if not areas:
            await refuse(update, _("There are no areas yet. Choose another audience."))
            return
        await say(update, _("Which area?"), areas_markup(areas), edit=True)
        return
    if arg == "all":
        draft.audience = Audience(AudienceKind.ALL)
    elif arg == "below":
        draft.audience = Audience(AudienceKind.BELOW)
    await ask_next(update, context, draft, edit=True)


async def _threshold(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """th:<percent> — units below this rate; then in which period."""
    draft.audience = Audience(AudienceKind.BELOW, threshold=float(arg))
    await ask_period(update, context, draft, "bp", edit=True)


async def _below_period(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """bp:<period id> — the period in which the units were below the rate."""
    if draft.audience is None or draft.audience.kind is not AudienceKind.BELOW:
        await _answer(update)
        return
    draft.audience = replace(draft.audience, period_id=int(arg))
    await ask_next(update, context, draft, edit=True)


async def _unit_kind(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """ak:<kind> — the units of one kind."""
    if arg not in KINDS:
        await _answer(update)
        return
    draft.audience = Audience(AudienceKind.KIND, unit_kind=arg)
    await ask_next(update, context, draft, edit=True)


async def _area(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """aa:<area id> — the units of an area."""
    draft.audience = Audience(AudienceKind.AREA, area_id=int(arg))
    await ask_next(update, context, draft, edit=True)


async def _change_due(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """due — type another date."""
    move(context, DialogState.DUE, draft.to_dict())
    await say(update, due_prompt())


async def _change_plan(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """plan — type other reminder days."""
    move(context, DialogState.PLAN, draft.to_dict())
    await say(update, plan_prompt(draft))


async def _change_audience(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """aud — choose the audience again."""
    draft.audience = None
    await ask_audience(update, context, draft, edit=True)


async def _create(update: Update, context: BotContext, draft: Draft, arg: str) -> None:
    """ok — write the deadline, schedule its reminders and confirm."""
    from bot.deadlines import replies
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.lifecycle import create_deadline
    from bot.deadlines.schedule import StepKind

    # bot.deadlines.views loads at the first deadline command, not at start-up
    from bot.deadlines.views import status_view

    rt = context.runtime
    viewer = context.require_viewer()
    moment = now(context)
    try:
        with session_scope(rt.engine) as session:
            deadline = create_deadline(
                session=session, draft=draft, actor=viewer.telegram_id, now=moment
            )
            assert deadline.id is not None
            deadline_id = deadline.id
            view = status_view(
                session=session, deadline_id=deadline_id, now=moment, tz=rt.settings.tz
            )
            next_step = view.next_step
            text = replies.created_text(
                deadline,
                units=len(view.lines),
                fulfilled=len(view.on_time),
                first=next_step if next_step and next_step.kind != StepKind.OVERDUE else None,
            )
    except DeadlineError as exc:
        await say(update, exc.message())
        return
    reminders.schedule_deadline(context.application, deadline_id)
    end(context)
    await say(update, text, edit=True)


BUTTONS: dict[str, ButtonStep] = {
    "t": _template,
    "custom": _custom,
    "k": _kind,
    "r": _rate,
    "rp": _rate_period,
    "a": _audience,
    "th": _threshold,
    "bp": _below_period,
    "ak": _unit_kind,
    "aa": _area,
    "due": _change_due,
    "plan": _change_plan,
    "aud": _change_audience,
    "ok": _create,
}


@secretariat_only
async def creation_button(update: Update, context: BotContext) -> None:
    """dl:new:<action>[:<arg>] — a button of the creation dialog, while it is open (checked on
    every press: someone who left the secretariat meanwhile creates nothing)."""
    from bot.deadlines.audience import Draft

    dialog = at(context, *CREATING)
    if dialog is None:
        await stale(update)
        return
    parts = button_parts(update)[2:]
    action, arg = parts[0], (parts[1] if len(parts) > 1 else "")
    step = BUTTONS.get(action)
    if step is None:
        await _answer(update)
        return
    await step(update, context, Draft.from_dict(dialog.data), arg)
