"""Gettext catalogs and Babel formatting for the language of the current update or command."""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import io
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import babel
from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_time as _babel_format_time
from babel.numbers import get_decimal_symbol, get_group_symbol

from bot.core.config import SUPPORTED_LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
DOMAIN = "messages"

_language: ContextVar[str] = ContextVar("kyso_language", default="vi")
_command_line: ContextVar[bool] = ContextVar("kyso_command_line", default=False)
_timezone: ContextVar[ZoneInfo | None] = ContextVar("kyso_timezone", default=None)
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"

logger = logging.getLogger(__name__)


def catalog_cache_dir() -> Path:
    """Where compiled catalogs are kept: $XDG_CACHE_HOME/kyso-bot/catalogs (~/.cache/…)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kyso-bot" / "catalogs"


def compile_po(source: bytes, language: str) -> bytes:
    """The .mo bytes of a .po file's text (Babel; fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compiled_catalog(po_path: Path, language: str) -> bytes:
    """The .po file compiled, from the cache when this very text was compiled before (a
    restart skips Babel's ~30-60 ms a language); a cache that cannot be written is skipped."""
    source = po_path.read_bytes()
    key = hashlib.sha256(source + f"|{language}|{babel.__version__}".encode()).hexdigest()[:24]
    cached = catalog_cache_dir() / f"{DOMAIN}-{language}-{key}.mo"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    compiled = compile_po(source, language)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(f"{DOMAIN}-{language}-*.mo"):
            old.unlink(missing_ok=True)  # the catalog changed: its old compilations go
        with tempfile.NamedTemporaryFile(dir=cached.parent, suffix=".tmp", delete=False) as fh:
            try:
                fh.write(compiled)
                fh.close()
                os.replace(fh.name, cached)  # whole or absent, whoever reads it meanwhile
            except OSError:
                os.unlink(fh.name)
                raise
    except OSError as exc:
        logger.debug("Compiled catalog not kept in %s: %s", cached.parent, exc)
    return compiled


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Catalog for a language, compiled from its .po file (no build step needed; the compiled
    catalog is kept in the cache for the next start)."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compiled_catalog(po_path, language)))


def load_catalogs_in_background(languages: Iterable[str]) -> threading.Thread:
    """Compile the catalogs in a thread at start-up, so the first answer in a language does not
    stop the event loop for the ~0.1 s its .po file takes to read."""

    def load() -> None:
        for language in languages:
            translations(language)

    thread = threading.Thread(target=load, name="load-catalogs", daemon=True)
    thread.start()
    return thread


@cache
def babel_locale(language: str) -> Locale:
    """Babel locale object for a language code."""
    return Locale.parse(language)


def normalize_language(code: str | None) -> str | None:
    """Map a Telegram language_code such as 'en-US' to a supported language, else None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


def current_language() -> str:
    """Language of the current context."""
    return _language.get()


def set_language(language: str) -> None:
    """Set the language for the rest of this task (one update in PTB)."""
    _language.set(language)


@contextmanager
def command_line() -> Iterator[None]:
    """Inside, texts speak to an operator at a terminal: they point to CLI commands too."""
    token = _command_line.set(True)
    try:
        yield
    finally:
        _command_line.reset(token)


def on_command_line() -> bool:
    """Whether the text is for the `python -m bot` command line rather than a chat."""
    return _command_line.get()


def set_timezone(zone: ZoneInfo) -> None:
    """Set the display time zone for the rest of this task."""
    _timezone.set(zone)


def current_timezone() -> ZoneInfo:
    """Display time zone of the current context."""
    return _timezone.get() or ZoneInfo(DEFAULT_ZONE)


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Temporarily switch language (e.g. to render a push for another user)."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """Translate a message into the current language."""
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on a count."""
    return translations(_language.get()).ngettext(singular, plural, n)


class LazyString:
    """A module-level label translated when it is turned into text."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        """Remember the message id."""
        self.message = message

    def __str__(self) -> str:
        """Translate now, in the current language."""
        return _(self.message)

    def __repr__(self) -> str:
        """Debug form."""
        return f"LazyString({self.message!r})"


def lazy_gettext(message: str) -> LazyString:
    """Mark a module-level string for translation at use time."""
    return LazyString(message)


# --- numbers, percents, dates -------------------------------------------------------------


def rate_percent(numerator: int, denominator: int, decimals: int = 2) -> Decimal | None:
    """Rate in percent rounded half up, as the official tables round (33/40 → 82.5)."""
    if denominator <= 0:
        return None
    exact = Decimal(numerator * 100) / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class NumberStyle:
    """A locale's decimal and group symbols and percent affixes, read once from Babel (CLDR)."""

    table: dict[int, str]
    percent_prefix: str
    percent_suffix: str


@cache
def number_style(language: str) -> NumberStyle:
    """Symbols for a language; formatting with them matches Babel and is ~20x faster."""
    loc = babel_locale(language)
    pattern = loc.percent_formats[None]
    return NumberStyle(
        table=str.maketrans({",": get_group_symbol(loc), ".": get_decimal_symbol(loc)}),
        percent_prefix=pattern.prefix[0],
        percent_suffix=pattern.suffix[0],
    )


def _grouped(value: Decimal | int, decimals: int) -> str:
    """'1,234.5' in neutral symbols: half-up rounding, trailing zeros dropped."""
    if isinstance(value, int) or decimals == 0:
        whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"{int(whole):,}"
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_percent_value(percent: Decimal | float | int, decimals: int = 2) -> str:
    """Format a value already in percent (82.5 → '82,5%' in vi), dropping trailing zeros."""
    style = number_style(_language.get())
    value = percent if isinstance(percent, int | Decimal) else Decimal(str(percent))
    text = _grouped(value, decimals).translate(style.table)
    return f"{style.percent_prefix}{text}{style.percent_suffix}"


def fmt_rate(numerator: int, denominator: int, decimals: int = 2) -> str:
    """Format numerator/denominator as a percent with up to `decimals` decimals."""
    value = rate_percent(numerator, denominator, decimals)
    if value is None:
        return "—"
    return fmt_percent_value(value, decimals)


def fmt_number(value: int | Decimal, decimals: int = 3) -> str:
    """Format a number with the locale's grouping (vi: 1.234; 2,5)."""
    return _grouped(value, decimals).translate(number_style(_language.get()).table)


def fmt_points(value: Decimal) -> str:
    """Signed percentage-point change, e.g. '+3,25'."""
    text = fmt_number(abs(value), 2)
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


def fmt_date(value: dt.date) -> str:
    """Short numeric date, day first in every language: vi and en 22/06/2026."""
    return _date_text(value, _language.get())


@lru_cache(maxsize=4096)
def _date_text(value: dt.date, language: str) -> str:
    """Babel date text, memoised (the same few period dates are shown all day)."""
    return _babel_format_date(value, "dd/MM/yyyy", locale=babel_locale(language))


def fmt_datetime(value: dt.datetime) -> str:
    """Local date and time in the display zone: vi '15:00 22/06/2026'."""
    local = value.astimezone(current_timezone())
    return _datetime_text(local, _language.get())


@lru_cache(maxsize=4096)
def _datetime_text(local: dt.datetime, language: str) -> str:
    """Babel time and date text for a local datetime, memoised."""
    time_text = _babel_format_time(local, "HH:mm", locale=babel_locale(language))
    return f"{time_text} {_date_text(local.date(), language)}"
