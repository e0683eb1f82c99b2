"""Throughput of ``storyline batch`` on Multi-News against the spaCy floor, same command.

- floor: one plain ``nlp.pipe`` pass of the stock English pipeline (all components) over
  every document of the input, with 2 processes;
- storyline: ``storyline batch INPUT -o OUT --workers 2``: full briefs (cleaning, analysis,
  summary, timeline, JSON) of every cluster.

Target (issue 4): storyline's wall time at most 1.2x the floor; peak memory of the whole
process tree under 1.5 GB.

Run: ``python benchmarks/throughput.py [--limit N] [--data PATH]`` (default: all 5,622
validation clusters of ../shared/data/multinews/val.jsonl.gz; about an hour on 2 cores).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

from _measure import measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "multinews" / "val.jsonl.gz"
FLOOR = """
import gzip, json, sys
from storyline.analyse.nlp import PIPELINE_PACKAGES
import importlib
for name in PIPELINE_PACKAGES:
    try:
        nlp = importlib.import_module(name).load(); break
    except ImportError:
        pass
def texts():
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as lines:
        for line in lines:
            yield from json.loads(line)["documents"]
for _ in nlp.pipe(texts(), n_process=2):
    pass
"""


def _subset(source: Path, limit: int | None, folder: Path) -> tuple[Path, int, int]:
    """The first ``limit`` clusters as a gzipped JSONL file; cluster and word counts."""
    import json

    target = folder / "clusters.jsonl.gz"
    clusters = words = 0
    with gzip.open(source, "rt", encoding="utf-8") as lines, gzip.open(target, "wt") as out:
        for line in lines:
            if limit is not None and clusters >= limit:
                break
            out.write(line)
            clusters += 1
            words += sum(len(doc.split()) for doc in json.loads(line)["documents"])
    return target, clusters, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="first N clusters only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data, clusters, words = _subset(args.data, args.limit, Path(folder))
        floor = measure([sys.executable, "-c", FLOOR, str(data)])
        out = Path(folder) / "briefs.jsonl"
        command = [sys.executable, "-m", "storyline", "batch", str(data), "-o", str(out)]
        ours = measure([*command, "--workers", "2", "-q"])
        written = sum(1 for _ in out.open()) if out.exists() else 0
    if floor.returncode or ours.returncode:
        sys.exit("a run failed")
    print(f"Multi-News: {clusters} clusters, {words:,} words; {written} briefs written")
    print("| run | wall time | per cluster | ratio | peak RSS (tree) | target |")
    print("|---|---|---|---|---|---|")
    print(
        f"| spaCy nlp.pipe, stock pipeline, 2 processes | {floor.seconds:.0f} s | "
        f"{1000 * floor.seconds / clusters:.0f} ms | 1.00 | {floor.peak_rss_mb:.0f} MB | |"
    )
    print(
        f"| storyline batch --workers 2 | {ours.seconds:.0f} s | "
        f"{1000 * ours.seconds / clusters:.0f} ms | {ours.seconds / floor.seconds:.2f} x floor | "
        f"{ours.peak_rss_mb:.0f} MB | <= 1.2 x, < 1.5 GB |"
    )


if __name__ == "__main__":
    main()
