"""Chunks of work on a pool of workers that may die, results in input order.

The one loop that every engine's pool runs under (:func:`ordered_results`): a bounded window of
chunks in flight (the input is read as the workers need it, never whole), results yielded in
input order as soon as the oldest chunk is done, and a chunk whose worker died (out of memory,
a crash in native code, a lost node) run again one item at a time, so that the item that kills
its worker fails alone and the others are kept.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Pending = TypeVar("Pending")


class EngineError(RuntimeError):
    """An engine cannot run: its library is missing or its cluster cannot be reached."""


class WorkerLost(Exception):
    """The worker that held a chunk died before it returned the chunk's results."""


class WorkerPool(Protocol[Item, Result, Pending]):
    """Workers that each set up once (load the models) and then run ``build`` on chunks."""

    size: int  # workers that run at once
    lost_reason: str  # the failure reason of an item whose worker died with it alone
    # Runs of an item alone before it is the one that kills its worker: 1 where nothing else
    # runs beside it then (a local pool started afresh); more where another worker's death
    # can take it down too (Ray actors that restart, with other chunks queued).
    alone_attempts: int

    def submit(self, chunk: list[Item]) -> Pending:
        """Hand a chunk to a worker; never blocks for long."""
        ...

    def result(self, pending: Pending) -> list[Result]:
        """The results of a submitted chunk, one per item in order; raises
        :class:`WorkerLost` when its worker died."""
        ...


def ordered_results(
    pool: WorkerPool[Item, Result, Pending],
    chunks: Iterable[list[Item]],
    fail: Callable[[Item, str], Result],
    *,
    in_flight_per_worker: int,
) -> Iterator[Result]:
    """The results of every chunk's items, in input order; ``fail(item, reason)`` stands for an
    item whose worker died while it ran alone."""
    window = max(1, in_flight_per_worker * pool.size)
    in_flight: deque[tuple[list[Item], Pending]] = deque()
    for chunk in chunks:
        in_flight.append((chunk, pool.submit(chunk)))
        if len(in_flight) >= window:
            yield from _settled(pool, *in_flight.popleft(), fail)
    while in_flight:
        yield from _settled(pool, *in_flight.popleft(), fail)


def _settled(
    pool: WorkerPool[Item, Result, Pending],
    chunk: list[Item],
    pending: Pending,
    fail: Callable[[Item, str], Result],
) -> list[Result]:
    try:
        return pool.result(pending)
    except WorkerLost:
        pass
    # Which item killed the worker is unknown: each runs again alone, and one whose worker
    # dies every time it runs alone is the culprit.
    results: list[Result] = []
    for item in chunk:
        for _ in range(pool.alone_attempts):
            try:
                results += pool.result(pool.submit([item]))
                break
            except WorkerLost:
                continue
        else:
            results.append(fail(item, pool.lost_reason))
    return results
