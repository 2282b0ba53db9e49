"""Long lists that fit a phone screen: pages with ◀️/▶️ buttons and the whole list as a file.

A feature registers a `ListingSource` under a short kind; its command calls `send_listing`.
The page shown, the person it was shown to and the list's subject (a deadline's or an
announcement's id) travel in the callback data ('pg:<kind>:<owner>:<page>[:<subject>]', 'f' for
the file), never in memory: a press after a restart rebuilds the list from the database, and a
press by anyone but that person is refused.
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
from handlers.common import private_only, with_extra_buttons
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

PAGE_LINES = 12
CALLBACK_PREFIX = "pg"
_DATA = re.compile(
    rf"^{CALLBACK_PREFIX}:([a-z_]{{1,20}}):(\d{{1,20}}):(\d{{1,6}}|f)(?::(\d{{1,12}}))?$"
)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Section:
    """A heading (HTML) and its item lines (HTML, one per item), with an optional button per
    item (shown under the page that shows the item)."""

    heading: str
    lines: list[str] = field(default_factory=list)
    buttons: list[InlineKeyboardButton | None] = field(default_factory=list)


@dataclass(frozen=True)
class Listing:
    """A long list in sections, what stays above and below it on every page, and the file.

    `file_name` None: no text file (the list offers its own file in `rows`); `answer_buttons`:
    the buttons another feature puts under answers (the dashboard's) go under every page."""

    sections: list[Section]
    file_name: str | None
    header: str = ""
    footer: str = ""
    rows: list[list[InlineKeyboardButton]] = field(default_factory=list)
    page_lines: int = PAGE_LINES
    answer_buttons: bool = False

    @property
    def items(self) -> list[tuple[int, int]]:
        """(section index, line index) for every item, in order."""
        return [(i, n) for i, s in enumerate(self.sections) for n in range(len(s.lines))]

    def page_count(self) -> int:
        """How many pages of `page_lines` items."""
        return max(1, -(-len(self.items) // self.page_lines))

    def _chunk(self, page: int) -> list[tuple[int, int]]:
        """The items of one page."""
        return self.items[page * self.page_lines : (page + 1) * self.page_lines]

    def page_text(self, page: int) -> str:
        """The page's items under the headings of the sections they belong to."""
        lines: list[str] = []
        shown: int | None = None
        for index, n in self._chunk(page):
            if index != shown:
                if lines:
                    lines.append("")
                if self.sections[index].heading:
                    lines.append(self.sections[index].heading)
                shown = index
            lines.append(self.sections[index].lines[n])
        return "\n".join(lines)

    def page_buttons(self, page: int) -> list[list[InlineKeyboardButton]]:
        """The buttons of the items on one page, one per row."""
        rows = []
        for index, n in self._chunk(page):
            buttons = self.sections[index].buttons
            if n < len(buttons) and (button := buttons[n]) is not None:
                rows.append([button])
        return rows

    def render(self, page: int, pages: int) -> str:
        """Header, the page, where it is in the list (when there are pages), footer."""
        parts = [self.header] if self.header else []
        parts.append(self.page_text(page))
        if pages > 1:
            where = _("Page {page} of {pages}").format(
                page=fmt_number(page + 1), pages=fmt_number(pages)
            )
            parts.append(f"<i>{where}</i>")
        if self.footer:
            parts.append(self.footer)
        return "\n\n".join(part for part in parts if part)

    def plain_text(self) -> str:
        """The whole list as plain text, for the file."""
        blocks = [self.header] if self.header else []
        for section in self.sections:
            heading = [section.heading] if section.heading else []
            blocks.append("\n".join([*heading, *section.lines]))
        return "\n\n".join(html.unescape(_TAG.sub("", block)) for block in blocks) + "\n"


@dataclass(frozen=True)
class ListingSource:
    """Who may read a kind of list, and how to build it for a subject (None: nothing to list)."""

    allowed: frozenset[Audience]
    build: Callable[[BotContext, int | None], Listing | None]
    private: bool = False  # contact data: shown in a private chat only


def add_listing(app: KysoApp, kind: str, source: ListingSource) -> None:
    """Make a kind of list known to the page buttons."""
    app.bot_data.listings[kind] = source


def _keyboard(
    listing: Listing, where: tuple[str, int, int | None], page: int, pages: int
) -> InlineKeyboardMarkup | None:
    """The items' buttons, ◀️ ▶️, the whole list as a file, the list's own rows."""
    kind, owner, subject = where
    tail = "" if subject is None else f":{subject}"
    base = f"{CALLBACK_PREFIX}:{kind}:{owner}"
    rows = listing.page_buttons(page)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(_("◀️ Back"), callback_data=f"{base}:{page - 1}{tail}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(_("Next ▶️"), callback_data=f"{base}:{page + 1}{tail}"))
    if nav:
        rows.append(nav)
    if pages > 1 and listing.file_name is not None:
        whole = _("📄 Whole list as a file")
        rows.append([InlineKeyboardButton(whole, callback_data=f"{base}:f{tail}")])
    rows.extend(listing.rows)
    return InlineKeyboardMarkup(rows) if rows else None


async def send_listing(
    update: Update, context: BotContext, kind: str, listing: Listing, subject: int | None = None
) -> None:
    """Reply with the first page and its buttons (a short list: all of it, without ◀️/▶️)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    pages = listing.page_count()
    markup = _keyboard(listing, (kind, user.id, subject), 0, pages)
    if listing.answer_buttons:
        markup = with_extra_buttons(markup, update, context)
    await message.reply_text(listing.render(0, pages), reply_markup=markup)


async def page_button(update: Update, context: BotContext) -> None:
    """A page or file button: only for the person the list was shown to, and only if allowed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _DATA.match(query.data)
    source = context.bot_data.listings.get(match.group(1)) if match else None
    if match is None or source is None:  # a button of a list this version no longer has
        await query.answer(_("This list has expired: send the command again."), show_alert=True)
        return
    kind, owner, where = match.group(1), int(match.group(2)), match.group(3)
    subject = int(match.group(4)) if match.group(4) is not None else None
    if query.from_user.id != owner:
        logger.info("Refused a %s page button of %s to %s", kind, owner, query.from_user.id)
        await query.answer(_("These buttons belong to the person who asked."), show_alert=True)
        return
    if audience_of(context.viewer) not in source.allowed:
        await query.answer(refusal_text(), show_alert=True)
        return
    if source.private and not await private_only(update):
        return
    listing = source.build(context, subject)
    if listing is None:
        await query.answer(_("The list is empty now."), show_alert=True)
        return
    await query.answer()
    if where == "f":
        data = listing.plain_text().encode("utf-8")
        await context.bot.send_document(  # to the presser's own chat, whatever the button's
            owner, InputFile(io.BytesIO(data), filename=listing.file_name or "list.txt")
        )
        return
    await show_page(update, context, kind, listing, (owner, subject, int(where)))


async def show_page(
    update: Update,
    context: BotContext,
    kind: str,
    listing: Listing,
    place: tuple[int, int | None, int],
) -> None:
    """Edit the pressed message into one page of a list ((owner, subject, page))."""
    query = update.callback_query
    assert query is not None
    owner, subject, wanted = place
    pages = listing.page_count()
    page = max(0, min(wanted, pages - 1))
    markup = _keyboard(listing, (kind, owner, subject), page, pages)
    if listing.answer_buttons:
        markup = with_extra_buttons(markup, update, context)
    await query.edit_message_text(listing.render(page, pages), reply_markup=markup)


def register(app: KysoApp) -> None:
    """The page and file buttons of every registered list."""
    app.add_handler(CallbackQueryHandler(page_button, pattern=rf"^{CALLBACK_PREFIX}:"))
