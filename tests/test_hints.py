""" "Did you mean" hints: for an id that is not registered, and for a note's quote that is not in the text."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import MINIMAL_ARTICLE, MINIMAL_DOSSIER, write_tree
from mkdocs_dossier.command.cli import main
from mkdocs_dossier.sources.loader import did_you_mean, load_dossier
from mkdocs_dossier.text.passages import closest_passage

TEXT = (
    "Russian Overseas Minister Sergei Lavrov arrived in Mali early Tuesday for talks with leaders of the "
    "ruling navy council to hunt Moscow’s assist in combating an Islamist insurgency."
)


def test_a_typo_in_a_quote_gets_the_passage_as_the_text_spells_it():
    assert closest_passage("Sergei Lavrof", [TEXT]) == "Sergei Lavrov"
    assert closest_passage("navy councel", [TEXT]) == "navy council"
    assert closest_passage("Overseas Minster Sergei", [TEXT]) == "Overseas Minister Sergei"


def test_the_hint_is_whole_words_and_no_longer_than_the_quote_needs():
    assert closest_passage("talks with the leaders", [TEXT]) == "talks with leaders"
    assert closest_passage("ruling navy counc", [TEXT]) == "ruling navy council"


def test_the_hint_keeps_the_texts_own_characters():
    # Notes match ’ and ' alike: the search runs on the normalised text, the hint shows the original.
    normalised = TEXT.replace("’", "'")
    assert closest_passage("Moscow's asist", [normalised], [TEXT]) == "Moscow’s assist"


def test_nothing_close_gives_no_hint():
    assert closest_passage("Colonel Asimi Goita", [TEXT]) is None
    assert closest_passage("xyzzy plugh", [TEXT]) is None
    assert closest_passage("Mal", [TEXT]) is None, "too short to mean anything"
    assert closest_passage("a quote far longer than any block of the article's text", ["Short.", "Also short."]) is None


def test_the_closest_block_wins():
    blocks = ["Lavrov spoke in Bamako.", "The navy council met Sergei Lavrov."]
    assert closest_passage("navy councel met", blocks) == "navy council met"


def test_an_unknown_id_gets_the_closest_known_one():
    assert did_you_mean("lavrov-visit", ["lavrov-visits-mali-2023", "wagner-group"]) == (
        " (did you mean 'lavrov-visits-mali-2023'?)"
    )
    assert did_you_mean("bamko", {"bamako": None, "mali": None}) == " (did you mean 'bamako'?)"
    assert did_you_mean("atlantis", ["bamako", "mali"]) == ""
    assert did_you_mean("visit", []) == ""


def test_unknown_event_and_place_are_hinted_with_file_and_line(tmp_path):
    write_tree(
        tmp_path,
        {
            **MINIMAL_DOSSIER,
            "dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace("[visit]", "[visti, elsewhere]"),
            "dossier/events.yml": "visit:\n  title: Visit\n  date: 2023-02-07\n  place: bamak\n",
        },
    )
    _, problems = load_dossier(tmp_path / "dossier")
    shown = [str(problem) for problem in problems]
    assert any(
        s.endswith(
            "dossier/articles/ap-visit.md:5: unknown event 'visti' (did you mean 'visit'?); add it to events.yml"
        )
        for s in shown
    ), shown
    assert any(s.endswith("ap-visit.md:5: unknown event 'elsewhere'; add it to events.yml") for s in shown), shown
    assert any(
        s.endswith(
            "dossier/events.yml:4: event 'visit': unknown place 'bamak' (did you mean 'bamako'?); "
            "add it to entities.yml"
        )
        for s in shown
    ), shown


def test_dossier_check_hints_a_quote_from_the_articles_own_text_only(tmp_path, monkeypatch):
    note = "notes:\n  - quote: {quote}\n    text: A note.\n---\n"
    article = MINIMAL_ARTICLE.replace("---\nSergei", note + "Sergei", 1)
    other = MINIMAL_ARTICLE.replace("Sergei Lavrov met the junta in Bamako.", "The junta met the press in Bamako.")
    write_tree(
        tmp_path,
        {
            **MINIMAL_DOSSIER,
            "dossier/articles/ap-visit.md": article.format(quote="Sergei Lavrof met"),
            # Only ap-visit's text has "Sergei Lavrov": afp-visit's typo gets no hint from another article.
            "dossier/articles/afp-visit.md": other.replace("---\nThe", note.format(quote="Sergei Lavrof") + "The", 1),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "dossier/articles/ap-visit.md:7: warning: the quote 'Sergei Lavrof met' is not in the article's text "
        "(did you mean 'Sergei Lavrov met'?)"
    ) in lines, lines
    assert (
        "dossier/articles/afp-visit.md:7: warning: the quote 'Sergei Lavrof' is not in the article's text"
    ) in lines, lines
