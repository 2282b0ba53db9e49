"""/hanchot_moi: the guided creation of a deadline, from one of the letters or from scratch.

The draft is the dialog's data; each question is a state (`DialogState.TITLE` …), each typed
answer a step of `STATES`; each button an entry of `BUTTONS` (dl:new:<action>[:<arg>]) in
handlers/deadlines/create_buttons.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Update

from bot.core.audiences import Audience, AudienceKind
from bot.core.dates import DateInputError, PlanInputError, parse_plan, parse_when
from bot.core.dialogs import OpenDialog
from bot.core.i18n import _
from bot.core.stats import period_info
from handlers.common import private_only
from handlers.context import BotContext
from handlers.deadlines.dialog import DialogState, move, now, reply, say, use_the_buttons
from handlers.deadlines.views import (
    audience_markup,
    due_prompt,
    kind_markup,
    period_question,
    periods_markup,
    rate_markup,
    summary_markup,
    templates_markup,
    threshold_markup,
)
from handlers.dialogs import State

if TYPE_CHECKING:
    from bot.deadlines.audience import Draft

# Imported inside the functions that use them: bot.deadlines loads at its first use, not at start-
# up.


_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$")


def _parse_percent(text: str) -> float | None:
    """'80', '80%', '95,5' → 80.0 / 95.5."""
    match = _NUMBER.match(text or "")
    return float(match.group(1).replace(",", ".")) if match else None


def _typed(update: Update) -> str:
    """The typed answer, without surrounding spaces."""
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text.strip()


async def new_command(update: Update, context: BotContext) -> None:
    """/hanchot_moi: templates or a deadline of one's own."""
    from bot.deadlines.audience import Draft

    if not await private_only(update, contact_data=False):
        return
    move(context, DialogState.TEMPLATE, Draft().to_dict())
    await say(
        update,
        _(
            "🗓 <b>New deadline</b>\nChoose one of the letters' deadlines (one tap), or set up "
            "your own. /cancel stops at any step."
        ),
        templates_markup(),
    )


# --- the questions ------------------------------------------------------------------------

# The details asked with one question: (state, question, its buttons).
_QUESTIONS: dict[
    str, tuple[DialogState, Callable[[], str], Callable[[], InlineKeyboardMarkup] | None]
] = {
    "title": (
        DialogState.TITLE,
        lambda: _("Type the deadline's title, e.g. “Báo cáo quý II”."),
        None,
    ),
    "due": (DialogState.DUE, due_prompt, None),
    "kind": (DialogState.KIND, lambda: _("What must each unit do?"), kind_markup),
    "rate": (
        DialogState.RATE,
        lambda: _("Which rate must be reached? Tap one or type a percentage."),
        rate_markup,
    ),
}


async def ask_next(
    update: Update, context: BotContext, draft: Draft, *, edit: bool = False
) -> None:
    """Ask for the next missing detail, or show the summary with the Create button."""
    missing = draft.missing()
    if missing is not None and missing in _QUESTIONS:
        state, question, keyboard = _QUESTIONS[missing]
        move(context, state, draft.to_dict())
        await say(update, question(), keyboard() if keyboard else None, edit=edit)
    elif missing == "audience":
        await ask_audience(update, context, draft, edit=edit)
    else:
        await _summary(update, context, draft, edit=edit)


async def ask_audience(
    update: Update, context: BotContext, draft: Draft, *, edit: bool = False
) -> None:
    """Which units the deadline applies to (for "below a rate": which rate, which period)."""
    audience = draft.audience
    below = audience is not None and audience.kind is AudienceKind.BELOW
    if below and audience is not None and audience.threshold is None:
        move(context, DialogState.THRESHOLD, draft.to_dict())
        question = _("Units below which rate? Tap one or type a percentage.")
        await say(update, question, threshold_markup(), edit=edit)
    elif below:
        await ask_period(update, context, draft, "bp", edit=edit)
    else:
        move(context, DialogState.AUDIENCE, draft.to_dict())
        await say(update, _("Which units does it apply to?"), audience_markup(), edit=edit)


async def ask_period(
    update: Update, context: BotContext, draft: Draft, prefix: str, *, edit: bool = False
) -> None:
    """Choose a period: for the audience (bp) or the rate measured (rp, with 'latest')."""
    from bot.deadlines.audience import choosable_periods
    from bot.deadlines.errors import DeadlineError

    state = DialogState.RATE_PERIOD if prefix == "rp" else DialogState.BELOW_PERIOD
    move(context, state, draft.to_dict())
    with Session(context.runtime.engine) as session:
        periods = choosable_periods(session=session)
    if not periods:
        await say(update, DeadlineError("no_figures").message())
        return
    await say(update, period_question(prefix), periods_markup(periods, prefix), edit=edit)


async def _summary(
    update: Update, context: BotContext, draft: Draft, *, edit: bool = False
) -> None:
    """The complete draft and its buttons."""
    from bot.deadlines import replies
    from bot.deadlines.audience import describe_audience, first_reminder, preview_count

    move(context, DialogState.CONFIRM, draft.to_dict())
    with Session(context.runtime.engine) as session:
        count = preview_count(session=session, draft=draft)
        audience = describe_audience(session=session, deadline=draft, count=count)
        period = period_info(session=session, period_id=draft.period_id)
    first = first_reminder(draft, now=now(context), tz=context.runtime.settings.tz)
    text = replies.draft_summary(draft, audience=audience, period=period, first=first)
    await say(update, text, summary_markup(), edit=edit)


# --- typed answers ------------------------------------------------------------------------


async def title_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The title."""
    from bot.deadlines.audience import Draft
    from bot.deadlines.errors import DeadlineError
    from bot.deadlines.lifecycle import check_title

    draft = Draft.from_dict(dialog.data)
    try:
        draft.title = check_title(_typed(update))
    except DeadlineError as exc:
        await reply(update, exc.message())
        return
    await ask_next(update, context, draft)


async def due_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The deadline, typed the Vietnamese way."""
    from bot.deadlines.audience import Draft

    draft = Draft.from_dict(dialog.data)
    try:
        draft.due_at = parse_when(_typed(update), now=now(context), tz=context.runtime.settings.tz)
    except DateInputError as exc:
        await reply(update, exc.message())
        return
    await ask_next(update, context, draft)


async def _percent(update: Update) -> float | None:
    """A typed percentage above 0 and at most 100 (else explained; None)."""
    from bot.deadlines.errors import DeadlineError

    value = _parse_percent(_typed(update))
    if value is None or not 0 < value <= 100:
        await reply(update, DeadlineError("bad_rate").message())
        return None
    return value


async def rate_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The rate to reach; then which figures count."""
    from bot.deadlines.audience import Draft

    value = await _percent(update)
    if value is None:
        return
    draft = Draft.from_dict(dialog.data)
    draft.required_rate = value
    await ask_period(update, context, draft, "rp")


async def threshold_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """Units below this rate; then in which period."""
    from bot.deadlines.audience import Draft

    value = await _percent(update)
    if value is None:
        return
    draft = Draft.from_dict(dialog.data)
    draft.audience = Audience(AudienceKind.BELOW, threshold=value)
    await ask_period(update, context, draft, "bp")


async def plan_step(update: Update, context: BotContext, dialog: OpenDialog) -> None:
    """The reminder days and time."""
    from bot.deadlines.audience import Draft

    draft = Draft.from_dict(dialog.data)
    try:
        draft.plan_days, draft.plan_time = parse_plan(_typed(update))
    except PlanInputError as exc:
        await reply(update, exc.message())
        return
    await ask_next(update, context, draft)


BUTTONS_ONLY = State(on_text=use_the_buttons)

STATES: dict[str, State] = {
    DialogState.TEMPLATE: BUTTONS_ONLY,
    DialogState.TITLE: State(on_text=title_step),
    DialogState.DUE: State(on_text=due_step),
    DialogState.KIND: BUTTONS_ONLY,
    DialogState.RATE: State(on_text=rate_step),
    DialogState.RATE_PERIOD: BUTTONS_ONLY,
    DialogState.AUDIENCE: BUTTONS_ONLY,
    DialogState.THRESHOLD: State(on_text=threshold_step),
    DialogState.BELOW_PERIOD: BUTTONS_ONLY,
    DialogState.PLAN: State(on_text=plan_step),
    DialogState.CONFIRM: BUTTONS_ONLY,
}
