"""The plugin on tiny sites built in a temporary folder."""

from __future__ import annotations


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
    assert 'href="../entities/sergei-lavrov.html"' in article
    assert 'data-term="junta"' in article
    assert 'data-event="visit"' in article


def test_the_sample_event_page_compares_the_coverage(tmp_path):
    """The repository's own sample, built in a temporary folder: comparison, links, quote ledger."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from conftest import ROOT

    project = tmp_path / "project"
    for name in ("dossier", "docs"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build(load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site")))
    event = (tmp_path / "site" / "events" / "lavrov-visits-mali-2023.html").read_text(encoding="utf-8")
    assert 'data-comparison="lavrov-visits-mali-2023"' in event
    assert event.count("data-shared ") == 4
    assert 'href="../articles/afp-lavrov-arrives-in-mali.html#s-9"' in event
    assert 'href="../articles/ap-lavrov-pledges-military-aid.html#s-18"' in event
    assert 'data-only="afp-lavrov-arrives-in-mali"' in event
    assert 'data-speaker="volker-turk"' in event
    assert "“extra necessary than ever”" in event
    assert 'data-entity-ref="assimi-goita"' in event
    assert "<q>Goeta</q>" in event
    assert "Figures differ" in event
    article = (tmp_path / "site" / "articles" / "afp-lavrov-arrives-in-mali.html").read_text(encoding="utf-8")
    assert 'id="s-9"' in article
    ledger = (tmp_path / "site" / "entities" / "abdoulaye-diop.html").read_text(encoding="utf-8")
    assert 'data-quote-ledger="abdoulaye-diop"' in ledger
    assert "We is not going to proceed to justify our alternative of companions" in ledger
    assert 'href="../articles/ap-lavrov-pledges-military-aid.html#s-12"' in ledger
    empty = (tmp_path / "site" / "entities" / "bamako.html").read_text(encoding="utf-8")
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
