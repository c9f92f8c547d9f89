"""Property tests: generated Markdown bodies, entity and term lists, notes and YAML sources.

Hypothesis runs derandomized (the same examples on every run, so a failure reproduces) with a modest
number of examples; set `DOSSIER_HYPOTHESIS_EXAMPLES` for a longer search on a workstation.
"""

from __future__ import annotations

import datetime as dt
import os

import yaml
from html_checks import EXTENSION_SETS, check_annotated, check_marks, convert, parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs_dossier.site.sanitize import sanitize_html
from mkdocs_dossier.sources.loader import load_dossier
from mkdocs_dossier.sources.model import Article, Dossier, Entity, Note, Term
from mkdocs_dossier.text.extension import Annotator
from mkdocs_dossier.text.matcher import normalize
from mkdocs_dossier.text.quantities import implied_single
from mkdocs_dossier.text.wording import stem

EXAMPLES = int(os.environ.get("DOSSIER_HYPOTHESIS_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
FEWER = settings(SETTINGS, max_examples=max(1, EXAMPLES // 2))
"""For the tests whose examples cost more (a conversion inside the strategy, files written)."""

NAMES = ["Sergei", "Lavrov", "Bamako", "Mali", "Goïta", "Wagner", "Group", "U.S.", "AT&T", "Côte", "d'Ivoire"]
WORDS = NAMES + ["junta", "coup", "coups", "met", "in", "the", "said", "Mali's", "Lavrov's", "xq", "Àé", "a-b"]

CONSTRUCTS = (
    "`{}`",
    "[{}](https://example.org)",
    "![{}](x.png)",
    "<span>{}</span>",
    '<a href="https://example.org">{}</a>',
    "<code>{}</code>",
    "<b>{}</b>",
    "<kbd>{}</kbd>",
    "<abbr>{}</abbr>",
    "<!-- {} -->",
    "<q>{}</q>",
)
"""Inline constructs around one or two words; raw HTML is opened and closed around plain words, so
that the body stays well nested."""

TOKENS = [
    *WORDS,
    *(construct.format(name) for construct in CONSTRUCTS for name in NAMES[:6]),
    *(
        construct.format(f"{a} {b}")
        for construct in CONSTRUCTS[:6]
        for a, b in (("Sergei", "Lavrov"), ("the", "junta"))
    ),
    "&amp;",
    "&nbsp;",
    "&#39;",
    "&rsquo;",
    "&copy;",
    "\\*",
    "\\_",
    "[^1]",
    "&",
    "Sergei&nbsp;Lavrov",
    "AT&amp;T",
    "Bamako<sup>2</sup>",
    "Lavrov<br>Bamako",
]
token = st.sampled_from(TOKENS)
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
emphasis = st.tuples(
    st.sampled_from(["*{}*", "**{}**", "***{}***", "_{}_", "*{}", "**{} *x*"]),
    st.lists(token, min_size=1, max_size=4).map(" ".join),
).map(lambda t: t[0].format(t[1]))
line = st.lists(
    st.tuples(st.one_of(token, token, token, emphasis), st.sampled_from([" ", " ", ""])), min_size=1, max_size=8
).map(lambda parts: "".join(text + gap for text, gap in parts).strip())
paragraph = st.lists(line, min_size=1, max_size=2).map("\n".join)

block = st.one_of(
    paragraph,
    paragraph,
    paragraph,
    st.tuples(st.integers(1, 6), line).map(lambda t: "#" * t[0] + " " + t[1]),
    words.map("```\n{}\n```".format),
    words.map("```python\n{}\n```".format),
    words.map("    {}".format),
    paragraph.map(lambda p: "> " + p.replace("\n", "\n> ")),
    st.lists(line, min_size=1, max_size=3).map(lambda items: "\n".join("- " + item for item in items)),
    st.tuples(line, line, line, line).map(lambda c: f"| {c[0]} | {c[1]} |\n|---|---|\n| {c[2]} | {c[3]} |"),
    st.tuples(words, paragraph).map(lambda t: f'!!! note "{t[0]}"\n    ' + t[1].replace("\n", "\n    ")),
    words.map("<div>\n{}\n</div>".format),
    paragraph.map('<div markdown="1">\n{}\n</div>'.format),
    paragraph.map(lambda p: "[^1]: " + p.replace("\n", "\n    ")),
    st.tuples(line, line).map(lambda t: f"{t[0]}\n:   {t[1]}"),
)
bodies = st.lists(block, min_size=1, max_size=5).map("\n\n".join)

phrases = st.lists(st.sampled_from(NAMES + ["junta", "coup"]), min_size=1, max_size=2).map(" ".join)


@st.composite
def dossiers(draw) -> Dossier:
    """Entities and terms whose spellings are drawn from the same words as the bodies."""
    forms = draw(st.lists(phrases, min_size=1, max_size=8, unique_by=str.casefold))
    entities, terms = {}, {}
    for number, form in enumerate(forms):
        case_sensitive = draw(st.booleans())
        if draw(st.booleans()):
            entities[f"e{number}"] = Entity(
                f"e{number}", form, draw(st.sampled_from(["person", "place"])), case_sensitive=case_sensitive
            )
        else:
            terms[f"t{number}"] = Term(f"t{number}", form, f"Definition of {form}", case_sensitive=case_sensitive)
    return Dossier(entities=entities, terms=terms)


def _annotator(dossier: Dossier, term_marks: str) -> Annotator:
    return Annotator(dossier, entity_href="../entities/{id}.html", term_marks=term_marks)


@SETTINGS
@given(
    body=bodies,
    dossier=dossiers(),
    extensions=st.sampled_from(sorted(EXTENSION_SETS)),
    term_marks=st.sampled_from(["first", "all"]),
)
def test_annotation_adds_marks_and_nothing_else(body, dossier, extensions, term_marks):
    annotator = _annotator(dossier, term_marks)
    annotated, result = convert(body, annotator, extensions=extensions)
    plain, _ = convert(body, annotator, annotate=False, extensions=extensions)

    found = check_annotated(annotated, plain)
    assert {m.id for m in result.mentions} | {t.id for t in result.terms if t.id} == {n.attrs["id"] for n in found}
    for mention in result.mentions:
        assert result.text[mention.start : mention.end] == mention.text
        assert "".join(mention.context).count(mention.text) >= 1
    for use in result.terms:
        assert result.text[use.start : use.end] == use.text

    clean = sanitize_html(annotated)
    assert [(n.tag, n.attrs) for n in check_marks(parse(clean))] == [(n.tag, n.attrs) for n in found]


@st.composite
def bodies_with_a_quote(draw):
    """A body, and a stretch of one of its blocks' text to anchor a note on."""
    body = draw(bodies)
    dossier = draw(dossiers())
    _, result = convert(body, _annotator(dossier, "first"))
    blocks = [text for text in result.text.split("\n") if text.strip()]
    if not blocks:
        return body, dossier, None
    text = draw(st.sampled_from(blocks))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    return body, dossier, Note(quote=quote, text="A note.", prefix=text[:start], suffix=text[end:])


@FEWER
@given(case=bodies_with_a_quote(), extensions=st.sampled_from(sorted(EXTENSION_SETS)))
def test_a_note_marks_exactly_its_quote_or_says_why_not(case, extensions):
    body, dossier, note = case
    if note is None or not note.quote.strip():
        return
    article = Article("a", "A", "Outlet", dt.date(2023, 2, 7), body, "a.md", notes=(note,))
    annotated, result = convert(body, _annotator(dossier, "first"), article=article, extensions=extensions)
    plain, _ = convert(body, _annotator(dossier, "first"), article=article, annotate=False, extensions=extensions)

    pieces = [n for n in check_annotated(annotated, plain) if n.attrs.get("data-note") == "note-1"]
    if result.problems:
        assert pieces == [] and result.notes == {}
        ((problem_note, reason),) = result.problems
        assert problem_note is note and "quote" in reason
    else:
        assert normalize("".join(piece.text() for piece in pieces)) == normalize(note.quote)
        assert [p.attrs.get("id") for p in pieces].count("note-1-quote") == 1


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, width=16),
    st.text(max_size=12),
    st.sampled_from(["2023-02-30", "2023-02-07", "person", "Q42", "https://x.org", "javascript:x", "", "—"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.one_of(
                st.text(max_size=8),
                st.sampled_from(
                    [
                        "name",
                        "type",
                        "aliases",
                        "title",
                        "date",
                        "place",
                        "definition",
                        "quote",
                        "text",
                        "notes",
                        "events",
                        "url",
                    ]
                ),
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=12,
)
file_text = st.one_of(
    yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from(
        ["a: [", "a: b: c", "\ta: 1", "- x\ny: 1", "a: *x", "a: &x [*x]", "{", "key: 'unclosed", "a: 1\na: 2"]
    ),
)


@FEWER
@given(
    glossary=file_text,
    entities=file_text,
    events=file_text,
    front_matter=file_text,
    raw=st.binary(max_size=40),
)
def test_any_sources_give_problems_with_a_place_never_an_exception(
    tmp_path_factory, glossary, entities, events, front_matter, raw
):
    root = tmp_path_factory.mktemp("dossier")
    (root / "articles").mkdir()
    (root / "glossary.yml").write_text(glossary, encoding="utf-8")
    (root / "entities.yml").write_text(entities, encoding="utf-8")
    (root / "events.yml").write_text(events, encoding="utf-8")
    (root / "articles" / "one.md").write_text(f"---\n{front_matter}\n---\nBody.\n", encoding="utf-8")
    (root / "articles" / "two.md").write_bytes(raw)

    dossier, problems = load_dossier(root)

    names = {"glossary.yml", "entities.yml", "events.yml", "articles/one.md", "articles/two.md", "articles"}
    for problem in problems:
        assert problem.path.startswith(root.name + "/"), problem
        assert problem.path.split("/", 1)[1] in names, problem
        assert problem.line >= 0 and problem.message
    assert [p for p in problems] == sorted(problems, key=lambda p: (p.path, p.line, p.message))


@SETTINGS
@given(st.text(alphabet=st.sampled_from("abeilnorsuyİΣςσ'’-"), min_size=1, max_size=14))
def test_a_stem_keeps_its_word_but_for_its_last_letter(word):
    # `implied_single` rules a text out when it does not hold the unit's stem but its last letter.
    unit = stem(word)
    assert word.lower().startswith(unit[:-1])
    text = f"There was a {word} here"
    found = implied_single(text, unit)
    if word.isalpha() and word.lower() not in ("a", "an", "one", "single"):
        assert found is not None and found.text.endswith(word)
