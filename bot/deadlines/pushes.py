"""The pushes deadlines send: rendered in each reader's language, keyed to happen once.

Dedupe keys are `deadline:<id>:<step or notice>:<u<unit> or list>:<chat>`, so the queued, unsent
pushes of a deadline (or of one of its units) can be withdrawn by pattern.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.core.db import stored_id
from bot.core.i18n import use_language
from bot.core.links import Cited, DeadlineBasis
from bot.core.models import (
    Deadline,
    DeadlineKind,
    ExplanationReport,
    OutboxMessage,
    OutboxStatus,
    Role,
)
from bot.core.outbox import PRIORITY_REMINDER, Push, QuietHours, enqueue_many
from bot.core.people import Recipient, languages_of
from bot.deadlines import texts
from bot.deadlines.progress import Owing
from bot.deadlines.schedule import Step, StepKind

# Outbox kinds.
KIND_REMINDER = "deadline_reminder"
_UNIT_PART = re.compile(r"(?=:u(\d+):)")  # overlapping, as LIKE '%:u12:%' would find
KIND_ESCALATION = "deadline_escalation"
KIND_LIST = "deadline_list"
KIND_NOTICE = "deadline_notice"


@dataclass(frozen=True)
class PushContext:
    """What rendering and queueing pushes needs from the settings."""

    tz: ZoneInfo
    quiet: QuietHours
    admin_ids: frozenset[int] = frozenset()
    default_language: str = "vi"
    basis: DeadlineBasis | None = None  # the letter a deadline's pushes cite

    def cited(self, session: Session, deadline: Deadline) -> Cited | None:
        """The letter passage the deadline carries out (None: none linked or loaded)."""
        if self.basis is None or deadline.id is None:
            return None
        return self.basis(
            session=session,
            deadline_id=deadline.id,
            template=deadline.template,
            due=deadline.due_at.astimezone(self.tz).date(),
        )


def cancel_pending(session: Session, deadline_id: int, unit_id: int | None = None) -> int:
    """Withdraw queued, unsent pushes of a deadline (of one unit only, if given)."""
    pattern = f"deadline:{deadline_id}:%"
    if unit_id is not None:
        pattern = f"deadline:{deadline_id}:%:u{unit_id}:%"
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.dedupe_key).like(pattern),
            col(OutboxMessage.status) == OutboxStatus.PENDING.value,
        )
        .values(status=OutboxStatus.CANCELLED.value)
    )
    return int(result.rowcount or 0)


def cancel_pending_units(session: Session, deadline_id: int, unit_ids: Collection[int]) -> int:
    """`cancel_pending` for several units of a deadline at once: one pass over its queued
    pushes instead of one scan of the whole outbox per unit."""
    if not unit_ids:
        return 0
    wanted = {f":u{u}:" for u in unit_ids}
    rows = session.exec(
        select(OutboxMessage.id, OutboxMessage.dedupe_key).where(
            col(OutboxMessage.dedupe_key).like(f"deadline:{deadline_id}:%"),
            col(OutboxMessage.status) == OutboxStatus.PENDING.value,
        )
    ).all()
    ids = [i for i, key in rows if _unit_parts(key) & wanted]
    for start in range(0, len(ids), 500):
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids[start : start + 500]))
            .values(status=OutboxStatus.CANCELLED.value)
        )
    return len(ids)


def _unit_parts(key: str) -> set[str]:
    """The ':u12:' parts of a dedupe key (what `cancel_pending`'s unit pattern matches)."""
    return {f":u{m}:" for m in _UNIT_PART.findall(key)}


def _reminded_chats(session: Session, deadline_id: int) -> dict[int, str]:
    """Chats that received a push of this deadline → the unit part of its key ('u12', 'list')."""
    rows = session.exec(
        select(OutboxMessage.chat_id, OutboxMessage.dedupe_key).where(
            col(OutboxMessage.dedupe_key).like(f"deadline:{deadline_id}:%"),
            col(OutboxMessage.status).in_([OutboxStatus.SENT.value, OutboxStatus.SENDING.value]),
        )
    ).all()
    found: dict[int, str] = {}
    for chat_id, key in rows:
        parts = key.split("#", 1)[0].split(":")
        if len(parts) == 5:
            found.setdefault(int(chat_id), parts[3])
    return found


def _tell_reminded(
    session: Session,
    deadline: Deadline,
    *,
    ctx: PushContext,
    now: dt.datetime,
    tag: str,
    render: Callable[[], str],
) -> int:
    """Queue a notice (rendered in each person's language) to everyone already reminded."""
    chats = _reminded_chats(session, stored_id(deadline.id))
    languages = languages_of(
        session=session, telegram_ids=chats, default_language=ctx.default_language
    )
    pushes: list[Push] = []
    for chat_id, part in sorted(chats.items()):
        with use_language(languages[chat_id]):
            text = render()
        pushes.append(
            Push(
                key=f"deadline:{deadline.id}:{tag}:{part}:{chat_id}",
                chat_id=chat_id,
                text=text,
                kind=KIND_NOTICE,
                priority=PRIORITY_REMINDER,
                not_before=ctx.quiet.defer(now),
                unit_id=int(part[1:]) if part.startswith("u") else None,
            )
        )
    enqueue_many(session=session, pushes=pushes)
    return len(pushes)


def notify_postponed(
    session: Session,
    deadline: Deadline,
    *,
    old_due: dt.datetime,
    ctx: PushContext,
    now: dt.datetime,
) -> int:
    """Tell everyone already reminded that the deadline moved; returns how many."""
    return _tell_reminded(
        session,
        deadline,
        ctx=ctx,
        now=now,
        tag=f"v{deadline.version}-post",
        render=lambda: texts.postponed_notice(deadline, old_due=old_due),
    )


def notify_cancelled(
    session: Session, deadline: Deadline, *, ctx: PushContext, now: dt.datetime
) -> int:
    """Tell everyone already reminded that the deadline is cancelled; returns how many."""
    return _tell_reminded(
        session,
        deadline,
        ctx=ctx,
        now=now,
        tag="cancel",
        render=lambda: texts.cancelled_notice(deadline),
    )


# --- reminder steps -----------------------------------------------------------------------


def _markup(deadline: Deadline) -> dict[str, Any]:
    """'Đã nhận' and, for reports, 'Nộp giải trình' (Bot API JSON, callback data ≤ 64 bytes)."""
    row = [{"text": texts.ack_label(), "callback_data": f"dl:ack:{deadline.id}"}]
    if deadline.kind == DeadlineKind.REPORT.value:
        row.append({"text": texts.submit_label(), "callback_data": f"dl:rep:{deadline.id}"})
    return {"inline_keyboard": [row]}


def _step_push(
    deadline: Deadline,
    step: Step,
    part: str,
    person: Recipient,
    render: Callable[[], str],
    *,
    kind: str,
    unit_id: int | None,
    send_at: dt.datetime,
    buttons: bool,
    memo: dict[tuple[int, str | None], str] | None = None,
) -> Push:
    """One push of a step to one person, in their language (`part` follows the step in the key:
    ':u12', '-esc:u12', ':list'); a text already rendered in that language is taken from `memo`
    (a unit's four office staff get the same words)."""
    key = (id(render), person.language)
    text = memo.get(key) if memo is not None else None
    if text is None:
        with use_language(person.language):
            text = render()
        if memo is not None:
            memo[key] = text
    return Push(
        key=f"deadline:{deadline.id}:{step.code}{part}:{person.telegram_id}",
        chat_id=person.telegram_id,
        text=text,
        kind=kind,
        priority=PRIORITY_REMINDER,
        not_before=send_at,
        reply_markup=_markup(deadline) if buttons else None,
        unit_id=unit_id,
    )


def _unit_step_pushes(
    deadline: Deadline,
    step: Step,
    item: Owing,
    people: Sequence[Recipient],
    send_at: dt.datetime,
    cited: Cited | None,
) -> list[Push]:
    """A step's pushes to one unit that still owes: reminders, the escalation or the notice."""
    staff = [p for p in people if p.role == Role.STAFF.value]
    heads = [p for p in people if p.role == Role.HEAD.value]
    unit = f":u{item.unit_id}"
    sends: list[tuple[Recipient, str, str, Callable[[], str]]]
    if step.kind is StepKind.REMIND:
        remind = partial(texts.reminder, deadline, item, now=send_at, cited=cited)
        # A unit without office staff: its head is reminded.
        sends = [(person, unit, KIND_REMINDER, remind) for person in staff or heads]
    elif step.kind is StepKind.DUE_DAY:
        remind = partial(texts.reminder, deadline, item, now=send_at, due_day=True, cited=cited)
        escalate = partial(texts.escalation, deadline, item, now=send_at, cited=cited)
        sends = [(person, unit, KIND_REMINDER, remind) for person in staff]
        sends += [(person, f"-esc{unit}", KIND_ESCALATION, escalate) for person in heads]
    else:
        notice = partial(texts.overdue_notice, deadline, item, cited)
        sends = [(person, unit, KIND_REMINDER, notice) for person in staff + heads]
    buttons = step.kind is not StepKind.OVERDUE or deadline.kind == DeadlineKind.REPORT.value
    memo: dict[tuple[int, str | None], str] = {}  # the renders above live as long as it does
    return [
        _step_push(
            deadline,
            step,
            part,
            person,
            render,
            kind=kind,
            unit_id=item.unit_id,
            send_at=send_at,
            buttons=buttons,
            memo=memo,
        )
        for person, part, kind, render in sends
    ]


def _list_pushes(
    deadline: Deadline,
    step: Step,
    owing: Sequence[Owing],
    secretariat: Sequence[Recipient],
    *,
    total: int,
    send_at: dt.datetime,
) -> list[Push]:
    """The list of units still owing, to each person in the secretariat."""
    render = partial(
        texts.secretariat_list,
        deadline,
        owing,
        total=total,
        overdue=step.kind is StepKind.OVERDUE,
        now=send_at,
    )
    return [
        _step_push(
            deadline,
            step,
            ":list",
            person,
            render,
            kind=KIND_LIST,
            unit_id=None,
            send_at=send_at,
            buttons=False,
        )
        for person in secretariat
    ]


def compose_step(
    deadline: Deadline,
    step: Step,
    *,
    owing: Sequence[Owing],
    people: Mapping[int, list[Recipient]],
    secretariat: Sequence[Recipient],
    total: int,
    now: dt.datetime,
    ctx: PushContext,
    cited: Cited | None = None,
) -> list[Push]:
    """The pushes of one step: to each unit still owing (its `people`), then the list of them
    to the `secretariat` (given on the due day and when overdue); units' pushes cite `cited`."""
    send_at = ctx.quiet.defer(now)
    pushes: list[Push] = []
    for item in owing:
        pushes.extend(
            _unit_step_pushes(deadline, step, item, people.get(item.unit_id, []), send_at, cited)
        )
    pushes.extend(_list_pushes(deadline, step, owing, secretariat, total=total, send_at=send_at))
    return pushes


# --- the secretariat's review of a report -------------------------------------------------


def _review_pushes(
    deadline: Deadline,
    report: ExplanationReport,
    people: Sequence[Recipient],
    *,
    tag: str,
    render: Callable[[], str],
    buttons: bool,
    ctx: PushContext,
    now: dt.datetime,
) -> list[Push]:
    """A notice about a unit's report to its people, each in their language."""
    pushes = []
    for person in people:
        with use_language(person.language):
            text = render()
        pushes.append(
            Push(
                key=f"deadline:{deadline.id}:{tag}{report.version}:u{report.unit_id}:{person.telegram_id}",
                chat_id=person.telegram_id,
                text=text,
                kind=KIND_NOTICE,
                priority=PRIORITY_REMINDER,
                not_before=ctx.quiet.defer(now),
                reply_markup=_markup(deadline) if buttons else None,
                unit_id=report.unit_id,
            )
        )
    return pushes


def notify_accepted(
    session: Session,
    deadline: Deadline,
    report: ExplanationReport,
    *,
    unit: str,
    people: Sequence[Recipient],
    ctx: PushContext,
    now: dt.datetime,
) -> int:
    """Tell the unit's people that its report was accepted; returns how many were queued."""
    pushes = _review_pushes(
        deadline,
        report,
        people,
        tag="acc",
        render=lambda: texts.accepted_notice(deadline, report, unit),
        buttons=False,
        ctx=ctx,
        now=now,
    )
    return enqueue_many(session=session, pushes=pushes)


def notify_more(
    session: Session,
    deadline: Deadline,
    report: ExplanationReport,
    *,
    unit: str,
    people: Sequence[Recipient],
    ctx: PushContext,
    now: dt.datetime,
) -> int:
    """Tell the unit's people what to add to its report; returns how many were queued."""
    pushes = _review_pushes(
        deadline,
        report,
        people,
        tag="more",
        render=partial(
            texts.more_notice, deadline, report, unit, now=now, cited=ctx.cited(session, deadline)
        ),
        buttons=True,
        ctx=ctx,
        now=now,
    )
    return enqueue_many(session=session, pushes=pushes)
