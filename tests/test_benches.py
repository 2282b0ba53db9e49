"""Every bench script the README documents starts: its imports resolve and --help prints."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.app_kit import REPO

pytestmark = pytest.mark.sqlite_pass_only

SCRIPTS = sorted(
    p.name
    for p in (REPO / "bench").glob("*.py")
    if p.name not in {"kit.py", "letters_qa_data.py"} and not p.name.startswith("letters_qa_fresh")
)  # question sets are data, not scripts


def test_every_bench_is_listed_in_the_bench_readme() -> None:
    """A bench nobody can find is a bench nobody runs."""
    readme = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
    assert [s for s in SCRIPTS if s not in readme] == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_bench_starts(script: str) -> None:
    """`python bench/<script> --help` exits 0 and prints its usage (a moved helper breaks it)."""
    done = subprocess.run(
        [sys.executable, f"bench/{script}", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage" in done.stdout.lower()
