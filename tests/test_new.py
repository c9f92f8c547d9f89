"""`dossier new`: the template builds strict at once, reads offline, and nothing existing is overwritten."""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, Offline
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.command.cli import main
from mkdocs_dossier.command.new import TEMPLATE, title_from
from test_browser import search


def new(*args) -> object:
    return CliRunner().invoke(main, ["new", *(str(a) for a in args)])


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """A dossier made by `dossier new`, built with --strict."""
    folder = tmp_path_factory.mktemp("new") / "mydossier"
    result = new(folder)
    assert result.exit_code == 0, result.output
    build(load_config(str(folder / "mkdocs.yml"), strict=True))
    return folder / "site"


def test_the_template_builds_strict_with_an_article_an_entity_an_event_and_a_term(new_site):
    article = (new_site / "articles" / "example-perseverance-lands-on-mars.html").read_text(encoding="utf-8")
    assert 'data-article="example-perseverance-lands-on-mars"' in article
    assert 'data-entity="nasa"' in article and 'data-term="rover"' in article and "data-note=" in article
    entity = (new_site / "entities" / "nasa.html").read_text(encoding="utf-8")
    assert "example-perseverance-lands-on-mars.html#" in entity, "the entity page links to its mention"
    assert (new_site / "events" / "perseverance-lands-on-mars-2021.html").is_file()
    assert 'id="rover"' in (new_site / "glossary.html").read_text(encoding="utf-8")
    assert (new_site / "how-to-read.html").is_file()


def test_the_template_reads_offline_with_a_palette_toggle_and_search():
    config = yaml.safe_load((TEMPLATE / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    schemes = [entry["scheme"] for entry in config["theme"]["palette"]]
    assert schemes == ["default", "slate"] and all("toggle" in entry for entry in config["theme"]["palette"])
    assert "search" in config["plugins"]
    (dossier,) = [p["dossier"] for p in config["plugins"] if isinstance(p, dict) and "dossier" in p]
    assert dossier["offline"] is True


def test_the_template_explains_the_marks_and_the_pages_as_the_sample_does():
    """The two how-to-read pages differ only in what they say of their own articles; from the marks
    on, they describe the same plugin and must not drift apart."""
    marks = "## The marks in the text"
    sample = (ROOT / "docs" / "how-to-read.md").read_text(encoding="utf-8")
    template = (TEMPLATE / "docs" / "how-to-read.md").read_text(encoding="utf-8")
    assert template[template.index(marks) :] == sample[sample.index(marks) :]


def test_search_answers_from_the_file_system(new_site, browser):
    offline = Offline(browser.new_context(), new_site)
    try:
        page = offline.open("index.html")
        search(page, "NASA").first.click()
        page.wait_for_url(re.compile(r"/entities/nasa\.html"))
        assert page.locator("h1").first.inner_text() == "NASA"
        assert any(url.endswith("/search/search_index.js") for url in offline.files)
    finally:
        offline.context.close()
    assert offline.foreign == [], "requests left the machine"
    assert offline.errors == [], "scripts failed"


def test_the_template_carries_the_workflow_that_checks_builds_and_reviews(tmp_path):
    """The workflow as `dossier new` writes it; tests/test_workflow.py keeps it the same as the project's."""
    folder = tmp_path / "reviewed"
    assert new(folder).exit_code == 0
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "dossier.yml").read_text(encoding="utf-8"))
    assert set(workflow["jobs"]) == {"build", "review"}
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert runs.index("pip install -r requirements.txt") < runs.index("dossier check --format github")
    assert runs.index("dossier check --format github") < runs.index("mkdocs build --strict")
    review = workflow["jobs"]["review"]
    runs = [step.get("run", "") for step in review["steps"]]
    assert runs.index("pip install -r requirements.txt") < runs.index("dossier diff HEAD^1 --format github")
    assert review["steps"][0]["with"]["fetch-depth"] == 2
    assert "mkdocs-dossier" in (TEMPLATE / "requirements.txt").read_text(encoding="utf-8").split()


def test_an_existing_folder_is_never_written_into(tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = new(folder)
    assert result.exit_code == 1
    assert "already exists" in result.output and "never writes into an existing folder" in result.output
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"

    empty = tmp_path / "empty"
    empty.mkdir()
    assert new(empty).exit_code == 1 and list(empty.iterdir()) == []
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    assert new(a_file).exit_code == 1 and a_file.read_text(encoding="utf-8") == "x"


def test_the_title_is_the_site_name_and_the_heading_of_the_home_page_and_readme(tmp_path):
    folder = tmp_path / "mali"
    result = new(folder, "--title", 'Mali: "the visit" # 1')
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == 'Mali: "the visit" # 1'
    assert (folder / "docs" / "index.md").read_text(encoding="utf-8").startswith('# Mali: "the visit" # 1\n')
    assert (folder / "README.md").read_text(encoding="utf-8").startswith('# Mali: "the visit" # 1\n')
    assert title_from(tmp_path / "lavrov-in_mali") == "Lavrov in mali"


def test_every_template_file_is_package_data():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["mkdocs_dossier"]
    package = TEMPLATE.parent.parent
    files = {p.relative_to(package).as_posix() for p in TEMPLATE.rglob("*") if p.is_file()}
    assert len(files) >= 10
    # setuptools expands the patterns with glob: `*` stops at a `/` and skips names that start with a dot.
    shipped = {
        Path(f).relative_to(package).as_posix() for pattern in patterns for f in glob.glob(str(package / pattern))
    }
    assert sorted(files - shipped) == []
