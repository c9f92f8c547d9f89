"""Nothing lost: a build never writes inside `dossier/` or `docs/`, whether the sources are good or not.

Before each build every file and folder under `dossier/` and `docs/` is dated in the past; after it,
the same paths must exist with the same bytes, the same modification times and the same modes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_DOSSIER, ROOT, write_tree

PAST = 1_000_000_000  # 2001-09-09, so that any write shows as a new modification time


def _snapshot(project: Path) -> dict[str, tuple]:
    found = {}
    for top in ("dossier", "docs"):
        base = project / top
        if not base.exists():
            continue
        for path in sorted([base, *base.rglob("*")]):
            info = path.lstat()
            content = path.read_bytes() if path.is_file() else None
            found[path.relative_to(project).as_posix()] = (content, info.st_mtime_ns, info.st_mode)
    return found


def _date_in_the_past(project: Path) -> None:
    for top in ("dossier", "docs"):
        base = project / top
        if base.exists():
            for path in sorted(base.rglob("*"), reverse=True):
                os.utime(path, ns=(PAST * 10**9, PAST * 10**9), follow_symlinks=False)
            os.utime(base, ns=(PAST * 10**9, PAST * 10**9))


def _hostile_tree() -> dict[str, bytes]:
    hostile = Path(__file__).parent / "hostile"
    files = {
        f"dossier/{path.relative_to(hostile).as_posix()}": path.read_bytes()
        for path in hostile.rglob("*")
        if path.is_file() and "expected" not in path.parts
    }
    return {**files, "docs/index.md": b"# Hostile\n", "docs/notes.md": b"See [the articles](articles/index.md).\n"}


def _sample_tree() -> dict[str, bytes]:
    files = {}
    for top in ("dossier", "docs"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file():
                files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    return files


BROKEN = {
    **MINIMAL_DOSSIER,
    "dossier/entities.yml": "bamako:\n  name: Bamako\n  type: city\n",
    "dossier/articles/ap-visit.md": "---\ntitle: T\noutlet: AP\npublished: 2023-02-30\nnotes:\n  - quote: nowhere\n    text: x\n---\nBody.\n",
    "dossier/articles/b/broken.md": b"---\ntitle: Caf\xe9\n---\n",
}
UNREADABLE = {**MINIMAL_DOSSIER, "dossier/glossary.yml": "junta: [\n"}
NOTES = {
    **MINIMAL_DOSSIER,
    "dossier/articles/ap-visit.md": "---\ntitle: T\noutlet: AP\npublished: 2023-02-07\nnotes:\n  - quote: Bamako\n    text: A note.\n"
    "  - quote: nowhere\n    text: Another.\n---\nSergei Lavrov met the junta in Bamako.\n",
}

SCENARIOS = {
    "minimal dossier": (MINIMAL_DOSSIER, {}, None),
    "directory URLs": (MINIMAL_DOSSIER, {"use_directory_urls": True}, None),
    "sample dossier": (_sample_tree(), {}, None),
    "hostile dossier": (_hostile_tree(), {"markdown_extensions": ["extra", "admonition", "toc"]}, None),
    "hostile dossier, not sanitised": (_hostile_tree(), {"plugins": [{"dossier": {"sanitize": False}}]}, None),
    "warnings": (BROKEN, {}, "Aborted with a BuildError!"),
    "notes that cannot be anchored": (NOTES, {}, "Aborted with a BuildError!"),
    "an unreadable registry": (UNREADABLE, {}, "Aborted with a BuildError!"),
    "no dossier at all": ({"docs/index.md": "# Nothing\n"}, {}, "Aborted with a BuildError!"),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_build_leaves_dossier_and_docs_untouched(name, build_site, tmp_path):
    files, settings, aborted = SCENARIOS[name]
    project = tmp_path / "project"
    write_tree(project, files)
    (project / "docs").mkdir(exist_ok=True)
    _date_in_the_past(project)
    before = _snapshot(project)
    assert before, "nothing to compare"

    built = build_site({}, strict=True, **settings)

    assert _snapshot(project) == before
    if aborted is None:
        assert built.aborted is None, built.messages()
        assert (built.site / "index.html").is_file()
    else:
        assert built.aborted is not None and built.aborted.endswith(aborted)


def test_the_snapshot_sees_a_change(tmp_path):
    """The comparison above would notice a rewrite, even of the same bytes, and a new file."""
    write_tree(tmp_path, MINIMAL_DOSSIER)
    _date_in_the_past(tmp_path)
    before = _snapshot(tmp_path)
    article = tmp_path / "dossier/articles/ap-visit.md"
    article.write_bytes(article.read_bytes())
    assert _snapshot(tmp_path) != before
    _date_in_the_past(tmp_path)
    before = _snapshot(tmp_path)
    (tmp_path / "docs/.cache").mkdir()
    assert _snapshot(tmp_path) != before
    shutil.rmtree(tmp_path / "docs/.cache")
