"""Story clustering speed and memory from 1,000 to 100,000 articles, plotted to docs/.

The stream is Multi-News validation (15,309 documents of 5,622 stories) read again and again:
each pass re-spells every word with a pass mark (so no pass copies another and the vocabulary
grows as a real feed's would, if anything faster) and is dated after the one before it, 150
stories a day, a story's documents over up to three days. Articles are fed one at a time to
one ``StoryClusterer`` (document frequencies learnt online), in one process on one core;
CPU time and resident memory are read at each checkpoint. Clustering only: reading and
cleaning the text (shared with the briefs) happen before, and are not timed.

Run: ``python benchmarks/story_clustering.py [--articles 100000]
[--plot docs/story-clustering.png]`` (needs the ``bench`` extra for psutil and matplotlib).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from storyline.ingest import articles_from_record
from storyline.stories.cluster import StoryClusterer, StoryDoc

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CHECKPOINTS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
STORIES_PER_DAY = 150
_LONG_WORD = re.compile(r"\b([A-Za-z]{3,})\b")


def _clusters(shared: Path) -> list[list[str]]:
    clusters = []
    with gzip.open(shared / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            ingested = articles_from_record(json.loads(line), f"val:{number}")
            clusters.append([article.text for article in ingested.articles])
    return clusters


def stream(clusters: list[list[str]], count: int) -> Iterator[StoryDoc]:
    start = dt.date(2000, 1, 1)
    made = 0
    passes = 0
    while True:
        mark = "" if passes == 0 else "xqz"[passes % 3] * (1 + passes // 3)
        for number, texts in enumerate(clusters):
            day = start + dt.timedelta(days=(passes * len(clusters) + number) // STORIES_PER_DAY)
            for offset, text in enumerate(texts):
                if mark:
                    text = _LONG_WORD.sub(r"\1" + mark, text)
                yield StoryDoc(
                    f"{passes}:{number}:{offset}", text, None, day + dt.timedelta(offset % 3)
                )
                made += 1
                if made >= count:
                    return
        passes += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "story-clustering.png")
    parser.add_argument("--shared", type=Path, default=SHARED)
    arguments = parser.parse_args()
    clusters = _clusters(arguments.shared)
    process = psutil.Process()
    base_rss = process.memory_info().rss / 2**20
    clusterer = StoryClusterer()
    rows = []
    cpu = 0.0
    started = time.process_time()
    for index, doc in enumerate(stream(clusters, arguments.articles), 1):
        # The re-spelling above is the benchmark's, not the clusterer's: keep it off the clock.
        before = time.process_time()
        clusterer.add(doc)
        cpu += time.process_time() - before
        if index in CHECKPOINTS:
            rss = process.memory_info().rss / 2**20
            rows.append((index, cpu, rss - base_rss, clusterer.open_stories))
            print(
                f"{index:>7,} articles  {cpu:7.1f} s CPU  {1000 * cpu / index:5.2f} ms/article  "
                f"{index / cpu:6.0f} articles/s  +{rss - base_rss:6.0f} MB  "
                f"{clusterer.open_stories:>6,} open  {clusterer.next_number - 1:>7,} stories",
                flush=True,
            )
    print(
        f"total CPU with stream generation {time.process_time() - started:.1f} s", file=sys.stderr
    )
    print("\n| articles | CPU time | ms / article | articles / s | memory added | open stories |")
    print("|---|---|---|---|---|---|")
    for count, seconds, rss, open_stories in rows:
        print(
            f"| {count:,} | {seconds:.1f} s | {1000 * seconds / count:.2f} | "
            f"{count / seconds:.0f} | {rss:.0f} MB | {open_stories:,} |"
        )
    if arguments.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
        counts = [row[0] for row in rows]
        left.plot(counts, [row[1] for row in rows], marker="o")
        left.set(xlabel="articles", ylabel="CPU seconds", title="clustering time")
        right.plot(counts, [row[2] for row in rows], marker="o", color="tab:orange")
        right.set(xlabel="articles", ylabel="MB above start", title="resident memory")
        for axis in (left, right):
            axis.grid(alpha=0.3)
        figure.tight_layout()
        figure.savefig(arguments.plot, dpi=100)
        print(f"\nplot: {arguments.plot}")


if __name__ == "__main__":
    main()
