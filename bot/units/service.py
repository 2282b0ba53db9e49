"""Names bot/deadlines imports from the old unit service module (AREA_KIND, kind_label)."""

from __future__ import annotations

from bot.core.areas import AREA_KIND, kind_label

# kept for the rooms being split in parallel; removed when they are rewired
__all__ = ["AREA_KIND", "kind_label"]
