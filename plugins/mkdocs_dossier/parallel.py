"""Work done in a second process while the host goes on with its own, its result collected later.

The pages that gather the whole dossier (entities, events and their comparisons) can only be rendered
once every article is annotated, and MkDocs then spends as long again writing the articles' pages on
one core. `Deferred` forks a copy of the build, which has everything in memory already, renders those
pages there and sends them back, so the two run side by side on a machine with two cores or more.

A fork is only safe where the process runs a single thread (`mkdocs serve` runs several) and where the
platform forks without `exec` (Linux); anywhere else, or when the second process fails in any way, the
work runs here when its result is first asked for, exactly as it would have without a second process,
errors included.
"""

from __future__ import annotations

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
    collected in order by `part(n)`: the first ones can be used while the next are worked out."""

    def __init__(self, work: Callable[[], Iterator]) -> None:
        self.work = work
        self.forked = False
        self.seconds = 0.0
        """Wall seconds the second process worked."""
        self.cpu = 0.0
        """Processor seconds the second process worked."""
        self.parts: list = []
        self._process = None
        self._receive = None
        self._here: Iterator | None = None
        self.done = False

    def start(self, fork: bool = True) -> None:
        if not (fork and can_fork()):
            return
        context = multiprocessing.get_context("fork")
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
        """In the second process: send ("part", value) for each value, then ("end", seconds, cpu), or
        ("failed",) as soon as the work fails. The seconds leave out the waits to hand values over."""
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
                send.send(("part", value))
            send.send(("end", seconds, cpu))
        except BaseException:  # noqa: BLE001 (redone in the main process, where the error is reported)
            send.send(("failed",))
        finally:
            send.close()

    def part(self, number: int):
        """The `number`th value (from 0), waiting for the second process; worked out here if it fails."""
        self._advance(number)
        if number >= len(self.parts):
            raise IndexError(f"the work yields {len(self.parts)} values, not {number + 1}")
        return self.parts[number]

    def finish(self) -> None:
        """Wait for the work to end; its values are in `parts`."""
        self._advance(float("inf"))

    def _advance(self, number: float) -> None:
        while len(self.parts) <= number and not self.done:
            if self._process is not None:
                message = self._receive_one()
                if message[0] == "part":
                    self.parts.append(message[1])
                    continue
                self._stop()
                if message[0] == "end":
                    _, self.seconds, self.cpu = message
                    self.done = True
                    continue
                self.forked = False
            self._work_here(number)

    def _receive_one(self) -> tuple:
        try:
            return self._receive.recv()
        except (EOFError, OSError):
            return ("failed",)

    def _work_here(self, number: float) -> None:
        """Run the work here up to value `number`, past the values received already."""
        if self._here is None:
            self._here = iter(self.work())
            for _ in self.parts:
                next(self._here)
        while len(self.parts) <= number and not self.done:
            try:
                self.parts.append(next(self._here))
            except StopIteration:
                self.done = True

    def _stop(self) -> None:
        self._receive.close()
        self._process.join()
        self._process = None

    def cancel(self) -> None:
        """Stop the second process, when the build that wanted its values has ended without them."""
        if self._process is not None:
            self._process.terminate()
            self._stop()


class Spool:
    """Texts kept in an unnamed temporary file rather than in memory, read back one at a time.

    A forked process shares the file: it writes the pages it renders there, one by one, and sends back
    only where each one lies, so that neither process holds all the pages at once.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.size = 0

    def write(self, text: str) -> tuple[int, int]:
        """Append `text`; where it lies, for `read`."""
        data = memoryview(text.encode("utf-8"))
        place = (self.size, len(data))
        while data:
            written = os.pwrite(self.file.fileno(), data, self.size)
            self.size += written
            data = data[written:]
        return place

    def read(self, place: tuple[int, int]) -> str:
        offset, length = place
        return os.pread(self.file.fileno(), length, offset).decode("utf-8")

    def close(self) -> None:
        self.file.close()
