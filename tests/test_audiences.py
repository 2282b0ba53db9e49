"""The one audience model: stored forms, and which units an audience names."""

from __future__ import annotations

from sqlmodel import Session

from bot.broadcasts.service import Scope, chosen_audience, describe, resolve
from bot.core.areas import AREA_KIND
from bot.core.audiences import Audience, AudienceKind, Band, Reach, audience_unit_ids
from bot.core.db import session_scope
from bot.core.i18n import use_language
from bot.core.lookup import find_units
from bot.core.models import Role
from bot.core.people import link_official
from bot.core.stats import load_indicator, recent_periods
from bot.units.changes import add_unit, set_area
from tests.conftest import Harness


def test_announcements_stored_before_the_one_model_still_read() -> None:
    """An announcement row written as {"scope": …} reads as the same audience."""
    old = {"scope": "below_critical", "reach": "heads", "kind": None, "area_unit_id": None}
    assert Audience.from_dict(old) == Audience(
        AudienceKind.BELOW, band=Band.CRITICAL, reach=Reach.HEADS
    )
    area = Audience.from_dict({"scope": "area", "reach": "officials", "area_unit_id": 7})
    assert area == Audience(AudienceKind.AREA, area_id=7)
    assert Audience.from_dict({}) is None
    assert Audience.from_dict({"type": "nonsense"}) is None


def test_stored_form_round_trips_and_keeps_the_deadlines_format() -> None:
    """Deadlines keep the JSON they always had; every audience comes back equal."""
    assert Audience(AudienceKind.KIND, unit_kind="phuong").as_dict() == {
        "type": "kind",
        "kind": "phuong",
    }
    below = Audience(AudienceKind.BELOW, threshold=80.0, period_id=3)
    assert below.as_dict() == {"type": "below", "threshold": 80.0, "period_id": 3}
    for audience in (
        below,
        Audience(AudienceKind.ALL),
        Audience(AudienceKind.AREA, area_id=5, reach=Reach.HEADS),
        Audience(AudienceKind.BELOW, band=Band.WARNING),
        Audience(AudienceKind.GROUPS),
    ):
        assert Audience.from_dict(audience.as_dict()) == audience


async def test_below_the_warning_band_is_the_units_under_80_percent(loaded: Harness) -> None:
    """An announcement "below 80 %" and a deadline "below 80 % in the latest period" name the
    same 38 units of the published table."""
    with Session(loaded.engine) as session:
        indicator = load_indicator(session=session, code="ky-so")
        assert indicator is not None
        period = recent_periods(session=session, indicator_id=indicator.id, limit=1)[0]
        band = chosen_audience(Scope.BELOW_WARNING)
        fixed = Audience(AudienceKind.BELOW, threshold=80.0, period_id=period.id)
        by_band = audience_unit_ids(session=session, audience=band)
        assert len(by_band) == 38
        assert by_band == audience_unit_ids(session=session, audience=fixed)
        with use_language("vi"):
            assert describe(session=session, audience=band).startswith(
                "đơn vị dưới 80% (08/06/2026 – 22/06/2026)"
            )


async def test_area_units_get_announcements_but_owe_no_deadline(loaded: Harness) -> None:
    """ "All units" of an announcement reaches an area's own officials; a deadline for all
    units never addresses the area itself. An area audience names the units under it."""
    with session_scope(loaded.engine) as session:
        area = add_unit(session=session, name="Cụm Tiền Hải", actor=None, kind=AREA_KIND)
        session.flush()
        assert area.id is not None
        area_id = area.id
        member = find_units(session=session, query="Nam Tiền Hải").unique
        assert member is not None
        set_area(session=session, unit_id=member.id, area_id=area_id, actor=None)
        link_official(session=session, telegram_id=777, unit_id=area_id, role=Role.HEAD)
    everyone = Audience(AudienceKind.ALL)
    with Session(loaded.engine) as session:
        for_deadline = audience_unit_ids(session=session, audience=everyone)
        for_announcement = audience_unit_ids(session=session, audience=everyone, with_areas=True)
        assert area_id not in for_deadline and len(for_deadline) == 104
        assert area_id in for_announcement and len(for_announcement) == 105
        assert (777, area_id) in resolve(session=session, audience=everyone).chats
        inside = Audience(AudienceKind.AREA, area_id=area_id)
        assert audience_unit_ids(session=session, audience=inside) == [member.id]
