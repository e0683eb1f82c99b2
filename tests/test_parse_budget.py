"""Stories over the parse budget: leads parsed, the rest split by rules, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analyse import analyse, parse_allowance
from storyline.analyse.segment import sentence_spans
from storyline.ingest import load_articles
from storyline.timeline import build_timeline


def _texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_rules_split_sentences_but_not_abbreviations_or_initials() -> None:
    text = (
        "Gen. Khalifa Haftar said on Monday the U.S. Army was not involved. “We will win,” he "
        "said. The LNA, led by Lt. Col. Ahmed al-Mismari, advanced 5 km.\n"
        "Caption line without a stop\n"
        "Why now? 2018 was the year (Reuters) reported the offensive."
    )
    assert _texts(sentence_spans(text), text) == [
        "Gen. Khalifa Haftar said on Monday the U.S. Army was not involved.",
        "“We will win,” he said.",
        "The LNA, led by Lt. Col. Ahmed al-Mismari, advanced 5 km.",
        "Caption line without a stop",
        "Why now?",
        "2018 was the year (Reuters) reported the offensive.",
    ]
    assert sentence_spans("  \n\n ") == []


def test_allowance_gives_short_articles_all_their_words() -> None:
    assert parse_allowance([100, 200, 300], None) is None
    assert parse_allowance([100, 200, 300], 600) is None
    # 100 fits whole; the other two share the remaining 400.
    assert parse_allowance([100, 200, 300], 500) == 200
    assert parse_allowance([1000] * 10, 300) == 50  # never less than the first sentences


@pytest.fixture(scope="module")
def seed_articles(seed_dir: Path):  # type: ignore[no-untyped-def]
    return load_articles([seed_dir])


def test_a_story_over_budget_keeps_every_sentence_and_parses_only_leads(
    seed_articles,  # type: ignore[no-untyped-def]
) -> None:
    full = analyse(seed_articles, workers=1, parse_words=None)
    budget = sum(len(a.text.split()) for a in seed_articles.articles) // 4
    lean = analyse(seed_articles, workers=1, parse_words=budget)
    assert full.parsed_words_per_article is None
    allowance = lean.parsed_words_per_article
    assert allowance is not None and allowance < max(
        len(a.text.split()) for a in seed_articles.articles
    )
    for whole, part in zip(full.articles, lean.articles):
        text = part.article.text
        # Every sentence is verbatim, numbered in order, and together they cover the text.
        assert [s.index for s in part.sentences] == list(range(len(part.sentences)))
        assert all(text[s.start : s.end] == s.text for s in part.sentences)
        covered = "".join(s.text for s in part.sentences)
        assert covered.replace(" ", "") == "".join(text.split())
        # Names come from the parsed lead only, and that lead is parsed as in the full run.
        if part.entities:
            last = part.entities[-1]
            assert len(text[: last.start].split()) <= allowance + 80
            lead = [e for e in whole.entities if e.end <= last.end]
            assert [(e.text, e.start) for e in part.entities] == [(e.text, e.start) for e in lead]
        # Dates are read from all the text either way.
        assert [t.start for t in part.times] == [t.start for t in whole.times]
    assert sum(len(a.entities) for a in lean.articles) < sum(len(a.entities) for a in full.articles)
    # The timeline reads all sentences: its dates do not depend on the budget.
    assert [e.when for e in build_timeline(lean)] == [e.when for e in build_timeline(full)]


def test_stories_analysed_together_equal_stories_analysed_alone(
    seed_articles,  # type: ignore[no-untyped-def]
    shared_data: Path,
) -> None:
    from storyline.analyse import analyse_many
    from storyline.evaluate.multinews import read_clusters
    from storyline.ingest import articles_from_record
    from storyline.model import IngestResult

    cluster = next(read_clusters(shared_data / "multinews" / "val.jsonl.gz", limit=1))
    small = articles_from_record(cluster, "multinews:1")
    broken = IngestResult(articles=[None], skipped=[])  # type: ignore[list-item]
    together = analyse_many([seed_articles, broken, small])
    assert isinstance(together[1], Exception)
    for ingested, story in ((seed_articles, together[0]), (small, together[2])):
        alone = analyse(ingested, workers=1)
        assert not isinstance(story, Exception)
        assert [s.text for a in story.articles for s in a.sentences] == [
            s.text for a in alone.articles for s in a.sentences
        ]
        assert [(e.text, e.start) for a in story.articles for e in a.entities] == [
            (e.text, e.start) for a in alone.articles for e in a.entities
        ]
        assert [actor.name for actor in story.actors] == [actor.name for actor in alone.actors]


def test_worker_processes_give_the_same_analysis(seed_articles) -> None:  # type: ignore[no-untyped-def]
    alone = analyse(seed_articles, workers=1, parse_words=600)
    pooled = analyse(seed_articles, workers=2, parse_words=600)
    # The story holds the caller's article objects, not the workers' copies.
    assert all(a.article is b for a, b in zip(pooled.articles, seed_articles.articles))
    for one, other in zip(alone.articles, pooled.articles):
        assert [s.text for s in other.sentences] == [s.text for s in one.sentences]
        assert [(e.text, e.start) for e in other.entities] == [
            (e.text, e.start) for e in one.entities
        ]
        assert [(f.value, f.citation) for f in other.figures] == [
            (f.value, f.citation) for f in one.figures
        ]
        assert [q.text for q in other.quotes] == [q.text for q in one.quotes]
    assert [actor.name for actor in pooled.actors] == [actor.name for actor in alone.actors]
