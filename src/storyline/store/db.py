"""SQLite tables of the store and the one class that reads and writes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline import settings
from storyline.model import Article, Brief, IngestResult, RemovedText
from storyline.stories.cluster import CopyFinder, StoryClusterer, StoryDoc

__all__ = ["ArticleRow", "Assigned", "Store", "StoryRow", "content_hash"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,          -- sha256 of the cleaned text: the article's identity
    input_key TEXT NOT NULL,            -- its own id (JSONL "id"), else file or file:line
    source TEXT NOT NULL,
    title TEXT,
    date TEXT,
    outlet TEXT,
    url TEXT,
    text TEXT NOT NULL,                 -- cleaned text (what every offset refers to)
    removed TEXT NOT NULL,              -- JSON: what cleaning removed from the raw text, why
    metadata TEXT NOT NULL,             -- JSON: the other Article fields
    added TEXT NOT NULL                 -- when this store received it (UTC, ISO 8601)
);
CREATE TABLE IF NOT EXISTS duplicates (
    article INTEGER PRIMARY KEY REFERENCES articles(id),
    original INTEGER NOT NULL REFERENCES articles(id)
);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    changed INTEGER NOT NULL DEFAULT 1, -- 1: its brief is missing or older than its articles
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_articles (
    article INTEGER PRIMARY KEY REFERENCES articles(id),
    story TEXT NOT NULL REFERENCES stories(id)
);
CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles(story);
CREATE TABLE IF NOT EXISTS analyses (
    article INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    analysis TEXT NOT NULL,             -- JSON: date read or inferred, quotes, figures
    PRIMARY KEY (article, version)
);
CREATE TABLE IF NOT EXISTS briefs (
    story TEXT NOT NULL REFERENCES stories(id),
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    brief TEXT NOT NULL,                -- JSON as render_json writes it
    PRIMARY KEY (story, version)
);
CREATE TABLE IF NOT EXISTS skipped (
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    seen TEXT NOT NULL,
    PRIMARY KEY (source, reason)
);
"""
STORE_VERSION = "1"
_ARTICLE_FIELDS = (
    "date_inferred",
    "date_evidence",
    "encoding",
    "dateline",
    "dateline_date",
    "input_id",
    "language",
    "warnings",
)


def content_hash(article: Article) -> str:
    return hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


def input_key(article: Article) -> str:
    """How ``--assignments`` names an article: its own id, else its file (or file:line)."""
    return article.input_id or article.source


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Assigned:
    """One input article: its name, its story, the article it copies (by name) and whether
    this run stored it (False: it was in the store already)."""

    article: str
    story: str
    duplicate_of: str | None
    new: bool


@dataclass(frozen=True)
class StoryRow:
    id: str
    title: str | None
    articles: int
    copies: int
    outlets: int
    first_date: str | None
    last_date: str | None
    changed: bool


@dataclass(frozen=True)
class ArticleRow:
    id: int
    input_key: str
    added: str


class Store:
    """One SQLite file (``":memory:"`` for a run that keeps nothing)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions by hand
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never torn
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('store_version', ?)",
                (STORE_VERSION,),
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # ------------------------------------------------------------ clusterer state

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def clusterer(self, copies: CopyFinder | None = None) -> StoryClusterer:
        """The clusterer as the last committed chunk left it (a new one for a new store)."""
        state = self._meta("clusterer")
        if state is None:
            return StoryClusterer(copies=copies)
        open_ids = {story["number"] for story in json.loads(state)["stories"]}
        story_of = {
            str(article): story
            for article, story in self.db.execute("SELECT article, story FROM story_articles")
            if int(story[1:]) in open_ids
        }
        clusterer = StoryClusterer.from_state(json.loads(state), copies=copies, story_of=story_of)
        if copies is not None:  # the copy finder sees again the articles of the open stories
            for key in sorted(story_of, key=int):
                row = self.db.execute("SELECT text FROM articles WHERE id = ?", (int(key),))
                copies.add(key, row.fetchone()[0])
        return clusterer

    # ------------------------------------------------------------ ingest

    def ingest(
        self,
        ingested: IngestResult,
        *,
        copies: CopyFinder | None = None,
        chunk: int = settings.STORE_CHUNK_ARTICLES,
    ) -> list[Assigned]:
        """Store the new articles of ``ingested`` and assign them to stories.

        Returns one :class:`Assigned` per input article, in input order. Articles whose text
        is already stored (from an earlier run, or earlier in this input) are not stored again;
        a repeat within the input is reported as a copy of its first occurrence.
        """
        seen = self.db.execute("SELECT value FROM meta WHERE key = 'clusterer'").fetchone()
        clusterer = self.clusterer(copies) if seen else StoryClusterer(copies=copies)
        now = _now()
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO skipped(source, reason, seen) VALUES (?, ?, ?)",
                [(item.source, item.reason, now) for item in ingested.skipped],
            )
        hashes = [content_hash(article) for article in ingested.articles]
        fresh: dict[str, Article] = {}
        for article, digest in zip(ingested.articles, hashes):
            if digest not in fresh and not self._article_id(digest):
                fresh[digest] = article
        pending = list(fresh.items())
        # Fed to the clusterer in date order (undated first), as a feed would have brought them.
        pending.sort(key=lambda item: (item[1].date is not None, item[1].date or dt.date.min))
        for start in range(0, len(pending), chunk):
            self._ingest_chunk(clusterer, pending[start : start + chunk])
        found = []
        for article, digest in zip(ingested.articles, hashes):
            stored = self._assigned(digest, digest in fresh)
            name = input_key(article)
            if name != stored.article:  # a repeat of an article stored under another name
                stored = Assigned(name, stored.story, stored.article, stored.new)
            found.append(stored)
        return found

    def _ingest_chunk(
        self, clusterer: StoryClusterer, items: Sequence[tuple[str, Article]]
    ) -> None:
        now = _now()
        with self.transaction():
            docs = []
            for digest, article in items:
                cursor = self.db.execute(
                    "INSERT INTO articles(hash, input_key, source, title, date, outlet, url, "
                    "text, removed, metadata, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        digest,
                        input_key(article),
                        article.source,
                        article.title,
                        article.date.isoformat() if article.date else None,
                        article.outlet,
                        article.url,
                        article.text,
                        json.dumps([[r.text, r.reason] for r in article.removed]),
                        json.dumps({name: getattr(article, name) for name in _ARTICLE_FIELDS}),
                        now,
                    ),
                )
                docs.append(
                    StoryDoc(str(cursor.lastrowid), article.text, article.title, article.date)
                )
            clusterer.observe(docs)
            for doc in docs:
                assignment = clusterer.add(doc)
                self.db.execute(
                    "INSERT INTO stories(id, changed, updated) VALUES (?, 1, ?) "
                    "ON CONFLICT(id) DO UPDATE SET changed = 1, updated = excluded.updated",
                    (assignment.story, now),
                )
                self.db.execute(
                    "INSERT INTO story_articles(article, story) VALUES (?, ?)",
                    (int(doc.key), assignment.story),
                )
                if assignment.duplicate_of is not None:
                    self.db.execute(
                        "INSERT INTO duplicates(article, original) VALUES (?, ?)",
                        (int(doc.key), int(assignment.duplicate_of)),
                    )
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES ('clusterer', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (json.dumps(clusterer.state()),),
            )

    def _article_id(self, digest: str) -> int | None:
        row = self.db.execute("SELECT id FROM articles WHERE hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    def _assigned(self, digest: str, new: bool) -> Assigned:
        row = self.db.execute(
            "SELECT a.input_key, s.story, o.input_key FROM articles a "
            "JOIN story_articles s ON s.article = a.id "
            "LEFT JOIN duplicates d ON d.article = a.id "
            "LEFT JOIN articles o ON o.id = d.original WHERE a.hash = ?",
            (digest,),
        ).fetchone()
        return Assigned(row[0], row[1], row[2], new)

    # ------------------------------------------------------------ stories and briefs

    def stories(self) -> list[StoryRow]:
        """Every story, biggest first (then earliest, then by id)."""
        rows = self.db.execute(
            "SELECT s.id, s.title, COUNT(a.id), COUNT(d.article), COUNT(DISTINCT a.outlet), "
            "MIN(a.date), MAX(a.date), s.changed FROM stories s "
            "JOIN story_articles m ON m.story = s.id JOIN articles a ON a.id = m.article "
            "LEFT JOIN duplicates d ON d.article = a.id GROUP BY s.id"
        ).fetchall()
        found = [StoryRow(*row[:7], bool(row[7])) for row in rows]
        return sorted(found, key=lambda s: (-s.articles, s.first_date or "9999", int(s.id[1:])))

    def story(self, story_id: str) -> StoryRow | None:
        return next((row for row in self.stories() if row.id == story_id), None)

    def changed_stories(self) -> list[str]:
        rows = self.db.execute("SELECT id FROM stories WHERE changed = 1").fetchall()
        return sorted((row[0] for row in rows), key=lambda story: int(story[1:]))

    def story_articles(self, story_id: str) -> list[tuple[ArticleRow, Article]]:
        """The story's articles in the order they were stored, with ids a1, a2, ..."""
        rows = self.db.execute(
            "SELECT a.id, a.input_key, a.added, a.source, a.text, a.title, a.date, a.outlet, "
            "a.url, a.removed, a.metadata FROM articles a "
            "JOIN story_articles m ON m.article = a.id WHERE m.story = ? ORDER BY a.id",
            (story_id,),
        ).fetchall()
        found = []
        for number, row in enumerate(rows, 1):
            key, name, added, source, text, title, date, outlet, url, removed, metadata = row
            extra: dict[str, Any] = json.loads(metadata)
            article = Article(
                id=f"a{number}",
                source=source,
                text=text,
                title=title,
                date=dt.date.fromisoformat(date) if date else None,
                outlet=outlet,
                url=url,
                removed=[RemovedText(t, r) for t, r in json.loads(removed)],
                **extra,
            )
            found.append((ArticleRow(key, name, added), article))
        return found

    def save_brief(self, story_id: str, brief: Brief, brief_json: str) -> int:
        """Store a new version of the story's brief and mark the story up to date."""
        data = json.loads(brief_json)
        stored = {row.input_key: row.id for row, _ in self.story_articles(story_id)}
        with self.transaction():
            (version,) = self.db.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM briefs WHERE story = ?", (story_id,)
            ).fetchone()
            self.db.execute(
                "INSERT INTO briefs(story, version, created, brief) VALUES (?, ?, ?, ?)",
                (story_id, version, _now(), brief_json),
            )
            for source in data["sources"]:
                article_id = stored.get(source["input_id"] or source["source"])
                if article_id is None:
                    continue
                analysis = {
                    "date": source["date"],
                    "date_inferred": source["date_inferred"],
                    "date_evidence": source["date_evidence"],
                    "quotes": [
                        q for q in data["quotes"] if q["citation"]["article"] == source["id"]
                    ],
                    "figures": [
                        {**{k: f[k] for k in ("category", "counted", "subject")}, **report}
                        for f in data["figures"]
                        for report in f["reports"]
                        if report["citation"]["article"] == source["id"]
                    ],
                }
                self.db.execute(
                    "INSERT INTO analyses(article, version, analysis) VALUES (?, ?, ?)",
                    (article_id, version, json.dumps(analysis, ensure_ascii=False)),
                )
            self.db.execute(
                "UPDATE stories SET changed = 0, title = ? WHERE id = ?", (brief.title, story_id)
            )
        return version

    def brief_json(self, story_id: str, *, before: str | None = None) -> tuple[str, str] | None:
        """(JSON, creation time) of the story's latest brief, or of the latest one created
        before ``before`` (ISO time); None if there is none."""
        query = "SELECT brief, created FROM briefs WHERE story = ?"
        parameters: tuple[str, ...] = (story_id,)
        if before is not None:
            query += " AND created < ?"
            parameters += (before,)
        row = self.db.execute(query + " ORDER BY version DESC LIMIT 1", parameters).fetchone()
        return (row[0], row[1]) if row else None

    def count(self, table: str) -> int:
        if table not in {"articles", "duplicates", "stories", "briefs", "analyses", "skipped"}:
            raise ValueError(table)
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
