"""The generated pages of a dossier site, rendered from the templates in `templates/`.

Pages are HTML fragments for the host's theme to frame. Everything that comes from the sources is
escaped by Jinja's autoescape; the only markup let through is the article body that Python-Markdown
(and the sanitiser) produced. Links are relative, computed from each page's URL, so the site reads the
same from a server and from `file://`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import svg
from .annotations import AnnotationIndex
from .compare import CompareOptions, CoverageAnalysis
from .markdown import Annotation
from .model import ENTITY_TYPES, Article, Dossier, Entity, Event
from .text import long_date

ARTICLE = "articles/{id}.md"
ARTICLES_INDEX = "articles/index.md"
ENTITY = "entities/{id}.md"
ENTITIES_INDEX = "entities/index.md"
EVENT = "events/{id}.md"
EVENTS_INDEX = "events/index.md"
GLOSSARY = "glossary.md"

TYPE_HEADINGS = {"person": "People", "organization": "Organisations", "place": "Places", "other": "Other"}


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a page source, for hosts that do not say."""
    stem = src_uri[: -len(".md")]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(target: str, current: str) -> str:
    """The link from the page at URL `current` to URL `target`, exactly as MkDocs computes it."""
    head, tail = posixpath.split(current)
    base = head if "." in tail else current
    relative = posixpath.relpath("/" + target, "/" + base)
    return relative + "/" if target.endswith("/") else relative


@dataclass(frozen=True)
class Site:
    """How sources map to URLs: the host's answer, or MkDocs' rule by default."""

    url_of: Callable[[str], str]

    @classmethod
    def default(cls, use_directory_urls: bool = False) -> Site:
        return cls(lambda src_uri: page_url(src_uri, use_directory_urls))


class PageRenderer:
    def __init__(
        self, dossier: Dossier, index: AnnotationIndex, site: Site, compare_options: CompareOptions | None = None
    ) -> None:
        self.dossier = dossier
        self.index = index
        self.site = site
        self.analysis = CoverageAnalysis(dossier, index.by_article, compare_options)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters["long_date"] = long_date

    def link(self, target: str, src_uri: str, anchor: str = "") -> str:
        """The relative link from the page of `src_uri` to the page of `target`."""
        return relative_url(self.site.url_of(target), self.site.url_of(src_uri)) + (f"#{anchor}" if anchor else "")

    def _render(self, template: str, src_uri: str, **context) -> str:
        def link(target: str, anchor: str = "") -> str:
            return self.link(target, src_uri, anchor)

        return self.env.get_template(template).render(
            link=link,
            dossier=self.dossier,
            index=self.index,
            ARTICLE=ARTICLE,
            ENTITY=ENTITY,
            EVENT=EVENT,
            GLOSSARY=GLOSSARY,
            ENTITIES_INDEX=ENTITIES_INDEX,
            EVENTS_INDEX=EVENTS_INDEX,
            ARTICLES_INDEX=ARTICLES_INDEX,
            **context,
        )

    def article(self, article: Article, body_html: str, annotation: Annotation) -> str:
        return self._render(
            "article.html",
            ARTICLE.format(id=article.id),
            article=article,
            body=body_html,
            notes=annotation.notes,
            coverage=self.dossier.other_coverage(article),
        )

    def entity(self, entity: Entity) -> str:
        mentions = self.index.mentions_of(entity.id)
        together = [(self.dossier.entities[other], count) for other, count in self.index.appears_with(entity.id)]
        here = ENTITY.format(id=entity.id)
        return self._render(
            "entity.html",
            ENTITY.format(id=entity.id),
            entity=entity,
            mentions=[(self.dossier.articles[article_id], found) for article_id, found in mentions.items()],
            spellings=self.index.spellings_of(entity.id),
            together=together,
            graph=svg.cooccurrence(entity, together, lambda other: self.link(ENTITY.format(id=other.id), here)),
            events_here=[e for e in self.dossier.events_by_date if e.place == entity.id],
            ledger=self.analysis.quotes_of(entity.id),
        )

    def entities_index(self) -> str:
        groups = []
        for entity_type in ENTITY_TYPES:
            members = sorted(
                (e for e in self.dossier.entities.values() if e.type == entity_type), key=lambda e: (e.name.casefold(), e.id)
            )
            if members:
                groups.append((entity_type, TYPE_HEADINGS[entity_type], members))
        return self._render("entities_index.html", ENTITIES_INDEX, groups=groups)

    def event(self, event: Event) -> str:
        here = EVENT.format(id=event.id)
        coverage = self.dossier.coverage.get(event.id, [])
        return self._render(
            "event.html",
            here,
            event=event,
            place=self.dossier.entities.get(event.place) if event.place else None,
            coverage=coverage,
            timeline=svg.timeline(event, coverage, lambda article: self.link(ARTICLE.format(id=article.id), here)),
            comparison=self.analysis.comparison(event.id),
        )

    def events_index(self) -> str:
        years: dict[int, list[Event]] = {}
        for event in self.dossier.events_by_date:
            years.setdefault(event.date.year, []).append(event)
        return self._render("events_index.html", EVENTS_INDEX, years=years)

    def articles_index(self) -> str:
        return self._render("articles_index.html", ARTICLES_INDEX, articles=self.dossier.articles_by_date)

    def glossary(self) -> str:
        terms = sorted(self.dossier.terms.values(), key=lambda t: (t.term.casefold(), t.id))
        return self._render("glossary.html", GLOSSARY, terms=terms)
