"""`dossier new DIR`: a ready dossier, copied from the template folder beside this module.

The template is a dossier as a user would write it (`template/`): a Material site with the plugin
reading offline, a palette toggle and search, one example article, two entities, a term and an event,
a how-to-read page and the GitHub workflow. It builds with `mkdocs build --strict` as it is.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).with_name("template")
SITE_NAME = re.compile(r"^site_name: .*$", re.MULTILINE)
HEADING = re.compile(r"\A# .*$", re.MULTILINE)


class TargetExists(Exception):
    """The folder to create is already there; `dossier new` never writes into it."""


def title_from(folder: Path) -> str:
    """A site name from the folder's name: `lavrov-in-mali` gives "Lavrov in mali"."""
    words = re.sub(r"[-_.\s]+", " ", folder.resolve().name).strip()
    return (words[:1].upper() + words[1:]) if words else "My dossier"


def create_dossier(target: Path, title: str | None = None) -> list[Path]:
    """Copy the template to `target`, which must not exist, with `title` as the site's name and the
    heading of the home page and of the README. Returns the files written, relative to `target`."""
    if target.exists() or target.is_symlink():
        raise TargetExists(target)
    title = title or title_from(target)
    try:
        shutil.copytree(TEMPLATE, target, ignore=shutil.ignore_patterns("__pycache__"))
    except FileExistsError as error:  # made by someone else in the meantime
        raise TargetExists(target) from error
    config = target / "mkdocs.yml"
    # A JSON string is a YAML string: any title stays one value, quotes and colons included.
    config.write_text(
        SITE_NAME.sub(lambda _: f"site_name: {json.dumps(title, ensure_ascii=False)}", config.read_text("utf-8"), 1),
        encoding="utf-8",
    )
    for page in (target / "docs" / "index.md", target / "README.md"):
        page.write_text(HEADING.sub(lambda _: f"# {title}", page.read_text("utf-8"), 1), encoding="utf-8")
    return sorted(path.relative_to(target) for path in target.rglob("*") if path.is_file())
