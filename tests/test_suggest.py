"""`dossier suggest` and the name-variant findings in `dossier check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MINIMAL_DOSSIER, write_tree
from mkdocs_dossier.command.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample_without_goeta(tmp_path, monkeypatch):
    """The sample dossier, with one garbled spelling of Assimi Goïta missing from entities.yml."""
    shutil.copytree(ROOT / "dossier", tmp_path / "dossier")
    entities = tmp_path / "dossier" / "entities.yml"
    entities.write_text(entities.read_text(encoding="utf-8").replace(", Goeta]", "]"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_suggest_prints_the_entry_to_paste(sample_without_goeta):
    result = CliRunner().invoke(main, ["suggest"])
    assert result.exit_code == 0, result.output
    assert "adds the alias Goeta (dossier/articles/ap-lavrov-pledges-military-aid.md:46)" in result.output
    suggested = yaml.safe_load(result.output)
    assert suggested["assimi-goita"]["aliases"] == ["Asimi Guetta", "Asemi Guetta", "Guetta", "Goeta"]
    assert suggested["assimi-goita"]["name"] == "Assimi Goïta"


def test_suggest_says_so_when_there_is_nothing(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "dossier", tmp_path / "dossier")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["suggest"])
    assert result.exit_code == 0
    assert result.output == "# The name-variant check found nothing to suggest.\n"


def test_suggest_stops_on_errors_in_the_sources(tmp_path, monkeypatch):
    (tmp_path / "dossier").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["suggest"])
    assert result.exit_code == 1
    assert "the articles folder does not exist" in result.output


def test_check_reports_variants_as_notices_that_do_not_fail(sample_without_goeta):
    result = CliRunner().invoke(main, ["check", "--format", "github"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        '::notice file=dossier/articles/ap-lavrov-pledges-military-aid.md,line=46::"Goeta" looks like a spelling of'
    )



def test_suggest_uses_the_name_variant_options_of_mkdocs_yml_unless_given(tmp_path, monkeypatch):
    front = "---\ntitle: {0}\noutlet: AP\npublished: 2023-02-07\n---\n"
    text = "Yevgeny Prigozhin spoke in Bamako on Tuesday, and Yevgeny Prigozhin left on Wednesday.\n"
    write_tree(tmp_path, {**MINIMAL_DOSSIER, "dossier/articles/a.md": front.format("A") + text})
    write_tree(tmp_path, {"dossier/articles/b.md": front.format("B") + text})
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - dossier:\n      name_variants: {min_articles: 3}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    checked = CliRunner().invoke(main, ["check"])
    assert checked.output == "No problems found (3 articles, 2 entities, 1 term, 1 event).\n"
    assert "Prigozhin" not in CliRunner().invoke(main, ["suggest"]).output
    assert "name: Yevgeny Prigozhin" in CliRunner().invoke(main, ["suggest", "--min-articles", "2"]).output
