"""Words as the comparison sees them: content words, reduced to a stem, with numbers written one way.

A light suffix stripper rather than a full stemmer: it only has to make the forms of one word meet
("officers" and "officials", "fighters" and "fighting", "coups" and "coup"), and the comparison backs it
with a fuzzy match of the stems.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

STOP = frozenset(
    """
    a about above after again against all also am amid an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself one ve ll re s t d m
    """.split()
)
"""Function words: they say how, not what, so they carry no weight in a comparison."""

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000, "million": 10**6,
    "millions": 10**6, "billion": 10**9, "billions": 10**9, "dozen": 12, "dozens": 12,
}  # fmt: skip

_SUFFIXES = (
    "ization", "fulness", "ousness", "iveness", "ments", "ment", "ness", "ings", "ing", "ers", "er",
    "ied", "ies", "ed", "es", "ly", "s",
)  # fmt: skip
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_ASCII_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+")
"""`_TOKEN` for text without a non-ASCII character, where it matches the same and is quicker."""
_APOSTROPHE_S = re.compile(r"[’']s\b")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The word, lower case, without its commonest English suffix: 'officers' and 'officials' give 'offic'."""
    word = word.lower()
    if len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def number_token(word: str) -> str | None:
    """'#2' for '2' and 'two', '#100' for 'hundreds': the form in which numbers are compared."""
    lower = word.lower()
    if lower in NUMBER_WORDS:
        return f"#{NUMBER_WORDS[lower]}"
    if lower[:1].isdigit():
        digits = lower.replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return f"#{lower}"
        return f"#{int(value)}" if value == int(value) else f"#{value}"
    return None


def words(text: str) -> list[str]:
    """The words of `text`: runs of letters and numbers, in lower case, with
    "’s" left out. (Lower case changes no character's class, and the length of none but İ, so the
    runs are those of the text as written; a text with an İ keeps its case.)"""
    if "'" in text or "’" in text:
        text = _APOSTROPHE_S.sub("  ", text)
    if "İ" not in text:
        text = text.lower()
    return (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)


def tokens_of(words: Iterable[str]) -> list[str]:
    """The tokens of `words`, leaving out the words that say how rather than what."""
    return list(filter(None, map(token, words)))


@functools.lru_cache(maxsize=1 << 16)
def token(word: str) -> str:
    """A word's token ('#2' for a number, a stem for a content word), or '' for a word that says how.
    Words recur: each is worked out once."""
    token = number_token(word)
    if token is None:
        lower = word.lower()
        if lower in STOP or len(lower) < 2:
            return ""
        token = stem(lower)
    return token
