"""The guide's walkthrough, followed to the letter: its files, its commands, the saved test pages."""

from __future__ import annotations

import re
import shutil
import textwrap

from click.testing import CliRunner
from conftest import ROOT
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.command.cli import main

GUIDE = ROOT / "docs" / "guide"
GETTING_STARTED = (GUIDE / "getting-started.md").read_text(encoding="utf-8")
COMMAND = (GUIDE / "command.md").read_text(encoding="utf-8")
WALKTHROUGH = GETTING_STARTED[GETTING_STARTED.index("## From saved pages to a published dossier") :]
FILE_BLOCK = re.compile(r"<!-- walkthrough: (\S+) -->\n( *)```\w*\n(.*?)\n\2```", re.DOTALL)


def test_the_walkthrough_goes_from_saved_pages_to_a_built_site(tmp_path, monkeypatch):
    files = {path: textwrap.dedent(body) + "\n" for path, _indent, body in FILE_BLOCK.findall(WALKTHROUGH)}
    assert set(files) == {
        "mkdocs.yml",
        "docs/index.md",
        "dossier/events.yml",
        "dossier/entities.yml",
        "dossier/glossary.yml",
    }
    for path, content in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content, encoding="utf-8")
    shutil.copytree(ROOT / "tests" / "saved_pages", tmp_path / "saved")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    command = re.search(r"dossier import saved/\*\.html(.*)", WALKTHROUGH).group(1).split()
    pages = sorted(f"saved/{path.name}" for path in (tmp_path / "saved").glob("*.html"))
    imported = runner.invoke(main, ["import", *pages, *command])
    assert imported.exit_code == 1, imported.output
    example = COMMAND[COMMAND.index("$ dossier import") : COMMAND.index("Read each imported article once")]
    for line in example.splitlines()[2:]:
        if line.startswith("saved/") or line.endswith("imported."):
            assert line in imported.output.splitlines(), line

    checked = runner.invoke(main, ["check"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1] == "3 infos (2 articles, 4 entities, 1 term, 1 event)."
    assert '"Russia" appears in 2 articles' in checked.output and '"United Nations"' in checked.output
    suggested = runner.invoke(main, ["suggest"])
    assert "russia:\n  name: Russia\n  type: other\n" in suggested.output

    build(load_config(str(tmp_path / "mkdocs.yml"), strict=True))
    site = tmp_path / "site"
    lavrov = (site / "entities" / "sergei-lavrov.html").read_text(encoding="utf-8")
    assert lavrov.count('class="dossier-mentions"') == 2, "both imported articles mention him"
    event = (site / "events" / "lavrov-visits-mali-2023.html").read_text(encoding="utf-8")
    assert "The Sahel Times" in event and "dossier-timeline" in event
    assert (site / "dossier.json").is_file() and (site / "entities.ftm.json").is_file()
