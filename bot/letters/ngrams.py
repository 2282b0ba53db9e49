"""Character n-grams of folded text, compared by tf-idf cosine: a second way to match wordings
that needs no vocabulary, robust to typos, abbreviations and words joined or split."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.core.text import fold

SIZES = (3, 4, 5)
COMMON = 0.2  # grams in more of the texts than this share are left out, as stopwords are
COMMON_FROM = 20  # … once there are this many texts (in a handful every gram is common)


def grams(text: str) -> Counter[str]:
    """The 3- to 5-letter pieces of a text folded (đ → d), '#' marking word boundaries."""
    marked = "#" + "#".join(fold(text).split()) + "#"
    found: Counter[str] = Counter()
    if len(marked) <= 2:
        return found
    for n in SIZES:
        for i in range(len(marked) - n + 1):
            found[marked[i : i + n]] += 1
    return found


class GramIndex:
    """Tf-idf vectors of character n-grams for a few hundred texts, with postings."""

    def __init__(self, texts: Sequence[str]) -> None:
        """Count once: sublinear tf, smoothed idf, unit-length vectors; the grams most texts
        share ('#ky', 'so#') are left out: they say little and cost most of the time."""
        counted = [grams(text) for text in texts]
        df: Counter[str] = Counter()
        for counts in counted:
            df.update(counts.keys())
        n = len(counted)
        self.size = n
        self.common = {g for g, d in df.items() if d > COMMON * n and n >= COMMON_FROM}
        self.idf = {
            g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items() if g not in self.common
        }
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for index, counts in enumerate(counted):
            vector = self._weights(counts)
            for gram, value in vector.items():
                self.postings.setdefault(gram, []).append((index, value))

    def _weights(self, counts: Counter[str]) -> dict[str, float]:
        """A unit-length tf-idf vector (a gram no text has weighs as the rarest)."""
        top = math.log(1 + self.size) + 1.0
        vector = {
            g: (1 + math.log(c)) * self.idf.get(g, top)
            for g, c in counts.items()
            if g not in self.common
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {g: v / norm for g, v in vector.items()}

    def similarities(self, text: str) -> dict[int, float]:
        """Cosine of the text with every indexed text that shares a gram with it."""
        found = [0.0] * self.size
        for gram, value in self._weights(grams(text)).items():
            for index, weight in self.postings.get(gram, ()):
                found[index] += value * weight
        return {index: sim for index, sim in enumerate(found) if sim}
