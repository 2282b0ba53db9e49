"""Logging: per-update context (update, user, unit), JSON or text lines, secrets scrubbed."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import threading
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


def record_fields(record: logging.LogRecord) -> dict[str, int]:
    """The update's identifiers of a record: kept on it when it was logged (a batched line,
    BatchingHandler) or the current ones."""
    kept: dict[str, int] | None = record.__dict__.get("_context")
    return kept if kept is not None else context_fields()


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
        entry.update(record_fields(record))
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
        fields = record_fields(record)
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


class BatchingHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A StreamHandler that writes INFO and DEBUG lines in batches, at most `delay` seconds
    after the first of them (at once past `lines` lines); a WARNING or worse is written at
    once, after everything before it; all of it at exit (logging.shutdown flushes).

    Formatting and writing a line per update (the "Handled update" line) cost a lone webhook
    update ~0.4 ms of CPU on a 2-core VM, cold code and a system call after each wake-up; a
    batch is formatted and written in one go. The trade-off is nginx's `access_log … buffer=
    flush=`: a killed process (SIGKILL, out of memory) loses at most `delay` seconds of INFO
    lines; `LOG_FLUSH_SECONDS=0` writes every line at once. A waiting record keeps its message
    (arguments applied) and the update's identifiers as they were when it was logged."""

    def __init__(self, stream: Any = None, *, delay: float = 1.0, lines: int = 1000) -> None:
        """Nothing waits; the flusher thread starts with the first line that waits."""
        super().__init__(stream)
        self.delay, self.lines = delay, lines
        self._records: list[logging.LogRecord] = []
        self._due = threading.Event()  # set: a line waits for the flusher
        self._stopping = threading.Event()
        self._flusher: threading.Thread | None = None

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record (its message and context fixed now), or write it now."""
        records = self._records  # logging holds the handler's lock around emit()
        if (
            record.levelno >= logging.WARNING
            or record.exc_info
            or record.stack_info
            or self.delay <= 0
        ):
            records.append(record)
            self._write()
            return
        try:
            record.msg, record.args = record.getMessage(), None  # as QueueHandler.prepare
        except Exception:
            self.handleError(record)
            return
        record._context = dict(context_fields())
        records.append(record)
        if len(records) >= self.lines:
            self._write()
        elif len(records) == 1:
            if self._flusher is not None and not self._flusher.is_alive():
                self._write()  # a forked child, or after close(): no flusher to wait for
            elif self._flusher is None:
                self._flusher = threading.Thread(
                    target=self._flush_later, name="log-flusher", daemon=True
                )
                self._flusher.start()
            self._due.set()

    def _write(self) -> None:
        """Everything waiting, formatted and written at once (the caller holds the lock)."""
        if not self._records:
            return
        records, self._records = self._records, []
        text = []
        for record in records:
            try:
                text.append(self.format(record) + self.terminator)
            except Exception:
                self.handleError(record)
        try:
            self.stream.write("".join(text))
            self.stream.flush()
        except Exception:
            self.handleError(records[-1])

    def flush(self) -> None:
        """Write what waits now."""
        with self.lock:  # type: ignore[union-attr]
            self._write()
            super().flush()

    def close(self) -> None:
        """Write what waits, stop the flusher."""
        self.flush()
        self._stopping.set()
        self._due.set()
        super().close()

    def _flush_later(self) -> None:
        """The flusher thread: `delay` seconds after a line starts waiting, write the batch."""
        while True:
            self._due.wait()
            if self._stopping.wait(self.delay):
                return
            self._due.clear()
            self.flush()
