"""Numbers, percents and dates as officials read them, and complete catalogs."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from bot.core.i18n import (
    LOCALE_DIR,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_percent_value,
    fmt_rate,
    set_timezone,
    use_language,
)

pytestmark = pytest.mark.sqlite_pass_only  # no database


@pytest.mark.parametrize(
    ("lang", "num", "den", "expected"),
    [
        ("vi", 33, 40, "82,5%"),
        ("vi", 19, 24, "79,17%"),
        ("vi", 24, 30, "80%"),
        ("vi", 4299, 5224, "82,29%"),
        ("en", 33, 40, "82.5%"),
        ("en", 19, 24, "79.17%"),
    ],
)
def test_rates_with_up_to_two_decimals(lang: str, num: int, den: int, expected: str) -> None:
    """Rates show at most two decimals in the reader's locale."""
    with use_language(lang):
        assert fmt_rate(num, den) == expected


def test_whole_percent_rounds_half_up_like_the_letters() -> None:
    """33/40 = 82.5% prints as 83% in whole percent (Python's round() would give 82)."""
    with use_language("vi"):
        assert fmt_rate(33, 40, decimals=0) == "83%"
        assert fmt_rate(1, 8, decimals=0) == "13%"


def test_number_formatting_matches_babel_everywhere() -> None:
    """The fast formatter gives exactly Babel's output for counts and rates in vi and en."""
    rng = random.Random(17)
    for lang in ("vi", "en"):
        with use_language(lang):
            for _ in range(2000):
                n = rng.randint(0, 10_000_000)
                assert fmt_number(n) == format_decimal(n, locale=lang)
                den = rng.randint(1, 5000)
                num = rng.randint(0, den)
                value = (Decimal(num * 100) / Decimal(den)).quantize(Decimal("0.01"))
                assert fmt_percent_value(value) == format_percent(
                    value / 100, "#,##0.##%", locale=lang
                )


def test_dates_and_times_in_the_display_zone() -> None:
    """vi 22/06/2026; an 08:00 UTC as-of time shows as 15:00 in Asia/Ho_Chi_Minh."""
    from zoneinfo import ZoneInfo

    set_timezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    as_of = dt.datetime(2026, 6, 22, 8, 0, tzinfo=dt.UTC)
    with use_language("vi"):
        assert fmt_date(dt.date(2026, 6, 22)) == "22/06/2026"
        assert fmt_datetime(as_of) == "15:00 22/06/2026"
        assert fmt_number(1234) == "1.234"
    with use_language("en"):
        assert fmt_number(1234) == "1,234"


def test_every_message_has_a_vietnamese_translation() -> None:
    """No English msgid reaches a Vietnamese user: every catalog entry is translated."""
    template = read_po((LOCALE_DIR / "messages.pot").open("rb"))
    catalog = read_po((LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po").open("rb"), locale="vi")
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = (
            []
            if translated is None
            else (
                [translated.string]
                if isinstance(translated.string, str)
                else list(translated.string)
            )
        )
        if not strings or not all(strings) or (translated and translated.fuzzy):
            missing.append(message.id)
    assert missing == []


def test_translations_keep_their_placeholders() -> None:
    """A Vietnamese string uses exactly the named placeholders of its English msgid."""
    import re

    field = re.compile(r"\{(\w+)\}")
    catalog = read_po((LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po").open("rb"), locale="vi")
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(field.findall(ids[-1]))
        for text in strings:
            assert set(field.findall(text)) == wanted, message.id


def test_the_template_lists_every_string_in_the_source() -> None:
    """locale/messages.pot is up to date: a new `_()` string cannot reach users untranslated."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "lazy_gettext": None, "ngettext": (1, 2)}
    root = LOCALE_DIR.parent
    in_source: set[str | tuple[str, ...]] = set()
    for folder in ("bot", "handlers", "jobs"):
        for _name, _line, message, _comments, _context in extract_from_dir(
            root / folder, method_map=[("**.py", "python")], keywords=keywords
        ):
            in_source.add(message if isinstance(message, str) else tuple(message))
    template = read_po((LOCALE_DIR / "messages.pot").open("rb"))
    in_template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in template if m.id}
    assert sorted(map(str, in_source - in_template)) == [], "run pybabel extract (README)"
    assert sorted(map(str, in_template - in_source)) == [], "run pybabel extract (README)"
