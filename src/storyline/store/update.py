"""A run of ``storyline stories``: store new articles, group them, rebuild changed briefs, write.

The per-story pipeline (``storyline.pipeline``) is unchanged beneath: each changed story's
articles are read back from the store and briefed as ``storyline brief`` would brief them.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from storyline import settings
from storyline.model import Brief, IngestResult
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
) -> tuple[list[str], dict[str, str]]:
    """Brief every story whose articles changed since its last brief (one transaction each);
    ``only``: just those of them in ``only``.

    Returns the stories rebuilt and those that failed (id -> reason); a failed story keeps its
    flag and is tried again by the next run.
    """
    from storyline.pipeline import brief_from_articles
    from storyline.render import render_json

    changed = store.changed_stories()
    if only is not None:
        changed = [story_id for story_id in changed if story_id in only]
    rebuilt: list[str] = []
    failed: dict[str, str] = {}
    for number, story_id in enumerate(changed, 1):
        if progress is not None:
            progress(story_id, number, len(changed))
        articles = [article for _, article in store.story_articles(story_id)]
        try:
            brief = brief_from_articles(
                IngestResult(articles=articles, skipped=[]),
                words=words,
                max_dates=max_dates,
                parse_words=parse_words,
                workers=1,
            )
        except Exception as error:  # one story's failure must not stop the others
            failed[story_id] = f"{type(error).__name__}: {error}"
            _log.warning("story %s: brief failed (%s)", story_id, failed[story_id])
            continue
        store.save_brief(story_id, brief, render_json(brief))
        rebuilt.append(story_id)
    return rebuilt, failed


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
