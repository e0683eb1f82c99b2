"""`storyline batch --engine ray`: on a local Ray instance started here (2 CPUs, no dashboard,
loopback only), the output is byte for byte the local run's; a re-run resumes; a story that
kills its Ray worker fails alone; the command joins a cluster by address, or starts and stops
its own."""

from __future__ import annotations

import gzip
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_batch_crash import _descendants  # every process started by a pid, from /proc

from storyline.batch import run_batch
from storyline.engines import ordered_results, worker_pool
from storyline.engines.ray_engine import LOCAL_RAY_ENVIRONMENT, import_ray

CLUSTERS = 9  # two chunks of stories (8 + the rest)
# Token authentication guards a cluster shared with other users; this one lives for the tests,
# on loopback, and a token file would be written to the home folder.
TEST_ENVIRONMENT = {**LOCAL_RAY_ENVIRONMENT, "RAY_AUTH_MODE": "disabled"}


@pytest.fixture(scope="module")
def stories(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real Multi-News clusters with a malformed line and an empty cluster among them."""
    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = [next(lines).strip() for _ in range(CLUSTERS)]
    rows.insert(2, '{"id": "cut-short", "documents": ["The flood')
    rows.insert(5, json.dumps({"id": "no-documents", "documents": []}))
    path = tmp_path_factory.mktemp("ray-input") / "stories.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_output(stories: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    output = tmp_path_factory.mktemp("local") / "briefs.jsonl"
    result = run_batch(stories, output)
    assert (result.written, result.failed) == (CLUSTERS, 2)
    return output.read_bytes()


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    """A Ray instance of this test process: 2 CPUs, no dashboard, stopped at the end."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in TEST_ENVIRONMENT.items():
            patch.setenv(name, value)
        ray = import_ray(local=True)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            yield ray
        finally:
            ray.shutdown()


def test_ray_batch_writes_what_the_local_batch_writes(
    ray_instance: Any, stories: Path, local_output: bytes, tmp_path: Path
) -> None:
    output = tmp_path / "briefs.jsonl"
    result = run_batch(stories, output, engine="ray", workers=2)
    assert (result.written, result.failed) == (CLUSTERS, 2)
    assert output.read_bytes() == local_output  # same lines, same (input) order


def test_ray_batch_resumes_an_interrupted_run(
    ray_instance: Any, stories: Path, local_output: bytes, tmp_path: Path
) -> None:
    lines = local_output.splitlines(keepends=True)
    interrupted = tmp_path / "briefs.jsonl"
    interrupted.write_bytes(b"".join(lines[:4]) + lines[4][:100])  # killed mid-line
    result = run_batch(stories, interrupted, engine="ray")
    assert result.already_done == 4
    assert result.written + result.failed == len(lines) - 4
    assert interrupted.read_bytes() == local_output


def _listening(pids: set[int]) -> list[str]:
    """Local addresses of the TCP sockets that the processes ``pids`` listen on."""
    inodes: set[str] = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    addresses = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] != "0A" or fields[9] not in inodes:  # 0A: LISTEN
                continue
            address = bytes.fromhex(fields[1].split(":")[0])
            # /proc shows each 32-bit word in host (little-endian) order.
            words = [address[i : i + 4][::-1] for i in range(0, len(address), 4)]
            addresses.append(socket.inet_ntop(family, b"".join(words)))
    return addresses


def test_the_ray_instance_listens_on_loopback_only(ray_instance: Any) -> None:
    assert ray_instance.util.get_node_ip_address() == "127.0.0.1"
    addresses = _listening({os.getpid(), *_descendants(os.getpid())})
    assert len(addresses) >= 3, addresses  # the GCS, the raylet, the workers at least
    assert all(address in ("127.0.0.1", "::ffff:127.0.0.1", "::1") for address in addresses), (
        addresses
    )


def _dies_on_poison(items: list[str]) -> list[str]:
    """A chunk that holds "poison" kills its Ray worker process (as running out of memory or
    a crash in native code would)."""
    if "poison" in items:
        os._exit(1)
    return [item.upper() for item in items]


def test_a_story_that_kills_its_ray_worker_fails_alone(ray_instance: Any) -> None:
    # Ray pickles this test module's functions by value: its workers cannot import tests/.
    ray_instance.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    items = [f"story-{number}" for number in range(20)]
    items.insert(7, "poison")
    chunks = [items[start : start + 3] for start in range(0, len(items), 3)]
    with worker_pool("ray", _dies_on_poison, setup=lambda: None, workers=2) as pool:
        results = list(
            ordered_results(
                pool, chunks, lambda item, reason: f"{item}: {reason}", in_flight_per_worker=2
            )
        )
    assert results[:7] + results[8:] == [item.upper() for item in items if item != "poison"]
    assert results[7] == "poison: the Ray worker died (out of memory, a crash or a lost node)"


def _storyline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **TEST_ENVIRONMENT},
    )


def test_the_command_joins_a_cluster_by_address(
    ray_instance: Any, stories: Path, local_output: bytes, tmp_path: Path
) -> None:
    address = ray_instance.get_runtime_context().gcs_address
    output = tmp_path / "briefs.jsonl"
    done = _storyline(
        "batch", str(stories), "-o", str(output), "--engine", "ray", "--address", address
    )
    assert done.returncode == 0, done.stderr
    assert f"{CLUSTERS} briefs, 2 failed" in done.stderr
    assert output.read_bytes() == local_output


def test_the_command_starts_and_stops_its_own_ray(
    stories: Path, local_output: bytes, tmp_path: Path
) -> None:
    first_lines = b"".join(local_output.splitlines(keepends=True)[:4])
    short = tmp_path / "short.jsonl"
    short.write_bytes(b"".join(stories.read_bytes().splitlines(keepends=True)[:4]))
    output = tmp_path / "briefs.jsonl"
    done = _storyline("batch", str(short), "-o", str(output), "--engine", "ray", "--workers", "1")
    assert done.returncode == 0, done.stderr
    # Article sources name the input file, which differs here: compare the rest.
    assert _without_sources(output.read_bytes()) == _without_sources(first_lines)


def _without_sources(lines: bytes) -> list[Any]:
    parsed = [json.loads(line) for line in lines.splitlines()]
    for line in parsed:
        for source in line.get("brief", {}).get("sources", []):
            source.pop("source")
        for skipped in line.get("brief", {}).get("skipped", []):
            skipped.pop("source")
    return parsed


def test_a_missing_cluster_is_one_clear_message(tmp_path: Path, stories: Path) -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = _storyline(
        "batch",
        str(stories),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--engine",
        "ray",
        "--address",
        f"127.0.0.1:{port}",
    )
    assert done.returncode == 1
    assert f"could not start or join the Ray cluster at 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_ray_stories_give_the_local_assignments_and_briefs(
    ray_instance: Any, shared_data: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from storyline.cli import main

    rows = [json.loads(line) for line in (shared_data / "basil-dev" / "articles.jsonl").open()]
    events = list(dict.fromkeys(row["story"] for row in rows))[:4]
    chosen = [row for row in rows if row["story"] in events]
    chosen.append(dict(chosen[0], id="copy-of-first"))  # an exact copy joins its original
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(row) + "\n" for row in chosen), encoding="utf-8")
    outputs = {}
    loggers = [logging.getLogger(name) for name in ("storyline", "storyline.engines")]
    saved = [(logger.handlers[:], logger.propagate) for logger in loggers]
    try:
        for engine in ("local", "ray"):
            out = tmp_path / engine
            result = CliRunner().invoke(
                main,
                ["stories", str(feed), "-o", str(out), "--assignments", str(out / "a.jsonl"), "-q"]
                + (["--engine", "ray", "--workers", "2"] if engine == "ray" else []),
            )
            assert result.exit_code == 0, result.output
            outputs[engine] = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    finally:
        for logger, (handlers, propagate) in zip(loggers, saved):
            logger.handlers, logger.propagate = handlers, propagate
    local, ray = outputs["local"], outputs["ray"]
    briefs = [name for name in local if name.startswith("s") and name.endswith(".json")]
    assert len(briefs) == 4  # one per event
    assert ray == local  # the same assignments, index and briefs, byte for byte
