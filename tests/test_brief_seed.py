"""End-to-end: the brief of the example story (examples/derna) holds what the issue asks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import jsonschema
import pytest

from storyline.model import Brief, TimelineEntry
from storyline.render import brief_to_dict, render_json, render_markdown

BOILERPLATE = [
    "You are here",
    "107 users have voted",
    "Newsletter",
    "Get top stories and blog posts",
    "Show More",
    "Leave a Reply",
    "Your email address will not be published",
    "Required fields are marked",
    "Back to top button",
    "749064",
    "/257",
]
SCHEMA = Path(__file__).resolve().parent.parent / "src" / "storyline" / "schema"


def _article(brief: Brief, file_prefix: str):
    (article,) = [a for a in brief.articles if Path(a.source).name.startswith(file_prefix)]
    return article


def _texts_cited(brief: Brief, entry: TimelineEntry) -> str:
    texts = []
    for citation in entry.citations:
        article = brief.story.article(citation.article_id)
        texts.append(article.sentences[citation.sentence_index].text)
    return " ".join(texts)


def _content_of_json(data: dict) -> str:
    """The JSON output without the lists of removed boilerplate (which name it on purpose)."""
    trimmed = json.loads(json.dumps(data))
    for source in trimmed["sources"]:
        source["removed"]["items"] = []
    return json.dumps(trimmed, ensure_ascii=False)


def test_no_boilerplate_survives_in_the_output(seed_brief: Brief) -> None:
    markdown = render_markdown(seed_brief)
    content = _content_of_json(brief_to_dict(seed_brief))
    for line in BOILERPLATE:
        assert line not in markdown, line
        assert line not in content, line
    for article in seed_brief.articles:
        lines = [line.strip() for line in article.text.splitlines()]
        assert "up" not in lines and "PDF" not in lines
    # The 2016 article repeats its lead at the end: kept once, counted as removed once.
    lead = "Forces loyal to Libya’s internationally-recognized government have pushed Daesh"
    article = _article(seed_brief, "004")
    assert article.text.count(lead) == 1
    assert sum(lead in removed.text for removed in article.removed) == 1


def test_publication_dates_read_or_inferred(seed_brief: Brief) -> None:
    expected = {
        "001": dt.date(2018, 5, 23),
        "003": dt.date(2018, 5, 9),
        "004": dt.date(2016, 4, 22),
    }
    for prefix, date in expected.items():
        article = _article(seed_brief, prefix)
        assert article.date == date, prefix
        assert not article.date_inferred
        assert article.published is not None and article.published.read
    # 000 and 002 show no date: what their texts support is a lower bound, not a day.
    for prefix, bound in (("000", "not before 2016-07"), ("002", "not before 2018-06-05")):
        article = _article(seed_brief, prefix)
        assert article.date is None, prefix
        assert article.published is not None and not article.published.read
        assert article.published.describe() == bound
        assert article.date_evidence


def test_timeline_holds_the_story_events_in_order(seed_brief: Brief) -> None:
    events = [
        ("2014", ("Operation Dignity",)),
        ("2015-06", ("Sirte",)),
        ("2016-04", ("Daesh", "Derna")),
        ("2018-05-03", ("Clashes", "southern Derna")),
        ("2018-05-07", ("offensive|Zero Hour",)),
        ("2018-05-22", ("special forces",)),
        ("2018-06-04", ("port",)),
        ("2018-06-05", ("port",)),
    ]
    timeline = seed_brief.timeline
    dates = [(e.when.date, e.when.granularity) for e in timeline]
    assert dates == sorted(dates, key=lambda d: d[0])
    positions = []
    for date, words in events:
        found = [
            i
            for i, entry in enumerate(timeline)
            if entry.when.iso().startswith(date)
            and all(
                any(w.lower() in _texts_cited(seed_brief, entry).lower() for w in word.split("|"))
                for word in words
            )
        ]
        assert found, f"no timeline entry for {date} {words}: {[e.when.iso() for e in timeline]}"
        positions.append(found[0])
    assert positions == sorted(positions)


def test_actors_merged_across_articles(seed_brief: Brief) -> None:
    actors = seed_brief.story.actors
    (haftar,) = [a for a in actors if "Haftar" in a.name]
    forms = {haftar.name, *haftar.aliases}
    assert "Khalifa Haftar" in forms and "Haftar" in forms
    assert any("Marshal" in form for form in forms)
    assert len(haftar.articles) >= 4 and haftar.type == "person"
    (lna,) = [a for a in actors if {"LNA", "ANL"} <= {a.name, *a.aliases}]
    assert "Libyan National Army" in {lna.name, *lna.aliases}
    assert len(lna.articles) >= 3
    (daesh,) = [a for a in actors if "Daesh" in {a.name, *a.aliases}]
    assert {"ISIS", "Islamic State"} <= {daesh.name, *daesh.aliases}
    assert not any(a.name in ("Derna", "Libya", "Tripoli") for a in actors)


def test_places_geocoded_in_the_story_country(seed_brief: Brief) -> None:
    places = {p.name: p for p in seed_brief.story.places}
    derna = places["Derna"]
    assert derna.country == "LY" and derna.geo_name == "Darnah"
    assert derna.latitude == pytest.approx(32.77, abs=0.05)
    assert derna.longitude == pytest.approx(22.64, abs=0.05)
    assert places["Tripoli"].country == "LY"
    assert places["Benghazi"].country == "LY"


def test_figures_population_agrees_and_june_casualties_listed(seed_brief: Brief) -> None:
    figures = seed_brief.story.figures
    population = [f for f in figures if f.category == "population" and f.subject == "Derna"]
    assert len(population) == 1
    (derna,) = population
    assert derna.status == "agree"
    assert {r.value for r in derna.reports} == {150_000}
    assert {r.citation.article_id for r in derna.reports} == {
        _article(seed_brief, "001").id,
        _article(seed_brief, "003").id,
    }
    june = _article(seed_brief, "002").id
    killed = {
        (f.counted, r.value)
        for f in figures
        if f.category == "killed"
        for r in f.reports
        if r.citation.article_id == june and r.reporter
    }
    assert {("civilians", 10), ("soldiers", 20), ("jihadists", 30)} <= killed


def test_summary_within_budget_cited_and_non_redundant(seed_brief: Brief) -> None:
    summary = seed_brief.summary
    assert summary
    assert sum(len(s.text.split()) for s in summary) <= 150
    # two sources at least (a third one came only with a sentence that leans on one left out)
    assert len({s.citation.article_id for s in summary}) >= 2
    for sentence in summary:
        article = seed_brief.story.article(sentence.citation.article_id).article
        assert article.text[sentence.citation.start : sentence.citation.end] == sentence.text
    assert len({s.text for s in summary}) == len(summary)


def test_summary_opens_on_a_sentence_that_orients_the_reader(seed_brief: Brief) -> None:
    summary = seed_brief.summary
    opener = summary[0]
    article = seed_brief.story.article(opener.citation.article_id)
    # an article's lead, saying who does what where, not a side event or a quote
    assert opener.citation.sentence_index <= 2 or opener.text == article.sentences[0].text
    assert "Haftar" in opener.text and "Derna" in opener.text
    assert not opener.text.startswith(("“", '"', "According to the"))
    # a bare quotation follows the sentence that attributes it
    for before, after in pairwise(summary):
        if after.text.startswith("“Our army forces"):
            assert before.citation.article_id == after.citation.article_id
            assert before.citation.sentence_index == after.citation.sentence_index - 1


def test_json_output_follows_the_schema_and_offsets(seed_brief: Brief) -> None:
    data = json.loads(render_json(seed_brief))
    schema = json.loads((SCHEMA / "brief.schema.json").read_text())
    jsonschema.validate(data, schema)
    texts = {source["id"]: source["text"] for source in data["sources"]}
    citations = [s["citation"] for s in data["summary"]]
    citations += [c for entry in data["timeline"] for c in entry["citations"]]
    citations += [q["citation"] for q in data["quotes"]]
    assert citations
    for citation in citations:
        quoted = texts[citation["article"]][citation["start"] : citation["end"]]
        assert quoted.strip() and quoted == quoted.strip()
    for entry in data["timeline"]:
        first = entry["citations"][0]
        assert texts[first["article"]][first["start"] : first["end"]] == entry["text"]


def test_cli_writes_markdown_and_json(tmp_path: Path, seed_dir: Path) -> None:
    out = tmp_path / "derna"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyline",
            "brief",
            str(seed_dir),
            "--format",
            "both",
            "-o",
            str(out),
            "--words",
            "80",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    markdown = (tmp_path / "derna.md").read_text()
    data = json.loads((tmp_path / "derna.json").read_text())
    assert markdown.startswith("# ") and "## Timeline" in markdown
    assert sum(len(s["text"].split()) for s in data["summary"]) <= 80
    assert len(data["sources"]) == 5


def test_cli_defaults_are_the_pipeline_defaults() -> None:
    """The CLI shows, and the pipeline uses, the defaults of storyline.settings."""
    import inspect

    from click.testing import CliRunner

    from storyline import cli, pipeline, settings

    shown = CliRunner().invoke(cli.main, ["brief", "--help"]).output
    # click wraps help text: compare without line breaks and indentation
    shown = " ".join(shown.split())
    for option, value in (
        ("--words", settings.DEFAULT_WORDS),
        ("--max-dates", settings.DEFAULT_MAX_DATES),
        ("--parse-words", settings.DEFAULT_PARSE_WORDS),
    ):
        assert f"[default: {value};" in shown.split(option, 1)[1].split("--", 1)[0]
    defaults = inspect.signature(pipeline.brief_from_articles).parameters
    assert defaults["words"].default == settings.DEFAULT_WORDS
    assert defaults["max_dates"].default == settings.DEFAULT_MAX_DATES
    assert defaults["parse_words"].default == settings.DEFAULT_PARSE_WORDS
