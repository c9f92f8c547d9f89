"""Offline search answers on every load: the built sample opened from `file://` in fresh browsers.

Material builds the search index from `file://` only when search opens, and reads the search box on a
key's release, on focus, and once when the index is ready. A query that arrives with no key released
after it (a paste, a drop, dictation; Playwright's `insert_text` sends exactly that) used to be lost
whenever it landed after the index was ready: the box kept "Type to start searching" for good. These
tests put the query in the box at once in 20 fresh contexts, and once after the index is known ready,
which is the losing order every time without the fix.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from mkdocs_dossier.sources.loader import load_dossier

STARTS = ["index.html", "articles/afp-lavrov-arrives-in-mali.html"]
"""Pages the loads start from, in turn: the home page and an article."""

LOADS = 20
"""Fresh browser contexts that each load a page and search at once; every one must answer."""

WAIT_MS = 30_000
"""How long a result may take to show on a loaded machine; a condition waited for, never a measure."""


@pytest.fixture(scope="module")
def wagner():
    return load_dossier(ROOT / "dossier")[0].entities["wagner-group"]


def search_box(page):
    return page.locator("input.md-search__input")


def result_meta(page):
    return page.locator(".md-search-result__meta")


def entity_results(page, entity):
    return page.locator(".md-search-result__link", has=page.locator("h1", has_text=entity.name))


def test_a_query_put_in_the_box_at_once_is_answered_on_every_fresh_load(open_offline, playwright_api, wagner):
    unanswered = []
    for load in range(LOADS):
        offline = open_offline()
        page = offline.open(STARTS[load % len(STARTS)])
        search_box(page).click()
        page.keyboard.insert_text(wagner.name)
        try:
            entity_results(page, wagner).first.wait_for(timeout=WAIT_MS)
        except playwright_api.TimeoutError:
            unanswered.append(f"load {load + 1}: {result_meta(page).inner_text()!r} for {search_box(page).input_value()!r}")
        offline.context.close()
    assert unanswered == [], f"{LOADS - len(unanswered)} of {LOADS} fresh loads answered"


def test_a_query_pasted_after_the_index_is_ready_is_answered(open_offline, wagner):
    page = open_offline().open("index.html")
    search_box(page).click()
    # The index is ready once the worker has answered the empty query that opening search sends.
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent === 'Type to start searching'",
        timeout=WAIT_MS,
    )
    page.keyboard.insert_text(wagner.name)
    entity_results(page, wagner).first.wait_for(timeout=WAIT_MS)
    assert result_meta(page).inner_text() != "Type to start searching"
