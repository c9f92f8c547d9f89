"""Work done in a second process while the host goes on with its own, its result collected later.

MkDocs converts the articles one by one, and then writes every page one by one, on one core; the pages
that gather the whole dossier (entities, events and their comparisons) can only be rendered once every
article is annotated. `Deferred` forks a copy of the build, which has everything in memory already, to
do part of such work there and hand over its results as they come, so that the two run side by side on
a machine with two cores or more; `Spool` holds what they hand over.

A fork is only safe where the process runs a single thread (`mkdocs serve` runs several) and where the
platform forks without `exec` (Linux); anywhere else, or when the second process fails in any way, the
work runs here when its result is first asked for, exactly as it would have without a second process,
errors included.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator


def can_fork() -> bool:
    """Whether this process may fork a copy of itself to work beside it."""
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


class Deferred:
    """The values that `work()` yields, worked out in a forked process when `start` can, and
    collected in order: `part(n)` waits for the nth, `arrived()` takes what has come without waiting.

    If the second process fails, the values it sent are dropped and the work is run again here from
    the start, as far as it is asked for: a caller reads `parts` again after each call rather than
    keeping an index into it, or takes each value once from `news()`.
    """

    def __init__(self, work: Callable[[], Iterator]) -> None:
        self.work = work
        self.forked = False
        self.seconds = 0.0
        """Wall seconds the second process worked, its waits to hand values over left out."""
        self.cpu = 0.0
        """Processor seconds the second process worked."""
        self.parts: list = []
        self.done = False
        self._told = 0
        """How many of `parts` `news()` has returned."""
        self._process = None
        self._receive = None
        self._here: Iterator | None = None

    def start(self, fork: bool = True) -> None:
        if not (fork and can_fork()):
            return
        context = multiprocessing.get_context("fork")
        # As Python's documentation advises before a fork: the objects made so far move out of the
        # collector's sight, so that neither process's collections touch (and copy) the shared ones,
        # and the build's collections, which would walk all of them each time, stay short. `thaw`
        # gives them back.
        freeze()
        receive, send = context.Pipe(duplex=False)
        try:
            process = context.Process(target=self._run, args=(send,), daemon=True)
            process.start()
        except OSError:
            receive.close()
            return
        finally:
            send.close()
        self._process, self._receive, self.forked = process, receive, True

    def _run(self, send) -> None:
        """In the second process: send ("part", value, seconds, cpu) for each value, the times so far,
        then ("end", seconds, cpu), or ("failed",) as soon as the work fails. The build may stop a second
        process it no longer needs: the times of the values it sent are known all the same."""
        seconds = cpu = 0.0
        try:
            values = iter(self.work())
            while True:
                start, start_cpu = time.perf_counter(), time.process_time()
                try:
                    value = next(values)
                except StopIteration:
                    break
                finally:
                    seconds += time.perf_counter() - start
                    cpu += time.process_time() - start_cpu
                send.send(("part", value, seconds, cpu))
            send.send(("end", seconds, cpu))
        except BaseException:  # noqa: BLE001 (redone in the main process, where the error is reported)
            send.send(("failed",))
        finally:
            send.close()

    def arrived(self) -> list:
        """The values received so far, without waiting for more."""
        while self._process is not None and self._receive.poll():
            self._take()
        return self.parts

    def news(self) -> list:
        """The values received since the last call, without waiting for more; after a failure, the
        values worked out here again, from the first."""
        parts = self.arrived()
        told, self._told = self._told, len(parts)
        return parts[told:]

    def part(self, number: int):
        """The `number`th value (from 0), waiting for the second process; worked out here if it fails."""
        self._advance(number)
        if number >= len(self.parts):
            raise IndexError(f"the work yields {len(self.parts)} values, not {number + 1}")
        return self.parts[number]

    def finish(self) -> list:
        """Wait for the work to end; all its values."""
        self._advance(float("inf"))
        return self.parts

    def _advance(self, number: float) -> None:
        while len(self.parts) <= number and not self.done:
            if self._process is not None:
                self._take()
                continue
            if self._here is None:
                self._here = iter(self.work())
            try:
                self.parts.append(next(self._here))
            except StopIteration:
                self.done = True

    def _take(self) -> None:
        """Take one message from the second process."""
        try:
            message = self._receive.recv()
        except (EOFError, OSError):
            message = ("failed",)
        if message[0] == "part":
            _, value, self.seconds, self.cpu = message
            self.parts.append(value)
            return
        self._stop()
        if message[0] == "end":
            _, self.seconds, self.cpu = message
            self.done = True
        else:
            self.forked = False
            self.parts = []
            self._told = 0

    def _stop(self) -> None:
        self._receive.close()
        self._process.join()
        self._process = None

    def close(self) -> None:
        """Stop the second process if it still runs (the build ended without its values). The objects
        frozen for the fork stay frozen until `thaw`."""
        if self._process is not None:
            self._process.terminate()
            self._stop()


_frozen = False
"""Whether `freeze` put objects out of the collector's sight that `thaw` has not given back."""


def freeze() -> None:
    """Free the garbage made so far, then put every object left out of the collector's sight
    (`gc.freeze`) until `thaw`: frozen garbage would never be freed. The collection only walks what
    was made since the last `freeze`.

    A build that is about to end need not give them back: once given back, they are all walked again
    by the next full collection, and by the one Python runs when the process exits. The next build in
    the same process gives them back when it starts, whichever plugin instance runs it."""
    global _frozen
    gc.collect()
    gc.freeze()
    _frozen = True


def thaw() -> None:
    """Give back the objects that `freeze` put out of the collector's sight, if any."""
    global _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False


class Spool:
    """Texts kept in an unnamed temporary file rather than in memory, read back one at a time.

    A forked process shares the file: it writes the pages it renders there, one by one, and sends back
    only where each one lies, so that neither process holds all the pages at once. Texts are only ever
    added at the file's end, whichever process writes, so a place once given stays true.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()

    def write(self, text: str) -> tuple[int, int]:
        """Append `text`; where it lies, for `read`."""
        return self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> tuple[int, int]:
        data = memoryview(data)
        end = self.size()
        place = (end, len(data))
        while data:
            written = os.pwrite(self.file.fileno(), data, end)
            end += written
            data = data[written:]
        return place

    def size(self) -> int:
        """The bytes written so far, by either process."""
        return os.fstat(self.file.fileno()).st_size

    def read(self, place: tuple[int, int]) -> str:
        return self.read_bytes(place).decode("utf-8")

    def read_bytes(self, place: tuple[int, int]) -> bytes:
        offset, length = place
        return os.pread(self.file.fileno(), length, offset)

    def close(self) -> None:
        self.file.close()
