"""Train the learned sentence scorer on Multi-News clusters (numpy only, deterministic).

    python -m storyline.summarise.train ../shared/data/multinews/val.jsonl.gz --skip 1000 \\
        -o src/storyline/summarise/data/scorer.json

Each candidate sentence of a cluster (see :func:`storyline.summarise.features.candidates`)
is labelled by how much of the reference summary it covers per word: ROUGE-1 plus ROUGE-2
precision against the reference (rouge-score's tokenizer with Porter stemming, as in the
evaluation). Precision, not F1 or recall, because the summary has a fixed word budget: what a
sentence is worth is the reference n-grams it brings per word it spends. The scorer is fitted
to the labels centred per cluster (only the order within a story matters).

The first 1000 validation clusters are for evaluation (``--skip 1000``): never train on them.
Needs ``rouge-score`` (the ``eval`` extra) for the labels.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import numpy as np

from storyline.model import Story
from storyline.summarise.features import FEATURE_NAMES, Candidate, candidate_features, candidates

__all__ = ["ClusterExamples", "cluster_examples", "fit", "label_components", "labels", "main"]

# ROUGE-1 precision, ROUGE-1 recall, ROUGE-2 precision, ROUGE-2 recall of the sentence alone,
# and whether the greedy oracle (ROUGE-1 + ROUGE-2 F1 of the whole summary) picks it.
COMPONENTS = ("r1_precision", "r1_recall", "r2_precision", "r2_recall", "oracle")
# The evaluation's budget: the oracle picks sentences until it is spent.
ORACLE_WORDS = 230


@dataclass
class ClusterExamples:
    features: np.ndarray  # candidates x FEATURE_NAMES
    components: np.ndarray  # candidates x COMPONENTS
    words: np.ndarray  # words per candidate


def label_components(found: list[Candidate], reference: str) -> np.ndarray:
    """ROUGE-1/2 precision and recall of each candidate against ``reference``."""
    from rouge_score.tokenizers import DefaultTokenizer

    tokenizer = DefaultTokenizer(use_stemmer=True)
    tokens = tokenizer.tokenize(reference)
    reference_grams = (Counter(tokens), Counter(pairwise(tokens)))
    rows = np.zeros((len(found), len(COMPONENTS)))
    sentence_grams = []
    for row, candidate in enumerate(found):
        sentence_tokens = tokenizer.tokenize(candidate.sentence.text)
        grams = (Counter(sentence_tokens), Counter(pairwise(sentence_tokens)))
        sentence_grams.append(grams)
        for n, (mine, theirs) in enumerate(zip(grams, reference_grams)):
            overlap = sum((mine & theirs).values())
            rows[row, 2 * n] = overlap / max(sum(mine.values()), 1)
            rows[row, 2 * n + 1] = overlap / max(sum(theirs.values()), 1)
    words = [len(c.sentence.text.split()) for c in found]
    for row in _greedy_oracle(sentence_grams, reference_grams, words):
        rows[row, 4] = 1.0
    return rows


def _f1_sum(grams: tuple[Counter, Counter], reference: tuple[Counter, Counter]) -> float:
    total = 0.0
    for mine, theirs in zip(grams, reference):
        overlap = sum((mine & theirs).values())
        if overlap:
            precision, recall = overlap / sum(mine.values()), overlap / sum(theirs.values())
            total += 2 * precision * recall / (precision + recall)
    return total


def _greedy_oracle(
    sentence_grams: list[tuple[Counter, Counter]],
    reference: tuple[Counter, Counter],
    words: list[int],
) -> list[int]:
    """Rows the greedy oracle picks: add the sentence that raises ROUGE-1 + ROUGE-2 F1 of the
    summary most, while it rises and the budget lasts (as the benchmark's oracle does, but
    over n-gram counts instead of re-tokenising the summary)."""
    chosen: list[int] = []
    summary: tuple[Counter, Counter] = (Counter(), Counter())
    best, used = 0.0, 0
    while used < ORACLE_WORDS:
        gains = [
            (_f1_sum((summary[0] + grams[0], summary[1] + grams[1]), reference), row)
            for row, grams in enumerate(sentence_grams)
            if row not in chosen
        ]
        if not gains:
            break
        value, row = max(gains)
        if value <= best:
            break
        best, used = value, used + words[row]
        chosen.append(row)
        summary = (summary[0] + sentence_grams[row][0], summary[1] + sentence_grams[row][1])
    return chosen


def labels(components: np.ndarray, kind: str = "precision") -> np.ndarray:
    """Training target from :data:`COMPONENTS`: ``precision`` (R-1 + R-2 precision),
    ``f1`` (R-1 + R-2 F1), ``recall`` or ``oracle`` (1 if the greedy oracle picks it)."""
    p1, r1, p2, r2, picked = components.T
    if kind == "oracle":
        return picked
    if kind == "precision":
        return p1 + p2
    if kind == "recall":
        return r1 + r2
    if kind == "f1":
        return 2 * p1 * r1 / np.maximum(p1 + r1, 1e-9) + 2 * p2 * r2 / np.maximum(p2 + r2, 1e-9)
    raise ValueError(f"unknown label kind {kind!r}")


def cluster_examples(story: Story, reference: str) -> ClusterExamples:
    found = candidates(story)
    return ClusterExamples(
        features=candidate_features(story, found),
        components=label_components(found, reference),
        words=np.array([len(c.sentence.text.split()) for c in found], dtype=np.float64),
    )


def read_examples(path: str | Path, skip: int, limit: int | None) -> Iterator[ClusterExamples]:
    """Analyse clusters ``skip`` .. ``skip + limit`` of a Multi-News file (one process)."""
    from storyline.analyse import analyse
    from storyline.evaluate.multinews import read_clusters
    from storyline.ingest import articles_from_record

    stop = None if limit is None else skip + limit
    for record in islice(read_clusters(path), skip, stop):
        ingested = articles_from_record(record, f"{path}:{record['id']}")
        story = analyse(ingested, workers=1)
        yield cluster_examples(story, record.get("summary", ""))


def _stack(clusters: list[ClusterExamples], kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    features, targets, groups = [], [], []
    for number, cluster in enumerate(clusters):
        if len(cluster.features) == 0:
            continue
        target = labels(cluster.components, kind)
        # Only the order within a story matters: centre per cluster.
        features.append(cluster.features)
        targets.append(target - target.mean())
        groups.append(np.full(len(target), number))
    return np.vstack(features), np.concatenate(targets), np.concatenate(groups)


def fit(
    clusters: list[ClusterExamples],
    *,
    kind: str = "precision",
    hidden: int = 16,
    epochs: int = 60,
    batch: int = 512,
    learning_rate: float = 3e-3,
    weight_decay: float = 1e-3,
    seed: int = 0,
    loss: str = "mse",
    temperature: float = 0.1,
) -> dict[str, Any]:
    """Fit the scorer (Adam, fixed seed); returns the JSON-able model.

    ``loss``: ``mse`` regresses the per-cluster centred label; ``listnet`` matches the
    softmax of the scores within each cluster to the softmax of ``label / temperature``
    (only the order within a story matters). ``hidden=0`` with ``mse`` fits a linear model
    by ridge regression instead of the network.
    """
    x, y, groups = _stack(clusters, kind)
    names = list(FEATURE_NAMES)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = (x - mean) / scale
    if hidden == 0 and loss == "mse":
        gram = x.T @ x + weight_decay * len(x) * np.eye(x.shape[1])
        weight = np.linalg.solve(gram, x.T @ (y - y.mean()))
        layers = [(weight[:, None], np.array([0.0]))]
    else:
        target = y if loss == "mse" else _group_softmax(y / temperature, groups)
        layers = _fit_network(
            x, target, groups if loss == "listnet" else None, hidden, epochs, batch,
            learning_rate, weight_decay, seed,
        )  # fmt: skip
    return {
        "features": names,
        "mean": _rounded(mean),
        "scale": _rounded(scale),
        "layers": [{"weight": _rounded(w), "bias": _rounded(b)} for w, b in layers],
        "meta": {
            "label": kind,
            "hidden": hidden,
            "epochs": epochs,
            "seed": seed,
            "loss": loss,
            "clusters": len(clusters),
            "sentences": len(y),
        },
    }


def _rounded(array: np.ndarray) -> list[Any]:
    # Six significant digits keep the file small and the scores unchanged in practice.
    return np.vectorize(lambda v: float(f"{v:.6g}"))(array).tolist()


def _group_softmax(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Softmax of ``values`` within each group (groups numbered 0..G-1, any order)."""
    size = int(groups.max()) + 1
    top = np.full(size, -np.inf)
    np.maximum.at(top, groups, values)
    exp = np.exp(values - top[groups])
    total = np.zeros(size)
    np.add.at(total, groups, exp)
    return exp / total[groups]


def _fit_network(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray | None,
    hidden: int,
    epochs: int,
    batch: int,
    learning_rate: float,
    weight_decay: float,
    seed: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """One tanh hidden layer (none when ``hidden`` is 0), linear output; plain Adam on
    mini-batches: ``batch`` rows for squared error, ``batch`` clusters for ListNet (when
    ``groups`` is given, ``y`` is the target distribution within each cluster)."""
    random = np.random.default_rng(seed)
    linear = hidden == 0
    hidden = hidden or 1
    params = [
        random.normal(0, 1 / np.sqrt(x.shape[1]), (x.shape[1], hidden)),
        np.zeros(hidden),
        random.normal(0, 1 / np.sqrt(hidden), (hidden, 1)),
        np.zeros(1),
    ]
    if linear:
        params[2], params[3] = np.ones((1, 1)), np.zeros(1)
    if groups is None:
        batches = [np.arange(len(x))]
    else:
        members = np.argsort(groups, kind="stable")
        bounds = np.flatnonzero(np.diff(groups[members])) + 1
        batches = np.split(members, bounds)
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        if groups is None:
            order = random.permutation(len(x))
            chunks = [order[start : start + batch] for start in range(0, len(x), batch)]
        else:
            order = random.permutation(len(batches))
            chunks = [
                np.concatenate([batches[i] for i in order[start : start + batch]])
                for start in range(0, len(order), batch)
            ]
        for rows in chunks:
            xb, yb = x[rows], y[rows]
            w1, b1, w2, b2 = params
            h = xb @ w1 + b1 if linear else np.tanh(xb @ w1 + b1)
            out = (h @ w2 + b2)[:, 0]
            if groups is None:
                d_out = (2 * (out - yb) / len(rows))[:, None]
            else:
                # Cross-entropy between target and score softmax: gradient p - t per cluster.
                local = np.unique(groups[rows], return_inverse=True)[1]
                d_out = ((_group_softmax(out, local) - yb) / (local.max() + 1))[:, None]
            d_h = d_out @ w2.T if linear else (d_out @ w2.T) * (1 - h * h)
            grads = [xb.T @ d_h + weight_decay * w1, d_h.sum(0), h.T @ d_out + weight_decay * w2]
            grads.append(d_out.sum(0))
            if linear:  # the output layer stays the identity
                grads[2], grads[3] = np.zeros_like(w2), np.zeros_like(b2)
            step += 1
            for p, g, m, v in zip(params, grads, moments, squares):
                m *= 0.9
                m += 0.1 * g
                v *= 0.999
                v += 0.001 * g * g
                p -= learning_rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    if linear:
        return [(params[0], params[1])]
    return [(params[0], params[1]), (params[2], params[3])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="Multi-News JSONL(.gz) (validation split)")
    parser.add_argument("--skip", type=int, default=1000, help="clusters kept for evaluation")
    parser.add_argument("--limit", type=int, default=3000, help="clusters to train on")
    parser.add_argument(
        "--label", default="precision", choices=("precision", "f1", "recall", "oracle")
    )
    parser.add_argument("--hidden", type=int, default=16, help="hidden units (0: linear)")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--loss", default="mse", choices=("mse", "listnet"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    clusters = []
    for number, cluster in enumerate(read_examples(args.file, args.skip, args.limit), 1):
        clusters.append(cluster)
        if number % 100 == 0:
            print(f"analysed {number} clusters", file=sys.stderr, flush=True)
    model = fit(
        clusters, kind=args.label, hidden=args.hidden, epochs=args.epochs, seed=args.seed,
        loss=args.loss,
    )  # fmt: skip
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.output}: {model['meta']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
