"""Publication dates through the whole brief: an undated three-outlet story (basil-dev
excerpt), a refused input date, an unreadable "1 January 1", a publication week given as a
range, in the JSON (validated against the schema) and the Markdown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from storyline import brief
from storyline.ingest import load_articles
from storyline.model import PublicationDate, TimePoint
from storyline.pipeline import brief_from_articles
from storyline.render import brief_to_dict, render_markdown

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "src" / "storyline" / "schema" / "brief.schema.json").read_text())
SEED = ROOT / "examples" / "derna"
# Fox News, HuffPost and the New York Times on Maine's governor, without dates or URLs
# (tests/data/README.md); their true dates:
LEPAGE = ROOT / "tests" / "data" / "basil_lepage_undated.jsonl"
LEPAGE_DATES = {
    "basil-fox-lepage": dt.date(2016, 8, 30),
    "basil-hpo-lepage": dt.date(2016, 8, 31),
    "basil-nyt-lepage": dt.date(2016, 8, 31),
}


@pytest.fixture(scope="module")
def lepage():
    return brief(LEPAGE)


def _by_id(data: dict) -> dict[str, dict]:
    records = [json.loads(line) for line in LEPAGE.read_text("utf-8").splitlines()]
    ids = [record["id"] for record in records]
    return {ids[index]: source for index, source in enumerate(data["sources"])}


def test_an_undated_story_gets_no_wrong_date(lepage) -> None:
    data = brief_to_dict(lepage)
    jsonschema.validate(data, SCHEMA)
    sources = _by_id(data)
    for key, truth in LEPAGE_DATES.items():
        published = sources[key]["published"]
        assert published["kind"] in ("inferred", "unknown"), key
        assert published["exact"] is None and sources[key]["date"] is None
        first, last = published["not_before"], published["not_after"]
        assert first is None or dt.date.fromisoformat(first) <= truth, key
        assert last is None or truth <= dt.date.fromisoformat(last), key
        for clue in published["evidence"]:
            if clue["start"] is not None:
                text = sources[key]["text"]
                assert text[clue["start"] : clue["end"]] == clue["text"]
    # The Times: "LePage's six years in office here, which began ... in 2010"
    times = sources["basil-nyt-lepage"]["published"]
    assert times["text"] == "not before 2015-07"
    assert times["earliest"] == {"value": "2015-07", "granularity": "month", "start": "2015-07-01"}
    assert "six years" in times["evidence"][0]["text"]


def test_relative_dates_of_an_undated_story_stay_off_the_timeline(lepage) -> None:
    # "opened the door Tuesday", "During his news conference Friday": nothing says which
    # Tuesday; every entry left is dated by the words it shows.
    assert lepage.timeline
    for entry in lepage.timeline:
        assert str(entry.when.date.year) in entry.text, entry.text
        assert entry.until is None


def test_the_markdown_shows_ranges_as_inferred_with_their_evidence(lepage) -> None:
    markdown = render_markdown(lepage)
    assert "| not before 2015-07 (inferred) |" in markdown
    section = markdown[markdown.index("### How dates were inferred") :]
    assert "six years after 2010" in section and "“six years in office here" in section


def test_a_refused_input_date_is_named_in_the_brief(tmp_path: Path) -> None:
    text = next(SEED.glob("000_*.txt")).read_text("utf-8")
    path = tmp_path / "story.jsonl"
    path.write_text(json.dumps({"text": text, "date": "2099-01-01"}) + "\n", encoding="utf-8")
    result = brief(path)
    data = brief_to_dict(result)
    jsonschema.validate(data, SCHEMA)
    published = data["sources"][0]["published"]
    assert published["evidence"][0] == {
        "reason": "input date not used",
        "text": "'2099-01-01' is after today",
        "start": None,
        "end": None,
    }
    assert published["text"] == "not before 2016-07"
    assert "'2099-01-01' is after today" in render_markdown(result)


def test_an_unreadable_year_is_no_date_on_the_timeline(tmp_path: Path) -> None:
    dated = next(SEED.glob("001_*.txt")).read_text("utf-8")  # By AFP - May 23,2018
    odd = (
        "The Omar Mukhtar Operations Room was set up on 1 January 1 by elders of the town, "
        "its spokesman told reporters in Derna on Thursday."
    )
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text(dated, encoding="utf-8")
    other = dated.split("\n")[6]  # "Haftar launched an offensive on May 7 ..."
    (folder / "b.txt").write_text(f"By AFP - May 24,2018\n\n{odd}\n\n{other}", encoding="utf-8")
    result = brief(folder)
    assert result.articles[1].date == dt.date(2018, 5, 24)  # relative dates have an anchor
    # the sentence is dated by its "on Thursday", not by a "1 January" of the anchor's year
    (entry,) = [entry for entry in result.timeline if "1 January 1" in entry.text]
    assert entry.when == TimePoint.of(2018, 5, 24)
    assert all(entry.when.date != dt.date(2018, 1, 1) for entry in result.timeline)


def test_a_publication_week_dates_weekdays_as_a_range(seed_dir: Path) -> None:
    # A program that knows only the week 001 appeared in (Monday to Friday) passes it as a
    # range: "On Tuesday, the spokesman announced ..." is the 15th or the 22nd.
    ingested = load_articles([next(seed_dir.glob("001_*.txt"))])
    (article,) = ingested.articles
    article.date = None
    article.published = PublicationDate(
        TimePoint.of(2018, 5, 21), TimePoint.of(2018, 5, 25), read=True
    )
    result = brief_from_articles(ingested)
    ranged = [entry for entry in result.timeline if entry.until is not None]
    assert any(
        entry.text.startswith("On Tuesday, the spokesman announced")
        and (entry.when, entry.until) == (TimePoint.of(2018, 5, 15), TimePoint.of(2018, 5, 22))
        for entry in ranged
    )
    data = brief_to_dict(result)
    jsonschema.validate(data, SCHEMA)
    assert {"date": "2018-05-15", "until": "2018-05-22"}.items() <= next(
        item for item in data["timeline"] if item["until"]
    ).items()
    assert data["sources"][0]["published"]["text"] == "2018-05-21 to 2018-05-25"
    assert "| 2018-05-15 to 2018-05-22 |" in render_markdown(result)
