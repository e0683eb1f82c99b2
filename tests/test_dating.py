"""Publication dates inferred for undated articles: the seed story and Timeline17 clusters."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from functools import cache
from pathlib import Path

import pytest

from storyline.analyse.dating import infer_missing_dates
from storyline.model import Article

SEED = Path(__file__).resolve().parent.parent / "examples" / "derna"
SEED_DATES = {
    "001": dt.date(2018, 5, 23),
    "003": dt.date(2018, 5, 9),
    "004": dt.date(2016, 4, 22),
}


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
    date = dt.date.fromisoformat(record["time"]) if dated else None
    return Article(id=record["id"], source=record["id"], text=record["text"], date=date)


def test_seed_article_with_weekday_dates_gets_the_latest() -> None:
    articles = _seed_story()
    infer_missing_dates(articles)
    undated = articles[2]  # 002: "Monday, June 4" and "Tuesday, June 5th", no year
    assert undated.date == dt.date(2018, 6, 5)
    assert undated.date_inferred
    assert undated.date_evidence is not None
    assert "latest date mentioned" in undated.date_evidence
    assert "Tuesday, June 5th" in undated.date_evidence


def test_seed_article_with_only_a_year_takes_a_dated_article_by_content() -> None:
    articles = _seed_story()
    infer_missing_dates(articles)
    undated = articles[0]  # 000 only mentions "2014"
    assert undated.date_inferred
    assert undated.date in SEED_DATES.values()
    assert undated.date is not None and undated.date.year >= 2014
    assert undated.date_evidence is not None
    assert "closest dated article" in undated.date_evidence


def test_dated_articles_are_left_alone() -> None:
    articles = _seed_story()
    infer_missing_dates(articles)
    for article in articles[1:2] + articles[3:]:
        assert article.date == SEED_DATES[article.id[:3]]
        assert not article.date_inferred and article.date_evidence is None


def test_without_dated_articles_the_text_alone_dates_an_article() -> None:
    # Alone, 002's "Monday, June 4" is placed by its own "In 2015": the first June 4 on a
    # Monday from 2015 on is in 2018.
    article = _seed_article("002", dated=False)
    infer_missing_dates([article])
    assert article.date == dt.date(2018, 6, 5) and article.date_inferred
    # 000 only names a year: no publication day can be told from that.
    article = _seed_article("000", dated=False)
    infer_missing_dates([article])
    assert article.date is None and not article.date_inferred
    assert article.date_evidence is not None
    assert article.date_evidence.startswith("no date found in the text or the cluster")


def test_explicit_dates_suffice_without_a_cluster() -> None:
    article = _seed_article("004", dated=False)  # ends with the dateline "22 April 2016"
    infer_missing_dates([article])
    assert article.date == dt.date(2016, 4, 22)
    assert article.date_inferred


def test_never_before_the_latest_year_mentioned(shared_data: Path) -> None:
    # a line of a 2012 SyrianCrisis_bbc article among Reuters articles of 2011
    records = _timeline17(shared_data, "SyrianCrisis_reuters")
    cluster = [_t17_article(record) for _, record in sorted(records.items())[:8]]
    assert all(article.date and article.date.year == 2011 for article in cluster)
    line = (
        "In his first news conference of 2012 , Mr Obama warned his critics not to forget the "
        "cost of war ."
    )
    undated = Article(id="bbc-140", source="bbc-140", text=line)
    infer_missing_dates([*cluster, undated])
    assert undated.date == dt.date(2012, 1, 1)
    assert undated.date_evidence is not None
    assert "latest year mentioned in the text (2012)" in undated.date_evidence


def test_background_dates_do_not_date_an_article(shared_data: Path) -> None:
    # bpoil_bbc 1164 (published 2010-10-15) names no day but "11 September 2001"
    records = _timeline17(shared_data, "bpoil_bbc")
    cluster = [_t17_article(records[key]) for key in ("5", "13", "27", "29", "46", "49", "56")]
    undated = _t17_article(records["1164"], dated=False)
    infer_missing_dates([*cluster, undated])
    assert undated.date in {article.date for article in cluster}
    assert undated.date_evidence is not None
    assert "11 September" in undated.date_evidence
    assert "closest dated article" in undated.date_evidence


@pytest.mark.parametrize(("topic", "key"), [("EgyptianProtest_cnn", "199")])
def test_timeline17_article_dated_from_its_text(shared_data: Path, topic: str, key: str) -> None:
    records = _timeline17(shared_data, topic)
    others = [record for other, record in sorted(records.items()) if other != key][:12]
    truth = dt.date.fromisoformat(records[key]["time"])
    undated = _t17_article(records[key], dated=False)
    infer_missing_dates([*map(_t17_article, others), undated])
    assert undated.date is not None
    assert abs((undated.date - truth).days) <= 3
