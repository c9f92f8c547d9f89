"""How the outlets' reports of one event differ: shared facts, what only one carries, quotes, names.

    comparison = compare_event(event, articles, annotations, entities)
    comparison.shared      # facts that sentences of more than one article report, each with why
    comparison.only        # for each article, the statements no other article of the event carries
    comparison.quotes      # direct quotes by speaker, the same words matched across outlets
    comparison.spellings   # one entity, spelled differently by different articles
    comparison.numbers     # figures that differ within a shared fact

Statements only: headings, datelines, credits, captions, stage directions, greetings and questions
are neither compared nor listed (`statements.not_a_statement`). Each statement is taken apart into
what it asserts: the entities it names (whatever the spelling: the mentions say which entity each
spelling stands for), the content words of its claim (stems: "spies" and "spying" meet), and its
figures (numbers, and the kinds of figure it gives: a count of prisoners, a sum of money, a date).
Two statements of different articles score the evidence they share: each shared feature weighs its
rarity within the event, so that what every sentence of the event names (its people, its place, its
topic) counts for little, times its part's weight; what only one of them says does not count
against the pair, since a news sentence often holds several facts (`score_matrix`).

Pairs at or above `threshold` make fact clusters by complete linkage: a cluster joins another only if
every two of their statements score at least `link` times the threshold, so a cluster never grows by
a member that does not match the rest. A cluster may hold two statements of one article, when they
match each other too. Figures are compared across the whole cluster. Only the statements of one event
are ever compared with each other: the cost grows with the events' sizes, not with the dossier's.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import LCSseq

from ..sources.kept import Kept
from ..sources.model import Annotation, Article, Dossier, Entity, Event, Sentence
from ..text.quantities import Quantity, find_quantities, implied_single, may_hold_quantities
from ..text.wording import token, words
from .quotes import Quote, find_quotes
from .statements import not_a_statement, speaker_label


@dataclass(frozen=True)
class CompareOptions:
    """The knobs of the comparison; the plugin's `comparison` options in `mkdocs.yml` set them."""

    threshold: float = 2.0
    """The lowest score at which two statements count as reporting the same fact: about the weight of
    that many of the event's rarest content words, shared."""
    entity_weight: float = 1.5
    """How much a shared entity counts against a shared content word of the same rarity."""
    word_weight: float = 1.0
    """How much a shared content word of the claim counts."""
    figure_weight: float = 1.0
    """How much a shared figure (a number, or a kind of figure: a count of prisoners, a sum of money)
    counts against a shared content word of the same rarity."""
    link: float = 0.5
    """A cluster joins another only if every two of their statements score at least `link` times the
    threshold."""
    min_words: int = 4
    """Sentences with fewer words ('(AFP)', 'Thank you.') are not statements."""
    quote_threshold: float = 0.6
    """The lowest word-level similarity (0 to 1) at which two quotes count as the same words."""


MAX_COMPARED = 3000
"""The most statements of one event that are compared (their scores take MAX_COMPARED² numbers)."""

SIGNALS = ("entity_weight", "word_weight", "figure_weight")
"""The options that weigh a signal of the score: `bench/evaluate_comparison.py --signals` measures what
each adds by setting it to zero."""


@dataclass(frozen=True)
class Statement:
    """A sentence of an article that asserts something, taken apart for the comparison."""

    article: Article
    sentence: Sentence
    entities: frozenset[str]
    words: frozenset[str] = field(repr=False)
    """The stems of the content words of its claim (names and numbers aside)."""
    figures: frozenset[str] = field(repr=False)
    """Its numbers ('#26') and the kinds of figure it gives ('count:prisoner', 'date:')."""
    forms: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    """(stem, the word as first written) of its content words, to show why it was paired."""
    quantities: tuple[Quantity, ...] = field(default=(), repr=False, compare=False)
    """The sentence's numbers, dates and amounts."""


class Reported(NamedTuple):
    """A statement as a comparison shows it: its sentence, in its article. What a statement was taken
    apart into stays with the clustering: a comparison carries what its page shows, which makes it
    quick to hand back from a worker process."""

    article: Article
    sentence: Sentence


@dataclass(frozen=True)
class NumberDifference:
    """Quantities of one kind (and unit) that statements of one fact give differently."""

    kind: str
    unit: str
    sides: tuple[tuple[Article, tuple[str, ...], str], ...]
    """Each statement of the fact that gives the figure: its article, the quantities as its sentence
    writes them, and the sentence's id (its anchor in the article)."""


@dataclass(frozen=True)
class Shared:
    """Statements of different articles that report the same fact: a fact cluster."""

    statements: tuple[Reported, ...]
    """In the event's article order; two may come from one article."""
    score: float
    """The lowest score of two of its statements from different articles."""
    entities: tuple[str, ...]
    """The entities every statement of the cluster names."""
    differences: tuple[NumberDifference, ...]
    words: tuple[str, ...] = ()
    """Why: the content words (as first written) that statements of two articles or more share, the
    rarest in the event first."""
    figures: tuple[str, ...] = ()
    """Why: the kinds of figure ('count', 'date', 'money') that statements of two articles or more give."""


@dataclass(frozen=True)
class QuoteVersion:
    """One outlet's wording of a quote, with the words that differ from the first version marked."""

    quote: Quote
    article: Article
    diff: tuple[tuple[str, str], ...]
    """(operation, text) pieces: 'equal', 'insert' (words only this version has) or 'delete' (words
    only the first version has); empty for the first version."""


@dataclass(frozen=True)
class QuoteGroup:
    """The same words quoted by one or more outlets."""

    versions: tuple[QuoteVersion, ...]
    same_words: bool
    """True when every version gives the same words, or an excerpt of them."""

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.quote.speaker for v in self.versions if v.quote.speaker))


@dataclass(frozen=True)
class SpeakerQuotes:
    speaker: str | None
    """The entity id, or None for quotes whose speaker the text does not name."""
    groups: tuple[QuoteGroup, ...]


@dataclass(frozen=True)
class SpellingDifference:
    entity: str
    spellings: tuple[tuple[Article, tuple[str, ...]], ...]
    """Each article that names the entity, with its spellings, most used first."""

    def forms_in(self, article_id: str) -> tuple[str, ...]:
        return next((forms for article, forms in self.spellings if article.id == article_id), ())


@dataclass(frozen=True)
class Comparison:
    event: Event
    articles: tuple[Article, ...]
    shared: tuple[Shared, ...]
    only: tuple[tuple[Article, tuple[Reported, ...]], ...]
    quotes: tuple[SpeakerQuotes, ...]
    spellings: tuple[SpellingDifference, ...]

    @property
    def numbers(self) -> list[tuple[Shared, NumberDifference]]:
        return [(group, difference) for group in self.shared for difference in group.differences]


def compare_event(
    event: Event,
    articles: Sequence[Article],
    annotations: Mapping[str, Annotation],
    entities: Mapping[str, Entity],
    options: CompareOptions | None = None,
    quotes: Mapping[str, list[Quote]] | None = None,
    statements: dict[str, list[Statement]] | None = None,
) -> Comparison:
    """Compare the coverage of one event; `articles` in the order to show them (date order).

    `quotes` are the articles' quotes where the caller has found them already. `statements` keeps the
    articles' statements, by article id, for the next event that covers them (made with the same
    options).
    """
    options = options or CompareOptions()
    present = [a for a in articles if a.id in annotations]
    if quotes is None:
        types = {entity_id: entity.type for entity_id, entity in entities.items()}
        roles = {entity_id: entity.roles for entity_id, entity in entities.items() if entity.roles}
        quotes = {a.id: find_quotes(a.id, annotations[a.id], types, roles, a.date) for a in present}
    if statements is None:
        statements = {}
    for a in present:
        if a.id not in statements:
            statements[a.id] = statements_of(a, annotations[a.id], options)
    shared = _cluster(present, statements, options)
    grouped = {(s.article.id, s.sentence.id) for group in shared for s in group.statements}
    only = tuple(
        (a, tuple(Reported(a, s.sentence) for s in statements[a.id] if (a.id, s.sentence.id) not in grouped))
        for a in present
    )
    return Comparison(
        event,
        tuple(present),
        shared,
        only,
        group_quotes(present, quotes, options, entities),
        spelling_differences(present, annotations, entities),
    )


def _block(text: str, start: int) -> str:
    """The block (paragraph, list item, caption) of the plain text that holds offset `start`."""
    if not text:
        return ""
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return text[begin : end if end >= 0 else len(text)]


def statements_of(article: Article, annotation: Annotation, options: CompareOptions) -> list[Statement]:
    """The article's statements, each taken apart into entities, claim words, figures and negation."""
    by_sentence = defaultdict(list)
    for mention in sorted(annotation.mentions, key=lambda m: m.start):
        by_sentence[mention.sentence].append(mention)
    found = []
    for sentence in annotation.sentences:
        text = sentence.text
        if not_a_statement(text, _block(annotation.text, sentence.start), options.min_words):
            continue
        mentions = by_sentence.get(sentence.id, ())
        _, spoken = speaker_label(text)
        plain: list[str] = []
        position = len(text) - len(spoken)
        for mention in mentions:
            start, end = mention.start - sentence.start, mention.end - sentence.start
            if not position <= start < end <= len(text):
                continue
            plain.append(text[position:start])
            position = end
        plain.append(text[position:])
        read = words(" ".join(plain))
        # Each token with the word that first gives it (read backwards, so the first one is kept).
        forms = dict(zip(reversed(list(map(token, read))), reversed(read), strict=True))
        forms.pop("", None)
        figures = {found for found in forms if found[0] == "#"}
        for figure in figures:
            del forms[figure]
        every_word = read if len(plain) == 1 and position == 0 else words(text)  # no name, no label: the same
        quantities = tuple(find_quantities(text)) if may_hold_quantities(text, every_word) else ()
        found.append(
            Statement(
                article,
                sentence,
                frozenset(m.entity for m in mentions),
                frozenset(forms),
                frozenset(figures | {f"{q.kind}:{q.unit}" for q in quantities}),
                tuple(forms.items()),
                quantities,
            )
        )
    return found


def _shared_weight(parts: Sequence[tuple[float, Sequence[frozenset[str]]]], n: int) -> np.ndarray:
    """The weighted sum of the features every two of `n` statements both have (n by n).

    `parts` are (weight, the part's features of each statement). Each feature weighs its rarity among
    the event's statements, log(1 + n / df), times its part's weight. Only a feature of two statements
    or more can be shared; each adds its weight to every pair of its statements. The pairs of every
    feature are laid out by array arithmetic and summed at once (`bincount` over their places): no
    loop over features, and no matrix product, whose threads cost more than they save on matrices
    this small and this sparse.
    """
    numbers: dict[tuple[int, str], int] = {}
    ids, rows, part_of = [], [], []
    for part, (_, sets) in enumerate(parts):
        for row, features in enumerate(sets):
            ids += [numbers.setdefault((part, feature), len(numbers)) for feature in features]
            rows += [row] * len(features)
        part_of.append(len(numbers))
    if not ids:
        return np.zeros((n, n))
    feature_ids = np.array(ids)
    order = np.argsort(feature_ids, kind="stable")
    found = np.array(rows)[order]
    counts = np.bincount(feature_ids, minlength=len(numbers))
    starts = np.cumsum(counts) - counts  # where each feature's rows start in `found`
    shared = np.flatnonzero(counts > 1)
    part = np.searchsorted(np.array(part_of), shared, side="right")
    part_weight = np.array([weight for weight, _ in parts])[part]
    size, first = counts[shared], starts[shared]
    weight = part_weight * np.log1p(n / size)
    pairs = size * size
    feature = np.repeat(np.arange(len(shared)), pairs)
    within = np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    left = found[first[feature] + within // size[feature]]
    right = found[first[feature] + within % size[feature]]
    return np.bincount(left * n + right, weight[feature], minlength=n * n).reshape(n, n)


def score_matrix(every: Sequence[Statement], options: CompareOptions) -> np.ndarray:
    """The score of every two statements of an event, rounded to 4 places so that it does not depend
    on the order of floating-point sums.

    The evidence that two statements report the same fact is what they share, each shared feature
    weighing its rarity within the event, log(1 + n / df), times its part's weight (entities, words,
    figures); the sum is divided by the weight of a feature that only one statement has, log(1 + n),
    so that a score reads as "this many of the event's rarest words shared", whatever the event's size.
    What only one of the two says does not count against the pair: news sentences hold several facts.
    """
    if not every:
        return np.zeros((0, 0))
    n = len(every)
    parts = [
        (options.entity_weight, [s.entities for s in every]),
        (options.word_weight, [s.words for s in every]),
        (options.figure_weight, [s.figures for s in every]),
    ]
    shared = _shared_weight([(weight, sets) for weight, sets in parts if weight > 0], n)
    return np.round(shared / math.log(1 + n), 4)


def _cluster(
    articles: list[Article], statements: Mapping[str, list[Statement]], options: CompareOptions
) -> tuple[Shared, ...]:
    """Fact clusters by complete linkage over the pairs of statements of different articles.

    An event of more than `MAX_COMPARED` statements compares the first ones of each article (an equal
    share, the leads first): the scores of every two are held at once.
    """
    compared = {a.id: statements[a.id] for a in articles}
    if sum(map(len, compared.values())) > MAX_COMPARED:
        share = max(1, MAX_COMPARED // len(articles))
        compared = {article_id: found[:share] for article_id, found in compared.items()}
    every = [s for a in articles for s in compared[a.id]]
    if not every:
        return ()
    score = score_matrix(every, options)
    article = np.array([index for index, a in enumerate(articles) for _ in compared[a.id]])
    other = np.not_equal.outer(article, article)
    rows, columns = np.nonzero(np.triu(other & (score >= options.threshold), 1))
    values = score[rows, columns]
    order = np.lexsort((columns, rows, -values))  # the strongest pairs first
    floor = options.link * options.threshold
    scores_of = _RowCache(score)
    cluster = list(range(len(every)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(every))}
    for i, j in zip(rows[order].tolist(), columns[order].tolist(), strict=True):
        a, b = cluster[i], cluster[j]
        if a == b:
            continue
        if any(scores_of[k][m] < floor for k in members[a] for m in members[b]):
            continue
        members[a] += members.pop(b)
        for k in members[a]:
            cluster[k] = a
    frequency = Counter(itertools.chain.from_iterable(s.words for s in every))
    shared = []
    for group in sorted(members.values(), key=min):
        if len(group) < 2:
            continue
        group.sort()
        found = [every[k] for k in group]
        lowest = min(scores_of[k][m] for k in group for m in group if article[k] != article[m])
        common = frozenset.intersection(*(s.entities for s in found))
        shared.append(
            Shared(
                tuple(Reported(s.article, s.sentence) for s in found),
                round(lowest, 2),
                tuple(sorted(common)),
                tuple(number_differences(found)),
                _shared_words(found, frequency),
                tuple(sorted({f.split(":")[0] for f in _shared_across(found, "figures") if ":" in f})),
            )
        )
    return tuple(shared)  # in the order of their first statements: the articles' order, then the text's


class _RowCache(dict):
    """The rows of a score matrix as lists of floats, each made when first read: the clustering
    reads a few entries of a few rows, one at a time, which lists answer much faster than arrays."""

    def __init__(self, score: np.ndarray) -> None:
        super().__init__()
        self.score = score

    def __missing__(self, row: int) -> list[float]:
        self[row] = found = self.score[row].tolist()
        return found


def _shared_across(found: Sequence[Statement], part: str) -> set[str]:
    """The features of `part` that statements of two articles or more of the cluster have."""
    by_article: dict[str, set[str]] = defaultdict(set)
    for s in found:
        by_article[s.article.id] |= getattr(s, part)
    seen: set[str] = set()
    shared: set[str] = set()
    for features in by_article.values():
        shared |= seen & features
        seen |= features
    return shared


def _shared_words(found: Sequence[Statement], frequency: Mapping[str, int], most: int = 6) -> tuple[str, ...]:
    """The words (as first written) that statements of two articles or more share, the rarest in the
    event first: the strongest evidence of the cluster."""
    stems = _shared_across(found, "words")
    forms = {}
    for s in found:
        for stem, form in s.forms:
            if stem in stems:
                forms.setdefault(stem, form)
    return tuple(forms[stem] for stem in sorted(forms, key=lambda stem: (frequency[stem], stem))[:most])


def number_differences(statements: Sequence[Statement]) -> list[NumberDifference]:
    """Quantities of the same kind and unit that statements of different articles give with values
    that do not agree, compared across the whole fact cluster.

    A quantity that only one statement gives is more detail, not a difference. "Two coups" against
    "a 2020 coup" is one: a unit counted on one side and named with an article on the other.
    """
    if not any(statement.quantities for statement in statements):
        return []
    keyed: list[dict[tuple[str, str], list[Quantity]]] = []
    for statement in statements:
        by_key: dict[tuple[str, str], list[Quantity]] = defaultdict(list)
        for quantity in statement.quantities:
            by_key[quantity.key].append(quantity)
        keyed.append(by_key)
    for statement, by_key in zip(statements, keyed, strict=True):
        for other_statement, other in zip(statements, keyed, strict=True):
            if other_statement.article.id == statement.article.id:
                continue
            for kind, unit in list(other):
                if kind == "count" and unit and (kind, unit) not in by_key:
                    single = implied_single(statement.sentence.text, unit)
                    if single is not None:
                        by_key[(kind, unit)].append(single)
    differences = []
    keys = dict.fromkeys(key for by_key in keyed for key in by_key)
    for key in keys:
        sides = [by_key.get(key, []) for by_key in keyed]
        if len({s.article.id for s, side in zip(statements, sides, strict=True) if side}) < 2:
            continue
        agree = all(
            any(q.agrees_with(r) for q in first for r in second)
            for (a, first), (b, second) in itertools.combinations(
                [(s.article.id, side) for s, side in zip(statements, sides, strict=True) if side], 2
            )
            if a != b
        )
        if not agree:
            differences.append(
                NumberDifference(
                    key[0],
                    key[1],
                    tuple(
                        (statement.article, tuple(q.text for q in side), statement.sentence.id)
                        for statement, side in zip(statements, sides, strict=True)
                        if side
                    ),
                )
            )
    return differences


def spelling_differences(
    articles: Sequence[Article], annotations: Mapping[str, Annotation], entities: Mapping[str, Entity]
) -> tuple[SpellingDifference, ...]:
    """Entities that two or more articles name with different spellings.

    A short form of a longer one ("Wagner" for "Wagner Group", "UN" for "United Nations", "Aldrin" for
    "Buzz Aldrin") is style, not a variant; case, hyphens and spaces do not count either. An entity is
    listed when two articles use different full forms.
    """
    spelled: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for article in articles:
        for mention in annotations[article.id].mentions:
            counts = spelled[mention.entity].setdefault(article.id, {})
            counts[mention.text] = counts.get(mention.text, 0) + 1
    by_id = {a.id: a for a in articles}
    found = []
    for entity_id, per_article in spelled.items():
        if len(per_article) < 2:
            continue
        every = {_fold(form) for forms in per_article.values() for form in forms}
        cores = {frozenset(_fold(f) for f in forms) - _short_forms(every) for forms in per_article.values()}
        if len({core for core in cores if core}) < 2:
            continue
        spellings = tuple(
            (by_id[article_id], tuple(sorted(forms, key=lambda f: (-forms[f], f))))
            for article_id, forms in per_article.items()
        )
        found.append(SpellingDifference(entity_id, spellings))
    return tuple(sorted(found, key=lambda d: _sort_name(d.entity, entities)))


def _sort_name(entity_id: str, entities: Mapping[str, Entity]) -> str:
    """What an entity is sorted by: its name, case aside; its id if it is not registered."""
    entity = entities.get(entity_id)
    return entity.name.casefold() if entity is not None else entity_id


def _fold(form: str) -> str:
    return re.sub(r"[\s\-‐–]+", " ", form.casefold()).replace("’", "'").strip()


def _short_forms(forms: set[str]) -> set[str]:
    """The forms that shorten another one: a run of its words ('wagner'), or its initials ('un')."""
    short = set()
    for form in forms:
        words = form.split()
        for other in forms:
            initials = "".join(w[0] for w in other.split() if w[0].isalpha())
            if other != form and (_is_sublist(words, other.split()) or (len(initials) > 1 and form == initials)):
                short.add(form)
    return short


def _is_sublist(short: list[str], long: list[str]) -> bool:
    return len(short) < len(long) and any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def group_quotes(
    articles: Sequence[Article],
    quotes: Mapping[str, list[Quote]],
    options: CompareOptions,
    entities: Mapping[str, Entity],
) -> tuple[SpeakerQuotes, ...]:
    """The event's quotes by speaker, the same words quoted by several outlets in one group.

    Quotes are matched across articles on their words (case and punctuation aside); a speaker need
    not agree, so that an outlet that does not name the speaker still meets one that does.
    """
    by_id = {a.id: a for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    every = [q for a in articles for q in quotes.get(a.id, [])]
    words = {id(q): _quote_words(q.text) for q in every}
    candidates = []
    for index, first in enumerate(every):
        for second in every[index + 1 :]:
            if first.article == second.article:
                continue
            if first.speaker and second.speaker and first.speaker != second.speaker:
                continue
            similarity = _quote_similarity(words[id(first)], words[id(second)])
            if similarity >= options.quote_threshold:
                candidates.append((similarity, first, second))
    candidates.sort(key=lambda c: -c[0])
    group_of: dict[int, list[Quote]] = {id(q): [q] for q in every}
    for _, first, second in candidates:
        a, b = group_of[id(first)], group_of[id(second)]
        if a is b or {q.article for q in a} & {q.article for q in b}:
            continue
        merged = a + b
        for quote in merged:
            group_of[id(quote)] = merged
    seen: set[int] = set()
    by_speaker: dict[str | None, list[QuoteGroup]] = defaultdict(list)
    for quote in every:
        members = group_of[id(quote)]
        if id(members) in seen:
            continue
        seen.add(id(members))
        members = sorted(members, key=lambda q: (order[q.article], q.start))
        base = words[id(members[0])]
        versions = tuple(
            QuoteVersion(q, by_id[q.article], () if i == 0 else _word_diff(base, words[id(q)]))
            for i, q in enumerate(members)
        )
        same = all(_contained(base, words[id(q)]) for q in members[1:])
        speaker = next((q.speaker for q in members if q.speaker), None)
        by_speaker[speaker].append(QuoteGroup(versions, same))
    ordered = sorted(by_speaker, key=lambda s: (s is None, _sort_name(s or "", entities)))
    return tuple(SpeakerQuotes(speaker, tuple(by_speaker[speaker])) for speaker in ordered)


_QUOTE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _quote_words(text: str) -> list[tuple[str, str]]:
    """(folded, as written) for each word of a quote."""
    return [(m.group().casefold().replace("’", "'"), m.group()) for m in _QUOTE_WORD.finditer(text)]


def _quote_similarity(first: list[tuple[str, str]], second: list[tuple[str, str]]) -> float:
    """Word-level similarity, 0 to 1: the longest common sequence of words against both quotes, or
    against the shorter one (an excerpt). Quotes of one or two words meet only when identical."""
    a, b = [w for w, _ in first], [w for w, _ in second]
    shorter = min(len(a), len(b))
    if shorter < 3:
        return 1.0 if a == b and a else 0.0
    common = LCSseq.similarity(a, b)
    return max(2 * common / (len(a) + len(b)), 0.9 * common / shorter)


def _contained(first: list[tuple[str, str]], second: list[tuple[str, str]]) -> bool:
    a, b = [w for w, _ in first], [w for w, _ in second]
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return short == long or _is_sublist(short, long)


def _word_diff(base: list[tuple[str, str]], other: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """How `other` words a quote against `base`: equal runs, words it adds, words it leaves out."""
    matcher = difflib.SequenceMatcher(a=[w for w, _ in base], b=[w for w, _ in other], autojunk=False)
    pieces = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(("equal", " ".join(w for _, w in other[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(("delete", " ".join(w for _, w in base[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", " ".join(w for _, w in other[j1:j2])))
    return tuple(pieces)


class CoverageAnalysis:
    """The comparisons and quotes of a whole dossier, each worked out once, when a page first asks.

    Quotes and statements are found once per article; comparisons once per event, from that event's
    articles only. An article's statements are let go once every event it covers is compared: they
    are the comparison's largest data, and would otherwise all be held at once.
    """

    def __init__(
        self,
        dossier: Dossier,
        annotations: Mapping[str, Annotation],
        options: CompareOptions | None = None,
        cache: Kept | None = None,
    ) -> None:
        self.dossier = dossier
        self.annotations = annotations
        self.options = options or CompareOptions()
        self.cache = cache
        self._statements: dict[str, list[Statement]] = {}
        self._events_left = Counter(article.id for articles in dossier.coverage.values() for article in articles)
        """How many of its events each article has that are not compared yet."""

    @cached_property
    def quotes(self) -> dict[str, list[Quote]]:
        """Every article's quotes, by article id."""
        types = {entity_id: entity.type for entity_id, entity in self.dossier.entities.items()}
        roles = {entity_id: entity.roles for entity_id, entity in self.dossier.entities.items() if entity.roles}

        def find(article_id: str, annotation: Annotation) -> list[Quote]:
            article = self.dossier.articles.get(article_id)
            return find_quotes(article_id, annotation, types, roles, article.date if article else None)

        if self.cache is None:
            return {article_id: find(article_id, annotation) for article_id, annotation in self.annotations.items()}
        return {
            article_id: self.cache.get(
                ("quotes", article_id, id(annotation)),
                lambda article_id=article_id, annotation=annotation: find(article_id, annotation),
                (annotation,),
            )
            for article_id, annotation in self.annotations.items()
        }

    def comparison(self, event_id: str) -> Comparison | None:
        """The comparison of an event's coverage, or None when fewer than two of its articles were
        annotated. Worked out at each call: a page asks once, and keeping them all would keep every
        article's statements."""
        articles = [a for a in self.dossier.coverage.get(event_id, []) if a.id in self.annotations]
        event = self.dossier.events[event_id]

        def make() -> Comparison | None:
            if len(articles) < 2:
                return None
            return compare_event(
                event, articles, self.annotations, self.dossier.entities, self.options, self.quotes, self._statements
            )

        if self.cache is None:
            comparison = make()
        else:
            annotations = tuple(self.annotations[a.id] for a in articles)
            key = ("comparison", event, tuple(map(id, articles)), tuple(map(id, annotations)))
            comparison = self.cache.get(key, make, (tuple(articles), annotations))
        for article in self.dossier.coverage.get(event_id, []):
            self._events_left[article.id] -= 1
            if self._events_left[article.id] <= 0:
                self._statements.pop(article.id, None)
        return comparison

    @cached_property
    def _ledger(self) -> dict[str, list[tuple[Article, list[Quote]]]]:
        ledger: dict[str, list[tuple[Article, list[Quote]]]] = defaultdict(list)
        for article in self.dossier.articles_by_date:
            by_speaker: dict[str, list[Quote]] = defaultdict(list)
            for quote in self.quotes.get(article.id, []):
                if quote.speaker:
                    by_speaker[quote.speaker].append(quote)
            for speaker, quotes in by_speaker.items():
                ledger[speaker].append((article, quotes))
        return ledger

    def quotes_of(self, entity_id: str) -> list[tuple[Article, list[Quote]]]:
        """What the articles quote the entity as saying, article by article in date order."""
        return self._ledger.get(entity_id, [])
