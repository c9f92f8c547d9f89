"""A dossier with problems: a strict build fails even under `-q`; any other build says so on the page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import MINIMAL_ARTICLE, MINIMAL_DOSSIER, ROOT, write_tree

NO_TITLE = MINIMAL_ARTICLE.replace("title: Lavrov visits Mali\n", "")
UNFOUND_NOTE = MINIMAL_ARTICLE.replace(
    "---\nSergei", 'notes:\n  - quote: "<b>Lavrov</b> in Moscow"\n    text: x\n---\nSergei'
)
"""A note whose quote is not in the article, and holds markup that the page must show as text."""


def _project(tmp_path, article: str):
    files = {**MINIMAL_DOSSIER, "dossier/articles/ap-other.md": article}
    write_tree(tmp_path, files)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\nuse_directory_urls: false\ntheme: {name: material, font: false}\n"
        "plugins: [search, dossier]\n",
        encoding="utf-8",
    )
    return tmp_path


def _mkdocs_build(project, *options: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT / "plugins"), env.get("PYTHONPATH"))))
    command = [sys.executable, "-m", "mkdocs", "build", *options, "-f", str(project / "mkdocs.yml")]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=project)


@pytest.mark.parametrize(
    ("article", "problem"),
    [
        (NO_TITLE, "dossier/articles/ap-other.md"),
        (UNFOUND_NOTE, "dossier/articles/ap-other.md:7: the quote '<b>Lavrov</b> in Moscow' is not in"),
    ],
    ids=["article without a title", "note whose quote is not found"],
)
def test_a_strict_quiet_build_fails_on_a_broken_dossier(tmp_path, article, problem):
    project = _project(tmp_path, article)
    assert _mkdocs_build(project, "-q").returncode == 0, "without --strict, the build goes on"
    strict = _mkdocs_build(project, "--strict", "-q")
    assert strict.returncode != 0
    assert "and the build is strict" in strict.stderr and problem in strict.stderr, strict.stderr


def test_a_strict_quiet_build_of_a_sound_dossier_passes(tmp_path):
    project = _project(tmp_path, MINIMAL_ARTICLE.replace("Sergei Lavrov met", "Later, Sergei Lavrov met"))
    built = _mkdocs_build(project, "--strict", "-q")
    assert built.returncode == 0, built.stderr


def test_a_build_that_goes_on_shows_the_problems_on_the_page_a_reader_opens(build_site):
    built = build_site({**MINIMAL_DOSSIER, "dossier/articles/ap-other.md": UNFOUND_NOTE})
    assert built.aborted is None
    page = built.page("articles/ap-other.html")
    start = page.index('<div class="admonition warning dossier-problems"')
    assert start < page.index('data-article="ap-other"'), "the notice opens the article"
    notice = page[start : page.index("</div>", start)]
    assert "The sources of this page have 1 problem" in notice
    assert "dossier/articles/ap-other.md:7" in notice
    assert "the quote &#39;&lt;b&gt;Lavrov&lt;/b&gt; in Moscow&#39; is not in the article" in notice
    assert "<b>" not in notice
    assert "dossier-problems" not in built.page("articles/ap-visit.html"), "a sound article shows none"
    assert "dossier-problems" not in built.page("articles/index.html")


def test_an_article_left_out_is_named_on_the_articles_index_and_a_registry_problem_on_its_list(build_site):
    built = build_site(
        {
            **MINIMAL_DOSSIER,
            "dossier/articles/ap-other.md": NO_TITLE,
            "dossier/glossary.yml": "junta:\n  definition: A military group.\nBad Id:\n  definition: x\n",
        }
    )
    assert built.aborted is None
    index = built.page("articles/index.html")
    assert "dossier-problems" in index and "dossier/articles/ap-other.md" in index
    glossary = built.page("glossary.html")
    assert "dossier-problems" in glossary and "dossier/glossary.yml" in glossary
    assert "dossier-problems" not in built.page("entities/index.html")
    assert "dossier-problems" not in built.page("articles/ap-visit.html")


def test_a_serve_rebuild_shows_a_new_problem_and_drops_a_fixed_one(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = _project(tmp_path / "project", MINIMAL_ARTICLE.replace("Sergei Lavrov met", "Later, Sergei Lavrov met"))

    def serve_build() -> str:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        return (tmp_path / "site/articles/ap-other.html").read_text(encoding="utf-8")

    assert "dossier-problems" not in serve_build()
    (project / "dossier/articles/ap-other.md").write_text(UNFOUND_NOTE, encoding="utf-8")
    assert "is not in the article" in serve_build()
    (project / "dossier/articles/ap-other.md").write_text(MINIMAL_ARTICLE, encoding="utf-8")
    assert "dossier-problems" not in serve_build()
