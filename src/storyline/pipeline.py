"""The whole pipeline: ingest -> analyse -> summarise/timeline -> Brief."""

from __future__ import annotations

import os
from collections.abc import Iterable

from storyline.analyse import analyse
from storyline.analyse.vectors import content_terms, cosine, normalise
from storyline.ingest import load_articles
from storyline.model import Brief, IngestResult, SkippedInput, Story
from storyline.settings import (
    DEFAULT_MAX_DATES,
    DEFAULT_PARSE_WORDS,
    DEFAULT_WORDS,
    MIN_SUMMARY_WORDS,
)
from storyline.summarise import summarise
from storyline.timeline import build_timeline

__all__ = [
    "BriefArgumentError",
    "NoArticlesError",
    "brief",
    "brief_from_articles",
    "brief_of_story",
    "story_title",
]


class NoArticlesError(ValueError):
    """No article could be read from the input; ``skipped`` says what was tried and why not.

    Raised by :func:`brief` and :func:`brief_from_articles` (the CLI exits with this message).
    """

    def __init__(self, skipped: list[SkippedInput]) -> None:
        self.skipped = list(skipped)
        reasons = "".join(f"\n  {item.source}: {item.reason}" for item in self.skipped[:20])
        more = len(self.skipped) - 20
        if more > 0:
            reasons += f"\n  ... and {more} more"
        if not self.skipped:
            reasons = " (no input was given)"
        super().__init__(f"no article could be read from the input{reasons}")


class BriefArgumentError(ValueError):
    """An argument of :func:`brief` is out of range (the same ranges the CLI accepts)."""


def _check_arguments(
    words: int, max_dates: int, parse_words: int | None, workers: int | None
) -> None:
    """The CLI's ranges: --words >= 10, --max-dates >= 1, --parse-words >= 0 (0 or None:
    no limit), --workers >= 1."""
    checks = (
        ("words", words, MIN_SUMMARY_WORDS, False),
        ("max_dates", max_dates, 1, False),
        ("parse_words", parse_words, 0, True),
        ("workers", workers, 1, True),
    )
    for name, value, minimum, optional in checks:
        if value is None and optional:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise BriefArgumentError(f"{name} must be an integer, not {value!r}")
        if value < minimum:
            raise BriefArgumentError(f"{name} must be at least {minimum}, not {value}")


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
    """A brief of already loaded articles (``parse_words``: see :func:`analyse`).

    Raises :class:`NoArticlesError` when ``ingested`` has no article and
    :class:`BriefArgumentError` for an argument out of range.
    """
    _check_arguments(words, max_dates, parse_words, workers)
    if not isinstance(ingested, IngestResult):
        raise TypeError(f"brief_from_articles needs an IngestResult, not {type(ingested).__name__}")
    if not ingested.articles:
        raise NoArticlesError(ingested.skipped)
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

    Inputs that give no article are listed in ``Brief.skipped``. Raises
    :class:`NoArticlesError` (with the ``skipped`` list) when no article at all could be read,
    :class:`BriefArgumentError` for an argument out of range (``words`` >= 10,
    ``max_dates`` >= 1, ``parse_words`` >= 0 or None, ``workers`` >= 1), and ``TypeError``
    when ``paths`` is not a path or an iterable of paths.
    """
    _check_arguments(words, max_dates, parse_words, workers)
    paths = _path_list(paths)
    ingested = load_articles(paths, progress=progress)
    return brief_from_articles(
        ingested,
        words=words,
        max_dates=max_dates,
        parse_words=parse_words or None,
        progress=progress,
        workers=workers,
    )


def _path_list(paths: object) -> list[str | os.PathLike[str]]:
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    if isinstance(paths, bytes):
        return [os.fsdecode(paths)]
    if paths is None or not isinstance(paths, Iterable):
        raise TypeError(
            f"brief() needs a path or an iterable of paths (files, folders, globs), "
            f"not {type(paths).__name__}"
        )
    listed = list(paths)
    for path in listed:
        if not isinstance(path, (str, bytes, os.PathLike)):
            raise TypeError(f"brief() paths must be str or os.PathLike, not {type(path).__name__}")
    return [os.fsdecode(path) if isinstance(path, bytes) else path for path in listed]
