"""The whole pipeline: ingest -> analyse -> summarise/timeline -> Brief."""

from __future__ import annotations

import os
from collections.abc import Iterable

from storyline.analyse import analyse
from storyline.analyse.vectors import content_terms, cosine, normalise
from storyline.ingest import load_articles
from storyline.model import Brief, IngestResult, Story
from storyline.settings import DEFAULT_MAX_DATES, DEFAULT_PARSE_WORDS, DEFAULT_WORDS
from storyline.summarise import summarise
from storyline.timeline import build_timeline

__all__ = ["brief", "brief_from_articles", "brief_of_story", "story_title"]


def story_title(story: Story) -> str:
    """The title of the article closest to the story's centroid, else the main actors."""
    titled = [a.article for a in story.articles if a.article.title]
    if titled:
        return max(
            (article.title or "" for article in titled),
            key=lambda title: cosine(
                normalise(dict.fromkeys(content_terms(title), 1.0)), story.centroid
            ),
        )
    names = [actor.name for actor in story.actors[:2]] + [place.name for place in story.places[:1]]
    return ", ".join(names) if names else "Story brief"


def brief_from_articles(
    ingested: IngestResult,
    *,
    words: int = DEFAULT_WORDS,
    max_dates: int = DEFAULT_MAX_DATES,
    parse_words: int | None = DEFAULT_PARSE_WORDS,
    progress: bool = False,
    workers: int | None = None,
) -> Brief:
    """A brief of already loaded articles (``parse_words``: see :func:`analyse`)."""
    story = analyse(ingested, progress=progress, workers=workers, parse_words=parse_words)
    return brief_of_story(story, words=words, max_dates=max_dates)


def brief_of_story(
    story: Story, *, words: int = DEFAULT_WORDS, max_dates: int = DEFAULT_MAX_DATES
) -> Brief:
    """Title, summary and timeline of an analysed story."""
    return Brief(
        title=story_title(story),
        summary=summarise(story, words=words),
        timeline=build_timeline(story, max_dates=max_dates),
        story=story,
    )


def brief(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    words: int = DEFAULT_WORDS,
    max_dates: int = DEFAULT_MAX_DATES,
    parse_words: int | None = DEFAULT_PARSE_WORDS,
    progress: bool = False,
    workers: int | None = None,
) -> Brief:
    """Read articles from files, folders or globs and build their brief.

    >>> from storyline import brief
    >>> b = brief("examples/derna")            # doctest: +SKIP
    >>> b.timeline[0].when.iso(), b.summary[0].citation.article_id  # doctest: +SKIP
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    ingested = load_articles(paths, progress=progress)
    return brief_from_articles(
        ingested,
        words=words,
        max_dates=max_dates,
        parse_words=parse_words,
        progress=progress,
        workers=workers,
    )
