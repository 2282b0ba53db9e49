"""A configuration error as one line in one language: pydantic's error types in our own words.

pydantic words its errors in English ("Input should be a valid number"); each error type, ours
(bot.core.config.invalid) and pydantic's, gets a translated sentence here instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.i18n import _, fmt_number, normalize_language, use_language

# Settings whose value is never shown.
_SECRET_FIELDS = frozenset({"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET"})
_MAX_SHOWN = 60

Reason = Callable[[Mapping[str, Any]], str]


def _num(value: object) -> str:
    """A bound from pydantic's context in the reader's format (1.000 in vi)."""
    if isinstance(value, int | float) and float(value).is_integer():
        return fmt_number(int(value))
    return str(value)


# Each reason continues "“value” …" or "the value …": a predicate, no final full stop.
_REASONS: dict[str, Reason] = {
    # pydantic's own types
    "missing": lambda c: _("is required"),
    "float_parsing": lambda c: _("must be a number"),
    "float_type": lambda c: _("must be a number"),
    "finite_number": lambda c: _("must be a finite number"),
    "int_parsing": lambda c: _("must be a whole number"),
    "int_type": lambda c: _("must be a whole number"),
    "int_from_float": lambda c: _("must be a whole number"),
    "int_parsing_size": lambda c: _("is too large"),
    "greater_than": lambda c: _("must be greater than {limit}").format(limit=_num(c["gt"])),
    "greater_than_equal": lambda c: _("must be at least {limit}").format(limit=_num(c["ge"])),
    "less_than": lambda c: _("must be less than {limit}").format(limit=_num(c["lt"])),
    "less_than_equal": lambda c: _("must be at most {limit}").format(limit=_num(c["le"])),
    "string_type": lambda c: _("must be text"),
    "bool_parsing": lambda c: _("must be true or false"),
    "time_parsing": lambda c: _("must be a time of day such as 08:00"),
    "time_type": lambda c: _("must be a time of day such as 08:00"),
    # ours (bot.core.config)
    "database_url": lambda c: _(
        "must be a database address such as sqlite:///var/kyso.db or "
        "postgresql://user:password@host:5432/kyso"
    ),
    "api_base_url": lambda c: _(
        "must be the address of a Bot API server such as http://127.0.0.1:8081 "
        "(http or https, a host, no token)"
    ),
    "telegram_id": lambda c: _(
        "contains “{item}”, which is not a Telegram user id (write numeric ids separated by commas)"
    ).format(item=_shown(str(c.get("item", "")))),
    "bot_username": lambda c: _("may contain only letters, digits and underscores"),
    "weekday": lambda c: _("must be one of mon, tue, wed, thu, fri, sat, sun or off"),
    "clock_time": lambda c: _("must be a time of day such as 08:00"),
    "time_of_day": lambda c: _("must be a time of day such as 08:00"),
    "schedule": lambda c: _(
        "must be days and a time such as “mon 08:00”, “mon,thu 07:30” or “daily 08:00”, or off"
    ),
    "repeat_interval": lambda c: _("must be a duration of at least 1 hour such as 7d, 36h or 90m"),
    "webhook_url": lambda c: _("must be an https:// address"),
    "webhook_secret": lambda c: _("must be 1–256 characters from A-Z, a-z, 0-9, _ and -"),
    "log_format": lambda c: _("must be text or json"),
    "log_level": lambda c: _("must be DEBUG, INFO, WARNING or ERROR"),
    "time_zone": lambda c: _("must be a time zone name such as Asia/Ho_Chi_Minh"),
    "language": lambda c: _("must be one of {choices}").format(choices=c.get("choices", "")),
}


def _shown(text: str) -> str:
    """A value as quoted in the message: one line, not too long."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def reason(error: Mapping[str, Any]) -> str:
    """The translated predicate for one pydantic error (a generic one for unknown types)."""
    render = _REASONS.get(str(error.get("type")))
    if render is None:
        return _("is not valid")
    return render(error.get("ctx") or {})


def _field(error: Mapping[str, Any]) -> str:
    """The setting's name as the operator writes it (the alias)."""
    return ".".join(str(part) for part in error.get("loc", ())) or "?"


def _value(field: str, error: Mapping[str, Any]) -> str | None:
    """The offending value as it may be shown, or None (secrets, passwords, missing values)."""
    value = error.get("input")
    if field in _SECRET_FIELDS or value is None or isinstance(value, dict):
        return None
    text = str(value)
    if field == "DATABASE_URL":
        from bot.core.db import hide_password

        text = hide_password(text)
    elif field.endswith("_URL"):
        text = _hide_url_secrets(text)
    return _shown(text)


_TOKEN_IN_PATH = re.compile(r"/bot\d+:[^/]*", re.IGNORECASE)


def _hide_url_secrets(url: str) -> str:
    """A URL as it may be shown: no user:password@ and no /bot<token> in its path."""
    if "@" in url:
        scheme, sep, rest = url.partition("://")
        head = rest.split("/", 1)
        if "@" in head[0]:
            head[0] = "…@" + head[0].rsplit("@", 1)[1]
            url = scheme + sep + "/".join(head) if sep else "/".join(head)
    return _TOKEN_IN_PATH.sub("/bot…", url)


def describe(exc: ValidationError) -> str:
    """One line for the first problem, naming the setting, the value and what it must be."""
    error = exc.errors(include_url=False)[0]
    field = _field(error)
    value = _value(field, error)
    with use_language(_language()):
        if value is None:
            return _("Configuration error in {field}: the value {reason}.").format(
                field=field, reason=reason(error)
            )
        return _("Configuration error in {field}: “{value}” {reason}.").format(
            field=field, value=value, reason=reason(error)
        )


class _LanguageOnly(BaseSettings):
    """DEFAULT_LANGUAGE read from the same places as Settings, whatever else is wrong."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    default_language: str = Field(default="vi", alias="DEFAULT_LANGUAGE")


def _language() -> str:
    """DEFAULT_LANGUAGE (environment or .env) when it is itself valid, else Vietnamese."""
    try:
        chosen = _LanguageOnly().default_language
    except ValidationError:
        chosen = ""
    return normalize_language(chosen.strip()) or "vi"
