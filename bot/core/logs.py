"""Logging: per-update context (update, user, unit), JSON or text lines, secrets scrubbed."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# The current update's identifiers: one fresh dict per update (the unit is added once known).
_CONTEXT: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "kyso_log_context", default=None
)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "", None, None)).keys()
    | {"message", "asctime", "taskName"}
)


@dataclass(frozen=True)
class Bound:
    """Token to undo `bind_update`."""

    token: contextvars.Token[dict[str, int] | None]


def bind_update(update_id: int | None, user_id: int | None, chat_id: int | None) -> Bound:
    """Tag log lines with this update until `unbind` (the unit is set once it is known)."""
    fields = {"update_id": update_id, "user_id": user_id, "chat_id": chat_id}
    return Bound(_CONTEXT.set({k: v for k, v in fields.items() if v is not None}))


def unbind(bound: Bound) -> None:
    """Restore the context that was current before `bind_update`."""
    _CONTEXT.reset(bound.token)


def set_unit(unit_id: int | None) -> None:
    """The sender's unit, once the middleware has looked it up."""
    fields = _CONTEXT.get()
    if fields is not None and unit_id is not None:
        fields["unit_id"] = unit_id


def context_fields() -> dict[str, int]:
    """The current update's identifiers that are known."""
    return _CONTEXT.get() or {}


def _scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret in a rendered line."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "<secret>")
    return text


# One encoder for every line (json.dumps with any option builds a new encoder per call).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_PLAIN = (int, float, bool, type(None))  # extras written as they are; anything else as str


def iso_milliseconds(created: float) -> str:
    """A record's time as ISO 8601 in UTC, to the millisecond ('2026-06-26T01:00:01.234+00:00')."""
    return dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, the update's ids, extras, exc."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        """Remember what to scrub from every line."""
        super().__init__()
        self.secrets = tuple(secrets)
        self._second = -1
        self._stamp = ""

    def timestamp(self, created: float) -> str:
        """`iso_milliseconds(created)`, its date and time formatted once a second."""
        second = int(created)
        micro = round((created - second) * 1_000_000)  # as datetime rounds it
        if second < 0 or micro >= 1_000_000:
            return iso_milliseconds(created)
        if second != self._second:
            self._second, self._stamp = second, iso_milliseconds(second)[:19]
        return f"{self._stamp}.{micro // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one line of JSON."""
        entry: dict[str, Any] = {
            "ts": self.timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(context_fields())
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, _PLAIN) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return _scrub(_ENCODE(entry), self.secrets)


class TextFormatter(logging.Formatter):
    """'time LEVEL logger: message [update=… user=… unit=…]' for a console."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        """The classic layout, plus what to scrub."""
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = tuple(secrets)
        self._second = -1
        self._stamp = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The default layout ('2026-06-26 08:00:01,234'), its seconds formatted once a second."""
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime(self.default_time_format, self.converter(record.created))
        return f"{self._stamp},{int(record.msecs):03d}"  # logging's default_msec_format

    def format(self, record: logging.LogRecord) -> str:
        """Render the record, with the update's ids appended when known."""
        line = super().format(record)
        fields = context_fields()
        if fields:
            tags = " ".join(f"{key.removesuffix('_id')}={value}" for key, value in fields.items())
            first, sep, rest = line.partition("\n")
            line = f"{first} [{tags}]{sep}{rest}"
        return _scrub(line, self.secrets)


def make_formatter(log_format: str, secrets: Iterable[str] = ()) -> logging.Formatter:
    """The formatter for LOG_FORMAT."""
    if log_format == "json":
        return JsonFormatter(secrets)
    return TextFormatter(secrets)
