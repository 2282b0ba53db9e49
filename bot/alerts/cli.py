"""`python -m bot warnings …`: status, run now, thresholds/schedule per indicator, silences."""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session, select

from bot.alerts import silence_texts
from bot.alerts import texts as warnings_text
from bot.alerts.evaluate import Trigger, run_manually
from bot.alerts.policy import PolicyError, configure, load_policy
from bot.alerts.silences import SilenceError, active_silences, lift_silence, silence_unit
from bot.alerts.status import indicators_with_data, warning_status
from bot.core.config import Settings
from bot.core.dates import parse_day
from bot.core.db import SIGNING_INDICATOR, create_db_engine, init_db, session_scope
from bot.core.i18n import _
from bot.core.links import Links, Subcommands
from bot.core.lookup import find_units
from bot.core.models import Indicator, utcnow
from bot.core.people import unit_name
from bot.core.stats import IndicatorInfo
from bot.core.telegram_html import plain

logger = logging.getLogger(__name__)

EXIT_REFUSED = 1
EXIT_USAGE = 2


def _out(text: str) -> None:
    """A line on stdout."""
    print(plain(text))


def _err(text: str) -> None:
    """A line on stderr."""
    print(plain(text), file=sys.stderr)


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    """One transaction on the configured database."""
    engine = create_db_engine(settings.database_url)
    init_db(engine)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _indicator(session: Session, code: str) -> Indicator | None:
    """Indicator by code, or an error line."""
    row = session.exec(select(Indicator).where(Indicator.code == code)).first()
    if row is None:
        codes = ", ".join(session.exec(select(Indicator.code)).all())
        _err(_("Unknown indicator “{code}”. Known: {codes}").format(code=code, codes=codes))
    return row


def cmd_status(settings: Settings, args: argparse.Namespace, *, links: Links) -> int:
    """Print the warnings of an indicator, every unit below the threshold."""
    with _session(settings) as session:
        row = _indicator(session, args.indicator)
        if row is None:
            return EXIT_USAGE
        status = warning_status(
            session=session,
            settings=settings,
            indicator_id=row.id,
            inhibitors=links.alert_inhibitors,
        )
        assert status is not None
        _out(warnings_text.status_text(status))
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace, *, links: Links) -> int:
    """Evaluate now (with repeats); the running bot delivers what is queued."""
    with _session(settings) as session:
        rows: list[Indicator | None]
        if args.indicator:
            row = _indicator(session, args.indicator)
            if row is None or row.id is None:
                return EXIT_USAGE
            rows = [row]
        else:
            rows = [
                session.get(Indicator, ind_id)
                for ind_id, _code, _name in indicators_with_data(session=session)
            ]
        for row in rows:
            assert row is not None and row.id is not None
            outcome = run_manually(
                session=session,
                indicator_id=row.id,
                settings=settings,
                actor=None,
                trigger=Trigger.CLI,
                inhibitors=links.alert_inhibitors,
                basis=links.rule_basis,
            )
            _out(f"{row.code}: " + warnings_text.run_summary(outcome.counts(), _info(row)))
        if not rows:
            _out(_("No statistics have been imported yet, so there are no warnings."))
    return 0


def _info(row: Indicator) -> IndicatorInfo:
    """Thresholds of a row."""
    return IndicatorInfo.from_row(row)


def cmd_config(settings: Settings, args: argparse.Namespace) -> int:
    """Show or change thresholds, schedule, repeat interval, on/off of an indicator."""
    try:
        with _session(settings) as session:
            row = _indicator(session, args.indicator)
            if row is None:
                return EXIT_USAGE
            changing = any(
                v is not None
                for v in (
                    args.warning,
                    args.critical,
                    args.target,
                    args.schedule,
                    args.repeat,
                    args.enabled,
                )
            )
            if changing:
                row = configure(
                    session=session,
                    indicator_code=args.indicator,
                    enabled=args.enabled,
                    schedule=args.schedule,
                    repeat=args.repeat,
                    warning=args.warning,
                    critical=args.critical,
                    target=args.target,
                )
            policy = load_policy(session=session, indicator=row, settings=settings)
            info = _info(row)
            _out(f"{row.code}: " + warnings_text.policy_text(policy, info))
            if policy.enabled:
                _out(
                    _("Schedule: {schedule}; repeat interval: {repeat}.").format(
                        schedule=policy.schedule.canonical() if policy.schedule else "off",
                        repeat=warnings_text.duration_text(policy.repeat_interval),
                    )
                )
            if changing and args.schedule is not None:
                _out(_("Restart the bot for a new schedule to take effect."))
    except PolicyError as exc:
        _err(_("Nothing was changed: {reason}").format(reason=str(exc)))
        return EXIT_REFUSED
    return 0


def _unit_id(session: Session, query: str) -> int | None:
    """The one unit a name designates, else candidates on stderr."""
    matches = find_units(session=session, query=query)
    if matches.unique is not None:
        return matches.unique.id
    if not matches:
        _err(_("No unit matches “{query}”.").format(query=query))
    else:
        _err(_("“{query}” does not name exactly one unit. Candidates:").format(query=query))
        for match in matches:
            _err(f"  {match.name}")
    return None


def cmd_silence(settings: Settings, args: argparse.Namespace) -> int:
    """Silence a unit's warnings through a day."""
    day = parse_day(args.day)
    if day is None:
        _err(silence_texts.silence_bad_date(args.day))
        return EXIT_USAGE
    try:
        with _session(settings) as session:
            unit_id = _unit_id(session, args.unit)
            if unit_id is None:
                return EXIT_USAGE
            silence_unit(
                session=session,
                unit_id=unit_id,
                until_day=day,
                zone=settings.tz,
                reason=args.reason,
            )
            name = unit_name(session=session, unit_id=unit_id) or args.unit
    except SilenceError as exc:
        _err(exc.message())
        return EXIT_REFUSED
    _out(silence_texts.silence_done(name, day, args.reason))
    return 0


def cmd_unsilence(settings: Settings, args: argparse.Namespace) -> int:
    """Lift a unit's silence."""
    with _session(settings) as session:
        unit_id = _unit_id(session, args.unit)
        if unit_id is None:
            return EXIT_USAGE
        found = [s for s in active_silences(session=session) if s.unit_id == unit_id]
        if not found:
            _err(SilenceError("missing").message())
            return EXIT_REFUSED
        for silence in found:
            lift_silence(session=session, silence_id=silence.id)
        _out(silence_texts.silence_lifted(found[0].unit_name))
    return 0


def cmd_silences(settings: Settings, args: argparse.Namespace) -> int:
    """List silences in force."""
    with _session(settings) as session:
        silences = active_silences(session=session, now=utcnow())
        for s in silences:
            print("\t".join([s.unit_name, silence_texts.last_day(s.until), s.reason or "-"]))
        if not silences:
            _out(_("No unit is silenced."))
    return 0


def add_cli(subparsers: Subcommands, links: Links) -> None:
    """Register `warnings` and its subcommands."""
    parser = subparsers.add_parser("warnings", help=_("low-rate warnings: status, run, settings"))
    sub = parser.add_subparsers(dest="warnings_command", required=True)

    p = sub.add_parser("status", help=_("units below the threshold and what each was told"))
    p.add_argument("--indicator", default=SIGNING_INDICATOR)
    p.set_defaults(run=functools.partial(cmd_status, links=links))

    p = sub.add_parser("run", help=_("check now and queue warnings, repeats and resolved notes"))
    p.add_argument("--indicator", help=_("default: every indicator with figures"))
    p.set_defaults(run=functools.partial(cmd_run, links=links))

    p = sub.add_parser("config", help=_("show or change an indicator's thresholds and schedule"))
    p.add_argument("--indicator", default=SIGNING_INDICATOR)
    p.add_argument("--warning", type=float, help=_("warning threshold in percent, e.g. 80"))
    p.add_argument("--critical", type=float, help=_("critical threshold in percent, e.g. 50"))
    p.add_argument("--target", type=float, help=_("target in percent, e.g. 100"))
    p.add_argument(
        "--schedule", help=_("e.g. 'mon 08:00', 'mon,thu 07:30', 'daily 08:00', off, default")
    )
    p.add_argument("--repeat", help=_("repeat interval, e.g. 7d, 36h, default"))
    onoff = p.add_mutually_exclusive_group()
    onoff.add_argument("--on", dest="enabled", action="store_const", const=True, default=None)
    onoff.add_argument("--off", dest="enabled", action="store_const", const=False)
    p.set_defaults(run=cmd_config)

    p = sub.add_parser("silence", help=_("silence a unit's warnings through a day"))
    p.add_argument("unit")
    p.add_argument("day", help=_("last day, DD/MM/YYYY or YYYY-MM-DD"))
    p.add_argument("--reason", default="")
    p.set_defaults(run=cmd_silence)

    p = sub.add_parser("unsilence", help=_("turn a unit's warnings back on"))
    p.add_argument("unit")
    p.set_defaults(run=cmd_unsilence)

    p = sub.add_parser("silences", help=_("list silenced units"))
    p.set_defaults(run=cmd_silences)
