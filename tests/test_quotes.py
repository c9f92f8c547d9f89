"""Quote attribution on short texts: one pattern per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import markdown
import pytest
from mkdocs_dossier.analysis.quotes import find_quotes
from mkdocs_dossier.sources.loader import ENTITY_FIELDS, check_fields, load_yaml
from mkdocs_dossier.sources.model import Dossier, Entity
from mkdocs_dossier.sources.problems import Problems
from mkdocs_dossier.text.extension import Annotator, DossierExtension

ENTITIES = {
    "sergei-lavrov": Entity("sergei-lavrov", "Sergei Lavrov", "person", ("Lavrov",)),
    "abdoulaye-diop": Entity("abdoulaye-diop", "Abdoulaye Diop", "person", ("Abdallah Diop", "Diop")),
    "volker-turk": Entity("volker-turk", "Volker Türk", "person", ("Türk",)),
    "finance-ministry": Entity("finance-ministry", "Finance Ministry", "organization"),
    "kremlin": Entity("kremlin", "Kremlin", "organization"),
    "mali": Entity("mali", "Mali", "place"),
    "wagner-group": Entity("wagner-group", "Wagner Group", "organization", ("Wagner",)),
}


def quotes(text: str):
    dossier = Dossier(entities=ENTITIES)
    extension = DossierExtension(Annotator(dossier))
    markdown.Markdown(extensions=[extension]).convert(text)
    types = {entity_id: entity.type for entity_id, entity in ENTITIES.items()}
    return [(q.text, q.speaker) for q in find_quotes("a", extension.result, types)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will help Mali,” Lavrov said.", [("We will help Mali", "sergei-lavrov")]),
        ("“We will help Mali,” said Lavrov on Tuesday.", [("We will help Mali", "sergei-lavrov")]),
        ('"We will help Mali," Lavrov said.', [("We will help Mali", "sergei-lavrov")]),
        ("“We will help Mali”, Lavrov said.", [("We will help Mali", "sergei-lavrov")]),
        ("Lavrov said: “We will help Mali.”", [("We will help Mali.", "sergei-lavrov")]),
        ("Diop said, “We will not justify our choice.”", [("We will not justify our choice.", "abdoulaye-diop")]),
        (
            "Lavrov told reporters that Russia had sent “very large supplies” to Mali.",
            [("very large supplies", "sergei-lavrov")],
        ),
        (
            "Lavrov instructed reporters that Russia has delivered “very giant provides of aviation tools”.",
            [("very giant provides of aviation tools", "sergei-lavrov")],
        ),
        (
            "Türk on Monday condemned the dismissal, saying his work was “more important than ever”.",
            [("more important than ever", "volker-turk")],
        ),
        (
            "The visit is “the first of its kind”, according to the Finance Ministry.",
            [("the first of its kind", "finance-ministry")],
        ),
        (
            "The visit is “the first of its kind”, in response to the Finance Ministry.",
            [("the first of its kind", "finance-ministry")],
        ),
        (
            "Lavrov, who was in Iraq on Monday, said: “We are here to help.”",
            [("We are here to help.", "sergei-lavrov")],
        ),
        (
            "Mali’s Foreign Minister Abdallah Diop said “Mali wants to work with Russia.”",
            [("Mali wants to work with Russia.", "abdoulaye-diop")],
        ),
        (
            "In January, Lavrov criticized the West, accusing it of “colonial methods”, and insisted that "
            "Moscow seeks relations based on “solidarity and support.”",
            [("colonial methods", "sergei-lavrov"), ("solidarity and support.", "sergei-lavrov")],
        ),
        (
            "“Rights groups must stop being tools,” Diop said, adding, “We are accused of abuses.”",
            [
                ("Rights groups must stop being tools", "abdoulaye-diop"),
                ("We are accused of abuses.", "abdoulaye-diop"),
            ],
        ),
    ],
)
def test_attribution_patterns(text, expected):
    assert quotes(text) == expected


def test_a_quote_over_several_sentences_is_one_quote():
    assert quotes("“We see regret. It is a negative attitude,” Lavrov said.") == [
        ("We see regret. It is a negative attitude", "sergei-lavrov")
    ]


def test_a_closing_mark_without_its_opening_one_continues_the_last_quote():
    found = quotes("“We will not justify our choice,” said Diop. This decision is ours. And Mali wants Russia.”")
    assert found == [
        ("We will not justify our choice", "abdoulaye-diop"),
        ("This decision is ours. And Mali wants Russia.", "abdoulaye-diop"),
    ]


def test_he_said_takes_the_one_person_named_before():
    text = "Lavrov arrived in Mali.\n\nThe talks began late.\n\n“It is only the beginning,” he said."
    assert quotes(text) == [("It is only the beginning", "sergei-lavrov")]


def test_he_said_stays_unattributed_when_two_people_could_be_meant():
    text = "Lavrov met Diop in Mali.\n\n“It is only the beginning,” he said."
    assert quotes(text) == [("It is only the beginning", None)]


def test_a_speaker_the_registry_does_not_name_stays_unattributed_with_the_words_kept():
    dossier = Dossier(entities=ENTITIES)
    extension = DossierExtension(Annotator(dossier))
    markdown.Markdown(extensions=[extension]).convert("“Wagner is a myth,” a Kremlin spokesman said.")
    (quote,) = find_quotes("a", extension.result, {})
    assert quote.speaker is None
    assert quote.speaker_text == "a Kremlin spokesman"


def test_a_possessive_does_not_make_its_owner_the_speaker():
    assert quotes("Mali’s foreign minister said: “We choose our partners.”") == [("We choose our partners.", None)]


def test_a_preposition_after_a_quote_is_not_a_speaker():
    found = quotes("Lavrov warned that the world had entered an “era of tension”, after analysts confirmed it.")
    assert found == [("era of tension", "sergei-lavrov")]


def test_a_nickname_in_quotes_is_not_a_quote():
    assert quotes('Edwin "Buzz" Aldrin joined him.') == []


def test_no_quote_no_attribution():
    assert quotes("Lavrov said Russia would help Mali.") == []


PROBES_PATH = Path(__file__).parent / "data" / "quote_probes.yml"
PROBES = load_yaml(PROBES_PATH.read_text(encoding="utf-8"), PROBES_PATH, Problems())[0]


def _probe_entities() -> dict[str, Entity]:
    """The probes' registry, read through the loader's own checks."""
    problems = Problems()
    entities = {}
    for entity_id, record in PROBES["entities"].items():
        values = check_fields(record, ENTITY_FIELDS, PROBES_PATH, 1, entity_id, problems)
        entities[entity_id] = Entity(id=entity_id, **values)
    assert not problems.sorted()
    return entities


PROBE_ENTITIES = _probe_entities()


def attribute_probe(probe: dict) -> tuple[str | None, list]:
    """The speaker found for a probe's quote, and all the quotes found (for messages)."""
    dossier = Dossier(entities=PROBE_ENTITIES)
    extension = DossierExtension(Annotator(dossier))
    markdown.Markdown(extensions=[extension]).convert(probe["text"])
    published = dt.date.fromisoformat(str(probe.get("published", PROBES["published"])))
    found = find_quotes(
        "probe",
        extension.result,
        {entity_id: entity.type for entity_id, entity in PROBE_ENTITIES.items()},
        roles={entity_id: entity.roles for entity_id, entity in PROBE_ENTITIES.items()},
        published=published,
    )
    wanted = probe.get("quote")
    chosen = next((q for q in found if wanted is None or wanted in q.text), None)
    assert chosen is not None, f"no quote {wanted!r} found in {probe['text']!r}: {found}"
    return chosen.speaker, found


def probe_figures(split: str) -> tuple[int, int, int, int, list[str]]:
    """(right speakers, quotes with a speaker to find, wrong speakers, probes, failures) for one split."""
    right = expected = wrong = 0
    failures = []
    probes = [p for p in PROBES["probes"] if p["split"] == split]
    for probe in probes:
        speaker, _ = attribute_probe(probe)
        if probe["speaker"] is not None:
            expected += 1
            right += speaker == probe["speaker"]
        if speaker is not None and speaker != probe["speaker"]:
            wrong += 1
        if speaker != probe["speaker"]:
            failures.append(f"{probe['text']!r}: expected {probe['speaker']}, found {speaker}")
    return right, expected, wrong, len(probes), failures


def test_the_probe_set_is_large_enough_and_split():
    splits = [p["split"] for p in PROBES["probes"]]
    assert len(splits) >= 60
    assert {"dev", "test"} == set(splits)
    assert all(p["source"] in PROBES["sources"] for p in PROBES["probes"])


@pytest.mark.parametrize("split", ["dev", "test"])
def test_probe_set_attribution(split):
    right, expected, wrong, total, failures = probe_figures(split)
    print(f"{split}: {right}/{expected} attributed to the right speaker, {wrong} to a wrong one ({total} probes)")
    assert wrong == 0, failures
    assert right >= 0.9 * expected, failures


def test_bad_roles_are_reported_with_file_and_line(tmp_path):
    from mkdocs_dossier.sources.loader import load_dossier

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("---\ntitle: A\noutlet: X\npublished: 2023-02-07\n---\nText.\n")
    (tmp_path / "entities.yml").write_text(
        "sergei-lavrov:\n  name: Sergei Lavrov\n  type: person\n"
        "  roles: [{title: foreign minister, from: 2004-03-09, to: 2001-01-01}, {titel: x}, [1]]\n"
        "jake-sullivan:\n  name: Jake Sullivan\n  type: person\n  roles: national security adviser\n",
        encoding="utf-8",
    )
    dossier, problems = load_dossier(tmp_path)
    messages = [str(problem) for problem in problems.sorted()]
    assert len(messages) == 1, messages
    assert "entities.yml:4" in messages[0]
    assert "item 1 'to' (2001-01-01) is before 'from' (2004-03-09)" in messages[0]
    assert "item 2 has an unknown field 'titel'" in messages[0]
    assert "item 3 must be text, not a list" in messages[0]
    assert dossier.entities["jake-sullivan"].roles[0].title == "national security adviser"
