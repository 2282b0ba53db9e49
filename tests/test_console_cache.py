"""The console demo's saved database: a second `console --demo` copies what the first built,
answers exactly as a fresh build does, and builds again when an input changed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bot import console_demo
from bot.console import run_console
from bot.console_cache import demo_key
from tests.conftest import make_settings

pytestmark = pytest.mark.sqlite_pass_only  # the demo always runs on its own temporary SQLite file

# A walk through the demo touching what the build stored: the import and its warnings, the
# letters (the basis lines), the audit log on the simulated clock, a unit head, time moving on.
SCRIPT = (
    "/tyle",
    "/tyle nam tien hai",
    "/nhatky",
    "/canhbao",
    "/as Quang Lịch",
    "tỷ lệ ký số của tôi",
    "/as 1",
    "/tua 1d",
    "/tyle",
)


class CountingBuilds:
    """Counts how often the demo data is built from the table and the letters."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wrap console_demo.load_demo_data."""
        self.count = 0
        original = console_demo.load_demo_data

        def counted(runtime: object) -> object:
            self.count += 1
            return original(runtime)  # type: ignore[arg-type]

        monkeypatch.setattr(console_demo, "load_demo_data", counted)


async def transcript(tmp_path: Path, cache: Path | None, **overrides: object) -> str:
    """Everything the demo printed for SCRIPT, the one-time dashboard link masked."""
    out = io.StringIO()
    settings = make_settings(tmp_path).model_copy(update=overrides)
    code = await run_console(
        settings,
        demo=True,
        lines=list(SCRIPT),
        out=out,
        files_dir=tmp_path / "files",
        demo_cache=cache,
    )
    assert code == 0
    return re.sub(r"http://127\.0\.0\.1:\d+/app/#login=\S+", "<dashboard link>", out.getvalue())


async def test_second_demo_copies_the_first_and_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built once, then copied: the copy's answers are the fresh build's, word for word."""
    builds = CountingBuilds(monkeypatch)
    cache = tmp_path / "cache"
    fresh = await transcript(tmp_path, None)
    first = await transcript(tmp_path, cache)
    assert builds.count == 2
    assert len(list(cache.glob("demo-*.db"))) == 1
    second = await transcript(tmp_path, cache)
    assert builds.count == 2  # copied, not built
    assert "82,29%" in second and "Xếp hạng: 66/104" in second and "16:00 22/06/2026" in second
    assert second == first == fresh


async def test_changed_settings_build_a_new_demo_and_drop_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another setting (here the time zone of the texts) is another demo: built again, and the
    saved file of the old settings is removed."""
    builds = CountingBuilds(monkeypatch)
    cache = tmp_path / "cache"
    await transcript(tmp_path, cache)
    (old,) = cache.glob("demo-*.db")
    await transcript(tmp_path, cache, bot_timezone="Asia/Bangkok")
    assert builds.count == 2
    (new,) = cache.glob("demo-*.db")
    assert new != old


def test_the_key_follows_every_source_file(tmp_path: Path) -> None:
    """Changing, adding or renaming a code or data file changes the key; bytecode does not."""
    settings = make_settings(tmp_path)
    root = tmp_path / "tree"
    (root / "bot" / "data").mkdir(parents=True)
    (root / "bot" / "imports.py").write_text("RULE = 80\n")
    (root / "bot" / "data" / "table.tsv").write_text("STT\tĐơn vị\n")
    keys = {demo_key(settings, root=root)}
    (root / "bot" / "__pycache__").mkdir()
    (root / "bot" / "__pycache__" / "imports.cpython-311.pyc").write_bytes(b"\0")
    assert demo_key(settings, root=root) in keys
    (root / "bot" / "imports.py").write_text("RULE = 79\n")
    keys.add(demo_key(settings, root=root))
    (root / "locale" / "vi").mkdir(parents=True)
    (root / "locale" / "vi" / "messages.po").write_text('msgid "a"\nmsgstr "b"\n')
    keys.add(demo_key(settings, root=root))
    (root / "bot" / "data" / "table.tsv").rename(root / "bot" / "data" / "other.tsv")
    keys.add(demo_key(settings, root=root))
    assert len(keys) == 4


async def test_an_unusable_cache_folder_still_runs_the_demo(tmp_path: Path) -> None:
    """A cache path that cannot be a folder (a file is there) only means no saving."""
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    out = await transcript(tmp_path, blocked)
    assert "82,29%" in out
    assert blocked.read_text() == "not a folder"
