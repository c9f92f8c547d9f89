"""The shortcuts that keep the comparison (its scores as matrices), the quotes and the name-variant check cheap at scale give
what the plain ways give: every pair scored, every pattern tried at every position, every spelling
compared. No timing here: the shape is pinned by counting the pairs that get scored."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import re
from collections import Counter
from dataclasses import replace

import pytest
from mkdocs_dossier.analysis.compare import CompareOptions, score_matrix, statements_of
from mkdocs_dossier.analysis.quotes import Quote
from mkdocs_dossier.analysis.variants import _WORD, _capital_words, _fold, _skeleton, _Spellings
from mkdocs_dossier.sources.model import Annotation, Article, Entity, Mention, Sentence
from mkdocs_dossier.text import quantities

SYLLABLES = "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so".split()
NEAR = (
    "officials officers official troops soldiers soldier negotiation negotiations negotiators election "
    "elections elected government governments withdrawal withdraw withdrew"
).split()
STOP = "the of and to in a on for with said that was were by as from".split()
WORDS = ["".join(random.Random(n).choices(SYLLABLES, k=3)) for n in range(400)] + NEAR + STOP * 10
NUMBERS = "two three 12 40 hundreds 2020 seven twenty-one first 1,500".split()
ENTITIES = [("@diop", "Diop"), ("@diop", "Abdallah Diop"), ("@mali", "Mali"), ("@goita", "Goïta"), ("@goita", "Guetta")]


def synthetic_article(index: int, rng: random.Random, sentences: int) -> tuple[Article, Annotation, list[Quote]]:
    """An article of `sentences` sentences over a small vocabulary, with mentions, numbers and quotes."""
    article = Article(
        f"a{index}", f"A{index}", f"Outlet {index}", dt.date(2023, 2, 1) + dt.timedelta(days=index), "", f"a{index}.md"
    )
    text, found, mentions, quotes = "", [], [], []
    for number in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 16))]
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words) + 1), rng.choice(NUMBERS))
        sentence_id = f"s-{number + 1}"
        start = len(text)
        parts: list[str] = []
        for word in words:
            if rng.random() < 0.08:
                entity, form = rng.choice(ENTITIES)
                offset = start + len(" ".join(parts)) + (1 if parts else 0)
                mention = Mention(entity[1:], f"m-{len(mentions)}", form, offset, offset + len(form), ("", form, ""))
                mentions.append(replace(mention, sentence=sentence_id))
                parts.append(form)
            parts.append(word)
        sentence = " ".join(parts)
        sentence = sentence[0].upper() + sentence[1:] + "."
        if rng.random() < 0.1:
            quotes.append(Quote(article.id, sentence, start, start + len(sentence), sentence_id, None))
        found.append(Sentence(sentence_id, start, start + len(sentence), sentence))
        text += sentence + ("\n" if rng.random() < 0.2 else " ")
    return article, Annotation(mentions=mentions, sentences=found, text=text), quotes


@pytest.fixture(scope="module")
def event():
    """Five articles of two hundred sentences each, as the comparison reads them."""
    rng = random.Random(7)
    return [synthetic_article(index, rng, 200) for index in range(5)]


@pytest.fixture(scope="module")
def small_event():
    rng = random.Random(8)
    return [synthetic_article(index, rng, 50) for index in range(4)]


def plain_score(every, left, right, options: CompareOptions) -> float:
    """The plain way: the rarity of each feature two statements share, counted one by one."""
    total = 0.0
    for weight, part in (
        (options.entity_weight, "entities"),
        (options.word_weight, "words"),
        (options.figure_weight, "figures"),
    ):
        frequency = Counter(f for s in every for f in getattr(s, part))
        shared = getattr(left, part) & getattr(right, part)
        total += weight * sum(math.log(1 + len(every) / frequency[f]) for f in shared)
    return total / math.log(1 + len(every))


def test_an_event_of_five_long_articles_scores_every_pair_as_counting_one_by_one(event):
    """The 500,000 pairs of the five articles' statements are scored at once, as matrices; a sample of
    them, counted one by one, gives the same scores."""
    options = CompareOptions()
    every = [s for article, annotation, _ in event for s in statements_of(article, annotation, options)]
    score = score_matrix(every, options)
    assert score.shape == (len(every), len(every)) and len(every) > 900
    rng = random.Random(3)
    for _ in range(300):
        i, j = rng.randrange(len(every)), rng.randrange(len(every))
        assert score[i, j] == pytest.approx(plain_score(every, every[i], every[j], options), abs=2e-3)


@pytest.mark.parametrize(
    "options",
    [CompareOptions(), CompareOptions(entity_weight=6.0, figure_weight=0.5), CompareOptions(word_weight=0.0)],
)
def test_the_scores_are_those_of_counting_one_by_one(small_event, options):
    every = [s for article, annotation, _ in small_event for s in statements_of(article, annotation, options)]
    score = score_matrix(every, options)
    for i, j in itertools.combinations(range(0, len(every), 7), 2):
        assert score[i, j] == pytest.approx(plain_score(every, every[i], every[j], options), abs=2e-3)


def plain_quantities(text: str):
    return quantities._DATE.finditer(text), quantities._ORDINAL.finditer(text), quantities._AMOUNT.finditer(text)


TRICKY = [
    "often two or three",
    "done one",
    "xtwenty one coups",
    "İn 1999 ſeven",
    "A FEW hundred troops",
    "about 20 minutes",
    "$5 million and €3bn",
    "May 5, 2020",
    "may we, in MAY or Sept",
    "on Tuesday the 3rd",
    "several Hundred troops",
    "٣ coups",
    "the 1990s",
    "45 per cent of voters",
    "a 2020 coup",
    "twenty-one",
    "Ⅻ dozens",
    "someone's five",
]


def test_quantities_tried_at_their_openings_are_those_of_every_position(monkeypatch):
    rng = random.Random(11)
    pieces = list("abcdefghiklmnorstuwy ABFMST0123456789$€£%,.-'’\n") + [
        "one ", "two ", "ten ", "May ", "hundred ", "a few ", "first ", "2020 ", "per cent ", "İ", "ſ", "ı", "K",
    ]  # fmt: skip
    texts = TRICKY + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    found = [quantities.find_quantities(text) for text in texts]
    monkeypatch.setattr(quantities, "_matches", plain_quantities)
    assert found == [quantities.find_quantities(text) for text in texts]
    assert sum(map(bool, found)) > 500


def test_a_text_said_to_hold_no_quantity_holds_none():
    rng = random.Random(13)
    pieces = ["one", "two", "May", "may", "first", "hundreds", "Tuesday", "some", "few", "done", "often", "5"]
    pieces += "army talks border the of a and".split()
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        words = re.findall(r"[^\W\d_]+", text.lower())
        if not quantities.may_hold_quantities(text, words):
            assert quantities.find_quantities(text) == [], text


def test_capitalised_words_are_those_a_walk_over_every_word_finds():
    rng = random.Random(17)
    pieces = ["Abc", "de", "of", "Van", " ", " ", "-", "'", "’", "5", "Élan", "élan", ".", "\n", "“", "O'Neil", "McX"]
    pieces += ["aB", "_"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        plain = [(w.start(), w.group()) for w in _WORD.finditer(text) if w.group()[0].isupper()]
        assert [(w.start(), w.group()) for w in _capital_words(text)] == plain, text


def closest_by_comparing_every_spelling(name, registered, cutoff):
    """The plain way: every registered spelling (and, for a one-word name, every long capitalised word
    of one) in turn; the first of the best close ones."""
    from rapidfuzz import fuzz

    folded, best = _fold(name), None
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


@pytest.mark.parametrize("cutoff", [80.0, 60.0, 95.0])
def test_the_closest_spelling_is_the_one_comparing_every_spelling_finds(cutoff):
    rng = random.Random(19)
    syllables = "ba ko ri ta gue go ia di op ma li sa ne vro la ov".split()

    def name() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))).capitalize()

    entities = [Entity(f"e{i}", f"{name()} {name()}", "person", (name(), f"{name()}-{name()}")) for i in range(120)]
    registered = [(form, entity) for entity in entities for form in entity.surface_forms]
    spellings = _Spellings(registered, cutoff)
    names = [name() for _ in range(150)] + [f"{name()} {name()}" for _ in range(50)]
    names += [form[:-1] + "e" for form, _ in registered[:60]] + ["Guetta", "Goïta", "", "Ab"]
    found = [spellings.closest(n) for n in names]
    assert found == [closest_by_comparing_every_spelling(n, registered, cutoff) for n in names]
    assert sum(1 for f in found if f) > 30
