"""``storyline eval multinews``: storyline's summariser against the classic baselines on
Multi-News under the standard protocol (summaries cut at 230 words; ROUGE-1/2/Lsum F1 with
Porter stemming, one sentence per line for Lsum; mean over clusters).

Every system sees the same analysed story (same cleaning, same sentences), so the table
compares selection methods, not preprocessing.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from storyline.analyse import analyse
from storyline.evaluate.baselines import BASELINES, oracle
from storyline.evaluate.rouge import MULTINEWS_ROUGE_TYPES, multinews_scores
from storyline.ingest import articles_from_record
from storyline.model import Story
from storyline.summarise import summarise

__all__ = ["MultiNewsResult", "evaluate_multinews", "read_clusters"]

PROTOCOL_WORDS = 230
SYSTEMS = ("storyline", *BASELINES, "oracle")


@dataclass
class MultiNewsResult:
    clusters: int = 0
    totals: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    analysis_seconds: float = 0.0

    def mean(self, system: str) -> dict[str, float]:
        return {
            metric: 100 * self.totals[system][metric] / max(self.clusters, 1)
            for metric in MULTINEWS_ROUGE_TYPES
        }

    def table(self) -> str:
        """Markdown table: one row per system, ROUGE F1 x 100 and time per cluster."""
        lines = [
            f"Multi-News, {self.clusters} clusters, summaries cut at {PROTOCOL_WORDS} words; "
            f"shared analysis (spaCy, cleaning) {self._per_cluster(self.analysis_seconds)}",
            "",
            "| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | selection time / cluster |",
            "|---|---|---|---|---|",
        ]
        for system in self.totals:
            scores = self.mean(system)
            lines.append(
                f"| {system} | {scores['rouge1']:.2f} | {scores['rouge2']:.2f} | "
                f"{scores['rougeLsum']:.2f} | {self._per_cluster(self.seconds[system])} |"
            )
        return "\n".join(lines)

    def _per_cluster(self, seconds: float) -> str:
        return f"{1000 * seconds / max(self.clusters, 1):.1f} ms/cluster"


def read_clusters(path: str | Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Cluster records of a Multi-News JSONL(.gz) file: ``id``, ``documents``, ``summary``."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if limit is not None and number > limit:
                return
            if line.strip():
                record = json.loads(line)
                record.setdefault("id", f"line-{number}")
                yield record


def _oracle_scorer(reference: str):  # -> Callable[[str], float]
    """ROUGE-1 + ROUGE-2 recall-oriented F1 against ``reference``, fast enough to call for
    every candidate sentence of the greedy oracle (rouge-score's own tokenizer and stemmer,
    counts precomputed for the reference)."""
    from rouge_score.tokenizers import DefaultTokenizer

    tokenizer = DefaultTokenizer(use_stemmer=True)
    reference_tokens = tokenizer.tokenize(reference)
    reference_grams = [
        Counter(reference_tokens),
        Counter(pairwise(reference_tokens)),
    ]

    def score(text: str) -> float:
        tokens = tokenizer.tokenize(" ".join(text.split()[:PROTOCOL_WORDS]))
        total = 0.0
        for grams, reference_counts in zip(
            (Counter(tokens), Counter(pairwise(tokens))), reference_grams
        ):
            overlap = sum((grams & reference_counts).values())
            if overlap:
                precision = overlap / sum(grams.values())
                recall = overlap / sum(reference_counts.values())
                total += 2 * precision * recall / (precision + recall)
        return total

    return score


def _summaries(story: Story, reference: str) -> Iterator[tuple[str, list[str], float]]:
    started = time.perf_counter()
    texts = [s.text for s in summarise(story, words=PROTOCOL_WORDS)]
    yield "storyline", texts, time.perf_counter() - started
    for name, system in BASELINES.items():
        started = time.perf_counter()
        texts = system(story, PROTOCOL_WORDS)
        yield name, texts, time.perf_counter() - started
    started = time.perf_counter()
    texts = oracle(story, PROTOCOL_WORDS, _oracle_scorer(reference))
    yield "oracle", texts, time.perf_counter() - started


def evaluate_multinews(
    path: str | Path,
    *,
    limit: int | None = None,
    predictions: IO[str] | None = None,
    progress: bool = True,
) -> MultiNewsResult:
    """Score storyline and the baselines on the clusters of ``path``.

    ``predictions``: where to write ``{"id", "summary"}`` lines of storyline's summaries
    (sentences joined by newlines).
    """
    result = MultiNewsResult(
        totals={system: Counter() for system in SYSTEMS},
        seconds=dict.fromkeys(SYSTEMS, 0.0),
    )
    clusters = read_clusters(path, limit)
    for record in tqdm(
        clusters, total=limit, desc="clusters", unit="cluster", disable=not progress
    ):
        started = time.perf_counter()
        ingested = articles_from_record(record, f"{path}:{record['id']}")
        story = analyse(ingested, workers=1)
        result.analysis_seconds += time.perf_counter() - started
        reference = record.get("summary", "")
        for system, texts, seconds in _summaries(story, reference):
            summary = "\n".join(texts)
            result.totals[system].update(
                multinews_scores(summary, reference, max_words=PROTOCOL_WORDS)
            )
            result.seconds[system] += seconds
            if system == "storyline" and predictions is not None:
                predictions.write(json.dumps({"id": record["id"], "summary": summary}) + "\n")
        result.clusters += 1
    return result
