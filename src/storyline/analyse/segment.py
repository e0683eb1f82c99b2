"""Rule-based sentence splitting for text that is not parsed.

Stories bigger than the parse budget (see :func:`storyline.analyse.analyse`) parse only the
beginning of each article; the rest still needs sentences for the timeline and the summary.
spaCy's tokenizer plus its punctuation sentencizer runs at ~100k words/s here; one regular
expression over the raw text runs an order of magnitude faster, which is what lets a story of
thousands of articles be read in seconds. The abbreviation list is spaCy's English tokenizer
exceptions, so both splitters agree on "Mr." and "Gen.".
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.tokenizer_exceptions import TOKENIZER_EXCEPTIONS

from storyline.vocabulary import TITLE_ABBREVIATIONS

__all__ = ["sentence_spans"]

# Sentence-final punctuation, closing quotes/brackets, then space and what opens a sentence.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"(\S+)$")
# Titles (military ones are missing from spaCy's exceptions) and other abbreviations common
# in news text.
_MORE_ABBREVIATIONS = TITLE_ABBREVIATIONS | frozenset(
    {
        "pvt",
        "gens",
        "sr",
        "no",
        "nos",
        "fig",
        "ave",
        "blvd",
        "rd",
        "ft",
        "pt",
        "ret",
        "est",
        "approx",
    }
)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    words = {key[:-1].lower() for key in TOKENIZER_EXCEPTIONS if key.endswith(".")}
    return frozenset(words | _MORE_ABBREVIATIONS)


def _ends_abbreviation(text: str, period: int) -> bool:
    """Whether the full stop at ``period`` closes an abbreviation or an initial, not a
    sentence ("Gen. Haftar", "John F. Kennedy", "the U.S. Army")."""
    if text[period] != ".":
        return False
    match = _LAST_WORD.search(text, max(0, period - 40), period)
    if match is None:
        return False
    word = match.group(1).lstrip('"“‘([').lower()
    return len(word) == 1 or "." in word or word in _abbreviations()


def sentence_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of the sentences of ``text[start:]``.

    A line break always ends a sentence (cleaned text keeps one paragraph per line); within
    a line, sentence-final punctuation followed by a capital, a digit or an opening quote
    does, unless it closes an abbreviation. Spans exclude surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start):
        begin = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            if _ends_abbreviation(text, boundary.start()):
                continue
            spans.append((begin, boundary.end()))
            begin = boundary.end()
        spans.append((begin, line.end()))
    trimmed = []
    for first, last in spans:
        piece = text[first:last]
        stripped = piece.strip()
        if stripped:
            offset = first + len(piece) - len(piece.lstrip())
            trimmed.append((offset, offset + len(stripped)))
    return trimmed
