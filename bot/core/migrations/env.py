"""Alembic environment: runs on the connection bot.core.migrate passes, or on DATABASE_URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection
from sqlmodel.sql.sqltypes import AutoString

from bot.core.migrate import include_object, metadata
from bot.core.models import UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write plain SQLAlchemy types into revisions, so they never import the models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def run(connection: Connection) -> None:
    """Configure the context on a connection and run the pending revisions."""
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=True,  # SQLite alters tables by rebuilding them
        compare_type=True,
        render_item=render_item,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Entry point Alembic calls."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    from bot.core.config import Settings
    from bot.core.db import create_db_engine

    engine = create_db_engine(Settings().database_url)
    try:
        with engine.begin() as conn:
            run(conn)
    finally:
        engine.dispose()


main()
