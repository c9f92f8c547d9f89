"""Problems found in a dossier's sources, reported all at once with file and line.

Every check in the core appends to a `Problems` list instead of raising, so that one build shows the
user everything there is to fix. The host decides how to show them (MkDocs logs warnings and raises
`PluginError` on errors; `dossier check` prints them).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`1 problem`, `2 problems`: the plural is the singular with an s unless given."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


class Severity(StrEnum):
    """How bad a problem is.

    `error`: the build cannot produce a trustworthy site (no dossier, an unreadable registry).
    `warning`: something the user must fix; the build goes on and `--strict` fails it.
    `info`: a suggestion that never fails a build.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the sources, located as precisely as the source allows."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class Problems:
    """An append-only collection of problems, relative to one dossier folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._items: list[Problem] = []

    def display(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                return path.relative_to(self.root.parent).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def add(self, path: Path | str, line: int | None, message: str, severity: Severity = Severity.WARNING) -> None:
        self._items.append(Problem(self.display(path), line or 0, message, severity))

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.add(path, line, message, Severity.ERROR)

    def warning(self, path: Path | str, line: int | None, message: str) -> None:
        self.add(path, line, message, Severity.WARNING)

    def info(self, path: Path | str, line: int | None, message: str) -> None:
        self.add(path, line, message, Severity.INFO)

    def extend(self, other: Problems) -> None:
        self._items.extend(other._items)

    def sorted(self) -> list[Problem]:
        """Problems sorted by file, then line, then message, as users read them."""
        return sorted(set(self._items), key=lambda p: (p.path, p.line, p.message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.ERROR]

    def __iter__(self):
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)
