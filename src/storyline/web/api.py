"""Shapes of the JSON API (pydantic models): what /api/... answers, as the OpenAPI page shows."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, Field

from storyline.web.library import Added, StoryView

__all__ = [
    "AddArticles",
    "AddedResponse",
    "ArticleOut",
    "NewsOut",
    "PastedArticle",
    "RebuildOut",
    "StoryDetail",
    "StoryList",
    "StoryOut",
]


class StoryOut(BaseModel):
    id: str = Field(description="Story id (s1, s2...), as `storyline stories` names it")
    title: str | None = Field(description="Title of its latest brief (None before the first)")
    articles: int = Field(description="Articles in the story, copies included")
    copies: int = Field(description="Of them, copies of another article (wire copies, reposts)")
    outlets: int
    first_date: str | None = Field(description="Earliest publication date of its articles")
    last_date: str | None = Field(description="Latest publication date of its articles")
    updated: str = Field(description="When an article last joined it (UTC, ISO 8601)")
    brief_version: int | None = Field(description="Version of its latest brief (None: none)")
    brief_outdated: bool = Field(description="Articles joined it after its latest brief")
    rebuilding: bool = Field(description="Its brief is being rebuilt or queued for it")
    page: str = Field(description="Its page in the app")

    @classmethod
    def of(cls, view: StoryView, rebuilding: bool) -> StoryOut:
        data = dataclasses.asdict(view)
        data["brief_outdated"] = data.pop("changed")
        return cls(**data, rebuilding=rebuilding, page=f"/stories/{view.id}")


class StoryList(BaseModel):
    total: int = Field(description="Stories that match the search")
    page: int
    pages: int
    per_page: int
    stories: list[StoryOut]


class BriefVersionOut(BaseModel):
    version: int
    created: str


class StoryDetail(StoryOut):
    versions: list[BriefVersionOut] = Field(description="Its briefs, oldest first")
    brief: dict[str, Any] | None = Field(
        description="Its latest brief as `storyline brief --format json` writes it "
        "(docs/schema.md), None before the first"
    )


class NewsOut(BaseModel):
    """What the story's latest brief has that its brief at `since` did not (the JSON of
    `storyline brief --store DB --story ID --since DATE --format json`)."""

    story: str
    title: str
    since: str
    earlier: str | None = Field(description="Creation time of the brief compared against")
    timeline: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    changed_figures: list[list[dict[str, Any]]] = Field(
        description="[before, after] pairs of figures whose reported values changed"
    )
    quotes: list[dict[str, Any]]
    sources: list[dict[str, Any]]


class ArticleOut(BaseModel):
    id: str = Field(description="Its id in the story's brief (a1, a2...)")
    story: str
    name: str = Field(description="Its own id (JSONL id), else its file, file:line or upload")
    added: str = Field(description="When the store received it (UTC)")
    source: str
    title: str | None
    date: str | None
    date_inferred: bool
    date_evidence: str | None
    outlet: str | None
    url: str | None
    language: str | None
    text: str = Field(description="Cleaned text (what citations' offsets refer to)")
    removed: list[list[str]] = Field(description="[text, reason] of what cleaning removed")
    warnings: list[str]


class PastedArticle(BaseModel):
    text: str = Field(description="The article's text (or its HTML)")
    id: str | None = Field(None, description="Its own id (kept, as a JSONL line's id)")
    title: str | None = None
    url: str | None = Field(None, description="Where it was read (not fetched)")
    date: str | None = Field(None, description="Publication date, e.g. 2018-05-09")
    outlet: str | None = None


class AddArticles(BaseModel):
    articles: list[PastedArticle]


class PlacedOut(BaseModel):
    article: str = Field(description="The article's name (its id, upload:FILE, pasted:N)")
    story: str
    story_title: str | None
    new_story: bool = Field(description="The story was opened by this upload")
    duplicate_of: str | None = Field(description="The article it copies, if any")
    new: bool = Field(description="False: the store had this article already")


class SkippedOut(BaseModel):
    source: str
    reason: str


class AddedResponse(BaseModel):
    placed: list[PlacedOut]
    skipped: list[SkippedOut] = Field(description="Inputs that gave no article, and why")
    rebuilding: list[str] = Field(description="Stories whose briefs are being rebuilt")

    @classmethod
    def of(cls, added: Added) -> AddedResponse:
        return cls(
            placed=[PlacedOut(**dataclasses.asdict(p)) for p in added.placed],
            skipped=[SkippedOut(source=s.source, reason=s.reason) for s in added.skipped],
            rebuilding=added.rebuilding,
        )


class RebuildOut(BaseModel):
    current: str | None = Field(description="Story being briefed now")
    queued: list[str]
    failed: dict[str, str] = Field(description="Story -> why its brief failed")
    rebuilt: int = Field(description="Briefs rebuilt since the server started")
