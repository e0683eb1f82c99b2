"""Copies among the articles of one story: which article copies which, and which sentences an
article repeats from an earlier one (wire text it carries beside its own reporting)."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.model import Article, RepeatedText
from storyline.stories.duplicates import find_repeats

__all__ = ["copy_groups", "mark_copies"]


def mark_copies(articles: Sequence[Article]) -> None:
    """Set ``copy_of`` and ``repeated`` on each article (input order decides the original)."""
    repeats = find_repeats({article.id: article.text for article in articles})
    for article in articles:
        article.copy_of = repeats.copies.get(article.id)
        article.repeated = [
            RepeatedText(r.start, r.end, r.source, r.source_start, r.source_end)
            for r in repeats.sentences.get(article.id, [])
        ]


def copy_groups(articles: Sequence[Article]) -> list[list[Article]]:
    """Groups of two or more articles that copy one another (as marked by :func:`mark_copies`),
    each with its original first, in input order."""
    by_id = {article.id: article for article in articles}
    groups: dict[str, list[Article]] = {}
    for article in articles:
        root = article
        seen = {root.id}
        while root.copy_of is not None and root.copy_of in by_id and root.copy_of not in seen:
            root = by_id[root.copy_of]
            seen.add(root.id)
        groups.setdefault(root.id, []).append(article)
    return [
        sorted(group, key=lambda article: article.id != root_id)
        for root_id, group in groups.items()
        if len(group) > 1
    ]
