"""The documentation renders and stays true: fences, links, anchors, set-up, CLI and settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from annotated_types import Ge, Gt, Le, Lt

from bot.core.config import Settings
from tests.docs_kit import (
    REPO,
    anchors,
    cli_commands,
    fenced_blocks,
    links,
    markdown_files,
    parse,
    unclosed_fences,
)

pytestmark = pytest.mark.sqlite_pass_only  # no database

FILES = markdown_files()


def test_the_guides_exist() -> None:
    """One guide per audience, plus the references the README points to."""
    names = {p.relative_to(REPO).as_posix() for p in FILES}
    assert {
        "README.md",
        "docs/secretariat.md",
        "docs/officials.md",
        "docs/operators.md",
        "docs/cli.md",
        "docs/configuration.md",
        "docs/architecture.md",
        "deploy/README.md",
        "bench/README.md",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_markdown_renders_with_closed_fences_and_working_links(path: Path) -> None:
    """Every fence closes; every relative link names a file that exists, and every #anchor a
    heading of its target (GitHub's slugs)."""
    assert unclosed_fences(path) == [], f"{path.name}: fence opened on these lines never closes"
    problems = []
    for target, line in links(parse(path)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, flags=re.I):  # http:, https:, mailto:
            continue
        file_part, _hash, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"line {line}: {target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            problems.append(f"line {line}: {target} (no such heading)")
    assert problems == []


def test_readme_set_up_is_two_commands_that_ci_runs() -> None:
    """The README's set-up block: the console demo and the tests, each verbatim in .ci/run."""
    (block,) = fenced_blocks(REPO / "README.md", "Set-up")
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    demo, tests = commands
    assert demo.endswith("-m bot console --demo") and tests.endswith("-m pytest -n auto")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci
    assert any(line.startswith(demo + " ") or line == demo for line in ci)


def test_readme_is_short() -> None:
    """A newcomer reads it in two minutes: the details live in docs/."""
    words = len((REPO / "README.md").read_text(encoding="utf-8").split())
    assert words < 700


def test_every_cli_subcommand_is_documented() -> None:
    """docs/cli.md has a section per `python -m bot …` subcommand naming each of its options."""
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^### `python -m bot ([^`]+)`\n(.*?)(?=^### |\Z)", text, re.M | re.S)
    }
    missing = []
    for command in cli_commands():
        name = " ".join(command.words)
        if name not in sections:
            missing.append(name)
            continue
        missing += [
            f"{name} {option}" for option in command.options if option not in sections[name]
        ]
    assert missing == []


def _bounds(field: object) -> list[float]:
    """The numeric bounds pydantic checks for a setting."""
    found: list[float] = []
    for item in getattr(field, "metadata", []):
        for kind, attr in ((Ge, "ge"), (Gt, "gt"), (Le, "le"), (Lt, "lt")):
            if isinstance(item, kind):
                found.append(float(getattr(item, attr)))
    return found


def _number_texts(value: float) -> set[str]:
    """How a bound may be written: 65535, 65,535, 1000, 1,000, 604800 …"""
    whole = int(value) if value == int(value) else value
    return {str(whole), f"{whole:,}"}


def test_every_setting_is_documented_with_its_default_and_bounds() -> None:
    """docs/configuration.md has a table row per setting with its default and its limits."""
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([A-Z_]+)` \|.*$", text, flags=re.M)}
    problems = []
    for name, field in Settings.model_fields.items():
        alias = field.alias or name.upper()
        row = rows.get(alias)
        if row is None:
            problems.append(f"{alias}: no row")
            continue
        default = field.default
        if default not in (None, frozenset()) and not isinstance(default, bool):
            shown = default.strftime("%H:%M") if hasattr(default, "strftime") else str(default)
            shown = shown.removesuffix(".0")
            if f"`{shown}`" not in row:
                problems.append(f"{alias}: default {shown} not shown")
        for bound in _bounds(field):
            if not any(t in row for t in _number_texts(bound)):
                problems.append(f"{alias}: bound {bound:g} not shown")
    assert problems == []
    assert set(rows) == {f.alias or n.upper() for n, f in Settings.model_fields.items()}
