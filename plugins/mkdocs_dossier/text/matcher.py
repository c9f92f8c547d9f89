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

What a reader does not see as a difference is folded away, in the spellings and in the text alike:
diacritics ("Goita" finds "Goïta" and "Goïta" finds "Goita", unless a spelling is accent-sensitive),
decomposed Unicode (NFD), runs of spaces, soft hyphens and zero-width characters, and capitals in an
all-capital run ("BAMAKO, Mali (AP) —"). The text is folded once and the automaton runs on the folded
text; each folded character remembers the stretch of the original it stands for, so every offset a
match reports is exact in the original.
"""

from __future__ import annotations

import re
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
    if before == " ":
        return True
    if _is_unspaced(before) or _is_unspaced(text[start]):
        return True
    if is_word_char(before):
        return False
    return not (before in _JOINERS and start >= 2 and is_word_char(text[start - 2]))


def ends_at_edge(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    after = text[end]
    if after == " ":
        return True
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


_DIACRITIC_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_DIACRITICS = re.compile(f"[{_DIACRITIC_RANGES}]")
"""Combining marks that accent Latin, Greek and Cyrillic letters; the vowel signs of Indic scripts
and other marks that change a letter are not among them, and stay. They are folded away from Latin
and Greek letters, and from Cyrillic 'ё' (often printed 'е'), but not from 'й', another letter."""
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Soft hyphens and zero-width characters: in the text, but not on the page."""
_SPACES = " \t\n\r\u00a0\u202f\u2000-\u200a\u3000"
_LETTERS = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ı": "i",
}  # fmt: skip
"""Letters that no decomposition takes apart, as wire copy writes them without their stroke or ligature."""
_UNEVEN = re.compile(f"[{_DIACRITIC_RANGES}{_INVISIBLE}ßẞæÆœŒþÞ]")
"""What folds to no character or to two: without any, and without two spaces in a row once folded, a
text folds character for character."""
_SPACE_LIKE = re.compile(f"[{_SPACES}]")
_NAME_WORD = re.compile(r"[^\W\d_]+")


def _fold_char(ch: str, lower: bool) -> str:
    if ch in _INVISIBLE or _DIACRITICS.match(ch):
        return ""
    if _SPACE_LIKE.match(ch):
        return " "
    ch = ch.translate(_SAME_WIDTH)
    if ch in _LETTERS:
        folded = _LETTERS[ch]
        return folded.lower() if lower else folded
    if ch.isascii():
        return ch.lower() if lower else ch
    base = _DIACRITICS.sub("", unicodedata.normalize("NFD", ch))
    if len(base) != 1 or not (ord(base) < 0x250 or 0x370 <= ord(base) < 0x400 or ch in "ёЁ"):
        base = ch
    if lower:
        low = _DIACRITICS.sub("", base.lower())
        return low if len(low) == 1 else base
    return base


class _FoldTable(dict):
    """`str.translate`'s table for folding, filled as characters are first met."""

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code), self.lower)
        return value


_LOWER = _FoldTable(lower=True)
_CASED = _FoldTable(lower=False)


class Folded:
    """A text folded for matching (see the module's docstring), with the stretch of the original
    text that each folded character stands for."""

    __slots__ = ("ends", "starts", "text")

    def __init__(self, text: str, lower: bool = True) -> None:
        table = _LOWER if lower else _CASED
        folded = text.translate(table)
        if "  " not in folded and not _UNEVEN.search(text):
            self.text, self.starts, self.ends = folded, None, None
            return
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        space = False
        index, length = 0, len(text)
        while index < length:
            # A letter and the combining marks after it fold as the letter they compose, if they do.
            after = index + 1
            while after < length and _DIACRITICS.match(text, after):
                after += 1
            composed = unicodedata.normalize("NFC", text[index:after]) if after > index + 1 else text[index]
            folded = table[ord(composed[0] if len(composed) != 1 else composed)]
            if not folded or (space and folded == " "):
                if ends:
                    ends[-1] = after
                index = after
                continue
            space = folded == " "
            for piece in folded:
                pieces.append(piece)
                starts.append(index)
                ends.append(after)
            index = after
        self.text, self.starts, self.ends = "".join(pieces), starts, ends

    def start(self, index: int) -> int:
        """Where the folded character at `index` starts in the original."""
        return index if self.starts is None else self.starts[index]

    def end(self, index: int) -> int:
        """Where the folded character at `index` ends in the original, marks and soft hyphens after it included."""
        return index + 1 if self.ends is None else self.ends[index]


def without_diacritics(text: str) -> str:
    """A text as wire copy would print it: 'Assimi Goïta' gives 'Assimi Goita' (case kept)."""
    return Folded(text, lower=False).text


def reading_key(text: str) -> str:
    """A text as the matcher compares it: case, diacritics, spacing and invisible characters folded away."""
    return Folded(text).text


def _marked(text: str) -> str:
    """A text with its diacritics kept but composed, and its spacing and invisible characters folded."""
    composed = unicodedata.normalize("NFC", normalize(text)).translate({ord(c): None for c in _INVISIBLE})
    return " ".join(composed.split()).casefold()


@dataclass(frozen=True)
class Spelling:
    form: str
    target: Target
    case_sensitive: bool
    priority: int = 0
    accent_sensitive: bool = False
    """Match the diacritics as written: "Türk" finds "Türk" (in any Unicode form) but not "Turk"."""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    target: Target
    text: str


@dataclass(frozen=True)
class _Entry:
    cased: str
    """The spelling folded but for its case."""
    marked: str
    """The spelling with its diacritics, for accent-sensitive spellings."""
    spelling: Spelling


class Matcher:
    """All spellings of a dossier in one automaton; `find` costs the same for 10 or 30,000 of them."""

    def __init__(self, spellings: Iterable[Spelling]) -> None:
        by_key: dict[str, list[_Entry]] = {}
        for spelling in spellings:
            key = reading_key(spelling.form).strip()
            if key:
                entry = _Entry(Folded(spelling.form, lower=False).text.strip(), _marked(spelling.form), spelling)
                by_key.setdefault(key, []).append(entry)
        self._automaton = ahocorasick.Automaton()
        for key, entries in by_key.items():
            entries.sort(
                key=lambda e: (
                    -e.spelling.priority,
                    not e.spelling.accent_sensitive,
                    not e.spelling.case_sensitive,
                    e.spelling.target,
                )
            )
            self._automaton.add_word(key, (len(key), tuple(entries)))
        self.size = len(by_key)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str, lead: str = "", trail: str = "") -> list[Match]:
        """Leftmost-longest, non-overlapping matches in `text`, in order, with offsets into `text`.

        `lead` and `trail` are the characters just around `text` where it is a piece of something
        longer (a text node in a paragraph), so that word edges are judged on the whole.
        """
        if not self.size or not text:
            return []
        whole = lead + text + trail
        exact = normalize(whole)
        folded = Folded(whole)
        low, high = len(lead), len(lead) + len(text)
        candidates = []
        starts, ends = folded.starts, folded.ends
        for last, (length, entries) in self._automaton.iter(folded.text):
            if starts is None:
                start, end = last - length + 1, last + 1
            else:
                start, end = starts[last - length + 1], ends[last]
            if start < low or end > high:
                continue
            spelling = entries[0].spelling
            if whole[start:end] == spelling.form or not (spelling.case_sensitive or spelling.accent_sensitive):
                target = spelling.target
            else:
                target = self._accepted(entries, whole, start, end)
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

    @staticmethod
    def _accepted(entries: tuple[_Entry, ...], whole: str, start: int, end: int) -> Target | None:
        """The target of the first spelling whose case and accents the text at start:end honours."""
        piece = whole[start:end]
        cased = marked = None
        for entry in entries:
            spelling = entry.spelling
            if piece == spelling.form:
                return spelling.target
            if spelling.accent_sensitive:
                marked = _marked(piece) if marked is None else marked
                if marked != entry.marked:
                    continue
            if spelling.case_sensitive:
                cased = Folded(piece, lower=False).text if cased is None else cased
                if cased != entry.cased and not (
                    cased == entry.cased.upper() and _in_capitals(whole, start, end, cased)
                ):
                    continue
            return spelling.target
        return None


def _in_capitals(whole: str, start: int, end: int, cased: str) -> bool:
    """Whether a name written in capitals stands in a run of capitals, where case says nothing: an
    all-capital line ("LAVROV PLEDGES AID"), or a dateline ("BAMAKO, Mali (AP) —")."""
    if sum(ch.isalpha() for ch in cased) < 2:
        return False
    before = _NAME_WORD.findall(whole, max(0, start - 40), start)
    after = _NAME_WORD.search(whole, end, end + 40)
    if (before and _capitals(before[-1])) or (after is not None and _capitals(after.group())):
        return True
    opens = not whole[:start].strip(" ") or whole[:start].rstrip(" ").endswith("\n")
    return opens and re.match(r" ?[,(—–-]", whole[end:]) is not None


def _capitals(word: str) -> bool:
    return len(word) >= 2 and word.isupper()
