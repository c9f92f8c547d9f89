"""The dossier as one JSON document (`dossier.json`), for spreadsheets, scripts and other tools.

It holds the articles (with their plain text, the text every offset points into, and its sentences),
entities, terms, events, and every entity mention with its surface form, character offsets and
sentence. `schema/dossier.schema.json` in the repository describes it; `version` changes when a field
changes meaning.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from ..site.pages import ARTICLE, ENTITY, EVENT, GLOSSARY, Site
from ..sources.model import Annotation, Article, Dossier, Mention
from ..text.annotations import AnnotationIndex
from ..text.sentences import sentence_around

FORMAT = "mkdocs-dossier"
VERSION = 1


def dossier_json(dossier: Dossier, index: AnnotationIndex, url_of: Callable[[str], str] | None = None) -> Iterator[str]:
    """The whole dossier as one JSON document, in pieces to write one after the other: as one string,
    with the data it is made from, it would hold every article's text and every mention twice over at
    once. `url_of` maps a page source to its URL in the site."""
    url_of = url_of or Site.default().url_of

    def annotated() -> Iterator[tuple[Article, Annotation, str]]:
        for article in dossier.articles_by_date:
            yield article, index.by_article.get(article.id) or Annotation(), url_of(ARTICLE.format(id=article.id))

    def mentions() -> Iterator[dict]:
        for article, annotation, page in annotated():
            sentences = {sentence.id: sentence for sentence in annotation.sentences}
            for mention in annotation.mentions:
                yield _mention(article, annotation, mention, sentences, page)

    return _json_object(
        {
            "format": FORMAT,
            "version": VERSION,
            "articles": (_article(article, annotation, page) for article, annotation, page in annotated()),
            "entities": (
                {
                    "id": entity.id,
                    "name": entity.name,
                    "type": entity.type,
                    "aliases": list(entity.aliases),
                    "summary": entity.summary,
                    "wikidata": entity.wikidata,
                    **({"roles": [_role(role) for role in entity.roles]} if entity.roles else {}),
                    "mention_count": index.mention_count(entity.id),
                    "page": url_of(ENTITY.format(id=entity.id)),
                }
                for entity in sorted(dossier.entities.values(), key=lambda e: e.id)
            ),
            "terms": (
                {
                    "id": term.id,
                    "term": term.term,
                    "aliases": list(term.aliases),
                    "definition": term.definition,
                    "page": f"{url_of(GLOSSARY)}#{term.id}",
                }
                for term in sorted(dossier.terms.values(), key=lambda t: t.id)
            ),
            "events": (
                {
                    "id": event.id,
                    "title": event.title,
                    "date": event.date.isoformat(),
                    "place": event.place,
                    "summary": event.summary,
                    "articles": [article.id for article in dossier.coverage.get(event.id, [])],
                    "page": url_of(EVENT.format(id=event.id)),
                }
                for event in dossier.events_by_date
            ),
            "mentions": mentions(),
        }
    )


def _json_object(fields: dict[str, object]) -> Iterator[str]:
    """`json.dumps(fields, ensure_ascii=False)` and a newline, in pieces: a field that is an iterator
    is written as a list, an item at a time."""
    yield "{"
    for number, (key, value) in enumerate(fields.items()):
        yield f"{', ' if number else ''}{json.dumps(key)}: "
        if isinstance(value, Iterator):
            yield "["
            for position, item in enumerate(value):
                yield f"{', ' if position else ''}{json.dumps(item, ensure_ascii=False)}"
            yield "]"
        else:
            yield json.dumps(value, ensure_ascii=False)
    yield "}\n"


def _article(article: Article, annotation: Annotation, page: str) -> dict:
    anchored = {id(note): note_id for note_id, note in annotation.notes.items()}
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published.isoformat(),
        "date": article.date.isoformat(),
        "url": article.url,
        "authors": list(article.authors),
        "language": article.language,
        "events": list(article.events),
        "page": page,
        "text": annotation.text,
        "sentences": [{"id": s.id, "start": s.start, "end": s.end} for s in annotation.sentences],
        "notes": [
            {"quote": note.quote, "kind": note.kind, "text": note.text, "anchor": anchored.get(id(note))}
            for note in article.notes
        ],
    }


def _mention(article: Article, annotation: Annotation, mention: Mention, sentences: dict, page: str) -> dict:
    sentence = sentences.get(mention.sentence) if mention.sentence else None
    start, end = (
        (sentence.start, sentence.end) if sentence else sentence_around(annotation.text, mention.start, mention.end)
    )
    before, _, after = mention.context
    return {
        "article": article.id,
        "entity": mention.entity,
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "anchor": mention.id,
        "page": f"{page}#{mention.id}",
        "sentence": {
            "id": sentence.id if sentence else None,
            "start": start,
            "end": end,
            "text": annotation.text[start:end],
        },
        "context": {"before": before, "after": after},
    }


def _role(role) -> dict:
    return {
        "title": role.title,
        "from": role.start.isoformat() if role.start else None,
        "to": role.end.isoformat() if role.end else None,
    }
