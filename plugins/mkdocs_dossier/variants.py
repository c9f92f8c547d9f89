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
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from rapidfuzz import fuzz

from .markdown import Annotation
from .model import Article, Dossier, Entity

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

CALENDAR = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december
    """.split()
)
DIRECTIONS = frozenset("north northern south southern east eastern west western central".split())
NAME_LINKS = frozenset("of de du da del der den van von al el bin ibn la le".split())
ADJECTIVE_ENDINGS = ("n", "an", "ian", "ese", "i", "ish", "ic", "ns", "ans", "ians")
"""'Russia' gives 'Russian', 'Mali' gives 'Malian': adjectives of registered names are not names."""

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[’'-][^\W\d_][^\W_]*)*")
_SENTENCE_OPENERS = "\"'“‘«([—–"


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
    """'variant' (close to a registered spelling) or 'unregistered' (close to none, but recurring)."""
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
    single_names = {_fold(form) for form, _ in registered if " " not in form and len(form) >= 4}
    present = [(a, annotations[a.id]) for a in dossier.articles_by_date if a.id in annotations]
    inside_capitals = set().union(*(_capitals_inside_sentences(annotation) for _, annotation in present))
    seen: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for article, annotation in present:
        for name, start in _candidates(annotation, inside_capitals):
            folded = _fold(name)
            if folded in known or _is_adjective_of(folded, single_names):
                continue
            seen[name].setdefault(article.id, []).append(start)
    findings = []
    for name, places in seen.items():
        locations = tuple(
            _locate(dossier.articles[article_id], name, annotations[article_id].text, starts[0])
            for article_id, starts in places.items()
        )
        match = _closest(name, registered, options.cutoff)
        if match is not None:
            entity, form, score = match
            findings.append(Finding(name, "variant", locations, entity, form, score))
        elif len(places) >= options.min_articles:
            findings.append(Finding(name, "unregistered", locations))
    return sorted(findings, key=lambda f: (f.kind != "variant", f.locations[0].path, f.locations[0].line, f.name))


def findings_as_yaml(findings: list[Finding]) -> str:
    """The findings as entries ready to paste into entities.yml, with what each one replaces or adds."""
    aliases: dict[str, tuple[Entity, list[Finding]]] = {}
    new: dict[str, Finding] = {}
    for finding in findings:
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
    text, covered = annotation.text, _covered(annotation)
    starts = {s.start for s in annotation.sentences}
    return {
        w.group()
        for w in _WORD.finditer(text)
        if w.group()[0].isupper()
        and not _opens_sentence(text, w.start(), starts)
        and not any(s < w.end() and w.start() < e for s, e in covered)
    }


def _candidates(annotation: Annotation, inside_capitals: set[str]):
    """(name, offset) of each run of capitalised words that no mention or term covers."""
    text = annotation.text
    covered = _covered(annotation)
    starts = {s.start for s in annotation.sentences}
    words = list(_WORD.finditer(text))
    run: list[re.Match] = []
    index = 0

    def is_covered(match: re.Match) -> bool:
        nonlocal index
        while index < len(covered) and covered[index][1] <= match.start():
            index += 1
        return index < len(covered) and covered[index][0] < match.end()

    for word in words:
        token = word.group()
        capital = token[0].isupper()
        link = token.lower() in NAME_LINKS and bool(run)
        joined = not run or re.fullmatch(r"[ \-]", text[run[-1].end() : word.start()]) is not None
        if (capital or link) and joined and not is_covered(word):
            run.append(word)
            continue
        yield from _names(text, run, starts, inside_capitals)
        run = [word] if capital and not is_covered(word) else []
    yield from _names(text, run, starts, inside_capitals)


def _names(text: str, run: list[re.Match], starts: set[int], inside_capitals: set[str]):
    while run and run[-1].group().lower() in NAME_LINKS:
        run = run[:-1]
    while run:
        first = run[0].group()
        lower = first.lower()
        if lower in TITLES or lower in CALENDAR or lower in OPENING_WORDS:
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
    before = text[:position].rstrip(" \t")
    return not before or before[-1] in "\n:.!?;"


def _closest(name: str, registered: list[tuple[str, Entity]], cutoff: float) -> tuple[Entity, str, float] | None:
    folded = _fold(name)
    best: tuple[Entity, str, float] | None = None
    for form, entity in registered:
        choices = [(form, True)]
        if " " not in name and " " in form:
            choices += [(w, False) for w in form.split() if len(w) >= 4 and w[0].isupper()]
        for choice, whole in choices:
            other = _fold(choice)
            score = fuzz.ratio(folded, other)
            if not whole and score == 100:
                continue
            close = score >= cutoff or (
                score >= cutoff - 10 and folded[:1] == other[:1] and _skeleton(folded) == _skeleton(other)
            )
            if close and (best is None or score > best[2]):
                best = (entity, choice, score)
    return best


def _skeleton(word: str) -> str:
    """The consonants, doubles collapsed: 'guetta', 'goeta' and 'goita' all give 'gt'."""
    consonants = re.sub(r"[^a-z]|[aeiouy]", "", word)
    return re.sub(r"(.)\1+", r"\1", consonants)


def _is_adjective_of(folded: str, single_names: set[str]) -> bool:
    return any(
        folded.startswith(name.rstrip("aeiou")) and folded[len(name.rstrip("aeiou")) :].lstrip("aeiou") in ("", "n", "ns", "sh", "se", "c")
        for name in single_names
        if len(folded) > len(name) - 1
    ) or any(folded == name + ending for name in single_names for ending in ADJECTIVE_ENDINGS)


def _locate(article: Article, name: str, text: str, offset: int) -> Location:
    """The source line of a name: found in the Markdown body, or its block's line as a fallback."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", article.body)
    if found is None:
        found = re.search(re.escape(name.split()[0]), article.body)
    line = article.body_line + (article.body[: found.start()].count("\n") if found else 0)
    return Location(article.path, line, article.id)


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
