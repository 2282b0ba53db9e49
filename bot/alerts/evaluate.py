"""Low-rate warnings, after Prometheus Alertmanager: evaluate, deduplicate, repeat, resolve.

For each unit in an indicator's latest period the evaluation decides whether an alert fires
(below the warning threshold → level "warning", below the critical one → "critical") and
compares it with the unit's AlertState row — the notification log, so repeats and "resolved"
notes work across restarts:

- a firing alert not yet notified for this period and level → a warning to the unit's officials;
- still firing and notified at least `repeat_interval` ago → a repeat (scheduled runs only);
- notified earlier and no longer below the threshold → a short "resolved" note with the new rate;
- a silenced unit (WarningSilence) or one covered by an inhibitor gets no warning or repeat, but
  still gets its "resolved" note.

Every push goes through the outbox with a dedupe key, so a second evaluation of the same data
queues nothing: `warning:<unit>:<indicator>:<period>:<level>:<chat>` (repeats `…:r<n>`),
`resolved:<unit>:<indicator>:<period>:<chat>`.

Who is warned: the unit's active heads and staff (viewers only read their rate on request) who can
be reached. Pushes use the person's chosen language, else Vietnamese.

Inhibition seam: INHIBITORS lists "module:function" names, each called as
fn(session=, indicator_id=, unit_ids=, now=) and returning the ids of units covered by an open
deadline reminder for the same shortfall; those units get the reminder instead of a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.core import audit, messages, outbox
from bot.core.config import Settings
from bot.core.db import SIGNING_INDICATOR, bump_revision
from bot.core.i18n import _, fmt_datetime, fmt_number, fmt_percent_value, fmt_rate, use_language
from bot.core.models import (
    AlertState,
    AppUser,
    Indicator,
    Official,
    OutboxMessage,
    Role,
    Unit,
    WarningPolicy,
    WarningRun,
    WarningSilence,
    utcnow,
)
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    PeriodTable,
    Standing,
    Status,
    load_period_table,
    recent_periods,
)
from bot.core.timespec import WeeklySchedule, format_duration, parse_duration, parse_schedule

if TYPE_CHECKING:
    from bot.imports.parse import ImportResult

logger = logging.getLogger(__name__)

# "module:function" names of inhibitors (see the module docstring): a unit still owing an open
# deadline on the indicator gets that deadline's reminders instead of a second message.
INHIBITORS: tuple[str, ...] = ("bot.deadlines.service:units_with_open_reminder",)

PUSH_LANGUAGE = "vi"  # for people who never chose a language: officials read Vietnamese
KIND_WARNING = "warning"
KIND_RESOLVED = "warning_resolved"
RECIPIENT_ROLES = (Role.HEAD.value, Role.STAFF.value)
MAX_SILENCE_DAYS = 366


class Level(StrEnum):
    """How far below the thresholds a unit is."""

    WARNING = "warning"
    CRITICAL = "critical"


class Trigger(StrEnum):
    """Why an evaluation ran."""

    IMPORT = "import"
    SCHEDULE = "schedule"
    MANUAL = "manual"
    CLI = "cli"


def level_of(indicator: IndicatorInfo, numerator: int, denominator: int) -> Level | None:
    """Firing level of a rate (None: not below the warning threshold, or nothing to count)."""
    status = indicator.status(numerator, denominator)
    if status is Status.CRITICAL:
        return Level.CRITICAL
    if status is Status.BELOW_WARNING:
        return Level.WARNING
    return None


# --- policy: thresholds, schedule and repeat interval per indicator ----------------------------


@dataclass(frozen=True)
class Policy:
    """Effective warning settings of one indicator."""

    indicator_id: int
    indicator_code: str
    enabled: bool
    schedule: WeeklySchedule | None  # None: no scheduled runs
    repeat_interval: dt.timedelta


def load_policy(*, session: Session, indicator: Indicator, settings: Settings) -> Policy:
    """The indicator's overrides on top of WARNING_SCHEDULE and WARNING_REPEAT_INTERVAL."""
    assert indicator.id is not None
    row = session.get(WarningPolicy, indicator.id)
    schedule_text = row.schedule if row and row.schedule else settings.warning_schedule
    repeat = (
        dt.timedelta(seconds=row.repeat_seconds)
        if row and row.repeat_seconds
        else parse_duration(settings.warning_repeat_interval)
    )
    return Policy(
        indicator_id=indicator.id,
        indicator_code=indicator.code,
        enabled=row.enabled if row else True,
        schedule=parse_schedule(schedule_text),
        repeat_interval=repeat,
    )


def all_policies(*, session: Session, settings: Settings) -> list[Policy]:
    """Policies of every indicator, built-in ones first."""
    rows = session.exec(select(Indicator).order_by(col(Indicator.id))).all()
    return [load_policy(session=session, indicator=row, settings=settings) for row in rows]


class PolicyError(ValueError):
    """A refused configuration change; str() is the reason in English for the CLI."""


def configure(
    *,
    session: Session,
    indicator_code: str,
    enabled: bool | None = None,
    schedule: str | None = None,
    repeat: str | None = None,
    warning: float | None = None,
    critical: float | None = None,
    target: float | None = None,
    actor: int | None = None,
) -> Indicator:
    """Change an indicator's thresholds, schedule ('default' to clear) or repeat interval."""
    indicator = session.exec(select(Indicator).where(Indicator.code == indicator_code)).first()
    if indicator is None or indicator.id is None:
        raise PolicyError(f"unknown indicator {indicator_code!r}")
    new_warning = indicator.warning_threshold if warning is None else warning
    new_critical = indicator.critical_threshold if critical is None else critical
    new_target = indicator.target if target is None else target
    if not 0 <= new_critical <= new_warning <= new_target <= 100:
        raise PolicyError("thresholds must satisfy 0 ≤ critical ≤ warning ≤ target ≤ 100")
    row = session.get(WarningPolicy, indicator.id) or WarningPolicy(indicator_id=indicator.id)
    changes: dict[str, object] = {}
    if schedule is not None:
        if schedule.strip().lower() == "default":
            row.schedule = None
        else:
            try:
                parsed = parse_schedule(schedule)
            except ValueError as exc:
                raise PolicyError(str(exc)) from None
            row.schedule = parsed.canonical() if parsed is not None else "off"
        changes["schedule"] = row.schedule or "default"
    if repeat is not None:
        if repeat.strip().lower() == "default":
            row.repeat_seconds = None
        else:
            try:
                row.repeat_seconds = int(parse_duration(repeat).total_seconds())
            except ValueError as exc:
                raise PolicyError(str(exc)) from None
        changes["repeat"] = (
            format_duration(dt.timedelta(seconds=row.repeat_seconds))
            if row.repeat_seconds
            else "default"
        )
    if enabled is not None:
        row.enabled = enabled
        changes["enabled"] = enabled
    thresholds = (new_warning, new_critical, new_target)
    if thresholds != (indicator.warning_threshold, indicator.critical_threshold, indicator.target):
        indicator.warning_threshold, indicator.critical_threshold, indicator.target = thresholds
        session.add(indicator)
        bump_revision(session)  # cached standings carry the thresholds
        changes.update(warning=new_warning, critical=new_critical, target=new_target)
    row.updated_at = utcnow()
    session.add(row)
    if changes:
        audit.record(
            session=session,
            actor=actor,
            action="warnings.config",
            subject=f"indicator:{indicator.code}",
            **changes,
        )
    session.flush()
    return indicator


# --- who is warned -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """An official who receives a unit's warnings."""

    telegram_id: int
    role: str
    language: str


def recipients_for(*, session: Session, unit_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    """Active, reachable heads and staff of each unit (heads first)."""
    ids = list(unit_ids)
    found: dict[int, list[Recipient]] = {}
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(Official.unit_id, Official.telegram_id, Official.role, AppUser.language)
            .join(AppUser, col(AppUser.telegram_id) == Official.telegram_id, isouter=True)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(
                col(Official.unit_id).in_(ids[start : start + 500]),
                Official.active == True,  # noqa: E712
                col(Official.role).in_(RECIPIENT_ROLES),
                Unit.active == True,  # noqa: E712
                col(AppUser.reachable).is_not(False),
            )
            .order_by(col(Official.role), col(Official.telegram_id))
        ).all()
        for unit_id, telegram_id, role, language in rows:
            assert unit_id is not None
            found.setdefault(unit_id, []).append(
                Recipient(int(telegram_id), role, language or PUSH_LANGUAGE)
            )
    return found


# --- silences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SilenceInfo:
    """An active silence, for lists."""

    id: int
    unit_id: int
    unit_name: str
    until: dt.datetime
    reason: str
    created_by: int | None
    created_by_name: str
    created_at: dt.datetime


class SilenceError(ValueError):
    """A refused silence; `code` says why (past, too_far, missing)."""

    def __init__(self, code: str) -> None:
        """Remember the reason code."""
        super().__init__(code)
        self.code = code


def silence_end(until_day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """A silence 'until 30/06/2026' lasts through that day: it ends at midnight after it."""
    return dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time(), tzinfo=zone).astimezone(
        dt.UTC
    )


def silence_unit(
    *,
    session: Session,
    unit_id: int,
    until_day: dt.date,
    zone: ZoneInfo,
    reason: str = "",
    actor: int | None = None,
    now: dt.datetime | None = None,
) -> WarningSilence:
    """Mute a unit's warnings through a day (replacing its current silence); audited."""
    now = now or utcnow()
    today = now.astimezone(zone).date()
    if until_day < today:
        raise SilenceError("past")
    if until_day > today + dt.timedelta(days=MAX_SILENCE_DAYS):
        raise SilenceError("too_far")
    for old in _active_silence_rows(session, now, unit_ids=[unit_id]):
        old.ended_at, old.ended_by = now, actor
        session.add(old)
    silence = WarningSilence(
        unit_id=unit_id,
        until=silence_end(until_day, zone),
        reason=reason.strip()[:255],
        created_by=actor,
        created_at=now,
    )
    session.add(silence)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="warnings.silence",
        subject=f"unit:{unit_id}",
        until=until_day.isoformat(),
        reason=silence.reason,
    )
    return silence


def lift_silence(
    *, session: Session, silence_id: int, actor: int | None = None, now: dt.datetime | None = None
) -> WarningSilence:
    """End a silence early; raises SilenceError('missing') if it is not active."""
    now = now or utcnow()
    silence = session.get(WarningSilence, silence_id)
    if silence is None or silence.ended_at is not None or silence.until <= now:
        raise SilenceError("missing")
    silence.ended_at, silence.ended_by = now, actor
    session.add(silence)
    audit.record(
        session=session,
        actor=actor,
        action="warnings.unsilence",
        subject=f"unit:{silence.unit_id}",
        silence=silence_id,
    )
    session.flush()
    return silence


def _active_silence_rows(
    session: Session, now: dt.datetime, unit_ids: Sequence[int] | None = None
) -> list[WarningSilence]:
    """Silences in force at `now`."""
    stmt = select(WarningSilence).where(
        col(WarningSilence.ended_at).is_(None), col(WarningSilence.until) > now
    )
    if unit_ids is not None:
        stmt = stmt.where(col(WarningSilence.unit_id).in_(list(unit_ids)))
    return list(session.exec(stmt.order_by(col(WarningSilence.until), col(WarningSilence.id))))


def active_silences(*, session: Session, now: dt.datetime | None = None) -> list[SilenceInfo]:
    """Silences in force, soonest ending first."""
    now = now or utcnow()
    rows = _active_silence_rows(session, now)
    names = _unit_names(session, [r.unit_id for r in rows])
    people = _display_names(session, [r.created_by for r in rows if r.created_by is not None])
    return [
        SilenceInfo(
            id=r.id,  # type: ignore[arg-type]
            unit_id=r.unit_id,
            unit_name=names.get(r.unit_id, "?"),
            until=r.until,
            reason=r.reason,
            created_by=r.created_by,
            created_by_name=people.get(r.created_by, "") if r.created_by is not None else "",
            created_at=r.created_at,
        )
        for r in rows
    ]


def _silenced_until(
    session: Session, indicator_id: int, now: dt.datetime
) -> dict[int, dt.datetime]:
    """Unit id → end of its silence, for silences covering this indicator."""
    found: dict[int, dt.datetime] = {}
    for row in _active_silence_rows(session, now):
        if row.indicator_id in (None, indicator_id):
            found[row.unit_id] = max(row.until, found.get(row.unit_id, row.until))
    return found


def _unit_names(session: Session, unit_ids: Iterable[int]) -> dict[int, str]:
    """Unit id → name."""
    ids = list(set(unit_ids))
    if not ids:
        return {}
    rows = session.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(ids))).all()
    return {int(uid): name for uid, name in rows}


def _display_names(session: Session, telegram_ids: Iterable[int]) -> dict[int, str]:
    """Telegram id → display name (may be empty)."""
    ids = list(set(telegram_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(AppUser.telegram_id, AppUser.display_name).where(col(AppUser.telegram_id).in_(ids))
    ).all()
    return {int(tid): name for tid, name in rows}


# --- inhibition --------------------------------------------------------------------------------


def inhibited_units(
    *, session: Session, indicator_id: int, unit_ids: Iterable[int], now: dt.datetime
) -> set[int]:
    """Units an inhibitor covers (e.g. an open deadline reminder for the same shortfall)."""
    ids = set(unit_ids)
    covered: set[int] = set()
    if not ids:
        return covered
    for target in INHIBITORS:
        module_name, _sep, func_name = target.partition(":")
        inhibitor = getattr(importlib.import_module(module_name), func_name)
        covered |= set(
            inhibitor(session=session, indicator_id=indicator_id, unit_ids=set(ids), now=now)
        )
    return covered & ids


# --- texts pushed to officials -----------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """What a warning says about one unit."""

    indicator: IndicatorInfo
    period: PeriodInfo
    standing: Standing
    ranked: int

    @property
    def need_warning(self) -> int:
        """Items still owed to reach the warning threshold."""
        s = self.standing
        return self.indicator.shortfall(self.indicator.warning, s.numerator, s.denominator)

    @property
    def need_target(self) -> int:
        """Items still owed to reach the target."""
        s = self.standing
        return self.indicator.shortfall(self.indicator.target, s.numerator, s.denominator)


def _rate_line(fig: UnitFigures) -> str:
    """'Rate of … of your unit: 62.5% (25/40 documents), rank 90/104.'"""
    ind, s = fig.indicator, fig.standing
    return _(
        "{indicator} of your unit: <b>{rate}</b> ({signed}/{total}), rank {rank}/{count}."
    ).format(
        indicator=messages.indicator_name(ind.code, ind.name),
        rate=fmt_rate(s.numerator, s.denominator),
        signed=fmt_number(s.numerator),
        total=messages.items(ind.item_kind, s.denominator),
        rank=fmt_number(s.rank or 0),
        count=fmt_number(fig.ranked),
    )


def _shortfall_line(fig: UnitFigures) -> str:
    """'Sign 7 documents more to reach 80%, 15 documents to reach 100%.'"""
    ind = fig.indicator
    values = {
        "need_warning": messages.items(ind.item_kind, fig.need_warning),
        "need_target": messages.items(ind.item_kind, fig.need_target),
        "warning": fmt_percent_value(ind.warning_percent),
        "target": fmt_percent_value(ind.target_percent),
    }
    if ind.item_kind == "document":
        return _(
            "Sign {need_warning} more to reach {warning}, {need_target} to reach {target}."
        ).format(**values)
    return _(
        "{need_warning} more needed to reach {warning}, {need_target} to reach {target}."
    ).format(**values)


def warning_text(
    fig: UnitFigures,
    level: Level,
    *,
    repeat: int = 0,
    since: dt.datetime | None = None,
    head_included: bool = True,
    reader_role: str = Role.HEAD.value,
) -> str:
    """The warning an official receives (firmer when critical), in the current language."""
    ind = fig.indicator
    unit = escape(fig.standing.unit_name)
    warn = fmt_percent_value(ind.warning_percent)
    crit = fmt_percent_value(ind.critical_percent)
    if level is Level.CRITICAL:
        title = _("🔴 <b>CRITICAL WARNING: {unit} is below {critical}</b>").format(
            unit=unit, critical=crit
        )
    else:
        title = _("⚠️ <b>Warning: {unit} is below {warning}</b>").format(unit=unit, warning=warn)
    lines = [title]
    if repeat:
        lines.append(
            _("🔁 Reminder no. {n}: still below {warning} since {since}.").format(
                n=fmt_number(repeat), warning=warn, since=fmt_datetime(since or utcnow())
            )
        )
    lines.append(_("Dear comrade,"))
    lines.append(_rate_line(fig))
    lines.append(_("Period: {period}").format(period=messages.period_text(fig.period)))
    lines.append(_shortfall_line(fig))
    if level is Level.CRITICAL:
        lines.append("")
        lines.append(
            _(
                "This is among the lowest rates in the province. The head of the unit is "
                "personally accountable: direct at once that every outgoing document is signed "
                "digitally, and send the secretariat an explanation report."
            )
        )
        if reader_role == Role.HEAD.value:
            pass  # the paragraph above speaks to them
        elif head_included:
            lines.append(_("The head of the unit receives this warning too."))
        else:
            lines.append(
                _(
                    "No head of the unit is linked to the bot yet: report this warning to the "
                    "head of the unit today."
                )
            )
    todo = messages.what_to_do(Status.BELOW_WARNING, warn)
    lines.append("")
    lines.append(todo)
    return "\n".join(lines)


def _warning_for(
    fig: UnitFigures,
    level: Level,
    repeat: int,
    since: dt.datetime | None,
    head_included: bool,
    reader_role: str,
) -> str:
    """warning_text with positional arguments, for functools.partial."""
    return warning_text(
        fig,
        level,
        repeat=repeat,
        since=since,
        head_included=head_included,
        reader_role=reader_role,
    )


def resolved_text(fig: UnitFigures) -> str:
    """The short note when a warned unit is no longer below the threshold."""
    ind = fig.indicator
    warn = fmt_percent_value(ind.warning_percent)
    lines = [
        _("✅ <b>{unit} is no longer below {warning}</b>").format(
            unit=escape(fig.standing.unit_name), warning=warn
        ),
        _rate_line(fig),
        _("Period: {period}").format(period=messages.period_text(fig.period)),
    ]
    if fig.need_target:
        lines.append(
            _(
                "The warning is lifted. Thank you, comrade: keep signing every outgoing document; "
                "{need_target} more to reach {target}."
            ).format(
                need_target=messages.items(ind.item_kind, fig.need_target),
                target=fmt_percent_value(ind.target_percent),
            )
        )
    else:
        lines.append(_("The warning is lifted and the target is reached. Thank you, comrade!"))
    return "\n".join(lines)


# --- evaluation --------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    """What one evaluation found and queued (unit ids per outcome)."""

    indicator_id: int
    indicator_code: str
    trigger: Trigger
    period: PeriodInfo | None = None
    skipped: str | None = None  # disabled, no_data, old_period
    below: int = 0
    critical_below: int = 0
    warned: list[int] = field(default_factory=list)
    warned_critical: list[int] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    silenced: list[int] = field(default_factory=list)
    inhibited: list[int] = field(default_factory=list)
    no_recipients: list[int] = field(default_factory=list)
    pushes: int = 0

    def counts(self) -> dict[str, int | str | None]:
        """Numbers stored with the run."""
        return {
            "skipped": self.skipped,
            "below": self.below,
            "critical_below": self.critical_below,
            "warned": len(self.warned),
            "warned_critical": len(self.warned_critical),
            "repeated": len(self.repeated),
            "resolved": len(self.resolved),
            "silenced": len(self.silenced),
            "inhibited": len(self.inhibited),
            "no_recipients": len(self.no_recipients),
            "pushes": self.pushes,
        }


def repeat_due(last: dt.datetime, now: dt.datetime, interval: dt.timedelta) -> bool:
    """Whether a repeat is due; a little slack so a weekly run does not slip a whole week."""
    slack = min(dt.timedelta(hours=1), interval / 10)
    return now - last >= interval - slack


def _states(session: Session, indicator_id: int) -> dict[int, AlertState]:
    """Unit id → alert state for one indicator."""
    rows = session.exec(select(AlertState).where(AlertState.indicator_id == indicator_id)).all()
    return {row.unit_id: row for row in rows}


@dataclass
class _Planned:
    """Pushes planned for one unit, before dedupe."""

    unit_id: int
    outcome: str  # warned, repeated, resolved
    level: Level | None
    pushes: list[outbox.Push]


def _pushes(
    recipients: list[Recipient],
    keys: dict[int, str],
    kind: str,
    unit_id: int,
    make: Callable[[str], str],
) -> list[outbox.Push]:
    """One push per recipient, the text (make(role)) rendered once per language and role."""
    rendered: dict[tuple[str, str], str] = {}
    found = []
    for r in recipients:
        variant = (r.language, r.role)
        if variant not in rendered:
            with use_language(r.language):
                rendered[variant] = make(r.role)
        found.append(
            outbox.Push(
                key=keys[r.telegram_id],
                chat_id=r.telegram_id,
                text=rendered[variant],
                kind=kind,
                priority=outbox.PRIORITY_WARNING,
                unit_id=unit_id,
            )
        )
    return found


def evaluate(
    *,
    session: Session,
    indicator_id: int,
    trigger: Trigger,
    repeat_interval: dt.timedelta | None = None,
    now: dt.datetime | None = None,
    import_id: int | None = None,
    actor: int | None = None,
) -> RunOutcome:
    """Evaluate an indicator's latest period and queue warnings, repeats and resolved notes in
    the caller's transaction. Repeats only when `repeat_interval` is given (scheduled runs)."""
    now = now or utcnow()
    indicator = session.get(Indicator, indicator_id)
    assert indicator is not None and indicator.id is not None
    result = RunOutcome(indicator_id, indicator.code, trigger)
    policy = session.get(WarningPolicy, indicator_id)
    if policy is not None and not policy.enabled:
        result.skipped = "disabled"
        return result
    periods = recent_periods(session=session, indicator_id=indicator_id, limit=1)
    if not periods:
        result.skipped = "no_data"
        return result
    info = IndicatorInfo.from_row(indicator)
    table = load_period_table(session=session, indicator=info, period=periods[0])
    result.period = table.period
    plans = _plan(session, table, result, repeat_interval, now)
    keys = [p.key for plan in plans for p in plan.pushes]
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        existing |= outbox.pending_for(session=session, keys=keys[start : start + 500])
    fresh: list[outbox.Push] = []
    for plan in plans:
        new = [p for p in plan.pushes if p.key not in existing]
        if not new:
            continue
        fresh.extend(new)
        getattr(result, plan.outcome).append(plan.unit_id)
        if plan.outcome == "warned" and plan.level is Level.CRITICAL:
            result.warned_critical.append(plan.unit_id)
    outbox.enqueue_many(session=session, pushes=fresh)
    result.pushes = len(fresh)
    session.add(
        WarningRun(
            indicator_id=indicator_id,
            period_id=table.period.id,
            trigger=trigger.value,
            import_id=import_id,
            actor_telegram_id=actor,
            at=now,
            counts=result.counts(),
        )
    )
    session.flush()
    logger.info(
        "warnings %s (%s): %d below, %d warned (%d critical), %d repeated, %d resolved, "
        "%d silenced, %d inhibited, %d without recipients, %d pushes",
        indicator.code,
        trigger.value,
        result.below,
        len(result.warned),
        len(result.warned_critical),
        len(result.repeated),
        len(result.resolved),
        len(result.silenced),
        len(result.inhibited),
        len(result.no_recipients),
        result.pushes,
    )
    return result


@dataclass(frozen=True)
class _Known:
    """What planning one period looks up once: alert states, silences, inhibitions, recipients."""

    states: dict[int, AlertState]
    silenced: dict[int, dt.datetime]
    inhibited: set[int]
    recipients: dict[int, list[Recipient]]


def _look_up(
    session: Session, indicator_id: int, levels: dict[int, Level | None], now: dt.datetime
) -> _Known:
    """The states, silences, inhibitions and recipients behind one period's plan."""
    states = _states(session, indicator_id)
    firing = {unit_id for unit_id, level in levels.items() if level is not None}
    silenced = _silenced_until(session, indicator_id, now)
    inhibited = inhibited_units(
        session=session, indicator_id=indicator_id, unit_ids=firing, now=now
    )
    was_notified = {u for u, st in states.items() if st.notified_level is not None}
    recipients = recipients_for(session=session, unit_ids=firing | (was_notified & set(levels)))
    return _Known(states, silenced, inhibited, recipients)


def _plan(
    session: Session,
    table: PeriodTable,
    result: RunOutcome,
    repeat_interval: dt.timedelta | None,
    now: dt.datetime,
) -> list[_Planned]:
    """Update the alert states and plan the pushes of one period table."""
    info = table.indicator
    levels = {
        unit_id: level_of(info, s.numerator, s.denominator) for unit_id, s in table.by_unit.items()
    }
    result.below = sum(1 for level in levels.values() if level is not None)
    result.critical_below = sum(1 for level in levels.values() if level is Level.CRITICAL)
    known = _look_up(session, info.id, levels, now)
    plans: list[_Planned] = []
    for unit_id, standing in sorted(table.by_unit.items()):
        if standing.denominator <= 0:
            continue  # nothing to count: neither firing nor resolved
        fig = UnitFigures(info, table.period, standing, table.ranked)
        level = levels[unit_id]
        if level is None:
            plan = _plan_resolved(session, fig, known, now)
        else:
            plan = _plan_firing(session, fig, level, known, result, repeat_interval, now)
        if plan is not None:
            plans.append(plan)
    return plans


def _plan_resolved(
    session: Session, fig: UnitFigures, known: _Known, now: dt.datetime
) -> _Planned | None:
    """A unit no longer below: a resolved note if it was warned; its alert state is cleared."""
    unit_id, indicator_id, period_id = fig.standing.unit_id, fig.indicator.id, fig.period.id
    state = known.states.get(unit_id)
    if state is None or (state.level is None and state.notified_level is None):
        return None
    plan = None
    recipients = known.recipients.get(unit_id)
    if state.notified_level is not None and recipients:
        keys = {
            r.telegram_id: f"resolved:{unit_id}:{indicator_id}:{period_id}:{r.telegram_id}"
            for r in recipients
        }
        pushes = _pushes(recipients, keys, KIND_RESOLVED, unit_id, lambda _role: resolved_text(fig))
        plan = _Planned(unit_id, "resolved", None, pushes)
    state.level = None
    state.notified_level = None
    state.notified_period_id = None
    state.firing_since = None
    state.repeats = 0
    state.period_id = period_id
    state.resolved_at = now
    state.updated_at = now
    session.add(state)
    return plan


def _plan_firing(
    session: Session,
    fig: UnitFigures,
    level: Level,
    known: _Known,
    result: RunOutcome,
    repeat_interval: dt.timedelta | None,
    now: dt.datetime,
) -> _Planned | None:
    """A unit below: mark it firing; plan a warning or a due repeat unless it is held back."""
    unit_id = fig.standing.unit_id
    state = _mark_firing(session, known.states.get(unit_id), fig, level, now)
    if _held_back(unit_id, known, result):
        return None
    outcome = _next_send(state, level, fig.period.id, repeat_interval, now)
    if outcome is None:
        return None
    recipients = known.recipients[unit_id]
    state.last_sent_at, state.recipients = now, len(recipients)
    pushes = _warning_pushes(fig, level, state, outcome, recipients)
    return _Planned(unit_id, outcome, level, pushes)


def _mark_firing(
    session: Session, state: AlertState | None, fig: UnitFigures, level: Level, now: dt.datetime
) -> AlertState:
    """Record that a unit is below the threshold: at which level, since when."""
    unit_id, period_id = fig.standing.unit_id, fig.period.id
    if state is None:
        state = AlertState(unit_id=unit_id, indicator_id=fig.indicator.id, period_id=period_id)
    if state.level is None:
        state.firing_since = now
    state.level, state.period_id, state.resolved_at = level.value, period_id, None
    state.updated_at = now
    session.add(state)
    return state


def _held_back(unit_id: int, known: _Known, result: RunOutcome) -> bool:
    """Silenced, inhibited or nobody to warn: counted in the outcome, nothing sent."""
    if unit_id in known.silenced:
        result.silenced.append(unit_id)
    elif unit_id in known.inhibited:
        result.inhibited.append(unit_id)
    elif not known.recipients.get(unit_id, []):
        result.no_recipients.append(unit_id)
    else:
        return False
    return True


def _next_send(
    state: AlertState,
    level: Level,
    period_id: int,
    repeat_interval: dt.timedelta | None,
    now: dt.datetime,
) -> str | None:
    """'warned' (first for this level and period), 'repeated' (due) or None; noted in the state."""
    notified = state.notified_level == level.value and state.notified_period_id == period_id
    if not notified:
        state.notified_level, state.notified_period_id = level.value, period_id
        state.first_sent_at, state.repeats = now, 0
        return "warned"
    if (
        repeat_interval is not None
        and state.last_sent_at is not None
        and repeat_due(state.last_sent_at, now, repeat_interval)
    ):
        state.repeats += 1
        return "repeated"
    return None


def _warning_pushes(
    fig: UnitFigures, level: Level, state: AlertState, outcome: str, recipients: list[Recipient]
) -> list[outbox.Push]:
    """The warning (or its repeat) to each recipient; repeats get their own dedupe keys."""
    unit_id = fig.standing.unit_id
    repeat = state.repeats if outcome == "repeated" else 0
    suffix = f":r{repeat}" if repeat else ""
    keys = {
        r.telegram_id: f"warning:{unit_id}:{fig.indicator.id}:{fig.period.id}:{level.value}:"
        f"{r.telegram_id}{suffix}"
        for r in recipients
    }
    head_included = any(r.role == Role.HEAD.value for r in recipients)
    make = functools.partial(_warning_for, fig, level, repeat, state.firing_since, head_included)
    return _pushes(recipients, keys, KIND_WARNING, unit_id, make)


def run_manually(
    *,
    session: Session,
    indicator_id: int,
    settings: Settings,
    actor: int | None,
    trigger: Trigger = Trigger.MANUAL,
    now: dt.datetime | None = None,
) -> RunOutcome:
    """The secretariat's "send now" (or the CLI): an evaluation with repeats, audited."""
    indicator = session.get(Indicator, indicator_id)
    assert indicator is not None
    policy = load_policy(session=session, indicator=indicator, settings=settings)
    outcome = evaluate(
        session=session,
        indicator_id=indicator_id,
        trigger=trigger,
        repeat_interval=policy.repeat_interval,
        now=now,
        actor=actor,
    )
    audit.record(
        session=session,
        actor=actor,
        action="warnings.run",
        subject=f"indicator:{indicator.code}",
        **{k: v for k, v in outcome.counts().items() if v},
    )
    return outcome


def after_import(*, session: Session, result: ImportResult) -> None:
    """AFTER_IMPORT listener: evaluate the imported indicator if its latest period changed."""
    indicator_code, period_id = result.indicator_code, result.period_id
    indicator = session.exec(select(Indicator).where(Indicator.code == indicator_code)).first()
    if indicator is None or indicator.id is None:
        return
    latest = recent_periods(session=session, indicator_id=indicator.id, limit=1)
    if not latest or latest[0].id != period_id:
        logger.info(
            "warnings: import of an older period of %s, nothing to evaluate", indicator_code
        )
        return
    evaluate(
        session=session,
        indicator_id=indicator.id,
        trigger=Trigger.IMPORT,
        import_id=result.batch_id,
    )


# --- what the secretariat sees -----------------------------------------------------------------


@dataclass(frozen=True)
class UnitWarning:
    """One unit below the warning threshold, with what it was told and why not."""

    unit_id: int
    unit_name: str
    level: Level
    numerator: int
    denominator: int
    rank: int | None
    notified: bool
    first_sent_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    repeats: int
    recipients: int  # officials who would receive it now
    silenced_until: dt.datetime | None
    inhibited: bool


@dataclass(frozen=True)
class WarningStatus:
    """The current warnings of one indicator, for /canhbao."""

    indicator: IndicatorInfo
    policy: Policy
    period: PeriodInfo | None
    ranked: int
    units: list[UnitWarning]
    last_run: WarningRun | None
    next_run: dt.datetime | None
    other_indicators: list[tuple[int, str, str]]  # id, code, stored name (with data)

    @property
    def critical(self) -> int:
        """Units below the critical threshold."""
        return sum(1 for u in self.units if u.level is Level.CRITICAL)

    @property
    def notified(self) -> int:
        """Units told about their current warning."""
        return sum(1 for u in self.units if u.notified)

    @property
    def silenced(self) -> int:
        """Units silenced now."""
        return sum(1 for u in self.units if u.silenced_until is not None)

    @property
    def inhibited(self) -> int:
        """Units covered by a deadline reminder."""
        return sum(1 for u in self.units if u.inhibited)

    @property
    def unreachable(self) -> int:
        """Units with nobody to warn (not silenced or inhibited)."""
        return sum(
            1
            for u in self.units
            if not u.recipients and u.silenced_until is None and not u.inhibited
        )


def indicators_with_data(*, session: Session) -> list[tuple[int, str, str]]:
    """(id, code, name) of indicators that have at least one period of figures."""
    found = []
    for row in session.exec(select(Indicator).order_by(col(Indicator.id))).all():
        assert row.id is not None
        if recent_periods(session=session, indicator_id=row.id, limit=1):
            found.append((row.id, row.code, row.name))
    return found


def warning_status(
    *,
    session: Session,
    settings: Settings,
    indicator_id: int | None = None,
    now: dt.datetime | None = None,
) -> WarningStatus | None:
    """Units below the threshold in the latest period and what each was told (None: no data)."""
    now = now or utcnow()
    with_data = indicators_with_data(session=session)
    if indicator_id is None:
        signing = [i for i in with_data if i[1] == SIGNING_INDICATOR]
        chosen = signing[0] if signing else (with_data[0] if with_data else None)
        if chosen is None:
            return None
        indicator_id = chosen[0]
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        return None
    info = IndicatorInfo.from_row(indicator)
    policy = load_policy(session=session, indicator=indicator, settings=settings)
    periods = recent_periods(session=session, indicator_id=indicator_id, limit=1)
    others = [i for i in with_data if i[0] != indicator_id]
    last_run = session.exec(
        select(WarningRun)
        .where(WarningRun.indicator_id == indicator_id)
        .order_by(col(WarningRun.at).desc(), col(WarningRun.id).desc())
    ).first()
    next_run = (
        policy.schedule.next_run(now, settings.tz)
        if policy.schedule is not None and policy.enabled
        else None
    )
    if not periods:
        return WarningStatus(info, policy, None, 0, [], last_run, next_run, others)
    table = load_period_table(session=session, indicator=info, period=periods[0])
    states = _states(session, indicator_id)
    firing = {
        unit_id: level
        for unit_id, s in table.by_unit.items()
        if (level := level_of(info, s.numerator, s.denominator)) is not None
    }
    silenced = _silenced_until(session, indicator_id, now)
    inhibited = inhibited_units(
        session=session, indicator_id=indicator_id, unit_ids=set(firing), now=now
    )
    recipients = recipients_for(session=session, unit_ids=firing)
    units = []
    for unit_id, level in firing.items():
        s = table.by_unit[unit_id]
        st = states.get(unit_id)
        notified = bool(
            st and st.notified_level == level.value and st.notified_period_id == table.period.id
        )
        units.append(
            UnitWarning(
                unit_id=unit_id,
                unit_name=s.unit_name,
                level=level,
                numerator=s.numerator,
                denominator=s.denominator,
                rank=s.rank,
                notified=notified,
                first_sent_at=st.first_sent_at if st and notified else None,
                last_sent_at=st.last_sent_at if st and notified else None,
                repeats=st.repeats if st and notified else 0,
                recipients=len(recipients.get(unit_id, [])),
                silenced_until=silenced.get(unit_id),
                inhibited=unit_id in inhibited,
            )
        )
    units.sort(key=lambda u: (Fraction(u.numerator, u.denominator), u.unit_name))
    return WarningStatus(
        info, policy, table.period, table.ranked, units, last_run, next_run, others
    )


@dataclass(frozen=True)
class SentWarning:
    """One warning or resolved note queued for a unit, for its history."""

    at: dt.datetime
    kind: str  # warning, critical, repeat, resolved
    repeat: int
    telegram_id: int
    name: str
    role: str | None
    status: str
    sent_at: dt.datetime | None


def unit_history(*, session: Session, unit_id: int, limit: int = 15) -> list[SentWarning]:
    """The latest warnings and resolved notes queued for a unit (one row per person)."""
    rows = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.unit_id == unit_id,
            col(OutboxMessage.kind).in_([KIND_WARNING, KIND_RESOLVED]),
            ~col(OutboxMessage.dedupe_key).contains("#"),
        )
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
    ).all()
    names = _display_names(session, [r.chat_id for r in rows])
    roles = dict(
        session.exec(
            select(Official.telegram_id, Official.role).where(
                col(Official.telegram_id).in_([r.chat_id for r in rows]),
                Official.active == True,  # noqa: E712
            )
        ).all()
    )
    found = []
    for r in rows:
        parts = r.dedupe_key.split(":")
        repeat = 0
        if r.kind == KIND_RESOLVED:
            kind = "resolved"
        else:
            kind = parts[4] if len(parts) > 4 else Level.WARNING.value
            if len(parts) > 6 and parts[6].startswith("r") and parts[6][1:].isdigit():
                repeat = int(parts[6][1:])
        found.append(
            SentWarning(
                at=r.created_at,
                kind=kind,
                repeat=repeat,
                telegram_id=r.chat_id,
                name=names.get(r.chat_id, ""),
                role=roles.get(r.chat_id),
                status=r.status,
                sent_at=r.sent_at,
            )
        )
    return found


def run_for_import(*, session: Session, import_id: int) -> WarningRun | None:
    """The evaluation an import triggered, if any."""
    return session.exec(select(WarningRun).where(WarningRun.import_id == import_id)).first()
