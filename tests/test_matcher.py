"""The matcher on plain strings: edges, case, longest match, and scale."""

from __future__ import annotations

import random
import string

import pytest
from mkdocs_dossier.text.matcher import Matcher, Spelling, Target, fold


def entity(form: str, entity_id: str, case_sensitive: bool = True, priority: int = 0) -> Spelling:
    return Spelling(form, Target("entity", entity_id), case_sensitive, priority)


def term(form: str, term_id: str, case_sensitive: bool = False) -> Spelling:
    return Spelling(form, Target("term", term_id), case_sensitive)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.target.id) for m in matcher.find(text)]


def test_longest_match_wins():
    matcher = Matcher([entity("Wagner", "wagner"), entity("Wagner Group", "wagner-group")])
    assert found(matcher, "the Wagner Group, not Wagner") == [("Wagner Group", "wagner-group"), ("Wagner", "wagner")]


def test_leftmost_match_wins_over_a_later_longer_one():
    matcher = Matcher([entity("Sergei Lavrov", "lavrov"), entity("Lavrov Street", "street")])
    assert found(matcher, "Sergei Lavrov Street") == [("Sergei Lavrov", "lavrov")]


@pytest.mark.parametrize(
    "text",
    ["Mali's army", "Mali’s army", "(Mali)", "Mali.", "«Mali»", "Mali—Niger", "in Mali"],
)
def test_possessives_and_punctuation_are_word_edges(text):
    assert found(Matcher([entity("Mali", "mali")]), text) == [("Mali", "mali")]


@pytest.mark.parametrize("text", ["Malian", "Somalia", "Mali2", "pre-Mali", "Mali-based", "O'Mali"])
def test_no_match_inside_a_word(text):
    assert found(Matcher([entity("Mali", "mali")]), text) == []


def test_a_hyphenated_name_matches_whole_and_its_parts_do_not():
    matcher = Matcher([entity("Kara-Murza", "kara-murza"), entity("Murza", "murza")])
    assert found(matcher, "Vladimir Kara-Murza said") == [("Kara-Murza", "kara-murza")]
    assert found(Matcher([entity("Murza", "murza")]), "Kara-Murza") == []


def test_forms_ending_in_a_full_stop():
    matcher = Matcher([entity("U.S.", "united-states")])
    assert found(matcher, "the U.S. said") == [("U.S.", "united-states")]
    assert found(matcher, "the U.S.") == [("U.S.", "united-states")]
    assert found(matcher, "the U.S.A") == []


def test_entities_are_case_sensitive_and_terms_are_not():
    matcher = Matcher([entity("UN", "united-nations"), term("junta", "junta")])
    assert found(matcher, "the UN and un autre") == [("UN", "united-nations")]
    assert found(matcher, "Junta, JUNTA, junta") == [("Junta", "junta"), ("JUNTA", "junta"), ("junta", "junta")]


def test_a_case_insensitive_entity_and_a_case_sensitive_term():
    matcher = Matcher([entity("wagner group", "wagner-group", case_sensitive=False), term("Coup", "coup", True)])
    assert found(matcher, "WAGNER GROUP staged a coup, a Coup") == [("WAGNER GROUP", "wagner-group"), ("Coup", "coup")]


def test_priority_decides_between_two_claims_on_one_spelling():
    matcher = Matcher([entity("Diop", "abdoulaye-diop", priority=1), entity("Diop", "other-diop")])
    assert found(matcher, "Diop said") == [("Diop", "abdoulaye-diop")]


def test_typographic_variants_match_their_plain_spelling():
    matcher = Matcher([entity("Côte d'Ivoire", "ivory-coast"), entity("Sergei Lavrov", "lavrov")])
    assert found(matcher, "in Côte d’Ivoire") == [("Côte d’Ivoire", "ivory-coast")]
    assert found(matcher, "Sergei\u00a0Lavrov and Sergei\nLavrov") == [
        ("Sergei\u00a0Lavrov", "lavrov"),
        ("Sergei\nLavrov", "lavrov"),
    ]


@pytest.mark.parametrize(
    ("form", "text"),
    [
        ("Владимир Кара-Мурза", "сказал Владимир Кара-Мурза."),
        ("Ασσίμι", "ο Ασσίμι είπε"),
        ("عبد الله", "قال عبد الله اليوم"),
        ("Goïta", "Assimi Goïta's"),
    ],
)
def test_word_edges_in_other_scripts(form, text):
    assert [m.text for m in Matcher([entity(form, "x")]).find(text)] == [form]


def test_scripts_without_spaces_have_no_edges():
    assert found(Matcher([entity("北京", "beijing")]), "我们去北京了") == [("北京", "beijing")]
    assert found(Matcher([entity("東京", "tokyo")]), "東京都に") == [("東京", "tokyo")]


def test_a_combining_mark_after_a_form_continues_the_word():
    assert found(Matcher([entity("Goi", "goi")]), "Goi\u0308ta") == []


def test_offsets_survive_characters_whose_lower_case_is_longer():
    matcher = Matcher([entity("Istanbul", "istanbul")])
    text = "İİİ Istanbul"
    assert len(fold(text)) == len(text)
    [match] = matcher.find(text)
    assert text[match.start : match.end] == "Istanbul"


def test_edges_are_judged_with_the_surrounding_text():
    matcher = Matcher([entity("Mali", "mali")])
    assert found(matcher, "Mali") == [("Mali", "mali")]
    assert matcher.find("Mali", lead="", trail="an") == []
    assert matcher.find("Mali", lead="So", trail="") == []
    [match] = matcher.find("Mali", lead="in ", trail="'s")
    assert (match.start, match.end, match.text) == (0, 4, "Mali")


def test_an_empty_matcher_finds_nothing():
    assert Matcher([]).find("anything") == []


def _name(rng: random.Random) -> str:
    return " ".join(
        rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))
        for _ in range(rng.randint(1, 3))
    )


def test_thirty_thousand_spellings_find_exactly_what_is_planted():
    rng = random.Random(7)
    names = sorted({_name(rng) for _ in range(31_000)})[:30_000]
    matcher = Matcher(entity(name, f"e{index}") for index, name in enumerate(names))
    assert matcher.size == 30_000
    planted = rng.sample(range(len(names)), 200)
    words = []
    for index in planted:
        words += ["lorem", "ipsum", names[index] + ",", "dolor"]
    matches = matcher.find(" ".join(words))
    assert [m.target.id for m in matches] == [f"e{index}" for index in planted]


PRINTED = Matcher(
    [
        entity("Assimi Goïta", "assimi-goita"),
        entity("Volker Türk", "volker-turk"),
        entity("Türk", "volker-turk"),
        entity("Sergei Lavrov", "sergei-lavrov"),
        entity("Lavrov", "sergei-lavrov"),
        entity("Bamako", "bamako"),
        entity("Mali", "mali"),
    ]
)


@pytest.mark.parametrize(
    ("text", "printed", "entity_id"),
    [
        ("Colonel Assimi Goita seized power.", "Assimi Goita", "assimi-goita"),
        ("Colonel Assimi Goïta seized power.", "Assimi Goïta", "assimi-goita"),
        ("Colonel Assimi Goi\u0308ta seized power.", "Assimi Goi\u0308ta", "assimi-goita"),
        ("Talks with Sergei  Lavrov ended.", "Sergei  Lavrov", "sergei-lavrov"),
        ("Talks with Sergei \n Lavrov ended.", "Sergei \n Lavrov", "sergei-lavrov"),
        ("Talks with Ser\u00adgei Lav\u00adrov ended.", "Ser\u00adgei Lav\u00adrov", "sergei-lavrov"),
        ("BAMAKO, Mali (AP) — The junta", "BAMAKO", "bamako"),
        ("BAMAKO — The junta", "BAMAKO", "bamako"),
        ("LAVROV PLEDGES MILITARY AID", "LAVROV", "sergei-lavrov"),
        ("Volker Turk condemned it.", "Volker Turk", "volker-turk"),
        ("Volker Tu\u0308rk condemned it.", "Volker Tu\u0308rk", "volker-turk"),
        ("Volker Türk condemned it.", "Volker Türk", "volker-turk"),
    ],
)
def test_each_printed_form_links_to_its_entity_with_exact_offsets(text, printed, entity_id):
    [match] = [m for m in PRINTED.find(text) if m.target.id == entity_id]
    assert text[match.start : match.end] == printed == match.text


def test_a_registered_spelling_without_diacritics_finds_them_written():
    matcher = Matcher([entity("Volker Turk", "volker-turk"), entity("Goita", "assimi-goita")])
    assert found(matcher, "Volker Türk and Goïta") == [("Volker Türk", "volker-turk"), ("Goïta", "assimi-goita")]


def test_an_accent_sensitive_spelling_matches_only_its_accents():
    matcher = Matcher(
        [
            Spelling("Müller", Target("entity", "muller"), True, accent_sensitive=True),
            Spelling("Muller", Target("entity", "other"), True, accent_sensitive=True),
        ]
    )
    assert found(matcher, "Müller, Mu\u0308ller and Muller") == [
        ("Müller", "muller"),
        ("Mu\u0308ller", "muller"),
        ("Muller", "other"),
    ]


def test_capitals_count_only_in_a_run_of_capitals():
    matcher = Matcher([entity("Mali", "mali"), entity("Wagner", "wagner")])
    assert found(matcher, "the MALI team and WAGNER said") == []
    assert found(matcher, "THE WAGNER GROUP IN MALI") == [("WAGNER", "wagner"), ("MALI", "mali")]


def test_a_dateline_in_its_own_element_is_judged_with_what_follows():
    [match] = PRINTED.find("BAMAKO", lead="", trail=", ")
    assert (match.start, match.end) == (0, 6)


def test_offsets_stay_exact_after_folded_characters():
    text = "Stra\u00dfe,  Goi\u0308ta\u00ad and   Lavrov"
    matches = PRINTED.find(text)
    assert [text[m.start : m.end] for m in matches] == ["Lavrov"]
    assert matches[0].start == text.index("Lavrov")


def test_cyrillic_short_i_is_a_letter_of_its_own_but_yo_folds():
    matcher = Matcher([entity("Бойко", "boiko"), entity("Алёна", "alyona")])
    assert found(matcher, "Боико и Бойко, Алена") == [("Бойко", "boiko"), ("Алена", "alyona")]
    assert found(matcher, "Бои\u0306ко") == [("Бои\u0306ко", "boiko")]
