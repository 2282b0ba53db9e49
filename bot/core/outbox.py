"""The durable outbox: every push is a row with a unique dedupe key, sent by one sender loop.

Enqueue in the same transaction as the event that causes the push; a second enqueue of the same
key is a no-op. The sender claims due rows (status pending → sending), sends, and records the
outcome. Delivery is at-least-once: a crash between Telegram accepting a message and the row
being marked sent repeats at most the messages that were in flight at that moment.

The code lives in three modules, re-exported here so that callers keep `from bot.core import
outbox` and `outbox.enqueue_many(...)`: outbox_push (enqueueing, dedupe keys, attachments, the
wake-up on commit, quiet hours), outbox_marks (claiming, recording outcomes, recovery) and
outbox_queries (the backlog and other read-only questions).
"""

from __future__ import annotations

from bot.core.outbox_marks import (
    Claimed,
    claim_due,
    claim_worker,
    mark_failed,
    mark_reachable,
    mark_retry,
    mark_sent,
    mark_unreachable,
    recover_orphans,
    recover_stale,
    redirect_chat,
    release,
)
from bot.core.outbox_push import (
    MAX_CAPTION,
    MAX_TEXT,
    PRIORITY_BROADCAST,
    PRIORITY_REMINDER,
    PRIORITY_SUMMARY,
    PRIORITY_URGENT,
    PRIORITY_WARNING,
    Push,
    QuietHours,
    attachment_data,
    enqueue,
    enqueue_many,
    prune_attachments,
    split_text,
    wake_on_commit,
)
from bot.core.outbox_queries import (
    Backlog,
    backlog,
    pending_for,
    status_counts,
)

__all__ = [
    "MAX_CAPTION",
    "MAX_TEXT",
    "PRIORITY_BROADCAST",
    "PRIORITY_REMINDER",
    "PRIORITY_SUMMARY",
    "PRIORITY_URGENT",
    "PRIORITY_WARNING",
    "Backlog",
    "Claimed",
    "Push",
    "QuietHours",
    "attachment_data",
    "backlog",
    "claim_due",
    "claim_worker",
    "enqueue",
    "enqueue_many",
    "mark_failed",
    "mark_reachable",
    "mark_retry",
    "mark_sent",
    "mark_unreachable",
    "pending_for",
    "prune_attachments",
    "recover_orphans",
    "recover_stale",
    "redirect_chat",
    "release",
    "split_text",
    "status_counts",
    "wake_on_commit",
]
