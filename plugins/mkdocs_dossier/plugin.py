"""The MkDocs glue: load the dossier, add its pages, annotate articles as MkDocs converts them.

All the work is done by `build.Build` and the host-free modules under it; this file only maps
MkDocs' events, through its public plugin API, onto them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .analysis.ahead import worker_count
from .build import Build, Serving, Settings
from .config import DossierConfig
from .site import offline, pages
from .site.sanitize import sanitize_text
from .sources.problems import Severity

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parent / "site" / "assets"
CSS = "assets/dossier/dossier.css"
JS = "assets/dossier/dossier.js"
OFF = (
    "the plugin is off (enabled: false): the dossier's pages (articles/, entities/, events/, glossary.md) "
    "are not made, so MkDocs reports each nav entry and link to one as not found"
)
"""Said when the plugin is off, before MkDocs warns of what names the pages this build does not make."""
SEARCH_PLUGINS = ("material.plugins.search", "mkdocs.contrib.search")
"""Plugins known to only read `page.content` in `on_page_context` (Material's drops `data-search-*`)."""


def _sanitize_toc(items) -> None:
    """Headings' entries in the page's table of contents, which themes print as HTML."""
    for item in items:
        item.title = sanitize_text(item.title)
        _sanitize_toc(item.children)


def _only_search_reads_pages(plugin: DossierPlugin, config: MkDocsConfig) -> bool:
    """Whether every other plugin (or hook) that has a say in `on_page_context` is a search index."""
    for other in config.plugins.values():
        if other is plugin or getattr(other, "on_page_context", None) is None:
            continue
        if not type(other).__module__.startswith(SEARCH_PLUGINS):
            return False
    return True


class DossierPlugin(BasePlugin[DossierConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.kept = Serving()
        """What `mkdocs serve` keeps from one build to the next."""
        self.build: Build | None = None
        """The build under way; None when the plugin is off."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this event keeps the plugin, and so what it keeps, across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.build = None
        if not self.config.enabled:
            log.info(OFF)
            return None
        settings = Settings(
            term_marks=self.config.term_marks,
            mention_links=self.config.mention_links,
            sanitize=self.config.sanitize,
            comparison=self.config.comparison.options(),
            variants=self.config.name_variants.options() if self.config.name_variants.enabled else None,
        )
        root = Path(config.config_file_path or ".").parent / self.config.dossier_dir
        serving = self.kept if self.serving else None
        self.build = build = Build(root, settings, strict=bool(config.strict), serving=serving)
        if build.problems.errors:
            raise PluginError(build.failure())
        config.markdown_extensions.append(build.extension)
        build.search_views = _only_search_reads_pages(self, config)
        config.extra_css.append(CSS)
        config.extra_javascript.append(JS)
        if self.config.offline:
            self._configure_offline(config)
        log.info(build.dossier.contents())
        return config

    def _configure_offline(self, config: MkDocsConfig) -> None:
        # Links must name `.html` files: a folder URL opens a directory listing from `file://`.
        config.use_directory_urls = False
        config.extra["polyfills"] = offline.local_polyfills(config.extra.get("polyfills", []))
        for message in offline.network_loads(config):
            self.build.problems.warning("mkdocs.yml", None, message)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer | None:
        if self.build is not None:
            server.watch(str(self.build.root))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        build = self.build
        if build is None:
            return None
        stubs = list(build.stubs())
        clashes = [src_uri for src_uri in build.outputs() if files.get_file_from_path(src_uri) is not None]
        if clashes:
            raise PluginError(
                "These files in the docs folder would be replaced by what the dossier generates; "
                f"rename or move them: {', '.join(sorted(clashes))}"
            )
        # MkDocs converts the pages in this order: the articles before the pages that list them.
        for stub in stubs:
            inclusion = InclusionLevel.UNDEFINED if stub.listed else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, stub.src_uri, content=stub.markdown, inclusion=inclusion))
        files.append(File.generated(config, CSS, abs_src_path=str(ASSETS / "dossier.css")))
        files.append(File.generated(config, JS, abs_src_path=str(ASSETS / "dossier.js")))
        if self.config.offline:
            files.append(File.generated(config, offline.WORKER_SHIM, abs_src_path=str(ASSETS / "iframe-worker.js")))
        build.start_site(lambda src_uri: files.src_uris[src_uri].url)
        return files

    # First, so that every other plugin sees an article's body, which its stub leaves out.
    @event_priority(110)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.build is None:
            return None
        extension = self.build.extension
        extension.article = self.build.articles.get(page.file.src_uri)
        extension.active = extension.article is not None
        return markdown if extension.article is None else self.build.article_markdown(page.file.src_uri)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        build = self.build
        article = build.articles.get(page.file.src_uri) if build is not None else None
        if article is None:
            return None
        if self.config.sanitize:
            _sanitize_toc(page.toc)
        extension = build.extension
        return build.article_page(article, html, extension.result, extension.failure)

    # Late, after other plugins' `on_env`: every article has been converted by now.
    @event_priority(-50)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        build = self.build
        if build is None:
            return None
        for problem in build.problems:
            (log.info if problem.severity is Severity.INFO else log.warning)(str(problem))
        if self.config.parallel and not self.serving:
            unavailable = build.compare_ahead(worker_count())
            if unavailable:
                log.info(f"Comparing the events in this process: no worker process could start ({unavailable})")
        return env

    # First, so that every other plugin sees the generated page's content: each is rendered when
    # MkDocs comes to write it, and let go once written (`_let_go`), so that they are never all in
    # memory at once.
    @event_priority(110)
    def _fill_page(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):
        build = self.build
        if build is not None and page.file.src_uri in build.generated:
            page.content = build.generated_page(page.file.src_uri)
            # MkDocs checks the links to anchors (an article's mention to its entity page) at the end
            # of the build against the page's ids, which its stub did not have.
            page.present_anchor_ids = pages.element_ids(page.content)
            # The theme's table of contents, from the headings of the page as rendered.
            page.toc = get_toc(pages.toc_tokens(page.content))
        return context

    # Search plugins parse `page.content` tag by tag in `on_page_context`. The marks add no text, and
    # lists that repeat other pages add nothing to find, so search is given `pages.search_view` of a
    # dossier page, and the page itself is put back as soon as search has read it.
    @event_priority(100)
    def _show_search_view(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):
        build, src_uri = self.build, page.file.src_uri
        if build is None or not build.search_views or not (src_uri in build.articles or src_uri in build.generated):
            return context
        if "data-search-" not in page.content:
            view = pages.search_view(page.content)
            if view is not page.content:
                build.hidden[src_uri] = (page.content, view)
                page.content = view
        return context

    @event_priority(-100)
    def _show_page(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):
        if self.build is None:
            return context
        full, view = self.build.hidden.pop(page.file.src_uri, (None, None))
        if full is not None and page.content is view:
            page.content = full
        return context

    on_page_context = CombinedEvent(_fill_page, _show_search_view, _show_page)

    def _write_json_ld(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.build is None:
            return None
        return self.build.json_ld(output, page.file.src_uri, config.site_url)

    # Last, once every plugin has seen the page: the dossier's pages are made again at the next build,
    # and MkDocs would otherwise hold every one of them to the end of this one; so would it a generated
    # page's table of contents, which `_fill_page` made for the theme to show on that page only (an
    # entity page's lists every article that names the entity).
    @event_priority(-100)
    def _let_go(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        build, src_uri = self.build, page.file.src_uri
        if build is not None and (src_uri in build.generated or src_uri in build.articles):
            page.content = None
            if src_uri in build.generated:
                page.toc = get_toc([])
        return output

    on_post_page = CombinedEvent(_write_json_ld, _let_go)

    def _finish(self, *, config: MkDocsConfig) -> None:
        build = self.build
        if build is None:
            return
        build.close()
        for finding in build.variant_findings():
            log.info(finding)
        build.export(Path(config.site_dir), config.site_url)
        # Once the site is written, as MkDocs' own `--strict` does; the plugin fails a strict build
        # itself, as MkDocs counts only the warnings it shows, which `-q` does not.
        failure = build.failure()
        if failure:
            raise PluginError(failure)

    # After the search plugin has written its index (Material's `offline` plugin runs at -100 too).
    @event_priority(-100)
    def _write_search_script(self, *, config: MkDocsConfig) -> None:
        if self.build is not None and self.config.offline:
            offline.write_search_script(Path(config.site_dir))

    on_post_build = CombinedEvent(_finish, _write_search_script)

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.close()
