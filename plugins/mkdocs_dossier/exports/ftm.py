"""The dossier in the FollowTheMoney format, so that it loads into Aleph or any other FtM tool.

One JSON object a line (`entities.ftm.json`): each entity as a Person, Organization, Address (a place)
or LegalEntity (anything else) with its names, aliases and Wikidata id; each event as an Event; each
article as an Article; and a Documentation link from an article to every entity it mentions. Ids are
derived from the dossier's own ids, so a rebuild gives the same ids and a re-import updates entities
instead of duplicating them. Written by hand, not with the `followthemoney` package, which the tests
use to validate the output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator

from ..site.pages import ARTICLE, ENTITY, EVENT
from ..sources.model import Article, Dossier, Entity, Event
from ..sources.problems import counted
from ..text.annotations import AnnotationIndex

SCHEMATA = {"person": "Person", "organization": "Organization", "place": "Address", "other": "LegalEntity"}
"""The FtM schema for each entity type."""

PREFIX = "dossier"


def entity_id(entity_id: str) -> str:
    return f"{PREFIX}-entity-{entity_id}"


def event_id(event_id: str) -> str:
    return f"{PREFIX}-event-{event_id}"


def article_id(article_id: str) -> str:
    return f"{PREFIX}-article-{article_id}"


def ftm_entities(
    dossier: Dossier, index: AnnotationIndex, page_url: Callable[[str], str | None] = lambda src_uri: None
) -> Iterator[dict]:
    """Every FtM entity of the dossier, in a stable order. `page_url` gives a page's absolute URL, if known."""
    for entity in sorted(dossier.entities.values(), key=lambda e: e.id):
        yield _entity(entity, page_url(ENTITY.format(id=entity.id)))
    for event in dossier.events_by_date:
        yield _event(event, dossier, page_url(EVENT.format(id=event.id)))
    for article in dossier.articles_by_date:
        annotation = index.by_article.get(article.id)
        yield _article(article, annotation.text if annotation else "", page_url(ARTICLE.format(id=article.id)))
    for article in dossier.articles_by_date:
        for entity_key, mentions in _mentioned(index, article):
            yield _proxy(
                "Documentation",
                f"{PREFIX}-documentation-{article.id}--{entity_key}",
                document=[article_id(article.id)],
                entity=[entity_id(entity_key)],
                role=["mentioned"],
                summary=[f"{counted(len(mentions), 'mention')}: " + ", ".join(dict.fromkeys(m.text for m in mentions))],
            )


def to_lines(entities: Iterator[dict]) -> Iterator[str]:
    """The FtM line format: one compact JSON object a line, a line at a time."""
    for entity in entities:
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"


def _entity(entity: Entity, url: str | None) -> dict:
    schema = SCHEMATA[entity.type]
    properties = {
        "name": [entity.name],
        "alias": [alias for alias in entity.aliases if alias != entity.name],
        "summary": [entity.summary] if entity.summary else [],
        "wikidataId": [entity.wikidata] if entity.wikidata else [],
        "sourceUrl": [url] if url else [],
    }
    if schema == "Address":
        properties["full"] = [entity.name]
    return _proxy(schema, entity_id(entity.id), **properties)


def _event(event: Event, dossier: Dossier, url: str | None) -> dict:
    place = dossier.entities.get(event.place) if event.place else None
    return _proxy(
        "Event",
        event_id(event.id),
        name=[event.title],
        date=[event.date.isoformat()],
        summary=[event.summary] if event.summary else [],
        location=[place.name] if place else [],
        addressEntity=[entity_id(place.id)] if place and place.type == "place" else [],
        sourceUrl=[url] if url else [],
    )


def _article(article: Article, text: str, url: str | None) -> dict:
    published = article.published
    if isinstance(published, dt.datetime) and published.tzinfo is not None:
        published = published.astimezone(dt.UTC).replace(tzinfo=None)
    return _proxy(
        "Article",
        article_id(article.id),
        title=[article.title],
        publisher=[article.outlet],
        author=list(article.authors),
        publishedAt=[
            published.isoformat(timespec="seconds") if isinstance(published, dt.datetime) else published.isoformat()
        ],
        sourceUrl=[article.url or url] if article.url or url else [],
        bodyText=[text.strip()] if text.strip() else [],
    )


def _mentioned(index: AnnotationIndex, article: Article):
    annotation = index.by_article.get(article.id)
    found: dict[str, list] = {}
    for mention in annotation.mentions if annotation else []:
        found.setdefault(mention.entity, []).append(mention)
    return sorted(found.items())


def _proxy(schema: str, identifier: str, **properties: list[str]) -> dict:
    return {"id": identifier, "schema": schema, "properties": {k: v for k, v in properties.items() if v}}
