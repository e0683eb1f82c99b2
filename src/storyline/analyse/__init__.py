"""Analysis stage: sentences, entities, dates, figures and quotes per article, then the
story-level merges (actors, places, figures with agreement between sources).

Public surface: :func:`analyse` turns an :class:`~storyline.model.IngestResult` into a
:class:`~storyline.model.Story`. spaCy docs are not kept: the story holds only typed
objects, so memory grows with the number of sentences, not with parse trees.

The spaCy parse is the expensive step (~4,000 words/s per core), so a story has a parse
budget: within it every word is parsed; past it each article is parsed from its start up to
a common per-article allowance (leads carry the names and figures), and the rest is split
into sentences by rules. Sentences, dates, the timeline and the summary still cover all text.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice, repeat

from spacy.tokens import Doc
from tqdm import tqdm

from storyline.analyse.actors import mention_role, merge_actors
from storyline.analyse.dating import anchor_of, infer_missing_dates, weekday_window
from storyline.analyse.figure_agreement import merge_figures
from storyline.analyse.figures import extract_figures
from storyline.analyse.nlp import load_pipeline, sentences_of
from storyline.analyse.places import geocode_places
from storyline.analyse.quotes import extract_quotes, reporting_tokens
from storyline.analyse.repeats import list_quotes, report_keys
from storyline.analyse.segment import sentence_spans
from storyline.analyse.temporal import find_time_expressions
from storyline.analyse.vectors import centroid, story_sentence_vectors
from storyline.lifecycle import exit_with_parent
from storyline.model import (
    AnalysedArticle,
    Article,
    EntityMention,
    IngestResult,
    Sentence,
    Story,
    sentence_index_at,
)
from storyline.settings import (
    BATCH_SIZE,
    DEFAULT_PARSE_WORDS,
    MAX_DEFAULT_WORKERS,
    MIN_PARSE_WORDS,
    PARALLEL_MIN_WORDS,
)
from storyline.stories.copies import copy_groups, mark_copies
from storyline.vocabulary import ENTITY_LABELS

__all__ = [
    "DEFAULT_PARSE_WORDS",
    "ENTITY_LABELS",
    "analyse",
    "analyse_article",
    "analyse_many",
    "default_workers",
    "parse_allowance",
    "story_span",
]


def story_span(articles: list[Article]) -> tuple[dt.date, dt.date] | None:
    """First and last publication date of the articles dated to the day."""
    dates = [article.date for article in articles if article.date is not None]
    return (min(dates), max(dates)) if dates else None


def parse_allowance(lengths: list[int], budget: int | None) -> int | None:
    """Words to parse per article so that a story of articles this long (in words) stays
    within ``budget``: one cap for all, short articles parsed whole. ``None``: no cap."""
    if budget is None or sum(lengths) <= budget:
        return None
    remaining = budget
    ordered = sorted(lengths)
    for position, length in enumerate(ordered):
        share = remaining // (len(ordered) - position)
        if length > share:
            return max(share, MIN_PARSE_WORDS)
        remaining -= length
    return None  # pragma: no cover - unreachable: the lengths sum above the budget


def _parsed_end(text: str, allowance: int | None) -> tuple[int, list[tuple[int, int]]]:
    """Where parsing stops (the end of the sentence reaching the allowance) and the rule-split
    sentences after it."""
    if allowance is None:
        return len(text), []
    spans = sentence_spans(text)
    words = 0
    for position, (start, end) in enumerate(spans):
        words += len(text[start:end].split())
        if words >= allowance:
            return end, spans[position + 1 :]
    return len(text), []


def analyse_article(
    doc: Doc,
    article: Article,
    span: tuple[dt.date, dt.date] | None,
    unparsed: Sequence[tuple[int, int]] = (),
) -> AnalysedArticle:
    """Everything the later stages need from one article: ``doc`` parses its beginning (or
    all of it), ``unparsed`` holds the rule-split sentence spans after that."""
    sentences = [sentence for _, sentence in sentences_of(doc, article.id)]
    sentences += [
        Sentence(article.id, len(sentences) + number, start, end, article.text[start:end])
        for number, (start, end) in enumerate(unparsed)
    ]
    entities = []
    reporting = reporting_tokens(doc)
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
                role=mention_role(ent, reporting),
            )
        )
    return AnalysedArticle(
        article=article,
        sentences=sentences,
        entities=entities,
        # an undated article's relative dates count from its range, if closed, or not at all
        times=find_time_expressions(
            article.text, anchor_of(article), span=weekday_window(article, span)
        ),
        figures=extract_figures(doc, article),
        quotes=extract_quotes(doc, article),
    )


def default_workers(words: int) -> int:
    """Analysis processes for this much work (in parsed words): all cores (at most 4) for big
    stories, one below :data:`PARALLEL_MIN_WORDS`."""
    if words < PARALLEL_MIN_WORDS:
        return 1
    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def _parsed(texts: list[str]) -> Iterator[Doc]:
    return load_pipeline().pipe(texts, batch_size=BATCH_SIZE)


_Job = tuple[Article, str, list[tuple[int, int]]]


def _analysed(
    docs: Iterable[Doc], jobs: list[_Job], span: tuple[dt.date, dt.date] | None
) -> list[AnalysedArticle]:
    return [
        analyse_article(doc, article, span, unparsed)
        for doc, (article, _, unparsed) in zip(docs, jobs)
    ]


def _analyse_jobs(jobs: list[_Job], span: tuple[dt.date, dt.date] | None) -> list[AnalysedArticle]:
    """Parse and analyse a run of articles (in a worker process, or in this one)."""
    return _analysed(_parsed([text for _, text, _ in jobs]), jobs, span)


def _chunks(jobs: list[_Job], workers: int) -> list[list[_Job]]:
    """Runs of articles for the workers: at most a parser batch each, and small enough that
    every worker gets several (a handful of articles still spreads over all cores)."""
    words = sum(len(text.split()) for _, text, _ in jobs)
    target = max(1, words // (4 * workers))
    chunks: list[list[_Job]] = [[]]
    size = 0
    for job in jobs:
        if chunks[-1] and (size >= target or len(chunks[-1]) >= BATCH_SIZE):
            chunks.append([])
            size = 0
        chunks[-1].append(job)
        size += len(job[1].split())
    return chunks


def _worker_context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes that load the model themselves (~2 s), the same on every
    platform. Not fork: the parent holds the whole story by then, which a forked child copies
    page by page as reference counts change, and forking a process that runs threads (progress
    bars, BLAS) is unsafe."""
    return multiprocessing.get_context("spawn")


def _analysed_articles(plan: _Plan, progress: bool, workers: int) -> list[AnalysedArticle]:
    """Every article analysed, in order, by ``workers`` processes.

    Our own pool rather than spaCy's ``n_process``: each worker parses *and* extracts
    (figures, quotes, dates), so that work is spread over the cores too, and only small typed
    objects travel back; spaCy ships every parsed Doc back to the parent, whose
    deserialisation (a registry scan per Doc) cost more than the parse on thousands of leads.
    """
    jobs = plan.jobs
    bar = tqdm(total=len(jobs), desc="analysing", unit="article", disable=not progress)
    with bar:
        if workers <= 1:
            analysed = []
            for start in range(0, len(jobs), BATCH_SIZE):
                batch = jobs[start : start + BATCH_SIZE]
                analysed += _analyse_jobs(batch, plan.span)
                bar.update(len(batch))
            return analysed
        chunks = _chunks(jobs, workers)
        analysed = []
        with ProcessPoolExecutor(
            workers,
            mp_context=_worker_context(),
            initializer=exit_with_parent,  # no orphans when this process is killed
            initargs=(os.getpid(),),
        ) as pool:
            for chunk, done in zip(chunks, pool.map(_analyse_jobs, chunks, repeat(plan.span))):
                for job, item in zip(chunk, done):
                    item.article = job[0]  # the caller's object, not the worker's copy
                analysed += done
                bar.update(len(chunk))
    return analysed


@dataclass
class _Plan:
    """What to parse of one story: each article's parsed part and rule-split remainder."""

    ingested: IngestResult
    span: tuple[dt.date, dt.date] | None
    allowance: int | None
    # Per article: (article, text to parse, rule-split sentence spans after it).
    jobs: list[_Job]
    # Words parsed plus a share for the rule-split rest (dates, sentences): what the analysis
    # costs, in parsed-word equivalents, to decide whether worker processes pay off.
    workload: int


def _plan(ingested: IngestResult, parse_words: int | None) -> _Plan:
    articles = ingested.articles
    # Copies first: what copies of one wire story say is one report, not several.
    mark_copies(articles)
    # Copies of one wire story were published together: they share what dates them.
    infer_missing_dates(articles, copies=copy_groups(articles))
    lengths = [len(article.text.split()) for article in articles]
    allowance = parse_allowance(lengths, parse_words)
    parsed = sum(min(length, allowance or length) for length in lengths)
    jobs = []
    for article in articles:
        end, unparsed = _parsed_end(article.text, allowance)
        jobs.append((article, article.text[:end], unparsed))
    return _Plan(
        ingested=ingested,
        span=story_span(articles),
        allowance=allowance,
        jobs=jobs,
        workload=parsed + (sum(lengths) - parsed) // 20,
    )


def _story(plan: _Plan, analysed: list[AnalysedArticle]) -> Story:
    """The story from its plan and its analysed articles, in article order."""
    articles = plan.ingested.articles
    vectors = story_sentence_vectors(
        [[sentence.text for sentence in item.sentences] for item in analysed]
    )
    for item, article_vectors in zip(analysed, vectors):
        item.vectors = article_vectors
    mentions = [mention for item in analysed for mention in item.entities]
    texts = {article.id: article.text for article in articles}
    places = geocode_places(mentions, texts)
    reports = report_keys(analysed)
    return Story(
        articles=analysed,
        skipped=list(plan.ingested.skipped),
        actors=merge_actors(
            mentions,
            texts,
            places=places,
            outlets={article.id: article.outlet for article in articles if article.outlet},
        ),
        places=places,
        figures=merge_figures(
            [figure for item in analysed for figure in item.figures],
            {article.id: article for article in articles},
            report_of=lambda c: reports.get((c.article_id, c.sentence_index), c.article_id),
        ),
        # Each article weighs the same: a long page of reader comments must not decide what
        # the story is about.
        centroid=centroid(centroid(article_vectors) for article_vectors in vectors),
        parsed_words_per_article=plan.allowance,
        quotes=list_quotes(analysed),
        reports=reports,
    )


def analyse(
    ingested: IngestResult,
    *,
    progress: bool = False,
    workers: int | None = None,
    parse_words: int | None = DEFAULT_PARSE_WORDS,
) -> Story:
    """Analyse every article and merge what the articles say about the same things.

    ``workers``: analysis processes (default: :func:`default_workers`).
    ``parse_words``: the story's parse budget in words (``None``: parse everything).
    """
    plan = _plan(ingested, parse_words)
    if workers is None:
        workers = default_workers(plan.workload)
    return _story(plan, _analysed_articles(plan, progress, workers))


def analyse_many(
    stories: Sequence[IngestResult], *, parse_words: int | None = DEFAULT_PARSE_WORDS
) -> list[Story | Exception]:
    """Analyse several stories in this process with one spaCy pass over all their articles.

    For batches of small stories: spaCy parses bigger batches faster (~10-20 % on Multi-News
    clusters of three articles). A story that fails gives its exception in its place.
    """
    plans: list[_Plan | Exception] = []
    for ingested in stories:
        try:
            plans.append(_plan(ingested, parse_words))
        except Exception as error:  # one story must not sink the others
            plans.append(error)
    texts = [text for plan in plans if isinstance(plan, _Plan) for _, text, _ in plan.jobs]
    docs = iter(list(_parsed(texts)))
    results: list[Story | Exception] = []
    for plan in plans:
        if isinstance(plan, Exception):
            results.append(plan)
            continue
        own = list(islice(docs, len(plan.ingested.articles)))
        try:
            results.append(_story(plan, _analysed(own, plan.jobs, plan.span)))
        except Exception as error:
            results.append(error)
    return results
