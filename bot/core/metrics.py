"""Prometheus metrics of one Application: its own registry, nothing global, nothing at import."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.core.outbox import Backlog

logger = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Handler latency buckets: the hot path takes ~0.5 ms, an import several seconds.
LATENCY_BUCKETS = (
    0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0,
)  # fmt: skip

# SenderStats attribute → `result` label of kyso_outbox_sends_total.
SEND_RESULTS = (
    ("sent", "sent"),
    ("retried", "retry"),
    ("failed", "failed"),
    ("unreachable", "unreachable"),
)


class SenderCounts(Protocol):
    """What the outbox sender counts since start (jobs.outbox.SenderStats)."""

    sent: int
    retried: int
    failed: int
    unreachable: int
    flood_waits: int


class Metrics:
    """Counters and histograms the bot updates, plus values read at scrape time."""

    def __init__(self) -> None:
        """A fresh registry with the process collectors and the bot's metrics."""
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.updates = Counter(
            "kyso_updates",
            "Telegram updates handled, by kind and command.",
            ["kind", "command"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kyso_update_duration_seconds",
            "Time to handle one update, middleware and replies included.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "kyso_handler_errors",
            "Updates whose handler raised an unexpected error.",
            registry=self.registry,
        )
        self.reply_flood_waits = 0  # read at scrape time with the outbox's 429s
        self.webhook_requests = Counter(
            "kyso_webhook_requests",
            "Requests to the webhook path, by result.",
            ["result"],
            registry=self.registry,
        )
        self._update_counts: dict[tuple[str, str], Counter] = {}
        self._backlog: Callable[[], Backlog] | None = None
        self._sender: Callable[[], SenderCounts | None] | None = None
        self.registry.register(_ScrapeTime(self))

    def bind(
        self,
        *,
        backlog: Callable[[], Backlog] | None = None,
        sender: Callable[[], SenderCounts | None] | None = None,
    ) -> None:
        """Where scrape-time values come from: the outbox backlog and the sender's counts."""
        if backlog is not None:
            self._backlog = backlog
        if sender is not None:
            self._sender = sender

    def observe_update(self, kind: str, command: str, seconds: float) -> None:
        """One update handled."""
        counter = self._update_counts.get((kind, command))
        if counter is None:  # the labels' child, found once (kinds and commands are few)
            counter = self._update_counts[kind, command] = self.updates.labels(kind, command)
        counter.inc()
        self.latency.observe(seconds)

    def note_reply_flood_wait(self) -> None:
        """A direct reply was refused with 429 Too Many Requests."""
        self.reply_flood_waits += 1

    def render(self) -> bytes:
        """The text exposition format (runs the scrape-time queries)."""
        return generate_latest(self.registry)


class _ScrapeTime(Collector):
    """Outbox backlog, database reachability and the sender's counts, read when scraped."""

    def __init__(self, metrics: Metrics) -> None:
        """Read through the owning Metrics' bindings."""
        self.metrics = metrics

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        """Yield the current values."""
        yield from self._outbox()
        yield from self._sends()

    def _outbox(self) -> Iterator[GaugeMetricFamily]:
        """kyso_outbox_pending, kyso_outbox_oldest_pending_age_seconds, kyso_database_up."""
        if self.metrics._backlog is None:
            return
        up = GaugeMetricFamily("kyso_database_up", "1 if the database answered the last scrape.")
        try:
            backlog = self.metrics._backlog()
        except Exception:
            logger.warning("Metrics: the database did not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        pending = GaugeMetricFamily("kyso_outbox_pending", "Outbox messages waiting to be sent.")
        pending.add_metric([], backlog.pending)
        yield pending
        age = GaugeMetricFamily(
            "kyso_outbox_oldest_pending_age_seconds",
            "How long the oldest due outbox message has waited (0 when none is overdue).",
        )
        age.add_metric([], pending_age(backlog))
        yield age

    def _sends(self) -> Iterator[CounterMetricFamily]:
        """kyso_outbox_sends_total by result and kyso_telegram_429_total by source."""
        stats = self.metrics._sender() if self.metrics._sender is not None else None
        floods = CounterMetricFamily(
            "kyso_telegram_429",
            "Bot API calls refused with 429 Too Many Requests, by source, since start.",
            labels=["source"],
        )
        floods.add_metric(["reply"], self.metrics.reply_flood_waits)
        if stats is not None:
            sends = CounterMetricFamily(
                "kyso_outbox_sends",
                "Outbox send attempts by result, since start.",
                labels=["result"],
            )
            for attribute, label in SEND_RESULTS:
                sends.add_metric([label], getattr(stats, attribute))
            yield sends
            floods.add_metric(["outbox"], stats.flood_waits)
        yield floods


def pending_age(backlog: Backlog, now: dt.datetime | None = None) -> float:
    """Seconds the oldest due pending message has waited (0 if nothing is overdue)."""
    if backlog.oldest_due is None:
        return 0.0
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (now - backlog.oldest_due).total_seconds())
