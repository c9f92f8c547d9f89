"""Encoding faults in text (mojibake): found, and repaired, with ftfy.

    repair("Assimi GoÃ¯ta")             # 'Assimi Goïta': UTF-8 read as Windows-1252
    repair("Putinís visit")              # 'Putin’s visit': Windows-1252 read as Mac Roman
    faults("Lavrov met GoÃ¯ta.")         # [Fault(11, 17, 'GoÃ¯ta', 'Goïta')]

ftfy undoes text decoded with the wrong codec, the common case of UTF-8 read as Windows-1252 or
Latin-1; curly quotes and other typography are kept as they are. Its heuristics leave alone one
pattern of old wire feeds, a Windows-1252 apostrophe read as Mac Roman ("Putinís", "donít"), which is
repaired here in a capitalised name's possessive and in English contractions only, where no language
writes an 'í' ('país' and 'Raúl' stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy

_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, normalization=None, explain=False
)
_MAC_ROMAN_APOSTROPHE = re.compile(
    r"\b([A-Z][a-z]{3,})í(s)\b"
    r"|\b([Dd]on|[Dd]oesn|[Dd]idn|[Ii]sn|[Ww]asn|[Aa]ren|[Ww]eren|[Cc]an|[Ww]on|[Cc]ouldn|[Ww]ouldn|[Hh]aven|[Hh]asn)í(t)\b"
    r"|\b(I|[Yy]ou|[Ww]e|[Tt]hey|[Hh]e|[Ss]he|[Ii]t|[Tt]hat|[Tt]here)í(s|m|re|ve|ll|d)\b"
)
"""Windows-1252's right single quotation mark (0x92) read as Mac Roman: 'í' in 'Putinís', 'donít'."""
_SUSPECT = re.compile(
    "[\u00a1-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
"""The characters that text decoded with the wrong codec is made of; text without any is left alone."""
_TOKEN = re.compile(r"\S+")
_EDGE = "\"'“”‘’«»()[]{}.,;:!?"


@dataclass(frozen=True)
class Fault:
    start: int
    end: int
    text: str
    repaired: str


def repair(text: str) -> str:
    """The text with its encoding faults undone; text without any comes back unchanged."""
    if not _SUSPECT.search(text):
        return text
    fixed = ftfy.fix_text(text, _CONFIG)
    return _MAC_ROMAN_APOSTROPHE.sub(lambda m: "’".join(g for g in m.groups() if g), fixed)


def faults(text: str) -> list[Fault]:
    """The words of `text` that an encoding fault garbled, each with its repair."""
    if not _SUSPECT.search(text) or repair(text) == text:
        return []
    found = []
    for token in _TOKEN.finditer(text):
        word = token.group()
        if not _SUSPECT.search(word):
            continue
        start, end = token.start(), token.end()
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        fixed = repair(text[start:end])
        if fixed != text[start:end]:
            found.append(Fault(start, end, text[start:end], fixed))
    return found
