"""Summaries of thousands of units: top and bottom lists, one chart per area (issue 12 §2)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.core.i18n import use_language
from bot.core.models import Unit
from bot.summaries.figures import load_summary
from bot.summaries.texts import render
from tests.conftest import Harness
from tests.import_kit import tsv

PNG = b"\x89PNG\r\n\x1a\n"
AREAS = ("Khu vực Bắc", "Khu vực Nam", "Khu vực Trung")


def province_of_1500(h: Harness) -> None:
    """1,500 communes in three areas of 500, rates spread from 50 % to 100 %."""
    rows = [[str(i), f"Đảng ủy xã Số {i}", "100", str(50 + i % 51), ""] for i in range(1, 1501)]
    h.import_table(tsv(*rows))
    with Session(h.engine) as session:
        areas = [
            Unit(
                code=f"kv-{n}",
                name=name,
                name_key=name.lower(),
                short_key=name.lower(),
                kind="khu-vuc",
            )
            for n, name in enumerate(AREAS)
        ]
        session.add_all(areas)
        session.flush()
        units = session.exec(select(Unit).where(col(Unit.kind) != "khu-vuc").order_by(col(Unit.id)))
        for n, unit in enumerate(units.all()):
            unit.parent_id = areas[n % 3].id
            session.add(unit)
        session.commit()


async def test_a_province_of_1500_units_gets_one_chart_per_area(bot: Harness) -> None:
    """Three charts (one per area, its highest and lowest 20), not 38 images of 40 units; the
    message lists the highest and lowest five and stays under Telegram's limit."""
    province_of_1500(bot)
    rt = bot.app.bot_data.runtime
    with Session(bot.engine) as session:
        summary = load_summary(session=session, standings=rt.standings, area_unit_id=None)
    assert summary is not None and len(summary.rated) == 1500
    assert sorted(g.name or "" for g in summary.groups) == sorted(AREAS)
    with use_language("vi"):
        rendered = render(summary)
    assert len(rendered.images) == 3
    assert all(image.startswith(PNG) for image in rendered.images)
    assert len(rendered.text) < 4096
    assert "<b>5 đơn vị cao nhất:</b>" in rendered.text
    assert "<b>5 đơn vị thấp nhất:</b>" in rendered.text
    assert "1.500 đơn vị có số liệu" in rendered.text
