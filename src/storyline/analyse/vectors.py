"""Bag-of-words TF-IDF vectors for the sentences of a story.

A few hundred lines of dict arithmetic rather than scikit-learn: the summariser and the
timeline builder only need cosine similarities against a centroid and within small groups,
and keeping the core install free of a heavy ML stack matters more here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

Vector = dict[str, float]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
_SUFFIXES = ("ing", "ed", "es", "s")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # A tiny suffix stripper: enough to meet "clashes"/"clash", "killed"/"kill" without
    # pulling in a stemmer; the evaluation code uses a real Porter stemmer.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Lower-cased, lightly stemmed content words of ``text`` (stop words dropped)."""
    terms = []
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in STOP_WORDS or len(word) < 2:
            continue
        terms.append(_stem(word))
    return terms


def normalise(vector: Vector) -> Vector:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    if norm == 0:
        return {}
    return {term: value / norm for term, value in vector.items()}


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two normalised vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


class TfIdf:
    """Inverse document frequencies learnt from a collection of documents (articles)."""

    def __init__(self, documents: Iterable[Iterable[str]]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for terms in documents:
            frequency.update(set(terms))
            count += 1
        self.documents = count
        self._idf = {term: math.log((1 + count) / (1 + df)) + 1.0 for term, df in frequency.items()}
        self._unseen = math.log(1 + count) + 1.0

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._unseen)

    def vector(self, terms: Sequence[str]) -> Vector:
        """Normalised TF-IDF vector (sublinear term frequency)."""
        counts = Counter(terms)
        return normalise(
            {term: (1.0 + math.log(tf)) * self.idf(term) for term, tf in counts.items()}
        )


def centroid(vectors: Iterable[Vector]) -> Vector:
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    return normalise(dict(total))


def story_sentence_vectors(articles: Sequence[Sequence[str]]) -> list[list[Vector]]:
    """TF-IDF vectors for every sentence of every article, IDF counted over articles.

    ``articles`` holds each article's sentence texts; the result mirrors that nesting.
    """
    terms = [[content_terms(sentence) for sentence in sentences] for sentences in articles]
    model = TfIdf([term for sentence in sentences for term in sentence] for sentences in terms)
    return [[model.vector(sentence) for sentence in sentences] for sentences in terms]
