"""What one build made, kept for the next build of `mkdocs serve` to reuse.

The one cache of the package: the loader keeps each file's parse, the Markdown extension each
article's annotation, the analysis each quote list and comparison, the site each generated page.
Each build asks for what it needs and `rotate` at the start of the next build drops whatever the
build before did not ask for, so that a cache never holds more than two builds' worth.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class Kept:
    """Values by key, kept from one build to the next.

    A key may hold the `id()` of objects that the value was made from; `keep` holds those objects
    alive beside the value, so that no other object takes their id while the entry lives.
    """

    def __init__(self) -> None:
        self.kept: dict[Hashable, tuple[tuple, Any]] = {}
        """What the last build made or reused."""
        self.fresh: dict[Hashable, tuple[tuple, Any]] = {}
        """What this build made or reused."""

    def get(self, key: Hashable, make: Callable[[], Any] | None = None, keep: tuple = ()) -> Any:
        """The value kept for `key`, or else what `make()` gives (None without `make`), kept from now on."""
        hit = self.fresh.get(key, _MISSING)
        if hit is _MISSING:
            hit = self.kept.get(key, _MISSING)
            if hit is _MISSING:
                if make is None:
                    return None
                hit = (keep, make())
            self.fresh[key] = hit
        return hit[1]

    def put(self, key: Hashable, value: Any, keep: tuple = ()) -> None:
        self.fresh[key] = (keep, value)

    def rotate(self) -> None:
        """Start a new build: of what was kept, only what the last build asked for stays."""
        self.kept, self.fresh = self.fresh, {}

    def __len__(self) -> int:
        return len(self.fresh)
