"""Grouping articles into stories: copies of one text (duplicates), and story clustering."""

from storyline.stories.duplicates import (
    CopyMatch,
    DuplicateIndex,
    Passage,
    PassageMatch,
    SharedPassage,
    find_copies,
    shared_paragraphs,
)

__all__ = [
    "CopyMatch",
    "DuplicateIndex",
    "Passage",
    "PassageMatch",
    "SharedPassage",
    "find_copies",
    "shared_paragraphs",
]
