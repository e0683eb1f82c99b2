"""A run of ``storyline stories``: store new articles, group them, rebuild changed briefs, write.

The per-story pipeline (``storyline.pipeline``) is unchanged beneath: each changed story's
articles are read back from the store and briefed as ``storyline brief`` would brief them.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from storyline import settings
from storyline.model import Article, Brief, IngestResult
from storyline.store.db import Assigned, Store, StoryRow

__all__ = ["StoriesRun", "rebuild_briefs", "update", "write_outputs"]

_log = logging.getLogger("storyline")


@dataclass
class StoriesRun:
    assigned: list[Assigned]
    rebuilt: list[str]
    failed: dict[str, str]

    @property
    def new_articles(self) -> int:
        return sum(1 for item in self.assigned if item.new)


def rebuild_briefs(
    store: Store,
    *,
    words: int = settings.DEFAULT_WORDS,
    max_dates: int = settings.DEFAULT_MAX_DATES,
    parse_words: int | None = settings.DEFAULT_PARSE_WORDS,
    progress: Callable[[str, int, int], None] | None = None,
    only: Collection[str] | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
) -> tuple[list[str], dict[str, str]]:
    """Brief every story whose articles changed since its last brief (one transaction each);
    ``only``: just those of them in ``only``.

    The briefs are built by ``engine``'s workers (local: this process, or ``workers``
    processes; ray: actors on the Ray cluster at ``address``, or on one started here), each
    story as ``storyline brief`` builds it, so every engine stores the same briefs; they are
    saved in the store in story order as they come back.

    Returns the stories rebuilt and those that failed (id -> reason); a failed story keeps its
    flag and is tried again by the next run.
    """
    from storyline.batch import setup_worker
    from storyline.engines import ordered_results, worker_pool
    from storyline.render import load_brief

    changed = store.changed_stories()
    if only is not None:
        changed = [story_id for story_id in changed if story_id in only]
    rebuilt: list[str] = []
    failed: dict[str, str] = {}

    def stories() -> Iterator[list[_StoryTask]]:
        """Chunks of (story id, articles), read from the store as the workers need them."""
        chunk: list[_StoryTask] = []
        for story_id in changed:
            chunk.append((story_id, [article for _, article in store.story_articles(story_id)]))
            if len(chunk) == settings.STORIES_PER_CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    build = partial(_briefs_of, words=words, max_dates=max_dates, parse_words=parse_words)
    with worker_pool(engine, build, setup=setup_worker, workers=workers, address=address) as pool:
        results = ordered_results(
            pool, stories(), _lost, in_flight_per_worker=settings.IN_FLIGHT_PER_WORKER
        )
        for number, (story_id, brief_json, reason) in enumerate(results, 1):
            if progress is not None:  # as each brief comes back, in story order
                progress(story_id, number, len(changed))
            if brief_json is None:  # one story's failure must not stop the others
                failed[story_id] = reason or "unknown error"
                _log.warning("story %s: brief failed (%s)", story_id, failed[story_id])
                continue
            store.save_brief(story_id, load_brief(brief_json), brief_json)
            rebuilt.append(story_id)
    return rebuilt, failed


# (story id, its articles) in; (story id, brief JSON or None, failure reason or None) out.
_StoryTask = tuple[str, list[Article]]
_StoryBrief = tuple[str, str | None, str | None]


def _briefs_of(
    tasks: list[_StoryTask], *, words: int, max_dates: int, parse_words: int | None
) -> list[_StoryBrief]:
    """The JSON brief of each story (run by an engine's worker)."""
    from storyline.pipeline import brief_from_articles
    from storyline.render import render_json

    results: list[_StoryBrief] = []
    for story_id, articles in tasks:
        try:
            brief = brief_from_articles(
                IngestResult(articles=articles, skipped=[]),
                words=words,
                max_dates=max_dates,
                parse_words=parse_words,
                workers=1,
            )
            results.append((story_id, render_json(brief), None))
        except Exception as error:  # one story's failure must not stop the others
            results.append((story_id, None, f"{type(error).__name__}: {error}"))
    return results


def _lost(task: _StoryTask, reason: str) -> _StoryBrief:
    return task[0], None, reason


def update(
    store: Store, ingested: IngestResult, *, briefs: bool = True, **brief_options: object
) -> StoriesRun:
    """Store and group ``ingested``, then (``briefs``) rebuild the briefs that changed."""
    copies = _copy_finder()
    assigned = store.ingest(ingested, copies=copies)
    rebuilt, failed = rebuild_briefs(store, **brief_options) if briefs else ([], {})  # type: ignore[arg-type]
    return StoriesRun(assigned, rebuilt, failed)


def _copy_finder():  # -> CopyFinder | None
    """Near-duplicate detection before clustering (storyline.stories.duplicates, when present).

    Until then the store still recognises exact copies by their content hash.
    """
    return None


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _index_markdown(rows: list[StoryRow]) -> str:
    lines = [
        f"# Stories ({len(rows)})",
        "",
        "Biggest first. Articles counts every article, copies included (copies in brackets).",
        "",
        "| story | title | first date | last date | articles | outlets |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        title = " ".join((row.title or "(no brief)").split()).replace("|", "\\|")
        copies = f" ({row.copies} copies)" if row.copies else ""
        lines.append(
            f"| [{row.id}]({row.id}.md) | {title} | {row.first_date or '?'} | "
            f"{row.last_date or '?'} | {row.articles}{copies} | {row.outlets} |"
        )
    return "\n".join(lines)


def write_outputs(store: Store, out_dir: Path, formats: tuple[str, ...] = ("md", "json")) -> int:
    """One brief per story (each format) and the index (index.md, index.json) in ``out_dir``."""
    from storyline.render import get_renderer, load_brief

    rows = store.stories()
    written = 0
    for row in rows:
        found = store.brief_json(row.id)
        if found is None:
            continue
        brief: Brief = load_brief(found[0])
        for kind in formats:
            renderer = get_renderer(kind)
            text = found[0] if kind == "json" else renderer.render(brief)
            _atomic_write(out_dir / f"{row.id}{renderer.suffix}", text)
        written += 1
    index = [
        {
            "story": row.id,
            "title": row.title,
            "first_date": row.first_date,
            "last_date": row.last_date,
            "articles": row.articles,
            "copies": row.copies,
            "outlets": row.outlets,
            "files": {kind: f"{row.id}{get_renderer(kind).suffix}" for kind in formats},
        }
        for row in rows
    ]
    _atomic_write(out_dir / "index.json", json.dumps(index, ensure_ascii=False, indent=2))
    _atomic_write(out_dir / "index.md", _index_markdown(rows))
    return written
