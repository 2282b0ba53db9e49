"""The offline console demo a newcomer runs first."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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


async def test_demo_answers_for_the_published_table(tmp_path: Path) -> None:
    """The secretariat overview and a unit lookup give the published figures."""
    out = await run(tmp_path, "/tyle", "/tyle nam tien hai")
    assert "82,29%" in out and "38 đơn vị dưới ngưỡng cảnh báo 80%" in out
    assert "Đảng ủy xã Nam Tiền Hải" in out and "82,5%" in out and "Xếp hạng: 62/104" in out
    assert "<b>" not in out  # HTML is rendered for the terminal


async def test_demo_keyboard_can_be_pressed(tmp_path: Path) -> None:
    """Several matches print numbered buttons; /bam presses one and shows that unit."""
    out = await run(tmp_path, "/tyle tien", "/bam 3")
    assert "[3] Đảng ủy xã Nam Tiền Hải" in out
    assert out.count("Xếp hạng: 62/104") == 1


async def test_demo_act_as_a_unit_official_in_english(tmp_path: Path) -> None:
    """/as <unit> links a test official; /lang en switches the answers, not the console."""
    out = await run(tmp_path, "/as Quang Lịch", "/lang en", "what is my signing rate", "/as")
    assert "Đảng ủy xã Quang Lịch" in out
    assert "80% (24/30 documents)" in out
    assert "Bạn đang là người dùng Telegram 900" in out  # console text stays in Vietnamese


async def test_lang_switches_the_current_person_only(tmp_path: Path) -> None:
    """/lang en as a unit's head leaves the secretariat (user 1) in Vietnamese."""
    out = await run(
        tmp_path, "/as Quang Lịch", "/lang en", "/toi", "/as 1", "/toi", "/as Quang Lịch", "/toi"
    )
    head_en, admin, head_again = out.split("🤖 👤")[1:4]
    assert "Role: head of unit" in head_en and "Role: head of unit" in head_again
    assert "Vai trò: Văn phòng" in admin and "Role:" not in admin


async def test_demo_handles_mistakes(tmp_path: Path) -> None:
    """Unknown units and buttons are explained; /thoat stops reading."""
    out = await run(tmp_path, "/as Sao Hỏa", "/bam 9", "/thoat", "/tyle")
    assert "Không tìm thấy đơn vị nào khớp với “Sao Hỏa”" in out
    assert "Không có nút số 9" in out
    assert "82,29%" not in out  # nothing after /thoat ran


async def test_demo_upload_a_table_and_confirm(tmp_path: Path) -> None:
    """/gui sends a file as the admin; /bam 1 confirms the preview; /tyle shows the new period."""
    from bot.console import demo_table

    table = demo_table().decode("utf-8").replace("08/6/2026", "22/6/2026", 1)
    table = table.replace("15 giờ ngày 22/6/2026", "15 giờ ngày 06/7/2026", 1)
    path = tmp_path / "bang-thang-7.tsv"
    path.write_text(table, encoding="utf-8")
    out = await run(tmp_path, f"/gui {path}", "/bam 1", "/tyle")
    assert "/gui <đường dẫn>" in out  # the intro mentions it
    assert "Đang đọc tệp…" in out and "Xem trước “bang-thang-7.tsv”" in out
    assert "[1] ✅ Xác nhận nhập" in out and "[2] ✖️ Hủy" in out
    assert "Đã nhập “bang-thang-7.tsv”" in out
    assert "Kỳ báo cáo: 22/06/2026 – 06/07/2026" in out.split("Đã nhập")[-1]


async def test_demo_upload_missing_file(tmp_path: Path) -> None:
    """A wrong path is explained; the bot is not involved."""
    out = await run(tmp_path, f"/upload {tmp_path / 'khong-co.xlsx'}", "/gui")
    assert "Không tìm thấy tệp: " in out and "khong-co.xlsx" in out
    assert "Cách dùng: /gui <đường dẫn tới tệp>" in out


async def test_demo_refused_table_attaches_the_problem_list(tmp_path: Path) -> None:
    """Hundreds of bad rows: the console shows the truncated message and the attached file."""
    rows = "\n".join(f"Xã {i};10;{11 + i}" for i in range(300))
    path = tmp_path / "loi.csv"
    path.write_text("từ ngày 08/6/2026 đến ngày 22/6/2026\nĐơn vị;Tổng;Ký số\n" + rows)
    out = await run(tmp_path, f"/gui {path}")
    assert "Tìm thấy 300 lỗi" in out and "lỗi khác" in out
    assert "📎 loi-problems.txt" in out


async def test_demo_broadcast_to_units_below_80(tmp_path: Path) -> None:
    """Preview, progress, the pushes, an acknowledgement and the delivery report in the console."""
    out = await run(
        tmp_path,
        "/as Vũ Quý",
        "/as Trà Lý",
        "/as Quang Lịch",  # exactly 80 %: not below the threshold, gets nothing
        "/as 1",
        "/thongbao",
        "<b>Khẩn:</b> hoàn thành ký số trước 30/6.",
        "/bam 2",
        "/bam 2",
        "/bam 1",
        "/as Vũ Quý",
        "/bam 1",
        "/as 1",
        "/thongbao_tt 1",
    )
    assert "Sẽ gửi tới 2 người ở 38 đơn vị." in out
    assert "Thông báo #1 đang được gửi…\nĐã gửi 0/2 · 0 lỗi" in out
    assert out.count("📨 → 9000") == 2 and "📨 → 900066" not in out
    assert "Đã gửi xong thông báo #1.\nĐã gửi 2/2 · 0 lỗi" in out
    assert "Cảm ơn đồng chí: đã ghi nhận xác nhận." in out
    assert "Đã bấm “✅ Đã nhận”: 1 người; đơn vị: 1/2" in out
    assert "Chưa xác nhận (1 đơn vị):\n• Đảng ủy Phường Trà Lý" in out


async def test_demo_saves_every_file_the_bot_sends(tmp_path: Path) -> None:
    """Charts and workbooks land in the folder named at start, sizes written the reader's way."""
    import openpyxl

    out = await run(tmp_path, "/tonghop", "/baocao", "/lang en", "/baocao")
    files = tmp_path / "files"
    assert f"Tệp bot gửi được lưu trong {files}/" in out
    assert sorted(p.name for p in files.glob("tong-hop-*.png")) == [
        "tong-hop-1.png",
        "tong-hop-2.png",
        "tong-hop-3.png",
    ]
    first = files / "tong-hop-1.png"
    assert first.read_bytes().startswith(b"\x89PNG")
    size = first.stat().st_size
    assert f"📎 tong-hop-1.png ({size:,} B) → {first}".replace(",", ".") in out  # vi: 264.254
    (workbook, again) = sorted(files.glob("bao-cao-*.xlsx"), key=lambda p: len(p.name))
    assert again.name == workbook.name.replace(".xlsx", "-2.xlsx")  # the same name: kept apart
    assert f"📎 {workbook.name} ({again.stat().st_size:,} B) → {again}" in out  # en: 11,275
    sheet = openpyxl.load_workbook(workbook).worksheets[0]
    assert "đến 15 giờ ngày 22/6/2026" in str(sheet["A1"].value)


async def test_demo_runs_on_the_simulated_clock_from_the_start(tmp_path: Path) -> None:
    """The built-in import and its warnings check are stamped 16:00 22/06/2026, not today."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
    out = await run(tmp_path, "/nhatky", "/canhbao")
    log = out.split("[1]> /nhatky")[-1].split("[1]> /canhbao")[0]
    assert "16:00 22/06/2026 · CLI\nnhập số liệu thống kê" in log
    assert "Lần kiểm tra gần nhất 16:00 22/06/2026 (sau khi nhập bảng)" in out
    if today != "22/06/2026":
        assert today not in out


async def test_shipped_table_keeps_its_as_of_time(tmp_path: Path) -> None:
    """The packaged TSV carries the appendix title: sent as a file it previews "đến 15:00"."""
    from importlib import resources

    from bot.console import DEMO_FILE

    shipped = resources.files("bot").joinpath("data", DEMO_FILE)
    text = shipped.read_text(encoding="utf-8")
    assert "từ ngày 08/6/2026 đến 15 giờ ngày 22/6/2026" in text.splitlines()[2]
    out = await run(tmp_path, f"/gui {shipped}")
    preview = out.split("Xem trước")[-1]
    assert "Kỳ báo cáo: 08/06/2026 – 22/06/2026 (số liệu đến 15:00 22/06/2026)" in preview
    assert "Số đơn vị: 104" in preview and "82,29%" in preview


@given(name=st.text(min_size=0, max_size=300))
@example(name="\x1b.")  # a control character and a dot once made the name "."
@example(name="..")
@settings(max_examples=200, deadline=None)
def test_saved_file_names_stay_in_the_folder(name: str) -> None:
    """Whatever name the bot gives a file, it is written inside the folder, once per name."""
    import tempfile

    from bot.console_output import SavedFiles

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        saved = SavedFiles(folder)
        first, second = saved.save(name, b"1"), saved.save(name, b"2")
        assert first.parent == second.parent == folder and first != second
        assert first.read_bytes() == b"1" and second.read_bytes() == b"2"


async def test_readme_taste_is_what_the_console_prints(tmp_path: Path) -> None:
    """The README's console excerpt is real: its commands print its lines, in that order."""
    import re

    from tests.docs_kit import REPO, fenced_blocks

    (taste,) = fenced_blocks(REPO / "README.md", "A taste of the console")
    prompt = re.compile(r"^\[\d+\]> (.*)$")
    commands = [m.group(1) for line in taste.splitlines() if (m := prompt.match(line))]
    expected = [line for line in taste.splitlines() if not prompt.match(line) and line != "…"]
    out = await run(tmp_path, *commands)

    def plain(text: str) -> str:
        return re.sub(r"\(\d[\d.,]* B\) → \S*/", "(N B) → DIR/", text)

    printed, position = plain(out), 0
    for line in map(plain, expected):
        found = printed.find(line + "\n", position)
        assert found >= 0, line
        position = found + len(line)


async def test_button_hint_speaks_the_language_of_the_person_typing(tmp_path: Path) -> None:
    """After /lang en, the console's "how to press" line under buttons is English too."""
    out = await run(tmp_path, "/lang en", "/help")
    after = out.split("What you can do most often", 1)[1]
    assert "(press with /press <n>)" in after
    assert "bấm nút bằng lệnh" not in after
