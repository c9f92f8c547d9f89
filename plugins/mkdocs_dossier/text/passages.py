"""The passage of an article closest to a note's quote that is not in it, for a "did you mean" hint.

Only the article's own text is searched, block by block, with rapidfuzz's partial alignment (the best
window of a block for the quote), so the cost is that of reading the article once per unanchored note.
The window is then widened to whole words and trimmed by a word at either end where that brings it
closer to the quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

MIN_QUOTE = 4
"""Shorter quotes resemble too much of any text for a hint to mean anything."""

CUTOFF = 80.0
"""The lowest partial-alignment score (0 to 100) at which a passage is offered as a hint."""

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def closest_passage(quote: str, texts: Sequence[str], originals: Sequence[str] | None = None) -> str | None:
    """The passage of `texts` (an article's blocks) closest to `quote`, as `originals` spell it (the
    same blocks before normalising, offset for offset), or None when nothing is close enough."""
    quote = quote.strip()
    if len(quote) < MIN_QUOTE:
        return None
    originals = texts if originals is None else originals
    best: tuple[float, int, int, int] | None = None
    for index, text in enumerate(texts):
        if len(text) < len(quote):
            continue
        found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=CUTOFF)
        if found is not None and (best is None or found.score > best[0]):
            best = (found.score, index, found.dest_start, found.dest_end)
    if best is None:
        return None
    _, index, start, end = best
    text = texts[index]
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    inside = [i for i, (s, e) in enumerate(words) if e > start and s < end]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    candidates = [
        (i, j)
        for i in range(max(0, first - 1), min(first + 2, len(words)))
        for j in range(max(0, last - 1), min(last + 2, len(words)))
        if i <= j
    ]
    i, j = max(candidates, key=lambda span: (fuzz.ratio(quote, text[words[span[0]][0] : words[span[1]][1]]), -span[0]))
    passage = originals[index][words[i][0] : words[j][1]]
    return passage if passage != quote else None
