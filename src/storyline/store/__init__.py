"""The store: articles, copies, stories, analyses and briefs in one SQLite file.

A run adds only the articles not stored yet (known by the hash of their cleaned text), assigns
them to open stories or new ones with the clusterer whose state the store keeps, and rebuilds
the briefs of the stories that changed. Writes go through transactions in WAL mode: articles
and their assignments are committed in chunks together with the clusterer's state, a brief
with the flag that its story is up to date, so a run killed at any point loses nothing it had
committed, and running it again finishes the work without storing anything twice.
"""

from storyline.store.db import ArticleRow, Store, StoryRow, content_hash
from storyline.store.news import NewSince, new_since

__all__ = ["ArticleRow", "NewSince", "Store", "StoryRow", "content_hash", "new_since"]
