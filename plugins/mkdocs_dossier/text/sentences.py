"""Plain-text helpers shared by the annotator, the pages and the comparison: sentences, excerpts, dates."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = "January February March April May June July August September October November December".split()

_SENTENCE_END = re.compile(
    r"""
    (?=[.!?…])              # only where an end mark stands, so that the look-behinds run rarely
    (?<!\b[A-Z])            # not an initial, as in "J. Smith" or "U.S."
    (?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Mt|No|vs|Lt))   # titles and abbreviations, by length
    (?<!\b(?:Mrs|Gen|Col|Sen|Rep|Gov|Sgt))
    (?<!\b(?:Capt|Prof))
    [.!?…]+                 # the end mark
    [\"'”’»)\]]*            # closing quotes or brackets that belong to the sentence
    (?=\s+[\"'“‘«(\[]*[A-Z0-9À-ÖØ-ÞĀ-ſ]|\s*$)
    """,
    re.VERBOSE,
)


OPENING_QUOTES = "“«"
CLOSING_QUOTES = "”»"
_QUOTATION_MARK = re.compile(f'[{OPENING_QUOTES}{CLOSING_QUOTES}"]')


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(opening, closing) indexes of the quotation marks that pair up in `text`.

    Curly and angle quotes pair as they open and close, straight double quotes in turns; a mark left
    without its partner pairs with nothing. Single quotes are left out: they are apostrophes too often.
    """
    pairs, opened = [], None
    for found in _QUOTATION_MARK.finditer(text):
        index, mark = found.start(), found.group()
        if mark in OPENING_QUOTES or (mark == '"' and opened is None):
            opened = index
        elif opened is not None:
            pairs.append((opened, index))
            opened = None
    return pairs


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, without the white space between sentences.

    A sentence does not end inside a quotation: "“It is here. It is terrifying,” he said." is one.
    """
    spans, start = [], 0
    quotations = quotation_spans(text)
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if quotations and any(opening < end <= closing for opening, closing in quotations):
            continue
        _add_stripped(spans, text, start, end)
        start = end
    _add_stripped(spans, text, start, len(text))
    return spans


def _add_stripped(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Add text[start:end] without the white space around it, unless nothing else is left."""
    piece = text[start:end]
    kept = piece.lstrip()
    if kept:
        start += len(piece) - len(kept)
        spans.append((start, start + len(kept.rstrip())))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or sentences) that hold text[start:end]."""
    spans = sentence_spans(text)
    first = next((s for s in spans if s[1] > start), (0, len(text)))
    last = next((s for s in reversed(spans) if s[0] < end), first)
    return min(first[0], start), max(last[1], end)


def excerpt(
    text: str, start: int, end: int, bounds: tuple[int, int] | None = None, words: int = 18
) -> tuple[str, str, str]:
    """The words around text[start:end] within its sentence: (before, match, after), with ellipses.

    `bounds` is the sentence's span where the caller knows it already.
    """
    sentence_start, sentence_end = bounds or sentence_around(text, start, end)
    before = text[sentence_start:start].split()
    after = text[end:sentence_end].split()
    lead = ("… " if len(before) > words else "") + " ".join(before[-words:])
    tail = " ".join(after[:words]) + (" …" if len(after) > words else "")
    gap_before = " " if before and text[start - 1 : start].isspace() else ""
    gap_after = " " if after and text[end : end + 1].isspace() else ""
    return lead + gap_before, text[start:end], gap_after + tail


def long_date(date: dt.date) -> str:
    """'7 February 2023', the same whatever the machine's locale, so builds are reproducible."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
