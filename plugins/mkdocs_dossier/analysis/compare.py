"""How the outlets' reports of one event differ: shared statements, what only one carries, quotes, names.

    comparison = compare_event(event, articles, annotations, entities)
    comparison.shared      # sentences of different articles that report the same thing
    comparison.only        # for each article, the statements no other article of the event carries
    comparison.quotes      # direct quotes by speaker, the same words matched across outlets
    comparison.spellings   # one entity, spelled differently by different articles
    comparison.numbers     # numbers, dates and quantities that differ between shared statements

Pairing is lexical and transparent. Each sentence becomes a set of features: the stems of its content
words, the numbers it gives (digits and number words alike), and the entities it names, whatever the
spelling (the mentions say which entity each spelling stands for, so "Guetta" and "Goeta" meet). A
feature weighs its inverse document frequency within the event, times `entity_weight` for entities and
`number_weight` for numbers; stems that share a long prefix or are near-identical (rapidfuzz) count as a
partial match. Two sentences score the weighted share of their features that the other one has (a soft
Dice coefficient, 0 to 1). Pairs at or above `threshold` are joined greedily, best first, into groups
that hold at most one sentence per article; a sentence still left out then joins its best partner's
group. Only the sentences of one event are ever compared with
each other, so the cost grows with the number of events, not with the size of the dossier.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from ..sources.model import Annotation, Article, Dossier, Entity, Event, Sentence
from ..text.quantities import Quantity, find_quantities, implied_single, may_hold_quantities
from ..text.wording import tokens_of, words
from .quotes import Quote, find_quotes


@dataclass(frozen=True)
class CompareOptions:
    """The knobs of the comparison; the plugin's `comparison` options in `mkdocs.yml` set them."""

    threshold: float = 0.12
    """The lowest score (0 to 1) at which two sentences count as reporting the same thing."""
    entity_weight: float = 2.0
    """How much more a shared entity counts than a shared word of the same rarity."""
    number_weight: float = 1.5
    """How much more a shared number counts than a shared word of the same rarity."""
    fuzzy_cutoff: float = 88.0
    """The rapidfuzz ratio (0 to 100) from which two different word stems count as a partial match."""
    min_words: int = 4
    """Sentences with fewer words ('(AFP)') are not statements and are left out of the comparison."""
    quote_penalty: float = 0.5
    """How much a pair loses when one sentence is mostly someone's quoted words and the other is not
    (times the difference of their quoted shares): a quote and a narrative sentence say different kinds
    of things, even in the same words. The quotes are compared in a section of their own."""
    phrase_weight: float = 1.0
    """How much a shared pair of adjacent words counts, beside the words themselves; 0 turns it off."""
    quote_threshold: float = 0.6
    """The lowest word-level similarity (0 to 1) at which two quotes count as the same words."""


@dataclass(frozen=True)
class Statement:
    """A sentence of an article, as the comparison sees it."""

    article: Article
    sentence: Sentence
    entities: frozenset[str]
    features: frozenset[str] = field(repr=False)
    quoted: float = 0.0
    """The share of the sentence's characters that are someone's quoted words."""
    numbers: bool = field(default=True, repr=False, compare=False)
    """False when the sentence is known to hold no number, date or amount."""

    @cached_property
    def quantities(self) -> tuple[Quantity, ...]:
        """The sentence's numbers, dates and amounts; worked out when first asked for, as only the
        statements that other articles share are compared on them."""
        return tuple(find_quantities(self.sentence.text)) if self.numbers else ()


@dataclass(frozen=True)
class NumberDifference:
    """Quantities of one kind (and unit) that two shared statements give differently."""

    kind: str
    unit: str
    sides: tuple[tuple[Article, tuple[str, ...]], ...]
    """Each article of the group, with the quantities as its sentence writes them."""


@dataclass(frozen=True)
class Shared:
    """Sentences of different articles that report the same thing."""

    statements: tuple[Statement, ...]
    """In the event's article order. Groups are first made of one sentence per article; then a sentence
    left out of every group joins the group of its best partner, even where its article has a sentence
    there already."""
    score: float
    entities: tuple[str, ...]
    """The entities every sentence of the group names."""
    differences: tuple[NumberDifference, ...]


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
    only: tuple[tuple[Article, tuple[Statement, ...]], ...]
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
    options and quotes).
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
            statements[a.id] = _statements(a, annotations[a.id], options, quotes.get(a.id, []))
    shared = _pair(present, statements, options)
    grouped = {id(s) for group in shared for s in group.statements}
    only = tuple((a, tuple(s for s in statements[a.id] if id(s) not in grouped)) for a in present)
    return Comparison(
        event,
        tuple(present),
        shared,
        only,
        group_quotes(present, quotes, options, entities),
        spelling_differences(present, annotations, entities),
    )


def _statements(
    article: Article, annotation: Annotation, options: CompareOptions, quotes: Sequence[Quote] = ()
) -> list[Statement]:
    by_sentence = defaultdict(list)
    for mention in annotation.mentions:
        by_sentence[mention.sentence].append(mention)
    found = []
    enough = _enough_words(options.min_words)
    for sentence in annotation.sentences:
        text = sentence.text
        if enough is not None and not enough.search(text):
            continue
        mentions = sorted(by_sentence.get(sentence.id, ()), key=lambda m: m.start)
        read = words(text)
        """The sentence's words, mentions included, for `may_hold_quantities`."""
        if mentions:
            tokens: list[str] = []
            position = 0
            for mention in mentions:
                start, end = mention.start - sentence.start, mention.end - sentence.start
                if not 0 <= position <= start < end <= len(text):
                    continue
                tokens += tokens_of(words(text[position:start]))
                tokens.append(f"@{mention.entity}")
                position = end
            tokens += tokens_of(words(text[position:]))
        else:
            tokens = tokens_of(read)
        entities = frozenset(m.entity for m in mentions)
        if not options.phrase_weight:
            features = frozenset(tokens)
        elif any(map(operator.eq, tokens, tokens[1:])):
            features = frozenset(tokens) | {f"{a}+{b}" for a, b in zip(tokens, tokens[1:], strict=False) if a != b}
        else:
            features = frozenset(itertools.chain(tokens, map("+".join, zip(tokens, tokens[1:], strict=False))))
        quoted = sum(max(0, min(q.end, sentence.end) - max(q.start, sentence.start)) for q in quotes)
        found.append(
            Statement(
                article,
                sentence,
                entities,
                features,
                quoted / max(1, len(text)),
                may_hold_quantities(text, read),
            )
        )
    return found


@functools.lru_cache(maxsize=16)
def _enough_words(count: float) -> re.Pattern | None:
    """A pattern found in a text of `count` words or more (runs of letters and digits), or None
    where any text has enough."""
    needed = math.ceil(count)
    if needed <= 0:
        return None
    return re.compile(r"[^\W_]+" + r"(?:[\W_]+[^\W_]+)" * (needed - 1))


class _Scorer:
    """Weights and near-matches of the event's features, computed once per event."""

    def __init__(self, statements: list[Statement], options: CompareOptions) -> None:
        self.options = options
        frequency = Counter(itertools.chain.from_iterable(s.features for s in statements))
        total = len(statements)
        rarity = {count: math.log(1 + total / count) for count in set(frequency.values())}
        factors = {"@": options.entity_weight, "#": options.number_weight}
        self.weight = {
            feature: rarity[count] * (options.phrase_weight if "+" in feature else factors.get(feature[0], 1.0))
            for feature, count in frequency.items()
        }
        self.near = self._near_words([f for f in frequency if f[0] not in "@#" and "+" not in f])
        self._nearable = frozenset(self.near)
        self._totals: dict[frozenset[str], float] = {}

    def _near_words(self, words: list[str]) -> dict[str, dict[str, float]]:
        """For each word stem, the other stems of the event that nearly match it, with a partial score.

        Only stems of five letters or more can match: shorter ones are left out before pairing.
        """
        near: dict[str, dict[str, float]] = defaultdict(dict)
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in words:
            if len(word) >= 5:
                buckets[word[:2]].append(word)
        cutoff = self.options.fuzzy_cutoff
        for members in buckets.values():
            for index, word in enumerate(members):
                for other in members[index + 1 :]:
                    short, long = (word, other) if len(word) <= len(other) else (other, word)
                    if long.startswith(short) and len(short) >= 0.6 * len(long):
                        score = 0.8
                    else:
                        score = 0.8 * fuzz.ratio(word, other, score_cutoff=cutoff) / 100
                    if score:
                        near[word][other] = near[other][word] = score
        return dict(near)

    def total(self, features: frozenset[str]) -> float:
        """The summed weight of a statement's features."""
        found = self._totals.get(features)
        if found is None:
            found = self._totals[features] = math.fsum(map(self.weight.__getitem__, features))
        return found

    def score(self, left: Statement, right: Statement) -> float:
        """The soft Dice coefficient of two statements' features, less the quote penalty.

        Sums are exact (`math.fsum`), so a score does not depend on the order in which sets iterate.
        """
        total = self.total(left.features) + self.total(right.features)
        return self._score(left.features, right.features, total, abs(left.quoted - right.quoted))

    def _score(self, left: frozenset[str], right: frozenset[str], total: float, quoted: float) -> float:
        """`score` from the two feature sets, their summed weight and the two quoted shares' difference."""
        if not total:
            return 0.0
        weight, near = self.weight, self.near
        matched = 2 * math.fsum(map(weight.__getitem__, left & right))
        if near:
            nearable = self._nearable
            partial: Iterable[float] = ()
            if not (nearable.isdisjoint(left) and nearable.isdisjoint(right)):
                partial = [
                    weight[feature] * max((s for other, s in near[feature].items() if other in there), default=0.0)
                    for here, there in ((left, right), (right, left))
                    for feature in (here & nearable) - there
                ]
            matched += math.fsum(partial)
        return matched / total * (1 - self.options.quote_penalty * quoted)

    def pairs(self, statements: Sequence[Sequence[Statement]]) -> list[tuple[float, Statement, Statement]]:
        """(score, left, right) of every pair of statements of different articles that scores at or above
        the threshold, `left` from the earlier article; `statements` holds each article's statements.

        Only the pairs that `_candidates` cannot rule out are scored. A threshold of zero or below, or a
        negative weight, leaves nothing to rule out: then every pair is scored.
        """
        threshold = self.options.threshold
        every = [s for found in statements for s in found]
        article = [index for index, found in enumerate(statements) for _ in found]
        if threshold <= 0 or any(w < 0 for w in self.weight.values()):
            ends = list(itertools.accumulate(len(found) for found in statements))
            candidates: Iterable[tuple[int, int]] = (
                (i, j) for i in range(len(every)) for j in range(ends[article[i]], len(every))
            )
        else:
            candidates = self._candidates(statements)
        features = [s.features for s in every]
        totals = [self.total(f) for f in features]
        quoted = [s.quoted for s in every]
        score = self._score
        found = []
        for i, j in candidates:
            value = score(features[i], features[j], totals[i] + totals[j], abs(quoted[i] - quoted[j]))
            if value >= threshold:
                found.append((article[i], article[j], i, j, value))
        found.sort()
        return [(value, every[i], every[j]) for _, _, i, j, value in found]

    def _candidates(self, statements: Sequence[Sequence[Statement]]) -> Iterator[tuple[int, int]]:
        """(i, j) of the pairs of statements of two articles whose score may reach the threshold, i and j
        their places in the event's statements, i's article before j's.

        A pair scores at most (2 shared + n(left) + n(right)) / (total(left) + total(right)), where
        `shared` is the weight of the features both have and n(s) the weight of the words of s that
        have a near match, times the best partial score; so it can only reach the threshold t if
        shared >= need(left) + need(right), with need(s) = (t total(s) - n(s)) / 2. The shared weights
        of a statement with all the others are added at once, in the lanes of one large integer (the
        weights rounded up to multiples of 1/16, the needs down), and the lanes at or above the sum of
        the two needs are read off their top bits. Only the features of two articles or more count.
        """
        every = [s for found in statements for s in found]
        if not every:
            return
        scale = 16
        weight = self.weight
        spread = Counter(
            itertools.chain.from_iterable(frozenset().union(*(s.features for s in found)) for found in statements)
        )
        common = frozenset(feature for feature, count in spread.items() if count > 1)
        best_near = max((s for partners in self.near.values() for s in partners.values()), default=0.0)
        lowest = self.options.threshold / max(1.0, 1 - self.options.quote_penalty)
        totals = [self.total(s.features) for s in every]
        needs = []
        for statement, total in zip(every, totals, strict=True):
            nearable = statement.features & self._nearable
            need = lowest * total
            if nearable:
                need -= best_near * math.fsum(map(weight.__getitem__, nearable))
            needs.append(math.floor(scale * need / 2 - 1e-6))
        most = scale * max(totals) + max(len(s.features) for s in every) + 2 + 2 * max(map(abs, needs))
        width = 8 * ((math.ceil(most).bit_length() + 8) // 8)
        half, step = 1 << (width - 1), width // 8
        size = len(every) * step

        def lanes(values: Iterable[int]) -> int:
            return int.from_bytes(b"".join(value.to_bytes(step, "little") for value in values), "little")

        postings: dict[str, list[int]] = defaultdict(list)
        for j, statement in enumerate(every):
            for feature in statement.features & common:
                postings[feature].append(j)
        vectors = {}
        for feature, found in postings.items():
            mask = bytearray(size)
            for j in found:
                mask[j * step] = 1
            vectors[feature] = (math.floor(weight[feature] * scale + 1e-6) + 1) * int.from_bytes(mask, "little")
        ones = lanes(itertools.repeat(1, len(every)))
        base = lanes(half - need for need in needs)
        high = half * ones
        later = 0
        i = 0
        for found in statements[:-1]:
            later += len(found)
            top = high >> (width * later) << (width * later)
            for statement in found:
                hits = (sum(map(vectors.__getitem__, statement.features & common)) + base - needs[i] * ones) & top
                while hits:
                    bit = hits.bit_length() - 1
                    yield i, bit // width
                    hits ^= 1 << bit
                i += 1


def _pair(
    articles: list[Article], statements: Mapping[str, list[Statement]], options: CompareOptions
) -> tuple[Shared, ...]:
    scorer = _Scorer([s for a in articles for s in statements[a.id]], options)
    candidates = scorer.pairs([statements[a.id] for a in articles])
    rank = {key: index for index, key in enumerate(sorted({a.sort_key for a in articles}))}
    place = {a.id: rank[a.sort_key] for a in articles}
    candidates.sort(key=lambda c: (-c[0], place[c[1].article.id], c[1].sentence.start, c[2].sentence.start))
    group_of: dict[int, _Group] = {}
    for score, left, right in candidates:
        first, second = group_of.get(id(left)), group_of.get(id(right))
        if first is not None and first is second:
            continue
        first = first or _Group([left], [], {left.article.id})
        second = second or _Group([right], [], {right.article.id})
        if first.articles & second.articles:
            continue
        merged = _Group(
            first.members + second.members, first.scores + second.scores + [score], first.articles | second.articles
        )
        for member in merged.members:
            group_of[id(member)] = merged
    for score, left, right in candidates:
        if (id(left) in group_of) == (id(right) in group_of):
            continue
        alone, partner = (left, right) if id(right) in group_of else (right, left)
        group = group_of[id(partner)]
        group.members.append(alone)
        group.scores.append(score)
        group.articles.add(alone.article.id)
        group_of[id(alone)] = group
    order = {a.id: i for i, a in enumerate(articles)}
    shared = []
    for group in {id(g): g for g in group_of.values()}.values():
        members = tuple(sorted(group.members, key=lambda s: (order[s.article.id], s.sentence.start)))
        common = frozenset.intersection(*(s.entities for s in members))
        shared.append(Shared(members, max(group.scores), tuple(sorted(common)), tuple(number_differences(members))))
    shared.sort(key=lambda g: (order[g.statements[0].article.id], g.statements[0].sentence.start))
    return tuple(shared)


@dataclass
class _Group:
    """Sentences being gathered as reports of the same thing."""

    members: list[Statement]
    scores: list[float]
    articles: set[str]
    """The ids of the members' articles."""


def number_differences(statements: Sequence[Statement]) -> list[NumberDifference]:
    """Quantities of the same kind and unit that statements of different articles give with values
    that do not agree.

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
                        (statement.article, tuple(q.text for q in side))
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


class AnalysisCache:
    """Quotes and comparisons kept across the rebuilds of `mkdocs serve`.

    Keyed by the identity of the articles and annotations they were worked out from: a host that keeps
    those objects while their sources are unchanged (the plugin does) finds the work of the last build
    for every unchanged article and event. Valid for one set of entities and options only: make a new
    one when they change; `rotate` at each build drops what the last build did not use.
    """

    def __init__(self) -> None:
        self.kept: dict = {}
        self.fresh: dict = {}

    def get(self, key: tuple, sources: tuple, make):
        """What `make()` gave for `key`; `sources` are the objects whose ids the key holds, kept with it."""
        hit = self.fresh.get(key) or self.kept.get(key)
        if hit is None:
            hit = (sources, make())
        self.fresh[key] = hit
        return hit[1]

    def rotate(self) -> None:
        self.kept, self.fresh = self.fresh, {}


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
        cache: AnalysisCache | None = None,
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
                (annotation,),
                lambda article_id=article_id, annotation=annotation: find(article_id, annotation),
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
            comparison = self.cache.get(key, (tuple(articles), annotations), make)
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
