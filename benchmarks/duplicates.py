"""Syndicated-copy detection (storyline.stories.duplicates) against exact labels, and its speed
against an exact all-pairs comparison, in one command.

Gold labels come from an independent, exact method: two texts of one Multi-News cluster or
one Timeline17 topic are copies when at least 80% of the shorter text's words lie in runs of
8 or more consecutive words it shares with the longer one (difflib's longest-common-substring
matching on word sequences, order-preserving; texts under 14 words are never copies), except
that a text inside three or more texts that are not copies of each other is stock text (an
ad or notice on every page of a site: Timeline17's Reuters pages), a copy of none. Pairs
are labelled exactly only when they share at least 10% of the shorter text's word 8-grams,
which every pair reaching 80% coverage does (each shared run of L >= 8 words gives L - 7
shared 8-grams); the others are non-copies. *Hard negatives* are pairs of one story that share
a run but stay under 80%: a rewritten wire lead, a shared quote, page furniture.

Measured:
- detection: ``find_copies`` per cluster/topic; a pair is found when both texts end in one
  copy group; an article is found when it is in a group and a gold copy of it is too.
- speed: all texts of both sets pooled in input order, added to one ``DuplicateIndex``, beside
  an exact all-pairs baseline (word 5-gram containment of every pair, numpy set intersection)
  on the first ``--pairs-texts`` of them; and the cost of adding a text as the index grows.

Run: ``python benchmarks/duplicates.py [--limit-clusters N] [--topics a,b] [--pairs-texts N]``
(defaults: all 5,622 Multi-News validation clusters, all 17 Timeline17 topics, 5,000 texts for
the all-pairs baseline; about 5 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from storyline import settings
from storyline.stories.duplicates import DuplicateIndex, find_copies, shingles

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
WORD = re.compile(r"[^\W_]+")
RUN_WORDS = 8
GOLD_COVERAGE = 0.8
MIN_WORDS = 14
PREFILTER = 0.1
STOCK_CONTAINERS = 3


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def grams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + RUN_WORDS]) for i in range(len(tokens) - RUN_WORDS + 1)}


def run_coverage(shorter: list[str], longer: list[str]) -> float:
    """Share of ``shorter``'s words in common runs of >= RUN_WORDS words with ``longer``."""
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    covered = sum(b.size for b in matcher.get_matching_blocks() if b.size >= RUN_WORDS)
    return covered / len(shorter)


@dataclass
class Labels:
    copies: set[tuple[str, str]] = field(default_factory=set)
    hard: set[tuple[str, str]] = field(default_factory=set)
    pairs: int = 0


_ORDER: dict[str, int] = {}


def label(texts: dict[str, str]) -> Labels:
    """Gold copy pairs and hard negatives among the texts of one story (see module doc)."""
    _ORDER.clear()
    _ORDER.update({key: number for number, key in enumerate(texts)})
    tokens = {key: words(text) for key, text in texts.items()}
    shingled = {key: grams(value) for key, value in tokens.items()}
    labels = Labels()
    inside: dict[str, list[str]] = {}
    for a, b in itertools.combinations(texts, 2):
        labels.pairs += 1
        short, long = (a, b) if len(tokens[a]) <= len(tokens[b]) else (b, a)
        if len(tokens[short]) < MIN_WORDS or not shingled[short]:
            continue
        shared = len(shingled[short] & shingled[long])
        if shared < PREFILTER * len(shingled[short]):
            continue
        pair = (a, b)
        if run_coverage(tokens[short], tokens[long]) >= GOLD_COVERAGE:
            labels.copies.add(pair)
            inside.setdefault(short, []).append(long)
        else:
            labels.hard.add(pair)
    for short, containers in inside.items():
        independent: list[str] = []
        for container in containers:
            if all(_pair(container, other) not in labels.copies for other in independent):
                independent.append(container)
        if len(independent) < STOCK_CONTAINERS:
            continue
        for container in containers:
            mutual = len(tokens[container]) <= 1.25 * len(tokens[short]) and (
                run_coverage(tokens[container], tokens[short]) >= GOLD_COVERAGE
            )
            if not mutual:
                pair = _pair(short, container)
                labels.copies.discard(pair)
                labels.hard.add(pair)
    return labels


def _pair(a: str, b: str) -> tuple[str, str]:
    """The pair as ``label`` stores it (input order)."""
    return (a, b) if _ORDER[a] < _ORDER[b] else (b, a)


def multinews(limit: int | None) -> Iterator[tuple[str, dict[str, str]]]:
    with gzip.open(DATA / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            record = json.loads(line)
            documents = enumerate(record["documents"])
            yield record["id"], {f"{record['id']}#{k}": t for k, t in documents}


def timeline17(topics: list[str] | None) -> Iterator[tuple[str, dict[str, str]]]:
    for folder in sorted((DATA / "timeline17").iterdir()):
        if not folder.is_dir() or (topics and folder.name not in topics):
            continue
        path = folder / "articles.tokenized.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        yield folder.name, {f"{folder.name}/{r['id']}": r["text"] for r in records}


@dataclass
class Scores:
    texts: int = 0
    pairs: int = 0
    gold_pairs: int = 0
    found_pairs: int = 0
    right_pairs: int = 0
    hard: int = 0
    hard_merged: int = 0
    gold_articles: int = 0
    found_articles: int = 0
    right_articles: int = 0
    label_seconds: float = 0.0
    detect_seconds: float = 0.0

    def add(self, texts: dict[str, str]) -> None:
        started = time.perf_counter()
        labels = label(texts)
        self.label_seconds += time.perf_counter() - started
        started = time.perf_counter()
        copies = find_copies(texts)
        self.detect_seconds += time.perf_counter() - started
        group = {key: copies.get(key, key) for key in texts}
        members: dict[str, int] = {}
        for root in group.values():
            members[root] = members.get(root, 0) + 1
        self.texts += len(texts)
        self.pairs += labels.pairs
        self.gold_pairs += len(labels.copies)
        self.hard += len(labels.hard)
        found = {(a, b) for a, b in itertools.combinations(texts, 2) if group[a] == group[b]}
        self.found_pairs += len(found)
        self.right_pairs += len(found & labels.copies)
        self.hard_merged += len(found & labels.hard)
        partners: dict[str, set[str]] = {}
        for a, b in labels.copies:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        self.gold_articles += len(partners)
        for key in texts:
            if members[group[key]] > 1:
                self.found_articles += 1
                mates = {other for other in texts if other != key and group[other] == group[key]}
                self.right_articles += bool(mates & partners.get(key, set()))

    def row(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "n/a"

        return (
            f"| {name} | {self.texts:,} | {self.pairs:,} | {self.gold_pairs:,} | {self.hard:,} | "
            f"{ratio(self.right_pairs, self.found_pairs)} | "
            f"{ratio(self.right_pairs, self.gold_pairs)} | "
            f"{ratio(self.right_articles, self.found_articles)} | "
            f"{ratio(self.right_articles, self.gold_articles)} | {self.hard_merged:,} |"
        )


def all_pairs_exact(texts: list[str]) -> tuple[float, int]:
    """Seconds to compare every pair exactly (word 5-gram containment) and the copies found."""
    started = time.perf_counter()
    sets = [shingles(text) for text in texts]
    found = 0
    for i, a in enumerate(sets):
        if a.size < settings.DUPLICATE_MIN_SHINGLES:
            continue
        for b in sets[:i]:
            if b.size < settings.DUPLICATE_MIN_SHINGLES:
                continue
            common = np.intersect1d(a, b, assume_unique=True).size
            if common >= settings.DUPLICATE_CONTAINMENT * min(a.size, b.size):
                found += 1
                break
    return time.perf_counter() - started, found


def indexed(texts: list[str]) -> tuple[float, int, list[float], list[int]]:
    """Seconds to add every text to one index, copies found, and the cost per 1,000 added."""
    index = DuplicateIndex()
    found = 0
    per_thousand: list[float] = []
    comparisons: list[int] = []
    started = time.perf_counter()
    block = time.perf_counter()
    compared = 0
    for number, text in enumerate(texts, 1):
        found += index.add(str(number), text) is not None
        if number % 1000 == 0:
            now = time.perf_counter()
            per_thousand.append(now - block)
            comparisons.append(index.comparisons - compared)
            block, compared = now, index.comparisons
    return time.perf_counter() - started, found, per_thousand, comparisons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-clusters", type=int, default=None)
    parser.add_argument("--topics", default=None, help="comma-separated Timeline17 topics")
    parser.add_argument("--pairs-texts", type=int, default=5000)
    args = parser.parse_args()
    topics = args.topics.split(",") if args.topics else None

    print(f"# Duplicate detection, {dt.date.today().isoformat()}\n")
    print(
        "| set | texts | pairs | gold copy pairs | hard negatives | pair precision | "
        "pair recall | article precision | article recall | hard negatives merged |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    pooled: list[str] = []
    for name, stories in (
        ("Multi-News val (clusters)", multinews(args.limit_clusters)),
        ("Timeline17 (topics)", timeline17(topics)),
    ):
        scores = Scores()
        for _, texts in stories:
            scores.add(texts)
            pooled += texts.values()
        print(scores.row(name), flush=True)
        print(
            f"<!-- {name}: labelling {scores.label_seconds:.1f} s, "
            f"find_copies {scores.detect_seconds:.1f} s -->"
        )

    sample = pooled[: args.pairs_texts]
    exact_seconds, exact_found = all_pairs_exact(sample)
    index_seconds, index_found, _, _ = indexed(sample)
    print(
        f"\nSpeed on the first {len(sample):,} pooled texts (input order): exact all-pairs "
        f"{exact_seconds:.1f} s ({exact_found} copies), DuplicateIndex {index_seconds:.1f} s "
        f"({index_found} copies): {exact_seconds / index_seconds:.1f}x faster."
    )
    total, found, per_thousand, comparisons = indexed(pooled)
    print(
        f"\nAll {len(pooled):,} pooled texts in one DuplicateIndex: {total:.1f} s "
        f"({1000 * total / len(pooled):.2f} ms per text), {found:,} copies.\n"
    )
    print("| texts added | seconds per 1,000 added | exact comparisons per text added |")
    print("|---|---|---|")
    for number, (seconds, compared) in enumerate(zip(per_thousand, comparisons), 1):
        if number in (1, 2, 5) or number % 5 == 0 or number == len(per_thousand):
            print(f"| {1000 * number:,} | {seconds:.2f} | {compared / 1000:.2f} |")


if __name__ == "__main__":
    main()
