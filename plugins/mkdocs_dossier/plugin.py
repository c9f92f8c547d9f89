"""The MkDocs glue: load the dossier, add its pages, annotate articles as MkDocs converts them.

All the work is done by the host-free modules; this file only maps MkDocs events onto them.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import math
import multiprocessing
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .analysis.compare import AnalysisCache
from .analysis.variants import find_variants
from .config import DossierConfig
from .exports import dossier_json, ftm, jsonld
from .site import offline, pages, parallel
from .site.parallel import Deferred, Spool
from .site.sanitize import sanitize_html, sanitize_text
from .sources.loader import SourceCache, load_dossier
from .sources.model import Annotation, Article, Dossier, Note
from .sources.problems import Problems, Severity
from .text.annotations import AnnotationIndex
from .text.extension import AnnotationCache, Annotator, DossierExtension, build_matcher
from .text.matcher import Matcher
from .timings import Timings

try:  # MkDocs' conversion of one page, for a second process to convert articles exactly as the build does
    from mkdocs.commands.build import _populate_page
except ImportError:  # a host without it converts every article in the build
    _populate_page = None

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.toc import TableOfContents

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parent / "site" / "assets"
CSS = "assets/dossier/dossier.css"
JS = "assets/dossier/dossier.js"
DOSSIER_JSON = "dossier.json"
FTM_JSON = "entities.ftm.json"
SEARCH_PLUGINS = ("material.plugins.search", "mkdocs.contrib.search")
"""Plugins known to only read `page.content` in `on_page_context` (Material's drops `data-search-*`)."""
CHUNKS = 32
"""The entity pages, and the event pages, are shared with the second process in this many chunks each."""
ARTICLES_PER_CHUNK = 8
"""The articles are converted beside the build in chunks this small: where the two processes meet, the
build converts again at most this many that the second process has converted already."""
SETTLE_EVERY = 256
"""Pages converted or rendered between two settlings of what the build has made (see `_settle`)."""
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")
"""The events MkDocs sends while it converts a page."""
TIMINGS_ENV = "MKDOCS_DOSSIER_TIMINGS"
"""Set to a file path to have each build write the seconds the plugin spent by stage there, as JSON."""


def report(problems: Problems) -> None:
    """Log every problem, sorted by file and line; stop the build with all of them if any is an error."""
    if problems.errors:
        listing = "\n".join(f"  {problem}" for problem in problems)
        raise PluginError(f"The dossier cannot be built:\n{listing}")
    for problem in problems:
        if problem.severity is Severity.INFO:
            log.info(str(problem))
        else:
            log.warning(str(problem))


def _page_source(title: str, body: str = "", boost: float | None = None) -> str:
    """A generated page's Markdown: its title as front matter (JSON is valid YAML), then the body.

    Themes print a page's title as HTML (Material's `<title>`, header and search), so a title from
    the sources is HTML-escaped here: `<script>` in a title shows as text and never runs. `boost`
    ranks the page higher in Material's search (its `search.boost` front matter).
    """
    escaped = escape(title, quote=False).replace('"', "&quot;")
    search = f"search:\n  boost: {boost}\n" if boost else ""
    return f"---\ntitle: {json.dumps(escaped, ensure_ascii=False)}\n{search}---\n\n{body}"


def _links_by_src_uri(page: Page) -> dict[str, dict[str, str]] | None:
    """The page's links to other pages' anchors, which MkDocs checks at the end of the build, by the
    pages' `src_uri` rather than their `File`, which each build makes anew."""
    if page.links_to_anchors is None:
        return None
    return {file.src_uri: links for file, links in page.links_to_anchors.items()}


def _chunks(items: list, count: int) -> list[list]:
    """`items` in at most `count` runs of about the same length."""
    return _runs(items, max(1, math.ceil(len(items) / count)))


def _runs(items: list, size: int) -> list[list]:
    """`items` in runs of `size`, the last one shorter if need be."""
    return [items[start : start + size] for start in range(0, len(items), size)]


def _in_temporary_file(make):
    """`make()`, which opens a temporary file; the reason and the remedy if it cannot."""
    try:
        return make()
    except OSError as error:
        raise PluginError(
            "The dossier's pages go through a temporary file, which cannot be made "
            f"({error}); set TMPDIR to a folder that can be written"
        ) from error


def _sanitize_toc(items) -> None:
    """Headings' entries in the page's table of contents, which themes print as HTML."""
    for item in items:
        item.title = sanitize_text(item.title)
        _sanitize_toc(item.children)


@contextmanager
def _collector_paused():
    """Loading a dossier makes objects that all live to the end of the build: the collector's full
    collections, which walk every object, would find nothing to free (at 5,000 articles, ten of them
    took 0.7 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _converts_alone(plugin: DossierPlugin, config: MkDocsConfig) -> bool:
    """Whether no other plugin (nor hook) is at work on pages while MkDocs converts them, so that a
    second process converts an article exactly as the build would."""
    return _populate_page is not None and all(
        getattr(handler, "__self__", None) is plugin
        for event in PAGE_EVENTS
        for handler in config.plugins.events[event]
    )


@dataclass
class Converted:
    """What the build keeps of an article that MkDocs converted elsewhere: in the second process, or
    in the last build of `mkdocs serve`."""

    content: str
    """The article's page; for one kept from the last build, the converted article alone, as the
    page that shows it also lists the other coverage of its events, which other articles may change."""
    view: str | None
    """Its search view (see `_show_search_view`), when search is to be given one."""
    toc: TableOfContents
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]] | None
    """The links to other pages' anchors, which MkDocs checks at the end of the build, by page."""
    annotation: Annotation
    problems: Problems
    logs: list[tuple[str, int, str]]
    """What was logged meanwhile (logger, level, message), logged again by the build in its place."""

    @classmethod
    def of(
        cls, page: Page, content: str, view: str | None, annotation: Annotation, problems: Problems, logs: list
    ) -> Converted:
        """What MkDocs left on `page` after converting it (what `_restore` puts back), with the rest."""
        return cls(
            content=content,
            view=view,
            toc=page.toc,
            title=page._title_from_render,
            anchors=page.present_anchor_ids,
            links=_links_by_src_uri(page),
            annotation=annotation,
            problems=problems,
            logs=logs,
        )


class _NotesByPlace(pickle.Pickler):
    """Pickles an article's notes as their places in the dossier, for `_unpickle` to give back the
    build's own: the pages and exports tell notes apart by identity, as two can be alike."""

    def __init__(self, file, articles: list[Article]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.places = {id(note): (a.id, i) for a in articles for i, note in enumerate(a.notes)}

    def persistent_id(self, obj):
        return self.places.get(id(obj)) if isinstance(obj, Note) else None


def _pickle(value, articles: list[Article]) -> bytes:
    data = io.BytesIO()
    _NotesByPlace(data, articles).dump(value)
    return data.getvalue()


def _unpickle(data: bytes, dossier: Dossier):
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda place: dossier.articles[place[0]].notes[place[1]]
    return unpickler.load()


class _LogCapture(logging.Handler):
    """In the second process: keeps what is logged, for the build to log (and count) it in its turn."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []
        self.last: logging.LogRecord | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record is not self.last:  # Attached (`listen`), it may see a record twice, as it propagates.
            self.last = record
            self.records.append((record.name, record.levelno, record.getMessage()))

    def install(self) -> None:
        mkdocs_logger = logging.getLogger("mkdocs")
        mkdocs_logger.handlers, mkdocs_logger.propagate = [self], False
        logging.getLogger().handlers = [self]

    def listen(self) -> None:
        """Keep what is logged from now on, while it is logged as usual."""
        for logger in (logging.getLogger("mkdocs"), logging.getLogger()):
            logger.addHandler(self)

    def stop(self) -> list[tuple[str, int, str]]:
        """Stop listening; what was logged meanwhile."""
        for logger in (logging.getLogger("mkdocs"), logging.getLogger()):
            logger.removeHandler(self)
        return self.records


def _only_search_reads_pages(plugin: DossierPlugin, config: MkDocsConfig) -> bool:
    """Whether every other plugin that sees pages in `on_page_context` is a search index."""
    handlers = config.plugins.events.get("page_context", [])
    owners = [getattr(handler, "__self__", None) for handler in handlers]
    return all(owner is plugin or type(owner).__module__.startswith(SEARCH_PLUGINS) for owner in owners)


class DossierPlugin(BasePlugin[DossierConfig]):
    def __init__(self) -> None:
        self.timings = Timings(enabled=bool(os.environ.get(TIMINGS_ENV)))
        self.serving = False
        self.sources = SourceCache()
        self.registry: tuple | None = None
        self.matcher: Matcher | None = None
        self.annotations = AnnotationCache()
        self.conversions = AnnotationCache()
        """When serving: (article, `_conversion_setting`, `Converted`, where `annotations` holds its
        annotation) by article id, from the last build."""
        self.listening: tuple[_LogCapture, int] | None = None
        """While an article being kept for the next build converts: what it logs, and the number of
        problems before it."""
        self.analyses: AnalysisCache | None = None
        self.rendered: pages.RenderedPages | None = None
        self.deferred: Deferred | None = None
        """The second process that renders generated pages, from `on_env` to the end of the build."""
        self.converting: Deferred | None = None
        """The second process that converts articles, from `on_nav` to `on_env`."""
        self.spool: Spool | None = None
        self.pages_since_settled = 0
        self.pending: dict[str, Page] = {}
        """The generated pages not rendered yet: each is rendered when MkDocs comes to write it."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this event keeps the plugin, and so its caches, across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.timings.reset()
        parallel.thaw()  # What the last build in this process left frozen (see `_settle`).
        with self.timings.stage("load"):
            self.root = Path(config.config_file_path or ".").parent / self.config.dossier_dir
            with _collector_paused():
                dossier, problems = load_dossier(self.root, self.sources if self.serving else None)
                if problems.errors:
                    report(problems)
                # The rest are reported in `on_env`, sorted together with the notes' problems found meanwhile.
                self.problems = problems
                self.dossier: Dossier = dossier
                self.extension = DossierExtension(self._annotator(dossier))
                self.extension.timings = self.timings
            if len(dossier.articles) + len(dossier.entities) + len(dossier.events) >= SETTLE_EVERY:
                self._settle()  # A dossier this big makes the collector walk it many times.
        config.markdown_extensions.append(self.extension)
        self.search_views = _only_search_reads_pages(self, config)
        config.extra_css.append(CSS)
        config.extra_javascript.append(JS)
        if self.config.offline:
            self._configure_offline(config)
        log.info(
            f"{len(dossier.articles)} articles, {len(dossier.entities)} entities, "
            f"{len(dossier.terms)} terms, {len(dossier.events)} events"
        )
        return config

    def _configure_offline(self, config: MkDocsConfig) -> None:
        # Links must name `.html` files: a folder URL opens a directory listing from `file://`.
        config.use_directory_urls = False
        config.extra["polyfills"] = offline.local_polyfills(config.extra.get("polyfills", []))
        loaded = {
            "extra_css": config.extra_css,
            "extra_javascript": config.extra_javascript,
            "extra.polyfills": config.extra["polyfills"],
        }
        for setting, url in offline.remote_resources(loaded):
            log.warning(f"mkdocs.yml: {setting} loads {url} from the network, which an offline reader does not have")
        if config.theme.name == "material" and config.theme.get("font") is not False:
            log.warning("mkdocs.yml: theme.font loads web fonts from the network; set 'font: false' to read offline")

    def _annotator(self, dossier: Dossier) -> Annotator:
        """A fresh annotator; when serving, one that reuses the matcher and the annotations of the
        unchanged articles, as long as the entities, terms and options are the same."""
        entity_href = f"../{pages.ENTITY}#{pages.MENTION_ANCHOR}"
        if not self.serving:
            return Annotator(
                dossier,
                entity_href=entity_href,
                term_marks=self.config.term_marks,
                mention_links=self.config.mention_links,
            )
        registry = (
            tuple(dossier.entities.values()),
            tuple(dossier.terms.values()),
            self.config.term_marks,
            self.config.mention_links,
            self.config.comparison.options(),
        )
        if registry != self.registry:
            self.registry, self.matcher, self.annotations = registry, build_matcher(dossier), AnnotationCache()
            self.conversions = AnnotationCache()
            self.analyses = AnalysisCache()
            if self.rendered is not None:
                self.rendered.close()
            self.rendered = _in_temporary_file(pages.RenderedPages)
        self.annotations.rotate()
        self.conversions.rotate()
        self.analyses.rotate()
        _in_temporary_file(self.rendered.rotate)
        return Annotator(
            dossier,
            entity_href=entity_href,
            term_marks=self.config.term_marks,
            mention_links=self.config.mention_links,
            matcher=self.matcher,
            cache=self.annotations,
        )

    def on_shutdown(self) -> None:
        if self.rendered is not None:
            self.rendered.close()
            self.rendered = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer | None:
        if self.config.enabled:
            server.watch(str(self.root))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        with self.timings.stage("write"):
            return self._add_files(files, config)

    def _add_files(self, files: Files, config: MkDocsConfig) -> Files:
        dossier = self.dossier
        self.index = AnnotationIndex(dossier)
        self.articles: dict[str, Article] = {}
        self.generated: dict[str, tuple[str, object]] = {}
        self.hidden: dict[str, tuple[str, str]] = {}
        hidden = InclusionLevel.NOT_IN_NAV
        wanted: list[tuple[str, str, InclusionLevel]] = []
        # MkDocs converts the pages in this order: first the generated pages' stubs, which only the build
        # can convert, while a second process starts on the articles (see `on_nav`); `on_env` puts the
        # generated pages after the articles, for MkDocs to write them last.
        for src_uri, title, render, inclusion in self._generated_pages():
            self.generated[src_uri] = render
            wanted.append((src_uri, _page_source(title, boost=pages.search_boost(src_uri)), inclusion))
        for article in dossier.articles_by_date:
            src_uri = pages.ARTICLE.format(id=article.id)
            self.articles[src_uri] = article
            wanted.append((src_uri, _page_source(article.title, article.body), hidden))
        self.events = {pages.EVENT.format(id=event.id): event for event in dossier.events.values()}
        self.entity_pages = {pages.ENTITY.format(id=entity_id) for entity_id in dossier.entities}
        outputs = [src_uri for src_uri, _, _ in wanted] + [DOSSIER_JSON, FTM_JSON]
        clashes = [src_uri for src_uri in outputs if files.get_file_from_path(src_uri) is not None]
        if clashes:
            raise PluginError(
                "These files in the docs folder would be replaced by what the dossier generates; "
                f"rename or move them: {', '.join(sorted(clashes))}"
            )
        for src_uri, content, inclusion in wanted:
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
        files.append(File.generated(config, CSS, abs_src_path=str(ASSETS / "dossier.css")))
        files.append(File.generated(config, JS, abs_src_path=str(ASSETS / "dossier.js")))
        if self.config.offline:
            files.append(File.generated(config, offline.WORKER_SHIM, abs_src_path=str(ASSETS / "iframe-worker.js")))
        self.renderer = pages.PageRenderer(
            dossier,
            self.index,
            pages.Site(lambda src_uri: files.src_uris[src_uri].url),
            self.config.comparison.options(),
            self.analyses if self.serving else None,
            self.rendered if self.serving else None,
        )
        return files

    def _generated_pages(self):
        """(src_uri, title, how to render it, inclusion) of every page besides the articles."""
        dossier, hidden, listed = self.dossier, InclusionLevel.NOT_IN_NAV, InclusionLevel.UNDEFINED
        yield pages.ARTICLES_INDEX, "Articles", lambda r: r.articles_index(), listed
        yield pages.EVENTS_INDEX, "Events", lambda r: r.events_index(), listed
        yield pages.ENTITIES_INDEX, "Entities", lambda r: r.entities_index(), listed
        yield pages.GLOSSARY, "Glossary", lambda r: r.glossary(), listed
        for entity in dossier.entities.values():
            yield pages.ENTITY.format(id=entity.id), entity.name, lambda r, e=entity: r.entity(e), hidden
        # Entity pages, then event pages: MkDocs writes them in this order, which `on_env` shares out.
        for event in dossier.events_by_date:
            yield pages.EVENT.format(id=event.id), event.title, lambda r, e=event: r.event(e), hidden

    # Last, once the navigation is final; MkDocs converts the pages next, in the order of `files`. When
    # no other plugin is at work on pages meanwhile, a second process converts the articles (see
    # `parallel`), in chunks from the last, while the build converts them from the first, until the two
    # meet: the build takes each article the second process has sent as if it had converted it itself.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled:
            return None
        self._close_deferred()
        self.spool = spool = _in_temporary_file(Spool)
        self.views: dict[str, tuple[str, str]] = {}
        """(content, search view) of the pages worked out in a second process, until search reads them."""
        self.taken: tuple[Converted, str, bool] | None = None
        """An article converted elsewhere, its Markdown, and whether it was kept from the last build."""
        self.conversion_setting = None
        if self.serving and _converts_alone(self, config):
            self.conversion_setting = self._conversion_setting(config, files)
        if self.config.parallel and not self.serving and _converts_alone(self, config):
            order = [file.src_uri for file in files.documentation_pages() if file.src_uri in self.articles]
            chunks = _runs(order, ARTICLES_PER_CHUNK)
            self.article_chunk = {src_uri: number for number, chunk in enumerate(chunks) for src_uri in chunk}
            self.articles_claimed = claimed = multiprocessing.RawValue("i", 0)
            self.converted_chunks: dict[int, tuple[int, int]] = {}
            self.unpacked: tuple[int, dict[str, Converted]] = (-1, {})
            self.converted_beside = 0
            self.converting_plugin_cpu = 0.0
            """The plugin's own processor time in the second process, MkDocs' conversion left out."""
            self.converting = Deferred(lambda: self._convert_beside(chunks, claimed, spool, config, files))
            with self.timings.stage("generate"):
                self.converting.start()
        return nav

    def _conversion_setting(self, config: MkDocsConfig, files: Files) -> tuple:
        """What converting an article depends on besides the article and the entities, terms and
        options (see `_annotator`): the Markdown extensions and their settings, how links are checked,
        whether the HTML is sanitized, and every file's URL, since links resolve to them."""
        return (
            tuple(str(extension) for extension in config.markdown_extensions if extension is not self.extension),
            repr(config.mdx_configs),
            repr(config.validation),
            self.config.sanitize,
            tuple((file.src_uri, file.url) for file in files),
        )

    def _convert_beside(self, chunks: list[list[str]], claimed, spool: Spool, config: MkDocsConfig, files: Files):
        """The second process's work while MkDocs converts the pages: the chunks of articles from the
        last, until one the build has come to, each article converted as MkDocs converts it; each chunk
        is a number, where in `spool` its `Converted` articles lie, and the plugin's own processor time
        so far in this process."""
        self.converting = None  # This process converts every article it is given.
        capture = _LogCapture()
        capture.install()
        before = self.timings.total_cpu()
        for number in reversed(range(len(chunks))):
            if number < claimed.value:
                break
            converted = {
                src_uri: self._convert_here(files.src_uris[src_uri], capture, config, files)
                for src_uri in chunks[number]
            }
            with self.timings.stage("write"):
                articles = [self.articles[src_uri] for src_uri in chunks[number]]
                where = spool.write_bytes(_pickle(converted, articles))
            yield number, where, self.timings.total_cpu() - before

    def _convert_here(self, file: File, capture: _LogCapture, config: MkDocsConfig, files: Files) -> Converted:
        if file.page is None:
            Page(None, file, config)
        page = file.page
        known = len(self.problems)
        capture.records = []
        _populate_page(page, config, files)
        with self.timings.stage("write"):
            view = self._search_view(page.content)
        annotation = self.index.by_article[self.articles[file.src_uri].id]
        return Converted.of(page, page.content, view, annotation, self.problems.since(known), capture.records)

    def _converted_beside(self, src_uri: str) -> Converted | None:
        """The article as the second process converted it, if it has sent it; else the build is to
        convert it, and the second process stops before the article's chunk."""
        number = self.article_chunk[src_uri]
        claimed = self.articles_claimed
        claimed.value = max(claimed.value, number + 1)
        if number not in self.converted_chunks:
            self._receive_articles()
        if self.unpacked[0] != number:
            where = self.converted_chunks.get(number)
            if where is None:
                return None
            self.unpacked = (number, _unpickle(self.spool.read_bytes(where), self.dossier))
        return self.unpacked[1].pop(src_uri, None)

    def _receive_articles(self) -> None:
        """Note where each chunk the second process has sent lies. If it fails, `Deferred` drops what
        it sent, but the chunks noted stay good: each was written whole before it was sent."""
        for number, where, plugin_cpu in self.converting.news():
            self.converted_chunks[number] = where
            self.converting_plugin_cpu = plugin_cpu

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        article = self.articles.get(page.file.src_uri)
        converted, kept = None, False
        if article is not None and self.converting is not None:
            with self.timings.stage("generate"):
                converted = self._converted_beside(page.file.src_uri)
        elif article is not None and self.conversion_setting is not None:
            converted = self._kept_conversion(article)
            kept = converted is not None
        self.extension.article = article
        self.extension.active = article is not None and converted is None
        if converted is not None:
            # MkDocs converts nothing; `on_page_content` puts the article in place.
            self.taken = (converted, markdown, kept)
            return ""
        return markdown

    def _kept_conversion(self, article: Article) -> Converted | None:
        """The article as the last build of `mkdocs serve` converted it, if it and all that its
        conversion depends on are unchanged; else it is to be converted, and kept for the next build,
        from what it logs meanwhile."""
        hit = self.conversions.get(article.id)
        if hit is not None and hit[0] is article and hit[1] == self.conversion_setting:
            _, _, converted, annotation_key = hit
            # Kept too, for a build that has to convert the article again (a new file changes every link).
            self.annotations.get(annotation_key)
            return converted
        self._stop_listening()
        capture = _LogCapture()
        capture.listen()
        self.listening = (capture, len(self.problems))
        return None

    def _stop_listening(self) -> tuple[list[tuple[str, int, str]], Problems] | None:
        """What was logged, and the problems found, since `_kept_conversion` began listening; None if it
        was not."""
        if self.listening is None:
            return None
        capture, known = self.listening
        self.listening = None
        return capture.stop(), self.problems.since(known)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        self._count_page()
        article = self.articles.get(page.file.src_uri)
        if article is None:
            return html
        if self.taken is not None:
            converted, page.markdown, kept = self.taken
            self.taken = None
            with self.timings.stage("generate"):
                if kept:
                    self._restore(converted, article, page, files)
                    return self.renderer.article(article, converted.content, converted.annotation)
                return self._take(converted, article, page, files)
        with self.timings.stage("generate"):
            annotation = self.extension.result
            self.index.add(article, annotation)
            for note, reason in annotation.problems:
                self.problems.warning(article.path, note.line, reason)
            if self.extension.failure:
                self.problems.warning(article.path, article.body_line, self.extension.failure)
            if self.config.sanitize:
                html = sanitize_html(html)
                _sanitize_toc(page.toc)
            heard = self._stop_listening()
            if heard is not None:
                logs, problems = heard
                converted = Converted.of(page, html, None, annotation, problems, logs)
                key = self.extension.cache_key
                self.conversions.put(article.id, (article, self.conversion_setting, converted, key))
            return self.renderer.article(article, html, annotation)

    def _restore(self, converted: Converted, article: Article, page: Page, files: Files) -> None:
        """Leave the page, the index, the problems and the log as converting the article here would."""
        page.toc, page._title_from_render, page.present_anchor_ids = converted.toc, converted.title, converted.anchors
        if converted.links is not None:
            page.links_to_anchors = {files.src_uris[src_uri]: links for src_uri, links in converted.links.items()}
        self.index.add(article, converted.annotation)
        self.problems.extend(converted.problems)
        for name, level, message in converted.logs:
            logging.getLogger(name).log(level, message)

    def _take(self, converted: Converted, article: Article, page: Page, files: Files) -> str:
        """What MkDocs and `on_page_content` would have left after converting the article here."""
        self._restore(converted, article, page, files)
        if converted.view is not None:
            self.views[page.file.src_uri] = (converted.content, converted.view)
        self.converted_beside += 1
        return converted.content

    # Late, after other plugins' `on_env`: every article has been converted by now, so the pages that
    # list mentions can be written. MkDocs converted the generated pages' stubs first (see `_add_files`);
    # they are moved after the articles here, for MkDocs to write them last, in the same order. Each
    # generated page is put in place when MkDocs comes to write it, and let go once written, so that
    # they are never all in memory. The entity and event pages, which
    # gather the whole dossier and are most of the plugin's work, are shared with a second process
    # (see `parallel`): MkDocs writes them in order, entities then events, after the articles and the
    # index pages; the build renders each one the second process has not sent, in chunks from the
    # first, while the second process renders them in chunks from the last, until the two meet.
    @event_priority(-50)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        if self.converting is not None:
            self._receive_articles()
            self.converting.close()
            if self.converting.forked:
                self.timings.add_background(
                    self.converting.seconds,
                    self.converting.cpu,
                    plugin_cpu=self.converting_plugin_cpu,
                    articles=self.converted_beside,
                )
            self.converting = None
        report(self.problems)
        with self.timings.stage("generate"):
            for src_uri in self.generated:
                file = files.src_uris[src_uri]
                files.remove(file)
                files.append(file)
            self.pending = {src_uri: files.src_uris[src_uri].page for src_uri in self.generated}
            chunks = [
                *_chunks([src_uri for src_uri in self.generated if src_uri in self.entity_pages], CHUNKS),
                *_chunks([src_uri for src_uri in self.generated if src_uri in self.events], CHUNKS),
            ]
            self.chunk_of = {src_uri: number for number, chunk in enumerate(chunks) for src_uri in chunk}
            indexes = [src_uri for src_uri in self.generated if src_uri not in self.chunk_of]
            self.claimed = multiprocessing.RawValue("i", 0)
            """How many chunks the build has come to: the second process stops before them."""
            spool = self.spool
            self.spooled: dict[tuple[int, int], dict] = {}
            self.gathered_chunks: dict[int, tuple[int, int]] = {}
            """Where in the spool the list of each chunk's pages lies, for the chunks the second process sent."""
            self.deferred = Deferred(lambda: self._gather(indexes, chunks, self.claimed, spool, config))
            self.deferred.start(fork=self.config.parallel and not self.serving)
        return env

    def _gather(self, indexes: list[str], chunks: list[list[str]], claimed, spool: Spool, config: MkDocsConfig):
        """The second process's work, each part a tag and where in `spool` its data lies: the index
        pages and the glossary, which MkDocs writes first; the chunks of entity and event pages, from
        the last, until one the build has come to; the name-variant check's findings, which the build
        needs at its end; and `dossier.json` and `entities.ftm.json` are written, which nothing reads
        before the build ends."""
        yield ("pages", self._spool_pages(indexes, spool))
        for number in reversed(range(len(chunks))):
            if number < claimed.value:
                break
            yield ("chunk", number, self._spool_pages(chunks[number], spool))
        findings = []
        if self.config.name_variants.enabled:
            options = self.config.name_variants.options()
            findings = [str(finding) for finding in find_variants(self.dossier, self.index.by_article, options)]
        yield ("findings", spool.write(json.dumps(findings)))
        self._export(config)

    def _spool_pages(self, src_uris: list[str], spool: Spool) -> tuple[int, int]:
        """Render these pages into `spool`, with what the build would work out from each (its search
        view, its element ids); where the list of their places lies."""
        places = {}
        for src_uri in src_uris:
            self._count_page()
            content = self.generated[src_uri](self.renderer)
            view = self._search_view(content)
            places[src_uri] = (
                spool.write(content),
                None if view is None else spool.write(view),
                spool.write(json.dumps(sorted(pages.element_ids(content)))),
            )
        return spool.write(json.dumps(places))

    def _places(self, where: tuple[int, int]) -> dict:
        found = self.spooled.get(where)
        if found is None:
            found = self.spooled[where] = json.loads(self.spool.read(where))
        return found

    def _fill(self, page: Page) -> None:
        """Render a generated page, or take it from the spool."""
        src_uri = page.file.src_uri
        with self.timings.stage("generate"):
            number = self.chunk_of.get(src_uri)
            if number is None:
                place = self._places(self.deferred.part(0)[1])[src_uri]
            else:
                self.claimed.value = max(self.claimed.value, number + 1)
                self.gathered_chunks.update((part[1], part[2]) for part in self.deferred.news() if part[0] == "chunk")
                where = self.gathered_chunks.get(number)
                place = None if where is None else self._places(where)[src_uri]
            if place is None:
                page.content = self.generated[src_uri](self.renderer)
                ids = pages.element_ids(page.content)
            else:
                content_at, view_at, ids_at = place
                page.content = self.spool.read(content_at)
                if self.search_views:
                    self.views[src_uri] = (page.content, self.spool.read(view_at) if view_at else None)
                ids = set(json.loads(self.spool.read(ids_at)))
        # MkDocs checks links to anchors against the ids it saw when it converted the page's stub.
        page.present_anchor_ids = ids
        # The theme's table of contents, from the headings of the page as rendered.
        page.toc = get_toc(pages.toc_tokens(page.content))

    def _close_deferred(self) -> None:
        """Stop the second processes of the last build, if any still runs, and drop its spool. The
        objects frozen for them stay frozen (see `_settle`)."""
        for deferred in (self.converting, self.deferred):
            if deferred is not None:
                deferred.close()
        self.converting = self.deferred = None
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_listening()
        self._close_deferred()
        parallel.thaw()

    def _count_page(self) -> None:
        self.pages_since_settled += 1
        if self.pages_since_settled >= SETTLE_EVERY:
            with self.timings.stage("generate"):  # The plugin's doing, so its time.
                self._settle()

    def _settle(self) -> None:
        """Free the garbage made since the last settling, and put what is left out of the collector's
        sight (`gc.freeze`) until the next build.

        Nearly everything a build makes lives to its end (the dossier, the pages, their annotations),
        so each of the collector's full collections walks more objects than the last, for little to
        free: at 5,000 articles they took 4.7 s of the build. Settled every few hundred pages, each
        object is walked about once. The objects are given back at the start of the next build in the
        same process (`on_config`), not at the end of this one (see `parallel.freeze`): in `mkdocs
        serve`, the first collection of a rebuild then frees what the last build left, as it would
        have without freezing (in the first build of the 1,000-article benchmark, the full
        collections took 1.0 s rather than 2.1 s).
        """
        self.pages_since_settled = 0
        parallel.freeze()

    # First, so that every other plugin sees the generated page's content.
    @event_priority(110)
    def _fill_page(self, context, *, page: Page, config: MkDocsConfig, nav):
        if not self.config.enabled:
            return context
        self._count_page()
        if self.pending.pop(page.file.src_uri, None) is not None:
            self._fill(page)
        return context

    # Search plugins parse `page.content` tag by tag in `on_page_context`. The marks add no text, and
    # lists that repeat other pages add nothing to find, so search is given `pages.search_view` of a
    # dossier page, and the page itself is put back as soon as search has read it.
    @event_priority(100)
    def _show_search_view(self, context, *, page: Page, config: MkDocsConfig, nav):
        if not self.config.enabled or not self.search_views:
            return context
        src_uri = page.file.src_uri
        if src_uri in self.articles or src_uri in self.generated:
            with self.timings.stage("write"):
                content, view = self.views.pop(src_uri, (None, None))
                if content is not page.content:
                    view = self._search_view(page.content)
                if view is not None:
                    self.hidden[src_uri] = (page.content, view)
                    page.content = view
        return context

    def _search_view(self, content: str) -> str | None:
        """What search is to read of a dossier page, worked out wherever the page is (here, or in a
        second process); None where search reads the page itself: when another plugin reads pages
        too, when the page marks what search indexes (Material's `data-search-*`), or when the view
        is the page."""
        if not self.search_views or "data-search-" in content:
            return None
        view = pages.search_view(content)
        return None if view is content else view

    @event_priority(-100)
    def _show_page(self, context, *, page: Page, config: MkDocsConfig, nav):
        if not self.config.enabled or not self.search_views:
            return context
        full, view = self.hidden.pop(page.file.src_uri, (None, None))
        if full is not None and page.content is view:
            page.content = full
        return context

    on_page_context = CombinedEvent(_fill_page, _show_search_view, _show_page)

    def _write_json_ld(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        src_uri = page.file.src_uri
        article, event = self.articles.get(src_uri), self.events.get(src_uri)
        if article is None and event is None:
            return output
        with self.timings.stage("write"):
            return self._add_json_ld(output, src_uri, article, event, config)

    # Last, once every plugin has seen the page: a generated page is rendered again at the next build.
    @event_priority(-100)
    def _let_go(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.config.enabled and page.file.src_uri in self.generated:
            page.content = None
        return output

    on_post_page = CombinedEvent(_write_json_ld, _let_go)

    def _add_json_ld(self, output: str, src_uri: str, article: Article | None, event, config: MkDocsConfig) -> str:
        def link(target: str) -> str:
            url = self.renderer.site.url_of(target)
            return urljoin(config.site_url, url) if config.site_url else self.renderer.link(target, src_uri)

        if article is not None:
            annotation = self.index.by_article.get(article.id) or Annotation()
            data = jsonld.article_data(article, self.dossier, annotation, link, self.extension.annotator.matcher)
        else:
            data = jsonld.event_data(event, self.dossier, link)
        return jsonld.add_to_head(output, jsonld.script(data))

    def _collect_beside(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        self.pending = {}
        with self.timings.stage("write"):
            parts = self.deferred.finish()
        where = next(part[1] for part in parts if part[0] == "findings")
        for finding in json.loads(self.spool.read(where)):
            log.info(finding)
        if self.deferred.forked:
            shared = sum(len(self._places(part[2])) for part in parts if part[0] == "chunk")
            self.timings.add_background(self.deferred.seconds, self.deferred.cpu, pages=shared)
        self._close_deferred()
        if self.timings.enabled:
            log.debug(f"time by stage: {self.timings.as_dict()}")
            target = os.environ.get(TIMINGS_ENV)
            if target:
                Path(target).write_text(json.dumps(self.timings.as_dict(), indent=1), encoding="utf-8")

    def _export(self, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        url_of = self.renderer.site.url_of

        def absolute(src_uri: str) -> str | None:
            return urljoin(config.site_url, url_of(src_uri)) if config.site_url else None

        data = dossier_json.dossier_data(self.dossier, self.index, url_of)
        (site / DOSSIER_JSON).write_text(dossier_json.to_json(data), encoding="utf-8")
        (site / FTM_JSON).write_text(
            ftm.to_lines(ftm.ftm_entities(self.dossier, self.index, absolute)), encoding="utf-8"
        )

    # After the search plugin has written its index (Material's `offline` plugin runs at -100 too).
    @event_priority(-100)
    def _write_search_script(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or not self.config.offline:
            return
        offline.write_search_script(Path(config.site_dir))

    on_post_build = CombinedEvent(_collect_beside, _write_search_script)
