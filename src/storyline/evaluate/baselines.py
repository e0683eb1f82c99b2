"""Classic extractive summarisers, run beside storyline's on the same analysed story.

Each takes a :class:`~storyline.model.Story` (so every system sees the same sentences) and a
word budget and returns sentence texts in the order chosen. They are reference points for
the benchmark tables, not part of the brief; the sentence-graph ones (LexRank, TextRank) are
quadratic in the number of sentences, which is fine for one Multi-News cluster.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from storyline.analyse.vectors import Vector, content_terms, cosine
from storyline.model import Sentence, Story
from storyline.summarise import MAX_WORDS, MIN_WORDS

__all__ = ["BASELINES", "lead", "lexrank", "oracle", "take_until", "textrank", "tfidf_centroid"]

Summariser = Callable[[Story, int], list[str]]


def _candidates(story: Story) -> list[tuple[Sentence, Vector]]:
    pairs = []
    for analysed in story.articles:
        for sentence, vector in zip(analysed.sentences, analysed.vectors):
            if MIN_WORDS <= len(sentence.text.split()) <= MAX_WORDS:
                pairs.append((sentence, vector))
    return pairs


def take_until(texts: list[str], words: int) -> list[str]:
    """Sentences in order until the budget is reached (the last one may overflow; the
    evaluation protocol cuts the summary at the budget)."""
    chosen, used = [], 0
    for text in texts:
        if used >= words:
            break
        chosen.append(text)
        used += len(text.split())
    return chosen


def lead(story: Story, words: int) -> list[str]:
    """Leading sentences of the articles, round-robin: first of each, then second, ..."""
    per_article = [
        [s.text for s in analysed.sentences if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS]
        for analysed in story.articles
    ]
    order = []
    for position in range(max((len(s) for s in per_article), default=0)):
        order += [sentences[position] for sentences in per_article if position < len(sentences)]
    return take_until(order, words)


def _pagerank(matrix: np.ndarray, damping: float = 0.85, iterations: int = 100) -> np.ndarray:
    size = matrix.shape[0]
    sums = matrix.sum(axis=1, keepdims=True)
    transition = np.divide(matrix, sums, out=np.full_like(matrix, 1.0 / size), where=sums > 0)
    rank = np.full(size, 1.0 / size)
    for _ in range(iterations):
        updated = (1 - damping) / size + damping * transition.T @ rank
        if np.abs(updated - rank).sum() < 1e-8:
            return updated
        rank = updated
    return rank


def _select(
    pairs: list[tuple[Sentence, Vector]], scores: list[float], words: int, redundancy: float
) -> list[str]:
    """Best first, skipping a sentence too similar to one already taken."""
    chosen: list[tuple[Sentence, Vector]] = []
    used = 0
    for index in sorted(range(len(pairs)), key=lambda i: -scores[i]):
        if used >= words:
            break
        sentence, vector = pairs[index]
        if any(cosine(vector, other) > redundancy for _, other in chosen):
            continue
        chosen.append((sentence, vector))
        used += len(sentence.text.split())
    return [sentence.text for sentence, _ in chosen]


def lexrank(story: Story, words: int, threshold: float = 0.1) -> list[str]:
    """LexRank (Erkan & Radev 2004): PageRank over the TF-IDF cosine graph."""
    pairs = _candidates(story)
    if not pairs:
        return []
    size = len(pairs)
    matrix = np.zeros((size, size))
    for i in range(size):
        for j in range(i + 1, size):
            similarity = cosine(pairs[i][1], pairs[j][1])
            if similarity > threshold:
                matrix[i, j] = matrix[j, i] = 1.0
    return _select(pairs, list(_pagerank(matrix)), words, redundancy=0.5)


def textrank(story: Story, words: int) -> list[str]:
    """TextRank (Mihalcea & Tarau 2004): PageRank over word-overlap similarity."""
    pairs = _candidates(story)
    if not pairs:
        return []
    term_sets = [set(content_terms(sentence.text)) for sentence, _ in pairs]
    size = len(pairs)
    matrix = np.zeros((size, size))
    for i in range(size):
        for j in range(i + 1, size):
            overlap = len(term_sets[i] & term_sets[j])
            if overlap and len(term_sets[i]) > 1 and len(term_sets[j]) > 1:
                norm = math.log(len(term_sets[i])) + math.log(len(term_sets[j]))
                matrix[i, j] = matrix[j, i] = overlap / norm
    return _select(pairs, list(_pagerank(matrix)), words, redundancy=0.5)


def tfidf_centroid(story: Story, words: int) -> list[str]:
    """Centroid-based summarisation (Radev et al. 2004): cosine with the story centroid."""
    pairs = _candidates(story)
    scores = [cosine(vector, story.centroid) for _, vector in pairs]
    return _select(pairs, scores, words, redundancy=0.5)


def oracle(story: Story, words: int, score: Callable[[str], float]) -> list[str]:
    """Greedy extractive oracle: add the sentence that raises ``score`` (ROUGE against the
    reference) most, until nothing raises it or the budget is spent. The ceiling."""
    pairs = _candidates(story)
    chosen: list[str] = []
    best = 0.0
    remaining = [sentence.text for sentence, _ in pairs]
    while remaining and sum(len(t.split()) for t in chosen) < words:
        gains = [(score(" ".join([*chosen, text])), text) for text in remaining]
        value, text = max(gains)
        if value <= best:
            break
        best = value
        chosen.append(text)
        remaining.remove(text)
    return chosen


BASELINES: dict[str, Summariser] = {
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
    "tfidf-centroid": tfidf_centroid,
}
