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
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether this process may fork a copy of itself to work beside it."""
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


class Deferred(Generic[T]):
    """`work()`, started in a forked process when `start` can, collected by `result`."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.forked = False
        self.seconds = 0.0
        """Wall seconds the second process worked."""
        self.cpu = 0.0
        """Processor seconds the second process worked."""
        self._process = None
        self._receive = None
        self._done = False
        self._value: T | None = None

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
        """In the second process: send (True, result, seconds, cpu), or (False,) if the work failed."""
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            value = self.work()
            send.send((True, value, time.perf_counter() - start, time.process_time() - start_cpu))
        except BaseException:  # noqa: BLE001 (redone in the main process, where the error is reported)
            send.send((False,))
        finally:
            send.close()

    @property
    def done(self) -> bool:
        return self._done

    def cancel(self) -> None:
        """Stop the second process, when the build that wanted its result has ended without it."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None

    def result(self) -> T:
        """The work's result, waiting for the second process; the work runs here if it has none."""
        if self._done:
            return self._value
        answer: tuple = (False,)
        if self._process is not None:
            try:
                answer = self._receive.recv()
            except (EOFError, OSError):
                answer = (False,)
            finally:
                self._receive.close()
                self._process.join()
                self._process = None
        if answer[0]:
            _, self._value, self.seconds, self.cpu = answer
        else:
            self.forked = False
            self._value = self.work()
        self._done = True
        return self._value


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
