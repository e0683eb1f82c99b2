"""Wall time and peak memory of a command, counting every process it starts.

Worker pools and spaCy's ``n_process`` run in child processes, so the peak resident memory
of the parent alone would understate the cost: the peak here is the largest sum of RSS over
the process tree, sampled every 0.2 s (psutil, from the ``bench`` extra). The CPU time is the
tree's too (each process's user + system time when last sampled, so a process loses at most
its last 0.2 s): on a machine shared with other jobs it varies far less than wall time.
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
    cpu_seconds: float = 0.0  # user + system time of the whole process tree


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


def _tree_cpu(process: psutil.Process, seen: dict[tuple[int, float], float]) -> None:
    """Record the CPU time so far of every process in the tree (keyed by pid and start time,
    so that a reused pid is another process)."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for member in members:
        try:
            with member.oneshot():
                times = member.cpu_times()
                seen[(member.pid, member.create_time())] = times.user + times.system
        except psutil.NoSuchProcess:
            continue


def measure(command: list[str], *, interval: float = 0.2) -> Run:
    """Run ``command`` (output discarded): its wall time, peak tree RSS and tree CPU time."""
    with tempfile.TemporaryFile() as errors:  # a pipe could fill up and block the child
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        process = psutil.Process(child.pid)
        peak = 0
        cpu: dict[tuple[int, float], float] = {}
        while child.poll() is None:
            peak = max(peak, _tree_rss(process))
            _tree_cpu(process, cpu)
            time.sleep(interval)
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            errors.seek(0)
            print(errors.read().decode(errors="replace")[-2000:])
    return Run(seconds, peak / 2**20, child.returncode, sum(cpu.values()))
