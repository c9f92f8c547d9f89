"""`dossier diff`: what a change does to the dossier, read from two commits of a temporary git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, write_tree
from mkdocs_dossier.command.cli import main

AP = """\
---
title: Lavrov visits Mali
outlet: AP
published: 2023-02-07
events: [visit]
notes:
  - quote: the junta
    text: The military government.
---
Sergei Lavrov met the junta in Bamako on Tuesday for talks about security.

"We will send more instructors and more weapons to Mali," Lavrov said after the meeting.

Diop thanked Russia for its support against armed groups in the north.
"""

AFP = """\
---
title: Lavrov arrives in Bamako
outlet: AFP
published: 2023-02-07
events: [visit]
---
Russian Foreign Minister Sergei Lavrov arrived in Bamako on Tuesday for talks with the junta about security.

Abdoulaye Diop received his counterpart at the airport.
"""

ENTITIES = """\
sergei-lavrov:
  name: Sergei Lavrov
  type: person
  aliases: [Lavrov]
abdoulaye-diop:
  name: Abdoulaye Diop
  type: person
  aliases: [Diop]
bamako:
  name: Bamako
  type: place
mali:
  name: Mali
  type: place
russia:
  name: Russia
  type: place
"""

GLOSSARY = """\
junta:
  definition: A military group that rules a country after taking power by force.
"""

EVENTS = """\
visit:
  title: Lavrov's visit to Mali
  date: 2023-02-07
  place: bamako
"""

BASE = {
    "mkdocs.yml": "site_name: Test\nplugins:\n  - dossier\n",
    "dossier/articles/ap-visit.md": AP,
    "dossier/articles/afp-visit.md": AFP,
    "dossier/entities.yml": ENTITIES,
    "dossier/glossary.yml": GLOSSARY,
    "dossier/events.yml": EVENTS,
    "docs/index.md": "Read about [Lavrov](entities/sergei-lavrov.md) and the [visit](events/visit.md).\n",
}

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    return done.stdout


def commit(repo: Path, files: dict[str, str | None], message: str = "change") -> None:
    """Write (or, for None, delete) files and commit them."""
    for name, content in files.items():
        if content is None:
            (repo / name).unlink()
        else:
            write_tree(repo, {name: content})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    commit(project, BASE, "base")
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return project


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["diff", *args], env=env)


def section(report: str, title: str) -> str:
    """The text of one `## title` section of the report."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", report, re.MULTILINE | re.DOTALL)
    assert found, f"no section '{title}' in:\n{report}"
    return found.group(1)


def test_an_unchanged_dossier_reports_nothing_and_passes(repo):
    commit(repo, {"README.md": "Not part of the dossier.\n"})
    result = run("HEAD~1")
    assert result.exit_code == 0, result.output
    assert "The change brings no new warning or error." in result.output
    assert "Nothing the site shows changes." in result.output
    assert "## " not in result.output


def test_a_configuration_error_on_both_sides_is_not_new(repo):
    commit(repo, {"mkdocs.yml": BASE["mkdocs.yml"] + "nav: [\n"})
    commit(repo, {"README.md": "Not part of the dossier.\n"})
    result = run("HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    assert "The change brings no new warning or error." in result.output
    assert "## New problems" not in result.output and "## Fixed problems" not in result.output


def test_a_removed_alias_loses_its_mentions_with_article_and_text(repo):
    commit(repo, {"dossier/entities.yml": ENTITIES.replace("aliases: [Diop]", "aliases: []")})
    result = run("HEAD~1")
    assert result.exit_code == 0, result.output
    records = section(result.output, "Articles, entities, terms and events")
    assert "`abdoulaye-diop`: Abdoulaye Diop: alias 'Diop' removed" in records
    mentions = section(result.output, "Mentions")
    assert "### Abdoulaye Diop (`abdoulaye-diop`): 0 gained, 1 lost" in mentions
    assert "- AP `ap-visit`: “**Diop** thanked Russia for its support against armed groups in the north.”" in mentions
    assert "Sergei Lavrov" not in mentions


def test_a_spelling_given_to_another_entity_moves_its_mentions(repo):
    entities = ENTITIES.replace("aliases: [Diop]", "aliases: []") + "diop-family:\n  name: Diop\n  type: other\n"
    commit(repo, {"dossier/entities.yml": entities})
    result = run("HEAD~1")
    mentions = section(result.output, "Mentions")
    assert "### Moved to another entity: 1" in mentions
    assert "was Abdoulaye Diop (`abdoulaye-diop`), now Diop (`diop-family`)" in mentions
    assert "gained" not in mentions, "a moved mention is neither gained nor lost"
    assert "Entities added:\n\n- `diop-family`: Diop" in result.output


def test_a_new_alias_gains_mentions_and_term_uses_are_followed_too(repo):
    commit(
        repo,
        {
            "dossier/entities.yml": ENTITIES.replace("name: Russia\n", "name: Russia\n  aliases: [Russian]\n"),
            "dossier/glossary.yml": GLOSSARY + "security:\n  definition: Freedom from danger.\n",
        },
    )
    result = run("HEAD~1")
    assert "### Russia (`russia`): 1 gained, 0 lost" in result.output
    assert "- AFP `afp-visit`: “**Russian** Foreign Minister Sergei Lavrov" in result.output
    terms = section(result.output, "Glossary terms")
    assert "### security (`security`): 2 gained, 0 lost" in terms
    assert "Glossary terms added:\n\n- `security`: security" in result.output


def test_a_note_that_loses_its_quote_is_a_new_warning_and_fails(repo):
    commit(repo, {"dossier/articles/ap-visit.md": AP.replace("met the junta", "met the military government")})
    result = run("HEAD~1")
    assert result.exit_code == 1, result.output
    assert "**The change brings 1 new warning.**" in result.output
    notes = section(result.output, "Notes")
    assert (
        "- `dossier/articles/ap-visit.md:7` note on “the junta” lost its quote: "
        "the quote 'the junta' is not in the article's text"
    ) in notes
    problems = section(result.output, "New problems")
    assert (
        "- **warning** `dossier/articles/ap-visit.md:7`: the quote 'the junta' is not in the article's text" in problems
    )


POINTER = "To see every problem of the changed sources in full, each with its file and line, run "


def test_new_problems_end_the_report_with_the_check_that_lists_them_all(repo):
    (repo / "dossier/articles/ap-visit.md").write_text(AP.replace("met the junta", "met the officials"), "utf-8")
    result = run("HEAD")
    assert result.exit_code == 1, result.output
    assert result.output.endswith(f"\n---\n\n{POINTER}`dossier check`.\n"), result.output

    commit(repo, {"dossier/articles/ap-visit.md": AP.replace("met the junta", "met the officials")})
    head = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    result = run("HEAD~1", "HEAD", "-f", "mkdocs.yml", "--dossier", "dossier")
    assert result.output.endswith(
        f"{POINTER}`dossier check -f mkdocs.yml --dossier dossier` with HEAD ({head}) checked out.\n"
    ), result.output

    commit(repo, {"dossier/entities.yml": "sergei-lavrov: [unclosed\n"})
    result = run("HEAD~1")
    assert "mentions, notes and events were not compared" in result.output
    assert result.output.endswith(f"{POINTER}`dossier check`.\n"), result.output


def test_no_new_problem_no_pointer_to_the_check(repo):
    commit(repo, {"dossier/articles/ap-visit.md": AP.replace("quote: the junta", "quote: the jinta")}, "break")
    commit(repo, {"dossier/articles/ap-visit.md": AP}, "fix")
    fixed = run("HEAD~1")
    assert "## Fixed problems" in fixed.output
    assert POINTER not in fixed.output
    commit(repo, {"README.md": "Not part of the dossier.\n"})
    assert POINTER not in run("HEAD~1").output
    commit(repo, {"dossier/entities.yml": ENTITIES.replace("sergei-lavrov:", "lavrov:")})
    links = run("HEAD~1")
    assert "## Links that now point nowhere" in links.output
    assert POINTER not in links.output, "dossier check does not look at links"


def test_a_note_whose_quote_now_stands_elsewhere_is_reported_as_moved(repo):
    article = AP.replace("met the junta in Bamako", "met officials in Bamako").replace(
        "armed groups in the north.", "armed groups in the north, a fight that the junta leads."
    )
    commit(repo, {"dossier/articles/ap-visit.md": article})
    result = run("HEAD~1")
    notes = section(result.output, "Notes")
    assert "note on “the junta” now marks a different place: was “Sergei Lavrov met **the junta** in Bamako" in notes
    assert "now “… armed groups in the north, a fight that **the junta** leads.”" in notes


def test_articles_added_removed_and_renamed(repo):
    reuters = AFP.replace("outlet: AFP", "outlet: Reuters").replace("title: Lavrov arrives in Bamako", "title: News")
    git(repo, "mv", "dossier/articles/afp-visit.md", "dossier/articles/afp-lavrov-arrives.md")
    commit(repo, {"dossier/articles/ap-visit.md": None, "dossier/articles/reuters-visit.md": reuters})
    result = run("HEAD~1")
    records = section(result.output, "Articles, entities, terms and events")
    assert "Articles added:\n\n- `reuters-visit`: Reuters, 2023-02-07, “News”" in records
    assert "Articles removed:\n\n- `ap-visit`: AP, 2023-02-07, “Lavrov visits Mali”" in records
    assert "Articles renamed (the same content under a new id):\n\n- `afp-visit` → `afp-lavrov-arrives`" in records
    mentions = section(result.output, "Mentions")
    assert "afp-lavrov-arrives" not in mentions, "a renamed article's mentions are neither lost nor gained"
    assert "- AP `ap-visit`: “**Sergei Lavrov** met the junta" in mentions
    assert "- Reuters `reuters-visit`: “Russian Foreign Minister **Sergei Lavrov** arrived" in mentions


def test_a_renamed_entity_leaves_a_link_that_points_nowhere_and_fails(repo):
    commit(repo, {"dossier/entities.yml": ENTITIES.replace("sergei-lavrov:", "lavrov:")})
    result = run("HEAD~1")
    assert result.exit_code == 1, result.output
    assert "Entities renamed (the same content under a new id):\n\n- `sergei-lavrov` → `lavrov`" in result.output
    links = section(result.output, "Links that now point nowhere")
    assert (
        "- **warning** `docs/index.md:1`: the link 'entities/sergei-lavrov.md' points to entity 'sergei-lavrov', "
        "which the site does not have; it is now entity 'lavrov' (entities/lavrov.md)"
    ) in links
    assert "## Mentions" not in result.output, "the mentions of a renamed entity stay where they were"


def test_a_removed_entity_and_a_renamed_term(repo):
    entities = ENTITIES.replace("russia:\n  name: Russia\n  type: place\n", "")
    glossary = GLOSSARY.replace("junta:\n", "military-junta:\n  term: junta\n")
    commit(
        repo,
        {
            "dossier/entities.yml": entities,
            "dossier/glossary.yml": GLOSSARY + "coup:\n  definition: A seizure of power.\n",
            "docs/index.md": BASE["docs/index.md"] + "What is a [junta](glossary.md#junta)?\n",
        },
        "a link to the glossary",
    )
    commit(repo, {"dossier/glossary.yml": glossary + "coup:\n  definition: A seizure of power.\n"})
    result = run("HEAD~1")
    assert result.exit_code == 1, result.output
    records = section(result.output, "Articles, entities, terms and events")
    assert "Glossary terms renamed (the same content under a new id):\n\n- `junta` → `military-junta`" in records
    assert "## Glossary terms" not in result.output, "a renamed term's uses stay where they were"
    links = section(result.output, "Links that now point nowhere")
    assert (
        "- **warning** `docs/index.md:2`: the link 'glossary.md#junta' points to glossary term 'junta', "
        "which does not exist"
    ) in links

    result = run("HEAD~2", "HEAD~1")
    assert "Entities removed:\n\n- `russia`: Russia" in result.output
    assert "### Russia (`russia`): 0 gained, 1 lost" in result.output
    assert "- AP `ap-visit`: “Diop thanked **Russia** for its support" in result.output


def test_terms_and_events_added_removed_renamed_and_changed(repo):
    events = EVENTS.replace("visit:", "lavrov-visit:") + "talks:\n  title: Talks\n  date: 2023-02-08\n"
    commit(
        repo,
        {
            "dossier/glossary.yml": "jihadist:\n  definition: A fighter.\n",
            "dossier/events.yml": events.replace("title: Lavrov's visit to Mali", "title: Lavrov in Mali"),
            "dossier/articles/ap-visit.md": AP.replace("events: [visit]", "events: [lavrov-visit]"),
            "dossier/articles/afp-visit.md": AFP.replace("events: [visit]", "events: [lavrov-visit]"),
        },
    )
    result = run("HEAD~1")
    records = section(result.output, "Articles, entities, terms and events")
    assert "Glossary terms added:\n\n- `jihadist`: jihadist" in records
    assert "Glossary terms removed:\n\n- `junta`: junta" in records
    assert "Events added:\n\n- `lavrov-visit`: Lavrov in Mali\n- `talks`: Talks" in records
    # The title changed with the id: not a rename, but an event removed and another added.
    assert "Events removed:\n\n- `visit`: Lavrov's visit to Mali" in records
    assert "- `ap-visit`: AP, 2023-02-07, “Lavrov visits Mali”: events changed" in records
    links = section(result.output, "Links that now point nowhere")
    assert "the link 'events/visit.md' points to event 'visit', which the site does not have" in links


def test_an_event_renamed_with_its_articles_is_a_rename_only(repo):
    commit(
        repo,
        {
            "dossier/events.yml": EVENTS.replace("visit:", "lavrov-visit:"),
            "dossier/articles/ap-visit.md": AP.replace("events: [visit]", "events: [lavrov-visit]"),
            "dossier/articles/afp-visit.md": AFP.replace("events: [visit]", "events: [lavrov-visit]"),
            "docs/index.md": BASE["docs/index.md"].replace("events/visit.md", "events/lavrov-visit.md"),
        },
    )
    result = run("HEAD~1")
    assert result.exit_code == 0, result.output
    records = section(result.output, "Articles, entities, terms and events")
    assert records.strip() == "Events renamed (the same content under a new id):\n\n- `visit` → `lavrov-visit`"
    assert "## Events" not in result.output


REUTERS = """\
---
title: Lavrov in Bamako
outlet: Reuters
published: 2023-02-08
events: [visit]
---
Sergei Lavrov arrived in Bamako on Tuesday for security talks with the junta.

"We will send more instructors and weapons to Mali," Lavrov told reporters.
"""


def test_statements_join_the_shared_facts_and_quotes_are_added(repo):
    commit(repo, {"dossier/articles/reuters-visit.md": REUTERS})
    result = run("HEAD~1")
    events = section(result.output, "Events")
    assert "### Lavrov's visit to Mali (`visit`)" in events
    joined = re.search(r"(\d+) statements? joined the shared facts", events)
    assert joined, events
    assert "Reuters `reuters-visit`: “Sergei Lavrov arrived in Bamako on Tuesday for security talks" in events
    assert (
        "- added: Reuters `reuters-visit`, Sergei Lavrov (`sergei-lavrov`): "
        "“We will send more instructors and weapons to Mali”" in events
    )


def test_statements_leave_the_shared_facts_and_quotes_are_lost(repo):
    commit(repo, {"dossier/articles/reuters-visit.md": REUTERS}, "with reuters")
    commit(repo, {"dossier/articles/reuters-visit.md": None})
    result = run("HEAD~1")
    events = section(result.output, "Events")
    assert re.search(r"\d+ statements? left the shared facts", events), events
    assert "- lost: Reuters `reuters-visit`, Sergei Lavrov (`sergei-lavrov`): “We will send" in events


def test_a_quote_given_to_another_speaker(repo):
    commit(repo, {"dossier/articles/ap-visit.md": AP.replace('," Lavrov said', '," Diop said')})
    result = run("HEAD~1")
    events = section(result.output, "Events")
    assert (
        "- AP `ap-visit`: “We will send more instructors and more weapons to Mali” now Abdoulaye Diop "
        "(`abdoulaye-diop`), was Sergei Lavrov (`sergei-lavrov`)"
    ) in events


def test_a_reworded_sentence_stays_in_the_shared_facts(repo):
    commit(repo, {"dossier/articles/afp-visit.md": AFP.replace("about security.", "about security matters.")})
    result = run("HEAD~1")
    assert "shared facts" not in result.output
    assert "## Mentions" not in result.output, "mentions in an edited sentence are kept"
    assert "- `afp-visit`: AFP, 2023-02-07, “Lavrov arrives in Bamako”: text edited" in result.output


def test_fixed_problems_are_listed_and_pass(repo):
    commit(repo, {"dossier/articles/ap-visit.md": AP.replace("quote: the junta", "quote: the jinta")}, "break")
    commit(repo, {"dossier/articles/ap-visit.md": AP})
    result = run("HEAD~1")
    assert result.exit_code == 0, result.output
    fixed = section(result.output, "Fixed problems")
    assert "- **warning** `dossier/articles/ap-visit.md`: the quote 'the jinta' is not in the article's text" in fixed


def test_the_working_tree_is_the_default_head_and_is_left_untouched(repo):
    (repo / "dossier/entities.yml").write_text(ENTITIES.replace("aliases: [Diop]", "aliases: []"), encoding="utf-8")
    before = {path: path.read_bytes() for path in repo.rglob("*") if path.is_file() and ".git" not in path.parts}
    status = git(repo, "status", "--porcelain")
    result = run("HEAD")
    assert "# Dossier changes: HEAD (" in result.output and "→ the working tree" in result.output
    assert "alias 'Diop' removed" in result.output
    assert git(repo, "status", "--porcelain") == status
    assert {path: path.read_bytes() for path in before} == before
    assert not any(path not in before for path in repo.rglob("*") if path.is_file() and ".git" not in path.parts)
    assert "alias 'Diop' removed" not in run("HEAD~0", "HEAD").output, "HEAD as a revision is the commit"


def test_the_configured_dossier_folder_is_read_from_each_revision(repo):
    git(repo, "mv", "dossier", "sources")
    commit(
        repo,
        {
            "mkdocs.yml": "site_name: !ENV [SITE_NAME, Test]\nplugins:\n  - dossier:\n      dossier_dir: sources\n",
            "sources/entities.yml": ENTITIES.replace("aliases: [Diop]", "aliases: []"),
        },
    )
    result = run("HEAD~1")
    assert result.exit_code == 0, result.output
    assert "alias 'Diop' removed" in result.output
    assert "Articles added" not in result.output and "## New problems" not in result.output


def test_github_format_writes_the_summary_and_annotates_new_problems(repo, tmp_path):
    commit(repo, {"dossier/articles/ap-visit.md": AP.replace("met the junta", "met the military government")})
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier step.\n", encoding="utf-8")
    result = run("HEAD~1", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::warning file=dossier/articles/ap-visit.md,line=7::the quote 'the junta' is not in the article's text"
    )
    assert lines[-1] == "The report is in the job summary. The change brings 1 new warning."
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("Earlier step.\n# Dossier changes: HEAD~1 (")
    assert "lost its quote" in written
    assert "# Dossier changes" not in result.stdout


def test_github_format_without_a_summary_file_prints_the_report(repo):
    commit(repo, {"dossier/entities.yml": ENTITIES.replace("sergei-lavrov:", "lavrov:")})
    result = run("HEAD~1", "--format", "github")
    assert result.exit_code == 1
    assert "::warning file=docs/index.md,line=1::the link 'entities/sergei-lavrov.md'" in result.stdout
    assert "# Dossier changes" in result.stdout
    assert "GITHUB_STEP_SUMMARY is not set" in result.stderr


def test_lists_are_capped_with_counts(repo):
    commit(repo, {"dossier/glossary.yml": None})
    result = run("HEAD~1", "--limit", "1")
    assert "### junta (`junta`): 0 gained, 2 lost" in result.output
    assert "- … and 1 more" in result.output


def test_an_unknown_revision_is_a_clear_error(repo):
    result = run("no-such-branch")
    assert result.exit_code == 2
    assert "error: 'no-such-branch' is not a revision of this repository" in result.output
    assert "Traceback" not in result.output


def test_outside_a_git_repository_is_a_clear_error(tmp_path, monkeypatch):
    write_tree(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run("HEAD")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.output


def test_a_folder_without_mkdocs_yml_is_a_clear_error(repo, monkeypatch):
    (repo / "elsewhere").mkdir()
    monkeypatch.chdir(repo / "elsewhere")
    result = run("HEAD")
    assert result.exit_code == 2
    assert "error: there is no mkdocs.yml in this folder; run dossier diff in the folder that holds it" in result.output


def test_a_revision_whose_sources_have_errors_compares_problems_only(repo):
    commit(repo, {"dossier/entities.yml": "sergei-lavrov: [unclosed\n"})
    result = run("HEAD~1")
    assert result.exit_code == 1
    assert "**error** `dossier/entities.yml:1`: malformed YAML" in section(result.output, "New problems")
    assert "mentions, notes and events were not compared" in result.output


@pytest.fixture
def sample(tmp_path, monkeypatch):
    """The sample dossier in a git repository of its own, committed once."""
    project = tmp_path / "sample"
    project.mkdir()
    for name in ("mkdocs.yml", "dossier", "docs"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy(source, project / name)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "sample")
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return project


NEW_SAMPLE_ARTICLE = """\
---
title: Lavrov in Bamako pledges more military help to Mali
outlet: Reuters
published: 2023-02-07
language: en
events: [lavrov-visits-mali-2023]
---
Russian Foreign Minister Sergei Lavrov pledged more military help to Mali on Tuesday during his first visit
to the West African country.

Lavrov was received in Bamako by his counterpart Abdoulaye Diop and met the junta leader, Colonel Assimi Goïta.

"We will now plan further steps in the field of supplies of weapons and military equipment," Lavrov said.
"""


def test_on_the_sample_an_alias_a_broken_quote_and_a_new_article_are_reported(sample, tmp_path):
    entities = (sample / "dossier/entities.yml").read_text(encoding="utf-8")
    afp = (sample / "dossier/articles/afp-lavrov-arrives-in-mali.md").read_text(encoding="utf-8")
    assert "Asemi Guetta, Guetta, Goeta]" in entities and "ruling navy council" in afp
    commit(
        sample,
        {
            "dossier/entities.yml": entities.replace("Asemi Guetta, Guetta, Goeta]", "Asemi Guetta, Goeta]"),
            "dossier/articles/afp-lavrov-arrives-in-mali.md": afp.replace("ruling navy council", "ruling council"),
            "dossier/articles/reuters-lavrov-in-bamako.md": NEW_SAMPLE_ARTICLE,
        },
    )
    result = run("HEAD~1")
    assert result.exit_code == 1, result.output
    report = result.output
    assert "- `assimi-goita`: Assimi Goïta: alias 'Guetta' removed" in report
    assert "### Assimi Goïta (`assimi-goita`): 1 gained, 2 lost" in report
    assert "- AFP `afp-lavrov-arrives-in-mali`: “Lavrov will maintain talks on Tuesday with **Guetta**," in report
    assert "note on “navy council” lost its quote" in section(report, "Notes")
    assert "Articles added:\n\n- `reuters-lavrov-in-bamako`: Reuters, 2023-02-07" in report
    assert "Reuters `reuters-lavrov-in-bamako`" in section(report, "Events")

    page = (ROOT / "docs" / "guide" / "reviewing.md").read_text(encoding="utf-8")
    shown = re.search(r"^````markdown\n(.*?)^````$", page, re.MULTILINE | re.DOTALL)
    assert shown, "docs/guide/reviewing.md shows the report in a ````markdown block"
    assert _without_revision(shown.group(1)) == _without_revision(report), (
        "docs/guide/reviewing.md shows another report than the command makes now; paste this one:\n" + report
    )

    summary = tmp_path / "summary.md"
    github = run("HEAD~1", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert github.exit_code == 1
    assert summary.read_text(encoding="utf-8") == report + "\n"
    assert github.stdout.startswith("::warning file=dossier/articles/afp-lavrov-arrives-in-mali.md,line=11::")


def _without_revision(report: str) -> str:
    return re.sub(r"^# Dossier changes: HEAD~1 \([0-9a-f]+\)", "# Dossier changes: HEAD~1 (…)", report)


def test_the_workflow_reviews_pull_requests_against_their_base():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "dossier.yml").read_text(encoding="utf-8"))
    review = workflow["jobs"]["review"]
    assert review["if"] == "github.event_name == 'pull_request'"
    checkout = next(step for step in review["steps"] if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] >= 2, "the merge commit and its parents"
    runs = [step.get("run", "") for step in review["steps"]]
    assert "dossier diff HEAD^1 --format github" in runs
    install = next(index for index, run in enumerate(runs) if run.startswith("pip install"))
    assert install < runs.index("dossier diff HEAD^1 --format github")
    assert workflow["permissions"] == {"contents": "read"}, "the job posts nothing: it reads and writes its summary"
