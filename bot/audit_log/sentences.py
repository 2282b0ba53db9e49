"""Every audit action as a sentence people read: names instead of ids, local times, no keys.

`render(entry, names)` turns one entry into a line in the current language; `Names` looks up,
for a page of entries at once, the units, people, deadlines, groups and announcements they
point to. Every action a feature records has a renderer here (tests/test_one_language.py reads
bot/ for the action names).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from bot.audit_log.names import Names, int_of, ref
from bot.core.areas import kind_label
from bot.core.audit import action_label
from bot.core.i18n import _, fmt_date, fmt_datetime, fmt_number, fmt_percent_value, ngettext
from bot.core.models import AuditLog
from bot.core.roles import role_label

logger = logging.getLogger(__name__)

Details = Mapping[str, Any]


def _when(value: object) -> str:
    """An ISO time stored in details, as local time ('16:00 29/06/2026')."""
    if not isinstance(value, str):
        raise ValueError("no time")
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return fmt_datetime(moment)


def _day(value: object) -> str:
    """An ISO day stored in details, in the reader's format."""
    return fmt_date(dt.date.fromisoformat(str(value)))


def _role(value: object) -> str:
    """A stored role value, translated."""
    if not value:
        raise ValueError("no role")
    return role_label(str(value))


# --- one renderer per action ----------------------------------------------------------------

Renderer = Callable[[AuditLog, Details, Names], str]


def _subject_unit(entry: AuditLog, d: Details, n: Names) -> str:
    """The unit an entry is about (subject 'unit:<id>', else details)."""
    found = ref(entry.subject or "", "unit")
    return n.unit(
        found if found is not None else int_of(d.get("unit_id")), d.get("name") or entry.subject
    )


def _invite_create(e: AuditLog, d: Details, n: Names) -> str:
    """An invitation was created."""
    text = _("Created an invitation to {unit} as {role}, valid until {until}.").format(
        role=_role(d.get("role")),
        unit=n.unit(int_of(d.get("unit_id")), e.subject),
        until=_when(d.get("expires_at")),
    )
    if d.get("source") == "cli":
        text += " " + _("(from the command line)")
    return text


def _invite_use(e: AuditLog, d: Details, n: Names) -> str:
    """Someone joined their unit with an invitation."""
    return _("Joined {unit} as {role} with an invitation.").format(
        unit=n.unit(int_of(d.get("unit_id")), e.subject), role=_role(d.get("role"))
    )


def _invite_revoke(e: AuditLog, d: Details, n: Names) -> str:
    """An invitation was revoked."""
    return _("Revoked an invitation for {unit}.").format(
        unit=n.unit(int_of(d.get("unit_id")), e.subject)
    )


def _person_of(e: AuditLog, d: Details, n: Names) -> str:
    """The person an entry is about (details, else a numeric subject)."""
    tid = int_of(d.get("telegram_id"))
    if tid is None and (e.subject or "").isdigit():
        tid = int(e.subject)
    return n.person(tid)


def _role_grant(e: AuditLog, d: Details, n: Names) -> str:
    """Someone joined the secretariat."""
    return _("Added {person} to the secretariat.").format(person=_person_of(e, d, n))


def _role_revoke(e: AuditLog, d: Details, n: Names) -> str:
    """Someone left the secretariat."""
    return _("Removed {person} from the secretariat.").format(person=_person_of(e, d, n))


def _official_leave(e: AuditLog, d: Details, n: Names) -> str:
    """Someone left their own unit."""
    return _("Left {unit}, where they were {role}.").format(
        unit=n.unit(int_of(d.get("unit_id")), e.subject), role=_role(d.get("role"))
    )


def _official_remove(e: AuditLog, d: Details, n: Names) -> str:
    """The secretariat unlinked someone."""
    return _("Removed {person} ({role}) from {unit}.").format(
        person=_person_of(e, d, n), role=_role(d.get("role")), unit=d.get("unit") or "?"
    )


def _unit_create(e: AuditLog, d: Details, n: Names) -> str:
    """A unit was added."""
    text = _("Added the unit {name} ({kind}).").format(
        name=d.get("name") or _subject_unit(e, d, n), kind=kind_label(str(d.get("kind") or ""))
    )
    if d.get("area"):
        text += " " + _("Area: {area}.").format(area=d["area"])
    return text


def _unit_rename(e: AuditLog, d: Details, n: Names) -> str:
    """A unit was renamed."""
    return _("Renamed the unit {old} to {new}.").format(old=d["old"], new=d["new"])


def _unit_update(e: AuditLog, d: Details, n: Names) -> str:
    """A unit's kind or area changed."""
    unit = _subject_unit(e, d, n)
    if d.get("field") == "kind":
        return _("Changed the kind of {unit} from {old} to {new}.").format(
            unit=unit, old=kind_label(str(d["old"])), new=kind_label(str(d["new"]))
        )
    if d.get("new"):
        return _("Put {unit} in the area {area}.").format(unit=unit, area=d["new"])
    return _("Took {unit} out of the area {area}.").format(unit=unit, area=d.get("old") or "?")


def _unit_deactivate(e: AuditLog, d: Details, n: Names) -> str:
    """A unit was deactivated."""
    return _("Deactivated the unit {unit}.").format(unit=_subject_unit(e, d, n))


def _unit_activate(e: AuditLog, d: Details, n: Names) -> str:
    """A unit was reactivated."""
    return _("Reactivated the unit {unit}.").format(unit=_subject_unit(e, d, n))


def _area(d: Details) -> str:
    """The area a group follows."""
    return str(d["area"]) if d.get("area") else _("the whole province")


def _group_subscribe(e: AuditLog, d: Details, n: Names) -> str:
    """A group chose what it receives."""
    group = n.chat(ref(e.subject or "", "chat"))
    if d.get("migrated_from"):
        return _("The group {group} became a supergroup and keeps the summaries of {area}.").format(
            group=group, area=_area(d)
        )
    return _("The group {group} now receives the summaries of {area}.").format(
        group=group, area=_area(d)
    )


def _group_unsubscribe(e: AuditLog, d: Details, n: Names) -> str:
    """A group stopped receiving summaries."""
    group = n.chat(ref(e.subject or "", "chat"))
    if d.get("reason") == "removed":
        return _(
            "The group {group} no longer receives the summaries of {area}: the bot left it."
        ).format(group=group, area=_area(d))
    if d.get("reason") == "changed":
        return _(
            "The group {group} no longer receives the summaries of {area}: it chose others."
        ).format(group=group, area=_area(d))
    return _("The group {group} no longer receives the summaries of {area}.").format(
        group=group, area=_area(d)
    )


def _broadcast_create(e: AuditLog, d: Details, n: Names) -> str:
    """An announcement was sent."""
    count = int_of(d.get("recipients")) or 0
    return ngettext(
        "Sent announcement #{id} to {n} chat.", "Sent announcement #{id} to {n} chats.", count
    ).format(id=ref(e.subject or "", "broadcast"), n=fmt_number(count))


def _broadcast_remind(e: AuditLog, d: Details, n: Names) -> str:
    """Units that had not confirmed an announcement were reminded."""
    units = int_of(d.get("units")) or 0
    return ngettext(
        "Reminded {n} unit to confirm announcement #{id}.",
        "Reminded {n} units to confirm announcement #{id}.",
        units,
    ).format(id=ref(e.subject or "", "broadcast"), n=fmt_number(units))


def _indicator(e: AuditLog, n: Names) -> str:
    """The indicator an entry is about."""
    code = (e.subject or "").partition(":")[2]
    return n.indicators.get(code, code)


def _warnings_config(e: AuditLog, d: Details, n: Names) -> str:
    """Warning settings changed."""
    parts = []
    for key, label in (
        ("warning", _("warning below {value}")),
        ("critical", _("critical below {value}")),
        ("target", _("target {value}")),
    ):
        if isinstance(d.get(key), int | float | str) and key in d:
            parts.append(label.format(value=fmt_percent_value(d[key])))
    if "enabled" in d:
        parts.append(_("warnings on") if d["enabled"] else _("warnings off"))
    if "schedule" in d:
        parts.append(_("schedule {value}").format(value=d["schedule"]))
    if "repeat" in d:
        parts.append(_("repeat every {value}").format(value=d["repeat"]))
    return _("Changed the warning settings for {indicator}: {changes}.").format(
        indicator=_indicator(e, n), changes=", ".join(parts) or "—"
    )


def _warnings_silence(e: AuditLog, d: Details, n: Names) -> str:
    """A unit's warnings were silenced."""
    text = _("Silenced the warnings of {unit} until {day}.").format(
        unit=_subject_unit(e, d, n), day=_day(d.get("until"))
    )
    if d.get("reason"):
        text += " " + _("Reason: {reason}").format(reason=d["reason"])
    return text


def _warnings_unsilence(e: AuditLog, d: Details, n: Names) -> str:
    """A silence was lifted early."""
    return _("Turned the warnings of {unit} back on.").format(unit=_subject_unit(e, d, n))


def _warnings_run(e: AuditLog, d: Details, n: Names) -> str:
    """Warnings were sent on request."""
    warned = (int_of(d.get("warned")) or 0) + (int_of(d.get("repeated")) or 0)
    return ngettext(
        "Sent warnings for {indicator} on request: {n} unit warned.",
        "Sent warnings for {indicator} on request: {n} units warned.",
        warned,
    ).format(indicator=_indicator(e, n), n=fmt_number(warned))


def _deadline_of(e: AuditLog, d: Details, n: Names) -> str:
    """The deadline an entry is about."""
    found = ref(e.subject or "", "deadline")
    return n.deadline(found if found is not None else int_of(d.get("deadline_id")), d.get("title"))


def _deadline_create(e: AuditLog, d: Details, n: Names) -> str:
    """A deadline was created."""
    units = int_of(d.get("units")) or 0
    return ngettext(
        "Created the deadline {deadline}, due {due}, for {n} unit.",
        "Created the deadline {deadline}, due {due}, for {n} units.",
        units,
    ).format(deadline=_deadline_of(e, d, n), due=_when(d.get("due_at")), n=fmt_number(units))


def _deadline_edit(e: AuditLog, d: Details, n: Names) -> str:
    """A deadline's title or reminder plan changed."""
    if d.get("field") == "title":
        return _("Renamed the deadline “{old}” to “{new}”.").format(old=d["old"], new=d["new"])
    return _("Changed the reminder plan of {deadline}.").format(deadline=_deadline_of(e, d, n))


def _deadline_postpone(e: AuditLog, d: Details, n: Names) -> str:
    """A deadline was postponed."""
    return _("Postponed {deadline} from {old} to {new}.").format(
        deadline=_deadline_of(e, d, n), old=_when(d.get("old_due")), new=_when(d.get("new_due"))
    )


def _deadline_cancel(e: AuditLog, d: Details, n: Names) -> str:
    """A deadline was cancelled."""
    return _("Cancelled the deadline {deadline}.").format(deadline=_deadline_of(e, d, n))


def _report(template: Callable[[], str]) -> Renderer:
    """An explanation report entry: unit, deadline, receipt."""

    def render(e: AuditLog, d: Details, n: Names) -> str:
        """The sentence, with 'late' when it was."""
        text = template().format(
            unit=d.get("unit") or "?", deadline=_deadline_of(e, d, n), receipt=d.get("receipt")
        )
        if d.get("late"):
            text += " " + _("(late)")
        if d.get("note"):
            text += " " + _("Note: {note}").format(note=d["note"])
        return text

    return render


def _dashboard_link(e: AuditLog, d: Details, n: Names) -> str:
    """A dashboard login link was made."""
    return _("Created a dashboard login link for {person}, valid until {until}.").format(
        person=_person_of(e, d, n), until=_when(d.get("expires_at"))
    )


def _dashboard_login(e: AuditLog, d: Details, n: Names) -> str:
    """The dashboard was opened with a login link."""
    return _("Opened the dashboard with a login link.")


def _letter(template: Callable[[], str]) -> Renderer:
    """A letter entry: its number and title."""

    def render(e: AuditLog, d: Details, n: Names) -> str:
        """The sentence."""
        letter = e.subject or n.letters.get(int_of(d.get("letter_id")) or 0, "?")
        return template().format(letter=letter)

    return render


def _letter_link(e: AuditLog, d: Details, n: Names) -> str:
    """A deadline was linked to a letter's passage."""
    letter = n.letters.get(int_of(d.get("letter_id")) or 0, "?")
    return _("Linked the deadline {deadline} to the letter {letter}.").format(
        deadline=n.deadline(int_of(d.get("deadline_id"))), letter=letter
    )


def _period_range(value: object) -> str | None:
    """'2026-06-08..2026-06-22' → '08/06/2026 – 22/06/2026' in the current language."""
    if not isinstance(value, str) or ".." not in value:
        return None
    start, _sep, end = value.partition("..")
    try:
        return _("{start} – {end}").format(
            start=fmt_date(dt.date.fromisoformat(start)), end=fmt_date(dt.date.fromisoformat(end))
        )
    except ValueError:
        return None


def import_details(details: Details) -> list[str]:
    """Key facts of an import entry."""
    parts: list[str] = []
    period = _period_range(details.get("period"))
    if period:
        parts.append(_("period {period}").format(period=period))
    rows = details.get("rows")
    if isinstance(rows, int):
        parts.append(ngettext("{n} unit", "{n} units", rows).format(n=fmt_number(rows)))
    new = details.get("new_units")
    if isinstance(new, int) and new:
        parts.append(ngettext("{n} new unit", "{n} new units", new).format(n=fmt_number(new)))
    if details.get("replaced"):
        parts.append(_("replaced earlier figures"))
    source = details.get("source")
    if source:
        parts.append(_("file “{name}”").format(name=source))
    return parts


def _import(e: AuditLog, d: Details, n: Names) -> str:
    """Statistics were imported: the label, then the period, units and file."""
    return " — ".join([action_label(e.action), " · ".join(import_details(d))])


RENDERERS: dict[str, Renderer] = {
    "import": _import,
    "invite.create": _invite_create,
    "invite.use": _invite_use,
    "invite.revoke": _invite_revoke,
    "role.grant": _role_grant,
    "role.revoke": _role_revoke,
    "official.leave": _official_leave,
    "official.remove": _official_remove,
    "unit.create": _unit_create,
    "unit.rename": _unit_rename,
    "unit.update": _unit_update,
    "unit.deactivate": _unit_deactivate,
    "unit.activate": _unit_activate,
    "group.subscribe": _group_subscribe,
    "group.unsubscribe": _group_unsubscribe,
    "broadcast.create": _broadcast_create,
    "broadcast.remind": _broadcast_remind,
    "warnings.config": _warnings_config,
    "warnings.silence": _warnings_silence,
    "warnings.unsilence": _warnings_unsilence,
    "warnings.run": _warnings_run,
    "deadline.create": _deadline_create,
    "deadline.edit": _deadline_edit,
    "deadline.postpone": _deadline_postpone,
    "deadline.cancel": _deadline_cancel,
    "report.submit": _report(
        lambda: _("{unit} sent its explanation report for {deadline} (receipt {receipt}).")
    ),
    "report.replace": _report(
        lambda: _("{unit} replaced its explanation report for {deadline} (receipt {receipt}).")
    ),
    "report.accept": _report(
        lambda: _("Accepted the explanation report of {unit} for {deadline} (receipt {receipt}).")
    ),
    "report.more": _report(
        lambda: _(
            "Asked {unit} to complete its explanation report for {deadline} (receipt {receipt})."
        )
    ),
    "dashboard.link": _dashboard_link,
    "dashboard.login": _dashboard_login,
    "letter.add": _letter(lambda: _("Added the letter {letter} to the library.")),
    "letter.retire": _letter(lambda: _("Retired the letter {letter} from the library.")),
    "letter.link": _letter_link,
}


def render(entry: AuditLog, names: Names) -> str:
    """One entry as a sentence in the current language (plain text, not escaped)."""
    details = entry.details if isinstance(entry.details, dict) else {}
    renderer = RENDERERS.get(entry.action)
    if renderer is not None:
        try:
            return renderer(entry, details, names)
        except (KeyError, TypeError, ValueError):  # an old entry without the expected details
            logger.info("Audit entry %s (%s) lacks details for a sentence", entry.id, entry.action)
    return _fallback(entry, names)


def _fallback(entry: AuditLog, names: Names) -> str:
    """The action's label and what it is about, by name where the subject names a thing."""
    label = action_label(entry.action)
    subject = entry.subject or ""
    about: str | None = None
    if (unit := ref(subject, "unit")) is not None:
        about = names.unit(unit)
    elif (deadline := ref(subject, "deadline")) is not None:
        about = names.deadline(deadline)
    elif (chat := ref(subject, "chat")) is not None:
        about = names.chat(chat)
    elif subject and ":" not in subject:
        about = subject
    return f"{label}: {about}" if about else label
