from __future__ import annotations

import datetime as dt

from storybuild import make_story

from storyline.model import TimePoint
from storyline.timeline import build_timeline

A1 = [
    "On Tuesday, the spokesman announced the death of the head of an LNA special forces unit.",
    "Haftar launched an offensive on May 7 to liberate the eastern coastal city of Derna.",
    "Libya has been wracked by chaos since a 2011 uprising that toppled Gaddafi.",
    "Rights groups have expressed concern over risks to civilians in Derna.",
]
A2 = [
    "Zero Hour for the liberation of Derna has struck, Haftar said May 7 at a military parade.",
    "Clashes were first reported near southern Derna on May 3.",
    "Haftar launched his offensive on Derna on May 7 after a year-long blockade of the city.",
]
TIMES = {
    ("a1", 0): TimePoint.of(2018, 5, 22),
    ("a1", 1): TimePoint.of(2018, 5, 7),
    ("a1", 2): TimePoint.of(2011),
    ("a2", 0): TimePoint.of(2018, 5, 7),
    ("a2", 1): TimePoint.of(2018, 5, 3),
    ("a2", 2): TimePoint.of(2018, 5, 7),
}


def _story():
    return make_story([("a1", dt.date(2018, 5, 23), A1), ("a2", dt.date(2018, 5, 9), A2)], TIMES)


def test_entries_are_dated_by_event_and_sorted() -> None:
    timeline = build_timeline(_story(), sentences_per_date=1)
    assert [e.when.iso() for e in timeline] == ["2011", "2018-05-03", "2018-05-07", "2018-05-22"]
    assert "special forces" in timeline[-1].text
    # The undated sentence is not an event.
    assert not any("Rights groups" in e.text for e in timeline)


def test_same_event_from_several_articles_is_one_entry_citing_all() -> None:
    (may7,) = [
        e for e in build_timeline(_story(), sentences_per_date=1) if e.when.iso() == "2018-05-07"
    ]
    cited = {(c.article_id, c.sentence_index) for c in may7.citations}
    assert {("a1", 1), ("a2", 2)} <= cited
    first = may7.citations[0]
    assert may7.text == {"a1": A1, "a2": A2}[first.article_id][first.sentence_index]


def test_max_dates_keeps_the_most_referenced_dates() -> None:
    timeline = build_timeline(_story(), max_dates=1, sentences_per_date=1)
    assert [e.when.iso() for e in timeline] == ["2018-05-07"]


def test_several_sentences_per_date_are_distinct() -> None:
    timeline = build_timeline(_story(), sentences_per_date=2)
    may7 = [e for e in timeline if e.when.iso() == "2018-05-07"]
    assert len(may7) == 2 and may7[0].text != may7[1].text


def test_a_day_named_by_later_articles_outranks_one_only_reported_on_the_day() -> None:
    # May 10 is reported by two articles of that day, by weekday; May 7 is named ("May 7") by
    # one article published two weeks later: the day still recalled later is the event.
    story = make_story(
        [
            ("b1", dt.date(2018, 5, 10), ["On Thursday, fighters exchanged fire near the port."]),
            ("b2", dt.date(2018, 5, 10), ["Residents said on Thursday that shelling continued."]),
            ("b3", dt.date(2018, 5, 21), [A1[1]]),
        ],
        {
            ("b1", 0): TimePoint.of(2018, 5, 10),
            ("b2", 0): TimePoint.of(2018, 5, 10),
            ("b3", 0): TimePoint.of(2018, 5, 7),
        },
    )
    for analysed in story.articles[:2]:
        for expression in analysed.times:
            expression.relative = True
    timeline = build_timeline(story, max_dates=1, sentences_per_date=1)
    assert [e.when.iso() for e in timeline] == ["2018-05-07"]
    # Named on the day itself, by weekday, it is one reference like any other.
    for expression in story.articles[2].times:
        expression.relative = True
    story.articles[2].article.date = dt.date(2018, 5, 7)
    timeline = build_timeline(story, max_dates=1, sentences_per_date=1)
    assert [e.when.iso() for e in timeline] == ["2018-05-10"]
