"""Check a dossier's sources without building the site, and print the problems for people or for CI.

The checks are the build's own: `sources.load_dossier` for the files and fields, then every article
body through Python-Markdown with the Markdown extensions that `mkdocs.yml` configures and the
`DossierExtension` after them, as in a build; that is where a note's quote is looked for in the text.
MkDocs' build is never imported (see `settings` for how `mkdocs.yml` is read).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import markdown

from ..analysis.variants import find_variants
from ..build import DOSSIER_JSON, FTM_JSON
from ..site import pages
from ..sources.loader import load_dossier
from ..sources.model import Annotation, Dossier
from ..sources.problems import Problem, Problems, Severity, counted
from ..text.extension import Annotator, DossierExtension
from .settings import DEFAULT_EXTENSIONS, Settings

GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def annotate(
    dossier: Dossier,
    extensions: list | None = None,
    extension_configs: dict | None = None,
    other: Annotated | None = None,
) -> dict[str, Annotation]:
    """Every article's annotation, as a build makes it, keyed by article id.

    `extensions` and `extension_configs` are `mkdocs.yml`'s `markdown_extensions` as MkDocs hands them
    to Python-Markdown (by default, the ones MkDocs always turns on). `other` is another version of the
    dossier with its annotations, made with the same extensions: where both have the same spellings to
    match, an article whose text and notes are the same in both is not converted again.
    """
    extension = DossierExtension(Annotator(dossier))
    configured = list(DEFAULT_EXTENSIONS) if extensions is None else list(extensions)
    md = markdown.Markdown(extensions=[*configured, extension], extension_configs=extension_configs or {})
    annotations = {}
    same = other is not None and _spellings(other[0]) == _spellings(dossier)
    for article in dossier.articles_by_date:
        if same:
            before = other[0].articles.get(article.id)
            if before is not None and (before.body, before.notes) == (article.body, article.notes):
                annotations[article.id] = other[1][article.id]
                continue
        md.reset()
        extension.article = article
        md.convert(article.body)
        annotations[article.id] = extension.result
    return annotations


Annotated = tuple[Dossier, Mapping[str, Annotation]]


def _spellings(dossier: Dossier) -> frozenset:
    """Everything of the registries that annotating depends on."""
    return frozenset(
        (kind, record.id, form, record.case_sensitive, record.priority, record.accent_sensitive)
        for kind, records in (("entity", dossier.entities), ("term", dossier.terms))
        for record in records.values()
        for form in record.surface_forms
    )


def check_dossier(root: Path, settings: Settings | None = None) -> tuple[Dossier, Problems]:
    """Every problem a build with `settings` would report about the dossier at `root`.

    The name-variant findings come as info problems, as in a build (none when the settings turn the
    check off). Without settings, MkDocs' defaults hold.
    """
    dossier, problems, _ = check_and_annotate(root, settings)
    return dossier, problems


def check_and_annotate(
    root: Path, settings: Settings | None = None, other: Annotated | None = None
) -> tuple[Dossier, Problems, dict[str, Annotation] | None]:
    """`check_dossier`, with the articles' annotations (None when the sources have errors); `other`
    as for `annotate`."""
    root = Path(root)
    settings = settings or Settings(dossier_dir=root)
    dossier, problems = load_dossier(root)
    if settings.docs_dir is not None:
        for src_uri in generated_files(dossier):
            if (settings.docs_dir / src_uri).is_file():
                problems.error(
                    settings.docs_dir / src_uri,
                    None,
                    "would be replaced by what the dossier generates at the same place; rename or move it",
                )
    if problems.errors:
        return dossier, problems, None
    annotations = annotate(dossier, settings.extensions, settings.extension_configs, other)
    for article in dossier.articles_by_date:
        for note, reason in annotations[article.id].problems:
            problems.warning(root.parent / article.path, note.line, reason)
    for finding in find_variants(dossier, annotations, settings.variants) if settings.variants is not None else ():
        location = finding.locations[0]
        problems.info(root.parent / location.path, location.line, finding.message)
    return dossier, problems, annotations


def generated_files(dossier: Dossier) -> list[str]:
    """Where in the docs folder a build puts the dossier's pages and exports (`Build.outputs`): a
    hand-written file there stops the build."""
    return [
        *(pages.ARTICLE.format(id=article_id) for article_id in dossier.articles),
        pages.ARTICLES_INDEX,
        pages.EVENTS_INDEX,
        pages.ENTITIES_INDEX,
        pages.GLOSSARY,
        *(pages.ENTITY.format(id=entity_id) for entity_id in dossier.entities),
        *(pages.EVENT.format(id=event_id) for event_id in dossier.events),
        DOSSIER_JSON,
        FTM_JSON,
    ]


def fails(problems: Problems) -> bool:
    """Errors and warnings fail a check, as they fail `mkdocs build --strict`; suggestions do not."""
    return any(problem.severity is not Severity.INFO for problem in problems)


def relative_path(problem: Problem, base: Path, cwd: Path) -> str:
    """The problem's file relative to `cwd`: what GitHub expects when `cwd` is the repository root."""
    return Path(os.path.relpath(Path(base) / problem.path, cwd)).as_posix()


def format_text(problem: Problem, base: Path, cwd: Path) -> str:
    where = relative_path(problem, base, cwd)
    if problem.line:
        where += f":{problem.line}"
    return f"{where}: {problem.severity.value}: {problem.message}"


def format_github(problem: Problem, base: Path, cwd: Path) -> str:
    """A GitHub Actions workflow command, which GitHub shows on the line of the pull request's diff."""
    properties = f"file={_escape_property(relative_path(problem, base, cwd))}"
    if problem.line:
        properties += f",line={problem.line}"
    return f"::{GITHUB_COMMANDS[problem.severity]} {properties}::{_escape_data(problem.message)}"


def summary(dossier: Dossier, problems: Problems) -> str:
    counts = {severity: 0 for severity in Severity}
    for problem in problems:
        counts[problem.severity] += 1
    found = dossier.contents()
    if not problems:
        return f"No problems found ({found})."
    parts = [counted(counts[s], s.value, f"{s.value}s") for s in Severity if counts[s]]
    return f"{', '.join(parts)} ({found})."


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
