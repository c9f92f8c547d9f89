"""Numbers, dates and quantities in a sentence, so that two reports of the same thing can be compared.

    >>> [(q.text, q.kind, q.low, q.high, q.unit) for q in find_quantities("about 9 years and two coups")]
    [('about 9 years', 'duration', 8.0, 10.0, 'year'), ('two coups', 'count', 2.0, 2.0, 'coup')]

Digits and number words count alike ("2" and "two"); vague amounts are ranges ("hundreds", "several
hundred"); a quantity's unit is the noun after it, reduced to a stem, so that "two coups" and
"a 2020 coup" can be told apart from "two visits". Two quantities agree when their ranges overlap.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .wording import STOP, stem

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sep sept", "october oct", "november nov", "december dec"), 1
    )
    for name in names.split()
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME_UNITS = {stem(unit) for unit in ("second", "minute", "hour", "day", "week", "month", "year", "decade", "century")}
VAGUE = {"several": (3, 9), "a few": (2, 5), "a number of": (3, 9), "some": (2, 9), "many": (5, 9)}
"""Vague counts before a scale word ("several hundred"): the multiplier's range."""

_VAGUE = "|".join(v.replace(" ", r"\s+") for v in VAGUE)
_NUMBER_WORD = "|".join(sorted([*UNITS, *SCALES], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"""
    (?P<currency>[$€£])?
    (?:
        (?P<vague>{_VAGUE})\s+(?P<vscale>hundred|thousand|million|billion|dozen)s?\b
      | (?P<plural>hundreds|thousands|millions|billions|dozens)\b
      | (?P<digits>{_DIGITS})(?:\s*(?P<scale>hundred|thousand|million|billion|bn|m)\b)?
      | (?P<words>(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*)\b
    )
    (?P<percent>\s*(?:%|per\s*cent\b|percent\b))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ORDINAL = re.compile(rf"\b(?:(?P<word>{'|'.join(ORDINALS)})|(?P<digits>\d+)(?:st|nd|rd|th))\b", re.IGNORECASE)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"""\b(?:
        (?P<day1>\d{{1,2}})\s+(?P<month1>{_MONTH_NAMES})\.?(?:,?\s+(?P<year1>\d{{4}}))?
      | (?P<month2>{_MONTH_NAMES})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year2>\d{{4}}))?
      | (?P<month3>{_MONTH_NAMES})\.?,?\s+(?P<year3>\d{{4}})
      | (?P<weekday>{"|".join(WEEKDAYS)})
      | (?P<year4>(?:1[89]|20)\d\d)(?!\s*(?:%|per\s*cent|percent))
      | (?P<month4>{_MONTH_NAMES})
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|one|single)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_HEDGE_BEFORE = re.compile(
    r"\b(?:(?P<about>about|around|roughly|some|approximately|nearly|almost|close\s+to|up\s+to|less\s+than|under|fewer\s+than)"
    r"|(?P<over>more\s+than|over|at\s+least|upwards\s+of))\s+\Z",
    re.IGNORECASE,
)
"""'about 20', 'more than 300': a hedged amount stands for a range around, or above, its figure."""
_ADJECTIVES = {"new", "old", "more", "other", "large", "small", "big", "young", "armed", "foreign", "local"}
_SKIP_AFTER = {"of", "and", "or", "to", "the", "a", "an", "more", "than", "in", "on", "at", "per", "each"}


@dataclass(frozen=True)
class Quantity:
    """A number, date or amount found in a text, with the range of values it stands for."""

    text: str
    start: int
    end: int
    kind: str
    """'count', 'duration', 'percent', 'money', 'ordinal', 'date' (a year, a month of a year, a day of a
    year, as a range of YYYYMMDD), 'day' (a day of a month), 'month' or 'weekday'."""
    low: float
    high: float
    unit: str = ""
    """The stem of the noun the quantity counts ('coup', 'year'); for dates, '' ."""

    def agrees_with(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.unit)


def _openings(words: list[str]) -> re.Pattern:
    """A pattern that finds, in lower-case text, each position where one of `words` (regular
    expressions that open with a plain letter) begins. It takes one character at a time, so that words
    that overlap are all found, and opens with a letter, so that the search skips quickly to them."""
    rests: dict[str, list[str]] = defaultdict(list)
    for word in words:
        rests[word[0]].append(word[1:])
    return re.compile("|".join(f"{first}(?={'|'.join(rest)})" for first, rest in sorted(rests.items())))


_OPENINGS = _openings(
    [*MONTHS, *WEEKDAYS, *ORDINALS, *UNITS, *SCALES, "several", "some", "many", r"a\s+few", r"a\s+number"]
)
"""Where a date, an ordinal or an amount can begin, besides a digit or a currency sign."""
_ASCII_DIGITS = re.compile(r"[0-9$]")
_DIGITS_OR_CURRENCY = re.compile(r"[\d$€£]")
_CASE_ODDITIES = re.compile("[\u0130\u0131\u017f]")
"""İ, ı and ſ: letters that a pattern that ignores case takes for i or s, but that lower case does not
turn into them (İ even turns into two characters)."""
_DIGITS_CURRENCY_OR_CASE_ODDITIES = re.compile("[\\d$€£\u0130\u0131\u017f]")


def _finditer(pattern: re.Pattern, text: str, starts: list[int]):
    """What `pattern.finditer(text)` gives when `starts` holds every position where it can match
    (the pattern never matches the empty string)."""
    position = 0
    for start in starts:
        if start >= position:
            match = pattern.match(text, start)
            if match is not None:
                yield match
                position = match.end()


def _matches(text: str):
    """The matches of the date, ordinal and amount patterns in `text`, or None where there is none.

    The patterns ignore case, so the regular expression engine tries each of their many alternatives
    at every position, while most of a sentence holds no number at all. So the positions where a match
    can begin (a digit, a currency sign, a month, a number word ...) are found first, by a search of the
    lower-case text that skips quickly to them, and the patterns are only tried there.
    """
    lower = text.lower()
    if len(lower) != len(text) or _CASE_ODDITIES.search(text):
        return _DATE.finditer(text), _ORDINAL.finditer(text), _AMOUNT.finditer(text)
    digits = _ASCII_DIGITS if text.isascii() else _DIGITS_OR_CURRENCY
    starts = [m.start() for m in _OPENINGS.finditer(lower)]
    if digits.search(lower):
        starts = sorted(starts + [m.start() for m in digits.finditer(lower)])
    if not starts:
        return None
    return _finditer(_DATE, text, starts), _finditer(_ORDINAL, text, starts), _finditer(_AMOUNT, text, starts)


QUANTITY_WORDS = frozenset({*MONTHS, *WEEKDAYS, *ORDINALS, *UNITS, *SCALES, *(f"{scale}s" for scale in SCALES)})
"""Words (in lower case) of which a text without a digit or a currency sign must hold one, as a whole
run of letters, to hold a quantity: a quantity that `find_quantities` keeps opens a run of letters
with a month, a weekday, an ordinal or a number word, or holds a scale ('several hundred'), and these
words end their runs."""


def may_hold_quantities(text: str, words: Iterable[str]) -> bool:
    """False when `find_quantities(text)` is sure to find nothing. `words` must hold every run of
    letters of `text`, in lower case (it may hold more)."""
    return _DIGITS_CURRENCY_OR_CASE_ODDITIES.search(text) is not None or not QUANTITY_WORDS.isdisjoint(words)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order, none overlapping another."""
    matches = _matches(text)
    if matches is None:
        return []
    dates, ordinals, amounts = matches
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for match in dates:
        quantity = _date(match)
        if quantity is not None:
            found.append(quantity)
            taken.append((quantity.start, quantity.end))
    for match in ordinals:
        if not free(match.start(), match.end()):
            continue
        value = ORDINALS[match["word"].lower()] if match["word"] else int(match["digits"])
        unit, end = _unit_after(text, match.end())
        found.append(Quantity(text[match.start() : end], match.start(), end, "ordinal", value, value, unit))
        taken.append((match.start(), end))
    for match in amounts:
        start, end = match.start(), match.end()
        if not match.group().strip() or not free(start, end) or _inside_word(text, start, end):
            continue
        value = _amount(match)
        if value is None:
            continue
        hedge = _HEDGE_BEFORE.search(text, max(0, start - 20), start)
        low, high = _hedged(hedge, *value)
        if hedge is not None:
            start = hedge.start()
        if match["percent"]:
            kind, unit = "percent", "%"
        elif match["currency"]:
            kind, unit = "money", match["currency"]
        else:
            unit, end = _unit_after(text, end, of_allowed=bool(match["plural"] or match["vscale"]))
            if not unit and match["words"] and match["words"].lower() == "one":
                continue
            kind = "duration" if unit in TIME_UNITS else "count"
        found.append(Quantity(text[start:end].strip(), start, end, kind, low, high, unit))
        taken.append((start, end))
    return sorted(found, key=lambda q: q.start)


def implied_single(text: str, unit: str) -> Quantity | None:
    """'a 2020 coup': one of `unit`, said with an article rather than a number, if `text` says so."""
    if unit[:-1] not in text.lower():
        # `stem` only cuts a word's end (and may add a "y"), so a word that stems to `unit` holds all
        # of it but its last letter: most texts are ruled out without stemming each of their words.
        return None
    for word in _WORD.finditer(text):
        if stem(word.group().lower()) != unit:
            continue
        article = _ARTICLE_BEFORE.search(text, 0, word.start())
        if article:
            return Quantity(text[article.start() : word.end()], article.start(), word.end(), "count", 1, 1, unit)
    return None


def _date(match: re.Match) -> Quantity | None:
    text, start, end = match.group(), match.start(), match.end()
    if match["weekday"]:
        day = WEEKDAYS.index(match["weekday"].lower())
        return Quantity(text, start, end, "weekday", day, day)
    if match["year4"]:
        year = int(match["year4"])
        return Quantity(text, start, end, "date", year * 10_000, year * 10_000 + 1231)
    if match["month4"]:
        if not match["month4"][0].isupper() or len(match["month4"]) < 4 and match["month4"] != "May":
            return None
        month = MONTHS[match["month4"].lower()]
        return Quantity(text, start, end, "month", month, month)
    month_name = match["month1"] or match["month2"] or match["month3"]
    month = MONTHS[month_name.lower().rstrip(".")]
    day = int(match["day1"] or match["day2"] or 0)
    year = int(match["year1"] or match["year2"] or match["year3"] or 0)
    if day > 31:
        return None
    if year and day:
        value = year * 10_000 + month * 100 + day
        return Quantity(text, start, end, "date", value, value)
    if year:
        return Quantity(text, start, end, "date", year * 10_000 + month * 100, year * 10_000 + month * 100 + 31)
    return Quantity(text, start, end, "day", month * 100 + day, month * 100 + day)


def _amount(match: re.Match) -> tuple[float, float] | None:
    if match["vscale"]:
        low, high = VAGUE[" ".join(match["vague"].lower().split())]
        scale = SCALES[match["vscale"].lower()]
        return float(low * scale), float(high * scale)
    if match["plural"]:
        scale = SCALES[match["plural"].lower()[:-1]]
        return float(2 * scale), float(99 if scale == 12 else 10 * scale - 1)
    if match["digits"]:
        value = float(match["digits"].replace(",", ""))
        scale = (match["scale"] or "").lower()
        value *= {"hundred": 100, "thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}.get(scale, 1)
        return value, value
    return _words_value(match["words"])


def _hedged(hedge: re.Match | None, low: float, high: float) -> tuple[float, float]:
    if hedge is None:
        return low, high
    if hedge["over"]:
        return low, float("inf")
    margin = max(1.0, 0.1 * high)
    return max(0.0, low - margin), high + margin


def _words_value(words: str) -> tuple[float, float] | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
    value = total + current
    return (float(value), float(value)) if value or "zero" in words.lower() else None


def _unit_after(text: str, end: int, of_allowed: bool = False) -> tuple[str, int]:
    """The stem of the noun right after a quantity, skipping a hyphen or an adjective or two.

    `of_allowed`: the quantity is a vague amount that takes "of" ("hundreds of fighters").
    """
    position, skipped = end, 0
    for word in _WORD.finditer(text, end):
        gap = text[position : word.start()]
        if gap.strip(" -") or skipped > 2:
            break
        lower = word.group().lower()
        if lower == "of" and skipped == 0 and of_allowed:
            position, of_allowed = word.end(), False
            continue
        if lower in _SKIP_AFTER or lower in STOP:
            break
        if word.group()[0].isupper() or lower.endswith(("ed", "ly")) or lower in _ADJECTIVES:
            position, skipped = word.end(), skipped + 1
            continue
        return stem(lower), word.end()
    return "", end


def _inside_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalpha())
