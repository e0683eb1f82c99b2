"""Build small Story objects from real sentences, without running spaCy (unit tests)."""

from __future__ import annotations

import datetime as dt

from storyline.analyse.vectors import centroid, story_sentence_vectors
from storyline.model import AnalysedArticle, Article, Sentence, Story, TimeExpression, TimePoint


def make_story(
    articles: list[tuple[str, dt.date | None, list[str]]],
    times: dict[tuple[str, int], TimePoint] | None = None,
) -> Story:
    """``articles``: (id, date, sentences); ``times``: (id, sentence index) -> event date."""
    times = times or {}
    analysed = []
    for article_id, date, sentences in articles:
        text = "\n".join(sentences)
        built, start = [], 0
        for index, sentence in enumerate(sentences):
            built.append(Sentence(article_id, index, start, start + len(sentence), sentence))
            start += len(sentence) + 1
        expressions = [
            TimeExpression(s.text[:4], s.start, s.start + 4, times[(article_id, s.index)])
            for s in built
            if (article_id, s.index) in times
        ]
        article = Article(id=article_id, source=f"{article_id}.txt", text=text, date=date)
        analysed.append(AnalysedArticle(article, built, [], expressions, [], []))
    vectors = story_sentence_vectors([[s.text for s in a.sentences] for a in analysed])
    for item, article_vectors in zip(analysed, vectors):
        item.vectors = article_vectors
    return Story(
        articles=analysed,
        skipped=[],
        centroid=centroid(v for article_vectors in vectors for v in article_vectors),
    )
