"""The comparison of an event's coverage: pairing measured on labelled pairs, quotes, differences."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from mkdocs_dossier.analysis.compare import (
    CompareOptions,
    CoverageAnalysis,
    _Scorer,
    _statements,
    compare_event,
    number_differences,
)
from mkdocs_dossier.analysis.quotes import find_quotes
from mkdocs_dossier.text.quantities import find_quantities

LABELS = Path(__file__).parent / "data" / "sample_pairs.yml"
SAMPLE_EVENT = "lavrov-visits-mali-2023"


def sentence_id(annotation, opening: str) -> str:
    found = [s.id for s in annotation.sentences if s.text.startswith(opening)]
    assert len(found) == 1, f"{opening!r} opens {len(found)} sentences"
    return found[0]


@pytest.fixture(scope="module")
def labelled(sample):
    dossier, annotations = sample
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    left, right = data["left"], data["right"]
    labels = {
        (sentence_id(annotations[left], pair["left"]), sentence_id(annotations[right], pair["right"])): pair["label"]
        for pair in data["pairs"]
    }
    return left, right, labels


def made_pairs(comparison, left: str, right: str) -> set[tuple[str, str]]:
    return {
        (a.sentence.id, b.sentence.id)
        for group in comparison.shared
        for a, b in itertools.permutations(group.statements, 2)
        if a.article.id == left and b.article.id == right
    }


def test_pairing_precision_and_recall_on_the_labelled_sample_pairs(sample, labelled, capsys):
    """End to end: the pairs the comparison makes, against the hand labels (unlisted pairs count as
    different); and pair by pair: each labelled pair's score against the threshold."""
    dossier, annotations = sample
    left, right, labels = labelled
    options = CompareOptions()
    comparison = compare_event(
        dossier.events[SAMPLE_EVENT], dossier.coverage[SAMPLE_EVENT], annotations, dossier.entities
    )
    made = made_pairs(comparison, left, right)
    same = {pair for pair, label in labels.items() if label == "same"}
    true_positives = made & same
    mistakes = {pair for pair in made if labels.get(pair, "different") == "different"}
    precision = len(true_positives) / max(1, len(true_positives) + len(mistakes))
    recall = len(true_positives) / len(same)

    articles = dossier.coverage[SAMPLE_EVENT]
    statements = {a.id: {s.sentence.id: s for s in _statements(a, annotations[a.id], options)} for a in articles}
    scorer = _Scorer([s for found in statements.values() for s in found.values()], options)
    scored = {pair: scorer.score(statements[left][pair[0]], statements[right][pair[1]]) for pair in labels}
    decided = {pair: label for pair, label in labels.items() if label != "related"}
    hits = sum(1 for pair, label in decided.items() if label == "same" and scored[pair] >= options.threshold)
    false_alarms = sum(
        1 for pair, label in decided.items() if label == "different" and scored[pair] >= options.threshold
    )
    pair_precision = hits / max(1, hits + false_alarms)
    pair_recall = hits / len(same)

    with capsys.disabled():
        print(
            f"\npairing on the sample, {len(labels)} labelled pairs ({len(same)} same, "
            f"{sum(1 for v in labels.values() if v == 'related')} related, "
            f"{sum(1 for v in labels.values() if v == 'different')} different), threshold {options.threshold}:"
            f"\n  end to end (the groups made): precision {precision:.2f} ({len(true_positives)}/"
            f"{len(true_positives) + len(mistakes)}), recall {recall:.2f} ({len(true_positives)}/{len(same)})"
            f"\n  pair by pair (score >= threshold): precision {pair_precision:.2f} ({hits}/{hits + false_alarms}), "
            f"recall {pair_recall:.2f} ({hits}/{len(same)})"
            f"\n  missed: {sorted(same - made)}; mistaken: {sorted(mistakes)}"
        )
    assert precision >= 0.75
    assert recall >= 0.6
    assert pair_precision >= 0.75
    assert pair_recall >= 0.6


def test_the_issue_example_pair_is_made(sample):
    dossier, annotations = sample
    comparison = compare_event(
        dossier.events[SAMPLE_EVENT], dossier.coverage[SAMPLE_EVENT], annotations, dossier.entities
    )
    texts = [tuple(s.sentence.text[:30] for s in group.statements) for group in comparison.shared]
    assert ("Western officers and a few rig", "Western officers say tons of o") in texts


def test_only_in_one_holds_every_statement_left_unpaired_and_skips_bylines(sample):
    dossier, annotations = sample
    articles = dossier.coverage[SAMPLE_EVENT]
    comparison = compare_event(dossier.events[SAMPLE_EVENT], articles, annotations, dossier.entities)
    for article, statements in comparison.only:
        paired = {s.sentence.id for g in comparison.shared for s in g.statements if s.article.id == article.id}
        listed = {s.sentence.id for s in statements}
        every = {s.id for s in annotations[article.id].sentences if len(s.text.split()) >= 4}
        assert listed == every - paired
        assert not any(s.sentence.text in ("(AFP)", "(AP)") for s in statements)


def test_spellings_that_differ_between_the_sample_articles(sample):
    dossier, annotations = sample
    comparison = compare_event(
        dossier.events[SAMPLE_EVENT], dossier.coverage[SAMPLE_EVENT], annotations, dossier.entities
    )
    spellings = {d.entity: {a.outlet: set(forms) for a, forms in d.spellings} for d in comparison.spellings}
    assert spellings == {
        "abdoulaye-diop": {"AFP": {"Abdullah Diop", "Diop"}, "AP": {"Abdallah Diop", "Diop"}},
        "assimi-goita": {"AFP": {"Asimi Guetta", "Guetta"}, "AP": {"Asemi Guetta", "Goeta"}},
    }


def test_figures_that_differ_in_the_sample(sample):
    dossier, annotations = sample
    comparison = compare_event(
        dossier.events[SAMPLE_EVENT], dossier.coverage[SAMPLE_EVENT], annotations, dossier.entities
    )
    figures = [tuple((a.outlet, texts) for a, texts in d.sides) for _, d in comparison.numbers]
    assert figures == [(("AFP", ("two coups",)), ("AP", ("a 2020 coup",)))]


def test_sample_quotes_by_speaker(sample):
    dossier, annotations = sample
    comparison = compare_event(
        dossier.events[SAMPLE_EVENT], dossier.coverage[SAMPLE_EVENT], annotations, dossier.entities
    )
    by_speaker = {
        q.speaker: sorted((v.article.outlet, v.quote.text[:25]) for g in q.groups for v in g.versions)
        for q in comparison.quotes
    }
    assert by_speaker["volker-turk"] == [("AFP", "extra necessary than ever")]
    assert by_speaker["finance-ministry"] == [("AFP", "new dynamic"), ("AFP", "the primary of its type")]
    assert ("AP", "We is not going to procee") in by_speaker["abdoulaye-diop"]
    assert ("AP", "This resolution is a mone") in by_speaker["abdoulaye-diop"]
    assert len(by_speaker["sergei-lavrov"]) == 6
    assert by_speaker[None] == [("AP", "neo-colonial approaches a")]


def test_a_comparison_only_compares_the_articles_of_its_event(sample):
    dossier, annotations = sample
    analysis = CoverageAnalysis(dossier, annotations)
    comparison = analysis.comparison(SAMPLE_EVENT)
    assert {a.id for a in comparison.articles} == {a.id for a in dossier.coverage[SAMPLE_EVENT]}
    assert [quote.text for _, quotes in analysis.quotes_of("volker-turk") for quote in quotes] == [
        "extra necessary than ever"
    ]


def test_the_unseen_dossier_pairs_its_near_identical_sentences(unseen):
    dossier, annotations = unseen
    analysis = CoverageAnalysis(dossier, annotations)
    boiling = analysis.comparison("guterres-global-boiling-2023")
    pairs = {tuple(s.sentence.text[:24] for s in group.statements) for group in boiling.shared}
    for expected in [
        ('"The era of global warmin', "Speaking in New York, Gut"),
        ('"Climate change is here. ', "“Climate change is here. I"),
        ('"Leaders must lead. No mo', "Guterres urged world lead"),
        ("Guterres said it was stil", "He said limiting warming "),
        ("WMO Secretary-General Pet", "The WMO's Petteri Taalas "),
        ("The World Meteorological ", "According to the WMO and "),
        ("Heatwaves have hit large ", "Canada and Greece have ba"),
    ]:
        assert tuple(text[:24] for text in expected) in pairs, expected
    assert all(not statements for _, statements in boiling.only)


def test_the_unseen_dossier_attributes_its_quotes(unseen):
    dossier, annotations = unseen
    comparison = CoverageAnalysis(dossier, annotations).comparison("guterres-global-boiling-2023")
    guterres = next(q for q in comparison.quotes if q.speaker == "antonio-guterres")
    matched = [g for g in guterres.groups if len(g.versions) == 2]
    assert len(matched) == 5
    assert all(g.same_words for g in matched)
    leaders = next(g for g in matched if g.versions[0].quote.text.startswith("Leaders"))
    assert {v.quote.speaker for v in leaders.versions} == {None, "antonio-guterres"}
    taalas = next(q for q in comparison.quotes if q.speaker == "petteri-taalas")
    assert [len(g.versions) for g in taalas.groups] == [2]


def test_the_unseen_dossier_shows_a_quote_worded_differently_and_a_day_that_differs(unseen):
    dossier, annotations = unseen
    comparison = CoverageAnalysis(dossier, annotations).comparison("apollo-11-moon-landing")
    armstrong = next(q for q in comparison.quotes if q.speaker == "neil-armstrong")
    step = next(g for g in armstrong.groups if "small step" in g.versions[0].quote.text)
    assert not step.same_words
    assert ("delete", "a") in step.versions[1].diff
    landed = next(g for g in armstrong.groups if "Eagle has landed" in g.versions[0].quote.text)
    assert landed.same_words
    figures = [tuple((a.outlet, texts) for a, texts in d.sides) for _, d in comparison.numbers]
    assert (("Test Daily", ("Monday",)), ("Test Wire", ("Sunday",))) in figures
    assert not any("minutes" in " ".join(t for _, texts in f for t in texts) for f in figures)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 years", [("duration", "year", 9, 9)]),
        ("two coups", [("count", "coup", 2, 2)]),
        ("several hundred Russian troops", [("count", "troop", 300, 900)]),
        ("hundreds of fighters", [("count", "fight", 200, 999)]),
        ("about 20 minutes", [("duration", "minut", 18, 22)]),
        ("more than 300 people", [("count", "peopl", 300, float("inf"))]),
        ("in March 2024", [("date", "", 20240300, 20240331)]),
        ("on 7 February 2023", [("date", "", 20230207, 20230207)]),
        ("a 2020 coup", [("date", "", 20200000, 20201231)]),
        ("45% of voters", [("percent", "%", 45, 45)]),
        ("his third visit", [("ordinal", "visit", 3, 3)]),
        ("on Tuesday", [("weekday", "", 1, 1)]),
        ("one that is taken", []),
    ],
)
def test_quantities(text, expected):
    assert [(q.kind, q.unit, q.low, q.high) for q in find_quantities(text)] == expected


def test_figures_that_agree_are_not_differences(sample):
    dossier, annotations = sample
    article = dossier.articles["afp-lavrov-arrives-in-mali"]
    statements = _statements(article, annotations[article.id], CompareOptions())
    assert number_differences([statements[0], statements[0]]) == []


def test_quote_attribution_in_the_sample_ap_article(sample):
    dossier, annotations = sample
    types = {entity_id: entity.type for entity_id, entity in dossier.entities.items()}
    quotes = find_quotes("ap-lavrov-pledges-military-aid", annotations["ap-lavrov-pledges-military-aid"], types)
    assert [(q.speaker, q.how) for q in quotes] == [
        ("sergei-lavrov", "before"),
        ("sergei-lavrov", "before"),
        ("sergei-lavrov", "after"),
        (None, ""),
        ("sergei-lavrov", "after"),
        ("abdoulaye-diop", "saying"),
        ("abdoulaye-diop", "after"),
        ("abdoulaye-diop", "continued"),
        ("abdoulaye-diop", "after"),
        ("abdoulaye-diop", "before"),
    ]


def test_a_dossier_written_by_others_matches_a_quote_broken_over_two_lines():
    from conftest import ROOT, annotate

    dossier, annotations = annotate(ROOT / "tests" / "dossiers" / "kara-murza" / "dossier")
    comparison = CoverageAnalysis(dossier, annotations).comparison("kara-murza-sentenced")
    speaker = next(q for q in comparison.quotes if q.speaker == "vladimir-kara-murza")
    (group,) = [g for g in speaker.groups if len(g.versions) == 2]
    assert [v.quote.text for v in group.versions] == [
        "the day will come when the darkness over our country will dissipate",
        "I know the day will come when the darkness over our country will dissipate",
    ]
    assert any(q.speaker == "us-state-department" for q in comparison.quotes)
