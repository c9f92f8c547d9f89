"""Quote attribution on short texts: one pattern per test."""

from __future__ import annotations

import markdown
import pytest
from mkdocs_dossier.analysis.quotes import find_quotes
from mkdocs_dossier.sources.model import Dossier, Entity
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
