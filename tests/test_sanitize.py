"""Unsafe content: script that the sources smuggle in never reaches the published site.

The sanitiser on its own (attack strings in, clean HTML out, article markup kept), then whole sites:
the hostile corpus and hostile YAML built with Material, every page scanned for anything that runs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import MINIMAL_DOSSIER
from html_checks import EXTENSION_SETS, unmarked_tokens
from mkdocs_dossier.site.sanitize import sanitize_html

HOSTILE = Path(__file__).parent / "hostile"

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x OnErRoR=alert(1)>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="javascript:alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name="q"><button formaction="javascript:alert(1)">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">covering</p>',
    '<a href="#" onclick="alert(1)" onmouseover="alert(2)">x</a>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<body onload="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<textarea><script>alert(1)</script></textarea>",
]


class _Scan(HTMLParser):
    """Everything in a page that could run, load a page of its own, or take over the layout."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "cite"}
    FORBIDDEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "link", "meta"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))
        if tag == "style":
            self.found.append("<style>")
        if tag in self.FORBIDDEN:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "style"):
                self.found.append(f"{tag} {name}={value!r}")
            if name in self.URL_ATTRIBUTES and value:
                cleaned = "".join(ch for ch in value if ch > " ").lower()
                if cleaned.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def scan(html: str) -> _Scan:
    scanner = _Scan()
    scanner.feed(html)
    scanner.close()
    return scanner


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_that_runs_survives_the_sanitiser(attack):
    clean = sanitize_html(f"<p>Before</p>{attack}<p>After</p>")
    found = scan(clean)
    assert found.found == [] and found.scripts == [], clean
    assert clean.startswith("<p>Before</p>") and clean.endswith("<p>After</p>"), clean


ARTICLE_MARKDOWN = """\
# Heading { #custom }

Text with *emphasis*, **strong**, `code`, a [link](https://example.org "Title"), a [relative link](../events/visit.html#coverage),
an ![image](https://example.org/x.png "Image title"){ width=100 }, a footnote[^1], <abbr title="United Nations">UN</abbr>,
<q>a quote</q>, <sub>sub</sub>, <sup>sup</sup>, <del>deleted</del>, <ins>inserted</ins>, <mark>marked</mark>, <kbd>Ctrl</kbd>,
<time datetime="2023-02-07">7 February</time>, <span lang="fr" dir="ltr">en français</span>, <small>small</small>
and an <a href="mailto:desk@example.org">email</a>.
Hard break:<two spaces>
after it.

> A quote with <cite>a cite</cite>.

1. one
2. two

- [x] done
- [ ] to do

| left | centre | right |
|:-----|:------:|------:|
| 1    | 2      | 3     |

Term
:   Definition

!!! note "An admonition"
    Inside it.

??? info "Collapsed"
    Details.

```python
print("highlighted")
```

```python linenums="1"
x = 1
```

=== "Tab one"
    One.

=== "Tab two"
    Two.

*[HTML]: Hyper Text Markup Language
HTML is abbreviated.

<figure><img src="x.png" alt="Figure"><figcaption>A caption</figcaption></figure>

---

[^1]: The footnote.
""".replace("<two spaces>", "  ")

ARTICLE_EXTENSIONS = [*EXTENSION_SETS["material"][0], "pymdownx.tabbed", "pymdownx.tasklist"]
"""What a Material site usually turns on, and the tabs and task lists of the article above."""


def _comparable(html: str) -> list[tuple]:
    """Tokens with valueless attributes given as empty and the tbody an HTML parser adds, for comparison."""
    tokens = []
    for token in unmarked_tokens(html):
        if token[0] in ("start", "end") and token[1] == "tbody":
            continue
        if token[0] == "start":
            token = ("start", token[1], tuple((name, value or "") for name, value in token[2]))
        if token[0] == "data" and tokens and tokens[-1][0] == "data":
            tokens[-1] = ("data", tokens[-1][1] + token[1])
            continue
        tokens.append(token)
    return tokens


def test_ordinary_article_markup_is_kept_as_it_is():
    html = markdown.markdown(
        ARTICLE_MARKDOWN, extensions=ARTICLE_EXTENSIONS, extension_configs={"toc": {"permalink": True}}
    )
    assert _comparable(sanitize_html(html)) == _comparable(html)


def test_the_dossier_marks_are_kept_with_every_attribute():
    marks = (
        '<p><a class="dossier-mention" data-entity="bamako" href="../entities/bamako.html" id="m-bamako-1" '
        'title="Bamako: the capital">Bamako</a> <abbr class="dossier-term" data-term="junta" id="t-junta-1" '
        'tabindex="0" title="A military group">junta</abbr> <mark aria-describedby="note-1" class="dossier-note '
        'dossier-note-correction" data-note="note-1" id="note-1-quote" tabindex="0" title="A note">quoted</mark></p>'
    )
    assert _comparable(sanitize_html(marks)) == _comparable(marks)


HOSTILE_YAML = {
    "dossier/articles/ap-visit.md": (
        "---\n"
        "title: \"</title><script>alert('title')</script> & <b>bold</b>\"\n"
        "outlet: \"<img src=x onerror=alert('outlet')>\"\n"
        "published: 2023-02-07\n"
        "author: [\"<script>alert('author')</script>\"]\n"
        'url: "https://example.org/?q=\\"><script>alert(\'url\')</script>"\n'
        "events: [visit]\n"
        "notes:\n"
        "  - quote: Bamako\n"
        "    text: \"<script>alert('note')</script>\"\n"
        "---\n" + (HOSTILE / "articles" / "unsafe.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    ),
    "dossier/entities.yml": (
        "sergei-lavrov:\n"
        "  name: \"Lavrov<script>alert('name')</script>\"\n"
        "  type: person\n"
        "  aliases: [Lavrov]\n"
        '  summary: "\\"><script>alert(\'summary\')</script>"\n'
        "bamako:\n"
        "  name: Bamako\n"
        "  type: place\n"
        "  summary: \"<img src=x onerror=alert('summary')>\"\n"
    ),
    "dossier/glossary.yml": "junta:\n  definition: \"<script>alert('definition')</script>\"\n",
    "dossier/events.yml": (
        "visit:\n  title: \"<script>alert('event')</script>\"\n  date: 2023-02-07\n  place: bamako\n"
        '  summary: "<iframe src=https://evil.example></iframe>"\n'
    ),
    "docs/index.md": "# Hostile YAML\n",
}


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def _script_text(text: str) -> str:
    """A theme script without the part that differs from page to page (the site's root)."""
    return re.sub(r'new URL\("[^"]*",location\)', "new URL(root,location)", text.strip())


def _theme_scripts(site: Path) -> set[str]:
    """The scripts Material puts in every page, read from the hand-written home page."""
    return {_script_text(text) for attributes, text in scan((site / "index.html").read_text(encoding="utf-8")).scripts}


def _injected(page: str, theme: set[str]) -> list[str]:
    found = scan(page)
    problems = [f for f in found.found if f not in ("<link>", "<meta>")]
    problems += [f"<meta {a}>" for a in ("http-equiv",) if f'<meta {a}="refresh"' in page]
    for attributes, text in found.scripts:
        if attributes.get("type") in ("application/json", "application/ld+json") or attributes.get("src", "").lstrip(
            "./"
        ).startswith("assets/javascripts/"):
            continue
        if _script_text(text) not in theme:
            problems.append(f"<script>{text[:60]}")
    return problems


@pytest.mark.parametrize("sanitize", [True, False])
def test_hostile_yaml_and_bodies_never_run_on_any_page(build_site, sanitize):
    files = {**MINIMAL_DOSSIER, **HOSTILE_YAML}
    settings = {} if sanitize else {"plugins": [{"dossier": {"sanitize": False}}]}
    built = build_site(files, strict=True, **settings)
    assert built.aborted is None, built.messages()
    theme = _theme_scripts(built.site)
    pages = _pages(built.site)
    assert len(pages) >= 8
    for url, page in pages.items():
        injected = _injected(page, theme)
        if url == "articles/ap-visit.html" and not sanitize:
            # A trusted dossier keeps its raw HTML in the article body, and only there.
            body = page.split('data-article="ap-visit"', 1)[1].split("</article>", 1)[0]
            assert any("block script" in f or "onerror" in f for f in _injected(body, theme))
            outside = page.replace(body, "")
            assert _injected(outside, theme) == [], url
            continue
        assert injected == [], url


def test_titles_from_yaml_are_text_in_title_header_and_search(build_site):
    built = build_site({**MINIMAL_DOSSIER, **HOSTILE_YAML}, strict=True, plugins=["search", "dossier"])
    page = built.page("articles/ap-visit.html")
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&lt;/title&gt;&lt;script&gt;" in title
    assert "&lt;b&gt;bold&lt;/b&gt;" in page.split('class="md-header__topic"', 2)[-1]
    event = built.page("events/visit.html")
    assert "<title>&lt;script&gt;alert('event')&lt;/script&gt; - Test dossier</title>" in event
    entity = built.page("entities/sergei-lavrov.html")
    assert "<title>Lavrov&lt;script&gt;" in entity
    search = (built.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in search


def test_links_in_an_article_body_keep_only_web_and_relative_addresses(build_site):
    body = (
        "[web](https://example.org) [relative](../events/visit.md) [mail](mailto:a@example.org) "
        "[js](javascript:alert(1)) [data](data:text/html,x) [vb](vbscript:x) [file](file:///etc/passwd)"
    )
    files = {
        **MINIMAL_DOSSIER,
        "dossier/articles/ap-visit.md": MINIMAL_DOSSIER["dossier/articles/ap-visit.md"] + body + "\n",
    }
    built = build_site(files, strict=True)
    page = built.page("articles/ap-visit.html")
    body_html = page.split('data-article="ap-visit"', 1)[1].split("</div>", 1)[0]
    assert 'href="https://example.org"' in body_html
    assert 'href="../events/visit.html"' in body_html
    assert 'href="mailto:a@example.org"' in body_html
    for scheme in ("javascript:", "data:", "vbscript:", "file:"):
        assert scheme not in body_html


@pytest.mark.parametrize("plugin", ["dossier", {"dossier": {"sanitize": True}}, {"dossier": {"sanitize": False}}])
def test_the_sanitize_option_is_read_from_mkdocs_yml(build_site, plugin):
    body = 'A <span onclick="track()">tracked</span> word.\n'
    files = {**MINIMAL_DOSSIER, "dossier/articles/ap-visit.md": MINIMAL_DOSSIER["dossier/articles/ap-visit.md"] + body}
    page = build_site(files, strict=True, plugins=[plugin]).page("articles/ap-visit.html")
    if plugin == {"dossier": {"sanitize": False}}:
        assert '<span onclick="track()">tracked</span>' in page
    else:
        assert "onclick" not in page and "<span>tracked</span>" in page
