"""The console demo's database, built once per version of what builds it and then copied.

Building the demo (migrating a new SQLite file, reading the June 2026 table and the five
letters, evaluating warnings) takes about a second; its result depends only on the code, the
packaged data, the catalogs, the library versions and the settings. The first `console --demo`
saves the built file under a key hashing all of them; the next ones copy it. A changed input
gives another key: that run builds afresh, saves under the new key and removes the old file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import sys
from pathlib import Path

from bot.core.config import Settings

logger = logging.getLogger(__name__)

# Raise when the way the cache is written or read changes.
CACHE_FORMAT = 1
ROOT = Path(__file__).resolve().parent.parent
# What the demo database is built from: the code (bot, handlers, jobs: migrations, the import,
# warnings, letters), the packaged table and letters, and the catalogs (texts stored in rows).
SOURCES = ("bot", "handlers", "jobs", "locale")
SUFFIXES = {".py", ".tsv", ".txt", ".md", ".po", ".json", ".csv", ".docx", ".pdf", ".ini"}


def cache_dir() -> Path:
    """Where built demo databases are kept: $XDG_CACHE_HOME/kyso-bot, else ~/.cache/kyso-bot."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kyso-bot"


def _libraries() -> str:
    """The versions of the libraries that shape the stored rows (already imported here)."""
    import babel
    import pydantic
    import sqlalchemy
    import sqlmodel

    return f"sqlalchemy={sqlalchemy.__version__} sqlmodel={sqlmodel.__version__} " + (
        f"pydantic={pydantic.VERSION} babel={babel.__version__} sqlite={sqlite3.sqlite_version}"
    )


def _source_files(root: Path) -> list[Path]:
    """The files of SOURCES under `root` that the key covers, in a stable order."""
    found: list[Path] = []
    for folder in SOURCES:
        for where, dirs, files in os.walk(root / folder):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            found.extend(Path(where, f) for f in files if Path(f).suffix in SUFFIXES)
    return sorted(found)


def demo_key(settings: Settings, *, root: Path = ROOT) -> str:
    """A hash of every input of the demo database: source and data files, library versions,
    the settings (all but the database's address, which is the copy's)."""
    digest = hashlib.sha256(f"kyso-demo/{CACHE_FORMAT}/{sys.version}/{_libraries()}".encode())
    for path in _source_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update(settings.model_dump_json(exclude={"database_url"}).encode())
    return digest.hexdigest()[:32]


def restore(target: Path, key: str, *, folder: Path) -> dt.datetime | None:
    """Copy the saved demo database for `key` to `target` (a new file); returns the demo
    clock's start, or None when nothing usable is saved (the caller builds it)."""
    database, meta = folder / f"demo-{key}.db", folder / f"demo-{key}.json"
    try:
        start = dt.datetime.fromisoformat(json.loads(meta.read_text("utf-8"))["clock"])
        shutil.copyfile(database, target)
    except (OSError, ValueError, KeyError, TypeError):
        target.unlink(missing_ok=True)
        return None
    if start.tzinfo is None:
        target.unlink(missing_ok=True)
        return None
    logger.info("Demo database copied from %s", database)
    return start


def save(source: Path, key: str, clock: dt.datetime, *, folder: Path) -> None:
    """Save a built demo database (a consistent copy, taken with SQLite's backup) for `key` and
    remove the ones saved for other keys; a folder that cannot be written is only logged."""
    database, meta = folder / f"demo-{key}.db", folder / f"demo-{key}.json"
    partial = folder / f".demo-{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        finally:
            src.close()
            dst.close()
        meta.write_text(json.dumps({"clock": clock.isoformat()}), "utf-8")
        os.replace(partial, database)  # last: a database without its clock is never read
        for old in folder.glob("demo-*"):
            if old.stem != f"demo-{key}":
                old.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        logger.info("Demo database not saved in %s: %s", folder, exc)
