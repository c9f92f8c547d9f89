"""Seconds spent in each stage of the dossier's own work, for the benchmark.

Off unless a host turns it on; when off, `stage` hands back one shared do-nothing context, so that
measuring costs nothing in an ordinary build.
"""

from __future__ import annotations

from contextlib import nullcontext
from time import perf_counter, process_time

STAGES = ("load", "match", "generate", "write")
"""load: read and check the sources, build the matcher; match: annotate the articles while they
convert; generate: render the article frames and the generated pages, and settle the garbage
collector; write: hand the pages to the host and give search the articles' text."""

NO_BACKGROUND = {"seconds": 0.0, "cpu": 0.0, "plugin_cpu": 0.0, "shared_pages": 0, "shared_articles": 0}
"""What a build without a second process reports of one (the benchmark's default as well)."""

_OFF = nullcontext()


class Timings:
    def __init__(self, enabled: bool = False) -> None:
        self.enabled = enabled
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        """Processor seconds, which other work on a shared machine disturbs less than wall time."""
        self.calls: dict[str, int] = dict.fromkeys(STAGES, 0)
        self.background = dict(NO_BACKGROUND)
        """What the second processes (see `parallel`) worked beside the build (`plugin_cpu` leaves out
        MkDocs' own conversion of the articles they converted), how many articles they converted and
        how many of the entity and event pages they rendered: it is in no stage, as the build only
        waits for them (in `generate` and `write`)."""

    def stage(self, name: str):
        """A context that adds the time spent inside it to stage `name`."""
        return _Stage(self, name) if self.enabled else _OFF

    def reset(self) -> None:
        for name in self.seconds:
            self.seconds[name], self.cpu[name], self.calls[name] = 0.0, 0.0, 0
        self.background = dict(NO_BACKGROUND)

    def add_background(
        self, seconds: float, cpu: float, *, plugin_cpu: float | None = None, pages: int = 0, articles: int = 0
    ) -> None:
        """Add what a second process worked; all of it is the plugin's unless `plugin_cpu` says."""
        if self.enabled:
            added = {
                "seconds": seconds,
                "cpu": cpu,
                "plugin_cpu": cpu if plugin_cpu is None else plugin_cpu,
                "shared_pages": pages,
                "shared_articles": articles,
            }
            for key, value in added.items():
                self.background[key] += value

    def total_cpu(self) -> float:
        return sum(self.cpu.values())

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {
            "seconds": dict(self.seconds),
            "cpu": dict(self.cpu),
            "calls": dict(self.calls),
            "total": sum(self.seconds.values()),
            "total_cpu": self.total_cpu(),
            "background": dict(self.background),
        }


class _Stage:
    __slots__ = ("timings", "name", "start", "start_cpu")

    def __init__(self, timings: Timings, name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.start, self.start_cpu = perf_counter(), process_time()

    def __exit__(self, *exc) -> None:
        timings, name = self.timings, self.name
        timings.seconds[name] = timings.seconds.get(name, 0.0) + perf_counter() - self.start
        timings.cpu[name] = timings.cpu.get(name, 0.0) + process_time() - self.start_cpu
        timings.calls[name] = timings.calls.get(name, 0) + 1
