"""Broadcasts' texts and keyboards: the draft's buttons and preview, lists, status, unreachable."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.areas import KINDS, kind_label
from bot.core.audiences import Audience, AudienceKind, Reach
from bot.core.i18n import _, fmt_datetime, fmt_number, ngettext
from bot.core.lookup import UnitRef
from bot.core.models import Broadcast
from bot.core.roles import role_label
from handlers.paging import Listing, Section

if TYPE_CHECKING:
    from bot.broadcasts import service as broadcasts
    from bot.broadcasts.service import BroadcastStatus, Recipients


def ack_label() -> str:
    """The acknowledgement button's label."""
    return _("✅ Received")


# --- the draft's buttons: bc:<token>:<action>[:<value>] ---------------------------------------


def _button(
    label: str, token: str, action: str, value: str | int | None = None
) -> InlineKeyboardButton:
    """An inline button of a draft."""
    data = f"bc:{token}:{action}" + (f":{value}" if value is not None else "")
    return InlineKeyboardButton(label, callback_data=data)


def _back_cancel(token: str) -> list[InlineKeyboardButton]:
    """◀️ Back and ✖️ Cancel, the last row of every step after the audience."""
    return [_button(_("◀️ Back"), token, "back"), _button(_("✖️ Cancel"), token, "x")]


def audience_keyboard(token: str) -> InlineKeyboardMarkup:
    """The audience choices."""
    # bot.broadcasts loads at the first announcement, not at start-up
    from bot.broadcasts.service import Scope

    t = token
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


def kind_keyboard(token: str) -> InlineKeyboardMarkup:
    """One button per unit kind."""
    rows = [[_button(kind_label(k), token, "k", k)] for k in KINDS]
    return InlineKeyboardMarkup([*rows, _back_cancel(token)])


def area_keyboard(token: str, areas: list[UnitRef]) -> InlineKeyboardMarkup:
    """One button per area."""
    rows = [[_button(a.name, token, "r", a.id)] for a in areas]
    return InlineKeyboardMarkup([*rows, _back_cancel(token)])


def reach_keyboard(token: str) -> InlineKeyboardMarkup:
    """Heads only, or every official of the chosen units."""
    return InlineKeyboardMarkup(
        [
            [_button(_("Heads only (bí thư / chủ tịch)"), token, "h", Reach.HEADS.value)],
            [_button(_("All officials of those units"), token, "h", Reach.OFFICIALS.value)],
            _back_cancel(token),
        ]
    )


def preview_keyboard(token: str, n: int) -> InlineKeyboardMarkup:
    """Send to n (when there is anyone), Back, Cancel."""
    if n == 0:
        return InlineKeyboardMarkup([_back_cancel(token)])
    send = _button(_("✅ Send to {n}").format(n=fmt_number(n)), token, "ok")
    return InlineKeyboardMarkup([[send], _back_cancel(token)])


# --- the draft's texts ------------------------------------------------------------------------


def compose_prompt() -> str:
    """What /thongbao says when the text did not follow the command."""
    return _(
        "📢 <b>New announcement</b>\n"
        "Send the text now. You can format it with Telegram's bold/italic, or with HTML: "
        '&lt;b&gt;, &lt;i&gt;, &lt;u&gt;, &lt;a href="…"&gt;. Then you will choose who '
        "receives it and see a preview before anything is sent.\n"
        "/cancel to cancel."
    )


def text_problems(problems: list[str]) -> str:
    """Why a text cannot be sent (the first ten problems)."""
    lines = "\n".join(f"• {escape(p)}" for p in problems[:10])
    return _(
        "⚠️ This text cannot be sent as it is:\n{problems}\n\n"
        "Send the corrected text, or /cancel to cancel."
    ).format(problems=lines)


def _reach_lines(recipients: Recipients, n: int) -> list[str]:
    """How many people in how many units, and the units nobody can receive it in."""
    units = len(recipients.units)
    lines = [
        ngettext("It will go to <b>{n} person</b>", "It will go to <b>{n} people</b>", n).format(
            n=fmt_number(n)
        )
        + " "
        + ngettext("in {n} unit.", "in {n} units.", units).format(n=fmt_number(units))
    ]
    empty = len(recipients.units_without_officials)
    if empty:
        lines.append(
            ngettext(
                "⚠️ {n} unit has nobody using the bot and will not receive it (see /unreachable).",
                "⚠️ {n} units have nobody using the bot and will not receive it (see /unreachable).",
                empty,
            ).format(n=fmt_number(empty))
        )
    return lines


def preview_text(target: Audience, recipients: Recipients, audience: str, text: str) -> str:
    """The exact text, the audience in words and the recipient count."""
    # bot.broadcasts loads at the first announcement, not at start-up
    from bot.broadcasts import service as broadcasts

    n = len(recipients.chats)
    lines = [_("📋 <b>Preview</b>"), _("Audience: {audience}").format(audience=audience)]
    if target.kind is AudienceKind.GROUPS:
        lines.append(
            ngettext(
                "It will go to <b>{n} group chat</b>.",
                "It will go to <b>{n} group chats</b>.",
                n,
            ).format(n=fmt_number(n))
        )
    else:
        lines += _reach_lines(recipients, n)
    lines.append(_("Exactly what they will see:"))
    preview = "\n".join(lines) + "\n———\n" + broadcasts.message_text(text)
    if n == 0:
        preview += "\n———\n" + _("Nobody to send to: choose another audience.")
    return preview


# --- lists and status -------------------------------------------------------------------------


def excerpt(text: str, limit: int = 80) -> str:
    """The start of a text without its HTML tags."""
    plain = re.sub(r"<[^>]+>", "", text).replace("&lt;", "<").replace("&gt;", ">")
    plain = " ".join(plain.replace("&amp;", "&").split())
    return plain if len(plain) <= limit else plain[: limit - 1] + "…"


def list_listing(items: list[tuple[Broadcast, BroadcastStatus]]) -> Listing:
    """/thongbao_ds: a paragraph and a '#id' button per announcement, five a page."""
    lines: list[str] = []
    buttons: list[InlineKeyboardButton | None] = []
    for b, st in items:
        assert b.id is not None
        sent = st.counts.get("sent", 0)
        lines.append(
            _("#{id} · {when} · sent {sent}/{total} · {acks} confirmed\n{excerpt}").format(
                id=b.id,
                when=fmt_datetime(b.created_at),
                sent=fmt_number(sent),
                total=fmt_number(b.recipients),
                acks=fmt_number(st.acknowledged_people),
                excerpt=escape(excerpt(b.text)),
            )
        )
        buttons.append(InlineKeyboardButton(f"#{b.id}", callback_data=f"bcs:{b.id}"))
    section = Section(_("📢 <b>Latest announcements</b>"), lines, buttons)
    return Listing([section], file_name=_("announcements.txt"), page_lines=5)


def _delivery_lines(st: BroadcastStatus) -> list[str]:
    """Recipients, delivered, still to send, failed, unreachable, confirmed."""
    b, c = st.broadcast, st.counts
    lines = [
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
    return lines


def status_listing(st: BroadcastStatus, audience: str) -> Listing:
    """Delivered / acknowledged / failed / unreachable, then the units that have not
    acknowledged (in pages), and Remind once the sending is over."""
    b = st.broadcast
    assert b.id is not None
    head = [
        _("📊 <b>Announcement #{id}</b> · {when}").format(id=b.id, when=fmt_datetime(b.created_at)),
        _("Audience: {audience}").format(audience=audience),
        escape(excerpt(b.text, 200)),
        "",
        *_delivery_lines(st),
    ]
    missing = st.units_not_acknowledged
    sections = []
    if missing:
        heading = ngettext(
            "Not yet confirmed ({n} unit):", "Not yet confirmed ({n} units):", len(missing)
        ).format(n=fmt_number(len(missing)))
        sections.append(Section(heading, [f"• {escape(name)}" for _id, name in missing]))
    rows = []
    if missing and st.done:
        label = ngettext(
            "🔔 Remind the {n} unit that has not confirmed",
            "🔔 Remind the {n} units that have not confirmed",
            len(missing),
        ).format(n=fmt_number(len(missing)))
        rows.append([InlineKeyboardButton(label, callback_data=f"bcr:{b.id}")])
    file_name = _("not-confirmed-{id}.txt").format(id=b.id)
    return Listing(sections, file_name=file_name, header="\n".join(head), rows=rows, page_lines=10)


def unreachable_listing(
    people: list[broadcasts.UnreachableOfficial], empty_units: list[str]
) -> Listing:
    """/khonglienlac: officials the bot cannot reach, and units nobody uses it in."""
    sections: list[Section] = []
    if people:
        heading = ngettext(
            "🚫 <b>{n} official cannot be reached</b> (blocked the bot, left Telegram, or "
            "never pressed Start):",
            "🚫 <b>{n} officials cannot be reached</b> (blocked the bot, left Telegram, or "
            "never pressed Start):",
            len(people),
        ).format(n=fmt_number(len(people)))
        lines = [
            f"• {escape(p.name or str(p.telegram_id))} ({p.telegram_id}) — "
            f"{escape(role_label(p.role))}, {escape(p.unit_name)}"
            for p in people
        ]
        sections.append(Section(heading, lines))
    if empty_units:
        heading = ngettext(
            "🏢 <b>{n} unit has nobody using the bot</b> (invite them with /invite):",
            "🏢 <b>{n} units have nobody using the bot</b> (invite them with /invite):",
            len(empty_units),
        ).format(n=fmt_number(len(empty_units)))
        sections.append(Section(heading, [f"• {escape(name)}" for name in empty_units]))
    return Listing(sections, file_name=_("unreachable.txt"))
