"""Secretariat broadcasts: audiences, queuing through the outbox, acknowledgements, status."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape
from typing import Any

from sqlmodel import Session, col, func, select

from bot.core import audit, outbox
from bot.core.areas import kind_label
from bot.core.audiences import (
    Audience,
    AudienceKind,
    Band,
    Reach,
    audience_unit_ids,
    below_terms,
)
from bot.core.i18n import _, fmt_date, fmt_number, fmt_percent_value, ngettext
from bot.core.models import (
    Acknowledgement,
    AppUser,
    Broadcast,
    GroupSubscription,
    Official,
    OutboxMessage,
    Role,
    Unit,
    utcnow,
)

logger = logging.getLogger(__name__)

MAX_BROADCAST_CHARS = 3500  # leaves room for the header; longer texts would be split anyway
UNIT_ROLES = (Role.HEAD.value, Role.STAFF.value, Role.VIEWER.value)


class Scope(StrEnum):
    """The audience choices the composer offers (each one an `Audience`)."""

    ALL = "all"
    BELOW_WARNING = "below_warning"
    BELOW_CRITICAL = "below_critical"
    KIND = "kind"
    AREA = "area"
    GROUPS = "groups"


def chosen_audience(
    scope: Scope,
    *,
    reach: Reach = Reach.OFFICIALS,
    unit_kind: str | None = None,
    area_id: int | None = None,
) -> Audience:
    """The audience a composer choice stands for (below: the latest period)."""
    if scope is Scope.BELOW_WARNING:
        return Audience(AudienceKind.BELOW, band=Band.WARNING, reach=reach)
    if scope is Scope.BELOW_CRITICAL:
        return Audience(AudienceKind.BELOW, band=Band.CRITICAL, reach=reach)
    kind = AudienceKind(scope.value)
    return Audience(kind, unit_kind=unit_kind, area_id=area_id, reach=reach)


@dataclass(frozen=True)
class Recipients:
    """Resolved audience: chats to send to, and units nobody there can receive."""

    chats: list[tuple[int, int | None]]  # (chat id, unit id or None for groups)
    units: list[int] = field(default_factory=list)
    units_without_officials: list[int] = field(default_factory=list)


def audience_units(*, session: Session, audience: Audience) -> list[int]:
    """Active units in a (non-group) audience; area units' officials read announcements too."""
    return audience_unit_ids(session=session, audience=audience, with_areas=True)


def resolve(*, session: Session, audience: Audience) -> Recipients:
    """The chats a broadcast would go to right now."""
    if audience.kind is AudienceKind.GROUPS:
        group_chats = sorted(
            set(
                session.exec(
                    select(GroupSubscription.chat_id).where(GroupSubscription.active == True)  # noqa: E712
                ).all()
            )
        )
        return Recipients(chats=[(c, None) for c in group_chats])
    units = audience_units(session=session, audience=audience)
    roles = [Role.HEAD.value] if audience.reach is Reach.HEADS else list(UNIT_ROLES)
    rows = session.exec(
        select(Official.telegram_id, Official.unit_id)
        .where(
            Official.active == True,  # noqa: E712
            col(Official.role).in_(roles),
            col(Official.unit_id).in_(units),
        )
        .order_by(col(Official.unit_id), col(Official.telegram_id))
    ).all()
    chats = [(int(t), u) for t, u in rows]
    covered = {u for _, u in chats}
    return Recipients(
        chats=chats, units=units, units_without_officials=[u for u in units if u not in covered]
    )


def describe(*, session: Session, audience: Audience) -> str:
    """The audience in words, e.g. "units below 80% (08/06/2026 – 22/06/2026) · heads only"."""
    if audience.kind is AudienceKind.GROUPS:
        return _("subscribed group chats")
    if audience.kind is AudienceKind.KIND:
        what = _("units of kind “{kind}”").format(kind=kind_label(audience.unit_kind or ""))
    elif audience.kind is AudienceKind.AREA:
        area = session.get(Unit, audience.area_id) if audience.area_id else None
        what = _("units in {area}").format(area=escape(area.name if area else "?"))
    elif audience.kind is AudienceKind.BELOW:
        terms = below_terms(session=session, audience=audience)
        what = _("units below {threshold}").format(
            threshold=fmt_percent_value(float(terms.threshold * 100), 0) if terms else "?"
        )
        if terms is not None and terms.period is not None:
            what += f" ({fmt_date(terms.period.start)} – {fmt_date(terms.period.end)})"
    else:
        what = _("all units")
    reach = _("heads only") if audience.reach is Reach.HEADS else _("all officials")
    return f"{what} · {reach}"


def progress_text(broadcast_id: int, counts: dict[str, int], total: int, done: bool) -> str:
    """'Sent 340/1,000 · 2 failed' while sending; a summary when done."""
    sent = counts.get("sent", 0)
    failed = counts.get("failed", 0) + counts.get("cancelled", 0)
    unreachable = counts.get("unreachable", 0)
    parts = [
        _("Sent {sent}/{total}").format(sent=fmt_number(sent), total=fmt_number(total)),
        ngettext("{n} error", "{n} errors", failed).format(n=fmt_number(failed)),
    ]
    if unreachable:
        parts.append(
            ngettext("{n} unreachable", "{n} unreachable", unreachable).format(
                n=fmt_number(unreachable)
            )
        )
    line = " · ".join(parts)
    if done:
        return _(
            "✅ <b>Announcement #{id} sent.</b>\n{line}\nDetails and acknowledgements: "
            "/broadcast_status {id}"
        ).format(id=broadcast_id, line=line)
    return _("📤 <b>Announcement #{id}</b> is being sent…\n{line}").format(
        id=broadcast_id, line=line
    )


def validate_text(text: str) -> list[str]:
    """Why a broadcast text cannot be sent (empty list: it can)."""
    from bot.core.telegram_html import html_problems

    if not text.strip():
        return [_("The announcement is empty.")]
    if len(text) > MAX_BROADCAST_CHARS:
        return [
            _("The announcement is too long: {n} characters, at most {max}.").format(
                n=len(text), max=MAX_BROADCAST_CHARS
            )
        ]
    return html_problems(text)


def message_text(text: str) -> str:
    """What recipients see."""
    return _("📢 <b>Announcement from the secretariat</b>") + "\n\n" + text


def ack_markup(broadcast_id: int, label: str) -> dict[str, Any]:
    """The "Đã nhận" button, as Bot API JSON (domain code does not import telegram)."""
    return {"inline_keyboard": [[{"text": label, "callback_data": f"ack:b:{broadcast_id}"}]]}


def create(
    *,
    session: Session,
    text: str,
    audience: Audience,
    actor: int | None,
    ack_label: str,
    progress_chat_id: int | None = None,
) -> tuple[Broadcast, int]:
    """Store the broadcast and queue one push per recipient in ONE transaction (commits)."""
    problems = validate_text(text)
    if problems:
        raise ValueError("; ".join(problems))
    recipients = resolve(session=session, audience=audience)
    broadcast = Broadcast(
        text=text,
        audience=audience.as_dict(),
        recipients=len(recipients.chats),
        created_by=actor,
        progress_chat_id=progress_chat_id,
    )
    session.add(broadcast)
    session.flush()
    assert broadcast.id is not None
    body = message_text(text)
    pushes = [
        outbox.Push(
            key=f"broadcast:{broadcast.id}:{chat_id}",
            chat_id=chat_id,
            text=body,
            kind="broadcast",
            priority=outbox.PRIORITY_BROADCAST,
            reply_markup=ack_markup(broadcast.id, ack_label),
            unit_id=unit_id,
            broadcast_id=broadcast.id,
        )
        for chat_id, unit_id in recipients.chats
    ]
    outbox.enqueue_many(session=session, pushes=pushes)
    audit.record(
        session=session,
        actor=actor,
        action="broadcast.create",
        subject=f"broadcast:{broadcast.id}",
        audience=audience.as_dict(),
        recipients=len(recipients.chats),
    )
    session.commit()
    return broadcast, len(recipients.chats)


@dataclass(frozen=True)
class BroadcastStatus:
    """Delivery and acknowledgement of one broadcast."""

    broadcast: Broadcast
    counts: dict[str, int]
    acknowledged_people: int
    units: list[int]
    units_not_acknowledged: list[tuple[int, str]]

    @property
    def done(self) -> bool:
        """Nothing left to send."""
        return not (self.counts.get("pending", 0) or self.counts.get("sending", 0))


def status(*, session: Session, broadcast_id: int) -> BroadcastStatus | None:
    """Counts by delivery status, acknowledgements, units that have not acknowledged."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        return None
    counts = outbox.status_counts(session=session, broadcast_id=broadcast_id)
    subject = f"broadcast:{broadcast_id}"
    acked_people = int(
        session.exec(
            select(func.count())
            .select_from(Acknowledgement)
            .where(Acknowledgement.subject == subject)
        ).one()
    )
    acked_units = set(
        session.exec(
            select(Acknowledgement.unit_id).where(Acknowledgement.subject == subject)
        ).all()
    )
    unit_ids = sorted(
        {
            u
            for u in session.exec(
                select(OutboxMessage.unit_id).where(OutboxMessage.broadcast_id == broadcast_id)
            ).all()
            if u is not None
        }
    )
    names = dict(session.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(unit_ids))).all())
    missing = [(u, names.get(u, "?")) for u in unit_ids if u not in acked_units]
    missing.sort(key=lambda item: item[1])
    return BroadcastStatus(broadcast, counts, acked_people, unit_ids, missing)


def unfinished_with_progress(*, session: Session) -> list[Broadcast]:
    """Broadcasts whose progress message is still being updated."""
    return list(
        session.exec(
            select(Broadcast).where(
                col(Broadcast.finished_at).is_(None),
                col(Broadcast.progress_message_id).is_not(None),
            )
        ).all()
    )


def set_progress_message(
    *, session: Session, broadcast_id: int, chat_id: int, message_id: int
) -> None:
    """Remember which message shows a broadcast's progress (commits)."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is not None:
        broadcast.progress_chat_id = chat_id
        broadcast.progress_message_id = message_id
        session.add(broadcast)
        session.commit()


def mark_finished(*, session: Session, broadcast_id: int) -> None:
    """Everything was sent or given up: stop updating the progress message (commits)."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is not None and broadcast.finished_at is None:
        broadcast.finished_at = utcnow()
        session.add(broadcast)
        session.commit()


def recent(*, session: Session, limit: int = 10) -> list[Broadcast]:
    """Newest broadcasts first."""
    return list(
        session.exec(select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)).all()
    )


class ReminderInFlight(Exception):
    """The previous reminder round of a broadcast is still being sent."""


def remind_unacknowledged(
    *, session: Session, broadcast_id: int, actor: int | None, ack_label: str
) -> int:
    """Remind officials of units that have not acknowledged (commits); returns people reminded."""
    st = status(session=session, broadcast_id=broadcast_id)
    if st is None:
        raise LookupError(broadcast_id)
    in_flight = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.broadcast_id == broadcast_id,
            OutboxMessage.kind == "broadcast-reminder",
            col(OutboxMessage.status).in_(["pending", "sending"]),
        )
    ).one()
    if in_flight:
        raise ReminderInFlight(broadcast_id)
    missing_units = [u for u, _ in st.units_not_acknowledged]
    rows = session.exec(
        select(OutboxMessage.chat_id, OutboxMessage.unit_id).where(
            OutboxMessage.broadcast_id == broadcast_id,
            col(OutboxMessage.unit_id).in_(missing_units),
            OutboxMessage.kind == "broadcast",
            ~col(OutboxMessage.dedupe_key).contains("#"),
        )
    ).all()
    round_no = 1 + len(
        {
            k.split(":")[2]
            for k in session.exec(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.broadcast_id == broadcast_id,
                    OutboxMessage.kind == "broadcast-reminder",
                )
            ).all()
        }
    )
    text = (
        _(
            "⏰ <b>Reminder:</b> please read the secretariat's announcement and press “{ack}”."
        ).format(ack=escape(ack_label))
        + "\n\n"
        + message_text(st.broadcast.text)
    )
    pushes = [
        outbox.Push(
            key=f"broadcast:{broadcast_id}:r{round_no}:{chat_id}",
            chat_id=chat_id,
            text=text,
            kind="broadcast-reminder",
            priority=outbox.PRIORITY_BROADCAST,
            reply_markup=ack_markup(broadcast_id, ack_label),
            unit_id=unit_id,
            broadcast_id=broadcast_id,
        )
        for chat_id, unit_id in rows
    ]
    count = outbox.enqueue_many(session=session, pushes=pushes)
    audit.record(
        session=session,
        actor=actor,
        action="broadcast.remind",
        subject=f"broadcast:{broadcast_id}",
        units=len(missing_units),
        recipients=len(pushes),
    )
    session.commit()
    return len(pushes) if count else 0


@dataclass(frozen=True)
class UnreachableOfficial:
    """An official the bot cannot reach."""

    telegram_id: int
    name: str
    unit_name: str
    role: str
    reason: str | None


def unreachable(*, session: Session) -> tuple[list[UnreachableOfficial], list[str]]:
    """Officials marked unreachable, and active units with no official at all."""
    rows = session.exec(
        select(AppUser, Official, Unit)
        .join(Official, col(Official.telegram_id) == AppUser.telegram_id)
        .join(Unit, col(Unit.id) == Official.unit_id)
        .where(AppUser.reachable == False, Official.active == True)  # noqa: E712
        .order_by(Unit.name)
    ).all()
    people = [
        UnreachableOfficial(
            user.telegram_id, user.display_name, unit.name, official.role, user.unreachable_reason
        )
        for user, official, unit in rows
    ]
    staffed = set(
        session.exec(
            select(Official.unit_id).where(
                Official.active == True,  # noqa: E712
                col(Official.unit_id).is_not(None),
            )
        ).all()
    )
    empty = [
        name
        for uid, name in session.exec(
            select(Unit.id, Unit.name).where(Unit.active == True).order_by(Unit.short_key)  # noqa: E712
        ).all()
        if uid not in staffed
    ]
    return people, empty
