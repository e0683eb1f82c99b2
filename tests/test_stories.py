"""Stories from a heap: clustering on real articles (basil-dev, Multi-News), the store
(idempotent re-runs, a real process killed mid-ingest), ``brief --since``, the commands."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.evaluate.stories import (
    bcubed,
    evaluate_stories,
    load_gold,
    lookalike_pairs,
    lookalike_scores,
    pairwise,
    story_docs,
)
from storyline.ingest import load_articles
from storyline.store import Store
from storyline.stories.cluster import StoryClusterer, cluster, names_of


@pytest.fixture(scope="module")
def basil(shared_data: Path) -> Path:
    return shared_data / "basil-dev" / "articles.jsonl"


@pytest.fixture(scope="module")
def basil_rows(basil: Path) -> list[dict]:
    return [json.loads(line) for line in basil.read_text(encoding="utf-8").splitlines()]


def _events(rows: list[dict], count: int) -> list[dict]:
    """The articles of the first ``count`` events of basil (in file order of their stories)."""
    stories = list(dict.fromkeys(row["story"] for row in rows))[:count]
    return [row for row in rows if row["story"] in stories]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


# ---------------------------------------------------------------- metrics


def test_bcubed_and_pairwise_on_known_partitions() -> None:
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    # All in one story: precision 1/2 for every article, recall 1.
    assert bcubed(["x"] * 4, gold) == (0.5, 1.0, pytest.approx(2 / 3))
    precision, recall, _ = pairwise(["x", "x", "y", "z"], gold)
    assert (precision, recall) == (1.0, 0.5)


# ---------------------------------------------------------------- clustering


def test_names_are_words_capitalised_inside_sentences() -> None:
    text = (
        "Police said Abigail Williams had gone to the trail. The police found "
        "Williams in Delphi on Monday."
    )
    # "Police" opens a sentence and is written lower-case elsewhere; Monday is a weekday.
    assert names_of(text) == ["abigail", "williams", "williams", "delphi"]


def test_basil_events_are_found_and_look_alikes_stay_apart(basil: Path) -> None:
    data = load_gold(basil)
    docs = story_docs(data.articles)
    labels = [a.story for a in cluster(docs)]
    assert labels == [a.story for a in cluster(docs)]  # deterministic
    assert bcubed(labels, data.gold)[2] >= 0.97
    pairs = lookalike_pairs(data.articles, data.gold)
    assert len(pairs) >= 30
    assert lookalike_scores(labels, data.gold, pairs)[2] >= 0.95


def test_an_article_joins_its_event_not_a_look_alike(basil_rows: list[dict]) -> None:
    """Two shutdown events of January 2019, three weeks apart: same words, other days."""
    shutdown = [
        row
        for row in basil_rows
        if row["date"].startswith("2019-01") and "shutdown" in row["text"].lower()
    ]
    stories = Counter(row["story"] for row in shutdown)
    assert len(stories) >= 2
    from storyline.ingest import articles_from_record

    articles = [articles_from_record(row, row["id"]).articles[0] for row in shutdown]
    labels = [a.story for a in cluster(story_docs(articles))]
    gold = [row["story"] for row in shutdown]
    first_day = {s: min(r["date"] for r in shutdown if r["story"] == s) for s in stories}
    early, late = min(stories, key=first_day.get), max(stories, key=first_day.get)
    assert first_day[early] == "2019-01-02" and first_day[late] == "2019-01-25"
    early_labels = {lab for lab, g in zip(labels, gold) if g == early}
    late_labels = {lab for lab, g in zip(labels, gold) if g == late}
    assert not early_labels & late_labels


def test_candidates_come_from_the_index_not_from_every_story(shared_data: Path) -> None:
    data = load_gold(shared_data / "multinews" / "val.jsonl.gz", limit=400)
    clusterer = StoryClusterer()
    docs = story_docs(data.articles)
    clusterer.observe(docs)
    scored = []
    original = clusterer._score

    def counting(story, *args):  # type: ignore[no-untyped-def]
        scored[-1] += 1
        return original(story, *args)

    clusterer._score = counting  # type: ignore[method-assign]
    for doc in docs:
        scored.append(0)
        clusterer.add(doc)
    assert clusterer.open_stories > 300
    assert max(scored) <= clusterer.options.candidates


def test_quiet_stories_close_and_leave_memory(basil: Path) -> None:
    data = load_gold(basil)
    clusterer = StoryClusterer()
    docs = story_docs(data.articles)
    clusterer.observe(docs)
    open_counts = []
    for index in _by_date(docs):
        clusterer.add(docs[index])
        open_counts.append(clusterer.open_stories)
    # Ten years of events, each covered over a few days: few stories are open at once.
    assert max(open_counts) <= 6
    assert clusterer.next_number - 1 >= 45


def _by_date(docs):  # type: ignore[no-untyped-def]
    from storyline.stories.cluster import stream_order

    return stream_order(docs)


def test_state_round_trip_continues_the_same_stream(basil: Path) -> None:
    data = load_gold(basil)
    docs = story_docs(data.articles)
    order = _by_date(docs)
    whole = StoryClusterer()
    whole.observe(docs)
    expected = [whole.add(docs[i]).story for i in order]
    first = StoryClusterer()
    first.observe(docs)
    half = len(order) // 2
    got = [first.add(docs[i]).story for i in order[:half]]
    resumed = StoryClusterer.from_state(json.loads(json.dumps(first.state())))
    got += [resumed.add(docs[i]).story for i in order[half:]]
    assert got == expected


def test_eval_stories_scores_storyline_above_the_baselines_on_basil(basil: Path) -> None:
    result = evaluate_stories(basil)
    rows = {row["system"]: row for row in result.rows()}
    ours = rows["storyline"]["bcubed_f1"]
    agglomerative = max(v["bcubed_f1"] for k, v in rows.items() if "average-link" in k)
    assert ours >= agglomerative
    assert rows["each article alone"]["bcubed_p"] == 1.0
    assert rows["storyline"]["stories"] == pytest.approx(50, abs=3)
    assert "| storyline |" in result.table()


# ---------------------------------------------------------------- store


def test_store_rerun_adds_only_new_articles_and_rebuilds_changed_briefs(
    tmp_path: Path, basil_rows: list[dict]
) -> None:
    rows = _events(basil_rows, 3)
    first = _write_jsonl(tmp_path / "first.jsonl", rows[:-1])
    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        from storyline.store.update import update

        run = update(store, load_articles([first]))
        assert run.new_articles == len(rows) - 1
        assert store.changed_stories() == []
        assert store.count("briefs") == len(run.rebuilt) == store.count("stories")
        again = update(store, load_articles([first]))
        assert again.new_articles == 0 and again.rebuilt == []
        assert [a.story for a in again.assigned] == [a.story for a in run.assigned]
        second = _write_jsonl(tmp_path / "second.jsonl", rows)
        more = update(store, load_articles([second]))
        assert more.new_articles == 1
        last = next(a for a in more.assigned if a.article == rows[-1]["id"])
        assert more.rebuilt == [last.story]
        assert store.count("articles") == len(rows)
        (duplicated,) = store.db.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT hash) FROM articles"
        ).fetchone()
        assert duplicated == 0


def test_a_run_killed_mid_ingest_loses_nothing_and_a_rerun_completes(
    tmp_path: Path, shared_data: Path
) -> None:
    source = shared_data / "multinews" / "val.jsonl.gz"
    lines = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            lines.append(line)
            if len(lines) == 1500:
                break
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(lines), encoding="utf-8")
    expected = len({a.text for a in load_articles([feed]).articles})
    db = tmp_path / "store.sqlite"
    command = [sys.executable, "-m", "storyline", "stories", str(feed), "--store", str(db)]
    command += ["--no-briefs", "-q"]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and process.poll() is None:
            stored = _count(db)
            if stored > 0:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    committed = _count(db)
    assert 0 < committed < expected  # killed mid-ingest, with chunks committed
    with sqlite3.connect(db) as connection:  # what was committed is whole: every article placed
        (unplaced,) = connection.execute(
            "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article FROM story_articles)"
        ).fetchone()
    assert unplaced == 0
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    with sqlite3.connect(db) as connection:
        (articles, distinct) = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT hash) FROM articles"
        ).fetchone()
        (placed,) = connection.execute("SELECT COUNT(*) FROM story_articles").fetchone()
    assert articles == distinct == placed == expected


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


# ---------------------------------------------------------------- commands


def test_stories_command_writes_briefs_index_and_assignments(
    tmp_path: Path, basil_rows: list[dict]
) -> None:
    rows = _events(basil_rows, 2)
    rows.append(dict(rows[0], id="copy-of-first"))  # the same article again, another id
    feed = _write_jsonl(tmp_path / "feed.jsonl", rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["stories", str(feed), "-o", str(out), "--assignments", str(tmp_path / "a.jsonl"), "-q"],
    )
    assert result.exit_code == 0, result.output
    assigned = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [a["article"] for a in assigned] == [row["id"] for row in rows]
    assert assigned[-1]["duplicate_of"] == rows[0]["id"]
    assert assigned[-1]["story"] == assigned[0]["story"]
    by_gold: dict[str, set[str]] = {}
    for row, line in zip(rows, assigned):
        by_gold.setdefault(row["story"], set()).add(line["story"])
    assert all(len(found) == 1 for found in by_gold.values())
    index = json.loads((out / "index.json").read_text())
    assert len(index) == 2
    assert index[0]["articles"] >= index[1]["articles"]
    # The exact repeat is stored once: it is in the assignments, not counted again.
    assert [entry["articles"] for entry in index] == [3, 3]
    for entry in index:
        brief = json.loads((out / entry["files"]["json"]).read_text())
        assert brief["title"] == entry["title"]
        assert (out / entry["files"]["md"]).read_text().startswith("# ")
    assert "| story | title |" in (out / "index.md").read_text()


def test_stories_reads_jsonl_on_stdin(tmp_path: Path, basil_rows: list[dict]) -> None:
    rows = _events(basil_rows, 2)
    text = "".join(json.dumps(row) + "\n" for row in rows) + "{broken\n"
    result = CliRunner().invoke(
        main,
        ["stories", "-", "--no-briefs", "--assignments", str(tmp_path / "a.jsonl")],
        input=text,
    )
    assert result.exit_code == 0, result.output
    assert "<stdin>:7" in result.output and "malformed JSON" in result.output
    assigned = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [a["article"] for a in assigned] == [row["id"] for row in rows]
    assert len({a["story"] for a in assigned}) == 2


def test_brief_since_says_what_a_new_article_added(tmp_path: Path, basil_rows: list[dict]) -> None:
    rows = _events(basil_rows, 1)
    db = tmp_path / "store.sqlite"
    runner = CliRunner()
    first = _write_jsonl(tmp_path / "first.jsonl", rows[:2])
    assert runner.invoke(main, ["stories", str(first), "--store", str(db), "-q"]).exit_code == 0
    moment = _utc_now()
    everything = _write_jsonl(tmp_path / "all.jsonl", rows)
    assert (
        runner.invoke(main, ["stories", str(everything), "--store", str(db), "-q"]).exit_code == 0
    )
    with Store(db) as store:
        (story,) = store.stories()
        assert store.count("briefs") == 2
        old = json.loads(store.brief_json(story.id, before=moment)[0])
        new = json.loads(store.brief_json(story.id)[0])
    result = runner.invoke(
        main,
        ["brief", "--store", str(db), "--story", story.id, "--since", moment, "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    news = json.loads(result.output)
    assert [s["input_id"] for s in news["sources"]] == [rows[2]["id"]]
    old_entries = {(e["date"], e["text"]) for e in old["timeline"]}
    assert all((e["date"], e["text"]) not in old_entries for e in news["timeline"])
    assert len(news["timeline"]) == sum(
        (e["date"], e["text"]) not in old_entries for e in new["timeline"]
    )
    old_quotes = {q["text"] for q in old["quotes"]}
    assert {q["text"] for q in news["quotes"]} == {
        q["text"] for q in new["quotes"] if q["text"] not in old_quotes
    }
    markdown = runner.invoke(
        main, ["brief", "--store", str(db), "--story", story.id, "--since", moment]
    )
    assert "## New sources" in markdown.output and rows[2]["title"][:30] in markdown.output
    full = runner.invoke(main, ["brief", "--store", str(db), "--story", story.id])
    assert full.output.startswith("# ") and "## Timeline" in full.output
    before_all = runner.invoke(
        main, ["brief", "--store", str(db), "--story", story.id, "--since", "2000-01-01"]
    )
    assert "everything is new" in before_all.output
    missing = runner.invoke(main, ["brief", "--store", str(db), "--story", "s999"])
    assert missing.exit_code != 0 and "no brief of story" in missing.output


def _utc_now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).isoformat()
