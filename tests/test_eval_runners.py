"""The benchmark commands on small real samples: tables, predictions files, baselines."""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.evaluate.baselines import lead, take_until
from storyline.evaluate.multinews import evaluate_multinews


def _multinews_sample(shared_data: Path, tmp_path: Path, clusters: int) -> Path:
    sample = tmp_path / "sample.jsonl"
    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt") as lines:
        sample.write_text("".join(itertools.islice(lines, clusters)))
    return sample


def test_multinews_table_ranks_the_oracle_first(shared_data: Path, tmp_path: Path) -> None:
    sample = _multinews_sample(shared_data, tmp_path, 4)
    with (tmp_path / "pred.jsonl").open("w") as out:
        result = evaluate_multinews(sample, predictions=out, progress=False)
    assert result.clusters == 4
    scores = {system: result.mean(system) for system in result.totals}
    assert set(scores) == {"storyline", "lead", "lexrank", "textrank", "tfidf-centroid", "oracle"}
    for system, values in scores.items():
        assert 10 < values["rouge1"] < 70, system
        assert values["rouge2"] < values["rouge1"]
    assert scores["oracle"]["rouge1"] >= max(v["rouge1"] for v in scores.values())
    predictions = [json.loads(line) for line in (tmp_path / "pred.jsonl").read_text().splitlines()]
    ids = [json.loads(line)["id"] for line in sample.read_text().splitlines()]
    assert [p["id"] for p in predictions] == ids
    assert all(p["summary"].strip() for p in predictions)


def test_lead_takes_sentences_round_robin(shared_data: Path, tmp_path: Path) -> None:
    from storyline.analyse import analyse
    from storyline.ingest import articles_from_record

    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt") as lines:
        record = json.loads(next(lines))
    story = analyse(articles_from_record(record, "sample"), workers=1)
    chosen = lead(story, 60)
    firsts = [a.sentences[0].text for a in story.articles if len(a.sentences[0].text.split()) >= 8]
    assert chosen[: len(firsts)] == firsts[: len(chosen)]
    assert take_until(["one two three", "four five", "six"], 4) == ["one two three", "four five"]


def test_eval_timeline17_command_on_a_small_topic(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "timeline17" / "H1N1_guardian"
    topic = tmp_path / "data" / "h1n1"
    topic.mkdir(parents=True)
    with gzip.open(source / "articles.tokenized.jsonl.gz", "rt") as lines:
        articles = list(itertools.islice(lines, 25))
    (topic / "articles.jsonl").write_text("".join(articles))
    (topic / "timelines.jsonl").write_text((source / "timelines.jsonl").read_text())
    (topic / "keywords.json").write_text((source / "keywords.json").read_text())
    predictions = tmp_path / "t17.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "storyline", "eval", "timeline17", str(tmp_path / "data"),
         "--predictions", str(predictions), "-q"],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {line.split("|")[1].strip(): line for line in result.stdout.splitlines()[3:]}
    assert {"storyline", "random dates", "most-published dates"} <= set(rows)
    (line,) = predictions.read_text().splitlines()
    predicted = json.loads(line)
    assert predicted["topic"] == "h1n1" and predicted["timeline"]
    reference = json.loads((source / "timelines.jsonl").read_text().splitlines()[0])
    days = sorted(day[:10] for day, _ in reference)
    first, last = days[0], days[-1]
    assert all(first <= day <= last for day, _ in predicted["timeline"])
    assert len(predicted["timeline"]) <= len(reference)


def test_eval_timeline17_rejects_a_folder_without_topics(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "storyline", "eval", "timeline17", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "no topic folder" in result.stderr


@pytest.mark.parametrize("words", [30, 230])
def test_take_until_stops_once_the_budget_is_reached(words: int) -> None:
    texts = ["word " * 20] * 20
    chosen = take_until(texts, words)
    assert sum(len(t.split()) for t in chosen[:-1]) < words <= sum(len(t.split()) for t in chosen)
