"""The README: short, with working set-up commands, and every relative link leading somewhere."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import markdown
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"!?\[(?:[^\]`]|`[^`]*`)*\]\(([^)\s]+)\)")


def relative_links(text: str) -> list[str]:
    return [href for href in LINK.findall(text) if not urlsplit(href).scheme and not href.startswith("//")]


def anchors_of(path) -> set[str]:
    """The heading ids that MkDocs' `toc` extension gives a Markdown page."""
    md = markdown.Markdown(extensions=["toc", "tables"])
    md.convert(path.read_text(encoding="utf-8"))
    ids: set[str] = set()

    def walk(tokens):
        for token in tokens:
            ids.add(token["id"])
            walk(token["children"])

    walk(md.toc_tokens)
    return ids


def test_the_readme_is_at_most_150_lines():
    assert len(README.splitlines()) <= 150


def test_every_relative_link_in_the_readme_resolves():
    links = relative_links(README)
    assert len(links) >= 10, links
    broken = []
    for href in links:
        parts = urlsplit(href)
        target = (ROOT / unquote(parts.path)).resolve()
        if not target.is_relative_to(ROOT) or not target.exists():
            broken.append((href, "no such file"))
        elif parts.fragment and parts.fragment not in anchors_of(target):
            broken.append((href, "no such heading"))
    assert broken == []


def test_the_link_check_notices_a_broken_link():
    assert relative_links("[a](docs/guide/nowhere.md) [b](https://example.org) ![c](x.png)") == [
        "docs/guide/nowhere.md",
        "x.png",
    ]
    assert "checks-and-errors" in anchors_of(ROOT / "docs" / "guide" / "writing.md")
    assert "no-such-heading" not in anchors_of(ROOT / "docs" / "guide" / "writing.md")


def test_the_set_up_commands_are_marked_for_ci():
    for marker, command in [
        ("<!-- build-command -->", "pip install -e . && mkdocs build --strict"),
        ("<!-- test-command -->", 'pip install -e ".[test]" && pytest'),
    ]:
        after = README[README.index(marker) + len(marker) :].strip().splitlines()
        assert after[0] == "```sh" and after[1] == command


def test_the_test_command_says_what_the_tests_need():
    section = README[README.index("<!-- test-command -->") : README.index("## Start your own dossier")]
    assert "apt-get install chromium default-jre-headless" in section
    assert "Java" in section and "Chromium" in section


def test_the_readme_does_not_point_outside_the_repository():
    assert "CONTRACT.md" not in README
