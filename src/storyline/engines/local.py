"""The local engine: the batch in this process, or in worker processes on this machine."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic

from storyline.engines.pool import Item, Result, WorkerLost
from storyline.lifecycle import exit_with_parent


class InProcessPool(Generic[Item, Result]):
    """One worker, this process: a chunk runs when its result is asked for (so the output is
    written as each chunk is done, and nothing is parsed ahead)."""

    size = 1
    lost_reason = "this process died"  # never written: a crash here ends the run
    alone_attempts = 1

    def __init__(self, build: Callable[[list[Item]], list[Result]]) -> None:
        self._build = build

    def submit(self, chunk: list[Item]) -> list[Item]:
        return chunk

    def result(self, pending: list[Item]) -> list[Result]:
        return self._build(pending)

    def close(self) -> None:
        pass


def _start_worker(parent_pid: int, setup: Callable[[], None]) -> None:
    """The worker exits when the batch process dies (``kill -9`` leaves no orphans), then sets
    up (loads the models once)."""
    exit_with_parent(parent_pid)
    setup()


_Pending = tuple[ProcessPoolExecutor, "Future[list]"]


class ProcessPool(Generic[Item, Result]):
    """Worker processes on this machine, started again when one dies.

    Why ProcessPoolExecutor and not multiprocessing.Pool: when a worker dies (out of memory,
    a crash in native code), Pool waits forever for its result; the executor raises
    BrokenProcessPool. Both read their whole input ahead of the workers, so the window of
    chunks in flight is ours (:func:`storyline.engines.pool.ordered_results`).
    """

    lost_reason = "the worker process died (out of memory or a crash)"
    alone_attempts = 1  # after a death the pool is new: an item rerun alone is alone in it

    def __init__(
        self, build: Callable[[list[Item]], list[Result]], setup: Callable[[], None], size: int
    ) -> None:
        self.size = size
        self._build, self._setup = build, setup
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.size, initializer=_start_worker, initargs=(os.getpid(), self._setup)
        )

    def _restart(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def submit(self, chunk: list[Item]) -> _Pending:
        try:
            return self._executor, self._executor.submit(self._build, chunk)
        except BrokenProcessPool:  # broke since the last result: start afresh
            self._restart()
            return self._executor, self._executor.submit(self._build, chunk)

    def result(self, pending: _Pending) -> list[Result]:
        executor, future = pending
        try:
            return future.result()
        except (BrokenProcessPool, CancelledError):
            # Every chunk in flight in a broken executor fails (or was cancelled when it was
            # replaced); only the first failure of this executor starts a new one.
            if executor is self._executor:
                self._restart()
            raise WorkerLost from None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
