"""Briefs load back from their JSON into the typed objects (the store keeps briefs as JSON)."""

from __future__ import annotations

import json

import pytest

from storyline.model import Brief
from storyline.render import brief_to_dict, get_renderer, load_brief, render_json


def test_json_round_trip_of_the_example_story(seed_brief) -> None:
    text = render_json(seed_brief)
    loaded = load_brief(text)
    assert isinstance(loaded, Brief)
    assert brief_to_dict(loaded) == json.loads(text)
    # Typed objects, not dicts: dates, citations and figures are usable as in a fresh brief.
    assert [e.when for e in loaded.timeline] == [e.when for e in seed_brief.timeline]
    assert loaded.summary[0].citation == seed_brief.summary[0].citation
    assert [f.status for f in loaded.story.figures] == [f.status for f in seed_brief.story.figures]
    for entry in loaded.timeline:
        citation = entry.citations[0]
        article = loaded.story.article(citation.article_id)
        cited = article.article.text[citation.start : citation.end]
        assert cited in {s.text for s in article.sentences}
    # Every format renders from the loaded brief as from the original.
    assert get_renderer("md").render(loaded) == get_renderer("md").render(seed_brief)


def test_unknown_article_in_a_citation_is_refused(seed_brief) -> None:
    data = brief_to_dict(seed_brief)
    data["summary"][0]["citation"]["article"] = "nope"
    with pytest.raises(ValueError, match="unknown article"):
        load_brief(json.dumps(data))
