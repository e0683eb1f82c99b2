"""Extractive multi-document summary within a word budget, every sentence cited.

Candidate sentences (sentence-sized, near the top of their article, readable on their own)
are scored by a small learned model over position, length, centrality, support from other
articles, entities and figures (:mod:`storyline.summarise.scorer`, trained on Multi-News by
:mod:`storyline.summarise.train`), and selected greedily with maximal marginal relevance so
that the same fact reported by several outlets is said once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storyline.analyse.vectors import Vector, cosine
from storyline.model import Article, Sentence, Story, SummarySentence
from storyline.settings import DEFAULT_WORDS, MAX_SCORED
from storyline.summarise.features import (
    MAX_POSITION,
    MAX_WORDS,
    MIN_WORDS,
    candidate_features,
    candidates,
    quoted_sentences,
)
from storyline.summarise.scorer import Scorer, default_scorer

__all__ = [
    "DEFAULT_WORDS",
    "MAX_POSITION",
    "MAX_WORDS",
    "MIN_WORDS",
    "ScoredSentence",
    "rank_sentences",
    "reading_order",
    "summarise",
]

# Marks a sentence opening on a quotation starts with: no opener for a summary.
_QUOTE_OPENINGS = ("“", '"', "‘", "'", "``")
# A candidate this similar to an already chosen sentence repeats it.
DUPLICATE_SIMILARITY = 0.5
# Salience is rescaled to 0..1 within the story before redundancy is subtracted.
REDUNDANCY_WEIGHT = 0.7
# At most one quoted sentence per this many words of budget (2 in a 150-word brief): quotes
# score well (dense, on topic) but a summary made of them reads as a list of voices, not as
# what happened. Costs 0.2 ROUGE-1 on Multi-News against no limit (44.71 vs 44.89).
WORDS_PER_QUOTE = 75


@dataclass
class ScoredSentence:
    sentence: Sentence
    vector: Vector
    score: float
    # The article's day, or the first day it can have been published (an inferred range
    # "not before 2018-06"): where the sentence goes in dated order; None when unknown.
    article_date: dt.date | None
    leans_on_previous: bool = False
    position: int = 0  # rank among its article's candidates: 0 is the article's lead


def _reading_date(article: Article) -> dt.date | None:
    if article.date is not None:
        return article.date
    published = article.published
    if published is not None and published.earliest is not None:
        return published.earliest.date
    return None


def rank_sentences(story: Story, scorer: Scorer | None = None) -> list[ScoredSentence]:
    """Candidate sentences of the story with their salience (0..1 in the story), best first."""
    found = candidates(story)
    if not found:
        return []
    if len(found) > MAX_SCORED:
        # Big stories: the model scores only the most central candidates (a summary takes a
        # handful), which keeps the feature matrices and their cost bounded.
        found = sorted(found, key=lambda c: -cosine(c.vector, story.centroid))[:MAX_SCORED]
    raw = (scorer or default_scorer())(candidate_features(story, found))
    low, high = float(raw.min()), float(raw.max())
    span = high - low if high > low else 1.0
    scored = [
        ScoredSentence(
            c.sentence,
            c.vector,
            (float(value) - low) / span,
            _reading_date(c.article.article),
            c.leans_on_previous,
            c.candidate_position,
        )
        for c, value in zip(found, raw)
    ]
    scored.sort(key=lambda item: -item.score)
    return scored


def summarise(
    story: Story, words: int = DEFAULT_WORDS, scorer: Scorer | None = None
) -> list[SummarySentence]:
    """Pick non-redundant salient sentences within ``words`` words, in reading order.

    Maximal marginal relevance: each step takes the candidate whose salience minus its
    similarity to what is already chosen is highest. A sentence that leans on the one
    before it ("He said ...", "But ...") can only be taken once that one is, and then
    follows it in the summary. The summary opens on the sentence that orients a reader best
    and goes on in dated order (see :func:`reading_order`).
    """
    ranked = rank_sentences(story, scorer)
    order = {analysed.article.id: i for i, analysed in enumerate(story.articles)}
    quoted = quoted_sentences(story)
    quotes_left = max(1, words // WORDS_PER_QUOTE)
    chosen: list[ScoredSentence] = []
    taken: set[tuple[str, int]] = set()
    redundancy = [0.0] * len(ranked)
    used = 0
    while ranked:
        best, best_value = -1, float("-inf")
        for i, candidate in enumerate(ranked):
            if used + len(candidate.sentence.text.split()) > words:
                continue
            if redundancy[i] > DUPLICATE_SIMILARITY:
                continue
            sentence = candidate.sentence
            if not quotes_left and (sentence.article_id, sentence.index) in quoted:
                continue
            if (
                candidate.leans_on_previous
                and (sentence.article_id, sentence.index - 1) not in taken
            ):
                continue
            value = candidate.score - REDUNDANCY_WEIGHT * redundancy[i]
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        picked = ranked.pop(best)
        redundancy.pop(best)
        chosen.append(picked)
        taken.add((picked.sentence.article_id, picked.sentence.index))
        quotes_left -= (picked.sentence.article_id, picked.sentence.index) in quoted
        used += len(picked.sentence.text.split())
        redundancy = [max(r, cosine(picked.vector, c.vector)) for r, c in zip(redundancy, ranked)]
    return [
        SummarySentence(c.sentence.text.strip(), c.sentence.citation)
        for c in reading_order(chosen, order, quoted)
    ]


def reading_order(
    chosen: list[ScoredSentence], order: dict[str, int], quoted: set[tuple[str, int]]
) -> list[ScoredSentence]:
    """The chosen sentences as a reader takes them in: first the one that orients (the
    lead of an article, if the summary holds one, else the most salient sentence that is
    neither a quotation nor leaning on another), then the others by their article's date
    (a story told over years reads in dated order; an inferred range counts from its first
    day, undated articles come last), article and place in it. A sentence that leans on the
    one before it stays right after it.

    ``order``: article id -> place in the input; ``quoted``: (article id, sentence index)
    of the sentences holding a quote.
    """
    by_place = {(c.sentence.article_id, c.sentence.index): c for c in chosen}
    followers: dict[tuple[str, int], ScoredSentence] = {}
    heads = []
    for c in chosen:
        before = (c.sentence.article_id, c.sentence.index - 1)
        if c.leans_on_previous and before in by_place:
            followers[before] = c
        else:
            heads.append(c)

    def dated(c: ScoredSentence) -> tuple[dt.date, int, int]:
        return (c.article_date or dt.date.max, order[c.sentence.article_id], c.sentence.index)

    heads.sort(key=dated)
    openers = [
        c
        for c in heads
        if (c.sentence.article_id, c.sentence.index) not in quoted
        and not c.sentence.text.lstrip().startswith(_QUOTE_OPENINGS)
    ]
    if openers:
        opener = max(openers, key=lambda c: (c.position == 0, c.score))
        heads.remove(opener)
        heads.insert(0, opener)
    ordered = []
    for head in heads:
        ordered.append(head)
        place = (head.sentence.article_id, head.sentence.index)
        while place in followers:
            ordered.append(followers[place])
            place = (place[0], place[1] + 1)
    return ordered
