"""Unit administration for the secretariat: /donvi (list, search, card), /donvi_them, /huy."""

from __future__ import annotations

import datetime as dt
import logging
import re
from html import escape
from typing import Any

from sqlmodel import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.core.areas import KINDS, kind_label, list_areas, parse_search
from bot.core.db import session_scope
from bot.core.i18n import _, fmt_date, fmt_number, fmt_rate, lazy_gettext, ngettext
from bot.core.lookup import find_units
from bot.core.models import utcnow
from bot.core.roles import role_label
from bot.units.changes import add_unit, rename_unit, set_active, set_area, set_kind
from bot.units.errors import UnitAdminError
from bot.units.officials import OfficialRow, official, remove_official, unit_officials
from bot.units.queries import (
    PAGE_SIZE,
    UnitCard,
    UnitPage,
    get_unit,
    latest_snapshot,
    list_units,
    unit_card,
)
from handlers.commands import ANYONE, SECRETARIAT, CommandSpec
from handlers.common import private_only, secretariat_only
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)


PENDING_KEY = "units_pending"
LAST_LIST_KEY = "units_last_list"
PENDING_TTL = dt.timedelta(minutes=15)
AREA_PAGE = 8
MAX_QUERY = 40  # folded search text kept in callback data (ASCII), under the 64-byte limit

LIST_PATTERN = re.compile(r"^ul:(\d+):([a-z-]*):([0-9a-z% ]*)$")


# --- texts and keyboards ------------------------------------------------------------------


def _list_data(page: int, kind: str | None, query: str) -> str:
    """Callback data of a list page."""
    return f"ul:{page}:{kind or ''}:{query[:MAX_QUERY]}"


def list_view(result: UnitPage) -> tuple[str, InlineKeyboardMarkup]:
    """One page of units with a button each, paging and the kind filter."""
    head = ngettext("🏢 <b>{n} unit</b>", "🏢 <b>{n} units</b>", result.total).format(
        n=fmt_number(result.total)
    )
    lines = [head]
    filters_text = []
    if result.kind:
        filters_text.append(_("kind: {kind}").format(kind=kind_label(result.kind)))
    if result.query:
        filters_text.append(_("search: “{query}”").format(query=escape(result.query)))
    if filters_text:
        lines[0] += " · " + " · ".join(filters_text)
    if result.pages > 1:
        lines[0] += " · " + _("page {page}/{pages}").format(
            page=fmt_number(result.page + 1), pages=fmt_number(result.pages)
        )
    if not result.rows:
        lines.append(_("No unit found. Try part of a name, e.g. /donvi tien hai"))
    first = result.page * PAGE_SIZE
    buttons: list[list[InlineKeyboardButton]] = []
    for number, row in enumerate(result.rows, start=first + 1):
        parts = [kind_label(row.kind)]
        if row.area_name:
            parts.append(_("area: {area}").format(area=escape(row.area_name)))
        parts.append(
            ngettext("{n} official", "{n} officials", row.officials).format(
                n=fmt_number(row.officials)
            )
        )
        mark = "" if row.active else "⛔ "
        lines.append(f"{number}. {mark}<b>{escape(row.name)}</b> — " + " · ".join(parts))
        buttons.append(
            [
                InlineKeyboardButton(
                    f"{number}. {mark}{row.name}"[:64], callback_data=f"ua:c:{row.id}"
                )
            ]
        )
    nav: list[InlineKeyboardButton] = []
    if result.page > 0:
        nav.append(
            InlineKeyboardButton(
                _("◀️ Previous"),
                callback_data=_list_data(result.page - 1, result.kind, result.query),
            )
        )
    if result.page + 1 < result.pages:
        nav.append(
            InlineKeyboardButton(
                _("Next ▶️"), callback_data=_list_data(result.page + 1, result.kind, result.query)
            )
        )
    if nav:
        buttons.append(nav)
    buttons.append([InlineKeyboardButton(_("🗂 Filter by kind"), callback_data="ul:k")])
    if result.rows:
        lines.append("")
        lines.append(_("Tap a unit to open it. Add one with /donvi_them &lt;name&gt;."))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def kinds_view() -> tuple[str, InlineKeyboardMarkup]:
    """Keyboard to filter the list by kind."""
    buttons = [
        InlineKeyboardButton(kind_label(kind).capitalize(), callback_data=_list_data(0, kind, ""))
        for kind in KINDS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("All units"), callback_data=_list_data(0, None, ""))])
    return _("Which kind of unit?"), InlineKeyboardMarkup(rows)


def card_text(card: UnitCard) -> str:
    """A unit's details for the secretariat."""
    status = _("✅ active") if card.active else _("⛔ deactivated")
    lines = [
        f"🏢 <b>{escape(card.name)}</b>",
        _("Code: <code>{code}</code>").format(code=escape(card.code)),
        _("Kind: {kind}").format(kind=kind_label(card.kind)),
        _("Area: {area}").format(area=escape(card.area_name) if card.area_name else _("none")),
        _("Status: {status}").format(status=status),
    ]
    report = card.report
    if report is not None and report.denominator > 0:
        rate = _(
            "Latest signing rate: <b>{rate}</b> ({signed}/{total}), period ending {end}"
        ).format(
            rate=fmt_rate(report.numerator, report.denominator),
            signed=fmt_number(report.numerator),
            total=fmt_number(report.denominator),
            end=fmt_date(report.period.end),
        )
        if report.rank is not None:
            rate += _(", rank {rank}/{count}").format(
                rank=fmt_number(report.rank), count=fmt_number(report.ranked)
            )
        lines.append(rate)
    else:
        lines.append(_("Latest signing rate: no figures in the latest period"))
    lines.append(
        ngettext("{n} linked official", "{n} linked officials", card.officials).format(
            n=fmt_number(card.officials)
        )
    )
    if card.sub_units:
        lines.append(
            ngettext("{n} unit in this area", "{n} units in this area", card.sub_units).format(
                n=fmt_number(card.sub_units)
            )
        )
    if card.former_names:
        lines.append(_("Former names: {names}").format(names=escape("; ".join(card.former_names))))
    if not card.active:
        lines.append("")
        lines.append(deactivation_meaning())
    return "\n".join(lines)


def deactivation_meaning() -> str:
    """What deactivating a unit does."""
    return _(
        "A deactivated unit is left out of lookups (/tyle), rankings and summaries. Its "
        "figures, officials and history are kept, and it can be reactivated at any time."
    )


def card_keyboard(card: UnitCard) -> InlineKeyboardMarkup:
    """Actions on a unit."""
    uid = card.id
    toggle = (
        InlineKeyboardButton(_("⛔ Deactivate"), callback_data=f"ua:d:{uid}")
        if card.active
        else InlineKeyboardButton(_("✅ Reactivate"), callback_data=f"ua:e:{uid}")
    )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("✏️ Rename"), callback_data=f"ua:r:{uid}"),
                InlineKeyboardButton(_("🏷 Kind"), callback_data=f"ua:k:{uid}"),
            ],
            [
                InlineKeyboardButton(_("🗺 Area"), callback_data=f"ua:a:{uid}:0"),
                InlineKeyboardButton(_("👥 Officials"), callback_data=f"ua:o:{uid}"),
            ],
            [toggle],
            [InlineKeyboardButton(_("⬅️ Unit list"), callback_data="ul:back")],
        ]
    )


def _back(unit_id: int) -> InlineKeyboardButton:
    """Button back to a unit's card."""
    return InlineKeyboardButton(_("⬅️ Back"), callback_data=f"ua:c:{unit_id}")


def _person(row: OfficialRow) -> str:
    """'Nguyễn Văn A (@nva) · ID 123', or just the ID when nothing else is known."""
    known = escape(row.display_name)
    if row.username:
        known = f"{known} (@{escape(row.username)})" if known else f"@{escape(row.username)}"
    ident = _("ID <code>{id}</code>").format(id=row.telegram_id)
    return f"{known} · {ident}" if known else ident


def officials_view(card: UnitCard, rows: list[OfficialRow]) -> tuple[str, InlineKeyboardMarkup]:
    """People linked to a unit, each with a remove button."""
    lines = [_("👥 <b>Officials of {unit}</b>").format(unit=escape(card.name))]
    buttons: list[list[InlineKeyboardButton]] = []
    if not rows:
        lines.append(_("Nobody is linked to this unit yet."))
    for number, row in enumerate(rows, start=1):
        lines.append(
            _("{number}. {person} — {role}, since {since}").format(
                number=number,
                person=_person(row),
                role=role_label(row.role),
                since=fmt_date(row.since.date()),
            )
        )
        label = row.display_name or str(row.telegram_id)
        buttons.append(
            [
                InlineKeyboardButton(
                    _("✖ Remove {name}").format(name=label)[:64], callback_data=f"ua:ro:{row.id}"
                )
            ]
        )
    buttons.append([_back(card.id)])
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def kind_view(card: UnitCard) -> tuple[str, InlineKeyboardMarkup]:
    """Choose a unit's kind."""
    buttons = [
        InlineKeyboardButton(
            ("✓ " if kind == card.kind else "") + kind_label(kind).capitalize(),
            callback_data=f"ua:ks:{card.id}:{kind}",
        )
        for kind in KINDS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_back(card.id)])
    text = _("Choose the kind of <b>{unit}</b> (now: {kind}).").format(
        unit=escape(card.name), kind=kind_label(card.kind)
    )
    return text, InlineKeyboardMarkup(rows)


def area_view(card: UnitCard, areas: list[Any], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Choose the area a unit belongs to: known areas (paged), none, or type a name."""
    pages = max(1, -(-len(areas) // AREA_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = areas[page * AREA_PAGE : (page + 1) * AREA_PAGE]
    rows = [
        [
            InlineKeyboardButton(
                (("✓ " if a.id == card.area_id else "") + a.name)[:64],
                callback_data=f"ua:as:{card.id}:{a.id}",
            )
        ]
        for a in shown
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(_("◀️ Previous"), callback_data=f"ua:a:{card.id}:{page - 1}")
        )
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(_("Next ▶️"), callback_data=f"ua:a:{card.id}:{page + 1}"))
    if nav:
        rows.append(nav)
    rows.append(
        [InlineKeyboardButton(_("🔎 Type a unit's name"), callback_data=f"ua:at:{card.id}")]
    )
    rows.append(
        [InlineKeyboardButton(_("No area (top level)"), callback_data=f"ua:as:{card.id}:0")]
    )
    rows.append([_back(card.id)])
    now = escape(card.area_name) if card.area_name else _("none")
    text = _("Choose the area of <b>{unit}</b> (now: {area}).").format(
        unit=escape(card.name), area=now
    )
    if not areas:
        text += "\n" + _(
            "No areas yet: any unit can be an area. Tap “Type a unit's name”, or set a unit's "
            "kind to “area”."
        )
    return text, InlineKeyboardMarkup(rows)


# --- helpers ------------------------------------------------------------------------------


def _card(session: Session, context: BotContext, unit_id: int) -> UnitCard:
    """A unit card with the freshest standings."""
    snapshot = latest_snapshot(session=session, standings=context.runtime.standings)
    return unit_card(session=session, unit_id=unit_id, snapshot=snapshot)


def _set_pending(context: BotContext, action: str, unit_id: int | None) -> None:
    """Remember that the next text message answers a question (for a short while)."""
    assert context.user_data is not None
    context.user_data[PENDING_KEY] = {"action": action, "unit_id": unit_id, "at": utcnow()}


def _pop_pending(context: BotContext) -> dict[str, Any] | None:
    """The pending question, if any and still fresh (removed either way)."""
    if context.user_data is None:
        return None
    pending = context.user_data.pop(PENDING_KEY, None)
    if pending is None or utcnow() - pending["at"] > PENDING_TTL:
        return None
    return pending  # type: ignore[no-any-return]


async def _show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = True
) -> None:
    """Edit the message a button belongs to, or reply to a message."""
    query = update.callback_query
    if edit and query is not None:
        await query.answer()
        await query.edit_message_text(text, reply_markup=markup)
        return
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, reply_markup=markup)


async def _show_card(
    update: Update, context: BotContext, unit_id: int, note: str = "", *, edit: bool = True
) -> None:
    """Show a unit card, optionally under a note (a confirmation or a refusal)."""
    with Session(context.runtime.engine) as session:
        try:
            card = _card(session, context, unit_id)
        except UnitAdminError as exc:
            await _show(update, exc.message(), edit=edit)
            return
    text = card_text(card)
    if note:
        text = note + "\n\n" + text
    await _show(update, text, card_keyboard(card), edit=edit)


def _actor(context: BotContext) -> int:
    """Telegram id of the person acting."""
    return context.require_viewer().telegram_id


# --- commands -----------------------------------------------------------------------------


async def units_command(update: Update, context: BotContext) -> None:
    """/donvi [kind] [search text]."""
    if not await private_only(update):
        return
    kind, query = parse_search(" ".join(context.args or []))
    await _show_list(update, context, 0, kind, query, edit=False)


async def _show_list(
    update: Update,
    context: BotContext,
    page: int,
    kind: str | None,
    query: str,
    *,
    edit: bool = True,
) -> None:
    """Show one page of the unit list and remember it for the card's back button."""
    with Session(context.runtime.engine) as session:
        result = list_units(session=session, query=query[:MAX_QUERY], kind=kind, page=page)
    if context.user_data is not None:
        context.user_data[LAST_LIST_KEY] = _list_data(result.page, result.kind, result.query)
    text, markup = list_view(result)
    await _show(update, text, markup, edit=edit)


async def add_command(update: Update, context: BotContext) -> None:
    """/donvi_them <name>; without a name, ask for it."""
    if not await private_only(update):
        return
    name = " ".join(context.args or [])
    if not name.strip():
        _set_pending(context, "add", None)
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            _("Type the name of the new unit, or /huy to cancel.")
        )
        return
    await _add(update, context, name)


async def _add(update: Update, context: BotContext, name: str, *, typed: bool = False) -> None:
    """Create a unit and show its card (a typed name that is refused is asked for again)."""
    try:
        with session_scope(context.runtime.engine) as session:
            unit = add_unit(session=session, name=name, actor=_actor(context))
            unit_id, kind = unit.id, unit.kind
    except UnitAdminError as exc:
        assert update.effective_message is not None
        text = exc.message()
        if typed:
            _set_pending(context, "add", None)
            text += "\n" + _("Type another name, or /huy to cancel.")
        await update.effective_message.reply_text(text)
        return
    assert unit_id is not None
    note = _(
        "✅ Unit added. Its kind “{kind}” was guessed from the name: change it below if needed."
    ).format(kind=kind_label(kind))
    await _show_card(update, context, unit_id, note, edit=False)


async def cancel_command(update: Update, context: BotContext) -> None:
    """/huy and /cancel: forget whatever question is pending (any feature's "*_pending" key)."""
    assert update.effective_message is not None
    data = context.user_data if context.user_data is not None else {}
    pending = [data.pop(key) for key in [k for k in data if str(k).endswith("_pending")]]
    if not pending:
        await update.effective_message.reply_text(_("Nothing to cancel."))
        return
    await update.effective_message.reply_text(_("Cancelled."))


# --- typed answers ------------------------------------------------------------------------


async def pending_text(update: Update, context: BotContext) -> None:
    """A text message answering a pending question (new name, area name); else pass on."""
    if context.user_data is None or PENDING_KEY not in context.user_data:
        return
    pending = _pop_pending(context)
    viewer = context.viewer
    if pending is None or viewer is None or not viewer.is_secretariat:
        return
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text
    action, unit_id = pending["action"], pending["unit_id"]
    if action == "add":
        await _add(update, context, text, typed=True)
    elif action == "rename":
        await _rename(update, context, unit_id, text)
    elif action == "area":
        await _area_typed(update, context, unit_id, text)
    raise ApplicationHandlerStop


async def _rename(update: Update, context: BotContext, unit_id: int, name: str) -> None:
    """Rename a unit from a typed name."""
    try:
        with session_scope(context.runtime.engine) as session:
            old = get_unit(session=session, unit_id=unit_id).name
            unit = rename_unit(
                session=session, unit_id=unit_id, new_name=name, actor=_actor(context)
            )
            new = unit.name
    except UnitAdminError as exc:
        _set_pending(context, "rename", unit_id)
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            exc.message() + "\n" + _("Type another name, or /huy to cancel.")
        )
        return
    note = _(
        "✅ Renamed “{old}” to “{new}”. The old name still finds it in lookups and imports."
    ).format(old=escape(old), new=escape(new))
    await _show_card(update, context, unit_id, note, edit=False)


async def _area_typed(update: Update, context: BotContext, unit_id: int, text: str) -> None:
    """Place a unit under the unit named in a typed text, or offer the matches."""
    with Session(context.runtime.engine) as session:
        matches = find_units(session=session, query=text)
    assert update.effective_message is not None
    if matches.unique is not None:
        await _set_area(update, context, unit_id, matches.unique.id, edit=False)
        return
    if not matches:
        _set_pending(context, "area", unit_id)
        await update.effective_message.reply_text(
            _("No unit matches “{query}”. Type another name, or /huy to cancel.").format(
                query=escape(text)
            )
        )
        return
    rows = [
        [InlineKeyboardButton(m.name[:64], callback_data=f"ua:as:{unit_id}:{m.id}")]
        for m in matches
    ]
    rows.append([_back(unit_id)])
    await update.effective_message.reply_text(
        _("Which one is the area?"), reply_markup=InlineKeyboardMarkup(rows)
    )


# --- buttons ------------------------------------------------------------------------------


@secretariat_only
async def list_button(update: Update, context: BotContext) -> None:
    """Paging, the kind filter and going back to the list."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await private_only(update):
        return
    if query.data == "ul:k":
        text, markup = kinds_view()
        await _show(update, text, markup)
        return
    data = query.data
    if data == "ul:back":
        stored = context.user_data.get(LAST_LIST_KEY) if context.user_data is not None else None
        data = stored if isinstance(stored, str) else _list_data(0, None, "")
    match = LIST_PATTERN.match(data)
    if match is None:
        await query.answer()
        return
    page, kind, text = int(match[1]), match[2] or None, match[3]
    await _show_list(update, context, page, kind if kind in KINDS else None, text)


@secretariat_only
async def unit_button(update: Update, context: BotContext) -> None:
    """Every action on a unit card: ua:<action>:<id>[:<arg>]."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await private_only(update):
        return
    parts = query.data.split(":")
    action, ident = parts[1], int(parts[2])
    arg = parts[3] if len(parts) > 3 else ""
    if action == "c":
        await _show_card(update, context, ident)
    elif action == "r":
        await _ask(update, context, ident, "rename")
    elif action == "k":
        await _with_card(update, context, ident, kind_view)
    elif action == "ks":
        await _change(update, context, ident, "kind", arg)
    elif action == "a":
        await _area_keyboard(update, context, ident, int(arg or 0))
    elif action == "as":
        await _set_area(update, context, ident, int(arg) or None)
    elif action == "at":
        await _ask(update, context, ident, "area")
    elif action == "o":
        await _officials(update, context, ident)
    elif action == "d":
        await _confirm_deactivate(update, context, ident)
    elif action in ("dy", "e"):
        await _change(update, context, ident, "active", "1" if action == "e" else "0")
    elif action == "ro":
        await _confirm_remove(update, context, ident)
    elif action == "ry":
        await _remove(update, context, ident)
    else:
        await query.answer()


async def _with_card(update: Update, context: BotContext, unit_id: int, view: Any) -> None:
    """Show a view built from a unit card."""
    with Session(context.runtime.engine) as session:
        try:
            card = _card(session, context, unit_id)
        except UnitAdminError as exc:
            await _show(update, exc.message())
            return
    text, markup = view(card)
    await _show(update, text, markup)


async def _ask(update: Update, context: BotContext, unit_id: int, action: str) -> None:
    """Ask for a typed answer about a unit (new name, area name)."""
    with Session(context.runtime.engine) as session:
        try:
            name = get_unit(session=session, unit_id=unit_id).name
        except UnitAdminError as exc:
            await _show(update, exc.message())
            return
    _set_pending(context, action, unit_id)
    if action == "rename":
        text = _("Type the new name for <b>{unit}</b>, or /huy to cancel.")
    else:
        text = _("Type the name of the area (any unit) for <b>{unit}</b>, or /huy to cancel.")
    await _show(update, text.format(unit=escape(name)))


async def _change(update: Update, context: BotContext, unit_id: int, what: str, value: str) -> None:
    """Apply a kind or active change and show the card with the outcome."""
    try:
        with session_scope(context.runtime.engine) as session:
            if what == "kind":
                set_kind(session=session, unit_id=unit_id, kind=value, actor=_actor(context))
                note = _("✅ Kind changed.")
            else:
                active = value == "1"
                set_active(session=session, unit_id=unit_id, active=active, actor=_actor(context))
                note = _("✅ Unit reactivated.") if active else _("⛔ Unit deactivated.")
    except UnitAdminError as exc:
        note = "⚠️ " + exc.message()
    await _show_card(update, context, unit_id, note)


async def _area_keyboard(update: Update, context: BotContext, unit_id: int, page: int) -> None:
    """Keyboard of possible areas for a unit."""
    with Session(context.runtime.engine) as session:
        try:
            card = _card(session, context, unit_id)
        except UnitAdminError as exc:
            await _show(update, exc.message())
            return
        areas = list_areas(session=session, for_unit_id=unit_id)
    text, markup = area_view(card, areas, page)
    await _show(update, text, markup)


async def _set_area(
    update: Update, context: BotContext, unit_id: int, area_id: int | None, *, edit: bool = True
) -> None:
    """Place a unit under an area (None: top level) and show the card."""
    try:
        with session_scope(context.runtime.engine) as session:
            set_area(session=session, unit_id=unit_id, area_id=area_id, actor=_actor(context))
        note = _("✅ Area changed.")
    except UnitAdminError as exc:
        note = "⚠️ " + exc.message()
    await _show_card(update, context, unit_id, note, edit=edit)


async def _officials(update: Update, context: BotContext, unit_id: int) -> None:
    """The people linked to a unit."""
    with Session(context.runtime.engine) as session:
        try:
            card = _card(session, context, unit_id)
            rows = unit_officials(session=session, unit_id=unit_id)
        except UnitAdminError as exc:
            await _show(update, exc.message())
            return
    text, markup = officials_view(card, rows)
    await _show(update, text, markup)


async def _confirm_deactivate(update: Update, context: BotContext, unit_id: int) -> None:
    """Ask before deactivating a unit."""
    with Session(context.runtime.engine) as session:
        try:
            card = _card(session, context, unit_id)
        except UnitAdminError as exc:
            await _show(update, exc.message())
            return
    text = _("Deactivate <b>{unit}</b>?").format(unit=escape(card.name)) + "\n\n"
    text += deactivation_meaning()
    if card.officials:
        text += "\n" + ngettext(
            "Its {n} linked official stays linked; remove them under Officials if needed.",
            "Its {n} linked officials stay linked; remove them under Officials if needed.",
            card.officials,
        ).format(n=fmt_number(card.officials))
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("⛔ Yes, deactivate"), callback_data=f"ua:dy:{unit_id}")],
            [InlineKeyboardButton(_("Cancel"), callback_data=f"ua:c:{unit_id}")],
        ]
    )
    await _show(update, text, markup)


async def _confirm_remove(update: Update, context: BotContext, official_id: int) -> None:
    """Ask before removing an official from their unit."""
    with Session(context.runtime.engine) as session:
        try:
            row = official(session=session, official_id=official_id)
        except UnitAdminError as exc:
            await _show(update, exc.message())
            return
    text = _(
        "Remove {person} ({role}) from <b>{unit}</b>? They will no longer see the unit's "
        "figures or get its reminders; they can be invited again later."
    ).format(person=_person(row), role=role_label(row.role), unit=escape(row.unit_name or "—"))
    back = f"ua:o:{row.unit_id}" if row.unit_id is not None else "ul:back"
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("✖ Yes, remove"), callback_data=f"ua:ry:{official_id}")],
            [InlineKeyboardButton(_("Cancel"), callback_data=back)],
        ]
    )
    await _show(update, text, markup)


async def _remove(update: Update, context: BotContext, official_id: int) -> None:
    """Remove an official and show the unit's remaining officials."""
    try:
        with session_scope(context.runtime.engine) as session:
            row = remove_official(session=session, official_id=official_id, actor=_actor(context))
    except UnitAdminError as exc:
        await _show(update, exc.message())
        return
    note = _("✅ {person} was removed from {unit}.").format(
        person=_person(row), unit=escape(row.unit_name or "—")
    )
    if row.unit_id is None:
        await _show(update, note)
        return
    with Session(context.runtime.engine) as session:
        card = _card(session, context, row.unit_id)
        rows = unit_officials(session=session, unit_id=row.unit_id)
    text, markup = officials_view(card, rows)
    await _show(update, note + "\n\n" + text, markup)


COMMANDS = (
    CommandSpec(
        names=("donvi", "units"),
        description=lazy_gettext("list, search and manage units"),
        allowed=SECRETARIAT,  # not in the menu: every user sees the menu
        callback=units_command,
    ),
    CommandSpec(
        names=("donvi_them", "addunit"),
        description=lazy_gettext("add a unit (type its name after the command)"),
        allowed=SECRETARIAT,
        callback=add_command,
    ),
    CommandSpec(
        names=("huy", "cancel"),
        description=lazy_gettext("cancel what you were typing"),
        allowed=ANYONE,
        callback=cancel_command,
    ),
)


def register(app: KysoApp) -> None:
    """Unit commands, their buttons and typed answers (checked before other text handlers)."""
    app.add_handler(CallbackQueryHandler(list_button, pattern=r"^ul:"))
    app.add_handler(CallbackQueryHandler(unit_button, pattern=r"^ua:[a-z]+:\d+(:[a-z0-9-]+)?$"))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, pending_text),
        group=-1,
    )
