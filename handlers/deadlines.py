"""Deadlines: /hanchot_moi (guided), /hanchot, /hanchot_tt, /giaitrinh and their buttons.

Callback data (all under 64 bytes):
  dl:new:<…>            steps of the creation dialog (templates, kind, rate, audience, confirm)
  dl:x                  cancel the dialog
  dl:ack:<id>           "Đã nhận" on a reminder
  dl:rep:<id>           "Nộp giải trình" on a reminder: start a report for that deadline
  dl:pick:<id>          choose the deadline to report on · dl:send  submit the report
  dl:card:<id>          a deadline's card (secretariat) · dl:ed:<id>:title|plan|due  edit it
  dl:cx:<id> / dl:cxy:<id> / dl:cxn:<id>   cancel a deadline: ask / confirm / keep
  dl:st:<id>:<page>     status table and its report buttons
  dl:csv:<id>           the status table as a CSV file
  dl:see:<report id>    read a report · dl:acc:<report id> accept · dl:more:<report id> ask more
"""

from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.core.areas import AREA_KIND, KINDS, kind_label, list_areas
from bot.core.dates import DateInputError, PlanInputError, parse_plan, parse_when
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_date, fmt_datetime, fmt_number, lazy_gettext
from bot.core.models import AppUser, DeadlineKind
from bot.core.outbox import split_text
from bot.deadlines import replies, texts
from bot.deadlines.audience import (
    TEMPLATES,
    Draft,
    choosable_periods,
    describe_audience,
    first_reminder,
    period_info,
    preview_count,
    template_draft,
    template_title,
)
from bot.deadlines.errors import DeadlineError
from bot.deadlines.explanations import (
    MAX_REPORT_TEXT,
    ReportFile,
    accept_report,
    check_can_submit,
    get_report,
    report_deadlines,
    report_file_problem,
    request_more,
    submit_report,
)
from bot.deadlines.lifecycle import (
    cancel,
    check_title,
    create_deadline,
    edit_plan,
    edit_title,
    get_deadline,
    open_deadline,
    postpone,
)
from bot.deadlines.reminders import acknowledge
from bot.deadlines.schedule import StepKind, parse_hhmm
from bot.deadlines.views import (
    StatusView,
    ack_count,
    list_deadlines,
    status_csv,
    status_view,
    unit_deadlines,
    unit_name_of,
)
from handlers.commands import MEMBERS, SECRETARIAT, UNIT_WORKERS, CommandSpec
from handlers.common import private_only
from handlers.context import BotContext, KysoApp
from jobs import deadlines as reminders

logger = logging.getLogger(__name__)


FLOW, REPORT = 1, 2
# The dialog runs in a group of its own before every feature (after the middleware): while it
# is open it owns the person's typed text and files, and each of its callbacks stops the update
# there (ApplicationHandlerStop), so nothing else answers the same message.
DIALOG_GROUP = -2
END = ConversationHandler.END
DRAFT_KEY = "dl_draft"
EXPECT_KEY = "dl_expect"
REPORT_KEY = "dl_report"
PAGE = 10
_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$")


# --- helpers ------------------------------------------------------------------------------


def _now(context: BotContext) -> Any:
    """The runtime's clock."""
    return context.runtime.clock()


def _user_data(context: BotContext) -> dict[str, Any]:
    """This person's conversation scratch space."""
    assert context.user_data is not None
    return context.user_data  # type: ignore[no-any-return]


def _clear(context: BotContext) -> None:
    """Forget the dialog's state."""
    data = _user_data(context)
    for key in (DRAFT_KEY, EXPECT_KEY, REPORT_KEY):
        data.pop(key, None)


async def _say(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = False
) -> None:
    """Answer a button (editing its message if asked) or reply; long texts in several parts."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        if edit and len(text) <= 4096:
            await query.edit_message_text(text, reply_markup=markup)
            return
    message = update.effective_message
    assert message is not None
    parts = split_text(text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.reply_text(part, reply_markup=markup if last else None)


async def _refuse(update: Update, text: str) -> None:
    """An alert on a button, a reply to a message."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


def _is_secretariat(context: BotContext) -> bool:
    """The sender is in the secretariat."""
    return context.viewer is not None and context.viewer.is_secretariat


def _data_id(update: Update, index: int = 2) -> int:
    """The number at a position of the button's data."""
    assert update.callback_query is not None and update.callback_query.data is not None
    return int(update.callback_query.data.split(":")[index])


def _parse_percent(text: str) -> float | None:
    """'80', '80%', '95,5' → 80.0 / 95.5."""
    match = _NUMBER.match(text or "")
    return float(match.group(1).replace(",", ".")) if match else None


def _cancel_row() -> list[InlineKeyboardButton]:
    """The dialog's cancel button."""
    return [InlineKeyboardButton(_("✖ Cancel"), callback_data="dl:x")]


# --- creating: the guided dialog ----------------------------------------------------------


def _draft(context: BotContext) -> Draft:
    """The draft being built."""
    return Draft.from_dict(_user_data(context).get(DRAFT_KEY) or {})


def _store(context: BotContext, draft: Draft, expect: str | None = None) -> None:
    """Keep the draft and what typed text means next."""
    data = _user_data(context)
    data[DRAFT_KEY] = draft.to_dict()
    if expect is None:
        data.pop(EXPECT_KEY, None)
    else:
        data[EXPECT_KEY] = expect


async def new_command(update: Update, context: BotContext) -> int:
    """/hanchot_moi: templates or a deadline of one's own."""
    if not await private_only(update, contact_data=False):
        return END
    _clear(context)
    _store(context, Draft())
    rows = [
        [InlineKeyboardButton(template_title(t), callback_data=f"dl:new:t:{t}")] for t in TEMPLATES
    ]
    rows.append([InlineKeyboardButton(_("➕ Set up my own"), callback_data="dl:new:custom")])
    rows.append(_cancel_row())
    await _say(
        update,
        _(
            "🗓 <b>New deadline</b>\nChoose one of the letters' deadlines (one tap), or set up "
            "your own. /huy cancels at any step."
        ),
        InlineKeyboardMarkup(rows),
    )
    return FLOW


async def _ask(update: Update, context: BotContext, draft: Draft, *, edit: bool = False) -> int:
    """Ask for the next missing detail, or show the summary with the Create button."""
    missing = draft.missing()
    if missing == "title":
        _store(context, draft, "title")
        await _say(update, _("Type the deadline's title, e.g. “Báo cáo quý II”."), edit=edit)
    elif missing == "due":
        _store(context, draft, "due")
        await _say(update, _due_prompt(), edit=edit)
    elif missing == "kind":
        _store(context, draft)
        await _say(
            update,
            _("What must each unit do?"),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            _("📝 Send an explanation report"), callback_data="dl:new:k:report"
                        )
                    ],
                    [
                        InlineKeyboardButton(
                            _("🎯 Reach a signing rate"), callback_data="dl:new:k:rate"
                        )
                    ],
                    _cancel_row(),
                ]
            ),
            edit=edit,
        )
    elif missing == "rate":
        _store(context, draft, "rate")
        await _say(
            update,
            _("Which rate must be reached? Tap one or type a percentage."),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("100%", callback_data="dl:new:r:100"),
                        InlineKeyboardButton("80%", callback_data="dl:new:r:80"),
                    ],
                    _cancel_row(),
                ]
            ),
            edit=edit,
        )
    elif missing == "audience":
        await _ask_audience(update, context, draft, edit=edit)
    else:
        await _summary(update, context, draft, edit=edit)
    return FLOW


def _due_prompt() -> str:
    """How to type the deadline."""
    return _(
        "Type the deadline: a date, optionally with a time, e.g. <code>26/06/2026</code>, "
        "<code>26/6 17:00</code> or <code>17h 26/6</code>. A date alone means 23:59 that day."
    )


async def _ask_audience(
    update: Update, context: BotContext, draft: Draft, *, edit: bool = False
) -> None:
    """Which units the deadline applies to."""
    audience = draft.audience
    if audience.get("type") == "below" and audience.get("threshold") is None:
        _store(context, draft, "threshold")
        await _say(
            update,
            _("Units below which rate? Tap one or type a percentage."),
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("80%", callback_data="dl:new:th:80"),
                        InlineKeyboardButton("50%", callback_data="dl:new:th:50"),
                        InlineKeyboardButton("100%", callback_data="dl:new:th:100"),
                    ],
                    _cancel_row(),
                ]
            ),
            edit=edit,
        )
        return
    if audience.get("type") == "below":
        await _ask_period(update, context, draft, "bp", edit=edit)
        return
    _store(context, draft)
    await _say(
        update,
        _("Which units does it apply to?"),
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(_("🌐 All units"), callback_data="dl:new:a:all")],
                [
                    InlineKeyboardButton(
                        _("🟠 Units below a rate in a period"), callback_data="dl:new:a:below"
                    )
                ],
                [InlineKeyboardButton(_("🗂 Units of a kind"), callback_data="dl:new:a:kind")],
                [InlineKeyboardButton(_("🏘 Units of an area"), callback_data="dl:new:a:area")],
                _cancel_row(),
            ]
        ),
        edit=edit,
    )


async def _ask_period(
    update: Update, context: BotContext, draft: Draft, prefix: str, *, edit: bool = False
) -> None:
    """Choose a period: for the audience (bp) or the rate measured (rp, with 'latest')."""
    _store(context, draft)
    with Session(context.runtime.engine) as session:
        periods = choosable_periods(session=session)
    if not periods:
        await _say(update, DeadlineError("no_figures").message())
        return
    rows = []
    if prefix == "rp":
        rows.append(
            [InlineKeyboardButton(_("📈 Each unit's latest figures"), callback_data="dl:new:rp:0")]
        )
    for period in periods:
        label = _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))
        rows.append([InlineKeyboardButton(label, callback_data=f"dl:new:{prefix}:{period.id}")])
    rows.append(_cancel_row())
    question = (
        _("Which figures count for the rate?")
        if prefix == "rp"
        else _("In which period? (units below the rate in that period)")
    )
    await _say(update, question, InlineKeyboardMarkup(rows), edit=edit)


async def _summary(
    update: Update, context: BotContext, draft: Draft, *, edit: bool = False
) -> None:
    """The complete draft and its buttons."""
    _store(context, draft)
    with Session(context.runtime.engine) as session:
        count = preview_count(session=session, draft=draft)
        audience = describe_audience(session=session, deadline=draft, count=count)
        period = period_info(session=session, period_id=draft.period_id)
    first = first_reminder(draft, now=_now(context), tz=context.runtime.settings.tz)
    text = replies.draft_summary(draft, audience=audience, period=period, first=first)
    rows = [
        [InlineKeyboardButton(_("✅ Create the deadline"), callback_data="dl:new:ok")],
        [
            InlineKeyboardButton(_("📅 Change the date"), callback_data="dl:new:due"),
            InlineKeyboardButton(_("🔔 Change reminders"), callback_data="dl:new:plan"),
        ],
        [InlineKeyboardButton(_("👥 Change the audience"), callback_data="dl:new:aud")],
        _cancel_row(),
    ]
    await _say(update, text, InlineKeyboardMarkup(rows), edit=edit)


async def flow_button(update: Update, context: BotContext) -> int:
    """A button of the creation dialog."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")[2:]
    draft = _draft(context)
    rt = context.runtime
    action, arg = parts[0], (parts[1] if len(parts) > 1 else "")
    if action == "t":
        try:
            with Session(rt.engine) as session:
                draft = template_draft(
                    session=session, template=arg, now=_now(context), tz=rt.settings.tz
                )
        except DeadlineError as exc:
            await _refuse(update, exc.message())
            return FLOW
        if draft.due_at is None:
            await _say(
                update,
                _("The letter's date has passed this year.") + " " + _due_prompt(),
                edit=True,
            )
            _store(context, draft, "due")
            return FLOW
        return await _ask(update, context, draft, edit=True)
    if action == "custom":
        return await _ask(update, context, Draft(), edit=True)
    if action == "k" and arg in (DeadlineKind.REPORT.value, DeadlineKind.RATE.value):
        draft.kind = arg
        return await _ask(update, context, draft, edit=True)
    if action == "r":
        draft.required_rate = float(arg)
        await _ask_period(update, context, draft, "rp", edit=True)
        return FLOW
    if action == "rp":
        draft.period_id = int(arg) or None
        return await _ask(update, context, draft, edit=True)
    if action == "a":
        if arg == "all":
            draft.audience = {"type": "all"}
        elif arg == "below":
            draft.audience = {"type": "below", "threshold": None, "period_id": None}
        elif arg == "kind":
            _store(context, draft)
            rows = [
                [InlineKeyboardButton(kind_label(k), callback_data=f"dl:new:ak:{k}")]
                for k in KINDS
                if k != AREA_KIND
            ]
            rows.append(_cancel_row())
            await _say(update, _("Which kind of unit?"), InlineKeyboardMarkup(rows), edit=True)
            return FLOW
        elif arg == "area":
            with Session(rt.engine) as session:
                areas = list_areas(session=session)[:30]
            if not areas:
                await _refuse(update, _("There are no areas yet. Choose another audience."))
                return FLOW
            rows = [
                [InlineKeyboardButton(a.name[:60], callback_data=f"dl:new:aa:{a.id}")]
                for a in areas
            ]
            rows.append(_cancel_row())
            await _say(update, _("Which area?"), InlineKeyboardMarkup(rows), edit=True)
            return FLOW
        return await _ask(update, context, draft, edit=True)
    if action == "th":
        draft.audience = {"type": "below", "threshold": float(arg), "period_id": None}
        await _ask_period(update, context, draft, "bp", edit=True)
        return FLOW
    if action == "bp":
        draft.audience["period_id"] = int(arg)
        return await _ask(update, context, draft, edit=True)
    if action == "ak" and arg in KINDS:
        draft.audience = {"type": "kind", "kind": arg}
        return await _ask(update, context, draft, edit=True)
    if action == "aa":
        draft.audience = {"type": "area", "area_id": int(arg)}
        return await _ask(update, context, draft, edit=True)
    if action == "due":
        _store(context, draft, "due")
        await _say(update, _due_prompt())
        return FLOW
    if action == "plan":
        _store(context, draft, "plan")
        await _say(update, _plan_prompt(draft))
        return FLOW
    if action == "aud":
        draft.audience = {}
        await _ask_audience(update, context, draft, edit=True)
        return FLOW
    if action == "ok":
        return await _create(update, context, draft)
    await query.answer()
    return FLOW


def _plan_prompt(draft: Draft | Any) -> str:
    """How to type a reminder plan."""
    return _(
        "Now: reminders {plan}.\nType the days before the deadline and optionally the time, "
        "e.g. <code>7 3 1 08:00</code> or <code>5 2 9h</code>; <code>0</code> for the due day "
        "only. The due day always has a reminder."
    ).format(plan=replies.plan_text(draft.plan_days, draft.plan_time))


async def _create(update: Update, context: BotContext, draft: Draft) -> int:
    """Write the deadline, schedule its reminders and confirm."""
    rt = context.runtime
    viewer = context.require_viewer()
    now = _now(context)
    try:
        with session_scope(rt.engine) as session:
            deadline = create_deadline(
                session=session, draft=draft, actor=viewer.telegram_id, now=now
            )
            view = status_view(
                session=session,
                deadline_id=deadline.id,
                now=now,
                tz=rt.settings.tz,  # type: ignore[arg-type]
            )
            text = replies.created_text(
                deadline,
                units=len(view.lines),
                fulfilled=len(view.on_time),
                first=view.next_step
                if view.next_step and view.next_step.kind != StepKind.OVERDUE
                else None,
            )
            deadline_id = deadline.id
    except DeadlineError as exc:
        await _say(update, exc.message())
        return FLOW
    assert deadline_id is not None
    reminders.schedule_deadline(context.application, deadline_id)
    _clear(context)
    await _say(update, text, edit=True)
    return END


async def flow_text(update: Update, context: BotContext) -> int:
    """Typed text in the creation or edit dialog."""
    message = update.effective_message
    assert message is not None and message.text is not None
    expect = _user_data(context).get(EXPECT_KEY)
    text = message.text.strip()
    rt = context.runtime
    if expect is None:
        await message.reply_text(_("Please use the buttons above, or /huy to cancel."))
        return FLOW
    if ":" in expect:
        return await _edit_text(update, context, expect, text)
    draft = _draft(context)
    if expect == "title":
        try:
            draft.title = check_title(text)
        except DeadlineError as exc:
            await message.reply_text(exc.message())
            return FLOW
        return await _ask(update, context, draft)
    if expect == "due":
        try:
            draft.due_at = parse_when(text, now=_now(context), tz=rt.settings.tz)
        except DateInputError as exc:
            await message.reply_text(exc.message())
            return FLOW
        return await _ask(update, context, draft)
    if expect in ("rate", "threshold"):
        value = _parse_percent(text)
        if value is None or not 0 < value <= 100:
            await message.reply_text(DeadlineError("bad_rate").message())
            return FLOW
        if expect == "rate":
            draft.required_rate = value
            await _ask_period(update, context, draft, "rp")
        else:
            draft.audience = {"type": "below", "threshold": value, "period_id": None}
            await _ask_period(update, context, draft, "bp")
        return FLOW
    if expect == "plan":
        try:
            draft.plan_days, draft.plan_time = parse_plan(text)
        except PlanInputError as exc:
            await message.reply_text(exc.message())
            return FLOW
        return await _ask(update, context, draft)
    return FLOW


# --- editing, postponing, cancelling ------------------------------------------------------


async def _card(update: Update, context: BotContext, deadline_id: int, *, edit: bool) -> None:
    """A deadline's card with its management buttons."""
    rt = context.runtime
    now = _now(context)
    try:
        with session_scope(rt.engine) as session:
            view = status_view(session=session, deadline_id=deadline_id, now=now, tz=rt.settings.tz)
            period = period_info(session=session, period_id=view.deadline.period_id)
            text = replies.card_text(
                view.deadline,
                audience=view.audience_text,
                period=period,
                units=len(view.lines),
                fulfilled=len(view.on_time) + len(view.late),
                acks=ack_count(session=session, deadline_id=deadline_id),
                next_step=view.next_step,
                now=now,
            )
            is_open = view.deadline.status == "open"
    except DeadlineError as exc:
        await _refuse(update, exc.message())
        return
    rows = [[InlineKeyboardButton(_("📊 Status"), callback_data=f"dl:st:{deadline_id}:0")]]
    if is_open:
        rows += [
            [
                InlineKeyboardButton(_("✏️ Rename"), callback_data=f"dl:ed:{deadline_id}:title"),
                InlineKeyboardButton(_("🔔 Reminders"), callback_data=f"dl:ed:{deadline_id}:plan"),
            ],
            [
                InlineKeyboardButton(_("⏩ Postpone"), callback_data=f"dl:ed:{deadline_id}:due"),
                InlineKeyboardButton(_("🗑 Cancel deadline"), callback_data=f"dl:cx:{deadline_id}"),
            ],
        ]
    await _say(update, text, InlineKeyboardMarkup(rows), edit=edit)


async def card_button(update: Update, context: BotContext) -> None:
    """dl:card:<id>."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    await _card(update, context, _data_id(update), edit=False)


async def edit_button(update: Update, context: BotContext) -> int:
    """dl:ed:<id>:title|plan|due — ask for the new value."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return END
    if not await private_only(update, contact_data=False):
        return END
    assert update.callback_query is not None and update.callback_query.data is not None
    _sep, _dl, raw_id, what = update.callback_query.data.split(":")
    deadline_id = int(raw_id)
    with Session(context.runtime.engine) as session:
        try:
            deadline = open_deadline(session, deadline_id)
        except DeadlineError as exc:
            await _refuse(update, exc.message())
            return END
        title = escape(deadline.title)
        due = fmt_datetime(deadline.due_at)
        plan_holder = Draft(
            plan_days=tuple(deadline.plan_days), plan_time=parse_hhmm(deadline.plan_time)
        )
    _clear(context)
    _user_data(context)[EXPECT_KEY] = f"edit_{what}:{deadline_id}"
    if what == "title":
        prompt = _("Type the new title of “{title}”.").format(title=title)
    elif what == "plan":
        prompt = _plan_prompt(plan_holder)
    else:
        prompt = (
            _(
                "“{title}” is due {due}. Type the new deadline; everyone already reminded is told."
            ).format(title=title, due=due)
            + "\n"
            + _due_prompt()
        )
    await _say(update, prompt + "\n" + _("/huy cancels."))
    return FLOW


async def _edit_text(update: Update, context: BotContext, expect: str, text: str) -> int:
    """The typed new title, plan or due date of an existing deadline, or a note for a report."""
    message = update.effective_message
    assert message is not None
    rt = context.runtime
    viewer = context.require_viewer()
    what, _sep, raw_id = expect.partition(":")
    target = int(raw_id)
    now = _now(context)
    ctx = reminders.push_context(rt)
    try:
        with session_scope(rt.engine) as session:
            if what == "edit_title":
                edit_title(
                    session=session,
                    deadline_id=target,
                    title=text,
                    actor=viewer.telegram_id,
                    now=now,
                )
                reply = _("✅ Renamed.")
            elif what == "edit_plan":
                days, time = parse_plan(text)
                deadline = edit_plan(
                    session=session,
                    deadline_id=target,
                    days=days,
                    time=time,
                    actor=viewer.telegram_id,
                    now=now,
                )
                reply = _("✅ Reminders: {plan}.").format(
                    plan=replies.plan_text(deadline.plan_days, deadline.plan_time)
                )
            elif what == "edit_due":
                new_due = parse_when(text, now=now, tz=rt.settings.tz)
                result = postpone(
                    session=session,
                    deadline_id=target,
                    new_due=new_due,
                    actor=viewer.telegram_id,
                    now=now,
                    ctx=ctx,
                )
                reply = (
                    _("✅ Postponed to {due}.").format(due=fmt_datetime(result.deadline.due_at))
                    + " "
                    + replies.notified_text(result.notified)
                )
            else:  # more:<report id>
                report, _deadline, _queued = request_more(
                    session=session,
                    report_id=target,
                    note=text,
                    actor=viewer.telegram_id,
                    now=now,
                    ctx=ctx,
                )
                reply = _(
                    "✅ Sent to the unit; it is reminded again until it completes report {receipt}."
                ).format(receipt=report.receipt)
    except (DateInputError, PlanInputError, DeadlineError) as exc:
        await message.reply_text(exc.message() + "\n" + _("/huy cancels."))
        return FLOW
    _clear(context)
    if what != "more":
        reminders.schedule_deadline(context.application, target)
    rt.wake_sender()
    await message.reply_text(reply)
    if what != "more":
        await _card(update, context, target, edit=False)
    return END


async def cancel_ask(update: Update, context: BotContext) -> None:
    """dl:cx:<id> — confirm before cancelling."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    deadline_id = _data_id(update)
    with Session(context.runtime.engine) as session:
        try:
            deadline = get_deadline(session=session, deadline_id=deadline_id)
        except DeadlineError as exc:
            await _refuse(update, exc.message())
            return
        title = escape(deadline.title)
    await _say(
        update,
        _("Cancel the deadline “{title}”? Everyone already reminded will be told.").format(
            title=title
        ),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("🗑 Yes, cancel it"), callback_data=f"dl:cxy:{deadline_id}"
                    ),
                    InlineKeyboardButton(_("↩️ No, keep it"), callback_data=f"dl:cxn:{deadline_id}"),
                ]
            ]
        ),
        edit=True,
    )


async def cancel_confirm(update: Update, context: BotContext) -> None:
    """dl:cxy:<id> / dl:cxn:<id>."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    assert update.callback_query is not None and update.callback_query.data is not None
    deadline_id = _data_id(update)
    if update.callback_query.data.startswith("dl:cxn:"):
        await _card(update, context, deadline_id, edit=True)
        return
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            result = cancel(
                session=session,
                deadline_id=deadline_id,
                actor=context.require_viewer().telegram_id,
                now=_now(context),
                ctx=reminders.push_context(rt),
            )
            title = escape(result.deadline.title)
    except DeadlineError as exc:
        await _refuse(update, exc.message())
        return
    reminders.unschedule(context.application, deadline_id)
    rt.wake_sender()
    await _say(
        update,
        _("🗑 Deadline “{title}” cancelled.").format(title=title)
        + " "
        + replies.notified_text(result.notified),
        edit=True,
    )


# --- lists and status ---------------------------------------------------------------------


async def list_command(update: Update, context: BotContext) -> None:
    """/hanchot: the unit's deadlines; for the secretariat every open one (or /hanchot <id>)."""
    viewer = context.require_viewer()
    rt = context.runtime
    now = _now(context)
    message = update.effective_message
    assert message is not None
    if viewer.is_secretariat and viewer.unit_id is None:
        if context.args and context.args[0].lstrip("#").isdigit():
            await _card(update, context, int(context.args[0].lstrip("#")), edit=False)
            return
        with session_scope(rt.engine) as session:
            rows = list_deadlines(session=session, now=now)
            text = replies.secretariat_list_text(rows, now=now)
            buttons = [
                [
                    InlineKeyboardButton(
                        f"#{r.deadline.id} {r.deadline.title}"[:60],
                        callback_data=f"dl:card:{r.deadline.id}",
                    )
                ]
                for r in rows[:30]
            ]
        await _say(update, text, InlineKeyboardMarkup(buttons) if buttons else None)
        return
    if viewer.unit_id is None:
        await message.reply_text(_("Only officials of a unit have deadlines."))
        return
    with session_scope(rt.engine) as session:
        items = unit_deadlines(session=session, unit_id=viewer.unit_id, now=now)
        text = replies.unit_list_text(viewer.unit_name or "", items, now=now)
        owes_report = [
            i.deadline.id
            for i in items
            if i.deadline.kind == DeadlineKind.REPORT.value and i.owing is not None
        ]
    markup = None
    if len(owes_report) == 1:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(texts.submit_label(), callback_data=f"dl:rep:{owes_report[0]}")]]
        )
    await _say(update, text, markup)


async def status_command(update: Update, context: BotContext) -> None:
    """/hanchot_tt <id>."""
    message = update.effective_message
    assert message is not None
    arg = (context.args or [""])[0].lstrip("#")
    if not arg.isdigit():
        with session_scope(context.runtime.engine) as session:
            rows = list_deadlines(session=session, now=_now(context))
            if len(rows) == 1:
                arg = str(rows[0].deadline.id)
            else:
                buttons = [
                    [
                        InlineKeyboardButton(
                            f"#{r.deadline.id} {r.deadline.title}"[:60],
                            callback_data=f"dl:st:{r.deadline.id}:0",
                        )
                    ]
                    for r in rows[:30]
                ]
        if not arg.isdigit():
            text = (
                _("Which deadline? Tap one, or type /hanchot_tt &lt;id&gt;.")
                if rows
                else _("No open deadlines. Create one with /hanchot_moi.")
            )
            await message.reply_text(
                text, reply_markup=InlineKeyboardMarkup(buttons) if buttons else None
            )
            return
    await _status(update, context, int(arg), 0)


def _status_markup(view: StatusView, page: int) -> InlineKeyboardMarkup:
    """Buttons to read each report, 10 per page, and the table as a file."""
    csv_row = [
        InlineKeyboardButton(
            _("📥 Table as a file (CSV)"), callback_data=f"dl:csv:{view.deadline.id}"
        )
    ]
    reports = [(line, line.report) for line in view.lines if line.report is not None]
    if not reports:
        return InlineKeyboardMarkup([csv_row])
    pages = (len(reports) + PAGE - 1) // PAGE
    page = max(0, min(page, pages - 1))
    rows = [
        [InlineKeyboardButton(f"📄 {line.unit_name}"[:60], callback_data=f"dl:see:{report.id}")]
        for line, report in reports[page * PAGE : (page + 1) * PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                _("◀️ Previous"), callback_data=f"dl:st:{view.deadline.id}:{page - 1}"
            )
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(_("Next ▶️"), callback_data=f"dl:st:{view.deadline.id}:{page + 1}")
        )
    if nav:
        rows.append(nav)
    rows.append(csv_row)
    return InlineKeyboardMarkup(rows)


async def _status(update: Update, context: BotContext, deadline_id: int, page: int) -> None:
    """The status table (page > 0 from a button: only the report buttons change)."""
    rt = context.runtime
    now = _now(context)
    try:
        with session_scope(rt.engine) as session:
            view = status_view(session=session, deadline_id=deadline_id, now=now, tz=rt.settings.tz)
            period = period_info(session=session, period_id=view.deadline.period_id)
            text = replies.status_text(view, period=period, now=now)
            markup = _status_markup(view, page)
    except DeadlineError as exc:
        await _refuse(update, exc.message())
        return
    query = update.callback_query
    if query is not None and page > 0:
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=markup)
        return
    await _say(update, text, markup)


async def status_button(update: Update, context: BotContext) -> None:
    """dl:st:<id>:<page>."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    assert update.callback_query is not None and update.callback_query.data is not None
    _p, _d, raw_id, raw_page = update.callback_query.data.split(":")
    await _status(update, context, int(raw_id), int(raw_page))


async def csv_button(update: Update, context: BotContext) -> None:
    """dl:csv:<id> — the status table as a CSV file (opens in Excel)."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    deadline_id = _data_id(update)
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            view = status_view(
                session=session, deadline_id=deadline_id, now=_now(context), tz=rt.settings.tz
            )
            data = status_csv(view).encode("utf-8-sig")
            title = escape(view.deadline.title)
    except DeadlineError as exc:
        await _refuse(update, exc.message())
        return
    assert update.callback_query is not None and update.effective_message is not None
    await update.callback_query.answer()
    await update.effective_message.reply_document(
        InputFile(data, filename=f"hanchot-{deadline_id}.csv"),
        caption=_("Status of “{title}” (#{id})").format(title=title, id=deadline_id),
    )


async def see_button(update: Update, context: BotContext) -> None:
    """dl:see:<report id> — the report's text and file, with Accept / Ask for more."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    report_id = _data_id(update)
    with Session(context.runtime.engine) as session:
        try:
            report = get_report(session=session, report_id=report_id)
            deadline = get_deadline(session=session, deadline_id=report.deadline_id)
        except DeadlineError as exc:
            await _refuse(update, exc.message())
            return
        user = session.get(AppUser, report.submitted_by)
        who = (user.display_name if user and user.display_name else "") or str(report.submitted_by)
        unit = unit_name_of(session=session, unit_id=report.unit_id)
        text = replies.report_text(report, deadline=deadline, unit=unit, submitter=who)
        file_id, file_kind, receipt = report.file_id, report.file_kind, report.receipt
    rows = [
        [
            InlineKeyboardButton(_("✅ Accept"), callback_data=f"dl:acc:{report_id}"),
            InlineKeyboardButton(_("↩️ Ask for more"), callback_data=f"dl:more:{report_id}"),
        ]
    ]
    await _say(update, text, InlineKeyboardMarkup(rows))
    if file_id:
        message = update.effective_message
        assert message is not None
        caption = _("Explanation report {receipt} — {unit}").format(
            receipt=receipt, unit=escape(unit)
        )
        try:
            if file_kind == "photo":
                await message.reply_photo(file_id, caption=caption)
            else:
                await message.reply_document(file_id, caption=caption)
        except TelegramError:
            logger.warning("Could not send report file %s", receipt, exc_info=True)
            await message.reply_text(_("Telegram could not send the file of this report."))


async def accept_button(update: Update, context: BotContext) -> None:
    """dl:acc:<report id>."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return
    rt = context.runtime
    try:
        with session_scope(rt.engine) as session:
            report, _deadline = accept_report(
                session=session,
                report_id=_data_id(update),
                actor=context.require_viewer().telegram_id,
                now=_now(context),
                ctx=reminders.push_context(rt),
            )
            receipt = report.receipt
    except DeadlineError as exc:
        await _refuse(update, exc.message())
        return
    rt.wake_sender()
    await _say(update, _("✅ Report {receipt} accepted; the unit is told.").format(receipt=receipt))


async def more_button(update: Update, context: BotContext) -> int:
    """dl:more:<report id> — ask what the unit should add."""
    if not _is_secretariat(context):
        await _refuse(update, _("This command is for the secretariat only."))
        return END
    report_id = _data_id(update)
    with Session(context.runtime.engine) as session:
        try:
            report = get_report(session=session, report_id=report_id)
        except DeadlineError as exc:
            await _refuse(update, exc.message())
            return END
        unit = unit_name_of(session=session, unit_id=report.unit_id)
    _clear(context)
    _user_data(context)[EXPECT_KEY] = f"more:{report_id}"
    await _say(
        update,
        _(
            "Type what <b>{unit}</b> should add or correct; it is sent to the unit. /huy cancels."
        ).format(unit=escape(unit)),
    )
    return FLOW


async def ack_button(update: Update, context: BotContext) -> None:
    """dl:ack:<id> — "Đã nhận"."""
    query = update.callback_query
    assert query is not None
    viewer = context.require_viewer()
    try:
        with session_scope(context.runtime.engine) as session:
            new = acknowledge(
                session=session,
                deadline_id=_data_id(update),
                telegram_id=viewer.telegram_id,
                unit_id=viewer.unit_id,
                now=_now(context),
            )
    except DeadlineError as exc:
        await query.answer(exc.message(), show_alert=True)
        return
    await query.answer(
        _("✅ Noted: you have received this reminder.") if new else _("Already noted. Thank you!")
    )


# --- explanation reports ------------------------------------------------------------------


def _report_state(context: BotContext) -> dict[str, Any]:
    """The report being put together."""
    return _user_data(context).setdefault(REPORT_KEY, {})  # type: ignore[no-any-return]


async def report_command(update: Update, context: BotContext) -> int:
    """/giaitrinh: choose the deadline (if several) and ask for the report."""
    if not await private_only(update, contact_data=False):
        return END
    viewer = context.require_viewer()
    message = update.effective_message
    assert message is not None
    if viewer.unit_id is None:
        await message.reply_text(DeadlineError("no_unit").message())
        return END
    with Session(context.runtime.engine) as session:
        targets = report_deadlines(session=session, unit_id=viewer.unit_id, now=_now(context))
        choices = [(d.id, d.title, d.due_at) for d, _r in targets]
    if not choices:
        await message.reply_text(
            _(
                "<b>{unit}</b> has no explanation report to send now. /hanchot shows its deadlines."
            ).format(unit=escape(viewer.unit_name or ""))
        )
        return END
    _clear(context)
    if len(choices) == 1:
        return await _start_report(update, context, int(choices[0][0]))  # type: ignore[arg-type]
    rows = [
        [
            InlineKeyboardButton(
                f"{title} — {fmt_datetime(due)}"[:60], callback_data=f"dl:pick:{deadline_id}"
            )
        ]
        for deadline_id, title, due in choices
    ]
    rows.append(_cancel_row())
    await message.reply_text(
        _("Which deadline is the report for?"), reply_markup=InlineKeyboardMarkup(rows)
    )
    return REPORT


async def report_button(update: Update, context: BotContext) -> int:
    """dl:rep:<id> on a reminder, or dl:pick:<id> in the dialog."""
    if not await private_only(update, contact_data=False):
        return END
    _clear(context)
    return await _start_report(update, context, _data_id(update))


async def _start_report(update: Update, context: BotContext, deadline_id: int) -> int:
    """Check the unit may report, then ask for the content."""
    viewer = context.require_viewer()
    rt = context.runtime
    with Session(rt.engine) as session:
        try:
            deadline, report = check_can_submit(
                session=session, deadline_id=deadline_id, unit_id=viewer.unit_id, now=_now(context)
            )
        except DeadlineError as exc:
            await _refuse(update, exc.message())
            return END
        lines = [
            _("📝 <b>Explanation report: {title}</b>").format(title=escape(deadline.title)),
            _("Unit: <b>{unit}</b> · deadline {due}").format(
                unit=escape(viewer.unit_name or ""), due=fmt_datetime(deadline.due_at)
            ),
        ]
        if report is not None:
            lines.append(
                _("Already sent {when} (receipt {receipt}); what you send now replaces it.").format(
                    when=fmt_datetime(report.submitted_at), receipt=report.receipt
                )
            )
            if report.review_note:
                lines.append(
                    _("The secretariat asks: {note}").format(note=escape(report.review_note))
                )
    max_mb = (
        fmt_number(int(rt.settings.report_max_mb))
        if rt.settings.report_max_mb.is_integer()
        else str(rt.settings.report_max_mb)
    )
    lines.append(
        _(
            "Type the explanation and/or send a file (PDF, DOCX or an image, at most {max} MB), "
            "then tap “📨 Submit”. /huy cancels."
        ).format(max=max_mb)
    )
    _report_state(context).update({"deadline_id": deadline_id, "text": "", "file": None})
    await _say(update, "\n".join(lines), InlineKeyboardMarkup([_cancel_row()]))
    return REPORT


def _draft_markup() -> InlineKeyboardMarkup:
    """Submit or cancel the report."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("📨 Submit"), callback_data="dl:send"), *_cancel_row()]]
    )


def _draft_text(state: dict[str, Any]) -> str:
    """What the report holds so far."""
    parts = []
    if state.get("text"):
        parts.append(_("text of {n} characters").format(n=fmt_number(len(state["text"]))))
    file = state.get("file")
    if file:
        parts.append(_("file {name}").format(name=escape(file.get("name") or _("image"))))
    return (
        _("Ready to send: {parts}.").format(parts=", ".join(parts))
        + "\n"
        + _("Tap “📨 Submit”, or add more text or a file (a new file replaces the previous one).")
    )


async def report_text(update: Update, context: BotContext) -> int:
    """Text of the report (several messages are joined)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    state = _report_state(context)
    if "deadline_id" not in state:
        await message.reply_text(_("Please choose the deadline with the buttons above."))
        return REPORT
    combined = (state.get("text", "") + "\n" + message.text).strip()
    if len(combined) > MAX_REPORT_TEXT:
        await message.reply_text(DeadlineError("long_report", max=MAX_REPORT_TEXT).message())
        return REPORT
    state["text"] = combined
    await message.reply_text(_draft_text(state), reply_markup=_draft_markup())
    return REPORT


async def report_file(update: Update, context: BotContext) -> int:
    """A document or photo for the report: checked by its announced type and size, kept by id."""
    message = update.effective_message
    assert message is not None
    state = _report_state(context)
    if "deadline_id" not in state:
        await message.reply_text(_("Please choose the deadline with the buttons above."))
        return REPORT
    if message.document is not None:
        doc = message.document
        file = ReportFile(doc.file_id, "document", doc.file_name, doc.file_size, doc.mime_type)
    else:
        photo = message.photo[-1]
        file = ReportFile(photo.file_id, "photo", None, photo.file_size, "image/jpeg")
    problem = report_file_problem(file, max_bytes=context.runtime.settings.report_max_bytes)
    if problem is not None:
        await message.reply_text(problem)
        return REPORT
    state["file"] = {
        "file_id": file.file_id,
        "kind": file.kind,
        "name": file.name,
        "size": file.size,
        "mime_type": file.mime_type,
    }
    if message.caption:
        state["text"] = (state.get("text", "") + "\n" + message.caption).strip()[:MAX_REPORT_TEXT]
    await message.reply_text(_draft_text(state), reply_markup=_draft_markup())
    return REPORT


async def report_send(update: Update, context: BotContext) -> int:
    """dl:send — store the report and give the receipt."""
    state = _report_state(context)
    viewer = context.require_viewer()
    rt = context.runtime
    if "deadline_id" not in state:
        await _refuse(update, _("Please choose the deadline with the buttons above."))
        return REPORT
    raw = state.get("file")
    file = (
        ReportFile(raw["file_id"], raw["kind"], raw["name"], raw["size"], raw["mime_type"])
        if raw
        else None
    )
    try:
        with session_scope(rt.engine) as session:
            result = submit_report(
                session=session,
                deadline_id=int(state["deadline_id"]),
                unit_id=viewer.unit_id,
                telegram_id=viewer.telegram_id,
                text=state.get("text", ""),
                file=file,
                now=_now(context),
                max_bytes=rt.settings.report_max_bytes,
            )
            text = replies.receipt_text(
                deadline=result.deadline,
                report=result.report,
                unit=result.unit_name,
                replaced=result.replaced,
            )
    except DeadlineError as exc:
        if exc.code == "empty_report":
            await _refuse(update, exc.message())
            return REPORT
        _clear(context)
        await _say(update, exc.message())
        return END
    _clear(context)
    await _say(update, text, edit=True)
    return END


# --- leaving the dialog -------------------------------------------------------------------


async def cancel_dialog(update: Update, context: BotContext) -> int:
    """/huy or the ✖ button inside the dialog."""
    _clear(context)
    await _say(update, _("Cancelled. Nothing was saved."), edit=update.callback_query is not None)
    return END


async def stale_button(update: Update, context: BotContext) -> None:
    """A dialog button pressed after the dialog ended (restart, timeout, finished)."""
    query = update.callback_query
    assert query is not None
    await query.answer(
        _("This dialog has ended. Start again with /hanchot_moi or /giaitrinh."), show_alert=True
    )


async def dialog_timeout(update: Update, context: BotContext) -> None:
    """The dialog was left unanswered: forget it quietly."""
    _clear(context)


def _owned(callback: Callable[[Update, BotContext], Awaitable[int | None]]) -> Any:
    """Run a dialog callback, then stop the update there with the dialog's next state."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        """Handle, then keep other handlers away from this update."""
        raise ApplicationHandlerStop(await callback(update, context))

    return wrapper


def conversation() -> ConversationHandler:  # type: ignore[type-arg]
    """One dialog for creating, editing, asking for more and sending reports."""
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # Buttons are tracked per user and chat, which is what these dialogs want.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler(["hanchot_moi", "deadline_new"], _owned(new_command)),
                CommandHandler(["giaitrinh", "explain"], _owned(report_command)),
                CallbackQueryHandler(_owned(report_button), pattern=r"^dl:rep:\d+$"),
                CallbackQueryHandler(_owned(edit_button), pattern=r"^dl:ed:\d+:(title|plan|due)$"),
                CallbackQueryHandler(_owned(more_button), pattern=r"^dl:more:\d+$"),
            ],
            states={
                FLOW: [
                    CallbackQueryHandler(_owned(flow_button), pattern=r"^dl:new:"),
                    MessageHandler(text, _owned(flow_text)),
                ],
                REPORT: [
                    CallbackQueryHandler(_owned(report_button), pattern=r"^dl:pick:\d+$"),
                    CallbackQueryHandler(_owned(report_send), pattern=r"^dl:send$"),
                    MessageHandler(text, _owned(report_text)),
                    MessageHandler(filters.Document.ALL | filters.PHOTO, _owned(report_file)),
                ],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, dialog_timeout)],
            },
            fallbacks=[
                CommandHandler(["huy", "cancel"], _owned(cancel_dialog)),
                CallbackQueryHandler(_owned(cancel_dialog), pattern=r"^dl:x$"),
            ],
            allow_reentry=True,
            conversation_timeout=30 * 60,
            name="deadlines",
        )


COMMANDS = (
    CommandSpec(
        names=("hanchot", "deadlines"),
        description=lazy_gettext("open deadlines: time left and what is still owed"),
        allowed=MEMBERS,
        callback=list_command,
        menu_vi="hanchot",
        menu_en="deadlines",
    ),
    CommandSpec(
        names=("giaitrinh", "explain"),
        description=lazy_gettext("send your unit's explanation report"),
        allowed=UNIT_WORKERS,
        callback=report_command,
        menu_vi="giaitrinh",
        menu_en="explain",
    ),
    CommandSpec(
        names=("hanchot_moi", "deadline_new"),
        description=lazy_gettext("create a deadline (guided; templates from the letters)"),
        allowed=SECRETARIAT,
        callback=new_command,
    ),
    CommandSpec(
        names=("hanchot_tt", "deadline_status"),
        description=lazy_gettext("who has and has not complied with a deadline"),
        allowed=SECRETARIAT,
        callback=status_command,
    ),
)


def register(app: KysoApp) -> None:
    """The dialog first (it owns typed text while open), then commands and buttons."""
    # Without a running JobQueue (tests, the console) dialogs simply do not time out.
    warnings.filterwarnings(
        "ignore", message="Ignoring `conversation_timeout`", category=PTBUserWarning
    )
    app.add_handler(conversation(), group=DIALOG_GROUP)
    app.add_handler(CallbackQueryHandler(ack_button, pattern=r"^dl:ack:\d+$"))
    app.add_handler(CallbackQueryHandler(card_button, pattern=r"^dl:card:\d+$"))
    app.add_handler(CallbackQueryHandler(cancel_ask, pattern=r"^dl:cx:\d+$"))
    app.add_handler(CallbackQueryHandler(cancel_confirm, pattern=r"^dl:cx[yn]:\d+$"))
    app.add_handler(CallbackQueryHandler(status_button, pattern=r"^dl:st:\d+:\d+$"))
    app.add_handler(CallbackQueryHandler(see_button, pattern=r"^dl:see:\d+$"))
    app.add_handler(CallbackQueryHandler(csv_button, pattern=r"^dl:csv:\d+$"))
    app.add_handler(CallbackQueryHandler(accept_button, pattern=r"^dl:acc:\d+$"))
    app.add_handler(CallbackQueryHandler(stale_button, pattern=r"^dl:(new:.*|x|send|pick:\d+)$"))
