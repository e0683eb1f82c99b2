"""Read-only queries over the store for the local web app (``storyline serve``): when stories
changed, their brief versions, which stories have a word in their articles, what is new since
a date. Kept apart from :mod:`storyline.store.db`, which writes the store."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from storyline.store.db import Store
from storyline.store.news import NewSince, new_since

__all__ = [
    "BriefVersion",
    "brief_versions",
    "latest_versions",
    "news_for",
    "parse_since",
    "stories_with_word",
    "story_updates",
]


@dataclass(frozen=True)
class BriefVersion:
    version: int
    created: str  # UTC, ISO 8601


def story_updates(store: Store) -> dict[str, str]:
    """Story id -> when an article last joined it (UTC, ISO 8601)."""
    return dict(store.db.execute("SELECT id, updated FROM stories").fetchall())


def latest_versions(store: Store) -> dict[str, int]:
    """Story id -> version of its latest brief (stories without a brief are left out)."""
    rows = store.db.execute("SELECT story, MAX(version) FROM briefs GROUP BY story")
    return dict(rows.fetchall())


def brief_versions(store: Store, story_id: str) -> list[BriefVersion]:
    """The story's briefs, oldest first."""
    rows = store.db.execute(
        "SELECT version, created FROM briefs WHERE story = ? ORDER BY version", (story_id,)
    )
    return [BriefVersion(*row) for row in rows.fetchall()]


def _like_pattern(text: str) -> str:
    return "%" + re.sub(r"([%_\\])", r"\\\1", text) + "%"


def stories_with_word(store: Store, words: str) -> set[str]:
    """Stories with an article whose title or text has ``words`` (a word or a phrase) as whole
    words, ignoring case."""
    phrase = " ".join(words.split())
    if not phrase:
        return set()
    pattern = re.compile(
        r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.IGNORECASE
    )
    # SQLite's LIKE narrows the rows cheaply (it ignores case for ASCII letters only, so a
    # phrase with other letters is looked for by its longest ASCII-only word, or not at all).
    ascii_words = [word for word in phrase.split() if word.isascii()]
    query = (
        "SELECT m.story, a.title, a.text FROM articles a JOIN story_articles m ON m.article = a.id"
    )
    parameters: tuple[str, ...] = ()
    if ascii_words:
        narrow = _like_pattern(max(ascii_words, key=len))
        query += " WHERE a.text LIKE ? ESCAPE '\\' OR a.title LIKE ? ESCAPE '\\'"
        parameters = (narrow, narrow)
    found: set[str] = set()
    for story, title, text in store.db.execute(query, parameters):
        if story not in found and (pattern.search(title or "") or pattern.search(text)):
            found.add(story)
    return found


def parse_since(since: str) -> str:
    """``since`` (an ISO 8601 date or time; UTC unless it says otherwise) as the store writes
    times; ValueError when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(since.strip())
    except ValueError:
        raise ValueError(f"{since!r} is not an ISO 8601 date or time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def news_for(store: Store, story_id: str, since: str) -> tuple[dict[str, Any], NewSince] | None:
    """The story's latest brief (JSON data) and what it has that the brief it had at ``since``
    did not (as ``storyline brief --store --story --since``); None without a brief."""
    moment = parse_since(since)
    current = store.brief_json(story_id)
    if current is None:
        return None
    earlier = store.brief_json(story_id, before=moment)
    data = json.loads(current[0])
    news = new_since(
        data,
        json.loads(earlier[0]) if earlier else None,
        since=since,
        earlier_time=earlier[1] if earlier else None,
    )
    return data, news
