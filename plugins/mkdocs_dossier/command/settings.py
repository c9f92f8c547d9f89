"""What a build would read of `mkdocs.yml`, for the `dossier` command.

The file is loaded with MkDocs' own loader (`mkdocs.config.load_config`), so that `!ENV`, `INHERIT`,
the defaults and the plugins' option checks work exactly as in `mkdocs build`. Nothing of MkDocs'
build is imported and no plugin event runs: only the configuration is read. What the loader reports
(an unknown setting, a bad option) comes back as problems of `mkdocs.yml`, never as a traceback.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.compare import CompareOptions
from ..analysis.variants import VariantOptions
from ..site.offline import network_loads
from ..sources.problems import Problems

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
"""The files MkDocs looks for in the current folder when none is named."""

DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")
"""The Markdown extensions MkDocs turns on whatever `mkdocs.yml` says."""

PLUGIN = "dossier"


@dataclass
class Settings:
    """Where the dossier is, and how a build converts its articles."""

    dossier_dir: Path
    extensions: list = field(default_factory=lambda: list(DEFAULT_EXTENSIONS))
    """`markdown_extensions` as MkDocs hands them to Python-Markdown (names or extension objects)."""
    extension_configs: dict = field(default_factory=dict)
    """Each extension's settings (MkDocs' `mdx_configs`)."""
    variants: VariantOptions | None = field(default_factory=VariantOptions)
    """The name-variant check's options; None when `mkdocs.yml` turns it off."""
    config_file: Path | None = None
    """The configuration read; None when there is none and the defaults hold."""
    docs_dir: Path | None = None
    """The hand-written pages' folder; None when there is no configuration."""
    comparison: CompareOptions = field(default_factory=CompareOptions)
    """How the event pages compare the coverage (the plugin's `comparison` options)."""


def load_settings(config_file: Path | None) -> tuple[Settings | None, Problems]:
    """The settings a build of `config_file` would use, and what is wrong with the file.

    With no `config_file`, `mkdocs.yml` (or `mkdocs.yaml`) in the current folder, or the defaults if
    there is neither. The settings are None when the file cannot be used (missing, unreadable, or with
    an error that would stop `mkdocs build`); the problems then say why.
    """
    problems = Problems()
    if config_file is None:
        config_file = next((Path(name) for name in CONFIG_NAMES if Path(name).is_file()), None)
        if config_file is None:
            return Settings(dossier_dir=Path(PLUGIN)), problems
    elif not config_file.is_file():
        problems.error(config_file, 0, "the configuration file does not exist")
        return None, problems

    from mkdocs import exceptions
    from mkdocs.config import load_config

    with _captured_log() as records:
        try:
            config = load_config(os.fspath(config_file))
        except exceptions.ConfigurationError as error:
            config = None
            problems.error(config_file, _yaml_line(error), _plain(str(error)))
        except exceptions.Abort:
            config = None
        except OSError as error:
            config = None
            problems.error(config_file, 0, f"cannot be read: {error.strerror or error}")
    for record in records:
        severity = "error" if record.levelno >= logging.ERROR else "warning"
        getattr(problems, severity)(config_file, 0, _plain(record.getMessage()))
    if config is None:
        if not problems.errors:
            problems.error(config_file, 0, "MkDocs cannot load this configuration")
        return None, problems

    settings = Settings(
        dossier_dir=Path(config.config_file_path or config_file).parent / PLUGIN,
        extensions=list(config.markdown_extensions),
        extension_configs=dict(config.mdx_configs),
        config_file=config_file,
        docs_dir=Path(config.docs_dir),
    )
    plugin = config.plugins.get(PLUGIN)
    if plugin is not None:
        options = plugin.config
        settings.comparison = options.comparison.options()
        settings.dossier_dir = Path(config.config_file_path or config_file).parent / options.dossier_dir
        settings.variants = options.name_variants.options() if options.name_variants.enabled else None
        if options.offline:
            for message in network_loads(config):
                problems.warning(config_file, 0, message)
    return settings, problems


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_log():
    """MkDocs' warnings and errors while loading, kept rather than printed."""
    logger = logging.getLogger("mkdocs")
    handler = _Records()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _yaml_line(error: Exception) -> int:
    """The line of a YAML syntax error, which MkDocs gives only in its message's text."""
    mark = getattr(error.__context__, "problem_mark", None) or getattr(error.__context__, "context_mark", None)
    return mark.line + 1 if mark is not None else 0


def _plain(message: str) -> str:
    """One line: GitHub annotations and `file:line: message` output have no room for more."""
    return " ".join(message.split())
