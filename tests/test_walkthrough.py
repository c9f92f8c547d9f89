"""The guide's getting-started page, followed to the letter: its commands, its files, the saved test pages.

Each shell block the page marks `<!-- walkthrough: run -->` is run, command by command, and each block
marked `<!-- walkthrough: PATH -->` is written to PATH, in the order of the page. A command this runner
does not know fails the test, so the page cannot show a step that is not followed here.
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.command.cli import main

GUIDE = ROOT / "docs" / "guide"
GETTING_STARTED = (GUIDE / "getting-started.md").read_text(encoding="utf-8")
COMMAND = (GUIDE / "command.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- walkthrough: (\S+) -->\n( *)```\w*\n(.*?)\n\2```", re.DOTALL)
FENCE = re.compile(r"```sh\n(.*?)\n```", re.DOTALL)


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = re.search(r"^## ", text[start + len(heading) :], re.MULTILINE)
    return text[start : start + len(heading) + following.start()] if following else text[start:]


@dataclass
class Walker:
    """Runs a page's commands in a folder, keeping each `dossier` command's result."""

    cwd: Path
    monkeypatch: pytest.MonkeyPatch
    results: dict[str, object] = field(default_factory=dict)
    built: list[Path] = field(default_factory=list)

    def run(self, line: str) -> None:
        words = shlex.split(line)
        self.monkeypatch.chdir(self.cwd)
        if words[0] == "dossier":
            args = [m for w in words[1:] for m in (sorted(glob.glob(w)) if "*" in w else [w])]
            self.results[words[1]] = CliRunner().invoke(main, args)
        elif words == ["mkdocs", "build", "--strict"]:
            build(load_config(str(self.cwd / "mkdocs.yml"), strict=True))
            self.built.append(self.cwd / "site")
        elif words[0] == "cd" and len(words) == 2:
            self.cwd = self.cwd / words[1]
        elif words[0] == "rm" and len(words) == 2:
            (self.cwd / words[1]).unlink()
        else:
            pytest.fail(f"the walkthrough runs a command the test does not follow: {line}")

    def write(self, path: str, body: str) -> None:
        target = self.cwd / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(body) + "\n", encoding="utf-8")


def test_start_a_dossier_builds_the_example_at_once(tmp_path, monkeypatch):
    walker = Walker(tmp_path, monkeypatch)
    (commands,) = FENCE.findall(section(GETTING_STARTED, "## Start a dossier"))
    for line in commands.splitlines():
        walker.run(line)
    assert walker.results["new"].exit_code == 0, walker.results["new"].output
    (site,) = walker.built
    assert (site / "articles" / "example-perseverance-lands-on-mars.html").is_file()
    assert (site / "entities" / "nasa.html").is_file()
    assert (site / "search" / "search_index.js").is_file(), "offline: true, so search reads from file://"


def test_the_walkthrough_goes_from_saved_pages_to_a_built_site(tmp_path, monkeypatch):
    walkthrough = section(GETTING_STARTED, "## From saved pages to a published dossier")
    walker = Walker(tmp_path, monkeypatch)
    written = []
    saving = walkthrough.index("### 3. Save the articles")
    for block in BLOCK.finditer(walkthrough):
        path, body = block.group(1), block.group(3)
        if block.start() > saving and not (walker.cwd / "saved").exists():
            # Step 3 is done in a browser; the tests' saved pages stand in for what it saves.
            shutil.copytree(ROOT / "tests" / "saved_pages", walker.cwd / "saved")
        if path == "run":
            for line in textwrap.dedent(body).splitlines():
                walker.run(line)
        else:
            walker.write(path, body)
            written.append(path)
    assert written == ["docs/index.md", "dossier/events.yml", "dossier/entities.yml", "dossier/glossary.yml"]
    assert list(walker.results) == ["new", "import", "check", "suggest"]

    imported = walker.results["import"]
    assert imported.exit_code == 1, imported.output
    example = COMMAND[COMMAND.index("$ dossier import") : COMMAND.index("Read each imported article once")]
    for line in example.splitlines()[2:]:
        if line.startswith("saved/") or line.endswith("imported."):
            assert line in imported.output.splitlines(), line

    checked = walker.results["check"]
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1] == "3 infos (2 articles, 4 entities, 1 term, 1 event)."
    assert '"Russia" appears in 2 articles' in checked.output and '"United Nations"' in checked.output
    assert "russia:\n  name: Russia\n  type: other\n" in walker.results["suggest"].output

    (site,) = walker.built
    assert not (site / "articles" / "example-perseverance-lands-on-mars.html").exists()
    lavrov = (site / "entities" / "sergei-lavrov.html").read_text(encoding="utf-8")
    assert lavrov.count('class="dossier-mentions"') == 2, "both imported articles mention him"
    event = (site / "events" / "lavrov-visits-mali-2023.html").read_text(encoding="utf-8")
    assert "The Sahel Times" in event and "dossier-timeline" in event
    assert (site / "dossier.json").is_file() and (site / "entities.ftm.json").is_file()
    assert "<title>Sergei Lavrov's visit to Mali</title>" in (site / "index.html").read_text(encoding="utf-8")
