"""Syndicated copies and shared passages on real scraped text (Multi-News, BASIL excerpts)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from storyline.stories import DuplicateIndex, find_copies, shared_paragraphs
from storyline.stories.duplicates import containment, passages

DATA = Path(__file__).parent / "data"


def _clusters() -> dict[str, dict[str, str]]:
    lines = (DATA / "multinews_copies.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    return {r["id"]: {str(i): doc for i, doc in enumerate(r["documents"])} for r in records}


CLUSTERS = _clusters()


def _basil() -> list[dict[str, str]]:
    lines = (DATA / "basil_same_story.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_trimmed_copy_under_another_opening_is_a_copy() -> None:
    # A 70-word teaser of a 193-word wire story, and an unrelated article of the same cluster.
    docs = CLUSTERS["multinews-val-49295"]
    assert find_copies(docs) == {"1": "0"}


def test_a_copy_with_paragraphs_added_is_a_copy() -> None:
    # The same Reuters story, the later one with its second half added (285 vs 163 words).
    docs = CLUSTERS["multinews-val-45309"]
    assert containment(docs["0"], docs["1"]) > 0.9
    assert containment(docs["1"], docs["0"]) < 0.6
    assert find_copies(docs) == {"1": "0"}


def test_copies_with_a_different_headline_and_caption_are_copies() -> None:
    for cluster in ("multinews-val-47319", "multinews-val-48716"):
        assert find_copies(CLUSTERS[cluster]) == {"1": "0"}, cluster


def test_a_rewritten_wire_lead_is_a_shared_passage_not_a_copy() -> None:
    # CBS reused the AP lead and added its own reporting: not a copy, but the lead is shared.
    docs = CLUSTERS["multinews-val-46550"]
    assert find_copies(docs) == {}
    shared = shared_paragraphs(docs)
    assert [group.keys for group in shared] == [["0", "2"]]
    for key in ("0", "2"):
        shown = " ".join(docs[key][p.start : p.end] for p in shared[0].passages if p.key == key)
        assert "authorities are investigating the death of a ferguson protester's son" in shown
        assert "Melissa mckinnies, who was active in the st. Louis suburb" in shown
    # The rest of the CBS report is its own.
    assert "sick with grief" not in " ".join(
        docs[p.key][p.start : p.end] for group in shared for p in group.passages
    )


def test_a_short_copy_inside_a_long_page_is_found_by_containment() -> None:
    # Trump's tweet (55 words) quoted whole inside a 321-word article: Jaccard is low.
    docs = CLUSTERS["multinews-val-45369"]
    assert containment(docs["1"], docs["0"]) > 0.9
    assert find_copies(docs) == {"1": "0"}


def test_different_outlets_reporting_one_event_are_not_copies() -> None:
    records = _basil()
    texts = {r["id"]: r["text"] for r in records}
    assert len({r["story"] for r in records}) == 3
    assert find_copies(texts) == {}
    assert shared_paragraphs(texts) == []


def test_the_stream_index_links_copies_to_their_original() -> None:
    index = DuplicateIndex()
    docs = CLUSTERS["multinews-val-45309"]
    assert index.add("reuters", docs["0"]) is None
    assert index.add("repost", docs["1"]) == "reuters"
    # A copy of the copy (the same text again) gets the original, not the copy.
    assert index.add("repost-2", docs["1"]) == "reuters"
    assert index.copies_of("reuters") == ["repost", "repost-2"]
    assert index.original_of("repost-2") == "reuters"
    match = index.match_of("repost")
    assert match is not None and match.covered > 0.9
    with pytest.raises(ValueError, match="already indexed"):
        index.add("reuters", docs["0"])
    index.discard("reuters")
    index.discard("repost")
    index.discard("repost-2")
    assert index.add("again", docs["0"]) is None


def test_copies_are_deterministic_and_follow_input_order() -> None:
    docs = CLUSTERS["multinews-val-49295"]
    reverse = dict(reversed(list(docs.items())))
    # The teaser comes first but lies inside the full story: the full story is the original.
    assert find_copies(reverse) == {"1": "0"}
    index = DuplicateIndex()
    for key, text in reverse.items():
        assert index.add(key, text) is None  # at arrival the full story was not a copy
    assert index.inside_of("0") == ["1"]
    assert [find_copies(docs) for _ in range(3)] == [{"1": "0"}] * 3


def test_adding_a_text_compares_it_with_similar_texts_only() -> None:
    # Cost does not grow with the index: unrelated texts indexed before are never compared.
    texts = [doc for docs in CLUSTERS.values() for doc in docs.values()]
    texts += [r["text"] for r in _basil()]
    probe = CLUSTERS["multinews-val-45309"]["1"]
    small, large = DuplicateIndex(), DuplicateIndex()
    for number, text in enumerate(texts):
        if text != probe:
            large.add(f"t{number}", text)
    small.add("t0", CLUSTERS["multinews-val-45309"]["0"])
    before_small, before_large = small.comparisons, large.comparisons
    assert small.add("probe", probe) == "t0"
    assert large.add("probe", probe) is not None
    assert large.comparisons - before_large == small.comparisons - before_small


def test_passages_cover_the_text_in_order() -> None:
    text = CLUSTERS["multinews-val-47319"]["0"]
    found = passages("a", text)
    assert len(found) > 2
    assert found[0].start == 0 and found[-1].end == len(text.rstrip())
    assert all(a.end <= b.start for a, b in pairwise(found))


def test_stock_text_inside_unrelated_pages_copies_none_of_them() -> None:
    # A 27-word Reuters advertisement page, and the ends of four Reuters articles that carry
    # it (Timeline17 H1N1_reuters): it is stock text, not a copy of any of them; the same
    # advertisement page again is a copy of the first.
    lines = (DATA / "timeline17_stock_text.jsonl").read_text(encoding="utf-8").splitlines()
    texts = {record["id"]: record["text"] for record in map(json.loads, lines)}
    keys = list(texts)
    advert, pages, again = keys[0], keys[1:5], keys[5]
    assert all(containment(texts[advert], texts[page]) > 0.9 for page in pages)
    assert find_copies(texts) == {again: advert}
    # Arriving after the pages, in a stream: inside four unrelated texts, a copy of none.
    index = DuplicateIndex()
    for key in [*pages, advert, again]:
        index.add(key, texts[key])
    assert index.original_of(advert) is None
    assert index.original_of(again) == advert
    assert find_copies({key: texts[key] for key in [*pages, advert, again]}) == {again: advert}
