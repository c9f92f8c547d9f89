"""Find the surface forms of entities and terms in text, with one Aho-Corasick automaton.

The automaton is keyed on a case-folded form of every spelling, so one pass over a text finds every
candidate whatever the number of spellings; candidates are then checked for case (entities are
case-sensitive by default) and for word edges, and the leftmost-longest ones are kept ("Wagner Group"
before "Wagner").

Word edges hold in every script: a match may not start or end inside a word, where a word is made of
letters, digits and combining marks, and a hyphen or an apostrophe between letters joins a word
("Kara-Murza", "O'Brien"), except that a trailing apostrophe is allowed ("Mali's", "Mali’s").
Scripts written without spaces (Chinese, Japanese, Thai, ...) have no edges to respect.
Forms may end in punctuation ("U.S.").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

_SAME_WIDTH = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark, the usual typographic apostrophe
        "\u2018": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u00a0": " ",
        "\u202f": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)
"""Spelling variants that are the same to a reader, mapped one character to one character."""

_JOINERS = "-'"

_UNSPACED_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)


def normalize(text: str) -> str:
    """Map typographic variants to one spelling, keeping every character at its offset."""
    return text.translate(_SAME_WIDTH)


def fold(text: str) -> str:
    """Case-fold for matching, keeping every character at its offset."""
    return _lower(normalize(text))


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def _is_unspaced(ch: str) -> bool:
    code = ord(ch)
    if code < 0x0E00:
        return False
    return any(low <= code <= high for low, high in _UNSPACED_SCRIPTS)


def starts_at_edge(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    if _is_unspaced(before) or _is_unspaced(text[start]):
        return True
    if is_word_char(before):
        return False
    return not (before in _JOINERS and start >= 2 and is_word_char(text[start - 2]))


def ends_at_edge(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    after = text[end]
    if _is_unspaced(after) or _is_unspaced(text[end - 1]):
        return True
    if is_word_char(after):
        return False
    return not (after == "-" and end + 1 < len(text) and is_word_char(text[end + 1]))


@dataclass(frozen=True, order=True)
class Target:
    """What a spelling stands for: an entity or a glossary term."""

    kind: str
    id: str


@dataclass(frozen=True)
class Spelling:
    form: str
    target: Target
    case_sensitive: bool
    priority: int = 0


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    target: Target
    text: str


class Matcher:
    """All spellings of a dossier in one automaton; `find` costs the same for 10 or 30,000 of them."""

    def __init__(self, spellings: Iterable[Spelling]) -> None:
        by_key: dict[str, list[tuple[str, Spelling]]] = {}
        for spelling in spellings:
            key = fold(spelling.form)
            if key.strip():
                by_key.setdefault(key, []).append((normalize(spelling.form), spelling))
        self._automaton = ahocorasick.Automaton()
        for key, entries in by_key.items():
            entries.sort(key=lambda e: (-e[1].priority, not e[1].case_sensitive, e[1].target))
            self._automaton.add_word(key, (len(key), tuple(entries)))
        self.size = len(by_key)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str, lead: str = "", trail: str = "") -> list[Match]:
        """Leftmost-longest, non-overlapping matches in `text`, in order.

        `lead` and `trail` are the characters just around `text` where it is a piece of something
        longer (a text node in a paragraph), so that word edges are judged on the whole.
        """
        if not self.size or not text:
            return []
        whole = lead + text + trail
        exact = normalize(whole)
        low = len(lead)
        candidates = []
        for last, (length, entries) in self._automaton.iter(_lower(exact[low : low + len(text)])):
            start, end = low + last - length + 1, low + last + 1
            target = next((s.target for form, s in entries if not s.case_sensitive or exact[start:end] == form), None)
            if target is not None and starts_at_edge(exact, start) and ends_at_edge(exact, end):
                candidates.append((start, -end, target))
        candidates.sort()
        matches, taken_until = [], 0
        for start, negative_end, target in candidates:
            end = -negative_end
            if start >= taken_until:
                matches.append(Match(start - low, end - low, target, whole[start:end]))
                taken_until = end
        return matches
