"""The built sample in a real browser, opened from the file system with every other request refused.

Playwright drives Debian's Chromium (`apt-get install chromium`); without a browser these tests are
skipped, except in CI (CI=true), where they fail. The sample is built once and the browser launched
once per run; each test gets a fresh browser context.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import MINIMAL_DOSSIER, ROOT
from mkdocs_dossier.sources.loader import load_dossier
from tools import missing

ARTICLE = "articles/afp-lavrov-arrives-in-mali.html"
MARKS = ".dossier-mention, .dossier-term, .dossier-note"
PLUGIN_CONTENT = 'article[class^="dossier-"], #dossier-tooltip, #dossier-descriptions, iframe[title="Web worker"]'
"""What the plugin puts in a page: its generated pages and article frames, and what its scripts add."""


@pytest.fixture(scope="session")
def dossier():
    return load_dossier(ROOT / "dossier")[0]


def tooltip(page):
    return page.locator("#dossier-tooltip")


def entity_title(dossier, entity_id: str) -> str:
    entity = dossier.entities[entity_id]
    return f"{entity.name}: {entity.summary}" if entity.summary else entity.name


def test_pages_open_from_the_file_system_with_no_request_leaving_the_machine(offline, sample_site):
    paths = [
        "index.html",
        "how-to-read.html",
        ARTICLE,
        "articles/ap-lavrov-pledges-military-aid.html",
        "articles/index.html",
        "entities/index.html",
        "entities/bamako.html",
        "events/index.html",
        "events/lavrov-visits-mali-2023.html",
        "glossary.html",
    ]
    page = offline.context.new_page()
    for path in paths:
        page.goto(offline.url(path))
    loaded = {url.split("#")[0] for url in offline.files}
    assert {offline.url(path) for path in paths} <= loaded
    assert any(url.endswith("/assets/dossier/dossier.js") for url in loaded)
    assert any(url.endswith("/assets/dossier/iframe-worker.js") for url in loaded)
    assert offline.foreign == [] and offline.errors == []


def test_a_request_to_the_network_is_refused_and_seen(offline):
    """The guard the other tests rely on: a page that reaches out is caught."""
    page = offline.open("index.html")
    page.evaluate("() => fetch('https://example.org/').catch(() => null)")
    assert offline.foreign == ["https://example.org/"]
    offline.foreign.clear()
    offline.errors.clear()


def search(page, text: str):
    """Type `text` into Material's search box; the results whose title holds it."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(text)
    results = page.locator(".md-search-result__link", has=page.locator("h1", has_text=text))
    results.first.wait_for()
    return results


@pytest.mark.parametrize("start", ["index.html", ARTICLE])
def test_search_finds_an_entity_by_name(offline, dossier, start):
    entity = dossier.entities["assimi-goita"]
    page = offline.open(start)
    results = search(page, entity.name)
    assert page.evaluate("() => window.Worker === window.IFrameWorker")
    assert any(url.endswith("/search/search_index.js") for url in offline.files)
    results.first.click()
    page.wait_for_url(re.compile(r"/entities/assimi-goita\.html"))
    assert page.locator("h1").first.inner_text() == entity.name


def test_search_in_other_languages_loads_their_stemmers_through_the_shim(build_site, open_offline):
    plugins = [{"search": {"lang": ["en", "fr"]}}, {"dossier": {"offline": True}}]
    built = build_site(strict=True, plugins=plugins)
    assert built.aborted is None, built.messages()
    offline = open_offline(site=built.site)
    page = offline.open("index.html")
    search(page, "Sergei Lavrov").first.click()
    page.wait_for_url(re.compile(r"/entities/sergei-lavrov\.html"))
    assert any(url.endswith("/lunr/min/lunr.fr.min.js") for url in offline.files)


def test_a_zipped_copy_reads_offline_as_the_readme_says(open_offline, sample_site, dossier, tmp_path, playwright_api):
    archive = tmp_path / "dossier.zip"
    subprocess.run([sys.executable, "-m", "zipfile", "-c", str(archive), f"{sample_site}/"], check=True)
    subprocess.run([sys.executable, "-m", "zipfile", "-e", str(archive), str(tmp_path / "copy")], check=True)
    copy = open_offline(site=tmp_path / "copy" / sample_site.name)
    page = copy.open("index.html")
    entity = dossier.entities["wagner-group"]
    search(page, entity.name).first.click()
    page.wait_for_url(re.compile(r"/copy/site/entities/wagner-group\.html"))
    page.locator(".dossier-context").first.click()
    page.locator("abbr.dossier-term").first.hover()
    playwright_api.expect(tooltip(page)).to_be_visible()


def test_hovering_a_term_shows_its_definition_and_leaving_hides_it(offline, dossier, playwright_api):
    expect = playwright_api.expect
    page = offline.open(ARTICLE)
    term = page.locator("abbr.dossier-term").first
    definition = dossier.terms[term.get_attribute("data-term")].definition
    term.hover()
    expect(tooltip(page)).to_be_visible()
    expect(tooltip(page)).to_have_text(definition)
    assert term.get_attribute("title") is None, "the browser's own tooltip would double ours"
    page.mouse.move(1, 1)
    expect(tooltip(page)).to_be_hidden()


def test_hovering_a_mention_shows_who_it_is(offline, dossier, playwright_api):
    expect = playwright_api.expect
    page = offline.open(ARTICLE)
    mention = page.locator("a.dossier-mention").nth(2)
    mention.hover()
    expect(tooltip(page)).to_have_text(entity_title(dossier, mention.get_attribute("data-entity")))
    box = tooltip(page).bounding_box()
    mark = mention.bounding_box()
    assert box["y"] >= mark["y"] + mark["height"] or box["y"] + box["height"] <= mark["y"], "it must not hide the mark"


def test_the_pointer_can_move_onto_the_tooltip_without_it_vanishing(offline, playwright_api):
    """The page's clock is Playwright's: the tooltip's hide delay passes when the test says so."""
    expect = playwright_api.expect
    offline.context.clock.install()
    page = offline.open(ARTICLE)
    page.locator("abbr.dossier-term").first.hover()
    expect(tooltip(page)).to_be_visible()
    tooltip(page).hover()
    page.clock.run_for(5_000)
    expect(tooltip(page)).to_be_visible()
    page.locator("h1").first.hover()
    page.clock.run_for(5_000)
    expect(tooltip(page)).to_be_hidden()


def test_tab_reaches_every_kind_of_mark_and_focus_shows_its_explanation(offline, dossier, playwright_api):
    expect = playwright_api.expect
    page = offline.open(ARTICLE)
    seen: set[str] = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        kind = focused.evaluate("(e, marks) => e.matches(marks) ? e.className.split(' ')[0] : ''", MARKS)
        if kind and kind not in seen:
            seen.add(kind)
            expect(tooltip(page)).to_be_visible()
            if kind == "dossier-term":
                expect(tooltip(page)).to_have_text(dossier.terms[focused.get_attribute("data-term")].definition)
            elif kind == "dossier-mention":
                expect(tooltip(page)).to_have_text(entity_title(dossier, focused.get_attribute("data-entity")))
        if len(seen) == 3:
            break
    assert seen == {"dossier-mention", "dossier-term", "dossier-note"}


def test_escape_hides_the_tooltip_and_keeps_the_focus(offline, playwright_api):
    expect = playwright_api.expect
    page = offline.open(ARTICLE)
    term = page.locator("abbr.dossier-term").first
    term.focus()
    expect(tooltip(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip(page)).to_be_hidden()
    assert term.evaluate("e => e === document.activeElement")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(tooltip(page)).to_be_visible()


def test_a_first_tap_shows_a_mention_and_a_second_follows_its_link(open_offline, dossier, playwright_api):
    expect = playwright_api.expect
    offline = open_offline(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = offline.open(ARTICLE)
    mention = page.locator("a.dossier-mention").first
    entity_id = mention.get_attribute("data-entity")
    # Listeners on `window` hear a click after the page's own, on `document`: whether it was cancelled.
    page.evaluate("() => addEventListener('click', (e) => { window.firstTapCancelled = e.defaultPrevented }, { once: true })")
    mention.tap()
    expect(tooltip(page)).to_be_visible()
    expect(tooltip(page)).to_have_text(entity_title(dossier, entity_id))
    page.wait_for_function("() => 'firstTapCancelled' in window")
    assert page.evaluate("() => window.firstTapCancelled"), "a first tap must not follow the link"
    assert page.url == offline.url(ARTICLE), "a first tap must not leave the page"
    mention.tap()
    page.wait_for_url(re.compile(rf"/entities/{entity_id}\.html#"))


def test_a_tap_shows_a_term_and_a_tap_elsewhere_hides_it(open_offline, dossier, playwright_api):
    expect = playwright_api.expect
    offline = open_offline(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = offline.open(ARTICLE)
    term = page.locator("abbr.dossier-term").first
    term.tap()
    expect(tooltip(page)).to_have_text(dossier.terms[term.get_attribute("data-term")].definition)
    page.locator("h1").first.tap()
    expect(tooltip(page)).to_be_hidden()


def test_a_mention_opens_its_entity_page_at_the_mention(offline, playwright_api):
    expect = playwright_api.expect
    page = offline.open(ARTICLE)
    article_id = ARTICLE.split("/")[1].removesuffix(".html")
    mention = page.locator("[data-article] a.dossier-mention").last
    entity_id, mention_id = mention.get_attribute("data-entity"), mention.get_attribute("id")
    mention.click()
    page.wait_for_url(re.compile(rf"/entities/{entity_id}\.html#in-{article_id}-{mention_id}$"))
    entry = page.locator(f"[id='in-{article_id}-{mention_id}']")
    expect(entry).to_be_in_viewport()
    back = entry.locator("a")
    expect(back).to_have_attribute("href", f"../articles/{article_id}.html#{mention_id}")
    back.click()
    page.wait_for_url(re.compile(rf"/{ARTICLE}#{mention_id}$"))
    expect(page.locator(f"[id='{mention_id}']")).to_be_in_viewport()


def test_screen_readers_get_each_marks_explanation(offline, dossier, playwright_api):
    expect = playwright_api.expect
    page = offline.open(ARTICLE)
    term = page.locator("abbr.dossier-term").first
    mention = page.locator("a.dossier-mention").first
    note = page.locator("mark.dossier-note").first
    expect(term).to_have_accessible_description(dossier.terms[term.get_attribute("data-term")].definition)
    expect(mention).to_have_accessible_description(entity_title(dossier, mention.get_attribute("data-entity")))
    expect(note).to_have_accessible_description(
        re.compile(re.escape(page.locator("#note-1").inner_text().strip()[:40]))
    )
    term.focus()
    expect(term).to_have_accessible_description(dossier.terms[term.get_attribute("data-term")].definition)


def test_without_javascript_each_mark_keeps_its_explanation_as_a_title(open_offline, dossier, playwright_api):
    expect = playwright_api.expect
    offline = open_offline(java_script_enabled=False)
    page = offline.open(ARTICLE)
    term = page.locator("abbr.dossier-term").first
    mention = page.locator("a.dossier-mention").first
    definition = dossier.terms[term.get_attribute("data-term")].definition
    expect(term).to_have_attribute("title", definition)
    expect(term).to_have_accessible_description(definition)
    expect(mention).to_have_attribute("title", entity_title(dossier, mention.get_attribute("data-entity")))


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 (the standard library's name)
        pass


@pytest.fixture
def local_server(tmp_path):
    """A web server on 127.0.0.1 for `tmp_path / "site"`, where `build_site` builds: for what works over
    http only, such as Material's instant navigation. Yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_tooltips_work_on_pages_that_instant_navigation_swaps_in(
    build_site, local_server, open_offline, playwright_api
):
    expect = playwright_api.expect
    files = {**MINIMAL_DOSSIER, "docs/index.md": "# Test dossier\n\nRead [the article](articles/ap-visit.md).\n"}
    theme = {"name": "material", "font": False, "features": ["navigation.instant"]}
    built = build_site(files, strict=True, site_url=local_server, theme=theme, plugins=["search", "dossier"])
    assert built.aborted is None, built.messages()
    served = open_offline(site=built.site, local=local_server)
    page = served.context.new_page()
    page.goto(f"{local_server}index.html")
    page.evaluate("() => { window.dossierTestMarker = true; }")
    page.get_by_role("link", name="the article").click()
    page.wait_for_url(f"{local_server}articles/ap-visit.html")
    assert page.evaluate("() => window.dossierTestMarker === true"), "the page was reloaded, not swapped in"
    term = page.locator("abbr.dossier-term")
    expect(term).to_have_accessible_description("A military group that rules a country after taking power by force.")
    assert term.get_attribute("title") is None
    term.hover()
    expect(tooltip(page)).to_have_text("A military group that rules a country after taking power by force.")


def serious_violations(page, axe_script: str) -> list[dict]:
    """axe-core's serious and critical violations on the page, each node marked if the plugin made it."""
    page.evaluate(axe_script)
    return page.evaluate(
        """async (ours) => {
            // No `preload`: it fetches the style sheets, which a page opened from file:// may not.
            const results = await axe.run(document, { resultTypes: ["violations"], preload: false });
            return results.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({
                    id: v.id,
                    nodes: v.nodes.map((n) => ({
                        target: n.target.join(" "),
                        ours: n.target.length === 1 && document.querySelector(n.target[0])?.closest(ours) != null,
                    })),
                }));
        }""",
        PLUGIN_CONTENT,
    )


@pytest.fixture(scope="session")
def axe_script():
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        missing("axe-playwright-python, which bundles axe-core, is not installed (pip install -e '.[test]')")
    return AXE_SCRIPT


def test_the_plugin_adds_no_serious_accessibility_violation(offline, plain_sample, axe_script, sample_site):
    plain = offline.context.new_page()
    baseline: set[str] = set()
    for path in ("index.html", ARTICLE):
        plain.goto((plain_sample / path).as_uri())
        baseline |= {v["id"] for v in serious_violations(plain, axe_script)}
    added = []
    for path in (
        ARTICLE,
        "articles/ap-lavrov-pledges-military-aid.html",
        "entities/mali.html",
        "glossary.html",
        "events/lavrov-visits-mali-2023.html",
    ):
        page = offline.open(path)
        if path.startswith("articles/"):
            page.locator("abbr.dossier-term").first.focus()
            tooltip(page).wait_for()
        for violation in serious_violations(page, axe_script):
            ours = [node["target"] for node in violation["nodes"] if node["ours"]]
            if ours or violation["id"] not in baseline:
                added.append((path, violation["id"], ours or [n["target"] for n in violation["nodes"]]))
        page.close()
    assert added == [], "\n".join(map(str, added))


@pytest.mark.parametrize("typed", ["Goita", "Turk"])
def test_search_finds_a_name_typed_without_its_diacritics(offline, typed):
    page = offline.open("index.html")
    page.locator("input.md-search__input").click()
    page.keyboard.type(typed)
    wanted = {"Goita": "entities/assimi-goita.html", "Turk": "entities/volker-turk.html"}[typed]
    # Results come in as the index loads and the query settles: wait for the one wanted.
    page.locator(f'.md-search-result__link[href*="{wanted}"]').first.wait_for()
