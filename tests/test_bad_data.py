"""Bad sources: every problem gets one clear message with its file and line, never a traceback.

Each case is a small broken dossier. It is checked twice: through `load_dossier` (the host-free core,
strings in, problems out) and through a real `mkdocs build --strict` of a tiny site, which must stop
and name the same file and line. Problems that only show while pages convert (notes whose quote
cannot be anchored) are checked on builds only.
"""

from __future__ import annotations

import logging
import random
import re
from dataclasses import dataclass

import pytest
from conftest import MINIMAL_ARTICLE, MINIMAL_DOSSIER
from mkdocs_dossier.sources.loader import load_dossier
from mkdocs_dossier.sources.problems import Severity

ARTICLE = "dossier/articles/ap-visit.md"
ENTITIES = "dossier/entities.yml"
GLOSSARY = "dossier/glossary.yml"
EVENTS = "dossier/events.yml"


def article(front_matter: str, body: str = "Sergei Lavrov met the junta in Bamako.\n") -> str:
    return f"---\n{front_matter}---\n{body}"


GOOD_FRONT_MATTER = "title: Lavrov visits Mali\noutlet: AP\npublished: 2023-02-07\nevents: [visit]\n"


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | None]
    """Files to add or replace in the minimal dossier; None removes one."""
    expected: list[tuple[str, int, str]]
    """(file, line, words of the message); line 0 is a problem with a whole file or folder."""


CASES = [
    Case(
        "article not UTF-8",
        {ARTICLE: b"---\ntitle: Caf\xe9 talks\noutlet: AP\npublished: 2023-02-07\n---\nBody.\n"},
        [(ARTICLE, 2, "is not UTF-8 text (byte 0xe9")],
    ),
    Case(
        "registry not UTF-8",
        {ENTITIES: b"bamako:\n  name: Bamako\n  type: place\n  summary: Capitale du Mali, fond\xe9e\n"},
        [(ENTITIES, 4, "is not UTF-8 text")],
    ),
    Case(
        "article in UTF-16",
        {ARTICLE: "\ufeff---\ntitle: x\n---\n".encode("utf-16")},
        [(ARTICLE, 1, "is UTF-16 text; save it as UTF-8")],
    ),
    Case(
        "no dossier folder",
        {name: None for name in MINIMAL_DOSSIER if name.startswith("dossier/")},
        [("dossier", 0, "the dossier folder does not exist")],
    ),
    Case(
        "empty dossier folder",
        {**{name: None for name in MINIMAL_DOSSIER if name.startswith("dossier/")}, "dossier/.keep": ""},
        [("dossier/articles", 0, "the articles folder does not exist")],
    ),
    Case(
        "no articles",
        {ARTICLE: None, "dossier/articles/notes.txt": "not an article"},
        [("dossier/articles", 0, "holds no articles")],
    ),
    Case(
        "entity id not a slug",
        {ENTITIES: "Sergei Lavrov:\n  name: Sergei Lavrov\n  type: person\nbamako:\n  name: Bamako\n  type: place\n"},
        [
            (
                ENTITIES,
                1,
                "'Sergei Lavrov' is not an id: use lowercase letters, digits and hyphens, like 'sergei-lavrov'",
            )
        ],
    ),
    Case(
        "id read as a number",
        {GLOSSARY: "junta:\n  definition: A group.\n2023:\n  definition: A year.\n"},
        [(GLOSSARY, 3, "'2023' is not an id: YAML reads it as a number; put it in quotes")],
    ),
    Case(
        "article file name not a slug",
        {ARTICLE: None, "dossier/articles/AP Visit.md": MINIMAL_ARTICLE},
        [("dossier/articles/AP Visit.md", 1, "rename the file to ap-visit.md")],
    ),
    Case(
        "event id in an article not a slug",
        {ARTICLE: article("title: T\noutlet: AP\npublished: 2023-02-07\nevents: [Lavrov Visit]\n")},
        [(ARTICLE, 5, "'Lavrov Visit' is not an id")],
    ),
    Case(
        "reserved id",
        {ENTITIES: "index:\n  name: Index\n  type: other\nbamako:\n  name: Bamako\n  type: place\n"},
        [(ENTITIES, 1, "'index' cannot be an entity id")],
    ),
    Case(
        "reserved article id",
        {"dossier/articles/index.md": MINIMAL_ARTICLE},
        [("dossier/articles/index.md", 1, "'index' cannot be an article id")],
    ),
    Case(
        "entity type outside the list",
        {ENTITIES: "bamako:\n  name: Bamako\n  type: city\nsergei-lavrov:\n  name: Sergei Lavrov\n  type: persn\n"},
        [
            (ENTITIES, 3, "'city' is not one of: person, organization, place, other"),
            (ENTITIES, 6, "(did you mean 'person'?)"),
        ],
    ),
    Case(
        "impossible published date",
        {ARTICLE: article("title: T\noutlet: AP\npublished: 2023-02-30\n")},
        [(ARTICLE, 4, "'2023-02-30' is not a date or date-time that exists (day is out of range for month)")],
    ),
    Case(
        "impossible event date",
        {EVENTS: "visit:\n  title: Visit\n  date: 2023-13-01\n"},
        [(EVENTS, 3, "'2023-13-01' is not a date that exists (month must be in 1..12)")],
    ),
    Case(
        "date in another format",
        {EVENTS: "visit:\n  title: Visit\n  date: 7 February 2023\n"},
        [(EVENTS, 3, "write it as YYYY-MM-DD, like 2023-02-07")],
    ),
    Case(
        "article without front matter",
        {ARTICLE: "Lavrov visits Mali\n\nSergei Lavrov met the junta.\n"},
        [(ARTICLE, 1, "has no front matter; start the file with a '---' line")],
    ),
    Case(
        "front matter never closed",
        {ARTICLE: "---\ntitle: T\noutlet: AP\npublished: 2023-02-07\n\nBody.\n"},
        [(ARTICLE, 1, "the front matter that starts here is never closed")],
    ),
    Case(
        "front matter after a blank line",
        {ARTICLE: "\n" + MINIMAL_ARTICLE},
        [(ARTICLE, 2, "the front matter must start on the very first line")],
    ),
    Case("empty article file", {ARTICLE: ""}, [(ARTICLE, 1, "is empty")]),
    Case(
        "empty and punctuation aliases",
        {ENTITIES: "bamako:\n  name: Bamako\n  type: place\n  aliases: ['', '...', Bko]\n"},
        [(ENTITIES, 4, "item 1 must not be empty; item 2 '...' has no letter or digit")],
    ),
    Case(
        "punctuation-only term",
        {GLOSSARY: "junta:\n  term: '--'\n  definition: A group.\n"},
        [(GLOSSARY, 2, "'--' has no letter or digit")],
    ),
    Case(
        "two articles with one id",
        {"dossier/articles/afp/ap-visit.md": MINIMAL_ARTICLE},
        [(ARTICLE, 1, "another article has the id 'ap-visit' (dossier/articles/afp/ap-visit.md)")],
    ),
    Case(
        "two articles with one id, the first broken",
        {ARTICLE: "no front matter\n", "dossier/articles/zz/ap-visit.md": MINIMAL_ARTICLE},
        [
            (ARTICLE, 1, "has no front matter"),
            ("dossier/articles/zz/ap-visit.md", 1, "another article has the id 'ap-visit'"),
        ],
    ),
    Case(
        "missing required fields",
        {ARTICLE: article("title: T\n")},
        [
            (ARTICLE, 1, "is missing the required field 'outlet'"),
            (ARTICLE, 1, "is missing the required field 'published'"),
        ],
    ),
    Case(
        "empty required field",
        {ARTICLE: article("title:\noutlet: AP\npublished: 2023-02-07\n")},
        [(ARTICLE, 2, "'title' must not be empty")],
    ),
    Case(
        "unknown event",
        {ARTICLE: article("title: T\noutlet: AP\npublished: 2023-02-07\nevents: [vist]\n")},
        [(ARTICLE, 5, "unknown event 'vist' (did you mean 'visit'?); add it to events.yml")],
    ),
    Case(
        "unknown place",
        {EVENTS: "visit:\n  title: Visit\n  date: 2023-02-07\n  place: bamko\n"},
        [(EVENTS, 4, "unknown place 'bamko' (did you mean 'bamako'?); add it to entities.yml")],
    ),
    Case(
        "two entries claim one spelling",
        {GLOSSARY: "junta:\n  definition: A group.\nlavrov:\n  term: Lavrov\n  definition: A name.\n"},
        [(ENTITIES, 1, "both claim the spelling 'Lavrov'")],
    ),
    Case(
        "unsafe article URL",
        {ARTICLE: article(GOOD_FRONT_MATTER + "url: javascript:alert(1)\n")},
        [(ARTICLE, 6, "'javascript:alert(1)' is not a safe link; only http:// and https:// addresses are allowed")],
    ),
    Case(
        "non-web URL",
        {ARTICLE: article(GOOD_FRONT_MATTER + "url: ftp://example.org/x\n")},
        [(ARTICLE, 6, "is not a safe link")],
    ),
    Case(
        "unknown field",
        {ENTITIES: "bamako:\n  name: Bamako\n  type: place\n  sumary: The capital.\n"},
        [(ENTITIES, 4, "unknown field 'sumary' (did you mean 'summary'?)")],
    ),
    Case(
        "key given twice",
        {GLOSSARY: "junta:\n  definition: A group.\n  definition: Another.\n"},
        [(GLOSSARY, 3, "'definition' is given twice (first on line 2)")],
    ),
    Case(
        "malformed registry YAML",
        {GLOSSARY: "junta:\n  definition: A group: the army\n"},
        [
            (
                GLOSSARY,
                2,
                "malformed YAML: mapping values are not allowed here (a value that contains ': ' must be in quotes)",
            )
        ],
    ),
    Case(
        "malformed front matter",
        {ARTICLE: article("title: Lavrov: the visit\noutlet: AP\npublished: 2023-02-07\n")},
        [(ARTICLE, 2, "malformed YAML: mapping values are not allowed here")],
    ),
    Case("tab in YAML", {EVENTS: "visit:\n\ttitle: Visit\n"}, [(EVENTS, 2, "indent with spaces, not tabs")]),
    Case(
        "registry is a list",
        {GLOSSARY: "- junta\n- coup\n"},
        [(GLOSSARY, 1, "must be a mapping from term ids to their fields, not a list")],
    ),
    Case(
        "record is text",
        {GLOSSARY: "junta: A military group.\n"},
        [(GLOSSARY, 1, "term 'junta' must be a mapping of fields, not 'A military group.'")],
    ),
    Case(
        "bad Wikidata id and language",
        {
            ENTITIES: "bamako:\n  name: Bamako\n  type: place\n  wikidata: 2421\n",
            ARTICLE: article(GOOD_FRONT_MATTER + "language: English\n"),
        },
        [
            (ENTITIES, 4, "'2421' is not valid; write it like Q42"),
            (ARTICLE, 6, "'English' is not valid; write it like en or pt-BR"),
        ],
    ),
    Case(
        "bad note",
        {ARTICLE: article(GOOD_FRONT_MATTER + "notes:\n  - quote: Lavrov\n    kind: fix\n  - just text\n")},
        [
            (ARTICLE, 7, "note 1 is missing the required field 'text'"),
            (ARTICLE, 8, "'fix' is not one of: note, correction, context"),
            (ARTICLE, 9, "note 2 must be a mapping of fields, not 'just text'"),
        ],
    ),
    Case(
        "true where text is wanted",
        {ARTICLE: article("title: yes\noutlet: AP\npublished: 2023-02-07\n")},
        [(ARTICLE, 2, "must be text, not 'true' (quote it if you mean the text)")],
    ),
    Case(
        "control character",
        {ENTITIES: 'bamako:\n  name: Bamako\n  type: place\n  summary: "The \\x02capital"\n'},
        [(ENTITIES, 4, "contains an invisible control character (U+0002)")],
    ),
    Case(
        "registry named .yaml",
        {"dossier/glossary.yaml": "coup:\n  definition: A seizure of power.\n"},
        [("dossier/glossary.yaml", 0, "is not read; rename it to glossary.yml")],
    ),
    Case(
        "article with another Markdown suffix",
        {"dossier/articles/afp-visit.markdown": MINIMAL_ARTICLE, "dossier/articles/ap-2.MD": MINIMAL_ARTICLE},
        [
            (
                "dossier/articles/afp-visit.markdown",
                0,
                "is not read; articles are .md files, so rename it to afp-visit.md",
            ),
            ("dossier/articles/ap-2.MD", 0, "rename it to ap-2.md"),
        ],
    ),
    Case(
        "recursive YAML alias",
        {ARTICLE: article(GOOD_FRONT_MATTER + "author: &a [*a]\n")},
        [(ARTICLE, 6, "malformed YAML: found unconstructable recursive node (an alias (*name) cannot stand inside")],
    ),
]


def _tree(case: Case) -> dict[str, str | bytes]:
    files = dict(MINIMAL_DOSSIER)
    for name, content in case.files.items():
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    return files


def _located(path: str, line: int) -> str:
    return f"{path}:{line}: " if line else f"{path}: "


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_load_dossier_names_file_and_line(case, tmp_path):
    from conftest import write_tree

    write_tree(tmp_path, _tree(case))
    _, problems = load_dossier(tmp_path / "dossier")
    shown = [str(problem) for problem in problems]
    for path, line, words in case.expected:
        assert any(s.startswith(_located(path, line)) and words in s for s in shown), (path, line, words, shown)
    assert list(problems) == sorted(problems, key=lambda p: (p.path, p.line, p.message))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_strict_build_stops_with_the_same_message(case, build_site):
    built = build_site(_tree(case), strict=True)
    assert built.aborted is not None, built.messages()
    shown = [line.strip().removeprefix("mkdocs_dossier: ") for m in built.messages() for line in m.splitlines()]
    for path, line, words in case.expected:
        assert any(s.startswith(_located(path, line)) and words in s for s in shown), (path, line, words, shown)
    assert not any("Traceback" in s for s in shown)


NOTE_CASES = [
    Case(
        "quote not in the text",
        {ARTICLE: article(GOOD_FRONT_MATTER + "notes:\n  - quote: Sergei Lavrof\n    text: A note.\n")},
        [(ARTICLE, 7, "the quote 'Sergei Lavrof' is not in the article's text (did you mean 'Sergei Lavrov'?)")],
    ),
    Case(
        "quote found twice",
        {
            ARTICLE: article(
                GOOD_FRONT_MATTER + "notes:\n  - quote: Lavrov\n    text: A note.\n",
                "Sergei Lavrov met Lavrov's hosts.\n",
            )
        },
        [(ARTICLE, 7, "the quote 'Lavrov' is found 2 times; add a 'prefix' or 'suffix' that makes it unique")],
    ),
    Case(
        "prefix that never precedes the quote",
        {ARTICLE: article(GOOD_FRONT_MATTER + "notes:\n  - quote: Lavrov\n    prefix: 'Mr '\n    text: A note.\n")},
        [
            (
                ARTICLE,
                7,
                "the quote 'Lavrov' is in the article's text, but not with this 'prefix' and 'suffix' around it",
            )
        ],
    ),
    Case(
        "quote in a heading",
        {
            ARTICLE: article(
                GOOD_FRONT_MATTER + "notes:\n  - quote: Talks in Bamako\n    text: A note.\n",
                "## Talks in Bamako\n\nSergei Lavrov met the junta.\n",
            )
        },
        [(ARTICLE, 7, "is inside a heading, a link or code, where notes cannot be marked")],
    ),
]


@pytest.mark.parametrize("case", NOTE_CASES, ids=[c.name for c in NOTE_CASES])
def test_notes_that_cannot_be_anchored_fail_a_strict_build(case, build_site):
    built = build_site(_tree(case), strict=True)
    assert built.aborted is not None
    shown = [m.removeprefix("mkdocs_dossier: ") for m in built.warnings]
    for path, line, words in case.expected:
        assert any(s.startswith(_located(path, line)) and words in s for s in shown), (path, line, words, shown)


MANY_PROBLEMS = {
    ENTITIES: "bamako:\n  name: Bamako\n  type: city\nSergei:\n  name: Sergei Lavrov\n  type: person\n",
    GLOSSARY: "junta:\n  definition:\n",
    EVENTS: "visit:\n  title: Visit\n  date: 2023-02-30\n",
    ARTICLE: article(GOOD_FRONT_MATTER + "url: javascript:x\nnotes:\n  - quote: nowhere\n    text: A note.\n"),
    "dossier/articles/b/second.md": article("title: Second\noutlet: AFP\npublished: 2023-02-29\n"),
    "dossier/articles/a/first.md": "no front matter\n",
}


def test_every_problem_is_reported_in_one_run_sorted_by_file_and_line(build_site, tmp_path):
    built = build_site({**MINIMAL_DOSSIER, **MANY_PROBLEMS}, strict=True)
    shown = [m.removeprefix("mkdocs_dossier: ") for m in built.warnings]
    located = [(s.split(":")[0], int(s.split(":")[1])) for s in shown]
    assert located == [
        ("dossier/articles/a/first.md", 1),
        ("dossier/articles/ap-visit.md", 6),
        ("dossier/articles/ap-visit.md", 8),
        ("dossier/articles/b/second.md", 4),
        ("dossier/entities.yml", 3),
        ("dossier/entities.yml", 4),
        ("dossier/events.yml", 3),
        ("dossier/glossary.yml", 2),
    ], shown
    assert "The dossier has 8 problems, and the build is strict:" in built.aborted


def test_errors_stop_the_build_and_list_every_problem_once(build_site):
    files = {**MINIMAL_DOSSIER, GLOSSARY: "junta: [\n", EVENTS: "visit:\n  title: Visit\n  date: 2023-02-30\n"}
    built = build_site(files, strict=False)
    assert built.aborted.endswith("Aborted with a BuildError!")
    errors = [m for m in built.messages(logging.ERROR) if "dossier" in m]
    assert len(errors) == 1
    assert errors[0].splitlines() == [
        "The dossier cannot be built:",
        "  dossier/events.yml:3: event 'visit': 'date' '2023-02-30' is not a date that exists (day is out of range for month)",
        "  dossier/glossary.yml:2: malformed YAML: expected the node content, but found '<stream end>'",
    ]
    assert not [m for m in built.warnings if "dossier/" in m]


def test_a_broken_registry_is_not_blamed_on_the_files_that_use_it(tmp_path):
    from conftest import write_tree

    write_tree(
        tmp_path,
        {**MINIMAL_DOSSIER, ENTITIES: "bamako: [\n", EVENTS: "visit: {title: V, date: 2023-02-07, place: bamako}\n"},
    )
    _, problems = load_dossier(tmp_path / "dossier")
    assert [p.path for p in problems] == [ENTITIES]
    assert all(p.severity is Severity.ERROR for p in problems)


@pytest.mark.parametrize(
    "body",
    [
        "A run of stars: " + "*" * 3000 + "x" + "*" * 3000 + "\n",
        "".join("    " * depth + "- Lavrov\n" for depth in range(400)),
    ],
    ids=["nested emphasis", "nested lists"],
)
def test_an_article_too_nested_for_markdown_is_named_not_a_traceback(body, build_site):
    files = {**MINIMAL_DOSSIER, ARTICLE: article(GOOD_FRONT_MATTER, body)}
    built = build_site(files, strict=True)
    assert "the build is strict" in built.aborted and "Markdown cannot convert this article" in built.aborted
    assert [m.removeprefix("mkdocs_dossier: ") for m in built.warnings] == [
        f"{ARTICLE}:7: Markdown cannot convert this article: it nests emphasis, lists or quotes thousands of levels "
        "deep (look for a long run of * or _, or very deep indentation); the page shows its text unformatted"
    ]
    page = built.page("articles/ap-visit.html")
    assert '<pre class="dossier-unconverted">' in page and "Lavrov" in page


def _mutate(text: bytes, rng: random.Random) -> bytes:
    """Break a file the way hand edits do: a line lost, doubled, moved, re-indented, cut short."""
    lines = text.split(b"\n")
    at = rng.randrange(len(lines))
    kind = rng.choice(["lose", "double", "move", "byte", "indent", "tab", "colon", "quote", "cut", "rule"])
    if kind == "lose":
        del lines[at]
    elif kind == "double":
        lines.insert(at, lines[at])
    elif kind == "move":
        lines.insert(rng.randrange(len(lines)), lines.pop(at))
    elif kind == "byte":
        line = bytearray(lines[at] or b"x")
        line[rng.randrange(len(line))] = rng.randrange(256)
        lines[at] = bytes(line)
    elif kind == "indent":
        lines[at] = b"   " + lines[at]
    elif kind == "tab":
        lines[at] = b"\t" + lines[at]
    elif kind == "colon":
        lines[at] = lines[at].replace(b":", b"", 1) if b":" in lines[at] else lines[at] + b": x"
    elif kind == "quote":
        lines[at] += b'"'
    elif kind == "cut":
        lines = lines[:at]
    else:
        lines[at] = b"---"
    return b"\n".join(lines)


@pytest.mark.parametrize("seed", range(6))
def test_the_sample_dossier_broken_at_random_gets_located_messages_only(seed, build_site):
    from conftest import ROOT

    rng = random.Random(seed)
    files = {
        p.relative_to(ROOT).as_posix(): p.read_bytes()
        for top in ("dossier", "docs")
        for p in (ROOT / top).rglob("*")
        if p.is_file()
    }
    sources = sorted(name for name in files if name.startswith("dossier/"))
    for _ in range(3):
        name = rng.choice(sources)
        files[name] = _mutate(files[name], rng)
    built = build_site(files, strict=True)
    lines = [line.strip().removeprefix("mkdocs_dossier: ") for m in built.messages() for line in m.splitlines()]
    about_sources = [line for line in lines if line.startswith("dossier/")]
    assert all(re.match(r"dossier/[^:]+(:\d+)?: \S", line) for line in about_sources), about_sources
    if built.aborted is not None:
        assert about_sources, built.aborted
    assert not any("Traceback" in line for line in lines)
    for name, content in files.items():
        assert (built.project / name).read_bytes() == content
