"""Reading a revision of a dossier out of git, for `dossier diff`: one `Side`, checked and annotated.

Neither site is built and the working tree is never written: a revision's project folder (the one that
holds `mkdocs.yml`, read as `dossier check` reads it) is written out with `git archive` into a
temporary folder. Each side is checked and annotated once, as `dossier check` does it (the build's
loader and Markdown extension, no MkDocs); where the registries' spellings are the same on both sides,
an article that did not change is annotated once for both. Kept apart from the comparison so that
what git and the file system can do wrong stays in one place.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..sources.model import Annotation, Dossier
from ..sources.problems import Problems
from .check import check_and_annotate
from .settings import Settings, load_settings

WORKING_TREE = "the working tree"


class DiffError(Exception):
    """The revisions cannot be read: not a git repository, an unknown revision."""


def _git(toplevel: Path, *args: str, binary: bool = False):
    done = subprocess.run(["git", *args], cwd=toplevel, capture_output=True, check=False)
    if done.returncode:
        raise DiffError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace").strip()


def repository_of(folder: Path) -> Path:
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel")).resolve()
    except (DiffError, OSError) as exc:
        raise DiffError(f"{folder} is not inside a git repository ({exc})") from exc


def resolve_revision(toplevel: Path, revision: str) -> str:
    try:
        return _git(toplevel, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except DiffError:
        raise DiffError(f"'{revision}' is not a revision of this repository (a branch, tag or commit)") from None


def _extract(toplevel: Path, sha: str, paths: Iterable[str], into: Path) -> None:
    """Write the files under `paths` at revision `sha` into `into`, leaving out paths it does not have
    ('' stands for the whole tree)."""
    present = []
    for path in dict.fromkeys(paths):
        if path in ("", "."):
            present = []
            break
        if subprocess.run(
            ["git", "cat-file", "-e", f"{sha}:{path}"], cwd=toplevel, capture_output=True, check=False
        ).returncode:
            continue
        present.append(path)
    else:
        if not present:
            return
    # No path at all: the whole tree.
    archive = _git(toplevel, "archive", "--format=tar", sha, "--", *present, binary=True)
    with tempfile.TemporaryFile() as raw:
        raw.write(archive)
        raw.seek(0)
        with tarfile.open(fileobj=raw) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(into, filter="data")
            else:  # pragma: no cover (Python before 3.11.4)
                tar.extractall(into)


@dataclass
class DocPage:
    src: str
    """Its path in the docs folder, as MkDocs names the page."""
    path: Path
    text: str


@dataclass
class Side:
    """One revision of the project, checked and annotated."""

    label: str
    root: Path
    """The dossier folder as read (inside a temporary folder for a revision)."""
    origin: Path
    """Where `root.parent` stands in the repository: problems' paths are relative to it."""
    dossier: Dossier
    problems: Problems
    annotations: dict[str, Annotation] | None
    docs: list[DocPage]
    settings: Settings

    @cached_property
    def entity_types(self) -> dict[str, str]:
        """Each entity's type, by id, as quotes prefer a person for a speaker."""
        return {entity_id: entity.type for entity_id, entity in self.dossier.entities.items()}


def read_side(
    toplevel: Path,
    sha: str | None,
    label: str,
    config_file: Path,
    dossier_dir: Path | None,
    scratch: Path,
    other: Side | None = None,
) -> Side:
    """Check and annotate the project at revision `sha` (None: the working tree), taking the
    annotations of `other` for the articles that are the same on both sides.

    `mkdocs.yml` is read as `dossier check` reads it (MkDocs' own loader); a revision's project
    folder (the one that holds `mkdocs.yml`) is written out first, as the loader wants its docs folder.
    """
    config_rel = config_file.resolve().relative_to(toplevel).as_posix()
    project = posixpath.dirname(config_rel)
    folder = toplevel
    if sha is not None:
        folder = scratch
        _extract(toplevel, sha, [project], folder)
    settings, config_problems = load_settings(folder / config_rel)
    if settings is None:
        settings = Settings(dossier_dir=folder / project / "dossier")
    if dossier_dir is not None:
        dossier_rel = dossier_dir.resolve().relative_to(toplevel).as_posix()
    else:
        dossier_rel = Path(os.path.relpath(settings.dossier_dir, folder)).as_posix()
    if dossier_rel == ".." or dossier_rel.startswith(("../", "/")):
        raise DiffError(f"the dossier folder of {config_rel} is outside the repository")
    if sha is not None and not (dossier_rel + "/").startswith(project + "/" if project else ""):
        _extract(toplevel, sha, [dossier_rel], folder)
    root = folder / dossier_rel
    known = None
    if other is not None and other.annotations is not None:
        if (other.settings.extensions, other.settings.extension_configs) == (
            settings.extensions,
            settings.extension_configs,
        ):
            known = (other.dossier, other.annotations)
    dossier, problems, annotations = check_and_annotate(root, settings, other=known)
    for problem in config_problems:
        shown = Path(os.path.relpath(Path(problem.path), root.parent)).as_posix()
        # MkDocs names the file it read in some messages: a revision's copy, in a folder made for this
        # diff, whose name would make the same problem look new on each side.
        message = problem.message.replace(str(folder), str(toplevel)) if sha is not None else problem.message
        problems.add(root.parent / shown, problem.line, message, problem.severity)
    docs_folder = settings.docs_dir or folder / project / "docs"
    docs = []
    if docs_folder.is_dir():
        for path in sorted(docs_folder.rglob("*.md")):
            if path.is_file():
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                docs.append(DocPage(path.relative_to(docs_folder).as_posix(), path, text))
    origin = (toplevel / dossier_rel).parent
    return Side(label, root, origin, dossier, problems, annotations, docs, settings)
