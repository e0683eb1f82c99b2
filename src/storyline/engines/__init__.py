"""Engines: where the heavy work runs (``--engine local|ray``).

An engine gives a :class:`~storyline.engines.pool.WorkerPool`: workers that set up once (load
the spaCy pipeline) and then run a function on chunks of work. Every pool runs under the same
loop, :func:`~storyline.engines.pool.ordered_results` (bounded window, results in input order,
a worker's death costs only the item that caused it). ``local``: this process, or worker
processes on this machine; ``ray``: actors on a Ray cluster (the ``storyline[ray]`` extra).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from storyline.engines.local import InProcessPool, ProcessPool
from storyline.engines.pool import (
    EngineError,
    Item,
    Result,
    WorkerLost,
    WorkerPool,
    ordered_results,
)

ENGINES = ("local", "ray")

__all__ = ["ENGINES", "EngineError", "WorkerLost", "WorkerPool", "ordered_results", "worker_pool"]


@contextmanager
def worker_pool(
    engine: str,
    build: Callable[[list[Item]], list[Result]],
    *,
    setup: Callable[[], None],
    workers: int | None = None,
    address: str | None = None,
) -> Iterator[WorkerPool[Item, Result, Any]]:
    """Workers of ``engine`` running ``build``, each after ``setup`` (once per worker).

    ``workers``: how many (local: default 1, this process; ray: default one per CPU of the
    cluster). ``address``: the Ray cluster to join (ray only; default: start one here).
    """
    if engine == "ray":
        from storyline.engines.ray_engine import ray_pool

        with ray_pool(build, setup=setup, workers=workers, address=address) as pool:
            yield pool
        return
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    if address is not None:
        raise ValueError("an address is only for the ray engine")
    pool: InProcessPool[Item, Result] | ProcessPool[Item, Result]
    pool = InProcessPool(build) if (workers or 1) <= 1 else ProcessPool(build, setup, workers or 1)
    try:
        yield pool
    finally:
        pool.close()
