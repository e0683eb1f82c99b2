"""Grouping a heap or a stream of articles into stories: copies first, then clustering."""

from storyline.stories.duplicates import (
    CopyMatch,
    DuplicateIndex,
    Passage,
    PassageMatch,
    RepeatedSentence,
    Repeats,
    SharedPassage,
    find_copies,
    find_repeats,
    shared_paragraphs,
)

__all__ = [
    "CopyMatch",
    "DuplicateIndex",
    "Passage",
    "PassageMatch",
    "RepeatedSentence",
    "Repeats",
    "SharedPassage",
    "find_copies",
    "find_repeats",
    "shared_paragraphs",
]
