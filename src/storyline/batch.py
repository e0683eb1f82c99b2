"""Batch mode: one brief per story line of a JSONL file, streamed, resumable and parallel.

Input: one story per line, ``{"id": ..., "documents": [...]}`` (Multi-News) or
``{"id": ..., "articles": [{...}]}``; plain or gzipped. Output: one line per story, written and
flushed as soon as the story is done, in input order:

* ``{"id": ..., "brief": {...}}`` with the JSON brief of :func:`storyline.render.brief_to_dict`;
* ``{"id": ..., "error": "reason"}`` for a story that failed (also logged on the
  ``storyline.batch`` logger), so that a re-run does not try it again.

A line without an id (or that is not JSON) gets the id ``line-N`` (its 1-based line number).
Re-running with the same output resumes: the ids already in the output are skipped, and a
truncated last line left by a killed run is cut off first (``retry_failed``: error lines are
removed and their stories run again). A story whose worker process dies gets an error line.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from tqdm import tqdm

from storyline import settings
from storyline.analyse import analyse_many
from storyline.analyse.nlp import load_pipeline
from storyline.engines import ordered_results, worker_pool
from storyline.ingest import articles_from_record
from storyline.ingest.readers import json_lines
from storyline.ingest.sanitise import display_name
from storyline.model import IngestResult, Story
from storyline.pipeline import brief_of_story
from storyline.render import brief_to_dict
from storyline.settings import (
    DEFAULT_MAX_DATES,
    DEFAULT_PARSE_WORDS,
    DEFAULT_WORDS,
    IN_FLIGHT_PER_WORKER,
    STORIES_PER_CHUNK,
)

__all__ = ["BatchResult", "run_batch"]

_log = logging.getLogger("storyline.batch")

_GZIP_MAGIC = b"\x1f\x8b"
_COUNT_CHUNK = 1 << 20
_MAX_REASON = 500


# (story id, output line, failure reason or None) of one story.
_Outcome = tuple[Any, bytes, str | None]


@dataclass
class BatchResult:
    """What one run did."""

    written: int = 0  # briefs written
    failed: int = 0  # error lines written
    already_done: int = 0  # stories skipped because the output had their id
    duplicates: int = 0  # lines whose id came earlier in this input (skipped)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        """Stories processed (written or failed) per second of this run."""
        done = self.written + self.failed
        return done / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Task:
    """One story to process; ``problem`` is set when its line could not even be parsed."""

    story_id: Any
    record: Any
    source: str
    problem: str | None = None


def run_batch(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    workers: int | None = 1,
    progress: bool = False,
    words: int = DEFAULT_WORDS,
    max_dates: int = DEFAULT_MAX_DATES,
    parse_words: int | None = DEFAULT_PARSE_WORDS,
    retry_failed: bool = False,
    engine: str = "local",
    address: str | None = None,
) -> BatchResult:
    """Write the brief of every story line of ``input_path`` to ``output_path`` (JSONL).

    Stories whose id is already in ``output_path`` are skipped (resume); with
    ``retry_failed`` the error lines are removed from it first and their stories run again.
    ``workers`` > 1 runs that many processes, each loading the spaCy pipeline once.
    ``engine="ray"`` runs the stories on the actors of a Ray cluster instead (``address``, or
    one started here; ``workers`` None: one per CPU of the cluster); the output is the same.
    """
    started = time.perf_counter()
    input_path, output_path = Path(input_path), Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    done = _completed_ids(output_path, retry_failed=retry_failed)
    result = BatchResult()
    total = _count_lines(input_path) if progress else None
    bar = tqdm(
        total=total,
        initial=min(len(done), total or 0),
        desc="briefs",
        unit="cluster",
        disable=not progress,
        dynamic_ncols=True,
    )
    tasks = _tasks(input_path, done, result)
    build = partial(_story_lines, words=words, max_dates=max_dates, parse_words=parse_words)
    with bar, open(output_path, "ab") as out:
        for story_id, line, reason in _outcomes(tasks, build, workers, engine, address):
            out.write(line)
            out.flush()
            if reason is None:
                result.written += 1
            else:
                result.failed += 1
                with tqdm.external_write_mode():
                    _log.warning("story %s failed: %s", story_id, reason)
            bar.update()
    result.seconds = time.perf_counter() - started
    return result


# ---------------------------------------------------------------- resume


def _completed_ids(output_path: Path, *, retry_failed: bool) -> set[str]:
    """Ids of the stories in the output; cuts off a last line that a killed run left unfinished.

    Every line we write ends with a newline, so a line without one is unfinished. With
    ``retry_failed`` the error lines are removed, and their stories are not done.
    """
    done: set[str] = set()
    if not output_path.exists():
        return done
    complete_end = 0
    error_lines: set[int] = set()
    with open(output_path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                break
            complete_end += len(line)
            if not line.strip():
                continue
            try:
                value = json.loads(line)
                key = _id_key(value["id"])
            except (ValueError, KeyError, TypeError):
                _log.warning("%s:%d: not a batch output line, ignored", output_path, number)
                continue
            if retry_failed and "error" in value:
                error_lines.add(number)
            else:
                done.add(key)
    if complete_end < output_path.stat().st_size:
        _log.warning("%s: removing an unfinished last line (interrupted run)", output_path)
        with open(output_path, "r+b") as handle:
            handle.truncate(complete_end)
    if error_lines:
        _drop_lines(output_path, error_lines)
    return done


def _drop_lines(path: Path, numbers: set[int]) -> None:
    """Rewrite ``path`` without the lines ``numbers`` (streamed, then swapped in at once)."""
    kept = path.with_name(path.name + ".partial")
    with open(path, "rb") as source, open(kept, "wb") as target:
        for number, line in enumerate(source, start=1):
            if number not in numbers:
                target.write(line)
    os.replace(kept, path)


def _id_key(story_id: Any) -> str:
    """Ids compare as strings; a JSON number 7 and a string "7" are different stories."""
    return story_id if isinstance(story_id, str) else json.dumps(story_id)


# ---------------------------------------------------------------- reading


def _open_input(path: Path) -> BinaryIO:
    with open(path, "rb") as handle:
        compressed = handle.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")  # type: ignore[return-value]


def _count_lines(path: Path) -> int:
    """Lines of the input (a fast byte scan; decompressing is far cheaper than one brief)."""
    lines = 0
    last = b"\n"
    with _open_input(path) as handle:
        while chunk := handle.read(_COUNT_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _tasks(input_path: Path, done: set[str], result: BatchResult) -> Iterator[_Task]:
    """The stories still to do (not in ``done``), read lazily line by line."""
    seen: set[str] = set()
    with _open_input(input_path) as handle:
        for number, raw_line in json_lines(handle, settings.MAX_STREAM_BYTES):
            source = f"{display_name(input_path.name)}:{number}"
            record, problem = _parsed_line(raw_line)
            story_id = record.get("id") if isinstance(record, dict) else None
            if story_id is None:
                story_id = f"line-{number}"
            key = _id_key(story_id)
            if key in done:
                result.already_done += 1
                continue
            if key in seen:
                result.duplicates += 1
                with tqdm.external_write_mode():
                    _log.warning("%s: id %s came earlier in the input, skipped", source, key)
                continue
            seen.add(key)
            yield _Task(story_id, record, source, problem)


def _parsed_line(raw_line: bytes | str) -> tuple[Any, str | None]:
    """The JSON value of one input line and what is wrong with it (None: a story to brief)."""
    if isinstance(raw_line, str):  # a limit of the line reader was hit
        return None, raw_line
    try:
        record = json.loads(raw_line.strip())
    except RecursionError:
        return None, "malformed JSON line (nested too deeply)"
    except (ValueError, UnicodeDecodeError) as error:
        return None, f"malformed JSON line ({_reason(error)})"
    return record, None if isinstance(record, dict) else "not a JSON object"


# ---------------------------------------------------------------- processing


def _chunks(tasks: Iterator[_Task]) -> Iterator[list[_Task]]:
    while chunk := list(islice(tasks, STORIES_PER_CHUNK)):
        yield chunk


def _outcomes(
    tasks: Iterator[_Task],
    build: partial[list[_Outcome]],
    workers: int | None,
    engine: str,
    address: str | None,
) -> Iterator[_Outcome]:
    """(id, output line, failure reason) per task, in input order.

    Stories go to the engine's workers in chunks, each parsed in one spaCy pass; the same
    chunks and the same function on every engine, so the output is the same.
    """
    with worker_pool(engine, build, setup=setup_worker, workers=workers, address=address) as pool:
        yield from ordered_results(
            pool, _chunks(tasks), _failed, in_flight_per_worker=IN_FLIGHT_PER_WORKER
        )


def setup_worker() -> None:
    """Load the models once per worker of any engine (batch and stories); per-article skips
    are listed in each brief, so the workers' own warnings are dropped."""
    logger = logging.getLogger("storyline")
    logger.handlers = [logging.NullHandler()]
    logger.propagate = False
    load_pipeline()


def _story_lines(
    tasks: list[_Task], *, words: int, max_dates: int, parse_words: int | None
) -> list[_Outcome]:
    """The output line of each story (UTF-8, newline-terminated) and why it failed (or None).

    Encoded here so that the workers, not the writing process, pay for it.
    """
    outcomes: dict[int, _Outcome] = {}
    readable: list[tuple[int, _Task, IngestResult]] = []
    for position, task in enumerate(tasks):
        reason = task.problem
        if reason is None:
            try:
                ingested = articles_from_record(task.record, task.source)
            except Exception as error:  # one story must never stop the batch
                reason = _error_reason(error)
            else:
                if ingested.articles:
                    readable.append((position, task, ingested))
                    continue
                reason = "no article could be read: " + "; ".join(
                    f"{skipped.source}: {skipped.reason}" for skipped in ingested.skipped
                )
        outcomes[position] = _failed(task, reason)
    stories = _analysed_stories([ingested for _, _, ingested in readable], parse_words)
    for (position, task, _), story in zip(readable, stories):
        try:
            if isinstance(story, Exception):
                raise story
            brief = brief_of_story(story, words=words, max_dates=max_dates)
            line = {"id": task.story_id, "brief": brief_to_dict(brief)}
            outcomes[position] = (task.story_id, _encoded(line), None)
        except Exception as error:
            outcomes[position] = _failed(task, _error_reason(error))
    return [outcomes[position] for position in range(len(tasks))]


def _analysed_stories(
    stories: list[IngestResult], parse_words: int | None
) -> list[Story | Exception]:
    """The stories analysed in one spaCy pass; if that pass fails, each story on its own, so
    that the story that breaks it fails alone."""
    try:
        return analyse_many(stories, parse_words=parse_words)
    except Exception as error:
        if len(stories) <= 1:
            return [error for _ in stories]
    results: list[Story | Exception] = []
    for story in stories:
        try:
            results += analyse_many([story], parse_words=parse_words)
        except Exception as error:
            results.append(error)
    return results


def _failed(task: _Task, reason: str) -> _Outcome:
    reason = reason[:_MAX_REASON]
    return task.story_id, _encoded({"id": task.story_id, "error": reason}), reason


def _encoded(line: dict[str, Any]) -> bytes:
    try:
        return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an escaped \ud800 in the input): keep it escaped
        return (json.dumps(line) + "\n").encode("ascii")


def _reason(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _error_reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {_reason(error)}"
