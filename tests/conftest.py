"""Shared fixtures: tiny dossier sites built for real in a temporary folder."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, PluginError  # noqa: E402
from mkdocs_dossier.sources.loader import load_dossier  # noqa: E402
from tools import CHROMIUM_FLAGS, chromium, missing  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1675728000"
"""7 February 2023, the day of the sample's event: builds of the sample carry this date, not today's."""

MINIMAL_ARTICLE = """\
---
title: Lavrov visits Mali
outlet: AP
published: 2023-02-07
events: [visit]
---
Sergei Lavrov met the junta in Bamako.
"""

MINIMAL_DOSSIER = {
    "dossier/articles/ap-visit.md": MINIMAL_ARTICLE,
    "dossier/entities.yml": """\
        sergei-lavrov:
          name: Sergei Lavrov
          type: person
          aliases: [Lavrov]
          summary: Russia's foreign minister.
        bamako:
          name: Bamako
          type: place
        """,
    "dossier/glossary.yml": """\
        junta:
          definition: A military group that rules a country after taking power by force.
        """,
    "dossier/events.yml": """\
        visit:
          title: Lavrov's visit to Mali
          date: 2023-02-07
          place: bamako
        """,
    "docs/index.md": "# Test dossier\n",
}


@dataclass
class Built:
    """What a build produced: the site folder, the log, and the reason it stopped, if it did."""

    project: Path
    site: Path
    records: list[logging.LogRecord] = field(default_factory=list)
    aborted: str | None = None

    def page(self, url: str) -> str:
        return (self.site / url).read_text(encoding="utf-8")

    def messages(self, level: int = logging.WARNING) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level and r.name.startswith("mkdocs")]

    @property
    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == logging.WARNING and r.name.startswith("mkdocs")]


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture
def build_site(tmp_path, caplog):
    """Build a site from an inline file tree: `build_site({path: text}, strict=True, **mkdocs_yml)`.

    Without `mkdocs.yml` in the tree, a Material site with the `dossier` plugin is configured;
    keyword arguments override its settings.
    """

    def run(files: dict[str, str | bytes] | None = None, *, strict: bool = False, **settings) -> Built:
        project = tmp_path / "project"
        write_tree(project, MINIMAL_DOSSIER if files is None else files)
        if not (project / "mkdocs.yml").exists():
            config = {
                "site_name": "Test dossier",
                "use_directory_urls": False,
                "theme": {"name": "material", "font": False},
                "plugins": ["dossier"],
            }
            config.update(settings)
            (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        (project / "docs").mkdir(exist_ok=True)
        site = tmp_path / "site"
        caplog.clear()
        with caplog.at_level(logging.INFO):
            result = Built(project, site)
            try:
                cfg = load_config(str(project / "mkdocs.yml"), strict=strict, site_dir=str(site))
                build(cfg)
            except (Abort, PluginError) as exc:
                errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
                result.aborted = "\n".join([*errors, str(exc)])
            result.records = list(caplog.records)
        return result

    return run


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden pages in tests/golden from the current build, on purpose.",
    )


def annotate(dossier_dir: Path):
    """Load a dossier folder and annotate every article, as a build would: (dossier, annotations)."""
    from mkdocs_dossier.command.check import annotate as annotate_articles
    from mkdocs_dossier.sources.loader import load_dossier

    dossier, _ = load_dossier(dossier_dir)
    return dossier, annotate_articles(dossier, extensions=[])


@pytest.fixture(scope="session")
def playwright_api():
    try:
        from playwright import sync_api
    except ImportError:
        missing("Playwright is not installed (pip install -e '.[test]')")
    return sync_api


@pytest.fixture(scope="session")
def browser(playwright_api):
    """One Chromium for the whole run, shared by every test file that drives a browser (Playwright's sync
    API allows one session at a time)."""
    executable = chromium()
    if executable is None:
        missing("no Chromium to drive: install Debian's (apt-get install chromium), or set CHROMIUM to one")
    with playwright_api.sync_playwright() as playwright:
        # Playwright gives every launch a fresh profile (its own --user-data-dir in a temporary folder).
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sample():
    """The repository's sample dossier, annotated."""
    return annotate(ROOT / "dossier")


@pytest.fixture(scope="session")
def unseen():
    """A dossier written for the tests only: two outlets' reports of two events, real public statements."""
    return annotate(ROOT / "tests" / "data" / "unseen")


@pytest.fixture(scope="session")
def build_sample():
    """Build the repository's sample dossier as the README's build command does, in a separate process:
    `build_sample(site_dir, hash_seed="0")` returns the finished process."""

    def run(site_dir: Path, hash_seed: str = "0") -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "PYTHONHASHSEED": hash_seed,
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "plugins"), os.environ.get("PYTHONPATH")])),
        }
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml")]
        return subprocess.run([*command, "-d", str(site_dir)], env=env, capture_output=True, text=True, check=False)

    return run


@pytest.fixture(scope="session")
def sample_site(build_sample, tmp_path_factory) -> Path:
    """The sample dossier's built site, built once per test run."""
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build_sample(site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def plain_sample(tmp_path_factory) -> Path:
    """The sample's pages without the dossier plugin, to compare with: its hand-written pages and each
    article as a plain page, set up with Material's own `offline` plugin so that its search works from
    `file://` as well (with the worker shim the dossier ships, in place of Material's from a CDN)."""
    project = tmp_path_factory.mktemp("plain")
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["plugins"] = ["search", "offline"]
    settings["extra"] = {"polyfills": ["assets/iframe-worker.js"]}
    settings.pop("nav", None)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    docs = project / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "assets").mkdir(exist_ok=True)
    shutil.copy(ROOT / "plugins/mkdocs_dossier/site/assets/iframe-worker.js", docs / "assets/iframe-worker.js")
    dossier, _ = load_dossier(ROOT / "dossier")
    (docs / "articles").mkdir()
    for article in dossier.articles.values():
        (docs / "articles" / f"{article.id}.md").write_text(f"# {article.title}\n\n{article.body}", encoding="utf-8")
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    return project / "site"


# Pages opened from the file system in a browser context that refuses the network
# (test_browser.py, test_offline_search.py).


class Offline:
    """A browser context in which only `file://` requests (and those to `local`, a server on this
    machine) go through; it keeps what else was tried."""

    def __init__(self, context, site: Path, local: str = "file:") -> None:
        self.context = context
        self.site = site
        self.local = local
        self.files: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        context.route(lambda url: not url.startswith(("file:", local)), self._refuse)
        context.on("request", self._request)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        context.on("console", self._console)

    def _refuse(self, route) -> None:
        route.abort("internetdisconnected")

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("file:", self.local)):
            self.files.append(url)
        elif not url.startswith(("data:", "blob:", "about:")):
            self.foreign.append(url)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location.get('url')}")

    def url(self, path: str) -> str:
        return (self.site / path.split("#")[0]).as_uri() + (f"#{path.split('#', 1)[1]}" if "#" in path else "")

    def open(self, path: str):
        page = self.context.new_page()
        page.goto(self.url(path))
        return page


@pytest.fixture
def open_offline(browser, sample_site) -> Iterator:
    """`open_offline(**context_options)` gives an `Offline` context; at the end, nothing may have left
    the machine and no script may have failed."""
    sessions: list[Offline] = []

    def make(site: Path = sample_site, local: str = "file:", **options) -> Offline:
        session = Offline(browser.new_context(**options), site, local)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.context.close()
    for session in sessions:
        assert session.foreign == [], "requests left the machine"
        assert session.errors == [], "scripts failed"


@pytest.fixture
def offline(open_offline) -> Offline:
    return open_offline()
