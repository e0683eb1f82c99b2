"""Metadata: title, date, outlet and dateline read from the text, and removed from the body."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.ingest import load_articles
from storyline.ingest.metadata import extract_metadata, parse_date_text, read_date_text
from storyline.model import Article

# Real sentences (seed article 001, AP and Reuters wire copy in Timeline17).
LEAD = (
    "Strongman Khalifa Haftar's self-proclaimed Libyan National Army said on Wednesday it was "
    "tightening the noose on the last militant bastion in the country's east."
)
SECOND = (
    "LNA forces have besieged the city for nearly two years, making it difficult for residents "
    "to access humanitarian aid."
)


@pytest.fixture(scope="module")
def seed(seed_dir) -> dict[str, Article]:
    result = load_articles([seed_dir])
    return {article.source.split("/")[-1][:3]: article for article in result.articles}


def test_seed_dates(seed):
    assert seed["001"].date == dt.date(2018, 5, 23)
    assert seed["003"].date == dt.date(2018, 5, 9)
    assert seed["004"].date == dt.date(2016, 4, 22)
    assert seed["000"].date is None
    assert seed["002"].date is None
    assert not any(article.date_inferred for article in seed.values())
    assert seed["001"].date_evidence == "By AFP - May 23,2018 - Last updated at May 23,2018"
    assert seed["003"].date_evidence == "Wednesday 09/05/2018"
    assert seed["004"].date_evidence == "Friday 22 April 2016"  # the time line is no evidence


def test_seed_titles(seed):
    assert seed["001"].title == "Haftar forces in Libya tighten noose on Derna militants"
    assert seed["002"].title == "Libya: Haftar’s army in control of Derna"
    assert seed["003"].title == "Haftar moves into Derna, vows to free city of ‘terrorist’ militias"
    assert seed["000"].title is None
    assert seed["004"].title is None
    for article in seed.values():
        if article.title:
            assert article.title not in article.text


def test_seed_outlets_and_datelines(seed):
    assert seed["001"].outlet == "AFP"
    assert seed["004"].outlet == "Agencies"
    assert seed["003"].outlet is None  # "(AFP)" there credits a photo caption
    assert seed["001"].dateline == "BENGHAZI, Libya"
    assert seed["003"].dateline == "TUNIS"
    assert seed["001"].text.startswith("Strongman Khalifa Haftar's self-proclaimed")
    assert "TUNIS -" not in seed["003"].text
    assert "Weeks after returning from medical leave in Paris" in seed["003"].text


def test_seed_texts_hold_no_boilerplate_or_metadata_lines(seed):
    chrome = [
        "You are here",
        "107 users have voted",
        "Newsletter",
        "Show More",
        "Leave a Reply",
        "Back to top button",
        "749064",
        "/257",
        "source : Agencies",
        "By AFP",
        "Wednesday 09/05/2018",
        "10:17:57 AM",
    ]
    for article in seed.values():
        lines = {line.strip() for line in article.text.split("\n")}
        for piece in chrome:
            assert piece not in article.text
        assert not lines & {"PDF", "up", "Friday", "22 April 2016"}
    lead = "Forces loyal to Libya’s internationally-recognized government have pushed Daesh out"
    assert seed["004"].text.count(lead) == 1
    removed = {(item.text, item.reason) for item in seed["004"].removed}
    assert ("source : Agencies", "metadata: source") in removed
    assert ("22 April 2016", "metadata: date") in removed


@pytest.mark.parametrize(
    ("opening", "place", "outlet"),
    [
        ("JERUSALEM (AP) — ", "JERUSALEM", "AP"),
        ("WASHINGTON (Reuters) - ", "WASHINGTON", "Reuters"),
        ("GRAND ISLE, La. -- ", "GRAND ISLE, La.", None),
        ("Tripoli, Libya (CNN) -- ", "Tripoli, Libya", "CNN"),
        ("(AFP) - ", None, "AFP"),
    ],
)
def test_datelines(opening, place, outlet):
    body, meta, removed = extract_metadata(f"{opening}{LEAD}\n{SECOND}")
    assert body == f"{LEAD}\n{SECOND}"
    assert (meta.dateline, meta.outlet) == (place, outlet)
    assert [item.reason for item in removed] == ["metadata: dateline"]


def test_no_dateline_in_a_headline_with_a_colon():
    body, meta, _ = extract_metadata(f"Libya: Haftar’s army in control of Derna\n{LEAD}\n{SECOND}")
    assert meta.dateline is None
    assert meta.title == "Libya: Haftar’s army in control of Derna"
    assert body == f"{LEAD}\n{SECOND}"


@pytest.mark.parametrize(
    ("line", "date", "outlet"),
    [
        ("By Jane Doe, Reuters", None, "Reuters"),
        ("By Imogen Foulkes BBC News, Geneva", None, "BBC News"),
        ("By Jane Doe", None, None),
        ("Published: 12 March 2019", dt.date(2019, 3, 12), None),
        ("Updated 3:45 PM ET, Mon June 4, 2018", dt.date(2018, 6, 4), None),
        ("2018-05-23T10:00:00Z", dt.date(2018, 5, 23), None),
        ("Page last updated at 11:14 GMT, Thursday, 3 February 2011", dt.date(2011, 2, 3), None),
        ("Published: June 4", None, None),  # no year: not a publication date
    ],
)
def test_bylines_and_date_lines_in_the_head(line, date, outlet):
    text = f"Haftar forces tighten noose on Derna\n{line}\n{LEAD}\n{SECOND}"
    body, meta, removed = extract_metadata(text)
    assert meta.title == "Haftar forces tighten noose on Derna"
    assert (meta.date, meta.outlet) == (date, outlet)
    if date or line.startswith("By "):
        assert body == f"{LEAD}\n{SECOND}"
        assert line in {item.text for item in removed}
    if date:
        assert meta.date_evidence == line


def test_date_spread_over_short_lines_at_the_end():
    text = f"{LEAD}\n{SECOND}\nSaturday\n26 May\n2018\n09:41"
    body, meta, removed = extract_metadata(text)
    assert meta.date == dt.date(2018, 5, 26)
    assert body == f"{LEAD}\n{SECOND}"
    assert [item.reason for item in removed] == ["metadata: date"] * 4


def test_dates_in_body_sentences_are_not_publication_dates():
    middle = "On May 23, 2018, the army said it had entered the city from three directions."
    text = f"{LEAD}\n{middle}\n{SECOND}"
    _, meta, _ = extract_metadata(text)
    assert meta.date is None


def test_credits_line_at_the_end_is_removed():
    text = f"{LEAD}\n{SECOND}\n(Reporting by Ayman al-Warfalli; Editing by Tom Heneghan)"
    body, _, removed = extract_metadata(text)
    assert body == f"{LEAD}\n{SECOND}"
    assert removed[0].reason == "metadata: credits"


@pytest.mark.parametrize(
    ("line", "body_mentions", "expected"),
    [
        # Both readings are Wednesdays: the body's latest date (May 7) decides for 9 May...
        ("Wednesday 09/05/2018", "The offensive began on May 7.", dt.date(2018, 5, 9)),
        # ...and here for the month/day reading, 9 May, over the day/month default.
        ("Wednesday 05/09/2018", "The offensive began on May 7.", dt.date(2018, 5, 9)),
        # 9 April 2018 was a Monday, 4 September 2018 a Tuesday: the weekday decides.
        ("Monday 04/09/2018", "", dt.date(2018, 4, 9)),
        ("Tuesday 04/09/2018", "", dt.date(2018, 9, 4)),
        # Nothing to decide on: day/month.
        ("10/05/2018", "", dt.date(2018, 5, 10)),
        ("05/25/2018", "", dt.date(2018, 5, 25)),  # only one valid reading
    ],
)
def test_ambiguous_numeric_dates(line, body_mentions, expected):
    text = f"{line}\n{LEAD} {body_mentions}\n{SECOND}"
    _, meta, _ = extract_metadata(text)
    assert meta.date == expected


def test_container_metadata_takes_precedence():
    text = f"Haftar forces tighten noose\nBy AFP - May 23,2018\n{LEAD}\n{SECOND}"
    body, meta, _ = extract_metadata(
        text,
        title="Haftar forces tighten noose",
        date_text="2018-05-24",
        outlet="Jordan Times",
        url="https://www.jordantimes.com/news/region/x",
    )
    assert meta.date == dt.date(2018, 5, 24)
    assert meta.date_evidence == "2018-05-24"
    assert meta.outlet == "Jordan Times"
    assert meta.title == "Haftar forces tighten noose"
    assert body == f"{LEAD}\n{SECOND}"  # the title and byline lines still go


def test_outlet_falls_back_to_the_url_host():
    _, meta, _ = extract_metadata(f"{LEAD}\n{SECOND}", url="https://www.libyaobserver.ly/news/x")
    assert meta.outlet == "libyaobserver.ly"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2010-05-15", dt.date(2010, 5, 15)),
        ("2018-05-23T10:00:00Z", dt.date(2018, 5, 23)),
        ("Wed, 23 May 2018 10:00:00 +0000", dt.date(2018, 5, 23)),
        ("May 23,2018", dt.date(2018, 5, 23)),
        ("1527069600", dt.date(2018, 5, 23)),
        ("1527069600000", dt.date(2018, 5, 23)),
        ("June 4", None),
        ("2018", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date_text(value, expected):
    assert parse_date_text(value) == expected


def test_a_wire_datelines_month_day_is_kept_without_a_year():
    # Timeline17 H1N1_reuters 18 (2009-06-03), detokenized
    lead = (
        "Saudi Arabia has confirmed its first case of the H1N1 flu virus in a Filipina nurse, "
        "the kingdom's health minister said on Wednesday."
    )
    body, meta, _ = extract_metadata(f"RIYADH, June 3 (Reuters) - {lead}\n{SECOND}")
    assert (meta.dateline, meta.dateline_date, meta.outlet) == ("RIYADH", "June 3", "Reuters")
    assert meta.date is None
    assert body.startswith("Saudi Arabia has confirmed")
    # with its year the dateline is the date
    _, meta, _ = extract_metadata(f"RIYADH, June 3, 2009 (Reuters) - {lead}\n{SECOND}")
    assert (meta.date, meta.date_source) == (dt.date(2009, 6, 3), "dateline")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # basil-dev URLs (Fox News, New York Times), HuffPost has none in its path
        (
            "http://www.foxnews.com/politics/2013/01/24/republicans-challenge-clinton-claims",
            "2013-01-24",
        ),
        ("https://www.nytimes.com/2014/08/21/us/ferguson-missouri-protests.html", "2014-08-21"),
        ("https://www.huffingtonpost.com/entry/trump-orlando_us_575dc769e4b0e39a28adebd3", None),
        ("https://example.org/2016/13/01/not-a-month", None),
    ],
)
def test_a_date_in_the_url_path_is_read(url, expected):
    _, meta, _ = extract_metadata(f"{LEAD}\n{SECOND}", url=url)
    assert (meta.date.isoformat() if meta.date else None) == expected
    if expected:
        assert (meta.date_source, meta.date_evidence) == ("url", url)


def test_a_container_date_wins_over_the_url():
    _, meta, _ = extract_metadata(
        f"{LEAD}\n{SECOND}", date_text="2014-08-20", url="https://www.nytimes.com/2014/08/21/x"
    )
    assert (meta.date, meta.date_source) == (dt.date(2014, 8, 20), "metadata")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2099-01-01", "'2099-01-01' is after today"),
        ("1 January 1", "'1 January 1' is not a full date"),
        ("June 4", "'June 4' is not a full date"),
        ("1850-03-04", "'1850-03-04' is before 1900"),
    ],
)
def test_a_refused_container_date_says_why(value, problem):
    _, meta, _ = extract_metadata(f"{LEAD}\n{SECOND}", date_text=value)
    assert meta.date is None
    assert meta.date_problem is not None and meta.date_problem.startswith(problem)
    assert read_date_text(value) == (None, meta.date_problem)
