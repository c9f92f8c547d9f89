"""Make an article body's HTML safe to publish: keep article markup, drop anything that runs.

Article bodies come from the web, and Python-Markdown passes raw HTML through as written
(`<script>`, `onerror=`, `[x](javascript:...)`). `sanitize_html` re-parses the converted body with
nh3 (the Rust `ammonia` sanitiser, an HTML5 parser) and keeps only an allow-list: what Markdown and
the common extensions produce (tables, footnotes, admonitions, details, attribute lists, permalinks,
highlighted code) and the dossier's own marks. Links and images keep relative, http(s) and mailto
addresses only.

    >>> sanitize_html('<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x()">a</a></p>')
    '<p>Hi <a>a</a></p>'
"""

from __future__ import annotations

import re

import nh3

TAGS = frozenset(
    """
    a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark ol p pre q s samp section
    small span strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr
    """.split()
)
"""Ordinary article markup, and what Python-Markdown and pymdown-extensions generate."""

DROPPED_WITH_CONTENT = frozenset("script style iframe object embed template noscript".split())
"""Removed with everything inside them: their content is code or a page of its own, not text."""

GLOBAL_ATTRIBUTES = frozenset(
    "class id title lang dir tabindex role aria-describedby aria-label aria-hidden "
    "data-entity data-term data-note".split()
)
"""On every element: the dossier's marks (`data-entity`, `data-term`, `data-note`, their titles,
`tabindex`, `aria-describedby`), the ids of headings and footnotes, and the classes themes style."""

ATTRIBUTES = {
    "a": {"href"},
    "blockquote": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"cite", "datetime"},
    "details": {"open"},
    "div": {"data-tabs"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"checked", "disabled", "name"},
    "ins": {"cite", "datetime"},
    "label": {"for"},
    "li": {"value"},
    "ol": {"start", "reversed", "type"},
    "q": {"cite"},
    "span": {"data-linenos"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
}
"""Per element. `style` only on table cells, and only as Markdown writes a column's alignment."""

INPUT_TYPES = {"input": {"type": {"checkbox", "radio"}}}
"""Task lists' check boxes and content tabs' radio buttons; no text fields or buttons."""

URL_SCHEMES = frozenset({"http", "https", "mailto"})

_ALIGNMENT = re.compile(r"\s*text-align:\s*(?:left|right|center|justify)\s*;?\s*", re.IGNORECASE)


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if _ALIGNMENT.fullmatch(value) else None
    return value


def _cleaner(styles: bool) -> nh3.Cleaner:
    attributes = {tag: set(names) if styles else set(names) - {"style"} for tag, names in ATTRIBUTES.items()}
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GLOBAL_ATTRIBUTES), **attributes},
        tag_attribute_values=INPUT_TYPES,
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_keep_attribute if styles else None,
        link_rel=None,
        strip_comments=True,
    )


_CLEANER = _cleaner(styles=True)
_CLEANER_WITHOUT_STYLES = _cleaner(styles=False)
"""For HTML without any `style`, which most bodies are: the same cleaning, without the attribute
filter that only styles need, and that calls back into Python for every attribute kept."""


def sanitize_html(html: str) -> str:
    """The same HTML without scripts, event handlers, unsafe URLs, frames or styles."""
    cleaner = _CLEANER if "style" in html.lower() else _CLEANER_WITHOUT_STYLES
    return cleaner.clean(html)


_TEXT_CLEANER = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)


def sanitize_text(html: str) -> str:
    """A fragment that may only hold text and character references, like a table of contents entry."""
    return _TEXT_CLEANER.clean(html)
