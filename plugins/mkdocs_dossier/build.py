"""One build of a dossier site: everything the plugin works out, from loading the sources to the exports.

The plugin (`plugin.py`) makes one `Build` in `on_config` and hands it what MkDocs gives at each
event; nothing here knows MkDocs. `Serving` is what `mkdocs serve` keeps from one build to the next.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from .analysis.ahead import ComparisonsAhead
from .analysis.compare import CompareOptions
from .analysis.variants import VariantOptions, find_variants
from .exports import dossier_json, ftm, jsonld
from .site import notice, pages
from .site.sanitize import sanitize_html
from .sources.kept import Kept
from .sources.loader import SourceCache, load_dossier
from .sources.model import Annotation, Article, Dossier, Event
from .sources.problems import Problem, Severity
from .text.annotations import AnnotationIndex
from .text.extension import Annotator, DossierExtension, build_matcher
from .text.matcher import Matcher

DOSSIER_JSON = "dossier.json"
FTM_JSON = "entities.ftm.json"


@dataclass(frozen=True)
class Settings:
    """The plugin's options, as plain values."""

    term_marks: str = "first"
    mention_links: str = "section"
    sanitize: bool = True
    comparison: CompareOptions = field(default_factory=CompareOptions)
    variants: VariantOptions | None = field(default_factory=VariantOptions)
    """None when the name-variant check is off."""


@dataclass
class Serving:
    """What `mkdocs serve` keeps from one build to the next, so that a rebuild redoes only what
    changed: each file's parse, each article's annotation, and the quotes, comparisons and entity and
    event pages of the articles that did not change. The annotations and pages hold only for one set
    of entities, terms and options, and are dropped when these change."""

    sources: SourceCache = field(default_factory=SourceCache)
    registry: tuple | None = None
    matcher: Matcher | None = None
    annotations: Kept = field(default_factory=Kept)
    pages: Kept = field(default_factory=Kept)

    def start(self, dossier: Dossier, settings: Settings) -> None:
        registry = (tuple(dossier.entities.values()), tuple(dossier.terms.values()), settings.term_marks)
        registry += (settings.mention_links, settings.comparison)
        if registry != self.registry:
            self.registry, self.matcher = registry, build_matcher(dossier)
            self.annotations, self.pages = Kept(), Kept()
        self.annotations.rotate()
        self.pages.rotate()


@contextmanager
def _collector_paused():
    """Loading a dossier makes objects that all live to the end of the build: the collector's full
    collections, which walk every object, would find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def page_source(title: str, body: str = "", boost: float | None = None) -> str:
    """A page's Markdown: its title as front matter (JSON is valid YAML), then the body.

    Themes print a page's title as HTML (Material's `<title>`, header and search), so a title from
    the sources is HTML-escaped here: `<script>` in a title shows as text and never runs. `boost`
    ranks the page higher in Material's search (its `search.boost` front matter).
    """
    escaped = escape(title, quote=False).replace('"', "&quot;")
    search = f"search:\n  boost: {boost}\n" if boost else ""
    return f"---\ntitle: {json.dumps(escaped, ensure_ascii=False)}\n{search}---\n\n{body}"


@dataclass
class Stub:
    """A page the dossier adds to the site: its Markdown, and whether it is listed in the navigation.

    An article's stub is its front matter only: its body is the article's own (`Build.article_markdown`),
    so that the build holds it once rather than also in the stub and in the page."""

    src_uri: str
    markdown: str
    listed: bool


class Build:
    """One build: the dossier, its problems, its annotations as articles convert, and its pages."""

    def __init__(self, root: Path, settings: Settings, *, strict: bool = False, serving: Serving | None = None):
        self.root = root
        self.settings = settings
        self.strict = strict
        self.serving = serving
        with _collector_paused():
            self.dossier, self.problems = load_dossier(root, serving.sources if serving else None)
        self.index = AnnotationIndex(self.dossier)
        self.extension = DossierExtension(self._annotator())
        self.articles: dict[str, Article] = {pages.ARTICLE.format(id=a.id): a for a in self.dossier.articles_by_date}
        self.events: dict[str, Event] = {pages.EVENT.format(id=e.id): e for e in self.dossier.events_by_date}
        self.generated: dict[str, Callable[[pages.PageRenderer], str]] = {}
        self.renderer: pages.PageRenderer | None = None
        self.search_views = False
        """Whether search is given `pages.search_view` of the dossier's pages rather than the pages."""
        self.hidden: dict[str, tuple[str, str]] = {}
        """(page, search view) of each page whose search view search is reading."""
        self.page_problems: dict[str, list[Problem]] = defaultdict(list)
        """The warnings to show at the top of each page (see `site.notice`), by page source."""
        article_pages = {article.path: src_uri for src_uri, article in self.articles.items()}
        for problem in self.problems:
            if problem.severity is Severity.WARNING:
                where = article_pages.get(problem.path) or notice.page_of(problem, root.name)
                if where is not None:
                    self.page_problems[where].append(problem)

    def _annotator(self) -> Annotator:
        """A fresh annotator; when serving, one that reuses the matcher and the annotations of the
        unchanged articles, as long as the entities, terms and options are the same."""
        entity_href = f"../{pages.ENTITY}#{pages.MENTION_ANCHOR}"
        term_marks, mention_links = self.settings.term_marks, self.settings.mention_links
        if self.serving is None:
            return Annotator(self.dossier, entity_href=entity_href, term_marks=term_marks, mention_links=mention_links)
        self.serving.start(self.dossier, self.settings)
        return Annotator(
            self.dossier,
            entity_href=entity_href,
            term_marks=term_marks,
            mention_links=mention_links,
            matcher=self.serving.matcher,
            cache=self.serving.annotations,
        )

    def stubs(self) -> Iterator[Stub]:
        """The pages to add, in the order MkDocs is to convert them: the articles, then the pages
        that list what the articles' annotation found, which can only be rendered once every
        article is annotated: the indexes and glossary, the entity pages, the event pages."""
        for src_uri, article in self.articles.items():
            yield Stub(src_uri, page_source(article.title), listed=False)
        dossier = self.dossier
        for src_uri, title, render in (
            (pages.ARTICLES_INDEX, "Articles", lambda r: r.articles_index()),
            (pages.EVENTS_INDEX, "Events", lambda r: r.events_index()),
            (pages.ENTITIES_INDEX, "Entities", lambda r: r.entities_index()),
            (pages.GLOSSARY, "Glossary", lambda r: r.glossary()),
        ):
            self.generated[src_uri] = render
            yield Stub(src_uri, page_source(title, boost=pages.search_boost(src_uri)), listed=True)
        for entity in dossier.entities.values():
            src_uri = pages.ENTITY.format(id=entity.id)
            self.generated[src_uri] = lambda r, e=entity: r.entity(e)
            yield Stub(src_uri, page_source(entity.name, boost=pages.search_boost(src_uri)), listed=False)
        for src_uri, event in self.events.items():
            self.generated[src_uri] = lambda r, e=event: r.event(e)
            yield Stub(src_uri, page_source(event.title, boost=pages.search_boost(src_uri)), listed=False)

    def article_markdown(self, src_uri: str) -> str | None:
        """The Markdown of an article's page, as MkDocs reads it after the front matter; None for any
        other page."""
        article = self.articles.get(src_uri)
        return None if article is None else article.body.lstrip("\n")

    def outputs(self) -> list[str]:
        """Every file the dossier adds to the site, for the host to refuse a clash with the docs."""
        return [*self.articles, *self.generated, DOSSIER_JSON, FTM_JSON]

    def start_site(self, url_of: Callable[[str], str]) -> None:
        """Once the host knows every page's URL: what renders the pages."""
        self.renderer = pages.PageRenderer(
            self.dossier,
            self.index,
            pages.Site(url_of),
            self.settings.comparison,
            self.serving.pages if self.serving else None,
        )

    def compare_ahead(self, workers: int) -> str | None:
        """Once every article is annotated: have `workers` processes compare the events' coverage
        while the host writes the other pages (see `analysis.ahead`). Why none could start, if so:
        then the events are compared in this process, to the same site."""
        if workers > 0 and self.dossier.events:
            renderer = self.renderer
            renderer.ahead = ComparisonsAhead(
                self.dossier, self.index.by_article, renderer.analysis.quotes, self.settings.comparison, workers
            )
            return renderer.ahead.unavailable
        return None

    def close(self) -> None:
        """Stop the workers, if any are still at work."""
        if self.renderer is not None and self.renderer.ahead is not None:
            self.renderer.ahead.close()
            self.renderer.ahead = None

    def article_page(self, article: Article, html: str, annotation: Annotation, failure: str | None) -> str:
        """The article's page around its converted body, once the extension has annotated it."""
        self.index.add(article, annotation)
        found = self.page_problems[pages.ARTICLE.format(id=article.id)]
        for note, reason in annotation.problems:
            self._warn(found, article.path, note.line, reason)
        if failure:
            self._warn(found, article.path, article.body_line, failure)
        if self.settings.sanitize:
            html = sanitize_html(html)
        return notice.notice(found) + self.renderer.article(article, html, annotation)

    def _warn(self, found: list[Problem], path: str, line: int, message: str) -> None:
        self.problems.warning(path, line, message)
        found.append(Problem(path, line or 0, message))

    def generated_page(self, src_uri: str) -> str:
        """A generated page, with the notice of its problems at the top."""
        return notice.notice(self.page_problems.get(src_uri, ())) + self.generated[src_uri](self.renderer)

    def failure(self) -> str | None:
        """Why the build is to stop, listing every problem: any error, or when strict any warning;
        None if it may go on."""
        if self.problems.errors:
            why, listed = "The dossier cannot be built", list(self.problems)
        elif self.strict:
            listed = [p for p in self.problems if p.severity is Severity.WARNING]
            why = f"The dossier has {len(listed)} problem{'s' if len(listed) != 1 else ''}, and the build is strict"
        else:
            return None
        if not listed:
            return None
        return f"{why}:\n" + "\n".join(f"  {problem}" for problem in listed)

    def variant_findings(self) -> list[str]:
        """The name-variant check's findings, to be logged as information."""
        if self.settings.variants is None:
            return []
        return [str(f) for f in find_variants(self.dossier, self.index.by_article, self.settings.variants)]

    def json_ld(self, output: str, src_uri: str, site_url: str | None) -> str:
        """An article's or an event's written page with its schema.org data; any other page as it is."""
        article, event = self.articles.get(src_uri), self.events.get(src_uri)
        if article is None and event is None:
            return output
        renderer = self.renderer
        relative = renderer.linker(src_uri)

        def link(target: str) -> str:
            return urljoin(site_url, renderer.url_of(target)) if site_url else relative(target)

        if article is not None:
            annotation = self.index.by_article.get(article.id) or Annotation()
            data = jsonld.article_data(article, self.dossier, annotation, link, self.extension.annotator.matcher)
        else:
            data = jsonld.event_data(event, self.dossier, link)
        return jsonld.add_to_head(output, jsonld.script(data))

    def export(self, site_dir: Path, site_url: str | None) -> None:
        """Write `dossier.json` and `entities.ftm.json` into the built site."""
        url_of = self.renderer.url_of

        def absolute(src_uri: str) -> str | None:
            return urljoin(site_url, url_of(src_uri)) if site_url else None

        with open(site_dir / DOSSIER_JSON, "w", encoding="utf-8") as out:
            out.writelines(dossier_json.dossier_json(self.dossier, self.index, url_of))
        with open(site_dir / FTM_JSON, "w", encoding="utf-8") as out:
            out.writelines(ftm.to_lines(ftm.ftm_entities(self.dossier, self.index, absolute)))
