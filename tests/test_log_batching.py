"""The running bot's log lines: INFO written in batches, WARNING at once, nothing lost at exit."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import end_batched_logs, setup_logging
from bot.core.logs import BatchingHandler, TextFormatter, bind_update, unbind
from tests.conftest import make_settings

pytestmark = pytest.mark.sqlite_pass_only


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO, list[BatchingHandler]]]:
    """A logger of its own writing to a string, through the handlers the test adds."""
    logger = logging.getLogger("tests.batching")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    stream = io.StringIO()
    added: list[BatchingHandler] = []
    yield logger, stream, added
    for handler in added:
        logger.removeHandler(handler)
        handler.close()


def attach(
    log: tuple[logging.Logger, io.StringIO, list[BatchingHandler]], **kwargs: float
) -> BatchingHandler:
    """A BatchingHandler with the text format on the fixture's logger."""
    logger, stream, added = log
    handler = BatchingHandler(stream, **kwargs)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    added.append(handler)
    return handler


def test_info_lines_wait_and_a_warning_writes_them_first_in_order(
    log: tuple[logging.Logger, io.StringIO, list[BatchingHandler]],
) -> None:
    """Two handled updates wait; the warning that follows is written after them, at once."""
    logger, stream, _ = log
    attach(log, delay=60)
    logger.info("Handled update 1")
    logger.debug("a detail")
    assert stream.getvalue() == ""
    logger.warning("Webhook request refused")
    assert stream.getvalue().splitlines() == [
        "INFO Handled update 1",
        "DEBUG a detail",
        "WARNING Webhook request refused",
    ]


def test_waiting_lines_are_written_after_the_delay_with_no_more_logging(
    log: tuple[logging.Logger, io.StringIO, list[BatchingHandler]],
) -> None:
    """A quiet bot still shows its last lines: the flusher writes them after the delay."""
    logger, stream, _ = log
    attach(log, delay=0.05)
    for round_ in range(2):  # and again after a first batch
        logger.info("Handled update %d", round_)
        for _ in range(500):  # a bound, not a timing: 10 s at most
            if f"Handled update {round_}" in stream.getvalue():
                break
            time.sleep(0.02)
        assert stream.getvalue().splitlines()[-1] == f"INFO Handled update {round_}"


def test_a_full_batch_is_written_at_once_and_shutdown_writes_the_rest(
    log: tuple[logging.Logger, io.StringIO, list[BatchingHandler]],
) -> None:
    """At `lines` lines the batch goes out; at exit (logging.shutdown) what waits does."""
    logger, stream, _ = log
    handler = attach(log, delay=60, lines=4)
    for number in range(6):
        logger.info("line %d", number)
    assert [line.split()[2] for line in stream.getvalue().splitlines()] == list("0123")
    logging.shutdown([lambda: handler])  # as at exit, for this handler alone
    assert len(stream.getvalue().splitlines()) == 6


def test_the_running_bot_batches_unless_log_flush_seconds_is_zero(tmp_path: Path) -> None:
    """`run` batches (LOG_FLUSH_SECONDS, default 1); 0 writes each line at once, as the
    command-line tools always do; the format and the scrubbing are the same."""
    root = logging.getLogger()  # tests/conftest.py puts it back after the test
    root.handlers[:] = []
    setup_logging(make_settings(tmp_path), batched=True)
    (handler,) = root.handlers
    assert isinstance(handler, BatchingHandler) and handler.delay == 1.0
    assert isinstance(handler.formatter, TextFormatter)
    handler.close()
    setup_logging(make_settings(tmp_path, LOG_FLUSH_SECONDS="0"), batched=True)
    assert type(root.handlers[0]) is logging.StreamHandler
    setup_logging(make_settings(tmp_path))
    assert type(root.handlers[0]) is logging.StreamHandler


def test_a_waiting_line_keeps_its_message_and_update_as_they_were_when_logged(
    log: tuple[logging.Logger, io.StringIO, list[BatchingHandler]],
) -> None:
    """Written later, in another thread, a line still names its own update and user, and the
    values it was logged with (not what they became)."""
    logger, stream, _ = log
    handler = attach(log, delay=60)
    handler.setFormatter(TextFormatter())
    units = ["Nam Tiền Hải"]
    bound = bind_update(77, 900123, 900123)
    logger.info("Handled update for %s", units)
    unbind(bound)
    units.append("Quang Lịch")
    bound = bind_update(78, 4242, 4242)  # another update is current when the batch is written
    handler.flush()
    unbind(bound)
    (line,) = stream.getvalue().splitlines()
    assert line.endswith("Handled update for ['Nam Tiền Hải'] [update=77 user=900123 chat=900123]")


def test_batching_ends_with_the_bot_and_never_outlives_its_handler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When `run` returns (or logging is set up again), the lines that wait are written, the
    flusher thread stops, and what is logged afterwards is written at once, to the same stream
    in the same format: no line is left to a thread writing later."""
    root = logging.getLogger()  # tests/conftest.py puts it back after the test
    root.handlers[:] = []
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging(make_settings(tmp_path), batched=True)
    (batching,) = root.handlers
    assert isinstance(batching, BatchingHandler)
    logging.getLogger("tests.ending").info("Handled update")
    assert stream.getvalue() == ""
    end_batched_logs()
    assert stream.getvalue().count("Handled update") == 1
    assert batching._flusher is not None
    batching._flusher.join(10)  # it ends on its own once told (a bound, not a timing)
    assert not batching._flusher.is_alive()
    (plain,) = root.handlers
    assert type(plain) is logging.StreamHandler and plain.formatter is batching.formatter
    logging.getLogger("tests.ending").info("Stopped")
    assert stream.getvalue().splitlines()[-1].endswith("INFO tests.ending: Stopped")
    setup_logging(make_settings(tmp_path), batched=True)
    first = root.handlers[0]
    logging.getLogger("tests.ending").info("again")
    setup_logging(make_settings(tmp_path), batched=True)  # replaces it: its line is written
    assert stream.getvalue().splitlines()[-1].endswith("INFO tests.ending: again")
    assert isinstance(first, BatchingHandler) and first._flusher is not None
    first._flusher.join(10)
    assert not first._flusher.is_alive()
    end_batched_logs()
