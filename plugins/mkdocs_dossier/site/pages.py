"""The generated pages of a dossier site, rendered from the templates in `templates/`.

Pages are HTML fragments for the host's theme to frame. Everything that comes from the sources is
escaped by Jinja's autoescape; the only markup let through is the article body that Python-Markdown
(and the sanitiser) produced. Links are relative, computed from each page's URL, so the site reads the
same from a server and from `file://`.
"""

from __future__ import annotations

import html
import posixpath
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..analysis.ahead import MISSING, ComparisonsAhead
from ..analysis.compare import CompareOptions, CoverageAnalysis
from ..sources.kept import Kept
from ..sources.model import ENTITY_TYPES, Annotation, Article, Dossier, Entity, Event, Mention
from ..text.annotations import AnnotationIndex
from ..text.extension import strip_marks
from ..text.matcher import without_diacritics
from ..text.sentences import MONTHS, long_date
from . import svg

ARTICLE = "articles/{id}.md"
ARTICLES_INDEX = "articles/index.md"
ENTITY = "entities/{id}.md"
ENTITIES_INDEX = "entities/index.md"
EVENT = "events/{id}.md"
EVENTS_INDEX = "events/index.md"
GLOSSARY = "glossary.md"
MENTION_ANCHOR = "in-{article}-{mention}"
"""Where an entity's page lists one of its mentions; the mention in the article links there."""

_ID_ATTRIBUTE = re.compile(r'id="([^"]*)"')
"""Starts with a literal, which the regex engine skips ahead to; the space before is checked apart."""

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
    # Pages link to thousands of pages in a few folders: the way between two folders is worked out once.
    folder, name = _split(target)
    way = _folder_to_folder(folder, _base(current))
    relative = name if way == "." and name else f"{way}/{name}" if name else way
    return relative + "/" if target.endswith("/") else relative


@lru_cache(maxsize=1 << 16)
def _split(url: str) -> tuple[str, str]:
    return posixpath.split(url)


@lru_cache(maxsize=1 << 16)
def _base(url: str) -> str:
    head, tail = posixpath.split(url)
    return head if "." in tail else url


@lru_cache(maxsize=4096)
def _folder_to_folder(folder: str, base: str) -> str:
    return posixpath.relpath("/" + folder, "/" + base)


def element_ids(page_html: str) -> set[str]:
    """The ids in a page that the templates rendered, where every attribute is double-quoted."""
    return {
        html.unescape(found[1])
        for found in _ID_ATTRIBUTE.finditer(page_html)
        if page_html[found.start() - 1 : found.start()].isspace()
    }


@dataclass(frozen=True)
class Site:
    """How sources map to URLs: the host's answer, or MkDocs' rule by default."""

    url_of: Callable[[str], str]

    @classmethod
    def default(cls, use_directory_urls: bool = False) -> Site:
        return cls(lambda src_uri: page_url(src_uri, use_directory_urls))


SEARCH_SKIP = "<!-- dossier:search-skip -->"
SEARCH_RESUME = "<!-- dossier:search-resume -->"
"""Templates wrap in these what search should not index: lists that repeat what other pages say (the
excerpts on an entity page, the titles in an index); a skip without a resume runs to the end."""


def search_view(html: str) -> str:
    """What search should read of a page: its text without the marks and the skipped parts, each
    section followed by its words that carry diacritics, written without them."""
    return _with_plain_spellings(strip_marks(_without_skipped(html)))


_SECTION_START = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_ACCENTED_WORD = re.compile(r"(?<![^\W\d_])[a-zA-Z]*+[^\W\d_\x00-\x7f][^\W\d_]*+")
"""A word (a run of letters) with a letter beyond ASCII: tried only where a word starts, and without
going back over its letters, so that an ASCII word costs one look at each of its letters."""
_LETTER_BEYOND_ASCII = re.compile(r"[^\W\d_\x00-\x7f]")
"""Most sections have no such letter (their typographic quotes and dashes are not letters), and one
look for it costs a fraction of looking at every word."""


def _with_plain_spellings(page: str) -> str:
    """Search (lunr, in Material) keeps diacritics, where a reader types 'Goita' for 'Goïta' as wire
    copy prints it: each section (search indexes a page by its headings) is followed by a paragraph
    of the plain spellings of its words that carry diacritics, for search to find."""
    if page.isascii():
        return page
    pieces, position = [], 0
    for cut in [found.start() for found in _SECTION_START.finditer(page)] + [len(page)]:
        section = page[position:cut]
        pieces.append(section)
        position = cut
        text = html.unescape(_TAG_OR_COMMENT.sub(" ", section))
        if not _LETTER_BEYOND_ASCII.search(text):
            continue
        plain = dict.fromkeys(
            folded
            for word in _ACCENTED_WORD.findall(text)
            if (folded := without_diacritics(word)) != word and folded.isascii()
        )
        if plain:
            pieces.append(f'<p class="dossier-plain-spellings">{escape(" ".join(plain))}</p>')
    return "".join(pieces)


def _without_skipped(html: str) -> str:
    """The page without its parts from a skip to the next resume (`str.find`, where a lazy regex tried
    the resume at every character of the skipped parts: twenty times slower)."""
    kept, position = [], 0
    while (start := html.find(SEARCH_SKIP, position)) != -1:
        kept.append(html[position:start])
        end = html.find(SEARCH_RESUME, start)
        if end == -1:
            return "".join(kept)
        position = end + len(SEARCH_RESUME)
    if not kept:
        return html
    kept.append(html[position:])
    return "".join(kept)


def _mention_items(article_id: str, href: str, mentions: list[Mention]) -> Markup:
    """The list items of an entity page's mentions in one article, each its sentence with the mention
    highlighted and a short link to its place. Made here rather than in the template, where the many
    items of a much-named entity cost several times as much."""
    href = escape(href)
    return _lines(
        f'<li id="{escape(MENTION_ANCHOR.format(article=article_id, mention=mention.id))}">'
        f'<span class="dossier-excerpt">{escape(mention.context[0])}<mark>{escape(mention.context[1])}</mark>'
        f'{escape(mention.context[2])}</span> <a class="dossier-context" href="{href}#{escape(mention.id)}">'
        "in context</a></li>"
        for mention in mentions
    )


def _statement_links(href: str, statements) -> Markup:
    """The list items of an event page's statements of one article, each linked to its place. Made
    here rather than in the template, as `_mention_items` are: an event lists most of its sentences."""
    href = escape(href)
    return _lines(
        f'<li><a href="{href}#{escape(s.sentence.id)}">{escape(s.sentence.text)}</a></li>' for s in statements
    )


def _lines(items: Iterable[str]) -> Markup:
    """Markup made of lines that are markup already: one `str.join`, where `Markup.join` would escape
    each line again (which leaves markup as it is, at some cost per line)."""
    return Markup("\n".join(items))


class PageRenderer:
    def __init__(
        self,
        dossier: Dossier,
        index: AnnotationIndex,
        site: Site,
        compare_options: CompareOptions | None = None,
        kept: Kept | None = None,
    ) -> None:
        """`kept` keeps quotes, comparisons and the entity and event pages across the rebuilds of
        `mkdocs serve`: a page is kept with the identity of the articles and annotations it shows,
        so that a page none of whose articles changed is not rendered again."""
        self.dossier = dossier
        self.index = index
        self.site = site
        self.kept = kept
        self._urls: dict[str, str] = {}
        self._names: dict[str, Markup] = {}
        self._bylines: dict[str, Markup] = {}
        self._coverage_items: dict[tuple[str, str], str] = {}
        self.analysis = CoverageAnalysis(dossier, index.by_article, compare_options, kept)
        self.ahead: ComparisonsAhead | None = None
        """The events' comparisons under way in worker processes, if any."""
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            # The templates are the package's own and do not change during a build: no file is looked at again
            # each time a page renders one.
            auto_reload=False,
        )
        self.env.filters["long_date"] = long_date
        self.env.globals["byline"] = self.byline
        self.env.globals.update(
            dossier=dossier,
            index=index,
            ARTICLE=ARTICLE,
            ENTITY=ENTITY,
            EVENT=EVENT,
            ENTITIES_INDEX=ENTITIES_INDEX,
            EVENTS_INDEX=EVENTS_INDEX,
        )

    def url_of(self, src_uri: str) -> str:
        url = self._urls.get(src_uri)
        if url is None:
            url = self._urls[src_uri] = self.site.url_of(src_uri)
        return url

    def link(self, target: str, src_uri: str, anchor: str = "") -> str:
        """The relative link from the page of `src_uri` to the page of `target`."""
        return relative_url(self.url_of(target), self.url_of(src_uri)) + (f"#{anchor}" if anchor else "")

    def linker(self, src_uri: str) -> Callable[..., str]:
        """`link(target_src_uri, anchor="")`: the relative URL of a page from the page `src_uri`."""
        here = self.url_of(src_uri)
        known: dict[str, str] = {}
        """A page links to the same pages again and again (an event page to each article at each of
        its sentences): each link is worked out once."""

        def link(target: str, anchor: str = "") -> str:
            url = known.get(target)
            if url is None:
                url = known[target] = relative_url(self.url_of(target), here)
            return f"{url}#{anchor}" if anchor else url

        return link

    def _name(self, entity_id: str) -> Markup:
        """An entity's name, escaped once however many pages list it."""
        name = self._names.get(entity_id)
        if name is None:
            name = self._names[entity_id] = escape(self.dossier.entities[entity_id].name)
        return name

    def byline(self, article: Article) -> Markup:
        """An article's outlet, date and authors, made once however many pages list the article."""
        made = self._bylines.get(article.id)
        if made is None:
            authors = f", by {escape(', '.join(article.authors))}" if article.authors else ""
            made = self._bylines[article.id] = Markup(
                f'<span class="dossier-outlet">{escape(article.outlet)}</span>, '
                f'<time datetime="{escape(article.published.isoformat())}">{escape(long_date(article.date))}</time>'
                f"{authors}"
            )
        return made

    def _render(self, template: str, src_uri: str, link: Callable[..., str] | None = None, **context) -> str:
        return self.env.get_template(template).render(link=link or self.linker(src_uri), **context)

    def article(self, article: Article, body_html: str, annotation: Annotation) -> str:
        here = ARTICLE.format(id=article.id)
        link = self.linker(here)
        return self._render(
            "article.html",
            here,
            link,
            article=article,
            body=body_html,
            notes=annotation.notes,
            coverage={
                event_id: _lines(self._coverage_item(other, link(ARTICLE.format(id=other.id))) for other in others)
                for event_id, others in self.dossier.other_coverage(article).items()
            },
        )

    def _coverage_item(self, article: Article, href: str) -> str:
        """An article's item in the other coverage of an event on another article's page, made once
        however many pages list it (each article of an event lists all the others)."""
        item = self._coverage_items.get((article.id, href))
        if item is None:
            item = self._coverage_items[(article.id, href)] = (
                f'<li><a href="{escape(href)}">{escape(article.title)}</a> '
                f'<span class="dossier-byline">({self.byline(article)})</span></li>'
            )
        return item

    def _kept(self, key: tuple, sources: tuple, render: Callable[[], str]) -> str:
        """The page `render()` gives, or gave in the last build for the same key; kept compressed, as
        a dossier of 5,000 articles has some 16,000 such pages."""
        rendered = None

        def make() -> bytes:
            nonlocal rendered
            rendered = render()
            return zlib.compress(rendered.encode("utf-8"), 1)

        packed = self.kept.get(key, make, sources)
        return rendered if rendered is not None else zlib.decompress(packed).decode("utf-8")

    def entity(self, entity: Entity) -> str:
        if self.kept is None:
            return self._entity(entity)
        # What the page shows besides the registry: the articles that mention the entity (with their
        # mentions, spellings and the entities they also name, and the quotes of the entity, whose
        # speakers are found among the article's mentions), and its events.
        shown = self.index.mentions_of(entity.id)
        sources = tuple(made for a in shown for made in (self.dossier.articles[a], self.index.by_article.get(a)))
        events = tuple(self.dossier.events_at(entity.id))
        key = ("entity", entity.id, self.url_of(ENTITY.format(id=entity.id)), events, tuple(map(id, sources)))
        return self._kept(key, sources, lambda: self._entity(entity))

    def _entity(self, entity: Entity) -> str:
        here = ENTITY.format(id=entity.id)
        link = self.linker(here)
        articles, entities = self.dossier.articles, self.dossier.entities
        appears_with = self.index.appears_with(entity.id)
        # The lists can be long (a much-named entity appears with most others): their items are made
        # here, where they cost several times less than in a template.
        return self._render(
            "entity.html",
            here,
            link,
            entity=entity,
            mentions=[
                (articles[article_id], href, found, _mention_items(article_id, href, found))
                for article_id, found in self.index.mentions_of(entity.id).items()
                for href in (link(ARTICLE.format(id=article_id)),)
            ],
            spellings=self.index.spellings_of(entity.id),
            together=_lines(
                f'<li><a href="{escape(link(ENTITY.format(id=other)))}">{self._name(other)}</a> '
                f'<span class="dossier-count">({count} article{"s" if count != 1 else ""})</span></li>'
                for other, count in appears_with
            ),
            graph=svg.cooccurrence(
                entity,
                [(entities[other], count) for other, count in appears_with],
                lambda other: link(ENTITY.format(id=other.id)),
            ),
            events_here=self.dossier.events_at(entity.id),
            ledger=self.analysis.quotes_of(entity.id),
        )

    def entities_index(self) -> str:
        groups = []
        for entity_type in ENTITY_TYPES:
            members = sorted(
                (e for e in self.dossier.entities.values() if e.type == entity_type),
                key=lambda e: (e.name.casefold(), e.id),
            )
            if members:
                groups.append((entity_type, TYPE_HEADINGS[entity_type], members))
        return self._render("entities_index.html", ENTITIES_INDEX, groups=groups)

    def event(self, event: Event) -> str:
        if self.kept is None:
            return self._event(event)
        # What the page shows besides the registry: the event, and the articles that cover it.
        coverage = self.dossier.coverage.get(event.id, [])
        sources = tuple(made for a in coverage for made in (a, self.index.by_article.get(a.id)))
        here = EVENT.format(id=event.id)
        key = ("event", event, self.url_of(here), tuple(map(id, sources)))
        return self._kept(key, sources, lambda: self._event(event))

    def _event(self, event: Event) -> str:
        here = EVENT.format(id=event.id)
        coverage = self.dossier.coverage.get(event.id, [])
        link = self.linker(here)
        # The comparison links each of its sentences to its place: each article's link is made once.
        article_hrefs = {article.id: link(ARTICLE.format(id=article.id)) for article in coverage}
        comparison = self._comparison(event.id)
        return self._render(
            "event.html",
            here,
            link,
            event=event,
            article_hrefs=article_hrefs,
            place=self.dossier.entities.get(event.place) if event.place else None,
            coverage=coverage,
            timeline=svg.timeline(event, coverage, lambda article: article_hrefs[article.id]),
            comparison=comparison,
            only_items={
                article.id: _statement_links(article_hrefs[article.id], statements)
                for article, statements in (comparison.only if comparison else ())
            },
        )

    def _comparison(self, event_id: str):
        comparison = MISSING if self.ahead is None else self.ahead.take(event_id)
        return self.analysis.comparison(event_id) if comparison is MISSING else comparison

    def events_index(self) -> str:
        years: dict[int, list[Event]] = {}
        for event in self.dossier.events_by_date:
            years.setdefault(event.date.year, []).append(event)
        return self._render("events_index.html", EVENTS_INDEX, years=years)

    def articles_index(self) -> str:
        months: dict[str, tuple[str, list[Article]]] = {}
        for article in self.dossier.articles_by_date:
            date = article.date
            months.setdefault(f"{date:%Y-%m}", (f"{MONTHS[date.month - 1]} {date.year}", []))[1].append(article)
        listed = [(key, label, found) for key, (label, found) in months.items()]
        return self._render("articles_index.html", ARTICLES_INDEX, months=listed)

    def glossary(self) -> str:
        terms = sorted(self.dossier.terms.values(), key=lambda t: (t.term.casefold(), t.id))
        letters: dict[str, list] = {}
        for term in terms:
            letters.setdefault(initial(term.term), []).append(term)
        alphabet = [*ALPHABET, *sorted(set(letters) - set(ALPHABET))]
        return self._render("glossary.html", GLOSSARY, letters=letters, alphabet=alphabet)


ALPHABET = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


def initial(term: str) -> str:
    """The letter a term is listed under in the glossary: its first letter without accents, or `#`
    for a term that starts with a digit or a sign."""
    first = without_diacritics(term.strip()[:1]).upper()
    return first if first.isalpha() else "#"


SEARCH_BOOST = 3
"""How much higher search ranks an entity's page and the glossary than other pages: a reader who
types a name or a term is looking for who or what it is first, then for the articles."""


def search_boost(src_uri: str) -> float | None:
    """The search boost of a generated page: entity pages and the glossary rank above the articles and
    events that name the same things."""
    if src_uri == GLOSSARY or (src_uri.startswith("entities/") and src_uri != ENTITIES_INDEX):
        return SEARCH_BOOST
    return None


_HEADING = re.compile(r'<h([1-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def toc_tokens(page_html: str) -> list[dict]:
    """The headings of a rendered page that carry an id, nested as Python-Markdown's `toc` extension
    gives them (and MkDocs' `get_toc` takes): what the theme shows as the page's table of contents."""
    from markdown.extensions.toc import nest_toc_tokens

    flat = [
        {
            "level": int(level),
            "id": html.unescape(anchor),
            "name": str(escape(" ".join(html.unescape(_TAG.sub("", inner)).split()))),
            "children": [],
        }
        for level, anchor, inner in _HEADING.findall(page_html)
    ]
    return nest_toc_tokens(flat)
