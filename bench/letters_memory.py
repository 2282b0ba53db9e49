"""Benchmark: the question memory's share of a letters search, a scan of every known question
against the pruned lookup (bot/letters/ngrams.py `GramIndex.alike`), paired.

Run: .venv/bin/python bench/letters_memory.py [--rounds 3]

Each spent set's questions are asked as in letters_qa.py --cv-sets (a memory of the other sets
only: questions the memory does not hold), then every known question against the whole shipped
memory. Rounds alternate the scan and the pruned lookup; CPU time (time.process_time) per
search and per memory lookup, medians and means; the load average is printed, since the machine
may be shared. Both find the same votes (tests/test_letters_memory.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from letters_qa import build, known, shipped_memory, spent_sets

from bot.letters.ngrams import GramIndex
from bot.letters.ranking import Ranker, normal

PRUNED = GramIndex.alike


def scan(self: GramIndex, text: str, floor: float, top: int) -> dict[int, float]:
    """The lookup before pruning: the likeness of every known question sharing a gram."""
    return self.similarities(text)


def timed(cases: list[tuple[Ranker, list[str]]], lookup: object) -> tuple[list[float], list[float]]:
    """CPU seconds per search and per memory lookup, with `lookup` as GramIndex.alike."""
    GramIndex.alike = lookup  # type: ignore[method-assign]
    searches, lookups = [], []
    for ranker, questions in cases:
        for question in questions:
            started = time.process_time()
            ranker.search(question)
            searches.append(time.process_time() - started)
            text = normal(ranker.index, question)
            started = time.process_time()
            ranker.votes(text)
            lookups.append(time.process_time() - started)
    GramIndex.alike = PRUNED  # type: ignore[method-assign]
    return searches, lookups


def main() -> None:
    """Print paired figures for questions the memory does not hold and for known ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs (scan, pruned)")
    args = parser.parse_args()
    index, places = build()
    sets = spent_sets()
    new = [
        (Ranker(index, known(places, [q for o, qs in sets if o != name for q in qs])),
         [q for q, _e in questions])
        for name, questions in sets
    ]  # fmt: skip
    full = Ranker(index, shipped_memory(places))
    held = [(full, [k.question for k in full.known])]
    for title, cases in (("new questions (--cv-sets)", new), ("known questions", held)):
        timed(cases, PRUNED)  # warm the tables built on first use
        figures: dict[str, tuple[list[float], list[float]]] = {"scan": ([], []), "pruned": ([], [])}
        for _round in range(args.rounds):
            for name, lookup in (("scan", scan), ("pruned", PRUNED)):
                searches, lookups = timed(cases, lookup)
                figures[name][0].extend(searches)
                figures[name][1].extend(lookups)
        print(f"{title}: memory of {len(full.known)} at most; load {os.getloadavg()[0]:.2f}")
        for name, (searches, lookups) in figures.items():
            print(
                f"  {name:6}  search median {1000 * statistics.median(searches):.2f} ms, mean "
                f"{1000 * statistics.mean(searches):.2f} | memory lookup median "
                f"{1000 * statistics.median(lookups):.2f} ms, mean "
                f"{1000 * statistics.mean(lookups):.2f}"
            )


if __name__ == "__main__":
    main()
