"""The "Done when" scenario in the console demo: both letters' deadlines on a simulated clock."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bot.console import run_console
from tests.conftest import make_settings

pytestmark = pytest.mark.sqlite_pass_only  # the demo always runs on its own temporary SQLite file


async def run(tmp_path: Path, *lines: str) -> str:
    """Run the demo console on scripted input; return everything it printed."""
    out = io.StringIO()
    code = await run_console(
        make_settings(tmp_path), demo=True, lines=list(lines), out=out, files_dir=tmp_path / "files"
    )
    assert code == 0
    return out.getvalue()


def stop(out: str, when: str) -> str:
    """The console's report for one clock stop (from its heading to the next blank line)."""
    match = re.search(rf"🕗 {re.escape(when)} — .*?(?=\n🕗 |\nĐồng hồ mô phỏng: )", out, re.S)
    assert match is not None, when
    return match.group(0)


async def test_both_templates_reminders_once_escalation_status_and_restart(
    tmp_path: Path,
) -> None:
    """The secretariat creates the two template deadlines over the shared table; the 38 units
    below 80 % (and only they) get the explanation reminders; each step once; escalation on the
    due day; a restart in between changes nothing; the status table at the end."""
    out = await run(
        tmp_path,
        "/canbo_demo",
        "/hanchot_moi",
        "/bam 1",
        "/bam 1",
        "/hanchot_moi",
        "/bam 2",
        "/bam 1",
        "/tua 1d",
        "/khoidong",
        "/khoidong",
        "/dongho 26/6 12:00",
        "/tua 1d",
        "/hanchot_tt 1",
    )
    assert "Đồng hồ mô phỏng: 16:00 22/06/2026" in out
    assert "Đã gắn 208 cán bộ demo" in out
    assert "Theo dõi 38 đơn vị." in out  # the explanation report: the units below 80 %
    assert "Theo dõi 104 đơn vị." in out and "14 đơn vị đã đạt yêu cầu" in out
    # 23/6 08:00: 3 days before 26/6 and 7 days before 30/6, office staff of owing units only.
    first = stop(out, "08:00 23/06/2026")
    assert "Đã gửi 128 tin từ hàng đợi" in first  # 38 explanation + 90 below 100 %
    restart = "🔄 Đã khởi động lại: dựng lại 7 việc nhắc hẹn giờ từ cơ sở dữ liệu; bù 0 tin mới."
    assert out.count(restart) == 2  # restarting (twice) repeats nothing and loses no job
    assert "Đã gửi 38 tin từ hàng đợi" in stop(out, "08:00 25/06/2026")  # 1 day before
    due_day = stop(out, "08:00 26/06/2026")
    assert "Đã gửi 77 tin từ hàng đợi" in due_day  # 38 staff, 38 heads, the secretariat's list
    assert "📋 Hôm nay hết hạn: Báo cáo giải trình — đơn vị dưới 80% (#1)" in due_day
    assert "38/38 đơn vị chưa hoàn thành:" in due_day
    assert "không có tin nào cần gửi" in stop(out, "23:59 26/06/2026")  # quiet hours
    overdue = stop(out, "07:00 27/06/2026")
    assert "⛔ Đã hết hạn: Báo cáo giải trình — đơn vị dưới 80% (#1)" in overdue
    assert out.count("📋 Hôm nay hết hạn: Báo cáo giải trình") == 1
    assert out.count("⛔ Đã hết hạn: Báo cáo giải trình") == 1
    assert "✅ Đúng hạn: 0 · ⏰ Muộn: 0 · ❌ Chưa nộp: 38" in out
