"""The Markdown extension on Markdown: what is marked, what is not, and what it reports."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import markdown
import pytest
from mkdocs_dossier.sources.model import Article, Dossier, Entity, Note, Term
from mkdocs_dossier.text.extension import Annotator, DossierExtension

DOSSIER = Dossier(
    entities={
        "mali": Entity("mali", "Mali", "place", summary="A country in West Africa."),
        "wagner-group": Entity("wagner-group", "Wagner Group", "organization", aliases=("Wagner",)),
        "assimi-goita": Entity("assimi-goita", "Assimi Goïta", "person", aliases=("Asemi Guetta", "Guetta")),
    },
    terms={"junta": Term("junta", "junta", "A military group that rules by force.", aliases=("military junta",))},
)


def article(*notes: Note) -> Article:
    return Article("a", "Title", "AP", dt.date(2023, 2, 7), "", "dossier/articles/a.md", notes=notes)


def render(source: str, *, notes: tuple[Note, ...] | None = None, extensions=(), **options):
    extension = DossierExtension(Annotator(DOSSIER, **options))
    if notes is not None:
        extension.article = article(*notes)
    html = markdown.markdown(textwrap.dedent(source), extensions=[*extensions, extension])
    return html, extension.result


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def marks(html: str, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="([^"]+)"', html)


def test_an_entity_mention_links_to_its_page_with_a_unique_id():
    html, result = render("Troops left Mali.")
    assert html == (
        '<p><span class="dossier-sentence" id="s-1"></span>Troops left '
        '<a class="dossier-mention" data-entity="mali" href="../entities/mali.md" id="m-mali-1" '
        'title="Mali: A country in West Africa.">Mali</a>.</p>'
    )
    [mention] = result.mentions
    assert (mention.entity, mention.id, mention.text, mention.sentence) == ("mali", "m-mali-1", "Mali", "s-1")
    assert result.text[mention.start : mention.end] == "Mali"


def test_a_term_is_explained_in_a_title_and_reachable_by_keyboard():
    html, _ = render("The junta ruled.")
    assert (
        '<abbr class="dossier-term" data-term="junta" id="t-junta-1" tabindex="0" '
        'title="A military group that rules by force.">junta</abbr>'
    ) in html


def test_terms_are_marked_once_by_default_and_every_time_on_request():
    source = "The junta met. The Junta left. A military junta."
    html, result = render(source)
    assert marks(html, "data-term") == ["junta"]
    assert [use.id for use in result.terms] == ["t-junta-1", None, None]
    html, _ = render(source, term_marks="all")
    assert marks(html, "id") == ["s-1", "t-junta-1", "s-2", "t-junta-2", "s-3", "t-junta-3"]


def test_every_mention_of_an_entity_gets_its_own_id():
    html, result = render("Mali and Mali, then Wagner and the Wagner Group.")
    assert [m.id for m in result.mentions] == ["m-mali-1", "m-mali-2", "m-wagner-group-1", "m-wagner-group-2"]
    assert [m.text for m in result.mentions] == ["Mali", "Mali", "Wagner", "Wagner Group"]


@pytest.mark.parametrize(
    "source",
    [
        "`Mali` in code",
        "```\nMali in a fence\n```",
        "Intro.\n\n    Mali in an indented block",
        "[Mali](https://example.org) in a link",
        "<https://example.org/Mali> autolink",
        "# Mali in a heading",
        "Mali in a setext heading\n------------------------",
        '<a href="https://example.org">Mali</a> in raw HTML',
        "<code>Mali</code> in raw code",
        "<mark>Mali</mark> in a mark",
        "<div>\nMali in a raw block\n</div>",
    ],
)
def test_nothing_is_marked_where_it_must_not_be(source):
    html, result = render(source, extensions=["fenced_code"])
    assert 'data-entity="mali"' not in html or source.count("Mali") > 1
    assert [m for m in result.mentions if m.text == "Mali" and "Mali in" in source] == []


def test_marks_go_inside_emphasis_and_lists_and_tables():
    html, result = render(
        """
        **Mali** and *the junta*

        * Wagner
            * Guetta

        | Who | Where |
        | --- | ----- |
        | Guetta | Mali |

        > Mali's army
        """,
        extensions=["tables"],
    )
    assert 'data-entity="mali"' in html.split("</strong>")[0]
    assert '<em>the <abbr class="dossier-term"' in html
    assert [m.entity for m in result.mentions] == [
        "mali",
        "wagner-group",
        "assimi-goita",
        "assimi-goita",
        "mali",
        "mali",
    ]


def test_the_text_is_unchanged_by_annotation():
    source = """
    The junta of **Mali** met the Wagner Group; `Mali` and [Mali](x) stay as they are.

    1. Asemi Guetta &amp; Guetta
    2. <em>Mali</em> &mdash; Wagner.
    """
    plain = markdown.markdown(textwrap.dedent(source))
    html, _ = render(source, notes=(Note("Asemi Guetta", "Garbled."),))
    assert text_of(html) == text_of(plain)


def test_html_entities_stay_as_they_are_and_count_in_the_text():
    html, result = render("Mali&rsquo;s army &amp; Mali")
    assert "&rsquo;" in html and "&amp;" in html
    assert [result.text[m.start : m.end] for m in result.mentions] == ["Mali", "Mali"]
    assert result.text == "Mali’s army & Mali"


def test_a_word_split_by_markup_is_not_a_mention():
    html, result = render("Mali<em>an</em> soldiers")
    assert result.mentions == []


def test_a_note_marks_its_quote_and_the_mentions_inside_it():
    html, result = render(
        "Colonel Asemi Guetta seized power.", notes=(Note("Colonel Asemi Guetta", "Assimi Goïta.", "correction"),)
    )
    assert html == (
        '<p><span class="dossier-sentence" id="s-1"></span>'
        '<mark aria-describedby="note-1" class="dossier-note dossier-note-correction" data-note="note-1" '
        'id="note-1-quote" tabindex="0" title="Assimi Goïta.">Colonel '
        '<a class="dossier-mention" data-entity="assimi-goita" href="../entities/assimi-goita.md" '
        'id="m-assimi-goita-1" title="Assimi Goïta">Asemi Guetta</a></mark> seized power.</p>'
    )
    assert list(result.notes) == ["note-1"] and result.problems == []


def test_a_note_quote_may_cross_emphasis():
    html, result = render("He said *very large* supplies.", notes=(Note("said very large supplies", "Garbled."),))
    assert html.count('data-note="note-1"') == 3
    assert html.count('id="note-1-quote"') == 1
    assert result.problems == []


def test_a_note_quote_with_typographic_apostrophes_matches_a_plain_one():
    _, result = render("Mali’s leaders spoke.", notes=(Note("Mali's leaders", "Context."),))
    assert result.problems == [] and list(result.notes) == ["note-1"]


def test_a_note_that_is_not_found_or_not_unique_is_a_problem():
    missing = Note("navy help", "x", line=12)
    twice = Note("Mali", "y", line=15)
    _, result = render("Mali and Mali.", notes=(missing, twice))
    assert [(note.line, reason) for note, reason in result.problems] == [
        (12, "the quote 'navy help' is not in the article's text"),
        (15, "the quote 'Mali' is found 2 times; add a 'prefix' or 'suffix' that makes it unique"),
    ]


def test_a_prefix_or_suffix_makes_a_quote_unique():
    _, result = render(
        "The navy council met. The navy council ruled.", notes=(Note("navy council", "x", suffix=" ruled"),)
    )
    assert result.problems == []
    html, result = render(
        "The navy council met. The navy council ruled.",
        notes=(Note("navy council", "x", prefix="The ", suffix=" met"),),
    )
    assert result.problems == [] and html.index('data-note="note-1"') < html.index("met")


def test_a_note_inside_a_link_is_a_problem():
    _, result = render("[Colonel Guetta](x) spoke.", notes=(Note("Colonel Guetta", "x"),))
    assert "where notes cannot be marked" in result.problems[0][1]


def test_every_sentence_gets_an_anchor_and_mentions_know_their_sentence():
    html, result = render("Mali spoke. Then Wagner left! Did Guetta stay?\n\n* One item about Mali.")
    assert [s.id for s in result.sentences] == ["s-1", "s-2", "s-3", "s-4"]
    assert [s.text for s in result.sentences] == [
        "Mali spoke.",
        "Then Wagner left!",
        "Did Guetta stay?",
        "One item about Mali.",
    ]
    assert [m.sentence for m in result.mentions] == ["s-1", "s-2", "s-3", "s-4"]
    assert all(result.text[s.start : s.end] == s.text for s in result.sentences)


def test_headings_and_code_have_no_sentence_anchors():
    html, result = render("# Mali today\n\n    code. More code.\n\nA sentence.")
    assert [s.text for s in result.sentences] == ["A sentence."]


def test_a_mention_context_is_the_words_around_it_in_its_sentence():
    _, result = render("First sentence here. The junta of Mali met the Wagner Group in Bamako. Last one.")
    mali = result.mentions[0]
    assert mali.context == ("The junta of ", "Mali", " met the Wagner Group in Bamako.")


def test_an_inactive_extension_leaves_the_page_alone():
    extension = DossierExtension(Annotator(DOSSIER))
    extension.active = False
    assert markdown.markdown("Mali", extensions=[extension]) == "<p>Mali</p>"
    assert extension.result.mentions == []


def test_mention_ids_restart_on_each_document():
    extension = DossierExtension(Annotator(DOSSIER))
    for _ in range(2):
        markdown.markdown("Mali", extensions=[extension])
        assert [m.id for m in extension.result.mentions] == ["m-mali-1"]


def test_the_extension_runs_without_mkdocs_from_a_dossier_folder():
    root = Path(__file__).resolve().parent.parent / "dossier"
    html = markdown.markdown(
        "Sergei Lavrov met the junta in Bamako.",
        extensions=["mkdocs_dossier.markdown"],
        extension_configs={"mkdocs_dossier.markdown": {"dossier_dir": str(root), "entity_href": "/people/{id}/"}},
    )
    assert 'href="/people/sergei-lavrov/"' in html
    assert 'data-term="junta"' in html
    assert 'data-entity="bamako"' in html
