"""Units administration, what the secretariat sees: texts and keyboards of the list and card."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.areas import KINDS, kind_label
from bot.core.i18n import _, fmt_date, fmt_number, fmt_rate, ngettext
from bot.core.lookup import UnitRef
from bot.core.roles import role_label

if TYPE_CHECKING:
    from bot.units.officials import OfficialRow
    from bot.units.queries import UnitCard, UnitPage

AREA_PAGE = 8
MAX_QUERY = 40  # folded search text kept in callback data (ASCII), under the 64-byte limit


def list_data(page: int, kind: str | None, query: str) -> str:
    """Callback data of a list page."""
    return f"ul:{page}:{kind or ''}:{query[:MAX_QUERY]}"


def list_view(result: UnitPage) -> tuple[str, InlineKeyboardMarkup]:
    """One page of units with a button each, paging and the kind filter."""
    # bot.units loads at the first unit command, not at start-up
    from bot.units.queries import PAGE_SIZE

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
        lines.append(_("No unit found. Try part of a name, e.g. /units tien hai"))
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
                callback_data=list_data(result.page - 1, result.kind, result.query),
            )
        )
    if result.page + 1 < result.pages:
        nav.append(
            InlineKeyboardButton(
                _("Next ▶️"), callback_data=list_data(result.page + 1, result.kind, result.query)
            )
        )
    if nav:
        buttons.append(nav)
    buttons.append([InlineKeyboardButton(_("🗂 Filter by kind"), callback_data="ul:k")])
    if result.rows:
        lines.append("")
        lines.append(_("Tap a unit to open it. Add one with /addunit &lt;name&gt;."))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def kinds_view() -> tuple[str, InlineKeyboardMarkup]:
    """Keyboard to filter the list by kind."""
    buttons = [
        InlineKeyboardButton(kind_label(kind).capitalize(), callback_data=list_data(0, kind, ""))
        for kind in KINDS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("All units"), callback_data=list_data(0, None, ""))])
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
        "A deactivated unit is left out of lookups (/rate), rankings and summaries. Its "
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


def back_button(unit_id: int) -> InlineKeyboardButton:
    """Button back to a unit's card."""
    return InlineKeyboardButton(_("⬅️ Back"), callback_data=f"ua:c:{unit_id}")


def person_text(row: OfficialRow) -> str:
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
                person=person_text(row),
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
    buttons.append([back_button(card.id)])
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
    rows.append([back_button(card.id)])
    text = _("Choose the kind of <b>{unit}</b> (now: {kind}).").format(
        unit=escape(card.name), kind=kind_label(card.kind)
    )
    return text, InlineKeyboardMarkup(rows)


def area_view(card: UnitCard, areas: list[UnitRef], page: int) -> tuple[str, InlineKeyboardMarkup]:
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
    rows.append([back_button(card.id)])
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


def deactivate_view(card: UnitCard) -> tuple[str, InlineKeyboardMarkup]:
    """Ask before deactivating a unit: what it means, and who stays linked."""
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
            [InlineKeyboardButton(_("⛔ Yes, deactivate"), callback_data=f"ua:dy:{card.id}")],
            [InlineKeyboardButton(_("Cancel"), callback_data=f"ua:c:{card.id}")],
        ]
    )
    return text, markup


def remove_view(row: OfficialRow) -> tuple[str, InlineKeyboardMarkup]:
    """Ask before removing an official from their unit."""
    text = _(
        "Remove {person} ({role}) from <b>{unit}</b>? They will no longer see the unit's "
        "figures or get its reminders; they can be invited again later."
    ).format(person=person_text(row), role=role_label(row.role), unit=escape(row.unit_name or "—"))
    back = f"ua:o:{row.unit_id}" if row.unit_id is not None else "ul:back"
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("✖ Yes, remove"), callback_data=f"ua:ry:{row.id}")],
            [InlineKeyboardButton(_("Cancel"), callback_data=back)],
        ]
    )
    return text, markup


def area_matches_keyboard(unit_id: int, matches: list[UnitRef]) -> InlineKeyboardMarkup:
    """The units a typed area name matched, one button each, and back to the card."""
    rows = [
        [InlineKeyboardButton(m.name[:64], callback_data=f"ua:as:{unit_id}:{m.id}")]
        for m in matches
    ]
    rows.append([back_button(unit_id)])
    return InlineKeyboardMarkup(rows)
