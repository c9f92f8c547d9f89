"""A checker for CONTRACT.md's promises about a built site, usable on any dossier.

`check_site(site_dir, dossier)` returns a list of broken promises (empty when all hold): every page
at its URL, every hook in the HTML, no mark where marks must not be, and every internal link and
anchor resolving to a file and an element that exist.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs_dossier.sources.model import Dossier

FORBIDDEN_ANCESTORS = {"code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6"}
MARK_HOOKS = ("data-entity", "data-term", "data-note")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """The ids, links and marks of one HTML page, and the marks found where none may be."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.marks: list[tuple[str, dict[str, str], bool]] = []
        self.misplaced: list[str] = []
        self.article_bodies: list[str] = []
        self.event_lists: list[str] = []
        self.note_texts: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if "data-article" in attributes:
            self.article_bodies.append(attributes["data-article"])
        if "data-event" in attributes:
            self.event_lists.append(attributes["data-event"])
        if tag == "li" and "data-note" in attributes:
            self.note_texts.add(attributes["data-note"])
        in_body = any("data-article" in a for _, a in self.stack)
        hook = next((h for h in MARK_HOOKS if h in attributes), None)
        if hook and in_body:
            self.marks.append((tag, attributes, True))
            for ancestor, ancestor_attributes in self.stack:
                inside_note = hook != "data-note" and "data-note" in ancestor_attributes and ancestor == "mark"
                marked = any(h in ancestor_attributes for h in MARK_HOOKS) and not inside_note
                if ancestor in FORBIDDEN_ANCESTORS or marked:
                    self.misplaced.append(f"<{tag} {hook}={attributes[hook]!r}> inside <{ancestor}>")
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def check_site(site: Path, dossier: Dossier, use_directory_urls: bool = False) -> list[str]:
    def url(stem: str) -> Path:
        if not use_directory_urls:
            return site / f"{stem}.html"
        return site / (stem[: -len("index")] if stem.endswith("index") else stem + "/") / "index.html"

    broken: list[str] = []
    pages: dict[Path, _Page] = {}
    for path in sorted(site.rglob("*.html")):
        pages[path.resolve()] = parse(path)

    def page(path: Path) -> _Page | None:
        found = pages.get(path.resolve())
        if found is None:
            broken.append(f"missing page {path.relative_to(site)}")
        return found

    for stem in ("entities/index", "events/index", "glossary"):
        page(url(stem))
    glossary = page(url("glossary"))
    if glossary:
        broken += [f"glossary has no #{term_id}" for term_id in dossier.terms if term_id not in glossary.ids]
    for entity_id in dossier.entities:
        page(url(f"entities/{entity_id}"))
    for event_id in dossier.events:
        page(url(f"events/{event_id}"))

    for article in dossier.articles.values():
        found = page(url(f"articles/{article.id}"))
        if found is None:
            continue
        where = f"articles/{article.id}"
        if found.article_bodies != [article.id]:
            broken.append(f"{where}: data-article elements {found.article_bodies}, expected one for {article.id!r}")
        broken += [f"{where}: {problem}" for problem in found.misplaced]
        ids = [i for i in found.ids]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            broken.append(f"{where}: duplicate ids {duplicates}")
        for tag, attributes, _ in found.marks:
            if "data-entity" in attributes:
                if attributes["data-entity"] not in dossier.entities:
                    broken.append(f"{where}: mention of unknown entity {attributes['data-entity']!r}")
                if not attributes.get("id"):
                    broken.append(f"{where}: a mention of {attributes['data-entity']!r} has no id")
            if "data-term" in attributes:
                if attributes["data-term"] not in dossier.terms:
                    broken.append(f"{where}: unknown term {attributes['data-term']!r}")
                if not attributes.get("title") or "tabindex" not in attributes and tag != "a":
                    broken.append(
                        f"{where}: term {attributes['data-term']!r} is not readable without a mouse or script"
                    )
            if "data-note" in attributes and attributes["data-note"] not in found.note_texts:
                broken.append(f"{where}: note {attributes['data-note']!r} has no text shown beside or below it")
        noted = {a["data-note"] for _, a, _ in found.marks if "data-note" in a}
        if len(noted) != len(article.notes):
            broken.append(f"{where}: {len(noted)} notes marked, {len(article.notes)} in the source")
        for event_id in article.events:
            if event_id not in found.event_lists:
                broken.append(f"{where}: no data-event={event_id!r} list of other coverage")

    targets: dict[Path, set[str]] = defaultdict(set)
    for path, found in pages.items():
        if path.name == "404.html":
            continue  # served for any missing URL, so its links are absolute by design
        for href in found.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site.resolve())}: broken link {href}")
            elif parts.fragment and target.suffix == ".html":
                targets[target].add(parts.fragment)
    for target, fragments in targets.items():
        known = set(pages[target].ids) if target in pages else set()
        for fragment in sorted(fragments - known):
            broken.append(f"{target.relative_to(site.resolve())}: no element with id {fragment!r}")
    return broken
