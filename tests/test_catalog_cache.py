"""Compiled catalogs are kept between starts: same translations, recompiled when the .po changes."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest

from bot.core import i18n

pytestmark = pytest.mark.sqlite_pass_only  # no database

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Signing rate"
msgstr "{text}"
"""


def write_po(folder: Path, text: str) -> Path:
    """A one-message Vietnamese catalog."""
    path = folder / "messages.po"
    path.write_text(PO.format(text=text), encoding="utf-8")
    return path


def translate(compiled: bytes) -> str:
    """The one message through the compiled catalog."""
    return gettext.GNUTranslations(io.BytesIO(compiled)).gettext("Signing rate")


def test_a_restart_reads_the_compiled_catalog_instead_of_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second start gets the same catalog without Babel compiling the .po again."""
    po = write_po(tmp_path, "Tỷ lệ ký số")
    first = i18n.compiled_catalog(po, "vi")
    assert translate(first) == "Tỷ lệ ký số"
    assert len(list(i18n.catalog_cache_dir().glob("*.mo"))) == 1

    def no_babel(source: bytes, language: str) -> bytes:
        raise AssertionError("compiled again")

    monkeypatch.setattr(i18n, "compile_po", no_babel)
    assert i18n.compiled_catalog(po, "vi") == first


def test_an_edited_catalog_is_compiled_again_and_the_old_one_removed(tmp_path: Path) -> None:
    """Changing a translation shows at the next start; the cache keeps one file a language."""
    po = write_po(tmp_path, "Tỷ lệ ký số")
    i18n.compiled_catalog(po, "vi")
    po = write_po(tmp_path, "Tỉ lệ ký số điện tử")
    assert translate(i18n.compiled_catalog(po, "vi")) == "Tỉ lệ ký số điện tử"
    assert len(list(i18n.catalog_cache_dir().glob("messages-vi-*.mo"))) == 1


def test_an_unwritable_cache_still_gives_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder that cannot be made (here: a file in its way) only costs the compile."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    po = write_po(tmp_path, "Tỷ lệ ký số")
    assert translate(i18n.compiled_catalog(po, "vi")) == "Tỷ lệ ký số"
    assert translate(i18n.compiled_catalog(po, "vi")) == "Tỷ lệ ký số"


def test_the_shipped_catalogs_are_the_same_from_the_cache() -> None:
    """Every shipped language: the kept catalog is byte for byte Babel's compile of its .po."""
    for language in ("vi", "en"):
        po = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
        fresh = i18n.compile_po(po.read_bytes(), language)
        assert i18n.compiled_catalog(po, language) == fresh  # compiled and kept
        assert i18n.compiled_catalog(po, language) == fresh  # read back
