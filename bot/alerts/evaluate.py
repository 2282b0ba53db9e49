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
be reached (see bot.alerts.firing, which also holds the inhibition seam: INHIBITORS). Pushes use
the person's chosen language, else DEFAULT_LANGUAGE.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, select

from bot.alerts.firing import (
    KIND_RESOLVED,
    KIND_WARNING,
    Level,
    alert_states,
    inhibited_units,
    level_of,
)
from bot.alerts.notices import UnitFigures, render_pushes, resolved_text, warning_for
from bot.alerts.policy import load_policy
from bot.alerts.silences import silenced_until
from bot.core import audit, outbox
from bot.core.config import Settings
from bot.core.links import RULE_LOW_RATE, Cited, Imported, Inhibitor, RuleBasis
from bot.core.models import AlertState, Indicator, Role, WarningPolicy, WarningRun, utcnow
from bot.core.people import Recipient, unit_recipients
from bot.core.stats import (
    IndicatorInfo,
    PeriodInfo,
    PeriodTable,
    load_period_table,
    recent_periods,
)

logger = logging.getLogger(__name__)


# --- evaluation --------------------------------------------------------------------------------


class Trigger(StrEnum):
    """Why an evaluation ran."""

    IMPORT = "import"
    SCHEDULE = "schedule"
    MANUAL = "manual"
    CLI = "cli"


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


@dataclass
class _Planned:
    """Pushes planned for one unit, before dedupe."""

    unit_id: int
    outcome: str  # warned, repeated, resolved
    level: Level | None
    pushes: list[outbox.Push]


def evaluate(
    *,
    session: Session,
    indicator_id: int,
    trigger: Trigger,
    inhibitors: Sequence[Inhibitor],
    default_language: str,
    repeat_interval: dt.timedelta | None = None,
    now: dt.datetime | None = None,
    import_id: int | None = None,
    actor: int | None = None,
    basis: RuleBasis | None = None,
) -> RunOutcome:
    """Evaluate an indicator's latest period and queue warnings, repeats and resolved notes in
    the caller's transaction. Repeats only when `repeat_interval` is given (scheduled runs);
    warnings cite the letter `basis` finds for the low-rate rule."""
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
    cited = basis(session=session, rule=RULE_LOW_RATE) if basis is not None else None
    plans = _plan(
        session, table, result, repeat_interval, now, (inhibitors, default_language, cited)
    )
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


# --- the plan of pushes for one period ---------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """What planning one period looks up once: alert states, silences, inhibitions, recipients."""

    states: dict[int, AlertState]
    silenced: dict[int, dt.datetime]
    inhibited: set[int]
    recipients: dict[int, list[Recipient]]
    cited: Cited | None = None  # the letter the warnings cite


def _look_up(
    session: Session,
    indicator_id: int,
    levels: dict[int, Level | None],
    now: dt.datetime,
    inhibitors: Sequence[Inhibitor],
    default_language: str,
    cited: Cited | None,
) -> _Known:
    """The states, silences, inhibitions and recipients behind one period's plan."""
    states = alert_states(session=session, indicator_id=indicator_id)
    firing = {unit_id for unit_id, level in levels.items() if level is not None}
    silenced = silenced_until(session=session, indicator_id=indicator_id, now=now)
    inhibited = inhibited_units(
        session=session, indicator_id=indicator_id, unit_ids=firing, now=now, inhibitors=inhibitors
    )
    was_notified = {u for u, st in states.items() if st.notified_level is not None}
    recipients = unit_recipients(
        session=session,
        unit_ids=firing | (was_notified & set(levels)),
        default_language=default_language,
    )
    return _Known(states, silenced, inhibited, recipients, cited)


def _plan(
    session: Session,
    table: PeriodTable,
    result: RunOutcome,
    repeat_interval: dt.timedelta | None,
    now: dt.datetime,
    given: tuple[Sequence[Inhibitor], str, Cited | None],
) -> list[_Planned]:
    """Update the alert states and plan the pushes of one period table (`given`: the
    inhibitors, the default language and the letter warnings cite)."""
    info = table.indicator
    levels = {
        unit_id: level_of(info, s.numerator, s.denominator) for unit_id, s in table.by_unit.items()
    }
    result.below = sum(1 for level in levels.values() if level is not None)
    result.critical_below = sum(1 for level in levels.values() if level is Level.CRITICAL)
    known = _look_up(session, info.id, levels, now, *given)
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
        pushes = render_pushes(
            recipients, keys, KIND_RESOLVED, unit_id, lambda _role: resolved_text(fig)
        )
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
    pushes = _warning_pushes(fig, level, state, outcome, recipients, known.cited)
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
    fig: UnitFigures,
    level: Level,
    state: AlertState,
    outcome: str,
    recipients: list[Recipient],
    cited: Cited | None,
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
    make = functools.partial(
        warning_for, fig, level, repeat, state.firing_since, head_included, cited
    )
    return render_pushes(recipients, keys, KIND_WARNING, unit_id, make)


# --- runs by hand and after an import ----------------------------------------------------------


def run_manually(
    *,
    session: Session,
    indicator_id: int,
    settings: Settings,
    actor: int | None,
    inhibitors: Sequence[Inhibitor],
    trigger: Trigger = Trigger.MANUAL,
    now: dt.datetime | None = None,
    basis: RuleBasis | None = None,
) -> RunOutcome:
    """The secretariat's "send now" (or the CLI): an evaluation with repeats, audited."""
    indicator = session.get(Indicator, indicator_id)
    assert indicator is not None
    policy = load_policy(session=session, indicator=indicator, settings=settings)
    outcome = evaluate(
        session=session,
        indicator_id=indicator_id,
        trigger=trigger,
        inhibitors=inhibitors,
        default_language=settings.default_language,
        repeat_interval=policy.repeat_interval,
        now=now,
        actor=actor,
        basis=basis,
    )
    audit.record(
        session=session,
        actor=actor,
        action="warnings.run",
        subject=f"indicator:{indicator.code}",
        **{k: v for k, v in outcome.counts().items() if v},
    )
    return outcome


def after_import(
    *,
    session: Session,
    imported: Imported,
    inhibitors: Sequence[Inhibitor],
    default_language: str,
    basis: RuleBasis | None = None,
) -> None:
    """After an import: evaluate the imported indicator if its latest period changed."""
    indicator_code, period_id = imported.indicator_code, imported.period_id
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
        inhibitors=inhibitors,
        default_language=default_language,
        import_id=imported.batch_id,
        basis=basis,
    )
