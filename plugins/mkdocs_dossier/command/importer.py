"""Turn saved web pages into dossier articles: front matter from the page's metadata, body as Markdown.

    page = read_saved_page(Path("saved/lavrov.html"))
    imported = extract_article(page)          # an ImportedArticle, or an ExtractionFailure saying why
    Path(f"dossier/articles/{imported.id}.md").write_text(imported.source())

The text and most metadata come from trafilatura, a maintained article extractor; it is given the
page's HTML only, so nothing is fetched. The Open Graph publication time (`article:published_time`) is
read first because it keeps the time of day, which orders a day's coverage; the page's `lang`
attribute gives the language; a browser's `<!-- saved from url=... -->` comment gives the address when
the page declares no canonical link. Encoding faults ("GoÃ¯ta", "Putinís") are repaired on the way in
(see `text.encoding`), so that names are stored as they were meant.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..sources.loader import LANGUAGE_TAG, iso_date_or_datetime
from ..sources.problems import counted
from ..text.encoding import repair

MIN_WORDS = 40
"""Fewer words than this is a paywall, a consent wall or an index page, not an article."""

MAX_ID_LENGTH = 64

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_ESCAPED_LT = re.compile(r"\\?<")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MHTML_TYPE = re.compile(r"^content-type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class SavedPage:
    path: Path
    html: str


@dataclass(frozen=True)
class ImportedArticle:
    id: str
    title: str
    outlet: str
    published: dt.date | dt.datetime
    body: str
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    events: tuple[str, ...] = ()

    def source(self) -> str:
        """The article file: YAML front matter in the contract's field order, then the body."""
        fields: dict = {"title": self.title, "outlet": self.outlet, "published": _Timestamp(self.published.isoformat())}
        if self.url:
            fields["url"] = self.url
        if self.authors:
            fields["author"] = self.authors[0] if len(self.authors) == 1 else list(self.authors)
        if self.language:
            fields["language"] = self.language
        if self.events:
            fields["events"] = list(self.events)
        front = yaml.dump(
            fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
        )
        return f"---\n{front}---\n{self.body.rstrip()}\n"


@dataclass(frozen=True)
class ExtractionFailure:
    path: Path
    reason: str


class _Timestamp(str):
    """A date written plain (`published: 2023-02-07`), as the contract shows it, not as a quoted string."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Timestamp, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))
)


def read_saved_page(path: Path) -> SavedPage:
    """Read a saved page as text, trusting a UTF-8 byte order mark or falling back to the HTML's charset."""
    raw = path.read_bytes()
    try:
        return SavedPage(path, raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        declared = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", raw[:4096])
        encoding = declared.group(1).decode("ascii") if declared else "cp1252"
        try:
            return SavedPage(path, raw.decode(encoding, errors="replace"))
        except LookupError:
            return SavedPage(path, raw.decode("cp1252", errors="replace"))


def _web_archive(text: str) -> str | None:
    """Why a saved page cannot be read, when it is a single-file web archive rather than HTML."""
    if text.startswith("bplist00"):
        return "is a Safari web archive, which the import does not read; save the page again as 'Page Source'"
    head = text[:4096].replace("\r\n", "\n").split("\n\n", 1)[0]
    if "<" not in head.replace("<Saved by", "") and _MHTML_TYPE.search(head):
        return (
            "is a single-file web archive (MHTML: 'Web page, single file'), which the import does not read; "
            "save the page again as 'Web page, complete' or 'HTML only'"
        )
    return None


def import_page(
    path: Path, *, outlet: str | None = None, events: tuple[str, ...] = ()
) -> ImportedArticle | ExtractionFailure:
    """Read and extract one saved page; a file that cannot be read is a failure with its reason."""
    try:
        page = read_saved_page(path)
    except OSError as exc:
        return ExtractionFailure(path, f"cannot be read: {exc.strerror or exc}")
    return extract_article(page, outlet=outlet, events=events)


def extract_article(
    page: SavedPage, *, outlet: str | None = None, events: tuple[str, ...] = ()
) -> ImportedArticle | ExtractionFailure:
    """Extract one article from a saved page, or say why it cannot be done."""
    import lxml.html
    import trafilatura
    from trafilatura.metadata import extract_metadata

    if not page.html.strip():
        return ExtractionFailure(page.path, "the file is empty")
    archive = _web_archive(page.html)
    if archive:
        return ExtractionFailure(page.path, archive)
    try:
        tree = lxml.html.document_fromstring(page.html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml.etree.ParserError) as exc:
        return ExtractionFailure(page.path, f"is not readable HTML ({exc})")
    try:
        metadata = extract_metadata(copy.deepcopy(tree), date_config={"extensive_search": False, "original_date": True})
        body = trafilatura.extract(
            page.html,
            output_format="markdown",
            include_formatting=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_tables=True,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 (a third-party parser on arbitrary files: report, never crash the run)
        return ExtractionFailure(page.path, f"the extractor failed on it ({type(exc).__name__}: {exc})")
    title = _clean(repair(metadata.title or ""))
    body = _markdown_body(repair(body or ""), title)
    words = len(body.split())
    if words < MIN_WORDS:
        return ExtractionFailure(
            page.path,
            f"no article text found ({counted(words, 'word')}); it may be a paywall, a consent page or an index",
        )
    if not title:
        return ExtractionFailure(page.path, "the page has no title")
    url = _http_url(metadata.url) or _http_url(_saved_from(page.html))
    outlet = _clean(outlet) or _outlet(metadata.sitename, url)
    if not outlet:
        return ExtractionFailure(page.path, "the page names no site and has no address; give the outlet with --outlet")
    published = _published(tree) or _date(metadata.date)
    if published is None:
        return ExtractionFailure(page.path, "no publication date found in the page")
    return ImportedArticle(
        id=article_id(outlet, title),
        title=title,
        outlet=outlet,
        published=published,
        body=body,
        url=url,
        authors=_authors(repair(metadata.author or "")),
        language=_language(tree),
        events=tuple(events),
    )


def article_id(outlet: str, title: str) -> str:
    """A readable, stable id from the outlet and the title, cut at a word to stay short."""
    slug = slugify(f"{outlet} {title}")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[: MAX_ID_LENGTH + 1].rsplit("-", 1)[0]
    return slug or "article"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _markdown_body(markdown: str, title: str) -> str:
    """The extractor's Markdown made safe and tidy for the article file.

    trafilatura escapes a literal `<` as `\\<`, which Python-Markdown does not understand, so a page
    that quotes `<script>` would become raw HTML; an entity `&lt;` keeps it text.
    """
    lines = markdown.replace("\r\n", "\n").strip().split("\n")
    if lines and lines[0].lstrip("# ").strip() == title and lines[0].startswith("#"):
        lines = lines[1:]
    text = "\n".join(lines).strip()
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _ESCAPED_LT.sub("&lt;", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def _clean(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https") and parts.netloc and not any(ch.isspace() for ch in value.strip()):
        return value.strip()
    return None


def _saved_from(html: str) -> str | None:
    match = _SAVED_FROM.search(html[:4096])
    return match.group(1) if match else None


def _outlet(sitename: str | None, url: str | None) -> str:
    """The site's own name; failing that, its domain without `www.`."""
    host = (urlsplit(url).hostname or "") if url else ""
    name = _clean(sitename)
    if name and name.lower() not in (host, host.removeprefix("www.")):
        return name
    return host.removeprefix("www.") if host else name.removeprefix("www.")


def _published(tree) -> dt.datetime | dt.date | None:
    for value in tree.xpath('//meta[@property="article:published_time" or @name="article:published_time"]/@content'):
        try:
            return iso_date_or_datetime(value.strip())
        except ValueError:
            continue
    return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _authors(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in (_clean(part) for part in (value or "").split(";")) if name))


def _language(tree) -> str | None:
    lang = (tree.get("lang") or "").strip()
    return lang if LANGUAGE_TAG.match(lang) else None
