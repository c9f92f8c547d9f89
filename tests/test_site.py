"""The plugin on tiny sites built in a temporary folder: pages, navigation, and bad input."""

from __future__ import annotations

import logging
import re
import textwrap

import pytest
from conftest import MINIMAL_ARTICLE, MINIMAL_DOSSIER


def with_changes(changes: dict[str, str]) -> dict[str, str]:
    return {**MINIMAL_DOSSIER, **changes}


def test_minimal_dossier_builds_every_contract_page(build_site):
    built = build_site(strict=True)
    assert built.aborted is None, built.messages()
    for url in (
        "articles/ap-visit.html",
        "articles/index.html",
        "entities/index.html",
        "entities/sergei-lavrov.html",
        "entities/bamako.html",
        "events/index.html",
        "events/visit.html",
        "glossary.html",
    ):
        assert (built.site / url).is_file(), url
    article = built.page("articles/ap-visit.html")
    assert 'data-article="ap-visit"' in article
    assert 'data-entity="sergei-lavrov"' in article
    assert 'href="../entities/sergei-lavrov.html#in-ap-visit-m-sergei-lavrov-1"' in article
    assert 'data-term="junta"' in article
    assert 'data-event="visit"' in article
    assert "<title>Lavrov visits Mali - Test dossier</title>" in article
    assert "mkdocs_dossier: 1 article, 2 entities, 1 term, 1 event" in [r.getMessage() for r in built.records]


def test_generated_pages_stay_out_of_the_navigation_and_the_indexes_are_in_it(build_site):
    built = build_site(strict=True)
    nav = re.findall(
        r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*class="md-nav__link', built.page("index.html")
    )
    links = {a or b for a, b in nav}
    assert {"articles/index.html", "entities/index.html", "events/index.html", "glossary.html"} <= links
    assert not any(link.startswith(("entities/sergei", "events/visit", "articles/ap-visit")) for link in links)


def test_directory_urls_work_the_same_way(build_site):
    built = build_site(strict=True, use_directory_urls=True)
    assert built.aborted is None, built.messages()
    article = built.page("articles/ap-visit/index.html")
    assert 'href="../../entities/sergei-lavrov/#in-ap-visit-m-sergei-lavrov-1"' in article
    entity = built.page("entities/sergei-lavrov/index.html")
    assert 'href="../../articles/ap-visit/#m-sergei-lavrov-1"' in entity


def test_an_entity_page_links_to_each_exact_mention(build_site):
    built = build_site(
        with_changes({"dossier/articles/ap-visit.md": MINIMAL_ARTICLE + "\nLavrov left Bamako. Lavrov flew home.\n"}),
        strict=True,
    )
    entity = built.page("entities/sergei-lavrov.html")
    assert [f"m-sergei-lavrov-{n}" for n in (1, 2, 3)] == re.findall(r"#(m-sergei-lavrov-\d+)", entity)
    assert "<mark>Lavrov</mark> flew home." in entity
    assert "<q>Lavrov</q> (2), <q>Sergei Lavrov</q> (1)" in entity


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace("[visit]", "[visits]")},
            "dossier/articles/ap-visit.md:5: unknown event 'visits' (did you mean 'visit'?); add it to events.yml",
        ),
        (
            {"dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace("outlet: AP\n", "")},
            "dossier/articles/ap-visit.md:1: the front matter is missing the required field 'outlet'",
        ),
        (
            {"dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace("2023-02-07", "2023-02-29")},
            "dossier/articles/ap-visit.md:4: the front matter: 'published' '2023-02-29' is not a date or date-time",
        ),
        (
            {"dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace("events:", "url: file:///etc/passwd\nevents:")},
            "dossier/articles/ap-visit.md:5: the front matter: 'url' 'file:///etc/passwd' is not a safe link",
        ),
        (
            {
                "dossier/entities.yml": textwrap.dedent(MINIMAL_DOSSIER["dossier/entities.yml"])
                + "lavrov-street:\n  name: Lavrov\n  type: place\n"
            },
            "dossier/entities.yml:1: entity 'sergei-lavrov' and entity 'lavrov-street' (entities.yml, line 9) both claim the spelling 'Lavrov'",
        ),
        (
            {
                "dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace(
                    "---\nSergei", "notes:\n  - quote: Lavrov in Moscow\n    text: x\n---\nSergei"
                )
            },
            "dossier/articles/ap-visit.md:7: the quote 'Lavrov in Moscow' is not in the article's text",
        ),
        (
            {
                "dossier/articles/ap-visit.md": MINIMAL_ARTICLE.replace(
                    "---\nSergei", "notes:\n  - quote: a\n    text: x\n---\nSergei"
                )
            },
            "dossier/articles/ap-visit.md:7: the quote 'a' is found 4 times; add a 'prefix' or 'suffix' that makes it unique",
        ),
    ],
)
def test_a_problem_is_a_warning_that_strict_turns_into_a_failure(build_site, changes, message):
    built = build_site(with_changes(changes))
    assert built.aborted is None
    assert any(warning.startswith(f"mkdocs_dossier: {message}") for warning in built.warnings), built.warnings
    built = build_site(with_changes(changes), strict=True)
    assert built.aborted is not None and "the build is strict" in built.aborted and message in built.aborted


def test_problems_that_stop_the_build_are_all_listed_at_once(build_site):
    built = build_site(
        with_changes({"dossier/events.yml": "visit: [\n", "dossier/glossary.yml": "junta: {definition: [\n"})
    )
    assert built.aborted is not None
    assert "dossier/events.yml:2: malformed YAML" in built.aborted
    assert "dossier/glossary.yml:2: malformed YAML" in built.aborted
    assert "Traceback" not in built.aborted


def test_a_missing_dossier_stops_the_build_with_a_clear_message(build_site):
    files = {name: text for name, text in MINIMAL_DOSSIER.items() if not name.startswith("dossier/")}
    built = build_site(files)
    assert built.aborted is not None
    assert "dossier: the dossier folder does not exist" in built.aborted


def test_a_page_in_docs_that_a_generated_page_would_replace_stops_the_build(build_site):
    built = build_site(with_changes({"docs/glossary.md": "# My own glossary\n"}))
    assert built.aborted is not None and "glossary.md" in built.aborted and "rename or move" in built.aborted


def test_the_dossier_folder_can_be_configured(build_site):
    files = {name.replace("dossier/", "sources/", 1): text for name, text in MINIMAL_DOSSIER.items()}
    built = build_site(files, strict=True, plugins=[{"dossier": {"dossier_dir": "sources"}}])
    assert built.aborted is None, built.messages()
    assert (built.site / "articles" / "ap-visit.html").exists()


def test_the_plugin_can_be_turned_off(build_site):
    built = build_site(strict=True, plugins=[{"dossier": {"enabled": False}}])
    assert built.aborted is None
    assert not (built.site / "articles").exists()


def test_turned_off_it_says_why_the_nav_and_links_name_missing_pages(build_site):
    files = with_changes({"docs/index.md": "# Home\n\nRead about [the visit](events/visit.md).\n"})
    nav = [{"Home": "index.md"}, {"Articles": "articles/index.md"}]
    built = build_site(files, plugins=[{"dossier": {"enabled": False, "offline": True}}], nav=nav)
    assert built.aborted is None, built.messages()
    assert (built.site / "index.html").exists()
    assert not (built.site / "events").exists() and not (built.site / "assets" / "dossier").exists()
    assert built.messages(logging.INFO)[0] == (
        "mkdocs_dossier: the plugin is off (enabled: false): the dossier's pages (articles/, entities/, events/, "
        "glossary.md) are not made, so MkDocs reports each nav entry and link to one as not found"
    )
    assert len(built.warnings) == 2, built.warnings
    assert "A reference to 'articles/index.md' is included in the 'nav' configuration" in built.warnings[0]
    assert "contains a link 'events/visit.md', but the target is not found" in built.warnings[1]
    strict = build_site(files, strict=True)
    assert strict.aborted is not None and "Aborted with 2 warnings in strict mode" in strict.aborted


def test_terms_can_be_marked_at_every_use(build_site):
    article = MINIMAL_ARTICLE + "\nThe junta again.\n"
    built = build_site(
        with_changes({"dossier/articles/ap-visit.md": article}), plugins=[{"dossier": {"term_marks": "all"}}]
    )
    assert built.page("articles/ap-visit.html").count('data-term="junta"') == 2


def test_hand_written_pages_are_not_annotated(build_site):
    built = build_site(with_changes({"docs/index.md": "# Home\n\nSergei Lavrov and the junta.\n"}), strict=True)
    assert "data-entity" not in built.page("index.html")


def test_the_sample_event_page_compares_the_coverage(sample_site):
    """The repository's own sample, built with --strict: comparison, links, quote ledger."""
    event = (sample_site / "events" / "lavrov-visits-mali-2023.html").read_text(encoding="utf-8")
    assert 'data-comparison="lavrov-visits-mali-2023"' in event
    assert event.count("data-shared ") == event.count("data-why") >= 4
    assert 'href="../articles/afp-lavrov-arrives-in-mali.html#s-9"' in event
    assert 'href="../articles/ap-lavrov-pledges-military-aid.html#s-18"' in event
    assert 'data-only="afp-lavrov-arrives-in-mali"' in event
    assert 'data-speaker="volker-turk"' in event
    assert "“extra necessary than ever”" in event
    assert 'data-entity-ref="assimi-goita"' in event
    assert "<q>Goeta</q>" in event
    assert "Figures differ" in event
    article = (sample_site / "articles" / "afp-lavrov-arrives-in-mali.html").read_text(encoding="utf-8")
    assert 'id="s-9"' in article
    ledger = (sample_site / "entities" / "abdoulaye-diop.html").read_text(encoding="utf-8")
    assert 'data-quote-ledger="abdoulaye-diop"' in ledger
    assert "We is not going to proceed to justify our alternative of companions" in ledger
    assert 'href="../articles/ap-lavrov-pledges-military-aid.html#s-12"' in ledger
    empty = (sample_site / "entities" / "bamako.html").read_text(encoding="utf-8")
    assert "No article quotes Bamako directly." in empty


def test_an_event_with_one_article_has_no_comparison(build_site):
    built = build_site(strict=True)
    assert built.aborted is None, built.messages()
    assert "data-comparison" not in built.page("events/visit.html")
    assert 'data-quote-ledger="sergei-lavrov"' in built.page("entities/sergei-lavrov.html")


def test_comparison_options_are_read_from_mkdocs_yml(build_site):
    built = build_site(strict=True, plugins=[{"dossier": {"comparison": {"threshold": 0.5, "entity_weight": 3}}}])
    assert built.aborted is None, built.messages()


def test_a_comparison_option_of_the_wrong_type_stops_the_build(build_site):
    built = build_site(plugins=[{"dossier": {"comparison": {"threshold": "high"}}}])
    assert built.aborted is not None


def test_mentions_link_to_their_entry_on_the_entity_page_and_mkdocs_knows_the_anchor(build_site):
    built = build_site(strict=True, validation={"anchors": "warn"})
    assert built.aborted is None, built.messages()
    assert built.warnings == []
    entity = built.page("entities/sergei-lavrov.html")
    assert '<li id="in-ap-visit-m-sergei-lavrov-1">' in entity
    assert 'href="../articles/ap-visit.html#m-sergei-lavrov-1"' in entity
