"""The `dossier` plugin's options in `mkdocs.yml`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class DossierConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off, for example for a quick build of the hand-written pages only."""

    dossier_dir = c.Type(str, default="dossier")
    """The folder holding `articles/` and the YAML registries, relative to `mkdocs.yml`."""

    term_marks = c.Choice(("first", "all"), default="first")
    """Mark a glossary term at its first use in each article only, or at every use."""

    sanitize = c.Type(bool, default=True)
    """Clean the HTML of article bodies (no scripts, event handlers, `javascript:` links or frames).
    Turn it off only for a dossier whose every source is trusted."""
