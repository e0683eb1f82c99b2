"""Worker processes that do not outlive the process that started them.

When a parent is killed outright (``kill -9``, the out-of-memory killer), Python's process
pools get no chance to stop their workers: each lives on holding its own spaCy pipeline
(~300 MB) until killed by hand. A worker started with :func:`exit_with_parent` as its pool
initializer checks on its parent from a daemon thread and exits when the parent is gone.

Why a thread that polls rather than Linux's ``PR_SET_PDEATHSIG``: that signal fires when the
*thread* that forked the worker ends, and pools start replacement workers from helper
threads; polling works for every start method and platform.
"""

from __future__ import annotations

import os
import threading
import time

from storyline import settings


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (the pid was reused): gone
        return False
    return True


def _watch(parent_pid: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        # Re-parented (to init or a subreaper) or no such process: the parent died.
        if os.getppid() != parent_pid and not _alive(parent_pid):
            os._exit(1)


def exit_with_parent(parent_pid: int, interval: float = settings.PARENT_CHECK_SECONDS) -> None:
    """Exit this process (without cleanup: the parent that would want it is gone) soon after
    the process ``parent_pid`` dies. Call it first in a pool worker's initializer."""
    threading.Thread(
        target=_watch, args=(parent_pid, interval), name="storyline-parent-watch", daemon=True
    ).start()
