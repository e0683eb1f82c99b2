"""Crash safety of `storyline batch`: a real run with two workers is killed with SIGKILL in the
middle; its workers must exit by themselves, and a re-run must finish the input losing nothing
and duplicating nothing (every story id exactly once, hostile lines as error lines)."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLUSTERS = 20  # more than two chunks of 8 stories, so the kill lands between chunks
HOSTILE_LINES = [
    "[" * 50_000 + "]" * 50_000,  # RecursionError in json.loads
    '{"id": "surrogate", "documents": ["Forces entered Derna \\ud800 on Monday, officials said '
    'in a statement on the fighting in the city."]}',
    '{"id": "controls", "articles": [{"text": "\\u001b[31mClashes\\u001b[0m were reported in '
    'Derna on Monday\\u0007, officials said, as the army advanced."}]}',
    "[1, 2, 3]",
    '{"id": "huge-number", "documents": [' + "9" * 5000 + "]}",
]


def _descendants(pid: int) -> set[int]:
    """Every process started (directly or not) by ``pid``, from /proc."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; it only waits for its parent to reap it


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines() if line.strip()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_killed_batch_leaves_no_workers_and_resumes_exactly(
    shared_data: Path, tmp_path: Path
) -> None:
    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as lines:
        clusters = [json.loads(next(lines)) for _ in range(CLUSTERS)]
    rows = [json.dumps(cluster) for cluster in clusters]
    for position, hostile in enumerate(HOSTILE_LINES):
        rows.insert(3 + 4 * position, hostile)
    input_path = tmp_path / "stories.jsonl"
    input_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    output_path = tmp_path / "briefs.jsonl"
    command = [sys.executable, "-m", "storyline", "batch", str(input_path), "-o", str(output_path)]

    run = subprocess.Popen([*command, "--workers", "2", "-q"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    workers: set[int] = set()
    while time.monotonic() < deadline and run.poll() is None:
        workers |= _descendants(run.pid)
        if output_path.exists() and output_path.stat().st_size > 0:
            break
        time.sleep(0.05)
    assert run.poll() is None, f"the batch ended before it could be killed: {run.stderr.read()}"
    workers |= _descendants(run.pid)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert len(workers) >= 2
    first_ids = _ids_of_complete_lines(output_path)
    assert 0 < len(first_ids) < len(rows), "killed mid-run: some stories done, some not"

    # The workers notice that their parent is gone and exit on their own.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the killed batch"

    rerun = subprocess.run([*command, "--workers", "2"], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    ids = _ids(output_path)
    expected = [cluster["id"] for cluster in clusters] + [
        "line-4",  # the deeply nested line has no readable id
        "surrogate",
        "controls",
        "line-16",
        "line-20",  # the huge number makes the line malformed: its id cannot be read
    ]
    assert sorted(ids) == sorted(expected)  # nothing lost, nothing twice
    lines = [json.loads(line) for line in output_path.read_text(encoding="utf-8").splitlines()]
    by_id = {line["id"]: line for line in lines}
    for cluster in clusters:
        assert "brief" in by_id[cluster["id"]], by_id[cluster["id"]]
    # Surrogates and control characters do not stop a story: it is briefed, cleaned.
    for story_id in ("surrogate", "controls"):
        (source,) = by_id[story_id]["brief"]["sources"]
        assert "\x1b" not in source["text"] and "\x07" not in source["text"]
    assert "nested too deeply" in by_id["line-4"]["error"]
    assert "not a JSON object" in by_id["line-16"]["error"]
    assert "malformed JSON" in by_id["line-20"]["error"]


def _ids_of_complete_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    return [json.loads(line)["id"] for line in complete.splitlines() if line.strip()]
