"""The shared word lists and the forms modules derive from them."""

from __future__ import annotations

import datetime as dt

from storyline import vocabulary
from storyline.analyse.temporal import find_time_expressions
from storyline.ingest.metadata import extract_metadata


def test_lists_are_consistent() -> None:
    assert len(vocabulary.MONTHS) == 12 and len(vocabulary.WEEKDAYS) == 7
    assert vocabulary.MONTH_NUMBERS["sept"] == vocabulary.MONTH_NUMBERS["september"] == 9
    assert "may" not in vocabulary.MONTH_ABBREVIATIONS  # May is its own name
    assert vocabulary.month_forms(9) == ["september", "sept", "sep"]
    assert vocabulary.weekday_forms(3) == ["thursday", "thurs", "thur", "thu"]
    assert not vocabulary.TITLE_ABBREVIATIONS - vocabulary.PERSON_TITLES
    # a speaker title is a person title, or the first word of one ("prime minister")
    starts = {title.split()[0] for title in vocabulary.PERSON_TITLES}
    hyphenated = {title.replace(" ", "-") for title in vocabulary.PERSON_TITLES}
    known = vocabulary.PERSON_TITLES | starts | hyphenated
    assert not vocabulary.SPEAKER_TITLES - known
    assert vocabulary.ENTITY_LABELS == vocabulary.ACTOR_LABELS | vocabulary.PLACE_LABELS


def test_month_abbreviations_and_number_words_read_dates() -> None:
    text = "The siege began on Sept. 4, 2016 and ended twenty-one days ago, on 12 Dec 2017."
    found = {e.text: e.when.date for e in find_time_expressions(text, dt.date(2018, 1, 2))}
    assert found["Sept. 4, 2016"] == dt.date(2016, 9, 4)
    assert found["12 Dec 2017"] == dt.date(2017, 12, 12)
    assert found["twenty-one days ago"] == dt.date(2017, 12, 12)


def test_metadata_reads_abbreviated_weekday_and_month() -> None:
    text = "Clashes in Derna\nThurs., 07/05/2018\nFighting went on in Derna, officials said."
    _body, metadata, _removed = extract_metadata(text)
    assert metadata.date == dt.date(2018, 7, 5)  # day/month would be 7 May, a Monday
