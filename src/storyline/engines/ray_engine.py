"""The Ray engine: the same work on the actors of a Ray cluster (``pip install "storyline[ray]"``).

Given an address, storyline joins that cluster (``ray.init(address=...)``: ``auto``, a head's
``HOST:6379``, or a Ray Client ``ray://HOST:10001``); every node must have storyline installed.
Without one it starts a Ray instance on this machine for the run and stops it at the end; that
instance listens on the loopback interface only and sends no usage statistics. Each actor is a
long-lived worker that loads the spaCy pipeline once; the chunks go to the least busy actor.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic

from storyline import settings
from storyline.engines.pool import EngineError, Item, Result, WorkerLost

_log = logging.getLogger("storyline.engines")

# Set before Ray is imported, for a Ray instance started here. Why the Windows/macOS switch:
# it is Ray's own way to keep a single-machine instance on 127.0.0.1 (node address and every
# server bound to loopback); on Linux it is off by default and Ray binds all interfaces.
LOCAL_RAY_ENVIRONMENT = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_USAGE_STATS_ENABLED": "0",
}


def import_ray(*, local: bool) -> Any:
    """The ``ray`` module; ``local``: set up for an instance started on this machine."""
    if local:
        for name, value in LOCAL_RAY_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    already_imported = "ray" in sys.modules
    try:
        import ray
    except ImportError:
        raise EngineError('the ray engine needs Ray: pip install "storyline[ray]"') from None
    if local and already_imported and not ray.is_initialized():
        # Imported before the variable was set: Ray read it at import time.
        constants = importlib.import_module("ray._private.ray_constants")
        if hasattr(constants, "ENABLE_RAY_CLUSTER"):
            constants.ENABLE_RAY_CLUSTER = os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] != "0"
    return ray


@contextmanager
def ray_session(address: str | None = None, *, num_cpus: int | None = None) -> Iterator[Any]:
    """Ray, connected: to the running session of this process if there is one (left running),
    else to the cluster at ``address``, else to an instance started here for the session
    (``num_cpus``: its CPUs; default all). Disconnects (and stops what it started) at the end."""
    ray = import_ray(local=address is None)
    if ray.is_initialized():
        yield ray
        return
    quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
    try:
        if address is None:
            ray.init(num_cpus=num_cpus, include_dashboard=False, **quiet)
        else:
            _check_reachable(address)
            ray.init(address=address, **quiet)
    except (ConnectionError, ray.exceptions.RayError, RuntimeError, ValueError) as error:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise EngineError(f"could not start or join {where}: {error}") from error
    try:
        yield ray
    finally:
        ray.shutdown()


def _check_reachable(address: str) -> None:
    """Raise ConnectionError when nothing answers at a ``HOST:PORT`` address: Ray itself
    retries such an address for ever."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" or a form Ray resolves itself
    try:
        socket.create_connection(
            (host.strip("[]"), int(port)), timeout=settings.RAY_CONNECT_SECONDS
        ).close()
    except OSError as error:
        raise ConnectionError(f"nothing answers at {address} ({error.strerror or error})") from None


class _Worker:
    """A Ray actor: set up once (the spaCy pipeline), then run ``build`` on each chunk."""

    def __init__(self, build: Callable[[list[Any]], list[Any]], setup: Callable[[], None]) -> None:
        setup()
        self._build = build

    def run(self, chunk: list[Any]) -> list[Any]:
        return self._build(chunk)


_Pending = tuple[int, Any]  # (actor index, object ref of the chunk's results)


class RayPool(Generic[Item, Result]):
    """Actors on the cluster, one CPU each; Ray starts an actor again when it dies."""

    lost_reason = "the Ray worker died (out of memory, a crash or a lost node)"
    # An actor's death also fails the calls queued on it (and the reply of one it had just
    # finished): an item rerun alone may fall with another; the culprit falls every time.
    alone_attempts = 3

    def __init__(
        self,
        ray: Any,
        build: Callable[[list[Item]], list[Result]],
        setup: Callable[[], None],
        size: int | None,
    ) -> None:
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if size is None:
            size = max(1, cpus)
        elif size > cpus:
            # An actor that needs a CPU that no node has would wait forever.
            _log.warning(
                "%d workers asked for, the Ray cluster has %d CPUs: using %d", size, cpus, cpus
            )
            size = max(1, cpus)
        self.size = size
        self._ray = ray
        errors = ray.exceptions
        self._lost = (
            errors.RayActorError,
            errors.WorkerCrashedError,
            errors.NodeDiedError,
            errors.ObjectLostError,
            errors.OutOfMemoryError,
        )
        # max_restarts=-1: a worker killed by one story comes back for the next, as the local
        # pool starts new processes; max_task_retries=0: the chunk is not run again blindly
        # (ordered_results runs its stories one at a time to find the one that kills).
        actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=0)(_Worker)
        self._actors = [actor.remote(build, setup) for _ in range(size)]
        self._busy = [0] * size

    def submit(self, chunk: list[Item]) -> _Pending:
        index = min(range(self.size), key=self._busy.__getitem__)
        self._busy[index] += 1
        return index, self._actors[index].run.remote(chunk)

    def result(self, pending: _Pending) -> list[Result]:
        index, ref = pending
        try:
            return self._ray.get(ref)
        except self._lost:
            raise WorkerLost from None
        finally:
            self._busy[index] -= 1

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)


@contextmanager
def ray_pool(
    build: Callable[[list[Item]], list[Result]],
    *,
    setup: Callable[[], None],
    workers: int | None,
    address: str | None,
) -> Iterator[RayPool[Item, Result]]:
    """Actors running ``build`` on a Ray cluster (see :func:`ray_session`), removed at the end."""
    with ray_session(address) as ray:
        pool: RayPool[Item, Result] = RayPool(ray, build, setup, workers)
        try:
            yield pool
        finally:
            pool.close()
