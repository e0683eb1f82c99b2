"""Timeline of dated events, dated by when they happened.

Each sentence that carries a normalised temporal expression is an event candidate dated by
its most specific expression (so "launched an offensive on May 7" in an article of May 23
is dated May 7, not May 23). Dates are ranked by how many articles and sentences refer to
them, an article counting more when it names the day explicitly ("May 7", not "Tuesday") and
when it was published after the day (an event still recalled later mattered); for each kept
date the most central sentences of that date are shown, and sentences of other articles that
report the same event are cited with them.

A sentence of an article whose publication date is known only as a range is dated by what
its text says outright ("May 7, 2018"), or by a relative date ("on Friday") only as far as
the range fixes it: a day, a short range of days shown as such, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from storyline.analyse.vectors import Vector, centroid, content_terms, cosine
from storyline.model import (
    GRANULARITY_ORDER,
    Citation,
    Sentence,
    Story,
    TimeExpression,
    TimelineEntry,
    TimePoint,
    sentence_index_at,
)
from storyline.settings import DEFAULT_MAX_DATES, DEFAULT_SENTENCES_PER_DATE

__all__ = [
    "DEFAULT_MAX_DATES",
    "DEFAULT_SENTENCES_PER_DATE",
    "build_timeline",
    "dated_sentences",
]

MIN_WORDS = 5
MIN_EVENT_TERMS = 4
# Citations of one entry: the most similar sentence of each article, at most this many.
MAX_CITATIONS = 8
MAX_WORDS = 80
# Two sentences of one date this similar report the same event: one is shown, both cited.
SAME_EVENT_SIMILARITY = 0.2
DUPLICATE_SIMILARITY = 0.5
# Weight of one article's reference to a day: x EXPLICIT_WEIGHT when the day is written out
# ("May 7", "7 May 2018") rather than relative ("Tuesday", "yesterday"), x LATER_WEIGHT when
# the article was published after the day. A day reported only on the day itself, by weekday,
# is often just the news cycle; a day that later articles still name is an event. On the
# Timeline17 cache both weights sit on a plateau (2 to 3 each give the same scores); chosen
# on 16 topics and scored on the 17th (each in turn) they give align+ m:1 R-1 0.126 against
# 0.132 in-sample: the explicit-and-later product helps most on the long stories (MJ_bbc).
EXPLICIT_WEIGHT = 2.0
LATER_WEIGHT = 2.5
# Weight of the story centroid against the date's own centroid when choosing a date's
# sentences: what the story is about outweighs what the date's sentences share.
STORY_WEIGHT = 1.5


@dataclass
class DatedSentence:
    sentence: Sentence
    when: TimePoint
    vector: Vector
    # The dating expression is written out ("May 7"), not relative to the article date.
    explicit: bool = False
    # The article's date, or the first day it may have been published on.
    published: dt.date | None = None
    until: TimePoint | None = None  # the event lies between ``when`` and this


_Key = tuple[TimePoint, TimePoint | None]


def _specificity(expression: TimeExpression) -> int:
    # a day beats a range of days, which beats a month, which beats a year
    order = 2 * GRANULARITY_ORDER[expression.when.granularity]
    return order + (1 if expression.until is None else 0)


def _event_time(times: list[TimeExpression]) -> TimeExpression:
    # The most specific expression dates the event; among equals, the first one written.
    best = times[0]
    for expression in times[1:]:
        if _specificity(expression) > _specificity(best):
            best = expression
    return best


def dated_sentences(story: Story) -> list[DatedSentence]:
    """Every sentence with a temporal expression, dated by the event it reports."""
    dated = []
    for analysed in story.articles:
        article = analysed.article
        published = article.date or (article.published.first_day if article.published else None)
        times_by_sentence: dict[int, list[TimeExpression]] = defaultdict(list)
        for expression in analysed.times:
            index = sentence_index_at(analysed.sentences, expression.start)
            times_by_sentence[index].append(expression)
        for index, times in sorted(times_by_sentence.items()):
            sentence = analysed.sentences[index]
            if not _reports_an_event(sentence.text, [time.text for time in times]):
                continue
            dating = _event_time(times)
            dated.append(
                DatedSentence(
                    sentence,
                    dating.when,
                    analysed.vectors[index],
                    explicit=not dating.relative,
                    published=published,
                    until=dating.until,
                )
            )
    return dated


def _reports_an_event(text: str, expressions: list[str]) -> bool:
    """Enough words besides the date to say what happened; not a timestamp or table row."""
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS or "|" in text:
        return False
    date_terms = {term for expression in expressions for term in content_terms(expression)}
    return len(set(content_terms(text)) - date_terms) >= MIN_EVENT_TERMS


def build_timeline(
    story: Story,
    *,
    max_dates: int = DEFAULT_MAX_DATES,
    sentences_per_date: int = DEFAULT_SENTENCES_PER_DATE,
    day_only: bool = False,
    within: tuple[dt.date, dt.date] | None = None,
) -> list[TimelineEntry]:
    """Entries sorted by event date: the ``max_dates`` most referenced dates.

    ``day_only`` drops month- and year-level dates and ranges of days, and ``within`` keeps
    dates in a range (both as timeline benchmarks ask: daily summaries within the
    reference's span).
    """
    by_date: dict[_Key, list[DatedSentence]] = defaultdict(list)
    for item in dated_sentences(story):
        if day_only and (item.when.granularity != "day" or item.until is not None):
            continue
        last = (item.until or item.when).last_day()
        if within is not None and not (within[0] <= item.when.date and last <= within[1]):
            continue
        by_date[(item.when, item.until)].append(item)

    def importance(key: _Key) -> tuple[float, int]:
        when = key[0]
        group = by_date[key]
        # Dates that many outlets refer to matter; many sentences of one article (a live
        # blog, a comment thread) add little. Copies count here as the articles they are (a
        # wire story re-filed as a day unfolds marks a big day): counting them once cost
        # Timeline17 0.133 -> 0.131 align+ R-1, 0.614 -> 0.608 date F1. They are cited once.
        by_article: dict[str, float] = {}
        for item in group:
            article = item.sentence.article_id
            by_article[article] = max(by_article.get(article, 0.0), _reference_weight(item))
        extra = min(len(group) - len(by_article), 10)
        return (sum(by_article.values()) + 0.1 * extra, GRANULARITY_ORDER[when.granularity])

    kept = sorted(by_date, key=importance, reverse=True)[:max_dates]
    entries = []
    for key in sorted(kept, key=_chronological):
        entries.extend(_entries_for_date(key, by_date[key], sentences_per_date, story))
    return entries


def _chronological(key: _Key) -> tuple[dt.date, int, dt.date]:
    when, until = key
    return when.date, GRANULARITY_ORDER[when.granularity], (until or when).last_day()


def _reference_weight(item: DatedSentence) -> float:
    """How strongly one sentence's reference says its day is an event (see LATER_WEIGHT)."""
    if item.when.granularity != "day" or item.until is not None:
        return 1.0  # "in 2014", "since June": background rather than an event recalled
    weight = EXPLICIT_WEIGHT if item.explicit else 1.0
    if item.published is not None and item.published > item.when.date:
        weight *= LATER_WEIGHT
    return weight


def _entries_for_date(
    key: _Key, group: list[DatedSentence], sentences_per_date: int, story: Story
) -> list[TimelineEntry]:
    when, until = key
    story_centre = story.centroid
    # Shown first: what the date's sentences have in common (the event) and what the story
    # is about, so that a photo caption of the day loses to the sentence reporting the event.
    center = centroid(item.vector for item in group)
    ranked = sorted(
        group,
        key=lambda item: (
            -(cosine(item.vector, center) + STORY_WEIGHT * cosine(item.vector, story_centre)),
            item.sentence.article_id,
        ),
    )
    shown: list[DatedSentence] = []
    for item in ranked:
        if len(shown) == sentences_per_date:
            break
        if all(cosine(item.vector, s.vector) <= DUPLICATE_SIMILARITY for s in shown):
            shown.append(item)
    shown_ids = {id(item) for item in shown}

    def report(item: DatedSentence) -> str:
        return story.report_of(item.sentence.article_id, item.sentence.index)

    entries = []
    for item in shown:
        # One citation per independent report: a copy of the shown sentence supports nothing.
        best_by_article: dict[str, tuple[float, Citation]] = {}
        for other in group:
            if id(other) in shown_ids or report(other) == report(item):
                continue
            similarity = cosine(other.vector, item.vector)
            previous = best_by_article.get(report(other))
            if similarity >= SAME_EVENT_SIMILARITY and (
                previous is None or similarity > previous[0]
            ):
                best_by_article[report(other)] = (similarity, other.sentence.citation)
        supporting = sorted(best_by_article.values(), key=lambda pair: -pair[0])
        citations: list[Citation] = [item.sentence.citation]
        citations += [citation for _, citation in supporting[: MAX_CITATIONS - 1]]
        entries.append(TimelineEntry(when, item.sentence.text.strip(), citations, until=until))
    return entries
