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
FIRST_BAR = 0.45  # grams are read until the rest could add less than this, to find a bar
REST = 0.7  # … then until it could add less than this share of the bar (fewer summed in full)


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
        self.vectors: list[dict[str, float]] = []
        for index, counts in enumerate(counted):
            vector = self._weights(counts)
            self.vectors.append(vector)
            for gram, value in vector.items():
                self.postings.setdefault(gram, []).append((index, value))
        # Per gram, its highest weight in any text: a bound on what it adds to a cosine.
        self.peak = {g: max(w for _i, w in found) for g, found in self.postings.items()}

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
        """Cosine of the text with every indexed text that shares a gram with it (a scan of
        every posting of its grams: the reference `alike` is checked against)."""
        found = [0.0] * self.size
        for gram, value in self._weights(grams(text)).items():
            for index, weight in self.postings.get(gram, ()):
                found[index] += value * weight
        return {index: sim for index, sim in enumerate(found) if sim}

    def alike(self, text: str, floor: float, top: int) -> dict[int, float]:
        """The cosines `similarities` gives (same values, summed in the same order) for a few
        indexed texts that include the `top` most alike at `floor` or more — without reading
        most postings of the text's common grams. Grams are read rarest first (fewest postings per
        unit of bound); the ones not read yet can add to any cosine at most the least of their
        weights times their peaks and their weights' norm (Cauchy-Schwarz). A first pass finds a
        `top`-th best likeness (the bar); reading stops once the grams left could add less than
        REST × the bar, and only the texts seen whose partial sum the grams left could lift to
        the bar are summed in full."""
        query = self._weights(grams(text))
        order = sorted(
            query,
            key=lambda g: (len(self.postings.get(g, ())) / (query[g] * self.peak.get(g, 1.0)), g),
        )
        left = self._bounds(query, order)
        partial: dict[int, float] = {}
        done = 0

        def read_until(bar: float) -> None:
            nonlocal done
            get = partial.get
            while done < len(order) and left[done] >= bar:
                value = query[order[done]]
                for index, weight in self.postings.get(order[done], ()):
                    partial[index] = get(index, 0.0) + value * weight
                done += 1

        read_until(max(floor, FIRST_BAR))
        best = sorted(partial, key=lambda i: (-partial[i], i))[:top]
        sims = {i: self._cosine(query, i) for i in best}
        bar = max([floor, *sorted(sims.values(), reverse=True)[top - 1 : top]])
        bar *= 1 - 1e-9  # float rounding in the bounds never drops a text
        read_until(bar * REST)
        for index, part in partial.items():
            if index not in sims and part + left[done] >= bar:
                sims[index] = self._cosine(query, index)
        return sims

    def _bounds(self, query: dict[str, float], order: Sequence[str]) -> list[float]:
        """Per position in `order`, the most the grams from there on can add to any cosine
        (the last: nothing left)."""
        left = [0.0] * (len(order) + 1)
        reach = squares = 0.0
        for at in range(len(order) - 1, -1, -1):
            value = query[order[at]]
            reach += value * self.peak.get(order[at], 0.0)
            squares += value * value
            left[at] = min(reach, math.sqrt(squares))
        return left

    def _cosine(self, query: dict[str, float], index: int) -> float:
        """The cosine of a query vector with one indexed text, summed in the query's order."""
        vector = self.vectors[index]
        sim = 0.0
        for gram, value in query.items():
            weight = vector.get(gram)
            if weight is not None:
                sim += value * weight
        return sim
