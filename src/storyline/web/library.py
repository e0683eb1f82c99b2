"""What the web app does with the store, apart from HTTP: list and search stories, give a
story's page and brief, say what is new since a date, add articles, rebuild briefs.

Each request opens its own connection (SQLite connections stay in the thread that made them);
writes go through one lock, so two uploads never interleave their assignments, and briefs are
rebuilt one story at a time by a background thread (a big story takes minutes; the upload that
changed it returns at once, and its page shows the previous brief until the new one is there).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline import settings
from storyline.model import IngestResult, SkippedInput
from storyline.store import Store, StoryRow
from storyline.store.listing import (
    BriefVersion,
    brief_versions,
    latest_versions,
    news_for,
    stories_with_word,
    story_updates,
)
from storyline.store.news import NewSince
from storyline.store.update import rebuild_briefs, update

__all__ = ["Added", "Library", "StoryQuery", "StoryView"]

_log = logging.getLogger("storyline.web")


@dataclass(frozen=True)
class StoryQuery:
    """A search of the story list: each given part must match (ignoring case)."""

    word: str = ""  # a word or phrase in an article's title or text
    actor: str = ""  # a name or alias of one of the brief's actors
    place: str = ""  # a name or alias of one of the brief's places (or its country code)

    @property
    def empty(self) -> bool:
        return not (self.word.strip() or self.actor.strip() or self.place.strip())


@dataclass(frozen=True)
class StoryView(StoryRow):
    """A story as the list shows it: the store's row (``changed``: articles joined it after
    its latest brief), when it last changed and its latest brief."""

    updated: str  # when an article last joined it (UTC)
    brief_version: int | None  # its latest brief (None: none yet)

    @classmethod
    def of(cls, row: StoryRow, updated: str, version: int | None) -> StoryView:
        return cls(**dataclasses.asdict(row), updated=updated, brief_version=version)

    @property
    def outdated(self) -> bool:
        return self.changed


@dataclass(frozen=True)
class Placed:
    """One article of an upload and the story it went to."""

    article: str  # its name: its own id, or upload:FILE, pasted:N
    story: str
    duplicate_of: str | None
    new: bool  # False: the store had it already
    new_story: bool  # the story did not exist before this upload
    story_title: str | None


@dataclass
class Added:
    placed: list[Placed]
    skipped: list[SkippedInput]
    rebuilding: list[str]  # stories whose briefs are queued for rebuilding


@dataclass
class RebuildStatus:
    current: str | None = None
    queued: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    rebuilt: int = 0


@dataclass(frozen=True)
class _Facets:
    """What the actor and place searches look in: the brief's names, lowered."""

    actors: tuple[str, ...]
    places: tuple[str, ...]
    countries: frozenset[str]


def _facets(brief: dict[str, Any]) -> _Facets:
    actors = [name for a in brief["actors"] for name in (a["name"], *a["aliases"])]
    places = [
        name
        for p in brief["places"]
        for name in (p["name"], *p["aliases"], p.get("geo_name"))
        if name
    ]
    countries = frozenset(p["country"].lower() for p in brief["places"] if p.get("country"))
    return _Facets(
        tuple(name.lower() for name in actors), tuple(name.lower() for name in places), countries
    )


def _names_match(query: str, names: tuple[str, ...]) -> bool:
    """``query`` is one of ``names`` or whole words of one ("haftar" finds "Khalifa Haftar")."""
    wanted = " ".join(query.lower().split())
    pattern = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)")
    return any(pattern.search(name) for name in names)


class Library:
    """The store as the app uses it (one per app)."""

    def __init__(
        self,
        store_path: str | Path,
        *,
        max_file_bytes: int = settings.WEB_MAX_FILE_BYTES,
        brief_options: dict[str, Any] | None = None,
    ) -> None:
        self.store_path = Path(store_path)
        self.max_file_bytes = max_file_bytes
        self.brief_options = brief_options or {}
        self.write_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._pages: OrderedDict[tuple[str, int, str], str] = OrderedDict()
        self._facets: dict[str, tuple[int, _Facets]] = {}
        self.rebuilder = Rebuilder(self)
        with self.store():  # creates the file (and its tables) when it is new
            pass

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = Store(self.store_path)
        try:
            yield store
        finally:
            store.close()

    # ------------------------------------------------------------ reading

    def stories(self, query: StoryQuery | None = None) -> list[StoryView]:
        """The stories (biggest first) that match ``query``."""
        query = query or StoryQuery()
        with self.store() as store:
            rows = store.stories()
            updates = story_updates(store)
            versions = latest_versions(store)
            if query.word.strip():
                having = stories_with_word(store, query.word)
                rows = [row for row in rows if row.id in having]
            if query.actor.strip() or query.place.strip():
                rows = [row for row in rows if self._matches(store, row.id, versions, query)]
        return [StoryView.of(row, updates[row.id], versions.get(row.id)) for row in rows]

    def _matches(
        self, store: Store, story_id: str, versions: dict[str, int], query: StoryQuery
    ) -> bool:
        version = versions.get(story_id)
        if version is None:
            return False  # no brief yet: no actors or places known
        with self._cache_lock:
            cached = self._facets.get(story_id)
        if cached is None or cached[0] != version:
            found = store.brief_json(story_id)
            if found is None:
                return False
            cached = (version, _facets(json.loads(found[0])))
            with self._cache_lock:
                self._facets[story_id] = cached
        facets = cached[1]
        if query.actor.strip() and not _names_match(query.actor, facets.actors):
            return False
        if query.place.strip():
            place = query.place.strip().lower()
            if place not in facets.countries and not _names_match(place, facets.places):
                return False
        return True

    def story(self, story_id: str) -> StoryView | None:
        with self.store() as store:
            row = store.story(story_id)
            if row is None:
                return None
            versions = latest_versions(store)
            return StoryView.of(row, story_updates(store)[story_id], versions.get(story_id))

    def versions(self, story_id: str) -> list[BriefVersion]:
        with self.store() as store:
            return brief_versions(store, story_id)

    def brief_json(self, story_id: str) -> str | None:
        with self.store() as store:
            found = store.brief_json(story_id)
        return found[0] if found else None

    def page(self, story_id: str, version: int, render: Any, key: str = "") -> str | None:
        """The story's page for its brief ``version``, rendered by ``render(brief)`` once and
        kept (a big story's page takes a few tenths of a second to render)."""
        cache_key = (story_id, version, key)
        with self._cache_lock:
            if cache_key in self._pages:
                self._pages.move_to_end(cache_key)
                return self._pages[cache_key]
        found = self.brief_json(story_id)
        if found is None:
            return None
        from storyline.render import load_brief

        page = render(load_brief(found))
        with self._cache_lock:
            self._pages[cache_key] = page
            while len(self._pages) > settings.WEB_PAGE_CACHE:
                self._pages.popitem(last=False)
        return page

    def news(self, story_id: str, since: str) -> tuple[dict[str, Any], NewSince] | None:
        """Raises ValueError when ``since`` is not an ISO date or time."""
        with self.store() as store:
            return news_for(store, story_id, since)

    def article(self, story_id: str, article_id: str) -> dict[str, Any] | None:
        """One article of a story (a1, a2... as in its brief), as the store keeps it."""
        with self.store() as store:
            for row, article in store.story_articles(story_id):
                if article.id == article_id:
                    data = dataclasses.asdict(article)
                    data["date"] = article.date.isoformat() if article.date else None
                    data["removed"] = [[r.text, r.reason] for r in article.removed]
                    data.update(story=story_id, name=row.input_key, added=row.added)
                    return data
        return None

    # ------------------------------------------------------------ writing

    def add(self, ingested: IngestResult) -> Added:
        """Store and assign the articles of ``ingested`` (``storyline stories --store``'s
        path), then queue the briefs of the stories they went to."""
        with self.write_lock, self.store() as store:
            before = {row.id for row in store.stories()}
            run = update(store, ingested, briefs=False)
            rows = {row.id: row for row in store.stories()}
        placed = [
            Placed(
                item.article,
                item.story,
                item.duplicate_of,
                item.new,
                item.story not in before,
                rows[item.story].title if item.story in rows else None,
            )
            for item in run.assigned
        ]
        changed = list(dict.fromkeys(item.story for item in run.assigned if item.new))
        self.rebuilder.request(changed)
        return Added(placed, list(ingested.skipped), changed)


class Rebuilder:
    """One background thread that rebuilds queued stories' briefs, one story at a time.

    A story is rebuilt under the write lock, so no article joins it between the moment its
    articles are read and the moment its new brief is marked up to date. Only stories someone
    asked for are rebuilt (after an upload, or from the story's page): a store made with
    ``--no-briefs`` does not make the server brief thousands of stories by itself.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._queue: OrderedDict[str, None] = OrderedDict()
        self.status = RebuildStatus()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="storyline-briefs", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the story being briefed (the thread is a daemon: a brief that takes
        longer than ``timeout`` does not keep the process alive)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request(self, story_ids: list[str]) -> None:
        with self._lock:
            for story_id in story_ids:
                self._queue[story_id] = None
                self.status.failed.pop(story_id, None)
            self.status.queued = list(self._queue)
        self._wake.set()

    def busy(self, story_id: str) -> bool:
        with self._lock:
            return story_id == self.status.current or story_id in self._queue

    def snapshot(self) -> RebuildStatus:
        with self._lock:
            return dataclasses.replace(
                self.status, queued=list(self._queue), failed=dict(self.status.failed)
            )

    def _next(self) -> str | None:
        with self._lock:
            if not self._queue:
                return None
            story_id, _ = self._queue.popitem(last=False)
            self.status.current = story_id
            self.status.queued = list(self._queue)
            return story_id

    def _run(self) -> None:
        while not self._stopping.is_set():
            story_id = self._next()
            if story_id is None:
                self._wake.wait()
                self._wake.clear()
                continue
            try:
                with self.library.write_lock, self.library.store() as store:
                    rebuilt, failed = rebuild_briefs(
                        store, only={story_id}, **self.library.brief_options
                    )
            except Exception as error:  # the thread must outlive one story's failure
                rebuilt, failed = [], {story_id: f"{type(error).__name__}: {error}"}
            with self._lock:
                self.status.current = None
                self.status.rebuilt += len(rebuilt)
                self.status.failed.update(failed)
            for failed_id, reason in failed.items():
                _log.warning("story %s: brief failed (%s)", failed_id, reason)
