from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
from storybuild import make_story

from storyline.model import (
    Actor,
    Brief,
    Citation,
    Figure,
    FigureReport,
    RemovedText,
    SkippedInput,
    SummarySentence,
    TimelineEntry,
    TimePoint,
)
from storyline.render import SCHEMA_VERSION, render_json, render_markdown

SCHEMA = Path(__file__).resolve().parent.parent / "src" / "storyline" / "schema"
SENTENCES = [
    "Derna, a port city of 150,000, is the last major pocket of Islamist resistance.",
    "Clashes were first reported near southern Derna on May 3.",
]


def _brief() -> Brief:
    story = make_story([("a1", dt.date(2018, 5, 9), SENTENCES)])
    article = story.articles[0].article
    article.outlet = "The Arab Weekly | Tunis"
    article.removed = [RemovedText("You are here", "navigation")]
    story.skipped = [SkippedInput("photo.jpg", "binary file (JPEG image)")]
    first, second = (s.citation for s in story.articles[0].sentences)
    story.actors = [Actor("Khalifa Haftar", "person", ["Haftar"], 3, ["a1"])]
    story.figures = [
        Figure(
            "population",
            "people",
            "Derna",
            TimePoint.of(2018, 5, 9),
            [FigureReport(150_000, "150,000", None, "a1", first)],
            "single",
        )
    ]
    return Brief(
        title="Derna",
        summary=[SummarySentence(SENTENCES[0], first)],
        timeline=[TimelineEntry(TimePoint.of(2018, 5, 3), SENTENCES[1], [second])],
        story=story,
    )


def test_json_validates_and_citations_point_into_the_text() -> None:
    data = json.loads(render_json(_brief()))
    jsonschema.validate(data, json.loads((SCHEMA / "brief.schema.json").read_text()))
    assert data["schema_version"] == SCHEMA_VERSION
    text = data["sources"][0]["text"]
    citation = data["timeline"][0]["citations"][0]
    assert text[citation["start"] : citation["end"]] == SENTENCES[1]
    assert data["sources"][0]["contributed"] == {
        "summary": 1,
        "timeline": 1,
        "quotes": 0,
        "figures": 1,
    }
    assert data["sources"][0]["removed"]["by_reason"] == {"navigation": 1}
    assert data["skipped"] == [{"source": "photo.jpg", "reason": "binary file (JPEG image)"}]


def test_markdown_cites_sentences_and_escapes_table_cells() -> None:
    markdown = render_markdown(_brief())
    assert f"{SENTENCES[0]} [a1:0]" in markdown
    assert f"| 2018-05-03 | {SENTENCES[1]} | [a1:1] |" in markdown
    assert "The Arab Weekly \\| Tunis" in markdown
    assert "- photo.jpg: binary file (JPEG image)" in markdown
    # Removed boilerplate is counted by reason, never repeated in the Markdown.
    assert "1: 1 navigation" in markdown and "You are here" not in markdown


def test_citation_labels_are_deduplicated() -> None:
    brief = _brief()
    citation = Citation("a1", 1, 0, 10)
    brief.timeline[0].citations = [citation, citation]
    assert "| [a1:1] |" in render_markdown(brief)
