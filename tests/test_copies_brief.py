"""Syndicated copies in the brief: one source listing every outlet, quotes once, agreement
across independent reports only (real text: Reuters write-throughs and CNN reports of
2011-02-21 from Timeline17, Multi-News excerpts)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from storybuild import make_story

from storyline import brief
from storyline.analyse.repeats import list_quotes, report_keys
from storyline.analyse.segment import sentence_spans
from storyline.model import AnalysedArticle, Article, Brief, Quote, Sentence
from storyline.render import render_json, render_markdown
from storyline.stories.copies import mark_copies
from storyline.summarise.features import FEATURE_NAMES, candidate_features, candidates

DATA = Path(__file__).parent / "data"
SCHEMA = Path(__file__).resolve().parent.parent / "src" / "storyline" / "schema"
LIBYA = DATA / "timeline17_libya_copies.jsonl"


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


@pytest.fixture(scope="module")
def libya() -> Brief:
    # a1 Reuters (18:51 EST), a2 CNN, a3 Reuters (another story), a4 Reuters (the a1 story
    # as sent at 23:52 GMT), a5 Reuters (Rome), a6 CNN.
    return brief(LIBYA)


def _report(story, citation) -> str:
    return story.report_of(citation.article_id, citation.sentence_index)


def test_the_rewritten_wire_story_is_a_copy_of_its_first_version(libya: Brief) -> None:
    assert [a.copy_of for a in libya.articles] == [None, None, None, "a1", None, None]
    assert libya.story.report_of("a4", 7) == "a1"
    assert libya.story.report_of("a2", 4) == "a2"


def test_quotes_are_listed_once_with_every_outlet(libya: Brief) -> None:
    quotes = libya.story.quotes
    texts = [_normal(q.text) for q in quotes]
    assert len(texts) == len(set(texts))
    per_article = sum(len(a.quotes) for a in libya.story.articles)
    assert len(quotes) < per_article
    witnessing = [q for q in quotes if "witnessing today is unimaginable" in q.text]
    assert len(witnessing) == 1
    cited = [witnessing[0].citation, *witnessing[0].repeats]
    assert sorted(c.article_id for c in cited) == ["a1", "a4"]


def test_one_statement_quoted_by_several_outlets_is_listed_once() -> None:
    # Clinton's words as Reuters (both versions, one misspelling them) and CNN quote them;
    # the quotes are cut from the real sentences (their extraction is tested elsewhere).
    records = [json.loads(line) for line in LIBYA.read_text().splitlines()]
    analysed = []
    for number, record in ((1, records[0]), (2, records[1]), (4, records[3])):
        article = Article(
            id=f"a{number}", source=record["id"], text=record["text"], outlet=record["outlet"]
        )
        start = next(m.start() for m in re.finditer(r"[^\n]*time to stop[^\n]*", article.text))
        end = article.text.index("\n", start)
        sentence = Sentence(article.id, 0, start, end, article.text[start:end])
        quoted = re.search(r"` `\s*(.*?bloodshed)", sentence.text)
        assert quoted is not None
        quote = Quote(quoted.group(1), "Hillary Clinton", sentence.citation)
        analysed.append(AnalysedArticle(article, [sentence], [], [], [], [quote]))
    quotes = list_quotes(analysed)
    assert len(quotes) == 1
    assert quotes[0].text.startswith("Now is the time")  # the fullest wording is shown
    cited = [quotes[0].citation, *quotes[0].repeats]
    assert sorted(c.article_id for c in cited) == ["a1", "a2", "a4"]
    assert quotes[0].outlets == ["Reuters", "CNN"]


def test_figures_agree_only_across_independent_reports(libya: Brief) -> None:
    story = libya.story
    for figure in story.figures:
        reports = {_report(story, report.citation) for report in figure.reports}
        assert len(reports) == len(figure.reports), figure
        if figure.status == "single":
            assert len(reports) == 1
        else:
            assert len(reports) >= 2
    # The oil price is in both versions of one Reuters story only: reported once.
    price = [f for f in story.figures if f.category == "money"]
    assert len(price) == 1 and price[0].status == "single"
    report = price[0].reports[0]
    assert [c.article_id for c in [report.citation, *report.repeats]] == ["a1", "a4"]
    assert report.outlets == ["Reuters"]


def test_summary_and_timeline_cite_a_copied_sentence_once(libya: Brief) -> None:
    story = libya.story
    summary = [_normal(s.text) for s in libya.summary]
    assert len(summary) == len(set(summary))
    for entry in libya.timeline:
        reports = [_report(story, citation) for citation in entry.citations]
        assert len(reports) == len(set(reports)), entry


def test_markdown_collapses_a_copy_into_its_source(libya: Brief) -> None:
    text = render_markdown(libya)
    assert "6 articles (5 independent, 1 copies)" in text
    sources = text.split("## Sources", 1)[1]
    rows = [line for line in sources.splitlines() if line.startswith("| a")]
    assert [row.split("|")[1].split()[0] for row in rows] == ["a1", "a2", "a3", "a5", "a6"]
    assert "| a4 (Reuters) |" in rows[0]
    assert "- a4 (LibyaWar_reuters-130): Reuters, 2011-02-21" in sources
    assert "copy of a1" in sources


def test_json_says_which_article_copies_which(libya: Brief) -> None:
    data = json.loads(render_json(libya))
    jsonschema.validate(data, json.loads((SCHEMA / "brief.schema.json").read_text()))
    sources = {source["id"]: source for source in data["sources"]}
    assert sources["a4"]["copy_of"] == "a1" and sources["a4"]["own_words"] == 0
    assert sources["a1"]["copies"] == ["a4"] and sources["a1"]["outlets"] == ["Reuters"]
    assert data["stats"]["copies"] == 1
    for repeated in sources["a4"]["repeated"]:
        source = sources[repeated["article"]]["text"]
        copied = sources["a4"]["text"][repeated["start"] : repeated["end"]]
        original = source[repeated["source_start"] : repeated["source_end"]]
        assert _normal(copied)[:20] == _normal(original)[:20] or _normal(copied) in _normal(
            original
        )
    witnessing = [q for q in data["quotes"] if "witnessing today" in q["text"]]
    assert len(witnessing) == 1 and len(witnessing[0]["repeats"]) == 1
    assert witnessing[0]["outlets"] == ["Reuters"]  # both versions are Reuters'


def _articles(docs: dict[str, str]) -> list[AnalysedArticle]:
    """Articles split into sentences by rule (no parse needed for what is tested here)."""
    analysed = []
    for key, text in docs.items():
        article = Article(id=key, source=f"{key}.txt", text=text, date=dt.date(2018, 10, 25))
        sentences = [
            Sentence(key, index, start, end, text[start:end])
            for index, (start, end) in enumerate(sentence_spans(text))
        ]
        analysed.append(AnalysedArticle(article, sentences, [], [], [], []))
    return analysed


def test_an_article_embedding_a_wire_lead_keeps_its_own_reporting() -> None:
    # CBS carried the AP lead, then its own reporting (Multi-News validation cluster 46550).
    record = next(
        json.loads(line)
        for line in (DATA / "multinews_copies.jsonl").read_text().splitlines()
        if json.loads(line)["id"] == "multinews-val-46550"
    )
    docs = {"ap": record["documents"][2], "furniture": record["documents"][1]}
    docs["cbs"] = record["documents"][0]
    analysed = _articles(docs)
    mark_copies([item.article for item in analysed])
    assert [item.article.copy_of for item in analysed] == [None, None, None]
    keys = report_keys(analysed)
    cbs = analysed[2]
    repeated = [s for s in cbs.sentences if keys.get(("cbs", s.index)) == "ap"]
    own = [s for s in cbs.sentences if ("cbs", s.index) not in keys]
    assert any("they lynched my baby" in s.text for s in repeated)
    assert any("sick with grief" in s.text for s in own)
    assert any("kmov-tv" in s.text for s in own)


def test_a_copy_lends_no_support_to_the_summary() -> None:
    # Two versions of the Reuters story and a CNN report; the copy must not raise the
    # support of the original's sentences (nor count as one more article).
    lines = [json.loads(line) for line in LIBYA.read_text().splitlines()]
    chosen = [lines[0], lines[3], lines[1]]
    story = make_story([(f"a{n}", None, r["text"].split("\n")) for n, r in enumerate(chosen)])
    alone = make_story([(f"a{n}", None, r["text"].split("\n")) for n, r in enumerate(chosen)])
    story.articles[1].article.copy_of = "a0"
    story.reports = report_keys(story.articles)
    found = [c for c in candidates(story) if c.article.article.id == "a0"]
    with_copy = candidate_features(story, found)
    without = candidate_features(alone, [c for c in candidates(alone) if c.article_order == 0])
    support = FEATURE_NAMES.index("support_max")
    articles = FEATURE_NAMES.index("articles_log")
    # Unmarked, the copy repeats most sentences word for word.
    assert np.mean(without[:, support] > 0.99) > 0.8
    assert np.all(with_copy[:, support] < 0.99)
    assert np.allclose(with_copy[:, articles], np.log(2))


def test_an_undated_copy_takes_the_date_of_the_wire_story_it_copies(tmp_path: Path) -> None:
    records = [json.loads(line) for line in LIBYA.read_text(encoding="utf-8").splitlines()]
    original, copy = records[0], records[3]  # the Reuters story and its 23:52 GMT version
    # the copy loses its date and its timestamp line: nothing in it pins the day any more
    undated = {key: value for key, value in copy.items() if key != "date"}
    undated["text"] = copy["text"].split("\n", 1)[1]
    path = tmp_path / "copies.jsonl"
    path.write_text(
        "\n".join(json.dumps(record) for record in (original, records[1], undated)),
        encoding="utf-8",
    )
    result = brief(path)
    dated, _, copied = result.articles
    assert copied.copy_of == dated.id
    assert copied.published is not None and not copied.published.read
    assert copied.published.exact == dt.date(2011, 2, 21)
    assert any(clue.reason == f"copy of {dated.id}" for clue in copied.published.clues)
