"""Analysis stage: sentences, entities, dates, figures and quotes per article, then the
story-level merges (actors, places, figures with agreement between sources).

Public surface: :func:`analyse` turns an :class:`~storyline.model.IngestResult` into a
:class:`~storyline.model.Story`. spaCy docs are not kept: the story holds only typed
objects, so memory grows with the number of sentences, not with parse trees.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

from spacy.tokens import Doc
from tqdm import tqdm

from storyline.analyse.actors import merge_actors
from storyline.analyse.dating import infer_missing_dates
from storyline.analyse.figures import extract_figures, merge_figures
from storyline.analyse.nlp import load_pipeline, sentences_of
from storyline.analyse.places import geocode_places
from storyline.analyse.quotes import extract_quotes
from storyline.analyse.temporal import find_time_expressions
from storyline.analyse.vectors import centroid, story_sentence_vectors
from storyline.model import (
    AnalysedArticle,
    Article,
    EntityMention,
    IngestResult,
    Story,
    sentence_index_at,
)

__all__ = ["ENTITY_LABELS", "analyse", "analyse_article", "default_workers", "story_span"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})
BATCH_SIZE = 32
# Below this many articles, starting worker processes costs more than it saves.
PARALLEL_MIN_ARTICLES = 50


def story_span(articles: list[Article]) -> tuple[dt.date, dt.date] | None:
    """First and last publication date of the dated articles."""
    dates = [article.date for article in articles if article.date is not None]
    return (min(dates), max(dates)) if dates else None


def analyse_article(
    doc: Doc, article: Article, span: tuple[dt.date, dt.date] | None
) -> AnalysedArticle:
    """Everything the later stages need from one parsed article."""
    sentences = [sentence for _, sentence in sentences_of(doc, article.id)]
    entities = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        entities.append(
            EntityMention(
                ent.text,
                ent.label_,
                article.id,
                sentence_index_at(sentences, ent.start_char),
                ent.start_char,
                ent.end_char,
            )
        )
    return AnalysedArticle(
        article=article,
        sentences=sentences,
        entities=entities,
        times=find_time_expressions(article.text, article.date, span=span),
        figures=extract_figures(doc, article),
        quotes=extract_quotes(doc, article),
    )


def default_workers(articles: int) -> int:
    """Parser processes for a story of this size: all cores (at most 4) for big stories."""
    if articles < PARALLEL_MIN_ARTICLES:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _parsed(articles: list[Article], progress: bool, workers: int) -> Iterator[tuple[Doc, Article]]:
    nlp = load_pipeline()
    docs = nlp.pipe(
        (article.text for article in articles),
        batch_size=BATCH_SIZE if workers == 1 else 8,
        n_process=workers,
    )
    pairs = zip(docs, articles)
    if progress:
        return iter(tqdm(pairs, total=len(articles), desc="analysing", unit="article"))
    return pairs


def analyse(ingested: IngestResult, *, progress: bool = False, workers: int | None = None) -> Story:
    """Analyse every article and merge what the articles say about the same things.

    ``workers``: spaCy parser processes (default: :func:`default_workers`).
    """
    articles = ingested.articles
    infer_missing_dates(articles)
    span = story_span(articles)
    if workers is None:
        workers = default_workers(len(articles))
    analysed = [
        analyse_article(doc, article, span) for doc, article in _parsed(articles, progress, workers)
    ]
    vectors = story_sentence_vectors(
        [[sentence.text for sentence in item.sentences] for item in analysed]
    )
    for item, article_vectors in zip(analysed, vectors):
        item.vectors = article_vectors
    mentions = [mention for item in analysed for mention in item.entities]
    texts = {article.id: article.text for article in articles}
    places = geocode_places(mentions, texts)
    return Story(
        articles=analysed,
        skipped=list(ingested.skipped),
        actors=merge_actors(mentions, texts, places=places),
        places=places,
        figures=merge_figures(
            [figure for item in analysed for figure in item.figures],
            {article.id: article for article in articles},
        ),
        # Each article weighs the same: a long page of reader comments must not decide what
        # the story is about.
        centroid=centroid(centroid(article_vectors) for article_vectors in vectors),
    )
