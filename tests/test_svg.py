"""The pictures: an event's coverage on a time axis, an entity's neighbours; static, deterministic,
accessible, escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from mkdocs_dossier.site import svg
from mkdocs_dossier.sources.model import Article, Entity, Event

NS = {"svg": "http://www.w3.org/2000/svg"}

EVENT = Event(id="visit", title="Lavrov's visit <to> Mali & more", date=dt.date(2023, 2, 7))


def article(id: str, outlet: str, published, title: str = "A title") -> Article:
    return Article(id=id, title=title, outlet=outlet, published=published, body="", path=f"articles/{id}.md")


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def link(item) -> str:
    return f"../x/{item.id}.html"


def test_timeline_is_well_formed_accessible_and_escaped():
    coverage = [
        article(
            "a",
            "AT&T <News>",
            dt.datetime(2023, 2, 7, 10, 15, tzinfo=dt.timezone.utc),
            title="</svg><script>x</script>",
        ),
        article("b", "AP", dt.date(2023, 2, 7)),
    ]
    markup = svg.timeline(EVENT, coverage, link)
    root = parse(markup)
    assert root.get("role") is None
    assert root.get("aria-labelledby") == "timeline-title timeline-desc"
    assert root.find("svg:title", NS).text == "Coverage of Lavrov's visit <to> Mali & more over time"
    desc = root.find("svg:desc", NS).text
    assert "2 articles, on 7 February 2023" in desc
    assert "AT&T <News>, 7 February 2023, 10:15 UTC: </svg><script>x</script>" in desc
    assert "<script>" not in markup
    assert root.findall(".//svg:script", NS) == []
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "AT&T <News>" in labels and "7 Feb 10:15" in labels and "7 Feb, day only" in labels
    assert [a.get("href") for a in root.findall("svg:a", NS)] == ["../x/a.html", "../x/b.html"]
    assert 'href="http' not in markup and "font-face" not in markup and "url(" not in markup


def test_timeline_places_articles_in_time_order_and_marks_known_times():
    coverage = [
        article("late", "Late", dt.datetime(2023, 2, 7, 18, 0)),
        article("early", "Early", dt.datetime(2023, 2, 7, 6, 0)),
        article("day", "Day", dt.date(2023, 2, 7)),
    ]
    root = parse(svg.timeline(EVENT, coverage, link))
    dots = {a.get("href"): a.find("svg:circle", NS) for a in root.findall("svg:a", NS)}
    xs = {href: float(circle.get("cx")) for href, circle in dots.items() if circle is not None}
    assert xs["../x/early.html"] < xs["../x/late.html"]
    assert dots["../x/day.html"] is None, "an article without a time is not a dot at a made-up time"
    day = next(a for a in root.findall("svg:a", NS) if a.get("href") == "../x/day.html").find("svg:rect", NS)
    left, width = float(day.get("x")), float(day.get("width"))
    assert left < xs["../x/early.html"] < xs["../x/late.html"] < left + width, "it spans its whole day"


def test_a_timeline_without_times_has_no_hour_ticks():
    coverage = [article("a", "A", dt.date(2023, 2, 7)), article("b", "B", dt.date(2023, 2, 7))]
    labels = [t.label for t in _ticks(coverage)]
    assert not any(":" in label for label in labels)
    assert "7 Feb 2023" in labels


def test_labels_that_would_overlap_go_to_separate_lanes():
    same_time = dt.datetime(2023, 2, 7, 12, 0)
    coverage = [article(f"a{i}", f"Outlet number {i}", same_time) for i in range(3)]
    root = parse(svg.timeline(EVENT, coverage, link))
    tops = [float(a.find("svg:text", NS).get("y")) for a in root.findall("svg:a", NS)]
    assert len(set(tops)) == 3


def test_ticks_follow_the_span_days_then_months():
    week = [article("a", "A", dt.date(2023, 2, 3)), article("b", "B", dt.date(2023, 2, 12))]
    labels = [t.label for t in _ticks(week)]
    assert labels[0] == "3 Feb 2023" and "7 Feb" in labels
    year = [article("a", "A", dt.date(2023, 1, 15)), article("b", "B", dt.date(2023, 11, 2))]
    labels = [t.label for t in _ticks(year)]
    assert labels == ["Apr 2023", "Jul 2023", "Oct 2023"]
    decade = [article("a", "A", dt.date(2015, 3, 1)), article("b", "B", dt.date(2024, 6, 1))]
    labels = [t.label for t in _ticks(decade)]
    assert labels and all(label.isdigit() for label in labels)


def _ticks(coverage):
    root = parse(svg.timeline(EVENT, coverage, link))
    texts = [t for t in root.findall("svg:text", NS)]
    return [svg.Tick(float(t.get("x")), t.text, t.get("text-anchor")) for t in texts]


def test_no_coverage_draws_nothing():
    assert svg.timeline(EVENT, [], link) == ""
    assert svg.cooccurrence(Entity("x", "X", "person"), [], link) == ""


def test_cooccurrence_graph_puts_the_entity_in_the_centre_and_links_the_others():
    centre = Entity("lavrov", "Sergei <Lavrov>", "person")
    others = [
        (Entity(f"e{i}", f"Entity & {i}", ("person", "organization", "place", "other")[i % 4]), 15 - i)
        for i in range(15)
    ]
    markup = svg.cooccurrence(centre, others, link)
    root = parse(markup)
    assert root.get("role") is None
    assert root.find("svg:title", NS).text == "Entities that appear with Sergei <Lavrov>"
    desc = root.find("svg:desc", NS).text
    assert "15 other entities" in desc and "Entity & 14 (1 article)" in desc and "shows the 12" in desc
    links = root.findall("svg:a", NS)
    assert [a.get("href") for a in links] == [f"../x/e{i}.html" for i in range(12)]
    assert all(a.get("tabindex") == "-1" for a in links)
    widths = [float(line.get("stroke-width")) for line in root.findall("svg:line", NS)]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Sergei <Lavrov>" in texts and "and 3 more, listed below" in texts


def test_pictures_are_the_same_bytes_every_time():
    coverage = [
        article("a", "A", dt.datetime(2023, 2, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
        article("b", "B", dt.date(2023, 2, 8)),
    ]
    assert str(svg.timeline(EVENT, coverage, link)) == str(svg.timeline(EVENT, list(coverage), link))
    centre = Entity("c", "Centre", "place")
    others = [(Entity("o", "Other", "person"), 2), (Entity("p", "Pal", "other"), 1)]
    assert str(svg.cooccurrence(centre, others, link)) == str(svg.cooccurrence(centre, list(others), link))


def test_times_are_shown_in_utc():
    coverage = [article("a", "A", dt.datetime(2023, 2, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))]
    root = parse(svg.timeline(EVENT, coverage, link))
    assert "7 Feb 07:30" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_event_and_entity_pages_show_the_pictures(build_site):
    built = build_site(strict=True)
    assert built.aborted is None, built.messages()
    event = built.page("events/visit.html")
    assert event.count('class="dossier-svg dossier-timeline"') == 1
    assert 'href="../articles/ap-visit.html" tabindex="-1"' in event
    entity = built.page("entities/sergei-lavrov.html")
    assert entity.count('class="dossier-svg dossier-graph"') == 1
    assert 'href="bamako.html" tabindex="-1"' in entity
