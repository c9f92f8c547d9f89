"""Names the registries miss: spellings close to a registered one, and names that recur unregistered.

    findings = find_variants(dossier, annotations)   # annotations: article id -> Annotation
    for finding in findings:
        print(finding)          # dossier/articles/ap.md:31: "Goeta" looks like a spelling of ...
    print(findings_as_yaml(findings))                # entries to paste into entities.yml

A candidate is a run of capitalised words in an article's plain text that no mention or glossary
term covers ("Goeta", "Petteri Taalas"). A sentence's first word counts only if some article
writes it capitalised inside a sentence, or if it opens a longer name; common opening words, titles,
days and months never count. A word of a registered name on its own ("Buzz" of "Buzz Aldrin") is a
short form, not a variant. A candidate is a *variant* when rapidfuzz finds it close to a registered
spelling (accents and case aside), and *unregistered* when it is close to none but appears in two or
more articles. Findings are suggestions: they never fail a build.

Close means one of: a rapidfuzz ratio from `cutoff`; the same sounds once transliteration is folded
away ("Asemi Guetta" and "Assimi Goïta", "Abdallah" and "Abdoulaye": see `_phonetic`), word by word;
or, in a name of three words or more, all words the same but one ("Russian Ministry of Protection").
A run of capitals right before a person's mention is read with it ("Abdullah" before the mention
"Diop" is "Abdullah Diop"), so that an alias of the surname does not hide a garbled first name.
A single word alone is compared with the words of people's names only: "State" is not a spelling of
"United States". Only running prose is read (not headings or tables), possessives are cut ("Lavrov’s"
is "Lavrov"), and demonyms ("Germans"), titles and words the articles also write in lower case
("State", "Three") are never names. Words that an encoding fault garbled ("Putinís", "GoÃ¯ta") are
reported as such, *encoding* findings, with the repaired text.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml
from rapidfuzz import fuzz

from ..sources.model import Annotation, Article, Dossier, Entity
from ..text.encoding import faults

OPENING_WORDS = frozenset(
    """
    a about after again against all also although an and another any as at because before both but by
    despite during each either even every few for from further given had has have he her here his how
    however i if in instead it its last later many meanwhile more most much my neither no nor not now of
    on once one only or other our over she since so some such than that the their then there these they
    this those though through thus to under unlike until we what when where whether which while who why
    with within without yet you your
    """.split()
)
"""Words that often open a sentence; written with a capital there, they are not names."""

TITLES = frozenset(
    """
    mr mrs ms dr sir dame lord lady president vice prime minister secretary general colonel col gen
    captain capt commander lieutenant lt sergeant major admiral king queen prince princess pope senator
    sen governor gov mayor chief chairman chairwoman judge justice ambassador envoy spokesman spokeswoman
    spokesperson director professor prof astronaut rev saint st foreign defence defense interior finance
    overseas international excessive high deputy acting former
    """.split()
)
"""Words that stand before a name without being part of it."""

PORTFOLIOS = frozenset(
    """
    affairs agriculture commerce communications culture economy education energy environment health
    homeland justice labor labour security staff state trade transport treasury
    """.split()
)
"""What a title is of ('Secretary of State', 'Chief of Staff', 'Minister of Foreign Affairs'): after a
title, and alone, they are no one's name."""
CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december
    """.split()
)
DIRECTIONS = frozenset("north northern south southern east eastern west western central".split())
DEMONYMS = frozenset(
    """
    afghan african albanian algerian american angolan arab arabic argentine argentinian armenian asian
    australian austrian azerbaijani bahraini bangladeshi belarusian belgian beninese bolivian bosnian
    brazilian briton british bulgarian burkinabe burmese burundian cambodian cameroonian canadian
    catholic chadian chechen chilean chinese christian colombian congolese croat croatian cuban cypriot
    czech dane danish democrat djiboutian dominican dutch ecuadorian egyptian emirati english eritrean
    estonian ethiopian european filipino finn finnish french gabonese gambian georgian german ghanaian
    greek guatemalan guinean haitian hindu honduran hungarian icelandic indian indonesian iranian iraqi
    irish islamist israeli italian ivorian jamaican japanese jew jewish jordanian kazakh kenyan korean
    kurd kurdish kuwaiti kyrgyz lao latin latvian lebanese liberian libyan lithuanian macedonian malagasy
    malawian malaysian malian maltese mauritanian mexican moldovan mongolian montenegrin moroccan
    mozambican muslim namibian nepali nigerian nigerien nicaraguan norwegian omani orthodox pakistani
    palestinian panamanian paraguayan persian peruvian pole polish portuguese protestant qatari
    republican romanian russian rwandan sahelian salvadoran saudi scot scottish senegalese serb serbian
    shia shiite sikh slovak slovene slovenian somali soviet spaniard spanish sudanese sunni swede swedish
    swiss syrian taiwanese tajik tanzanian thai tibetan togolese tunisian turk turkish turkmen ugandan
    ukrainian uruguayan uzbek venezuelan vietnamese welsh westerner yemeni zambian zimbabwean
    """.split()
)
"""Peoples and their adjectives, which news capitalises but which are no one's name ('American',
'Germans'); with a plural 's' they are too."""
_TRANSLITERATIONS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ph", "f"), (r"kh", "k"), (r"gh", "g"), (r"dh", "d"), (r"th", "t"), (r"sch", "sh"), (r"tch", "ch"),
        (r"ou|oo", "u"), (r"ee", "i"), (r"y", "i"), (r"gu(?=[ei])", "g"), (r"qu", "k"), (r"ck", "k"),
        (r"c(?=[aou])", "k"), (r"w", "v"), (r"(?<=[aeiou])h\b", ""), (r"(?<=[^aeiou])e\b", ""),
    )
)  # fmt: skip
"""Spellings that transliterations of one name differ by: 'Abdoulaye'/'Abdullah', 'Sergei'/'Sergey'."""
_VOWELS = re.compile(r"[aeiou]+")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])\Z")
NAME_LINKS = frozenset("of de du da del der den van von al el bin ibn la le".split())
ADJECTIVE_ENDINGS = ("n", "an", "ian", "ese", "i", "ish", "ic", "ns", "ans", "ians")
"""'Russia' gives 'Russian', 'Mali' gives 'Malian': adjectives of registered names are not names."""

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[’'-][^\W\d_][^\W_]*)*")
_SENTENCE_OPENERS = "\"'“‘«([—–"
_NONZERO = re.compile(rb"[^\x00]")
_NOT_CONSONANT = re.compile(r"[^a-z]|[aeiouy]")
_DOUBLES = re.compile(r"(.)\1+")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")
_CAPITAL = re.compile(r"[A-Z\u0080-\U0010ffff](?<=[^\W\d_])(?<![^\W\d_].)[^\W_]*(?:[’'-][^\W\d_][^\W_]*)*")
"""A word (`_WORD`) that can open with a capital: its first letter is an upper-case ASCII one or a
non-ASCII one, and follows no letter. (An ASCII range first lets the search skip quickly.)"""


@dataclass(frozen=True)
class VariantOptions:
    cutoff: float = 80.0
    """The rapidfuzz ratio (0 to 100) from which a name is a spelling of a registered one. Names whose
    consonants match a registered spelling's and that start with the same letter need only `cutoff - 10`
    ("Goeta" and "Guetta")."""
    min_articles: int = 2
    """In how many articles a name close to nothing registered must appear to be reported."""


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    article: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Finding:
    """A name the registries miss, where it appears, and what to add."""

    name: str
    kind: str
    """'variant' (close to a registered spelling), 'unregistered' (close to none, but recurring) or
    'encoding' (garbled by an encoding fault; `close_to` is the repaired text)."""
    locations: tuple[Location, ...]
    entity: Entity | None = None
    """For a variant: the registered entity it looks like."""
    close_to: str = ""
    """For a variant: the registered spelling it is closest to."""
    score: float = 0.0

    @property
    def suggested_id(self) -> str:
        return self.entity.id if self.entity else slug(self.name)

    @property
    def suggestion(self) -> str:
        """The entry to write in entities.yml, on one line (YAML flow style)."""
        if self.entity is not None:
            aliases = ", ".join(_flow(a) for a in (*self.entity.aliases, self.name))
            return f"aliases: [{aliases}]"
        return f"{self.suggested_id}: {{name: {_flow(self.name)}, type: other}}"

    @property
    def message(self) -> str:
        also = ""
        if len(self.locations) > 1:
            also = f" (also {', '.join(str(loc) for loc in self.locations[1:])})"
        if self.entity is not None:
            return (
                f'"{self.name}"{also} looks like a spelling of {self.entity.name} (close to "{self.close_to}", '
                f"{self.score:.0f}%) that entities.yml does not list; if it is one, give {self.entity.id} "
                f"these aliases: {self.suggestion}"
            )
        if self.kind == "encoding":
            return (
                f'"{self.name}"{also} is garbled by an encoding fault (mojibake); the text means '
                f'"{self.close_to}": repair it in the article (dossier import repairs such text on the way in)'
            )
        articles = len({loc.article for loc in self.locations})
        return (
            f'"{self.name}" appears in {articles} articles{also} but in no registry; to give it a page, '
            f"add to entities.yml: {self.suggestion}"
        )

    def __str__(self) -> str:
        return f"{self.locations[0]}: {self.message}"


def find_variants(
    dossier: Dossier, annotations: Mapping[str, Annotation], options: VariantOptions | None = None
) -> list[Finding]:
    """Every name close to a registered spelling, or recurring unregistered, in the annotated articles."""
    options = options or VariantOptions()
    registered = _registered(dossier)
    known = {_fold(form) for form, _ in registered} | {
        _fold(form) for term in dossier.terms.values() for form in term.surface_forms
    }
    known |= {_fold(article.outlet) for article in dossier.articles.values()}
    adjectives = _Adjectives({_fold(form) for form, _ in registered if " " not in form and len(form) >= 4})
    present = [(a, annotations[a.id]) for a in dossier.articles_by_date if a.id in annotations]
    # One article's words at a time, here and below: every article's at once would hold a copy of
    # every word of the dossier.
    inside_capitals: set[str] = set()
    lower_words: set[str] = set()
    for _, annotation in present:
        inside_capitals |= _capitals_inside_sentences(annotation)
        lower_words.update(_LOWER_WORD.findall(annotation.text))
    skipped: dict[str, bool] = {}
    seen: dict[str, dict[str, list[int]]] = defaultdict(dict)
    garbled: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    for article, annotation in present:
        faulty = []
        for fault in faults(annotation.text):
            garbled[(fault.text, fault.repaired)].setdefault(article.id, []).append(fault.start)
            faulty.append((fault.start, fault.end))
        prose = _Prose(annotation)
        surnames = {m.start: m for m in annotation.mentions if _part_of_a_name(dossier.entities[m.entity], m.text)}
        for name, start in _candidates(annotation, inside_capitals):
            name = _POSSESSIVE.sub("", name)
            end = start + len(name)
            if not name or not prose.holds(start) or any(s < end and start < e for s, e in faulty):
                continue
            attached = surnames.get(end + 1) if annotation.text[end : end + 1] in (" ", "\n") else None
            if attached is not None and prose.same_sentence(start, attached.start):
                name = f"{name} {attached.text}"
            skip = skipped.get(name)
            if skip is None:
                folded = _fold(name)
                skip = skipped[name] = (
                    folded in known or adjectives.match(folded) or _never_a_name(name, folded, lower_words)
                )
            if not skip:
                seen[name].setdefault(article.id, []).append(start)
    spellings = _Spellings(registered, options.cutoff)
    findings = [
        Finding(
            text,
            "encoding",
            tuple(
                _locate(dossier.articles[article_id], text, annotations[article_id].text, starts[0])
                for article_id, starts in places.items()
            ),
            close_to=repaired,
        )
        for (text, repaired), places in garbled.items()
    ]
    for name, places in seen.items():
        locations = tuple(
            _locate(dossier.articles[article_id], name, annotations[article_id].text, starts[0])
            for article_id, starts in places.items()
        )
        match = spellings.closest(name) or spellings.alike(name)
        if match is not None:
            entity, form, score = match
            findings.append(Finding(name, "variant", locations, entity, form, score))
        elif len(places) >= options.min_articles:
            findings.append(Finding(name, "unregistered", locations))
    order = {"encoding": 0, "variant": 1, "unregistered": 2}
    return sorted(findings, key=lambda f: (order[f.kind], f.locations[0].path, f.locations[0].line, f.name))


_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-z][a-z]+(?![^\W\d_])")


def _never_a_name(name: str, folded: str, lower_words: set[str]) -> bool:
    """A demonym, a title, or a word the articles also write in lower case, alone."""
    if " " in folded:
        return False
    word = folded.rstrip("s") if folded.rstrip("s") in DEMONYMS else folded
    return word in DEMONYMS or folded in TITLES or folded in PORTFOLIOS or folded in lower_words


class _Prose:
    """The stretches of an article's text that are sentences of running prose, not headings or tables."""

    def __init__(self, annotation: Annotation) -> None:
        spans = sorted((s.start, s.end) for s in annotation.sentences)
        self.starts = [start for start, _ in spans]
        self.reach = list(itertools.accumulate((end for _, end in spans), max))

    def holds(self, offset: int) -> bool:
        before = bisect.bisect_right(self.starts, offset)
        return before > 0 and self.reach[before - 1] > offset

    def same_sentence(self, first: int, second: int) -> bool:
        return self.holds(first) and bisect.bisect_right(self.starts, first) == bisect.bisect_right(self.starts, second)


def _part_of_a_name(entity: Entity, text: str) -> bool:
    """Whether a mention of a person is a part of a longer registered name ('Diop' of 'Abdoulaye Diop'):
    the words before it may be a garbled rest of that name ('Abdallah Diop'), where before a whole
    name they are a title ('Secretary of State Antony Blinken')."""
    words = len(text.split())
    return entity.type == "person" and any(len(form.split()) > words for form in entity.surface_forms)


def findings_as_yaml(findings: list[Finding]) -> str:
    """The findings as entries ready to paste into entities.yml, with what each one replaces or adds."""
    aliases: dict[str, tuple[Entity, list[Finding]]] = {}
    new: dict[str, Finding] = {}
    for finding in findings:
        if finding.kind == "encoding":
            continue
        if finding.entity is not None:
            aliases.setdefault(finding.entity.id, (finding.entity, []))[1].append(finding)
        else:
            new.setdefault(finding.suggested_id, finding)
    parts = ["# Suggested by the name-variant check; review each entry before pasting it into entities.yml."]
    for entity_id, (entity, found) in aliases.items():
        record: dict[str, object] = {"name": entity.name, "type": entity.type}
        record["aliases"] = list(dict.fromkeys((*entity.aliases, *(f.name for f in found))))
        if entity.summary:
            record["summary"] = entity.summary
        if entity.wikidata:
            record["wikidata"] = entity.wikidata
        names = ", ".join(f"{f.name} ({f.locations[0]})" for f in found)
        parts.append(f"\n# Replaces the entry {entity_id}: adds the alias {names}.")
        parts.append(_dump({entity_id: record}))
    for entity_id, finding in new.items():
        where = ", ".join(str(loc) for loc in finding.locations)
        parts.append(f"\n# New: {finding.name}, seen at {where}. Set its type: person, organization, place or other.")
        parts.append(_dump({entity_id: {"name": finding.name, "type": "other"}}))
    return "\n".join(parts) + "\n"


def slug(name: str) -> str:
    """An entity id for a name: 'Petteri Taalas' gives 'petteri-taalas'."""
    return re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-") or "entity"


def _registered(dossier: Dossier) -> list[tuple[str, Entity]]:
    return [(form, entity) for entity in dossier.entities.values() for form in entity.surface_forms]


def _covered(annotation: Annotation) -> list[tuple[int, int]]:
    return sorted([(m.start, m.end) for m in annotation.mentions] + [(t.start, t.end) for t in annotation.terms])


def _capitals_inside_sentences(annotation: Annotation) -> set[str]:
    """Capitalised words written inside a sentence, outside mentions: names, whatever else they are."""
    text, covered = annotation.text, _Covered(annotation)
    starts = {s.start for s in annotation.sentences}
    return {
        w.group()
        for w in _capital_words(text)
        if not _opens_sentence(text, w.start(), starts) and not covered.overlaps(w.start(), w.end())
    }


class _Covered:
    """The stretches of an article's text that mentions and terms cover, for overlap tests."""

    def __init__(self, annotation: Annotation) -> None:
        spans = _covered(annotation)
        self.starts = [start for start, _ in spans]
        self.reach = list(itertools.accumulate((end for _, end in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start


def _capital_words(text: str) -> list[re.Match]:
    """The words of `text`, as `_WORD.finditer` finds them, that open with a capital letter.

    Only the letters that can open one are looked at: upper-case ASCII ones and non-ASCII ones that
    follow no letter; of those, the ones that go on a word begun before them are left out.
    """
    words = []
    for word in _CAPITAL.finditer(text):
        start = word.start()
        if text[start].isupper() and not (start and text[start - 1] not in " \n" and _goes_on(text, start)):
            words.append(word)
    return words


def _goes_on(text: str, start: int) -> bool:
    """Whether the letter at `start` continues a word: one that ends right before it, or before an
    apostrophe or hyphen right before it."""
    before = start - 1
    if before >= 0 and text[before] in "’'-":
        before -= 1
    while before >= 0 and _ALNUM.match(text, before):
        if _LETTER.match(text, before):
            return True
        before -= 1
    return False


def _candidates(annotation: Annotation, inside_capitals: set[str]):
    """(name, offset) of each run of capitalised words that no mention or term covers.

    A run is capitalised words, and the name links between them, each after a space or a hyphen. The
    text's other words only end runs, so only the capitalised words are visited, and the words right
    after a run.
    """
    text = annotation.text
    covered = _Covered(annotation)
    starts = {s.start for s in annotation.sentences}
    run: list[re.Match] = []
    for word in _capital_words(text):
        uncovered = not covered.overlaps(word.start(), word.end())
        if run:
            after = _extend(text, run, covered)
            if after is not None and after.start() == word.start() and _joined(text, run[-1], word) and uncovered:
                run.append(word)
                continue
            yield from _names(text, run, starts, inside_capitals)
        run = [word] if uncovered else []
    if run:
        _extend(text, run, covered)
        yield from _names(text, run, starts, inside_capitals)


def _extend(text: str, run: list[re.Match], covered: _Covered) -> re.Match | None:
    """Add to `run` the name links that follow it ('of', 'de'); return the word after them, if any."""
    while True:
        after = _WORD.search(text, run[-1].end())
        if after is None or after.group()[0].isupper():
            return after
        if (
            after.group().lower() in NAME_LINKS
            and _joined(text, run[-1], after)
            and not covered.overlaps(*after.span())
        ):
            run.append(after)
            continue
        return after


def _joined(text: str, first: re.Match, second: re.Match) -> bool:
    return text[first.end() : second.start()] in (" ", "-")


def _names(text: str, run: list[re.Match], starts: set[int], inside_capitals: set[str]):
    while run and run[-1].group().lower() in NAME_LINKS:
        run = run[:-1]
    after_title = False
    while run:
        first = run[0].group()
        lower = first.lower()
        if lower in TITLES or lower in CALENDAR or lower in OPENING_WORDS or (after_title and lower in PORTFOLIOS):
            after_title = lower in TITLES or lower in PORTFOLIOS
            run = run[1:]
            while run and run[0].group().lower() in NAME_LINKS:
                run = run[1:]
            continue
        break
    if not run:
        return
    if len(run) == 1:
        word = run[0].group()
        if word.lower() in DIRECTIONS or len(word) < 3:
            return
        if _opens_sentence(text, run[0].start(), starts) and word not in inside_capitals:
            return
    yield text[run[0].start() : run[-1].end()], run[0].start()


def _opens_sentence(text: str, start: int, starts: set[int]) -> bool:
    """Whether a word opens a sentence, a quoted sentence or what follows a colon."""
    position = start
    while position > 0 and text[position - 1] in _SENTENCE_OPENERS:
        position -= 1
    if position in starts:
        return True
    while position > 0 and text[position - 1] in " \t":
        position -= 1
    return position == 0 or text[position - 1] in "\n:.!?;"


class _Spellings:
    """The registered spellings, indexed so that a name is only compared with those that can come close.

    `closest` answers what comparing the name with every registered spelling in turn would: the
    highest-scoring close spelling, the first of equals. A spelling of n characters that lacks c of
    the name's m characters (counted with their repeats) has at most m - c of them in common with it,
    so their ratio is at most 200 (m - c) / (m + n). Each character, and its second, third ...
    occurrence, has a bitmask of the spellings that hold it; a name counts, for all spellings at once,
    how many of its characters each lacks, and only those that lack few enough are scored. A match
    below `cutoff` needs the same first letter and consonants, which a dictionary finds.
    """

    def __init__(self, registered: list[tuple[str, Entity]], cutoff: float) -> None:
        self.cutoff = cutoff
        first: dict[tuple[str, bool], int] = {}
        self.shown: list[tuple[Entity, str]] = []
        folds: dict[str, str] = {}
        for form, entity in registered:
            choices = [(form, True)]
            if " " in form and entity.type == "person":
                choices += [(w, False) for w in form.split() if len(w) >= 4 and w[0].isupper()]
            for choice, whole in choices:
                folded = folds.get(choice)
                if folded is None:
                    folded = folds[choice] = _fold(choice)
                key = (folded, whole)
                if key not in first:
                    first[key] = len(self.shown)
                    self.shown.append((entity, choice))
        ordered = sorted(first, key=lambda key: (len(key[0]), first[key]))
        self.folded = [folded for folded, _ in ordered]
        self.whole = [whole for _, whole in ordered]
        self.order = [first[key] for key in ordered]
        self.lengths: dict[int, tuple[int, int]] = {}
        for index, folded in enumerate(self.folded):
            start, _ = self.lengths.get(len(folded), (index, index))
            self.lengths[len(folded)] = (start, index + 1)
        size = (len(ordered) + 7) // 8
        bits: dict[tuple[str, int], bytearray] = {}
        self.skeletons: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, folded in enumerate(self.folded):
            for token in _occurrences(folded):
                bits.setdefault(token, bytearray(size))[index >> 3] |= 1 << (index & 7)
            self.skeletons[(folded[:1], _skeleton(folded))].append(index)
        self.holding = {token: int.from_bytes(mask, "little") for token, mask in bits.items()}
        self.sounds: dict[tuple[str, ...], list[int]] = defaultdict(list)
        """Spellings by the sounds of their words (`_phonetic`)."""
        self.all_but_one: dict[tuple[str, ...], list[int]] = defaultdict(list)
        """Names of three words or more, by their words with one of them left out ('*')."""
        for index, folded in enumerate(self.folded):
            words = folded.split()
            self.sounds[tuple(_phonetic(w) for w in words)].append(index)
            if self.whole[index] and len(words) >= 3:
                for position in _replaceable(words):
                    self.all_but_one[(*words[:position], "*", *words[position + 1 :])].append(index)
        self.everything = (1 << len(ordered)) - 1
        self._found: dict[tuple[str, bool], tuple[Entity, str, float] | None] = {}

    def closest(self, name: str) -> tuple[Entity, str, float] | None:
        """The registered entity, spelling and ratio that `name` is closest to, if any is close."""
        key = (_fold(name), " " in name)
        if key not in self._found:
            self._found[key] = self._search(*key)
        return self._found[key]

    def _search(self, folded: str, wholes_only: bool) -> tuple[Entity, str, float] | None:
        cutoff = self.cutoff
        candidates = set(self._sharing(folded))
        candidates.update(self.skeletons.get((folded[:1], _skeleton(folded)), ()))
        best: tuple[float, int] | None = None
        for index in candidates:
            whole, other = self.whole[index], self.folded[index]
            if wholes_only and not whole:
                continue
            score = fuzz.ratio(folded, other)
            if not whole and score == 100:
                continue
            close = score >= cutoff or (
                score >= cutoff - 10 and folded[:1] == other[:1] and _skeleton(folded) == _skeleton(other)
            )
            if close and (best is None or (score, -self.order[index]) > (best[0], -best[1])):
                best = (score, self.order[index])
        return self._shown(best)

    def alike(self, name: str) -> tuple[Entity, str, float] | None:
        """The registered entity and spelling that `name` is a garble of, by sound or by one word,
        where `closest` finds none: 'Asemi Guetta' for 'Assimi Goïta'."""
        folded = _fold(name)
        return self._shown(self._sounding(folded, " " in name) or self._all_but_one(folded))

    def _shown(self, best: tuple[float, int] | None) -> tuple[Entity, str, float] | None:
        if best is None:
            return None
        entity, choice = self.shown[best[1]]
        return entity, choice, best[0]

    def _sounding(self, folded: str, wholes_only: bool) -> tuple[float, int] | None:
        """The best spelling whose words sound like the name's, each word of four letters or more
        starting with the same letter ('Asemi Guetta', 'Assimi Goïta'); a single word needs five."""
        words = folded.split()
        shortest = 4 if len(words) > 1 else 5
        best = None
        for index in self.sounds.get(tuple(_phonetic(w) for w in words), ()):
            if wholes_only and not self.whole[index]:
                continue
            other = self.folded[index]
            if other == folded or not all(
                a == b or (a[0] == b[0] and min(len(a), len(b)) >= shortest)
                for a, b in zip(words, other.split(), strict=True)
            ):
                continue
            score = fuzz.ratio(folded, other)
            if score >= 50 and (best is None or (score, -self.order[index]) > (best[0], -best[1])):
                best = (score, self.order[index])
        return best

    def _all_but_one(self, folded: str) -> tuple[float, int] | None:
        """The best registered name of three words or more that the name repeats but for one word
        ('Russian Ministry of Protection', 'Russian Ministry of Defence')."""
        words = folded.split()
        if len(words) < 3:
            return None
        best = None
        for position in _replaceable(words):
            for index in self.all_but_one.get((*words[:position], "*", *words[position + 1 :]), ()):
                score = fuzz.ratio(folded, self.folded[index])
                if best is None or (score, -self.order[index]) > (best[0], -best[1]):
                    best = (score, self.order[index])
        return best

    def _sharing(self, folded: str) -> Iterator[int]:
        """The spellings that hold enough of the characters of `folded` to reach `cutoff`."""
        m = len(folded)
        allowed = {}
        for n, bounds in self.lengths.items():
            misses = math.floor(m - self.cutoff * (m + n) / 200 + 1e-9)
            if misses >= 0:
                allowed[n] = (bounds, min(misses, m))
        if not allowed:
            return
        most = max(misses for _, misses in allowed.values())
        everything = self.everything
        at_least = [everything] + [0] * (most + 1)
        """at_least[k]: the spellings that lack k or more of the characters seen so far."""
        for token in _occurrences(folded):
            lacking = everything ^ self.holding.get(token, 0)
            for count in range(most + 1, 0, -1):
                at_least[count] |= at_least[count - 1] & lacking
        for (start, end), misses in allowed.values():
            band = ((1 << end) - 1) ^ ((1 << start) - 1)
            found = (band ^ (band & at_least[misses + 1])) >> start
            if not found:
                continue
            data = found.to_bytes((end - start + 7) // 8, "little")
            for byte in _NONZERO.finditer(data):
                value, base = byte.group()[0], start + 8 * byte.start()
                for bit in range(8):
                    if value >> bit & 1:
                        yield base + bit


def _phonetic(word: str) -> str:
    """A word's sounds, as transliterations keep them: its first letter, then its consonants with each
    run of vowels as one ('Guetta', 'Goeta' and 'Goita' all give 'gata')."""
    for pattern, replacement in _TRANSLITERATIONS:
        word = pattern.sub(replacement, word)
    word = _DOUBLES.sub(r"\1", word)
    return word[:1] + _VOWELS.sub("a", word[1:])


def _replaceable(words: list[str]) -> list[int]:
    """The words of a name that may be the one garbled: not the links ('of'), nor short words."""
    return [position for position, word in enumerate(words) if word not in NAME_LINKS and len(word) >= 4]


def _occurrences(folded: str) -> list[tuple[str, int]]:
    """Each character with each count up to its number of occurrences: 'anna' gives a1, a2, n1, n2."""
    return [(char, count) for char, total in Counter(folded).items() for count in range(1, total + 1)]


class _Adjectives:
    """Whether a name is an adjective of a registered single-word name: 'Malian' of 'Mali'.

    The test of every name in turn, done by looking up each beginning of the name instead.
    """

    def __init__(self, single_names: set[str]) -> None:
        self.names = single_names
        self.shortest: dict[str, int] = {}
        """Each stem (a name without its final vowels), with the length of its shortest name."""
        for name in single_names:
            stem = name.rstrip("aeiou")
            self.shortest[stem] = min(len(name), self.shortest.get(stem, len(name)))

    def match(self, folded: str) -> bool:
        for cut in range(len(folded) + 1):
            shortest = self.shortest.get(folded[:cut])
            if (
                shortest is not None
                and len(folded) > shortest - 1
                and folded[cut:].lstrip("aeiou") in ("", "n", "ns", "sh", "se", "c")
            ):
                return True
        return any(folded.endswith(ending) and folded[: -len(ending)] in self.names for ending in ADJECTIVE_ENDINGS)


def _skeleton(word: str) -> str:
    """The consonants, doubles collapsed: 'guetta', 'goeta' and 'goita' all give 'gt'."""
    return _DOUBLES.sub(r"\1", _NOT_CONSONANT.sub("", word))


def _locate(article: Article, name: str, text: str, offset: int) -> Location:
    """The source line of a name: found in the Markdown body, or its block's line as a fallback."""
    body = article.body
    found = _find_word(body, name)
    if found == -1:
        found = body.find(name.split()[0])
    line = article.body_line + (body.count("\n", 0, found) if found != -1 else 0)
    return Location(article.path, line, article.id)


def _find_word(text: str, word: str) -> int:
    """Where `word` first stands in `text` with no word character on either side, or -1."""
    found = text.find(word)
    while found != -1:
        end = found + len(word)
        if not (found and _is_word_char(text[found - 1])) and not (end < len(text) and _is_word_char(text[end])):
            return found
        found = text.find(word, found + 1)
    return -1


def _is_word_char(char: str) -> bool:
    """What a regular expression's \\w matches."""
    return char.isalnum() or char == "_"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _fold(text: str) -> str:
    return " ".join(_ascii(text).casefold().replace("’", "'").split())


def _flow(value: str) -> str:
    """A string as a YAML flow scalar, quoted only where YAML needs it."""
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1000).strip()
    return dumped[1:-1]


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).rstrip()
