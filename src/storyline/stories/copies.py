"""Copies among the articles of one story: which article copies which, and which sentences an
article repeats from an earlier one (wire text it carries beside its own reporting)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Article, RepeatedText
from storyline.stories.duplicates import find_repeats

__all__ = ["mark_copies"]


def mark_copies(articles: Sequence[Article]) -> None:
    """Set ``copy_of`` and ``repeated`` on each article (input order decides the original)."""
    repeats = find_repeats({article.id: article.text for article in articles})
    for article in articles:
        article.copy_of = repeats.copies.get(article.id)
        article.repeated = [
            RepeatedText(r.start, r.end, r.source, r.source_start, r.source_end)
            for r in repeats.sentences.get(article.id, [])
        ]
