"""The same `storyline brief` command on the shared benchmark data: a Timeline17 topic
(dozens to hundreds of articles, with a progress bar) and a Multi-News cluster line."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parent.parent / "src" / "storyline" / "schema"


def _run_brief(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", "brief", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def _valid(data: dict) -> None:
    jsonschema.validate(data, json.loads((SCHEMA / "brief.schema.json").read_text()))


def test_brief_of_a_timeline17_topic(shared_data: Path, tmp_path: Path) -> None:
    topic = shared_data / "timeline17" / "H1N1_guardian"
    out = tmp_path / "h1n1.json"
    result = _run_brief(str(topic), "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "analysing" in result.stderr and "article/s" in result.stderr  # the progress bar
    data = json.loads(out.read_text())
    _valid(data)
    with gzip.open(topic / "articles.tokenized.jsonl.gz", "rt") as lines:
        given = sum(1 for _ in lines)
    article_lines = [s for s in data["skipped"] if "articles.tokenized" in s["source"]]
    assert data["stats"]["articles"] + len(article_lines) == given
    assert {Path(s["source"]).name for s in data["skipped"]} >= {"timelines.jsonl", "keywords.json"}
    assert len(data["timeline"]) >= 10
    dates = [entry["date"] for entry in data["timeline"]]
    assert dates == sorted(dates)
    assert any("H1N1" in a["name"] or "WHO" in a["aliases"] for a in data["actors"][:10])
    # PTB escapes were undone before analysis
    assert not any("-LRB-" in s["text"] for s in data["summary"])


def test_brief_of_a_multinews_cluster(shared_data: Path, tmp_path: Path) -> None:
    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt") as lines:
        cluster = json.loads(next(lines))
    source = tmp_path / "cluster.jsonl"
    source.write_text(json.dumps({"id": cluster["id"], "documents": cluster["documents"]}))
    result = _run_brief(str(source), "--format", "json", "--words", "100")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    _valid(data)
    documents = [d for d in cluster["documents"] if d.strip()]
    assert data["stats"]["articles"] + len(data["skipped"]) == len(cluster["documents"])
    assert data["stats"]["articles"] == len(documents)
    assert 0 < sum(len(s["text"].split()) for s in data["summary"]) <= 100
    assert all(s["source"].startswith(f"{source}:1#") for s in data["sources"])
