"""The notice at the top of a page whose sources have problems, for a build that goes on with them.

A build that is not strict, and every build of `mkdocs serve`, publishes a dossier with problems (a
note whose quote is not found, an article the loader had to leave out): the terminal says so, and so
does the page a reader opens, as a Material admonition (`admonition warning`, which other themes show
as a plain box) listing each problem with its file and line. Everything in it is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from ..sources.problems import Problem
from .pages import ARTICLES_INDEX, ENTITIES_INDEX, EVENTS_INDEX, GLOSSARY

REGISTRY_PAGES = {"entities": ENTITIES_INDEX, "events": EVENTS_INDEX, "glossary": GLOSSARY}
"""The page that lists what each registry file holds (`entities.yml`, or misnamed `entities.yaml`)."""


def page_of(problem: Problem, dossier_dir: str) -> str | None:
    """The generated page on which a problem outside any built article shows: the page that lists
    what its file holds (an article left out shows on the articles' index); None for a problem
    outside the dossier folder (the configuration), which the terminal alone reports."""
    folder, _, name = problem.path.rpartition("/")
    if folder != dossier_dir and not folder.startswith(dossier_dir + "/") and problem.path != dossier_dir:
        return None
    return REGISTRY_PAGES.get(name.partition(".")[0], ARTICLES_INDEX)


def notice(problems: Iterable[Problem]) -> str:
    """The admonition listing `problems`; empty without any."""
    items = [
        Markup('<li><code class="dossier-problem-place">{}</code> {}</li>').format(
            f"{p.path}:{p.line}" if p.line else p.path, p.message
        )
        for p in sorted(set(problems))
    ]
    if not items:
        return ""
    count = len(items)
    title = f"The sources of this page have {count} problem{'s' if count != 1 else ''}"
    return str(
        Markup(
            '<div class="admonition warning dossier-problems" role="note">\n'
            '<p class="admonition-title">{}</p>\n'
            "<p>This page is published as it could be built; the dossier's editors are to fix:</p>\n"
            "<ul>\n{}\n</ul>\n</div>\n"
        ).format(escape(title), Markup("\n").join(items))
    )
