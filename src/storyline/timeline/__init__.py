"""Timeline of dated events, dated by when they happened.

Each sentence that carries a normalised temporal expression is an event candidate dated by
its most specific expression (so "launched an offensive on May 7" in an article of May 23
is dated May 7, not May 23). Dates are ranked by how many articles and sentences refer to
them; for each kept date the most central sentences of that date are shown, and sentences of
other articles that report the same event are cited with them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from storyline.analyse.vectors import Vector, centroid, cosine
from storyline.model import (
    GRANULARITY_ORDER,
    Citation,
    Sentence,
    Story,
    TimelineEntry,
    TimePoint,
    sentence_index_at,
)

__all__ = ["DEFAULT_MAX_DATES", "build_timeline", "dated_sentences"]

DEFAULT_MAX_DATES = 30
MIN_WORDS = 5
MAX_WORDS = 80
# Two sentences of one date this similar report the same event: one is shown, both cited.
SAME_EVENT_SIMILARITY = 0.2
DUPLICATE_SIMILARITY = 0.5


@dataclass
class DatedSentence:
    sentence: Sentence
    when: TimePoint
    vector: Vector


def _event_time(times: list[TimePoint]) -> TimePoint:
    # The most specific expression dates the event; among equals, the first one written.
    best = times[0]
    for when in times[1:]:
        if GRANULARITY_ORDER[when.granularity] > GRANULARITY_ORDER[best.granularity]:
            best = when
    return best


def dated_sentences(story: Story) -> list[DatedSentence]:
    """Every sentence with a temporal expression, dated by the event it reports."""
    dated = []
    for analysed in story.articles:
        times_by_sentence: dict[int, list[TimePoint]] = defaultdict(list)
        for expression in analysed.times:
            index = sentence_index_at(analysed.sentences, expression.start)
            times_by_sentence[index].append(expression.when)
        for index, times in sorted(times_by_sentence.items()):
            sentence = analysed.sentences[index]
            if not MIN_WORDS <= len(sentence.text.split()) <= MAX_WORDS:
                continue
            dated.append(DatedSentence(sentence, _event_time(times), analysed.vectors[index]))
    return dated


def build_timeline(
    story: Story,
    *,
    max_dates: int = DEFAULT_MAX_DATES,
    sentences_per_date: int = 1,
) -> list[TimelineEntry]:
    """Entries sorted by event date: the ``max_dates`` most referenced dates."""
    by_date: dict[TimePoint, list[DatedSentence]] = defaultdict(list)
    for item in dated_sentences(story):
        by_date[item.when].append(item)

    def importance(when: TimePoint) -> tuple[float, int]:
        group = by_date[when]
        articles = len({item.sentence.article_id for item in group})
        return (articles + 0.25 * (len(group) - articles), GRANULARITY_ORDER[when.granularity])

    kept = sorted(by_date, key=importance, reverse=True)[:max_dates]
    entries = []
    for when in sorted(kept, key=lambda w: (w.date, GRANULARITY_ORDER[w.granularity])):
        entries.extend(_entries_for_date(when, by_date[when], sentences_per_date))
    return entries


def _entries_for_date(
    when: TimePoint, group: list[DatedSentence], sentences_per_date: int
) -> list[TimelineEntry]:
    center = centroid(item.vector for item in group)
    ranked = sorted(
        group,
        key=lambda item: (-cosine(item.vector, center), item.sentence.article_id),
    )
    shown: list[DatedSentence] = []
    for item in ranked:
        if len(shown) == sentences_per_date:
            break
        if all(cosine(item.vector, s.vector) <= DUPLICATE_SIMILARITY for s in shown):
            shown.append(item)
    entries = []
    for item in shown:
        citations: list[Citation] = [item.sentence.citation]
        for other in group:
            if other is item or other in shown:
                continue
            if cosine(other.vector, item.vector) >= SAME_EVENT_SIMILARITY:
                citations.append(other.sentence.citation)
        entries.append(TimelineEntry(when, item.sentence.text.strip(), citations))
    return entries
