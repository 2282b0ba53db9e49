"""Rules about how the code is laid out that ruff does not check."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported_modules(source: str) -> set[str]:
    """Every module a file imports, by absolute name (`from . import x` is tests.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: inside the tests package
                base = f"tests.{base}" if base else "tests"
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _test_modules_imported(source: str) -> set[str]:
    """The test_* modules among a file's imports."""
    found = set()
    for module in _imported_modules(source):
        parts = module.split(".")
        if parts[0] == "tests" and len(parts) > 1 and parts[1].startswith("test_"):
            found.add(".".join(parts[:2]))
        elif parts[0].startswith("test_"):  # `import test_x` with tests/ on the path
            found.add(parts[0])
    return found


def test_no_test_module_imports_another() -> None:
    """Tests share helpers through conftest.py and tests/*_kit.py, never through a test_*
    module: importing one runs its module body again and ties two test files together."""
    offenders = {
        path.name: sorted(_test_modules_imported(path.read_text(encoding="utf-8")))
        for path in sorted(TESTS.glob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_rule_sees_every_way_of_importing_a_test_module() -> None:
    """Absolute, from-package, relative and function-level imports are all caught."""
    source = (
        "from tests.test_app import REPO\n"
        "import tests.test_outbox\n"
        "from tests import test_summaries\n"
        "from .test_warnings import drained\n"
        "def late():\n"
        "    from tests.test_outbox_crash import wait_for\n"
        "from tests.app_kit import run_cli\n"
        "from tests import conftest\n"
    )
    assert _test_modules_imported(source) == {
        "tests.test_app",
        "tests.test_outbox",
        "tests.test_summaries",
        "tests.test_warnings",
        "tests.test_outbox_crash",
    }
