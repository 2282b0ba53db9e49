"""Helpers for the documentation tests: Markdown files, GitHub heading slugs, the CLI's commands.

`python -m tests.docs_kit` prints the command-line reference that docs/cli.md is made from
(English help texts, from `bot.cli.build_parser`).
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

REPO = Path(__file__).resolve().parents[1]
MARKDOWN_ROOTS = ("docs", "bench", "deploy")


def markdown_files() -> list[Path]:
    """README.md and every Markdown file under docs/, bench/ and deploy/."""
    found = [REPO / "README.md"]
    for root in MARKDOWN_ROOTS:
        found += sorted((REPO / root).rglob("*.md"))
    return found


def parse(path: Path) -> list[Token]:
    """Block tokens of a Markdown file (CommonMark plus GitHub tables)."""
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def plain_text(inline: Token) -> str:
    """The visible text of an inline token (code spans and link texts included)."""
    return "".join(
        child.content for child in inline.children or [] if child.type in ("text", "code_inline")
    )


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → hyphens."""
    kept = []
    for ch in text.strip().lower():
        category = unicodedata.category(ch)
        if ch in " -" or ch == "_" or category[0] in ("L", "M", "N"):
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, with GitHub's -1, -2 for repeated headings."""
    tokens = parse(path)
    seen: dict[str, int] = {}
    found = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        slug = github_slug(plain_text(tokens[i + 1]))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def links(tokens: list[Token]) -> Iterator[tuple[str, int]]:
    """(target, line) of every link and image."""
    for token in tokens:
        line = (token.map or [0])[0] + 1
        for child in token.children or []:
            if child.type == "link_open":
                yield str(child.attrGet("href") or ""), line
            elif child.type == "image":
                yield str(child.attrGet("src") or ""), line


def unclosed_fences(path: Path) -> list[int]:
    """Lines of fenced code blocks that never close (CommonMark runs them to the end)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    for token in parse(path):
        if token.type != "fence" or token.map is None:
            continue
        start, end = token.map
        last = lines[end - 1].strip() if end - 1 > start else ""
        marker = token.markup
        closed = last.startswith(marker) and set(last) == {marker[0]}
        if not closed:
            problems.append(start + 1)
    return problems


def fenced_blocks(path: Path, heading: str) -> list[str]:
    """Contents of the fenced blocks in the section under a heading (up to the next heading)."""
    tokens = parse(path)
    blocks: list[str] = []
    inside = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inside = plain_text(tokens[i + 1]) == heading
        elif inside and token.type == "fence":
            blocks.append(token.content)
    return blocks


@dataclass(frozen=True)
class CliCommand:
    """One `python -m bot …` subcommand and its options."""

    words: tuple[str, ...]
    options: tuple[str, ...]
    parser: argparse.ArgumentParser
    summary: str


def cli_commands() -> list[CliCommand]:
    """Every subcommand of `python -m bot`, leaves and groups, in definition order."""
    from bot.cli import build_parser
    from bot.core.config import Settings
    from bot.core.i18n import use_language

    with use_language("en"):
        parser = build_parser(Settings(DEFAULT_LANGUAGE="en"))
    found: list[CliCommand] = []

    def walk(p: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help or "" for a in action._choices_actions}
                for name, sub in action.choices.items():
                    options = tuple(
                        s
                        for a in sub._actions
                        for s in a.option_strings
                        if s.startswith("--") and s != "--help"
                    )
                    found.append(CliCommand((*words, name), options, sub, helps.get(name, "")))
                    walk(sub, (*words, name))

    walk(parser, ())
    return found


def cli_reference() -> str:
    """The help of every subcommand, as docs/cli.md quotes it."""
    from bot.core.i18n import use_language

    parts = []
    with use_language("en"):
        for command in cli_commands():
            help_text = command.parser.format_help().rstrip()
            title = f"### `python -m bot {' '.join(command.words)}`"
            summary = f"{command.summary[:1].upper()}{command.summary[1:]}.\n\n" * bool(
                command.summary
            )
            parts.append(f"{title}\n\n{summary}```text\n{help_text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(cli_reference())
