"""Unit names the deadlines room imports from here today.

Kept for the rooms being split in parallel; removed when they are rewired.
"""

from __future__ import annotations

from bot.units.kinds import AREA_KIND, kind_label

__all__ = ["AREA_KIND", "kind_label"]
