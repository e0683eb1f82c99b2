"""Wall time and peak memory of a command, counting every process it starts.

Worker pools and spaCy's ``n_process`` run in child processes, so the peak resident memory
of the parent alone would understate the cost: the peak here is the largest sum of RSS over
the process tree, sampled every 0.2 s (psutil, from the ``bench`` extra).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from dataclasses import dataclass

import psutil


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def measure(command: list[str], *, interval: float = 0.2) -> Run:
    """Run ``command`` (output discarded) and return its wall time and peak tree RSS."""
    with tempfile.TemporaryFile() as errors:  # a pipe could fill up and block the child
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        process = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _tree_rss(process))
            time.sleep(interval)
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            errors.seek(0)
            print(errors.read().decode(errors="replace")[-2000:])
    return Run(seconds, peak / 2**20, child.returncode)
