"""Telegram HTML: checking what the secretariat writes, and turning replies into plain text."""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

from bot.core.i18n import _

_TAG = re.compile(r"<[^>]+>")
# What stays as written: a whole tag, or an entity Telegram knows (the four named ones and
# numeric ones). Every other "<", ">" and "&" is text.
_KEPT = re.compile(
    r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?>|&(?:lt|gt|amp|quot|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});"
)

ALLOWED_TAGS = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "tg-spoiler": set(),
    "span": {"class"},
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
}


class _Checker(HTMLParser):
    """Collects problems: unknown tags, attributes, unbalanced nesting."""

    def __init__(self) -> None:
        """Start with an empty stack."""
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Opening tag."""
        if tag not in ALLOWED_TAGS:
            self.problems.append(_("tag <{tag}> is not allowed").format(tag=tag))
            return
        for name, value in attrs:
            if name not in ALLOWED_TAGS[tag]:
                self.problems.append(
                    _("attribute “{attr}” is not allowed on <{tag}>").format(attr=name, tag=tag)
                )
            if tag == "span" and name == "class" and value != "tg-spoiler":
                self.problems.append(_('only <span class="tg-spoiler"> is allowed'))
        if tag == "a" and not dict(attrs).get("href"):
            self.problems.append(_('a link <a> needs href="…"'))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        """Closing tag must match the innermost open one."""
        if tag not in ALLOWED_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(_("</{tag}> does not close the last opened tag").format(tag=tag))
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def html_problems(text: str) -> list[str]:
    """Problems that would make Telegram refuse the text (empty list if it is fine)."""
    checker = _Checker()
    for index, char in enumerate(text):
        if char == "<":
            rest = text[index + 1 : index + 2]
            if not rest or not (rest.isalpha() or rest == "/"):
                checker.problems.append(_("a bare “<” must be written as &lt;"))
                break
    checker.feed(text)
    checker.close()
    for tag in reversed(checker.stack):
        checker.problems.append(_("<{tag}> is never closed").format(tag=tag))
    return checker.problems


def escape_bare(text: str) -> str:
    """Escape every "<", ">" and "&" that is not part of a tag or an entity ("a < b & c" →
    "a &lt; b &amp; c"); tags stay tags (html_problems still checks them)."""
    out: list[str] = []
    position = 0
    for match in _KEPT.finditer(text):
        out.append(escape(text[position : match.start()], quote=False))
        out.append(match.group())
        position = match.end()
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def plain(text: str) -> str:
    """Telegram HTML as plain text (tags dropped, entities decoded) for terminals and pages."""
    return unescape(_TAG.sub("", text))
