"""The annotator on a corpus of hostile Markdown: the syntax's edge cases, raw HTML, odd Unicode.

`tests/hostile/` is a dossier: each article is one family of edge cases (see its title). For every
article and two sets of extensions (Python-Markdown's own, and a Material site's), the annotated
body must equal the plain conversion once the marks are removed, marks must sit only where the
contract allows (checked on the HTML as a browser nests it), mark ids must be unique, and the
sanitised body must be well-formed and keep every mark. The sanitised output of the Material set is
kept beside each case in `tests/hostile/expected/`; `pytest tests/test_hostile_markdown.py --update-golden`
rewrites it on purpose after a deliberate change, for review.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from html_checks import EXTENSION_SETS, browser_view, check_marks, convert, parse, unmarked_tokens
from mkdocs_dossier.site.sanitize import sanitize_html
from mkdocs_dossier.sources.loader import load_dossier
from mkdocs_dossier.text.extension import Annotator

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = HOSTILE / "expected"

DOSSIER, PROBLEMS = load_dossier(HOSTILE)
ANNOTATOR = Annotator(DOSSIER, entity_href="../entities/{id}.html")
CASES = sorted(DOSSIER.articles)


def test_the_corpus_loads_without_problems():
    assert [str(p) for p in PROBLEMS] == []
    assert len(CASES) == len(list((HOSTILE / "articles").glob("*.md")))


@pytest.mark.parametrize("extensions", sorted(EXTENSION_SETS))
@pytest.mark.parametrize("case", CASES)
def test_annotation_only_adds_marks(case, extensions):
    article = DOSSIER.articles[case]
    annotated, result = convert(article.body, ANNOTATOR, article=article, extensions=extensions)
    plain, _ = convert(article.body, ANNOTATOR, article=article, annotate=False, extensions=extensions)
    assert unmarked_tokens(annotated) == unmarked_tokens(plain)
    for found in (*result.mentions, *result.terms):
        assert result.text[found.start : found.end] == found.text
    assert "\x02" not in result.text and "\x03" not in result.text
    for mention in result.mentions:
        assert "\x02" not in "".join(mention.context)


@pytest.mark.parametrize("extensions", sorted(EXTENSION_SETS))
@pytest.mark.parametrize("case", CASES)
def test_marks_stay_out_of_code_links_headings_and_marks(case, extensions):
    article = DOSSIER.articles[case]
    annotated, result = convert(article.body, ANNOTATOR, article=article, extensions=extensions)
    marked = check_marks(parse(browser_view(annotated)))
    ids = {node.attrs.get("id") for node in marked}
    assert {mention.id for mention in result.mentions} <= ids
    assert {use.id for use in result.terms if use.id} <= ids


@pytest.mark.parametrize("case", CASES)
def test_sanitised_body_is_well_formed_and_keeps_every_mark(case):
    article = DOSSIER.articles[case]
    annotated, _ = convert(article.body, ANNOTATOR, article=article, extensions="material")
    before = [(n.tag, n.attrs) for n in check_marks(parse(browser_view(annotated)))]
    clean = sanitize_html(annotated)
    after = [(n.tag, n.attrs) for n in check_marks(parse(clean))]
    assert after == before


@pytest.mark.parametrize("case", CASES)
def test_published_body_matches_the_expected_file(case, request):
    article = DOSSIER.articles[case]
    annotated, _ = convert(article.body, ANNOTATOR, article=article, extensions="material")
    actual = sanitize_html(annotated).rstrip("\n") + "\n"
    expected_path = EXPECTED / f"{case}.html"
    if request.config.getoption("--update-golden"):
        EXPECTED.mkdir(exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"expected/{case}.html", "actual", lineterm=""
        )
        pytest.fail("the published body changed:\n" + "\n".join(diff))


def _marked(case: str, extensions: str = "material") -> dict[str, list[str]]:
    """What a case marks: entity and term ids, each with the texts marked, in order."""
    article = DOSSIER.articles[case]
    _, result = convert(article.body, ANNOTATOR, article=article, extensions=extensions)
    marked: dict[str, list[str]] = {}
    for mention in result.mentions:
        marked.setdefault(mention.entity, []).append(mention.text)
    for use in result.terms:
        if use.id:
            marked.setdefault(use.term, []).append(use.text)
    return marked


def test_names_behind_character_references_are_marked():
    marked = _marked("references")
    assert marked["att"] == ["AT&T", "AT&T", "AT&T", "AT&T", "AT&T"]
    assert marked["sergei-lavrov"][:3] == ["Sergei\xa0Lavrov", "Sergei\xa0Lavrov", "Sergei Lavrov"]
    assert marked["cote-divoire"] == ["Côte d'Ivoire", "Côte d’Ivoire", "Côte d’Ivoire", "Côte d'Ivoire"]


def test_raw_links_and_code_left_open_stop_marking_until_closed():
    article = DOSSIER.articles["unclosed-link"]
    _, result = convert(article.body, ANNOTATOR, article=article)
    marked = [(m.text, result.text[: m.start].count("\n")) for m in result.mentions]
    blocks = result.text.split("\n")
    marked_blocks = {blocks[line] for _, line in marked}
    assert any(block.startswith("Lavrov is marked before") for block in marked_blocks)
    assert any(block.startswith("Until it is closed") for block in marked_blocks)
    assert any(block.startswith("across blocks") for block in marked_blocks)
    assert not any(block.startswith(("In HTML", "nor Lavrov", "Unclosed code")) for block in marked_blocks)
    assert [text for text, _ in marked] == ["Lavrov", "Bamako", "Bamako"]


def test_notes_anchor_across_emphasis_references_and_escapes():
    for case, count in (("notes", 4), ("escapes", 1), ("unicode", 1), ("footnotes", 1)):
        article = DOSSIER.articles[case]
        for extensions in EXTENSION_SETS:
            _, result = convert(article.body, ANNOTATOR, article=article, extensions=extensions)
            assert result.problems == [], (case, extensions)
            assert len(result.notes) == count, (case, extensions)


def test_nothing_is_marked_in_code_links_headings_or_raw_blocks():
    for case in ("code", "links", "headings", "html-blocks", "tables", "admonitions"):
        article = DOSSIER.articles[case]
        _, result = convert(article.body, ANNOTATOR, article=article, extensions="material")
        for mention in result.mentions:
            before, text, after = mention.context
            assert not (before + text + after).startswith(
                ("Lavrov in a fence", "Lavrov in an indented", "Lavrov in a raw")
            )
    assert "sergei-lavrov" not in _marked("code").get("sergei-lavrov", [])[:0]
