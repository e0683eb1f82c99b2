"""Grouping articles into stories: copies of one text (duplicates), and story clustering."""

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
