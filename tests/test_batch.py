"""`storyline batch` on real Multi-News clusters: one line per story, failures as error lines,
resume after a finished or an interrupted run, the same output with several workers."""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import storyline.batch
from storyline.batch import run_batch
from storyline.cli import main

SCHEMA = Path(__file__).resolve().parent.parent / "src" / "storyline" / "schema"
GOOD_CLUSTERS = 3
MALFORMED_LINE = '{"id": "cut-short", "documents": ["The flood'
EMPTY_CLUSTER = {"id": "no-documents", "documents": []}


@dataclass
class FirstRun:
    input_path: Path
    output_path: Path
    good_ids: list[str]
    clusters: dict[str, list[str]]
    stderr: str
    exit_code: int


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def first_run(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    """A small real input (3 clusters, a malformed line, an empty cluster) run once via the CLI."""
    folder = tmp_path_factory.mktemp("batch")
    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as lines:
        clusters = [json.loads(next(lines)) for _ in range(GOOD_CLUSTERS)]
    input_path = folder / "stories.jsonl"
    rows = [json.dumps(clusters[0]), MALFORMED_LINE, json.dumps(EMPTY_CLUSTER)]
    rows += [json.dumps(cluster) for cluster in clusters[1:]]
    input_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    output_path = folder / "briefs.jsonl"
    # The command sets up the "storyline" loggers for a terminal; other tests need them as is.
    loggers = [logging.getLogger(name) for name in ("storyline", "storyline.batch")]
    saved = [(logger.handlers[:], logger.propagate) for logger in loggers]
    try:
        result = CliRunner().invoke(main, ["batch", str(input_path), "-o", str(output_path)])
    finally:
        for logger, (handlers, propagate) in zip(loggers, saved):
            logger.handlers, logger.propagate = handlers, propagate
    return FirstRun(
        input_path=input_path,
        output_path=output_path,
        good_ids=[cluster["id"] for cluster in clusters],
        clusters={cluster["id"]: cluster["documents"] for cluster in clusters},
        stderr=result.stderr,
        exit_code=result.exit_code,
    )


@pytest.fixture
def count_briefs(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """How many stories went through the pipeline (in this process) since the fixture started."""
    calls: list[int] = []
    build = storyline.batch.brief_of_story

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(storyline.batch, "brief_of_story", counted)
    return lambda: len(calls)


def test_one_line_per_story_with_briefs_and_errors(first_run: FirstRun) -> None:
    assert first_run.exit_code == 0, first_run.stderr
    lines = _lines(first_run.output_path)
    schema = json.loads((SCHEMA / "brief.schema.json").read_text())
    briefs = {line["id"]: line["brief"] for line in lines if "brief" in line}
    errors = {line["id"]: line["error"] for line in lines if "error" in line}
    assert list(briefs) == first_run.good_ids  # input order kept
    for story_id, brief in briefs.items():
        jsonschema.validate(brief, schema)
        assert len(brief["sources"]) == len(first_run.clusters[story_id])
        texts = {source["id"]: source["text"] for source in brief["sources"]}
        for sentence in brief["summary"]:
            cited = sentence["citation"]
            assert texts[cited["article"]][cited["start"] : cited["end"]] == sentence["text"]
    # The malformed line has no readable id: it is named by its line number (2).
    assert set(errors) == {"line-2", "no-documents"}
    assert "malformed JSON" in errors["line-2"]
    assert "empty 'documents' list" in errors["no-documents"]


def test_failures_are_reported_on_stderr(first_run: FirstRun) -> None:
    assert "line-2 failed: malformed JSON" in first_run.stderr
    assert "no-documents failed" in first_run.stderr
    assert "3 briefs, 2 failed" in first_run.stderr
    assert "cluster/s" in first_run.stderr  # the progress bar


def test_rerun_adds_and_recomputes_nothing(
    first_run: FirstRun, count_briefs: Callable[[], int]
) -> None:
    before = first_run.output_path.stat().st_mtime_ns, first_run.output_path.read_bytes()
    result = run_batch(first_run.input_path, first_run.output_path)
    assert count_briefs() == 0
    assert (result.written, result.failed, result.already_done) == (0, 0, 5)
    after = first_run.output_path.stat().st_mtime_ns, first_run.output_path.read_bytes()
    assert after == before


def test_interrupted_run_resumes(
    first_run: FirstRun, tmp_path: Path, count_briefs: Callable[[], int]
) -> None:
    complete = first_run.output_path.read_bytes()
    first, second = complete.split(b"\n")[:2]
    interrupted = tmp_path / "briefs.jsonl"
    interrupted.write_bytes(first + b"\n" + second[: len(second) // 2])
    result = run_batch(first_run.input_path, interrupted)
    # The cut line (the malformed story's error) is written again, the first story is not.
    assert (result.written, result.failed, result.already_done) == (2, 2, 1)
    assert count_briefs() == 2
    assert interrupted.read_bytes() == complete


def test_two_workers_and_gzip_input_give_the_same_stories(
    first_run: FirstRun, tmp_path: Path
) -> None:
    gzipped = tmp_path / "stories.jsonl.gz"
    with open(first_run.input_path, "rb") as plain, gzip.open(gzipped, "wb") as packed:
        shutil.copyfileobj(plain, packed)
    output = tmp_path / "briefs.jsonl"
    result = run_batch(gzipped, output, workers=2)
    assert (result.written, result.failed) == (3, 2)
    parallel = _lines(output)
    single = _lines(first_run.output_path)
    assert [line["id"] for line in parallel] == [line["id"] for line in single]
    for one, other in zip(parallel, single):
        if "brief" in one:
            # Article sources name the input file, which differs here (.gz): compare the rest.
            assert one["brief"]["summary"] == other["brief"]["summary"]
            assert one["brief"]["timeline"] == other["brief"]["timeline"]


def test_retry_failed_runs_only_the_failed_stories_again(
    first_run: FirstRun, tmp_path: Path, count_briefs: Callable[[], int]
) -> None:
    output = tmp_path / "briefs.jsonl"
    shutil.copyfile(first_run.output_path, output)
    result = run_batch(first_run.input_path, output, retry_failed=True)
    assert (result.written, result.failed, result.already_done) == (0, 2, 3)
    assert count_briefs() == 0  # the briefs were kept, not rebuilt
    lines = _lines(output)
    assert sorted(line["id"] for line in lines) == sorted(
        line["id"] for line in _lines(first_run.output_path)
    )
    # The failures are written again, after the kept briefs.
    assert [line["id"] for line in lines[-2:]] == ["line-2", "no-documents"]


def _dies_on_poison(tasks: list[storyline.batch._Task], *, words: int, **_: Any) -> Any:
    """Stands in for a story that kills its worker process (out of memory, native crash)."""
    if any(task.story_id == "poison" for task in tasks):
        os._exit(1)
    return [
        (
            task.story_id,
            (json.dumps({"id": task.story_id, "brief": {"words": words}}) + "\n").encode(),
            None,
        )
        for task in tasks
    ]


def test_a_story_that_kills_its_worker_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storyline.batch, "_story_lines", _dies_on_poison)
    monkeypatch.setattr(storyline.batch, "load_pipeline", lambda: None)  # not needed here
    # Several chunks of stories: the poison's chunk-mates and the chunks in flight beside it
    # are run again one at a time and written.
    ids = [f"story-{number}" for number in range(25)]
    ids.insert(11, "poison")
    source = tmp_path / "stories.jsonl"
    source.write_text("".join(json.dumps({"id": name, "documents": ["x"]}) + "\n" for name in ids))
    output = tmp_path / "briefs.jsonl"
    result = run_batch(source, output, workers=2)
    lines = _lines(output)
    assert [line["id"] for line in lines] == ids
    assert [line["id"] for line in lines if "error" in line] == ["poison"]
    assert "worker process died" in lines[11]["error"]
    assert (result.written, result.failed) == (25, 1)
