"""Long lists that fit a phone screen: pages with ◀️/▶️ buttons and the whole list as a file.

A feature registers a `ListingSource` under a short kind; its command calls `send_listing`.
The page shown and the person it was shown to travel in the callback data
('pg:<kind>:<owner>:<page>' or 'pg:<kind>:<owner>:f'), never in memory: a press after a restart
works, and a press by anyone but that person is refused.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.core.i18n import _, fmt_number
from handlers.commands import Audience, audience_of, refusal_text
from handlers.common import private_only
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

PAGE_LINES = 12
CALLBACK_PREFIX = "pg"
_DATA = re.compile(rf"^{CALLBACK_PREFIX}:([a-z_]{{1,20}}):(\d{{1,20}}):(\d{{1,6}}|f)$")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Section:
    """A heading (HTML) and its item lines (HTML, one per item)."""

    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Listing:
    """A long list in sections, and the name of the file that holds it whole."""

    sections: list[Section]
    file_name: str

    @property
    def items(self) -> list[tuple[int, str]]:
        """(section index, line) for every item, in order."""
        return [(i, line) for i, s in enumerate(self.sections) for line in s.lines]

    def page_count(self) -> int:
        """How many pages of PAGE_LINES items."""
        return max(1, -(-len(self.items) // PAGE_LINES))

    def page_text(self, page: int) -> str:
        """The page's items under the headings of the sections they belong to."""
        chunk = self.items[page * PAGE_LINES : (page + 1) * PAGE_LINES]
        lines: list[str] = []
        shown: int | None = None
        for index, line in chunk:
            if index != shown:
                if lines:
                    lines.append("")
                lines.append(self.sections[index].heading)
                shown = index
            lines.append(line)
        return "\n".join(lines)

    def plain_text(self) -> str:
        """The whole list as plain text, for the file."""
        blocks = []
        for section in self.sections:
            rows = [section.heading, *section.lines]
            blocks.append("\n".join(html.unescape(_TAG.sub("", row)) for row in rows))
        return "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class ListingSource:
    """Who may read a kind of list, and how to build it (None: nothing to list)."""

    allowed: frozenset[Audience]
    build: Callable[[BotContext], Listing | None]
    private: bool = False  # contact data: shown in a private chat only


def add_listing(app: KysoApp, kind: str, source: ListingSource) -> None:
    """Make a kind of list known to the page buttons."""
    app.bot_data.listings[kind] = source


def _keyboard(kind: str, owner: int, page: int, pages: int) -> InlineKeyboardMarkup:
    """◀️ ▶️ and the whole list as a file."""
    base = f"{CALLBACK_PREFIX}:{kind}:{owner}"
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(_("◀️ Back"), callback_data=f"{base}:{page - 1}"))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(_("Next ▶️"), callback_data=f"{base}:{page + 1}"))
    whole = InlineKeyboardButton(_("📄 Whole list as a file"), callback_data=f"{base}:f")
    return InlineKeyboardMarkup([row, [whole]])


def _page(listing: Listing, page: int, pages: int) -> str:
    """One page and where it is in the list."""
    where = _("Page {page} of {pages}").format(page=fmt_number(page + 1), pages=fmt_number(pages))
    return f"{listing.page_text(page)}\n\n<i>{where}</i>"


async def send_listing(update: Update, context: BotContext, kind: str, listing: Listing) -> None:
    """Reply with the first page (with buttons when there are more), or the whole short list."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    pages = listing.page_count()
    if pages == 1:
        await message.reply_text(listing.page_text(0))
        return
    await message.reply_text(
        _page(listing, 0, pages), reply_markup=_keyboard(kind, user.id, 0, pages)
    )


async def page_button(update: Update, context: BotContext) -> None:
    """A page or file button: only for the person the list was shown to, and only if allowed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _DATA.match(query.data)
    source = context.bot_data.listings.get(match.group(1)) if match else None
    if match is None or source is None:
        await query.answer()
        return
    kind, owner, where = match.group(1), int(match.group(2)), match.group(3)
    if query.from_user.id != owner:
        logger.info("Refused a %s page button of %s to %s", kind, owner, query.from_user.id)
        await query.answer(_("These buttons belong to the person who asked."), show_alert=True)
        return
    if audience_of(context.viewer) not in source.allowed:
        await query.answer(refusal_text(), show_alert=True)
        return
    if source.private and not await private_only(update):
        return
    listing = source.build(context)
    if listing is None:
        await query.answer(_("The list is empty now."), show_alert=True)
        return
    await query.answer()
    if where == "f":
        data = listing.plain_text().encode("utf-8")
        await context.bot.send_document(  # to the presser's own chat, whatever the button's
            owner, InputFile(io.BytesIO(data), filename=listing.file_name)
        )
        return
    pages = listing.page_count()
    page = min(int(where), pages - 1)
    await query.edit_message_text(
        _page(listing, page, pages), reply_markup=_keyboard(kind, owner, page, pages)
    )


def register(app: KysoApp) -> None:
    """The page and file buttons of every registered list."""
    app.add_handler(CallbackQueryHandler(page_button, pattern=rf"^{CALLBACK_PREFIX}:"))
