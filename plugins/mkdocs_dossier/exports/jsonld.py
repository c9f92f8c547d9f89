"""schema.org data (JSON-LD) for article and event pages, so that search engines and other tools read
what a page is about.

An article page says it holds a `NewsArticle`: its headline, publication date, publisher (the outlet),
authors, the original address, what it is `about` (the events it covers and the entities its headline
names) and what it `mentions` (every entity its text names), each entity linked to Wikidata through
`sameAs` where the dossier gives an id. An event page says it holds an `Event` with the coverage of it.

The JSON goes into a `<script type="application/ld+json">` element. `<`, `>` and `&` are written as
JSON escapes, so no text from the sources can close the element or open a comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ..site.pages import ARTICLE, ENTITY, EVENT
from ..sources.model import Annotation, Article, Dossier, Entity, Event
from ..text.matcher import Matcher

SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "place": "Place", "other": "Thing"}
WIKIDATA = "https://www.wikidata.org/wiki/{id}"

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)

Link = Callable[[str], str]
"""The URL of a page source as the JSON-LD should give it: absolute where the site's URL is known."""


def article_data(
    article: Article, dossier: Dossier, annotation: Annotation, link: Link, matcher: Matcher | None = None
) -> dict:
    mentioned = list(dict.fromkeys(mention.entity for mention in annotation.mentions))
    in_headline = [m.target.id for m in matcher.find(article.title) if m.target.kind == "entity"] if matcher else []
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "publisher": {"@type": "Organization", "name": article.outlet},
        "url": article.url or link(ARTICLE.format(id=article.id)),
    }
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.language:
        data["inLanguage"] = article.language
    about = [_event(dossier.events[event_id], dossier, link) for event_id in article.events]
    about += [_entity(dossier.entities[entity_id], link) for entity_id in dict.fromkeys(in_headline)]
    if about:
        data["about"] = about
    if mentioned:
        data["mentions"] = [_entity(dossier.entities[entity_id], link) for entity_id in mentioned]
    return data


def event_data(event: Event, dossier: Dossier, link: Link) -> dict:
    data = {"@context": "https://schema.org", **_event(event, dossier, link)}
    if event.summary:
        data["description"] = event.summary
    coverage = dossier.coverage.get(event.id, [])
    if coverage:
        data["subjectOf"] = [
            {
                "@type": "NewsArticle",
                "headline": article.title,
                "datePublished": article.published.isoformat(),
                "publisher": {"@type": "Organization", "name": article.outlet},
                "url": link(ARTICLE.format(id=article.id)),
                **({"sameAs": article.url} if article.url else {}),
            }
            for article in coverage
        ]
    return data


def script(data: dict) -> str:
    """The `<script>` element, safe to put in any HTML page whatever the data holds."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def add_to_head(html: str, element: str) -> str:
    """Put `element` at the end of the page's `<head>`; a page without one gets it first."""
    match = _HEAD_END.search(html)
    if match is None:
        return element + "\n" + html
    return html[: match.start()] + element + "\n" + html[match.start() :]


def _event(event: Event, dossier: Dossier, link: Link) -> dict:
    data = {
        "@type": "Event",
        "name": event.title,
        "startDate": event.date.isoformat(),
        "url": link(EVENT.format(id=event.id)),
    }
    place = dossier.entities.get(event.place) if event.place else None
    if place is not None:
        data["location"] = {**_entity(place, link), "@type": "Place"}
    return data


def _entity(entity: Entity, link: Link) -> dict:
    data = {"@type": SCHEMA_TYPES[entity.type], "name": entity.name, "url": link(ENTITY.format(id=entity.id))}
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    if entity.summary:
        data["description"] = entity.summary
    if entity.wikidata:
        data["sameAs"] = WIKIDATA.format(id=entity.wikidata)
    return data
