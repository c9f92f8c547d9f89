"""`dossier check`: every problem of the sources, for people and as GitHub annotations."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_DOSSIER, write_tree
from mkdocs_dossier.command.check import fails, format_github
from mkdocs_dossier.command.cli import main
from mkdocs_dossier.sources.problems import Problem, Problems, Severity

BAD_ARTICLE = """\
---
title: Lavrov visits Mali
outlet: AP
published: 2023-02-30
events: [visit]
notes:
  - quote: not in the text at all
    text: A note whose quote is missing.
---
Sergei Lavrov met the junta in Bamako.
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(tmp_path, MINIMAL_DOSSIER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_a_clean_dossier_passes(project):
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output == "No problems found (1 article, 2 entities, 1 term, 1 event).\n"


def test_every_problem_is_printed_with_file_and_line_and_the_check_fails(project):
    write_tree(project, {"dossier/articles/bad.md": BAD_ARTICLE})
    result = run()
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "dossier/articles/bad.md:4: warning: the front matter: 'published' '2023-02-30' is not a date or date-time"
        in lines[0]
    )
    assert lines[-1] == "1 warning (1 article, 2 entities, 1 term, 1 event)."


def test_a_note_whose_quote_is_not_in_the_text_is_found_without_building(project):
    article = BAD_ARTICLE.replace("2023-02-30", "2023-02-07")
    write_tree(project, {"dossier/articles/ap-visit.md": article})
    result = run()
    assert result.exit_code == 1
    assert (
        "dossier/articles/ap-visit.md:7: warning: the quote 'not in the text at all' is not in the article's text"
        in result.output
    )


def test_github_format_prints_annotations_relative_to_the_repository_root(project):
    write_tree(project, {"dossier/articles/bad.md": BAD_ARTICLE})
    result = run("--format", "github")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::warning file=dossier/articles/bad.md,line=4::the front matter: 'published'")


def test_errors_are_error_annotations_and_fail(project):
    (project / "dossier" / "entities.yml").write_text("- not a mapping\n", encoding="utf-8")
    result = run("--format", "github")
    assert result.exit_code == 1
    assert (
        "::error file=dossier/entities.yml,line=1::must be a mapping from entity ids to their fields" in result.output
    )


def test_paths_are_relative_to_where_the_command_runs(project, monkeypatch):
    write_tree(project, {"dossier/articles/bad.md": BAD_ARTICLE})
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    result = CliRunner().invoke(main, ["check", "--dossier", "../dossier", "--format", "github"])
    assert "file=../dossier/articles/bad.md,line=4" in result.output


def test_the_dossier_folder_comes_from_mkdocs_yml(project):
    (project / "dossier").rename(project / "sources")
    (project / "mkdocs.yml").write_text(
        textwrap.dedent(
            """\
            site_name: x
            site_dir: !ENV [SITE_DIR, site]
            plugins:
              - dossier:
                  dossier_dir: sources
            """
        ),
        encoding="utf-8",
    )
    result = run()
    assert result.exit_code == 0, result.output
    result = run("--format", "github", "-f", "missing.yml")
    assert "::error file=dossier,line" not in result.output
    assert "::error file=dossier::the dossier folder does not exist" in result.output


def test_github_annotations_escape_what_would_end_the_command():
    problem = Problem("dossier/a,b:c.md", 3, "100% wrong\nsecond line", Severity.WARNING)
    line = format_github(problem, Path("/repo"), Path("/repo"))
    assert line == "::warning file=dossier/a%2Cb%3Ac.md,line=3::100%25 wrong%0Asecond line"


def test_infos_do_not_fail_the_check():
    problems = Problems()
    problems.info("x", 1, "a suggestion")
    assert not fails(problems)
    problems.warning("x", 2, "must fix")
    assert fails(problems)
