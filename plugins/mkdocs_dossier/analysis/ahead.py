"""The events' comparisons, worked out in worker processes while the host writes the other pages.

The comparison of an event's coverage is the largest part of the dossier's own work, and can only
start once every article is annotated, when MkDocs starts writing the pages. Each event is compared
apart from the others, from inputs that pickle (the event, its articles with their annotations and
quotes, the entities they name and the options), so a standard process pool compares them in order on the
machine's other cores, with the same code, while the host writes the articles' and entities' pages.

By the time the host comes to an event's page, its comparison has usually come back; one that a
worker has not started yet is taken back and compared in the host, and one that a worker failed on
is compared again in the host, so that any error shows as it would without workers.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import zlib
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..sources.model import Annotation, Dossier
from .compare import CompareOptions, Comparison, compare_event
from .quotes import Quote

MISSING = object()
"""What `take` gives for an event the host is to compare itself."""


def compare_packed(*inputs) -> bytes:
    """In a worker: `compare_event(*inputs)`, pickled and compressed. The comparisons come back
    faster than the host writes their pages; held packed until then, they take a tenth of the room."""
    return zlib.compress(pickle.dumps(compare_event(*inputs), pickle.HIGHEST_PROTOCOL), 1)


def worker_count() -> int:
    """One worker per core beside the host's, at most four; none on a single core."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


class ComparisonsAhead:
    """The comparisons of every event with two annotated articles or more, in a process pool."""

    def __init__(
        self,
        dossier: Dossier,
        annotations: Mapping[str, Annotation],
        quotes: Mapping[str, list[Quote]],
        options: CompareOptions,
        workers: int,
    ) -> None:
        """`quotes` are every article's quotes, which the host finds anyway for the entity pages."""
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[str, Future] = {}
        self.unavailable: str | None = None
        """Why no worker could start, if none could: then the host compares every event itself."""
        # Fresh interpreters on every system: a fork would copy the whole build into each worker.
        try:
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            for event_id, inputs in _inputs(dossier, annotations, quotes, options):
                self.futures[event_id] = self.pool.submit(compare_packed, *inputs)
        except (OSError, RuntimeError, BrokenProcessPool) as error:
            # No processes or no semaphores here (some sandboxes and serverless systems).
            self.unavailable = f"{type(error).__name__}: {error}"
            self.close()

    def take(self, event_id: str) -> Comparison | None | object:
        """The event's comparison, waiting for it if a worker is on it; `MISSING` when the host is to
        compare it: never sent, not started yet, or failed."""
        future = self.futures.pop(event_id, None)
        if future is None or future.cancel():
            return MISSING
        try:
            return pickle.loads(zlib.decompress(future.result()))
        except Exception:  # The pool broke (`BrokenProcessPool`), or the comparison failed.
            return MISSING

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.futures = {}


def _inputs(
    dossier: Dossier, annotations: Mapping[str, Annotation], quotes: Mapping[str, list[Quote]], options: CompareOptions
):
    """(event id, the inputs of `compare_event`) of each event with two annotated articles or more,
    with only the annotations, quotes and entities that event needs."""
    entities = dossier.entities
    for event in dossier.events_by_date:
        articles = [a for a in dossier.coverage.get(event.id, []) if a.id in annotations]
        if len(articles) < 2:
            continue
        shown = {a.id: annotations[a.id] for a in articles}
        quoted = {a.id: quotes.get(a.id, []) for a in articles}
        named = {m.entity for annotation in shown.values() for m in annotation.mentions}
        named.update(q.speaker for found in quoted.values() for q in found if q.speaker)
        named.update(entity_id for entity_id in (event.place,) if entity_id)
        named &= entities.keys()
        yield event.id, (event, articles, shown, {e: entities[e] for e in sorted(named)}, options, quoted)
