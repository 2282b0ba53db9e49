"""Domain events other features react to in the same transaction (e.g. warnings after import)."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from sqlmodel import Session

if TYPE_CHECKING:
    from bot.imports.apply import ImportResult

logger = logging.getLogger(__name__)

# "module:function" names, each called as fn(session=..., result=ImportResult) after an import is
# written and before it is committed: whatever they enqueue commits (or rolls back) with it.
AFTER_IMPORT: tuple[str, ...] = (
    "bot.deadlines.lifecycle:after_import",
    "bot.alerts.evaluate:after_import",
)


def run_after_import(*, session: Session, result: ImportResult) -> None:
    """Call every after-import listener in the import's transaction."""
    for target in AFTER_IMPORT:
        module_name, _sep, func_name = target.partition(":")
        listener = getattr(importlib.import_module(module_name), func_name)
        listener(session=session, result=result)
