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
    assert 'href="../entities/sergei-lavrov.html#in-ap-visit-m-sergei-lavrov-1"' in article
    assert 'data-term="junta"' in article
    assert 'data-event="visit"' in article


def test_mentions_link_to_their_entry_on_the_entity_page_and_mkdocs_knows_the_anchor(build_site):
    built = build_site(strict=True, validation={"anchors": "warn"})
    assert built.aborted is None, built.messages()
    assert built.warnings == []
    entity = built.page("entities/sergei-lavrov.html")
    assert '<li id="in-ap-visit-m-sergei-lavrov-1">' in entity
    assert 'href="../articles/ap-visit.html#m-sergei-lavrov-1"' in entity
