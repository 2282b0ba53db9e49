"""The floor of bench/startup.py: the least bot that answers `/tyle` from the same database.

Run by bench/startup.py exactly as it runs `python -m bot run` (same environment: the token,
TELEGRAM_API_BASE_URL of the fake Bot API, DATABASE_URL). The libraries kyso-bot cannot start
without (python-telegram-bot with httpx, SQLAlchemy with SQLModel), one SQLModel table on the
same file, an Application long-polling the fake API, and one handler answering `/tyle NAME`
with one SELECT. What `bot run` spends beyond this process is kyso-bot's own start-up.
"""

from __future__ import annotations

import argparse
import os

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, create_engine, select
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes


class Unit(SQLModel, table=True):
    """The `unit` table, the columns the answer reads."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str


def answer(engine: Engine, words: list[str]) -> str:
    """One SELECT: the first unit whose key holds the words."""
    with Session(engine) as session:
        query = select(Unit).where(col(Unit.name_key).contains(" ".join(words))).limit(1)
        unit = session.exec(query).first()
    return unit.name if unit is not None else "?"


def main() -> None:
    """Build, poll, answer until SIGINT (settings from the environment, as bench/startup.py
    passes them)."""
    argparse.ArgumentParser(description="The floor of bench/startup.py (run by it).").parse_args()
    engine = create_engine(os.environ["DATABASE_URL"])
    base = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")

    async def tyle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(answer(engine, list(context.args or [])))

    app = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base + "/bot")
        .base_file_url(base + "/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("tyle", tyle))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
