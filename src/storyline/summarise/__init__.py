"""Extractive multi-document summary within a word budget, every sentence cited.

Sentences are scored by centrality (cosine with the story's TF-IDF centroid), boosted for
lead position (news puts the gist first), and selected greedily with maximal marginal
relevance so that the same fact reported by several outlets is said once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storyline.analyse.vectors import Vector, cosine
from storyline.model import Sentence, Story, SummarySentence

__all__ = ["DEFAULT_WORDS", "rank_sentences", "summarise"]

DEFAULT_WORDS = 150
MIN_WORDS = 8
MAX_WORDS = 60
# News puts what matters first; past this, pages run into comments, bios and link lists.
MAX_POSITION = 30
# A candidate this similar to an already chosen sentence repeats it.
DUPLICATE_SIMILARITY = 0.5
REDUNDANCY_WEIGHT = 0.7
_DANGLING_START = re.compile(
    r"(?:But|And|Or|So|Yet|However|Meanwhile|Still|Also|Instead|Moreover|Then|Thus|"
    r"He|She|It|They|We|This|These|Those|His|Her|Their|Its)\b"
)
# A quote attributed only to a pronoun ("..., he said.") names no one the reader knows.
_PRONOUN_ATTRIBUTION = re.compile(
    r"[,”\"]\s*(?:he|she|they|it)\s+(?:said|says|added|told|explained|noted)\b", re.I
)
_TERMINAL = (".", "!", "?", "”", '"', "’", "'")


@dataclass
class ScoredSentence:
    sentence: Sentence
    vector: Vector
    score: float
    article_date: dt.date | None


def _is_candidate(sentence: Sentence, title: str | None) -> bool:
    text = sentence.text.strip()
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS or sentence.index >= MAX_POSITION:
        return False
    if (title and text == title.strip()) or text.endswith("?") or "|" in text:
        return False
    # Headlines, captions and list items rarely end like a sentence; a sentence opening on a
    # connective or a pronoun leans on one the reader of the summary has not seen.
    return (
        text.endswith(_TERMINAL)
        and not _DANGLING_START.match(text)
        and not _PRONOUN_ATTRIBUTION.search(text)
    )


def rank_sentences(story: Story) -> list[ScoredSentence]:
    """Candidate sentences of the story with their salience, best first."""
    scored = []
    for analysed in story.articles:
        position = 0
        for sentence, vector in zip(analysed.sentences, analysed.vectors):
            if not _is_candidate(sentence, analysed.article.title):
                continue
            lead_bonus = 1.0 / (1.0 + position)
            position += 1
            score = cosine(vector, story.centroid) * (1.0 + 0.5 * lead_bonus)
            scored.append(ScoredSentence(sentence, vector, score, analysed.article.date))
    scored.sort(key=lambda item: -item.score)
    return scored


def summarise(story: Story, words: int = DEFAULT_WORDS) -> list[SummarySentence]:
    """Pick non-redundant salient sentences within ``words`` words, in story order.

    Maximal marginal relevance: each step takes the candidate whose salience minus its
    similarity to what is already chosen is highest.
    """
    candidates = rank_sentences(story)
    order = {analysed.article.id: i for i, analysed in enumerate(story.articles)}
    chosen: list[ScoredSentence] = []
    redundancy = [0.0] * len(candidates)
    used = 0
    while candidates:
        best, best_value = -1, float("-inf")
        for i, candidate in enumerate(candidates):
            if used + len(candidate.sentence.text.split()) > words:
                continue
            if redundancy[i] > DUPLICATE_SIMILARITY:
                continue
            value = candidate.score - REDUNDANCY_WEIGHT * redundancy[i]
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        picked = candidates.pop(best)
        redundancy.pop(best)
        chosen.append(picked)
        used += len(picked.sentence.text.split())
        redundancy = [
            max(r, cosine(picked.vector, c.vector)) for r, c in zip(redundancy, candidates)
        ]
    chosen.sort(
        key=lambda c: (
            c.article_date or dt.date.max,
            order[c.sentence.article_id],
            c.sentence.index,
        )
    )
    return [SummarySentence(c.sentence.text.strip(), c.sentence.citation) for c in chosen]
