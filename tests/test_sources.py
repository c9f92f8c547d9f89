"""Loading and checking a dossier folder: every problem, with its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINIMAL_DOSSIER, write_tree
from mkdocs_dossier.sources.loader import iso_date_or_datetime, load_dossier, split_front_matter
from mkdocs_dossier.sources.problems import Severity

ROOT = Path(__file__).resolve().parent.parent


def load(tmp_path: Path, changes: dict[str, str | bytes | None]):
    files = {name: text for name, text in MINIMAL_DOSSIER.items() if name.startswith("dossier/")}
    files.update({name: text for name, text in changes.items() if text is not None})
    for name in [name for name, text in changes.items() if text is None]:
        files.pop(name, None)
    write_tree(tmp_path, files)
    return load_dossier(tmp_path / "dossier")


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_the_sample_dossier_loads_without_problems():
    dossier, problems = load_dossier(ROOT / "dossier")
    assert messages(problems) == []
    assert set(dossier.articles) == {"afp-lavrov-arrives-in-mali", "ap-lavrov-pledges-military-aid"}
    assert dossier.entities["assimi-goita"].surface_forms == (
        "Assimi Goïta",
        "Asimi Guetta",
        "Asemi Guetta",
        "Guetta",
        "Goeta",
    )
    assert [a.id for a in dossier.coverage["lavrov-visits-mali-2023"]] == [
        "afp-lavrov-arrives-in-mali",
        "ap-lavrov-pledges-military-aid",
    ]


def test_a_minimal_dossier_is_read_into_the_model(tmp_path):
    dossier, problems = load(tmp_path, {})
    assert messages(problems) == []
    article = dossier.articles["ap-visit"]
    assert (article.title, article.outlet, article.published, article.events) == (
        "Lavrov visits Mali",
        "AP",
        dt.date(2023, 2, 7),
        ("visit",),
    )
    assert article.body == "Sergei Lavrov met the junta in Bamako.\n"
    assert article.body_line == 7
    assert dossier.terms["junta"].term == "junta"  # the id, when no term is given
    assert dossier.terms["junta"].case_sensitive is False
    assert dossier.entities["bamako"].case_sensitive is True
    assert dossier.events["visit"].place == "bamako"


ARTICLE_HEAD = "---\ntitle: T\noutlet: AP\npublished: 2023-02-07\n"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"dossier/articles/ap-visit.md": ARTICLE_HEAD + "events: [nowhere]\n---\nBody\n"},
            "dossier/articles/ap-visit.md:5: unknown event 'nowhere'; add it to events.yml",
        ),
        (
            {"dossier/events.yml": "visit:\n  title: V\n  date: 2023-02-07\n  place: atlantis\n"},
            "dossier/events.yml:4: event 'visit': unknown place 'atlantis'; add it to entities.yml",
        ),
        (
            {"dossier/articles/ap-visit.md": "---\ntitle: T\npublished: 2023-02-07\n---\nBody\n"},
            "dossier/articles/ap-visit.md:1: the front matter is missing the required field 'outlet'",
        ),
        (
            {"dossier/articles/ap-visit.md": "---\ntitle: T\noutlet: AP\npublished: 2023-02-30\n---\nBody\n"},
            "dossier/articles/ap-visit.md:4: the front matter: 'published' '2023-02-30' is not a date or date-time "
            "that exists (day is out of range for month)",
        ),
        (
            {"dossier/events.yml": "visit:\n  title: V\n  date: 7 Feb 2023\n"},
            "dossier/events.yml:3: event 'visit': 'date' '7 Feb 2023' is not a date; write it as YYYY-MM-DD, like 2023-02-07",
        ),
        (
            {"dossier/articles/ap-visit.md": ARTICLE_HEAD + "url: javascript:alert(1)\n---\nBody\n"},
            "dossier/articles/ap-visit.md:5: the front matter: 'url' 'javascript:alert(1)' is not a safe link; "
            "only http:// and https:// addresses are allowed",
        ),
        (
            {
                "dossier/entities.yml": "a:\n  name: Diop\n  type: person\nb:\n  name: B\n  type: person\n  aliases: [Diop]\n"
            },
            "dossier/entities.yml:1: entity 'a' and entity 'b' (entities.yml, line 4) both claim the spelling 'Diop'; "
            "remove it from one of them, or give the one that should win a higher 'priority'",
        ),
        (
            {"dossier/glossary.yml": "junta:\n  definition: [unclosed\n"},
            "dossier/glossary.yml:2: malformed YAML: the list that opens with '[' on this line is never closed; "
            "add its ']'",
        ),
        (
            {"dossier/entities.yml": "x:\n  name: X\n  type: person\n  aliases: {a: 1\nb:\n  name: B\n"},
            "dossier/entities.yml:4: malformed YAML: the mapping that opens with '{' on this line is never closed; "
            "add its '}'",
        ),
        (
            {"dossier/articles/ap-visit.md": '---\ntitle: "Lavrov visits Mali\noutlet: AP\npublished: 2023-02-07\n---\nBody\n'},
            "dossier/articles/ap-visit.md:2: malformed YAML: the quoted value that starts on this line is never "
            "closed; add its quote",
        ),
        (
            {"dossier/entities.yml": "x:\n  name: X\n  type: planet\n"},
            "dossier/entities.yml:3: entity 'x': 'type' 'planet' is not one of: person, organization, place, other "
            "(did you mean 'place'?)",
        ),
        (
            {"dossier/entities.yml": "Not A Slug:\n  name: X\n  type: person\n"},
            "dossier/entities.yml:1: 'Not A Slug' is not an id: use lowercase letters, digits and hyphens, like 'not-a-slug'",
        ),
        (
            {"dossier/entities.yml": "x:\n  name: X\n  type: person\n  aliases: ['...', '']\n"},
            "dossier/entities.yml:4: entity 'x': 'aliases' item 1 '...' has no letter or digit, so it cannot be "
            "matched in text; item 2 must not be empty",
        ),
        (
            {"dossier/entities.yml": "x:\n  name: X\n  type: person\n  sumary: typo\n"},
            "dossier/entities.yml:4: entity 'x' has an unknown field 'sumary' (did you mean 'summary'?)",
        ),
        (
            {"dossier/entities.yml": "x:\n  name: X\n  type: person\nx:\n  name: Y\n  type: person\n"},
            "dossier/entities.yml:4: 'x' is given twice (first on line 1)",
        ),
        (
            {"dossier/articles/ap-visit.md": "Just text, no front matter.\n"},
            "dossier/articles/ap-visit.md:1: has no front matter; start the file with a '---' line, the fields "
            "(title, outlet, published), and another '---'",
        ),
        (
            {"dossier/articles/ap-visit.md": b"---\ntitle: T\noutlet: AP\npublished: 2023-02-07\n---\nCaf\xe9\n"},
            "dossier/articles/ap-visit.md:6: is not UTF-8 text (byte 0xe9 at offset 53); save it as UTF-8",
        ),
        (
            {"dossier/articles/Bad Name.md": ARTICLE_HEAD + "---\nBody\n"},
            "dossier/articles/Bad Name.md:1: the file name is the article's id, and 'Bad Name' is not an id: use "
            "lowercase letters, digits and hyphens; rename the file to bad-name.md",
        ),
        (
            {"dossier/articles/2024/ap-visit.md": ARTICLE_HEAD + "---\nBody\n"},
            "dossier/articles/ap-visit.md:1: another article has the id 'ap-visit' (dossier/articles/2024/ap-visit.md); "
            "ids must be unique across folders, so rename one of the files",
        ),
        (
            {"dossier/entities.yml": "x:\n  name: X\n  type: person\n  wikidata: 42\n"},
            "dossier/entities.yml:4: entity 'x': 'wikidata' '42' is not valid; write it like Q42",
        ),
        (
            {"dossier/glossary.yml": "junta:\n  definition: D\n  case_sensitive: maybe\n"},
            "dossier/glossary.yml:3: term 'junta': 'case_sensitive' must be true or false, not 'maybe'",
        ),
    ],
)
def test_each_problem_is_reported_with_file_and_line(tmp_path, changes, expected):
    _, problems = load(tmp_path, changes)
    assert expected in messages(problems)


def test_an_article_left_out_still_has_its_events_and_notes_checked(tmp_path):
    article = (
        "---\noutlet: AP\npublished: 7 Feb 2023\nevents: [visits]\n"
        "notes:\n  - quote: Lavrov\n    kind: corection\n    text: T\n---\nSergei Lavrov met the junta.\n"
    )
    dossier, problems = load(tmp_path, {"dossier/articles/ap-visit.md": article})
    assert "ap-visit" not in dossier.articles
    assert messages(problems) == [
        "dossier/articles/ap-visit.md:1: the front matter is missing the required field 'title'",
        "dossier/articles/ap-visit.md:3: the front matter: 'published' '7 Feb 2023' is not a date or date-time; "
        "write it as 2023-02-07 or 2023-02-07T09:30:00+00:00",
        "dossier/articles/ap-visit.md:4: unknown event 'visits' (did you mean 'visit'?); add it to events.yml",
        "dossier/articles/ap-visit.md:7: note 1: 'kind' 'corection' is not one of: note, correction, context "
        "(did you mean 'correction'?)",
    ]


def test_a_list_keeps_its_good_items_when_one_is_wrong(tmp_path):
    dossier, problems = load(
        tmp_path,
        {
            "dossier/articles/ap-visit.md": ARTICLE_HEAD + "events: [visit, visits, 2023]\n---\nBody\n",
            "dossier/entities.yml": "bamako:\n  name: Bamako\n  type: place\n  aliases: [Bamaco, '...']\n",
        },
    )
    assert messages(problems) == [
        "dossier/articles/ap-visit.md:5: the front matter: 'events' item 3 '2023' is not an id: YAML reads it as "
        "a number; put it in quotes",
        "dossier/articles/ap-visit.md:5: unknown event 'visits' (did you mean 'visit'?); add it to events.yml",
        "dossier/entities.yml:4: entity 'bamako': 'aliases' item 2 '...' has no letter or digit, so it cannot be "
        "matched in text",
    ]
    assert dossier.articles["ap-visit"].events == ("visit",)
    assert dossier.entities["bamako"].aliases == ("Bamaco",)


def test_an_event_left_out_still_has_its_place_checked(tmp_path):
    dossier, problems = load(tmp_path, {"dossier/events.yml": "visit:\n  title: V\n  date: 2023-02-30\n  place: bamko\n"})
    assert "visit" not in dossier.events
    assert messages(problems) == [
        "dossier/events.yml:3: event 'visit': 'date' '2023-02-30' is not a date that exists (day is out of range for month)",
        "dossier/events.yml:4: event 'visit': unknown place 'bamko' (did you mean 'bamako'?); add it to entities.yml",
    ]


def test_a_malformed_registry_stops_the_build(tmp_path):
    _, problems = load(tmp_path, {"dossier/events.yml": "visit: [\n"})
    assert [(str(p), p.severity) for p in problems] == [
        ("dossier/events.yml:2: malformed YAML: expected the node content, but found '<stream end>'", Severity.ERROR)
    ]


def test_a_missing_or_empty_dossier_is_an_error(tmp_path):
    _, problems = load_dossier(tmp_path / "nowhere")
    assert [str(p) for p in problems.errors] == [
        "nowhere: the dossier folder does not exist; create it, with an 'articles' folder of Markdown files inside"
    ]
    (tmp_path / "empty").mkdir()
    _, problems = load_dossier(tmp_path / "empty")
    assert [str(p) for p in problems.errors] == [
        "empty/articles: the articles folder does not exist; create it, and put one Markdown file per article in it"
    ]


def test_all_problems_come_at_once_sorted_by_file_and_line(tmp_path):
    _, problems = load(
        tmp_path,
        {
            "dossier/events.yml": "visit:\n  title: V\n  date: 2023-13-01\n",
            "dossier/entities.yml": "b:\n  name: B\n  type: thing\na:\n  type: person\n",
            "dossier/articles/ap-visit.md": ARTICLE_HEAD + "url: ftp://x\nevents: [visit]\n---\nBody\n",
        },
    )
    found = [(p.path, p.line) for p in problems]
    assert found == sorted(found)
    assert {p.path for p in problems} == {
        "dossier/articles/ap-visit.md",
        "dossier/entities.yml",
        "dossier/events.yml",
    }
    assert len(problems) == 4  # bad url, bad type, missing name, bad date (the event is not also unknown)


def test_dates_and_date_times_are_both_accepted(tmp_path):
    dossier, problems = load(
        tmp_path,
        {
            "dossier/articles/ap-visit.md": "---\ntitle: T\noutlet: AP\npublished: 2023-02-07T09:30:00+01:00\n---\nBody\n"
        },
    )
    assert messages(problems) == []
    assert dossier.articles["ap-visit"].published == dt.datetime.fromisoformat("2023-02-07T09:30:00+01:00")
    assert dossier.articles["ap-visit"].date == dt.date(2023, 2, 7)


def test_a_date_time_without_a_utc_offset_is_read_as_utc_and_says_so(tmp_path):
    front = "---\ntitle: T\noutlet: AP\npublished: 2023-02-07T09:30:00\n---\nBody\n"
    dossier, problems = load(tmp_path, {"dossier/articles/ap-visit.md": front})
    assert [(p.severity, str(p)) for p in problems] == [
        (
            Severity.INFO,
            "dossier/articles/ap-visit.md:4: the front matter: 'published' (2023-02-07T09:30:00) has a time of day "
            "but no UTC offset, so the time line takes it as UTC; if it is local time, add its offset, as in "
            "2023-02-07T09:30:00+01:00",
        )
    ]
    assert dossier.articles["ap-visit"].published == dt.datetime(2023, 2, 7, 9, 30)


@pytest.mark.parametrize("utc", ["Z", "z", "+00:00"])
def test_a_date_time_in_utc_may_end_with_z_in_either_case(utc):
    """RFC 3339, which feeds and sites follow, allows a lower-case z, which `datetime.fromisoformat` refuses."""
    assert iso_date_or_datetime(f"2023-02-07T09:30:00{utc}") == dt.datetime(2023, 2, 7, 9, 30, tzinfo=dt.timezone.utc)


def test_a_spelling_shared_by_a_term_and_an_entity_is_resolved_by_priority(tmp_path):
    entities = "bamako:\n  name: Bamako\n  type: place\nwagner:\n  name: Wagner\n  type: organization\n  priority: 1\n"
    glossary = "wagner-music:\n  term: wagner\n  definition: Opera.\n"
    _, problems = load(tmp_path, {"dossier/entities.yml": entities, "dossier/glossary.yml": glossary})
    assert messages(problems) == []
    _, problems = load(
        tmp_path, {"dossier/entities.yml": entities.replace("  priority: 1\n", ""), "dossier/glossary.yml": glossary}
    )
    assert any("both claim the spelling" in m for m in messages(problems))


def test_two_case_sensitive_spellings_that_differ_in_case_do_not_clash(tmp_path):
    entities = "bamako:\n  name: Bamako\n  type: place\nus:\n  name: US\n  type: place\nus-band:\n  name: Us\n  type: organization\n"
    _, problems = load(tmp_path, {"dossier/entities.yml": entities})
    assert messages(problems) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\na: 1\n---\nbody\n", ("a: 1\n", "body\n", 4)),
        ("---\n---\nbody", ("", "body", 3)),
        ("---\na: 1\n...\nbody\n", ("a: 1\n", "body\n", 4)),
        ("no front matter", None),
        ("---\na: 1\nnever closed\n", None),
        ("----\na: 1\n---\n", None),
    ],
)
def test_split_front_matter(text, expected):
    assert split_front_matter(text) == expected
