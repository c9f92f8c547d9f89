"""CONTRACT.md's promises, checked on whole built sites: the sample, and a dossier it was not tuned on."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from contract import check_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.sources.loader import load_dossier
from tools import missing

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = Path(__file__).resolve().parent / "dossiers" / "kara-murza"


def build_project(project: Path, site: Path, **settings) -> None:
    config = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(site), **settings)
    build(config)


def test_the_sample_keeps_every_promise(sample_site):
    dossier, _ = load_dossier(ROOT / "dossier")
    assert check_site(sample_site, dossier) == []


@pytest.mark.parametrize("use_directory_urls", [False, True])
def test_an_unseen_dossier_of_real_news_keeps_every_promise(tmp_path, use_directory_urls):
    project = tmp_path / "project"
    shutil.copytree(UNSEEN / "dossier", project / "dossier")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Kara-Murza\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Kara-Murza\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n  - dossier\n",
        encoding="utf-8",
    )
    build_project(project, tmp_path / "site", use_directory_urls=use_directory_urls)
    dossier, _ = load_dossier(project / "dossier")
    assert check_site(tmp_path / "site", dossier, use_directory_urls) == []

    def page(stem: str) -> str:
        return (tmp_path / "site" / (f"{stem}/index.html" if use_directory_urls else f"{stem}.html")).read_text()

    assert ">U.S. State Department</a>" in page("articles/wire-kara-murza-sentenced")
    spellings = page("entities/vladimir-kara-murza").split('id="spellings"')[1].split("</p>")[0]
    assert "<q>Kara-Murza</q> (4)" in spellings and "<q>Владимир Кара-Мурза</q> (1)" in spellings


def test_the_checker_notices_a_broken_promise(sample_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    dossier, _ = load_dossier(ROOT / "dossier")
    page = site / "entities" / "mali.html"
    page.write_text(
        page.read_text().replace(
            'href="../articles/afp-lavrov-arrives-in-mali.html#m-mali-1"',
            'href="../articles/afp-lavrov-arrives-in-mali.html#m-mali-99"',
        )
    )
    body = site / "articles" / "ap-lavrov-pledges-military-aid.html"
    body.write_text(
        body.read_text()
        .replace("<code>", "<code>")
        .replace("<p>", '<p><code><a data-entity="mali" id="x">Mali</a></code>', 1)
    )
    (site / "entities" / "bamako.html").unlink()
    broken = check_site(site, dossier)
    assert "missing page entities/bamako.html" in broken
    assert "articles/afp-lavrov-arrives-in-mali.html: no element with id 'm-mali-99'" in broken
    assert "articles/ap-lavrov-pledges-military-aid: <a data-entity='mali'> inside <code>" in broken


def test_the_sample_builds_strict_under_properdocs(tmp_path):
    """Run as `python -m properdocs`, so it runs wherever ProperDocs can be imported (skipped where it
    cannot, failed in CI)."""
    if importlib.util.find_spec("properdocs") is None:
        missing("ProperDocs is not installed (pip install -e '.[test]')")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "plugins")}
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    dossier, _ = load_dossier(ROOT / "dossier")
    assert check_site(tmp_path / "site", dossier) == []
