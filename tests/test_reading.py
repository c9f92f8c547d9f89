"""The sample as a reader finds it in Chromium, opened from the file system: a table of contents on the
generated pages, tooltips that never cover the words tapped, legible in the dark scheme, few tab stops
before the first term, tables the theme styles, and entity pages first in search for their names.

The browser and its offline contexts are the fixtures in `conftest.py`.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from mkdocs_dossier.sources.loader import load_dossier
from test_browser import tooltip

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
AP_ARTICLE = "articles/ap-lavrov-pledges-military-aid.html"
TIPPED = "a.dossier-mention, abbr.dossier-term, mark.dossier-note"
"""The marks that show a tooltip."""


@pytest.fixture(scope="module")
def dossier():
    return load_dossier(ROOT / "dossier")[0]


def table_of_contents(page) -> list[str]:
    """The anchors that the theme's table of contents (Material's right-hand column) links to."""
    links = page.locator("nav.md-nav--secondary a.md-nav__link")
    return [href.split("#", 1)[1] for href in links.evaluate_all("(links) => links.map((a) => a.href)") if "#" in href]


@pytest.mark.parametrize(
    "path",
    [
        "entities/sergei-lavrov.html",
        "entities/wagner-group.html",
        "events/lavrov-visits-mali-2023.html",
        "glossary.html",
    ],
)
def test_generated_pages_have_a_table_of_contents_of_their_headings(open_offline, path):
    page = open_offline(**DESKTOP).open(path)
    anchors = table_of_contents(page)
    assert len(anchors) >= 3, anchors
    for anchor in anchors:
        heading = page.locator(f"[id='{anchor}']")
        assert heading.count() == 1
        assert heading.evaluate("(e) => /^H[2-6]$/.test(e.tagName)"), f"#{anchor} is not a heading"


def test_entity_pages_list_mentions_under_a_heading_per_article(open_offline, dossier):
    page = open_offline(**DESKTOP).open("entities/sergei-lavrov.html")
    anchors = table_of_contents(page)
    for article_id in ("afp-lavrov-arrives-in-mali", "ap-lavrov-pledges-military-aid"):
        assert f"in-{article_id}" in anchors
    excerpt = page.locator(".dossier-mentions li").first
    assert excerpt.locator("mark").inner_text() in dossier.entities["sergei-lavrov"].surface_forms
    assert excerpt.locator("a").inner_text() == "in context", "the link is short, not the whole excerpt"


def test_the_glossary_has_an_a_to_z_of_its_terms(open_offline, dossier):
    page = open_offline(**DESKTOP).open("glossary.html")
    letters = page.locator("nav .dossier-az a")
    targets = letters.evaluate_all("(links) => links.map((a) => a.getAttribute('href').slice(1))")
    assert targets, "no letter links"
    listed = set()
    for target in targets:
        section = page.locator(f"section:has(> h2[id='{target}'])")
        assert section.count() == 1
        listed |= set(section.locator("[data-term]").evaluate_all("(all) => all.map((e) => e.dataset.term)"))
    assert listed == set(dossier.terms), "every term under its letter"


def _overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


LINES = """(mark) => Array.from(mark.getClientRects())
    .filter((r) => r.width > 0 && r.height > 0)
    .map((r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom}))"""


HIT = """(mark, {line, marks}) => {
    for (let step = 1; step < 10; step++) {
        const x = line.left + ((line.right - line.left) * step) / 10;
        const y = (line.top + line.bottom) / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest(marks) === mark) return {x, y};
    }
    return null;
}"""
"""A point of a line of the mark where the mark itself is hit, not a mark inside it."""


def test_on_a_phone_no_tooltip_covers_any_line_of_its_wrapped_mark(open_offline, dossier, playwright_api):
    """Every mark of the sample that wraps onto two lines or more on a 390 px screen, tapped on each of
    its lines: the tooltip stays clear of every line of the mark, and inside the screen."""
    expect = playwright_api.expect
    offline = open_offline(**PHONE)
    page = offline.context.new_page()
    tried = 0
    for article_id in dossier.articles:
        page.goto(offline.url(f"articles/{article_id}.html"))
        marks = page.locator(f"[data-article] :is({TIPPED})")
        for number in range(marks.count()):
            mark = marks.nth(number)
            mark.evaluate("(e) => e.scrollIntoView({block: 'center'})")
            lines = mark.evaluate(LINES)
            if len(lines) < 2:
                continue
            for line in lines:
                # A point of this line where the mark itself, not a mark inside it, is hit.
                point = mark.evaluate(HIT, {"line": line, "marks": TIPPED})
                if point is None:
                    continue
                page.touchscreen.tap(point["x"], point["y"])
                expect(tooltip(page)).to_be_visible()
                tried += 1
                where = f"{article_id}: {mark.inner_text()!r}, tapped at line {lines.index(line) + 1}"
                assert page.url.startswith(offline.url(f"articles/{article_id}.html")), f"{where} left the page"
                box = tooltip(page).evaluate(
                    "(t) => { const r = t.getBoundingClientRect(); "
                    "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"
                )
                now = mark.evaluate(LINES)
                assert not any(_overlaps(box, each) for each in now), f"{where}: the tooltip covers the mark"
                assert box["left"] >= 0 and box["right"] <= 390, f"{where}: the tooltip leaves the screen"
                assert box["top"] >= 0 and box["bottom"] <= 844, f"{where}: the tooltip leaves the screen"
                page.keyboard.press("Escape")
                expect(tooltip(page)).to_be_hidden()
    assert tried >= 4, "the sample should have marks that wrap on a phone"


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colour(css: str) -> tuple[float, ...]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return tuple(values[:3]) + ((values[3],) if len(values) > 3 else (1.0,))


def _over(top: tuple[float, ...], under: tuple[float, ...]) -> tuple[float, ...]:
    alpha = top[3]
    return tuple(top[i] * alpha + under[i] * (1 - alpha) for i in range(3)) + (1.0,)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_tooltip_stands_out_from_the_page_in_either_scheme(open_offline, scheme, playwright_api):
    offline = open_offline(color_scheme=scheme, **DESKTOP)
    page = offline.open(AP_ARTICLE)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected, "the palette follows the system"
    page.locator("abbr.dossier-term").first.hover()
    playwright_api.expect(tooltip(page)).to_be_visible()
    page_colour = _colour(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
    style = tooltip(page).evaluate(
        "(t) => { const s = getComputedStyle(t); "
        "return {background: s.backgroundColor, border: s.borderTopColor, width: s.borderTopWidth, text: s.color}; }"
    )
    background = _over(_colour(style["background"]), page_colour)
    text = _over(_colour(style["text"]), background)
    bordered = (
        float(style["width"].removesuffix("px")) >= 1
        and _contrast(_over(_colour(style["border"]), page_colour), page_colour) >= 1.3
    )
    assert _contrast(background, page_colour) >= 1.3 or bordered, style
    assert _contrast(text, background) >= 4.5, style


def test_the_palette_toggle_switches_to_the_dark_scheme(open_offline):
    page = open_offline(color_scheme="light", **DESKTOP).open("index.html")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_few_tab_stops_before_the_first_glossary_term(open_offline):
    """A keyboard reader starting at the article's title reaches its first term in ten tabs or fewer:
    an entity is a link once per section, not at every mention."""
    page = open_offline(**DESKTOP).open(AP_ARTICLE)
    page.locator("article h1").first.click()
    first_term = page.locator("[data-article] abbr.dossier-term").first
    stops = 0
    while not first_term.evaluate("(e) => e === document.activeElement"):
        assert stops < 60, "Tab never reached the first glossary term"
        page.keyboard.press("Tab")
        stops += 1
    assert stops <= 10, f"{stops} tab stops before the first glossary term"


def test_every_mention_stays_an_anchor_whether_it_links_or_not(open_offline, dossier):
    page = open_offline(**DESKTOP).open(AP_ARTICLE)
    mentions = page.locator("[data-article] .dossier-mention")
    found = mentions.evaluate_all(
        "(all) => all.map((e) => ({id: e.id, entity: e.dataset.entity, link: e.matches('a[href]')}))"
    )
    ids = [each["id"] for each in found]
    assert all(ids) and len(set(ids)) == len(ids)
    assert {each["entity"] for each in found} <= set(dossier.entities)
    linked = [each for each in found if each["link"]]
    assert 0 < len(linked) < len(found), "the first mentions link, the others are quiet"
    assert len({each["entity"] for each in linked}) == len(linked), "one link per entity in an article without headings"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_table_of_differing_names_is_padded_and_breaks_no_word(open_offline, size):
    page = open_offline(**size).open("events/lavrov-visits-mali-2023.html")
    table = page.locator("table[data-difference='spelling']")
    cells = table.locator("td, th")
    assert cells.count() > 3
    for number in range(cells.count()):
        padding = cells.nth(number).evaluate("(c) => parseFloat(getComputedStyle(c).paddingLeft)")
        assert padding >= 6, "cells run together"
    broken = table.evaluate(
        """(table) => {
            const broken = [];
            const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const word of node.data.matchAll(/[^\\s“”",—]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, word.index);
                    range.setEnd(node, word.index + word[0].length);
                    const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
                    if (lines.size > 1) broken.push(word[0]);
                }
            }
            return broken;
        }"""
    )
    assert broken == [], "words broken across lines"


def test_an_entity_page_comes_first_in_search_for_its_name(open_offline):
    page = open_offline(**DESKTOP).open("index.html")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Lavrov")
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    first.wait_for()
    assert first.get_attribute("href").split("#")[0].endswith("entities/sergei-lavrov.html")


def test_a_glossary_term_comes_first_in_search_for_itself(open_offline):
    page = open_offline(**DESKTOP).open("index.html")
    page.locator("input.md-search__input").click()
    page.keyboard.type("mercenary")
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    first.wait_for()
    assert first.get_attribute("href").split("#")[0].endswith("glossary.html")
