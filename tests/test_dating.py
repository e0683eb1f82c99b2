"""Publication dates read or inferred with their evidence and bounds, on real text: the seed
story, basil-dev articles with their dates removed, Timeline17 wire copy and web pages."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from functools import cache
from pathlib import Path

import pytest

from storyline.analyse.dating import (
    anchor_of,
    estimate_publication_date,
    infer_missing_dates,
    share_copy_dates,
)
from storyline.ingest import articles_from_record, load_articles
from storyline.model import Article, PublicationDate

SEED = Path(__file__).resolve().parent.parent / "examples" / "derna"
SEED_DATES = {
    "001": dt.date(2018, 5, 23),
    "003": dt.date(2018, 5, 9),
    "004": dt.date(2016, 4, 22),
}
# A fixed "today" keeps the bounds of these tests from moving with the calendar.
TODAY = dt.date(2026, 12, 1)


def _seed_article(prefix: str, *, dated: bool = True) -> Article:
    (path,) = SEED.glob(f"{prefix}_*.txt")
    date = SEED_DATES.get(prefix) if dated else None
    return Article(id=path.stem, source=str(path), text=path.read_text("utf-8"), date=date)


def _seed_story() -> list[Article]:
    return [_seed_article(prefix) for prefix in ("000", "001", "002", "003", "004")]


@cache
def _timeline17(folder: Path, topic: str) -> dict[str, dict[str, str]]:
    path = folder / "timeline17" / topic / "articles.tokenized.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return {record["id"]: record for record in map(json.loads, lines)}


def _t17_article(record: dict[str, str], *, dated: bool = True) -> Article:
    """A Timeline17 article as ingest makes it (PTB text detokenized, metadata lines read)."""
    (article,) = articles_from_record({"text": record["text"]}, record["id"]).articles
    article.id = record["id"]
    if dated:
        article.date = dt.date.fromisoformat(record["time"])
        article.published = PublicationDate.on(article.date, read=True)
    else:
        article.date, article.published = None, None
    return article


@cache
def _basil(folder: Path) -> list[dict[str, str]]:
    path = folder / "basil-dev" / "articles.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _basil_article(folder: Path, words: str) -> tuple[Article, dt.date]:
    """The basil-dev article holding ``words``, without its date and URL, and its true date."""
    (record,) = [record for record in _basil(folder) if words in record["text"]]
    fields = {"title": record["title"], "text": record["text"]}
    (article,) = articles_from_record(fields, record["id"]).articles
    return article, dt.date.fromisoformat(record["date"])


def _clue_in_text(article: Article) -> None:
    estimate = article.published
    assert estimate is not None
    for clue in estimate.clues:
        if clue.start is not None:
            assert article.text[clue.start : clue.end] == clue.text


# ---------------------------------------------------------------- the seed story


def test_a_battle_that_lasted_three_years_from_2014_bounds_the_first_seed_article() -> None:
    # 000 names no day: "a three year battle ... that began in 2014" ended in mid-2016 at
    # the earliest (a rounded "three years" may be two and a half). The old rule took the
    # date of the most similar dated article (2016-04-22), before the battle could be over.
    articles = _seed_story()
    infer_missing_dates(articles, today=TODAY)
    first = articles[0]
    assert first.date is None and not first.date_inferred
    assert first.published is not None and not first.published.read
    assert first.published.describe() == "not before 2016-07"
    assert first.published.latest is None
    (clue,) = first.published.clues
    assert "began in 2014" in clue.text and "three year" in clue.text
    _clue_in_text(first)
    assert first.date_evidence is not None and "began in 2014" in first.date_evidence


def test_a_weekday_with_a_month_day_is_a_lower_bound_not_the_date() -> None:
    # 002: "Monday, June 4" and "Tuesday, June 5th" fix their year (2018, the only one within
    # the story's dated span); the article was published on June 5 or later.
    articles = _seed_story()
    infer_missing_dates(articles, today=TODAY)
    undated = articles[2]
    assert undated.date is None
    assert undated.published is not None
    assert undated.published.first_day == dt.date(2018, 6, 5)
    assert undated.published.describe() == "not before 2018-06-05"
    assert [clue.text for clue in undated.published.clues] == ["Tuesday, June 5th"]
    _clue_in_text(undated)
    # Alone, the text's own "In 2015" bounds the year of "Tuesday, June 5th" from below:
    # within 2015 to today only 2018 has a Tuesday June 5.
    alone = _seed_article("002", dated=False)
    infer_missing_dates([alone], today=TODAY)
    assert alone.published is not None and alone.published.first_day == dt.date(2018, 6, 5)


def test_read_dates_are_kept_and_marked_read() -> None:
    articles = _seed_story()
    infer_missing_dates(articles, today=TODAY)
    for article in (articles[1], articles[3], articles[4]):
        assert article.date == SEED_DATES[article.id[:3]]
        assert not article.date_inferred
        assert article.published is not None and article.published.read
        assert article.published.exact == article.date


def test_seed_dates_read_at_ingest_carry_where_they_were_read(seed_dir: Path) -> None:
    by_prefix = {
        Path(article.source).name[:3]: article for article in load_articles([seed_dir]).articles
    }
    byline = by_prefix["001"].published
    assert byline is not None and byline.read and byline.exact == dt.date(2018, 5, 23)
    assert byline.clues[0].reason == "byline"
    assert byline.clues[0].text.startswith("By AFP - May 23,2018")
    assert by_prefix["004"].published is not None
    assert by_prefix["004"].published.clues[0].reason == "date line"
    assert by_prefix["000"].published is None  # nothing to read; inferred in analysis


def test_with_every_seed_date_hidden_no_article_gets_a_wrong_one() -> None:
    articles = [
        _seed_article(prefix, dated=False) for prefix in ("000", "001", "002", "003", "004")
    ]
    infer_missing_dates(articles, today=TODAY)
    for article in articles:
        truth = SEED_DATES.get(article.id[:3])
        assert article.published is not None
        if truth is not None:
            assert article.published.contains(truth), article.id
            assert article.date in (None, truth)


# ---------------------------------------------------------------- basil-dev, dates removed


def test_a_term_that_ends_in_2019_is_no_lower_bound(shared_data: Path) -> None:
    # Fox News, 2016-08-30: "LePage's second and final term as governor officially ends in
    # 2019." The old rule dated it 2019.
    article, truth = _basil_article(shared_data, "officially ends in 2019")
    estimate = estimate_publication_date(article, today=TODAY)
    assert estimate.exact is None
    assert estimate.contains(truth)
    assert all(clue.text != "2019" for clue in estimate.clues)


@pytest.mark.parametrize(
    "words",
    [
        "Super Bowl set to be held in Glendale, Ariz. in 2015",  # 2014-02-26, "set to"
        "The end date for my tenure is February 28, 2019",  # 2018-12-23, "should allow"
        "in the 2020 elections",  # 2019-01-02
        "until January 21, 2017",  # 2016-06-09
    ],
)
def test_plans_and_deadlines_are_no_lower_bounds(shared_data: Path, words: str) -> None:
    article, truth = _basil_article(shared_data, words)
    estimate = estimate_publication_date(article, today=TODAY)
    assert estimate.contains(truth), estimate.describe()


def test_an_article_recalling_sept_11_is_not_dated_2001(shared_data: Path) -> None:
    # NYT, 2013-01-23: the only full date it names is "Sept. 11, 2001".
    article, truth = _basil_article(shared_data, "on the anniversary of the Sept. 11, 2001")
    estimate = estimate_publication_date(article, today=TODAY)
    assert estimate.exact is None
    assert estimate.contains(truth)


def test_a_rounded_duration_after_a_year_in_basil(shared_data: Path) -> None:
    # NYT, 2016-08-31: "LePage's six years in office here, which began as part of the Tea
    # Party sweep in 2010" -> not before mid-2015.
    article, truth = _basil_article(shared_data, "six years in office here")
    estimate = estimate_publication_date(article, today=TODAY)
    assert estimate.describe() == "not before 2015-07"
    assert estimate.contains(truth)
    assert estimate.clues[0].reason == "six years after 2010"


# ---------------------------------------------------------------- Timeline17


def test_a_timestamp_heading_the_text_is_the_date(shared_data: Path) -> None:
    # "NAWFALIYAH/MISRATA, Libya | Mon Mar 28, 2011 7:22 pm EDT NAWFALIYAH/MISRATA, Libya
    # (Reuters) - Rebels advanced west ..."
    record = _timeline17(shared_data, "LibyaWar_reuters")["46"]
    article = _t17_article(record, dated=False)
    infer_missing_dates([article], today=TODAY)
    assert article.date == dt.date(2011, 3, 28) == dt.date.fromisoformat(record["time"])
    assert article.date_inferred
    assert article.published is not None
    assert article.published.clues[0].reason == "date and time heading the text"
    _clue_in_text(article)


def test_comment_timestamps_are_no_bounds(shared_data: Path) -> None:
    # A BBC H1N1 blog page of 2009-06-02 shows readers' comments of later weeks ("At 09:18
    # am on 25 Jun 2009, nolucano wrote: ...").
    record = _timeline17(shared_data, "H1N1_bbc")["746"]
    article = _t17_article(record, dated=False)
    infer_missing_dates([article], today=TODAY)
    assert article.published is not None
    assert article.published.contains(dt.date(2009, 6, 2)), article.published.describe()


def test_background_dates_do_not_date_an_article(shared_data: Path) -> None:
    # bpoil_bbc 1164 (published 2010-10-15) names no day but "11 September 2001"
    records = _timeline17(shared_data, "bpoil_bbc")
    cluster = [_t17_article(records[key]) for key in ("5", "13", "27", "29", "46", "49", "56")]
    undated = _t17_article(records["1164"], dated=False)
    infer_missing_dates([*cluster, undated], today=TODAY)
    assert undated.date is None
    assert undated.published is not None and undated.published.contains(dt.date(2010, 10, 15))


def test_a_wire_dateline_with_the_leads_weekday_pins_the_year(shared_data: Path) -> None:
    # "RIYADH, June 3 (Reuters) - Saudi Arabia has confirmed ... the kingdom's health
    # minister said on Wednesday." Among its neighbours' years (2009 +- 1) June 3 was a
    # Wednesday only in 2009.
    records = _timeline17(shared_data, "H1N1_reuters")
    undated = _t17_article(records["18"], dated=False)
    assert undated.dateline_date == "June 3" and undated.dateline == "RIYADH"
    neighbours = [_t17_article(records[key]) for key in sorted(records)[:12] if key != "18"]
    infer_missing_dates([*neighbours, undated], today=TODAY)
    assert undated.date == dt.date(2009, 6, 3)
    assert undated.date_inferred
    assert undated.published is not None and "Wednesday" in undated.published.clues[0].reason
    # Alone, June 3 fell on a Wednesday in 2009, 2015 and 2020 too: no year is pinned.
    alone = _t17_article(records["18"], dated=False)
    infer_missing_dates([alone], today=TODAY)
    assert alone.date is None
    assert alone.published is not None and alone.published.contains(dt.date(2009, 6, 3))


# ---------------------------------------------------------------- copies and anchors


def test_copies_of_one_wire_story_share_a_date(shared_data: Path) -> None:
    record = _timeline17(shared_data, "LibyaWar_reuters")["46"]
    original = _t17_article(record)
    copy = _t17_article(record, dated=False)
    copy.id = "copy"
    copy.text = copy.text[copy.text.index("Rebels advanced") :]  # without the timestamp
    infer_missing_dates([copy], today=TODAY)
    assert copy.date is None
    infer_missing_dates([original, copy], today=TODAY, copies=[[original, copy]])
    assert copy.date == original.date == dt.date(2011, 3, 28)
    assert copy.date_inferred
    assert copy.published is not None and copy.published.clues[0].reason == "copy of 46"


def test_undated_copies_combine_their_bounds() -> None:
    full = _seed_article("000", dated=False)
    part = _seed_article("000", dated=False)
    part.id = "part"
    part.text = part.text[: part.text.index("Benghazi was declared liberated")]  # no duration
    infer_missing_dates([full, part], today=TODAY)
    assert part.published is not None and part.published.earliest is None
    share_copy_dates([[full, part]])
    assert part.published.describe() == "not before 2016-07"
    assert part.published.clues[-1].reason == f"copy of {full.id}"


def test_relative_dates_count_from_an_exact_day_or_a_closed_range_only() -> None:
    article = _seed_article("001", dated=False)
    assert anchor_of(article) is None
    article.published = PublicationDate.on(dt.date(2018, 5, 23), read=True)
    article.date = dt.date(2018, 5, 23)
    assert anchor_of(article) == dt.date(2018, 5, 23)
    article.date = None
    week = PublicationDate.on(dt.date(2018, 5, 21), read=False)
    article.published = PublicationDate(
        week.earliest, PublicationDate.on(dt.date(2018, 5, 25), read=False).latest
    )
    assert anchor_of(article) == (dt.date(2018, 5, 21), dt.date(2018, 5, 25))
    article.published = PublicationDate(week.earliest, None)
    assert anchor_of(article) is None


# ---------------------------------------------------------------- refused input dates


@pytest.mark.parametrize(
    ("value", "problem"),
    [("2099-01-01", "'2099-01-01' is after today"), ("1 January 1", "four-digit year")],
)
def test_a_refused_input_date_is_named_in_the_evidence(value: str, problem: str) -> None:
    text = _seed_article("000").text
    (article,) = articles_from_record({"text": text, "date": value}, "x.jsonl:1").articles
    assert article.date is None
    infer_missing_dates([article], today=TODAY)
    assert article.published is not None
    assert article.published.clues[0].reason == "input date not used"
    assert problem in article.published.clues[0].text
    assert article.date_evidence is not None and problem in article.date_evidence
    # what the text supports is still inferred
    assert article.published.describe() == "not before 2016-07"
