"""Temporal expressions on the seed articles and on snippets of Timeline17 / Multi-News text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.analyse.temporal import _DATE_RE, _matches, find_time_expressions
from storyline.model import TimeExpression, TimePoint

SEED = Path(__file__).resolve().parent.parent / "examples" / "derna"
# Publication dates of the seed articles as their pages show them; 000 and 002 have none.
SEED_DATES = {
    "001": dt.date(2018, 5, 23),
    "003": dt.date(2018, 5, 9),
    "004": dt.date(2016, 4, 22),
}
SEED_SPAN = (dt.date(2016, 4, 22), dt.date(2018, 5, 23))


def _seed_text(prefix: str) -> str:
    (path,) = SEED.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _seed_times(prefix: str) -> tuple[str, list[TimeExpression]]:
    text = _seed_text(prefix)
    return text, find_time_expressions(text, SEED_DATES.get(prefix), span=SEED_SPAN)


def _in_sentence(text: str, times: list[TimeExpression], sentence: str) -> list[TimeExpression]:
    """The expressions found inside the first occurrence of ``sentence`` in ``text``."""
    start = text.index(sentence)
    return [time for time in times if start <= time.start and time.end <= start + len(sentence)]


def _only(text: str, anchor: dt.date | None, **kwargs: object) -> TimeExpression:
    times = find_time_expressions(text, anchor, **kwargs)  # type: ignore[arg-type]
    assert len(times) == 1, times
    return times[0]


# ---------------------------------------------------------------- the seed story


@pytest.mark.parametrize(
    ("prefix", "sentence", "phrase", "expected"),
    [
        ("001", "Haftar launched an offensive on May 7", "May 7", TimePoint.of(2018, 5, 7)),
        (
            "001",
            "On Tuesday, the spokesman announced the death",
            "Tuesday",
            TimePoint.of(2018, 5, 22),
        ),
        ("001", "In a speech late Tuesday, Haftar said", "late Tuesday", TimePoint.of(2018, 5, 22)),
        ("001", "said on Wednesday it was tightening", "Wednesday", TimePoint.of(2018, 5, 23)),
        ("001", "since the fall of Muammar Qaddafi in 2011", "2011", TimePoint.of(2011)),
        ("001", "chaos since a 2011 uprising", "2011", TimePoint.of(2011)),
        ("001", "By AFP - May 23,2018", "May 23,2018", TimePoint.of(2018, 5, 23)),
        (
            "003",
            "Clashes were first reported near southern Derna on May 3.",
            "May 3",
            TimePoint.of(2018, 5, 3),
        ),
        ("003", "during a broadcast April 26", "April 26", TimePoint.of(2018, 4, 26)),
        ("003", "since 2014 when the Islamic State", "2014", TimePoint.of(2014)),
        ("003", "Wednesday 09/05/2018", "Wednesday 09/05/2018", TimePoint.of(2018, 5, 9)),
        ("004", "said on Thursday that Daesh", "Thursday", TimePoint.of(2016, 4, 21)),
        ("004", "Sirte in June 2015, almost", "June 2015", TimePoint.of(2015, 6)),
        ("004", "Sirte, Libya, February 18, 2015.", "February 18, 2015", TimePoint.of(2015, 2, 18)),
        ("004", "Since August 2014, when militias", "August 2014", TimePoint.of(2014, 8)),
        ("004", "Muammar Gaddafi, in 2011.", "2011", TimePoint.of(2011)),
        ("004", "Security Council in March, a panel", "March", TimePoint.of(2016, 3)),
        ("004", "22 April 2016", "22 April 2016", TimePoint.of(2016, 4, 22)),
        ("000", "that began in 2014 when LNA", "2014", TimePoint.of(2014)),
        ("002", "Monday, June 4 at dawn", "Monday, June 4", TimePoint.of(2018, 6, 4)),
        (
            "002",
            "on Tuesday, June 5th, around the port",
            "Tuesday, June 5th",
            TimePoint.of(2018, 6, 5),
        ),
        ("002", "In 2015, residents of Derna", "2015", TimePoint.of(2015)),
    ],
)
def test_seed_expressions(prefix: str, sentence: str, phrase: str, expected: TimePoint) -> None:
    text, times = _seed_times(prefix)
    found = _in_sentence(text, times, sentence)
    assert [time.text for time in found] == [phrase]
    assert found[0].when == expected


def test_relative_flag_marks_values_that_needed_the_anchor() -> None:
    _, times = _seed_times("001")
    by_text = {time.text: time for time in times}
    assert by_text["May 7"].relative and by_text["Tuesday"].relative
    assert not by_text["May 23,2018"].relative and not by_text["2011"].relative


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        ("001", "LNA forces have besieged the city for nearly two years"),
        ("001", "Derna, 1,000 kilometres"),
        ("001", "home to about 150,000 people"),
        ("001", "107 users have voted."),
        ("000", "after a three year battle between"),
        ("000", "speculation over the last few weeks"),
        ("000", "Over the weekend, the commander"),
        ("002", "last for three days."),
        ("002", "would be over in two days."),
        ("003", "deadly clashes followed the next morning"),
        ("003", "the fourth anniversary of the start"),
        ("003", "Haftar, in his mid 70s, was speaking on his return from a 2-week trip to Paris"),
        ("003", "came after a year-long blockade"),
        ("004", "10:17:57 AM\n749064"),
        ("004", "In recent months, Derna has seen"),
    ],
)
def test_durations_counts_times_and_ages_are_not_dates(prefix: str, sentence: str) -> None:
    text, times = _seed_times(prefix)
    assert _in_sentence(text, times, sentence) == []


def test_offsets_point_into_the_text() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        text, times = _seed_times(prefix)
        assert times
        assert all(text[time.start : time.end] == time.text for time in times)
        assert [time.start for time in times] == sorted(time.start for time in times)


def test_without_anchor_only_self_contained_dates_remain() -> None:
    text = _seed_text("002")
    with_span = find_time_expressions(text, None, span=SEED_SPAN)
    assert [(time.text, time.when.iso()) for time in with_span] == [
        ("Monday, June 4", "2018-06-04"),
        ("Tuesday, June 5th", "2018-06-05"),
        ("2015", "2015"),
    ]
    # no span: nothing fixes the year of "Monday, June 4"; "On Monday" needs an anchor
    assert [time.text for time in find_time_expressions(text, None)] == ["2015"]
    # with an anchor "On Monday" (the paragraph before the last) is the Monday before
    anchored = find_time_expressions(text, dt.date(2018, 6, 6))
    assert _in_sentence(text, anchored, "On Monday, Khalifa Haftar")[0].when == TimePoint.of(
        2018, 6, 4
    )


def test_weekday_and_month_day_pick_the_year_in_the_span() -> None:
    # June 4 was a Monday in 2018 and in 2012; the span 2016-2018 (widened by a year) decides
    sentence = "Back in the city, Monday, June 4 at dawn, the ANL now dominates"
    assert _only(sentence, None, span=SEED_SPAN).when == TimePoint.of(2018, 6, 4)
    early = (dt.date(2011, 3, 1), dt.date(2012, 1, 10))
    assert _only(sentence, None, span=early).when == TimePoint.of(2012, 6, 4)
    assert (
        find_time_expressions(sentence, None, span=(dt.date(2014, 1, 1), dt.date(2014, 2, 1))) == []
    )


def test_an_explicit_date_beats_a_contradicting_weekday() -> None:
    line = "Thursday 09/05/2018"  # the 003 dateline with the wrong weekday
    assert _only(line, None).when == TimePoint.of(2018, 5, 9)


# ---------------------------------------------------------------- absolute forms


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # Multi-News, lower-cased by the data set
        (
            "it was early in the morning on june 21, 2014, and hope solo",
            "june 21, 2014",
            "2014-06-21",
        ),
        (
            "The new gtld application window opened on 12 january 2012 and",
            "12 january 2012",
            "2012-01-12",
        ),
        ("Update 8/5/17 7: 25pm et: google's new vice", "8/5/17", "2017-05-08"),
        ("Posted 5/23/2018 by the desk", "5/23/2018", "2018-05-23"),
        ("The report is dated 2018-05-23 in the archive", "2018-05-23", "2018-05-23"),
        ("Timeline17 PTB text : Sat Aug 6 , 2011 2:44 pm EDT", "Aug 6 , 2011", "2011-08-06"),
        ("ANL officers said the 5th of June 2018 was decisive", "5th of June 2018", "2018-06-05"),
        (
            "the level of employment has returned to what it was at in november 2007",
            "november 2007",
            "2007-11",
        ),
        ("Shares were worth little in mid-2014 already", "mid-2014", "2014"),
        ("by spring 2010, no one would touch the brand", "2010", "2010"),
        ("Sept. 11, 2001 changed everything", "Sept. 11, 2001", "2001-09-11"),
    ],
)
def test_explicit_dates(text: str, phrase: str, expected: str) -> None:
    time = _only(text, None)
    assert (time.text, time.when.iso(), time.relative) == (phrase, expected, False)


def test_year_ranges_and_lists() -> None:
    text = "taught constitutional law at the University of Chicago Law School from 1992 to 2004 ."
    assert [time.when.iso() for time in find_time_expressions(text, None)] == ["1992", "2004"]
    text = "Agreements between the USA and Libya signed in 1951 and 1954 granted the USAF"
    assert [time.when.iso() for time in find_time_expressions(text, None)] == ["1951", "1954"]


@pytest.mark.parametrize(
    "text",
    [
        "In visits to Asian capitals during the region 's financial crisis in the late 1990s , I",
        "The clashes killed 2014 people and wounded 1,000 more",
        "Forces loyal to Libya ’s eastern government have sent 200 cars to patrol the desert",
        "The curfew runs until 1300 GMT on most days",
        "a total of 2000 was collected",
        "Theresa May 2017 speech archive",
        "The figures may 12 times exceed the estimate",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert find_time_expressions(text, dt.date(2018, 5, 23)) == []


# ---------------------------------------------------------------- relative forms


@pytest.mark.parametrize(
    ("text", "anchor", "phrase", "expected"),
    [
        # Timeline17 sentences with their articles' dates
        (
            "Protests continued in Cairo 's Tahrir Square before President Hosni Mubarak 's "
            "speech Thursday , February 10 .",
            dt.date(2011, 2, 11),
            "Thursday , February 10",
            "2011-02-10",
        ),
        (
            "Obama noted that NATO officials will meet Tuesday to consider whether to implement "
            "a no - fly zone .",
            dt.date(2011, 3, 11),
            "Tuesday",
            "2011-03-15",
        ),
        (
            "Demonstrations began shortly after anti - government uprisings in Tunisia and Egypt "
            "in mid - March last year .",
            dt.date(2012, 8, 10),
            "mid - March last year",
            "2011-03",
        ),
        (
            "Twenty - five years ago the STS-51L crew boarded Challenger for a six - day flight .",
            dt.date(2011, 1, 28),
            "Twenty - five years ago",
            "1986",
        ),
        (
            "Phylicia Barnes , a 17 - year - old honors student from Charlotte , North Carolina , "
            "disappeared in Baltimore , Maryland , on December 28 while visiting her sister .",
            dt.date(2011, 1, 31),
            "December 28",
            "2010-12-28",
        ),
        (
            "Since the outbreak was declared on 23 April , Mexico City has spent 4.5 bn pesos",
            dt.date(2009, 5, 22),
            "23 April",
            "2009-04-23",
        ),
        (
            "Mr Straw said in Brussels yesterday : I 'm astonished",
            dt.date(2005, 7, 19),
            "yesterday",
            "2005-07-18",
        ),
        (
            "the Deepwater Horizon drilling rig that burned and sank last month unleashing a leak",
            dt.date(2010, 5, 14),
            "last month",
            "2010-04",
        ),
        (
            "WikiLeaks , which published reams of classified government intelligence last year .",
            dt.date(2011, 2, 8),
            "last year",
            "2010",
        ),
        (
            "the earthquake struck eight days ago .",
            dt.date(2010, 1, 21),
            "eight days ago",
            "2010-01-13",
        ),
        (
            "Last Friday , after 18 days of mass demonstrations",
            dt.date(2011, 2, 16),
            "Last Friday",
            "2011-02-11",
        ),
        (
            "Senate leaders plan to hold a test vote next Wednesday to gauge support for the bill",
            dt.date(2010, 7, 30),
            "next Wednesday",
            "2010-08-04",
        ),
        (
            "Economists polled by Reuters earlier this month showed a consensus",
            dt.date(2011, 7, 26),
            "earlier this month",
            "2011-07",
        ),
    ],
)
def test_relative_dates(text: str, anchor: dt.date, phrase: str, expected: str) -> None:
    time = _only(text, anchor)
    assert (time.text, time.when.iso(), time.relative) == (phrase, expected, True)


def test_weekday_tense() -> None:
    wednesday = dt.date(2018, 5, 23)
    past = "On Tuesday, Haftar said the army will enter Derna."
    future = "Talks will resume on Tuesday, officials said."
    same_day = "The spokesman said on Wednesday it was tightening the noose."
    assert _only(past, wednesday).when.date == dt.date(2018, 5, 22)
    assert _only(future, wednesday).when.date == dt.date(2018, 5, 29)
    assert _only(same_day, wednesday).when.date == wednesday


def test_month_day_without_year_prefers_the_past() -> None:
    anchor = dt.date(2018, 5, 23)
    # within two months ahead: this year; further ahead: last year, unless said of the future
    assert _only("the battle of June 5 in Derna", anchor).when.date == dt.date(2018, 6, 5)
    assert _only("the attack of December 20 in Derna", anchor).when.date == dt.date(2017, 12, 20)
    assert _only("elections will be held on December 20", anchor).when.date == dt.date(2018, 12, 20)


def test_skipped_relative_phrases() -> None:
    anchor = dt.date(2018, 5, 23)
    for text in (
        "clashes followed the next morning, Reuters reported",
        "the following day the army advanced",
        "prices fell last week",
        "over the last year the city was besieged",
        "an event on Good Friday",
        "protests every Friday",
        "a column in the Sunday Times",
        "according to USA Today reporters",
    ):
        assert find_time_expressions(text, anchor) == [], text


def test_candidate_search_finds_what_a_full_scan_finds() -> None:
    # _matches only tries the pattern near trigger words, for speed; it must not lose matches
    for prefix in ("000", "001", "002", "003", "004"):
        text = _seed_text(prefix)
        fast = [(match.start(), match.end()) for match in _matches(text)]
        full = [(match.start(), match.end()) for match in _DATE_RE.finditer(text)]
        assert fast == full


# ---------------------------------------------------------------- anchors known as a range


def test_a_ranged_anchor_dates_what_both_ends_agree_on() -> None:
    # 001's "On Tuesday, the spokesman announced ..." (published Wednesday 2018-05-23)
    text, _ = _seed_times("001")
    sentence = "On Tuesday, the spokesman announced the death"
    # published between Wednesday and Friday: Tuesday the 22nd either way
    times = find_time_expressions(text, (dt.date(2018, 5, 23), dt.date(2018, 5, 25)))
    (tuesday,) = _in_sentence(text, times, sentence)
    assert tuesday.when == TimePoint.of(2018, 5, 22) and tuesday.until is None
    # from Monday to Friday: the 15th or the 22nd, shown as that range
    times = find_time_expressions(text, (dt.date(2018, 5, 21), dt.date(2018, 5, 25)))
    (tuesday,) = _in_sentence(text, times, sentence)
    assert (tuesday.when, tuesday.until) == (TimePoint.of(2018, 5, 15), TimePoint.of(2018, 5, 22))
    # somewhere in May or June: no date at all
    times = find_time_expressions(text, (dt.date(2018, 5, 1), dt.date(2018, 6, 30)))
    assert _in_sentence(text, times, sentence) == []
    # the explicit dates do not depend on the anchor
    assert ("2011", "2011") in [(time.text, time.when.iso()) for time in times]


def test_a_month_day_without_its_year_is_placed_by_a_range_within_one_year() -> None:
    text, _ = _seed_times("003")
    times = find_time_expressions(text, (dt.date(2018, 5, 1), dt.date(2018, 6, 30)))
    dated = {time.text: time for time in times}
    assert dated["May 3"].when == TimePoint.of(2018, 5, 3) and dated["May 3"].until is None
    assert dated["April 26"].when == TimePoint.of(2018, 4, 26)


@pytest.mark.parametrize("text", ["The club was founded on 1 January 1 by", "on 1st January 1 the"])
def test_a_month_day_followed_by_a_number_is_no_date(text: str) -> None:
    # "1 January 1": the year cannot be read, so it is not the anchor's year either
    assert find_time_expressions(text, dt.date(2018, 5, 23)) == []
