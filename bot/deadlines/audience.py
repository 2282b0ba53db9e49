"""Deadlines being set up and whom they apply to: drafts, templates, periods, audiences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.areas import kind_label
from bot.core.audiences import Audience, AudienceKind
from bot.core.audiences import audience_unit_ids as core_audience_unit_ids
from bot.core.dates import DEFAULT_PLAN_DAYS, DEFAULT_PLAN_TIME
from bot.core.db import SIGNING_INDICATOR
from bot.core.i18n import _, fmt_date, fmt_number, fmt_percent_value, ngettext, use_language
from bot.core.models import Deadline, DeadlineKind, Unit
from bot.core.stats import PeriodInfo, load_indicator, period_info, recent_periods
from bot.deadlines.errors import DeadlineError
from bot.deadlines.schedule import Schedule, StepKind, parse_hhmm, plan_steps

TEMPLATE_REPORT = "report80"
TEMPLATE_RATE = "sign100"
TEMPLATES = (TEMPLATE_REPORT, TEMPLATE_RATE)
# The letters' dates (day, month) for the templates.
TEMPLATE_DUE = {TEMPLATE_REPORT: (26, 6), TEMPLATE_RATE: (30, 6)}


@dataclass
class Draft:
    """A deadline being set up in the guided conversation (kept as a dict in user_data)."""

    title: str = ""
    kind: str | None = None
    due_at: dt.datetime | None = None
    indicator_code: str = SIGNING_INDICATOR
    period_id: int | None = None  # rate deadlines: measured period (None: latest)
    required_rate: float | None = None
    audience: Audience | None = None
    plan_days: tuple[int, ...] = DEFAULT_PLAN_DAYS
    plan_time: dt.time = DEFAULT_PLAN_TIME
    template: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "title": self.title,
            "kind": self.kind,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "indicator_code": self.indicator_code,
            "period_id": self.period_id,
            "required_rate": self.required_rate,
            "audience": self.audience.as_dict() if self.audience else {},
            "plan_days": list(self.plan_days),
            "plan_time": self.plan_time.strftime("%H:%M"),
            "template": self.template,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """Back from to_dict."""
        due = data.get("due_at")
        return cls(
            title=data.get("title", ""),
            kind=data.get("kind"),
            due_at=dt.datetime.fromisoformat(due) if due else None,
            indicator_code=data.get("indicator_code", SIGNING_INDICATOR),
            period_id=data.get("period_id"),
            required_rate=data.get("required_rate"),
            audience=Audience.from_dict(data.get("audience")),
            plan_days=tuple(data["plan_days"]) if "plan_days" in data else DEFAULT_PLAN_DAYS,
            plan_time=parse_hhmm(data.get("plan_time", "08:00")),
            template=data.get("template"),
        )

    def missing(self) -> str | None:
        """The first thing still to ask: title, due, kind, rate, audience (None: complete)."""
        if not self.title:
            return "title"
        if self.due_at is None:
            return "due"
        if self.kind is None:
            return "kind"
        if self.kind == DeadlineKind.RATE.value and self.required_rate is None:
            return "rate"
        audience = self.audience
        if audience is None or not audience.complete:
            return "audience"
        if audience.kind is AudienceKind.BELOW and audience.period_id is None:
            return "audience"
        return None


def latest_period(
    *, session: Session, indicator_code: str = SIGNING_INDICATOR
) -> PeriodInfo | None:
    """The newest period with figures for an indicator."""
    indicator = load_indicator(session=session, code=indicator_code)
    if indicator is None:
        return None
    periods = recent_periods(session=session, indicator_id=indicator.id, limit=1)
    return periods[0] if periods else None


def choosable_periods(
    *, session: Session, indicator_code: str = SIGNING_INDICATOR, limit: int = 4
) -> list[PeriodInfo]:
    """Recent periods with figures, newest first, to choose from."""
    indicator = load_indicator(session=session, code=indicator_code)
    if indicator is None:
        return []
    return recent_periods(session=session, indicator_id=indicator.id, limit=limit)


def template_title(template: str) -> str:
    """The letters' names of the two templates."""
    if template == TEMPLATE_REPORT:
        return _("Explanation report — units below 80%")
    return _("100% of electronic documents digitally signed")


def template_draft(*, session: Session, template: str, now: dt.datetime, tz: ZoneInfo) -> Draft:
    """A draft reproducing one of the letters' deadlines (due date None if the letter's date
    has already passed this year: then it is asked)."""
    if template not in TEMPLATES:
        raise DeadlineError("unknown_template")
    period = latest_period(session=session)
    if period is None:
        raise DeadlineError("no_figures")
    indicator = load_indicator(session=session, code=SIGNING_INDICATOR)
    assert indicator is not None
    day, month = TEMPLATE_DUE[template]
    year = period.end.year
    due_local = dt.datetime.combine(dt.date(year, month, day), dt.time(23, 59), tzinfo=tz)
    due = due_local.astimezone(dt.UTC)
    with use_language("vi"):  # the letters' names, stored as written
        title = template_title(template)
    draft = Draft(title=title, template=template, due_at=due if due > now else None)
    if template == TEMPLATE_REPORT:
        draft.kind = DeadlineKind.REPORT.value
        draft.audience = Audience(
            AudienceKind.BELOW, threshold=float(indicator.warning_percent), period_id=period.id
        )
    else:
        draft.kind = DeadlineKind.RATE.value
        draft.required_rate = float(indicator.target_percent)
        draft.audience = Audience(AudienceKind.ALL)
    return draft


def audience_unit_ids(
    *, session: Session, audience: Audience | None, indicator_code: str = SIGNING_INDICATOR
) -> list[int]:
    """The active units a deadline's audience names, in name order (areas themselves never)."""
    if audience is None:
        return []
    return core_audience_unit_ids(session=session, audience=audience, indicator_code=indicator_code)


def preview_count(*, session: Session, draft: Draft) -> int:
    """How many units a draft's audience has now."""
    return len(
        audience_unit_ids(
            session=session, audience=draft.audience, indicator_code=draft.indicator_code
        )
    )


def first_reminder(draft: Draft, *, now: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    """When a draft's first reminder would go out if created now."""
    if draft.due_at is None:
        return None
    schedule = Schedule(0, draft.due_at, draft.plan_days, draft.plan_time, 1, now)
    steps = [s for s in plan_steps(schedule, tz) if s.kind is not StepKind.OVERDUE]
    return steps[0].at if steps else None


# --- describing an audience ---------------------------------------------------------------


def period_span(period: PeriodInfo) -> str:
    """'08/06/2026 – 22/06/2026'."""
    return _("{start} – {end}").format(start=fmt_date(period.start), end=fmt_date(period.end))


def _all_units(count: int) -> str:
    """Every unit."""
    return ngettext("all {n} unit", "all {n} units", count).format(n=fmt_number(count))


def _units_below(count: int, threshold: float, period: PeriodInfo | None) -> str:
    """Units below a threshold in a period."""
    return ngettext(
        "{n} unit below {threshold} in {period}",
        "{n} units below {threshold} in {period}",
        count,
    ).format(
        n=fmt_number(count),
        threshold=fmt_percent_value(threshold),
        period=period_span(period) if period else "?",
    )


def _units_of_kind(count: int, kind: str) -> str:
    """Units of a kind."""
    return ngettext("{n} unit of kind “{kind}”", "{n} units of kind “{kind}”", count).format(
        n=fmt_number(count), kind=kind_label(kind)
    )


def _units_in_area(count: int, area: str) -> str:
    """Units in an area."""
    return ngettext("{n} unit in {area}", "{n} units in {area}", count).format(
        n=fmt_number(count), area=escape(area)
    )


def describe_audience(*, session: Session, deadline: Deadline | Draft, count: int) -> str:
    """'38 units below 80% in 08/06/2026 – 22/06/2026', translated."""
    audience = (
        deadline.audience if isinstance(deadline, Draft) else Audience.from_dict(deadline.audience)
    )
    if audience is None:
        return _all_units(count)
    if audience.kind is AudienceKind.BELOW:
        period = period_info(session=session, period_id=audience.period_id)
        threshold = audience.threshold if audience.threshold is not None else 80.0
        return _units_below(count, threshold, period)
    if audience.kind is AudienceKind.KIND:
        return _units_of_kind(count, str(audience.unit_kind))
    if audience.kind is AudienceKind.AREA:
        area = session.get(Unit, audience.area_id or 0)
        return _units_in_area(count, area.name if area else "?")
    return _all_units(count)
