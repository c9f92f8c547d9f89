"""`dossier check`: every problem of the sources, for people and as GitHub annotations."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_DOSSIER, ROOT, write_tree
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


@pytest.mark.parametrize("command", ["check", "suggest"])
def test_a_folder_with_neither_mkdocs_yml_nor_a_dossier_is_named_as_the_wrong_folder(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command])
    assert result.exit_code == 1
    assert result.output.startswith(
        "mkdocs.yml: error: is not in this folder, and neither is a dossier folder: run the command in the folder "
        "that holds mkdocs.yml, or name it with -f (or the dossier folder with --dossier)\n"
    )
    assert "create it" not in result.output


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
    result = run("--format", "github", "--dossier", "dossier")
    assert "::error file=dossier,line" not in result.output
    assert "::error file=dossier::the dossier folder does not exist" in result.output


def test_hand_written_files_where_the_dossier_generates_its_own_are_errors(project):
    (project / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - dossier\n", encoding="utf-8")
    write_tree(project, {"docs/entities/bamako.md": "# Bamako\n", "docs/dossier.json": "{}\n", "docs/glossary.md": "# G\n"})
    result = run()
    assert result.exit_code == 1
    replaced = "error: would be replaced by what the dossier generates at the same place; rename or move it"
    assert result.output.splitlines() == [
        f"docs/dossier.json: {replaced}",
        f"docs/entities/bamako.md: {replaced}",
        f"docs/glossary.md: {replaced}",
        "3 errors (1 article, 2 entities, 1 term, 1 event).",
    ]


def test_what_an_offline_site_would_load_from_the_network_fails_the_check_as_the_build(project):
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme: material\nextra_css: [https://cdn.example.org/x.css]\n"
        "plugins:\n  - dossier:\n      offline: true\n",
        encoding="utf-8",
    )
    result = run()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "mkdocs.yml: warning: extra_css loads https://cdn.example.org/x.css from the network, which an offline "
        "reader does not have",
        "mkdocs.yml: warning: theme.font loads web fonts from the network; set 'font: false' to read offline",
        "2 warnings (1 article, 2 entities, 1 term, 1 event).",
    ]


def test_the_generated_files_are_those_a_build_adds():
    from mkdocs_dossier.build import Build, Settings
    from mkdocs_dossier.command.check import generated_files

    build = Build(ROOT / "dossier", Settings())
    list(build.stubs())
    assert sorted(generated_files(build.dossier)) == sorted(build.outputs())


def test_mkdocs_yml_is_read_as_a_build_reads_it_with_env_and_inherit(project, monkeypatch):
    (project / "dossier").rename(project / "sources")
    write_tree(
        project,
        {
            "base.yml": """\
                site_name: x
                plugins:
                  - dossier:
                      dossier_dir: !ENV [DOSSIER_DIR, dossier]
                """,
            "mkdocs.yml": "INHERIT: base.yml\nsite_description: the same plugins, inherited\n",
        },
    )
    monkeypatch.setenv("DOSSIER_DIR", "sources")
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output == "No problems found (1 article, 2 entities, 1 term, 1 event).\n"
    monkeypatch.delenv("DOSSIER_DIR")
    result = run()
    assert result.exit_code == 1
    assert "dossier: error: the dossier folder does not exist" in result.output


MARKED_ARTICLE = """\
---
title: Lavrov visits Mali
outlet: AP
published: 2023-02-07
events: [visit]
notes:
  - quote: a decisive visit
    text: The source underlines it.
---
Sergei Lavrov called it a ^^decisive^^ visit, in Bamako.
"""


@pytest.mark.parametrize(
    ("extensions", "found"),
    [
        ("", False),
        ("markdown_extensions:\n  - pymdownx.caret\n", True),
        ("markdown_extensions:\n  - pymdownx.caret:\n      insert: false\n      superscript: false\n", False),
    ],
    ids=["default", "caret", "caret-turned-off"],
)
def test_the_articles_go_through_the_configured_markdown_extensions(project, extensions, found):
    """`^^decisive^^` is `<ins>decisive</ins>` with pymdownx.caret, and stays as written without it or
    with its settings turning it off, as in a build."""
    write_tree(project, {"dossier/articles/ap-visit.md": MARKED_ARTICLE})
    (project / "mkdocs.yml").write_text(f"site_name: x\nplugins:\n  - dossier\n{extensions}", encoding="utf-8")
    result = run()
    missing = "dossier/articles/ap-visit.md:7: warning: the quote 'a decisive visit' is not in the article's text"
    assert (missing in result.output) is not found, result.output
    assert result.exit_code == (0 if found else 1)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "site_name: x\nplugins: [dossier\nsite_url: https://example.org/\n",
            "mkdocs.yml:3: error: MkDocs encountered an error parsing the configuration file:",
        ),
        (
            "site_name: x\nplugins:\n  - dossier:\n      dossier_dirr: sources\n",
            "mkdocs.yml: warning: Config value 'plugins': Plugin 'dossier' option 'dossier_dirr': "
            "Unrecognised configuration name: dossier_dirr",
        ),
        (
            "site_name: x\nplugins:\n  - dossier:\n      offline: maybe\n",
            "mkdocs.yml: error: Config value 'plugins': Plugin 'dossier' option 'offline': Expected type: "
            "<class 'bool'> but received: <class 'str'>",
        ),
        ("INHERIT: base.yml\n", "mkdocs.yml: error: Inherited config file 'base.yml' does not exist at"),
        ("site_name: x\nsite_url: !ENV SITE_URL\n", None),
    ],
    ids=["yaml", "unknown-option", "bad-option", "missing-parent", "unset-env"],
)
def test_a_bad_mkdocs_yml_is_named_with_what_is_wrong_and_fails_the_check(project, config, expected):
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = run()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == (1 if expected else 0), result.output
    if expected:
        assert any(line.startswith(expected) for line in result.output.splitlines()), result.output


def test_a_named_configuration_that_does_not_exist_is_an_error(project):
    result = run("--format", "github", "-f", "missing.yml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=missing.yml::the configuration file does not exist",
        "1 problem in the configuration; the dossier was not checked.",
    ]



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


def test_the_command_never_imports_mkdocs_build(project):
    """Reading `mkdocs.yml` loads the theme and the plugins' classes, never MkDocs' build."""
    (project / "mkdocs.yml").write_text("site_name: x\ntheme: material\nplugins:\n  - search\n  - dossier\n")
    script = (
        "import sys\n"
        "from mkdocs_dossier.command.cli import main\n"
        "try:\n"
        "    main(['check'])\n"
        "except SystemExit as end:\n"
        "    assert end.code in (0, None), end.code\n"
        "print('mkdocs.commands.build' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")])}
    ran = subprocess.run([sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[-1] == "False"
