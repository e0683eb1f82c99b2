"""Fit the clusterer's logistic model on development data (``python -m storyline.stories.train``).

The stream of each dataset is replayed with its gold stories as the clusterer's stories (an
oracle); each article's best candidate story becomes one example: the features of
:data:`~storyline.stories.cluster.FEATURES`, labelled by whether it is the article's gold
story. Each dataset weighs the same in the fit, whatever its size.
Needs the eval extra (scikit-learn). Prints the weights to copy into ``storyline/settings.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from storyline.evaluate.stories import load_gold, story_docs
from storyline.stories.cluster import (
    FEATURES,
    ClusterSettings,
    StoryClusterer,
    StoryDoc,
    stream_order,
)

__all__ = ["examples", "fit"]

COPY_TEXT = 0.8  # text cosine from which a pair counts as a copy and is left out of the fit


def examples(
    docs: Sequence[StoryDoc], gold: Sequence[str], options: ClusterSettings | None = None
) -> tuple[list[tuple[float, ...]], list[int]]:
    """Feature rows and labels of the decisions met while replaying ``docs`` by gold.

    The decision is the clusterer's: join the best-scored candidate or open a story. So each
    article with a candidate gives one example, its best candidate under ``options``' model,
    labelled by whether that is the gold story (:func:`fit` iterates, ranking with the model
    of the previous round).
    """
    clusterer = StoryClusterer(options)
    clusterer.observe(docs)
    story_of_gold: dict[str, str] = {}
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for index in stream_order(docs):
        doc = docs[index]
        clusterer._advance(doc)
        terms, names = clusterer._vectors(doc)
        target = story_of_gold.get(gold[index])
        best: tuple[float, tuple[float, ...], bool] | None = None
        for story in clusterer._candidates(terms, names):
            values = clusterer._feature_values(story, terms, names, doc.date)
            # Near-identical texts are the copy finder's to decide, not the model's: Multi-News
            # holds crawl notices copied across hundreds of gold stories.
            if values is None or values[0] >= COPY_TEXT:
                continue
            score = clusterer._score(story, terms, names, doc.date) or 0.0
            if best is None or score > best[0]:
                best = (score, values, story.id == target)
        if best is not None:
            rows.append(best[1])
            labels.append(int(best[2]))
        story = clusterer.stories.get(target) if target else None
        if story is None:
            story = clusterer._open()
            story_of_gold[gold[index]] = story.id
        clusterer._absorb(story, terms, names, doc.date)
    return rows, labels


Dataset = tuple[str, Sequence[StoryDoc], Sequence[str]]  # name, docs, gold story of each


def fit(
    datasets: Sequence[Dataset], options: ClusterSettings | None = None, *, rounds: int = 3
) -> ClusterSettings:
    """``options`` with the model fitted on ``datasets`` (each weighing the same)."""
    from sklearn.linear_model import LogisticRegression

    options = options or ClusterSettings()
    for _ in range(rounds):
        rows: list[tuple[float, ...]] = []
        labels: list[int] = []
        weights: list[float] = []
        for name, docs, gold in datasets:
            found, marks = examples(docs, gold, options)
            print(f"{name}: {len(found)} decisions, {sum(marks)} of them joins")
            rows.extend(found)
            labels.extend(marks)
            weights.extend([len(docs) and 1.0 / max(len(found), 1)] * len(found))
        scale = len(rows) / sum(weights)
        model = LogisticRegression(C=1.0, max_iter=2000)
        model.fit(rows, labels, sample_weight=[w * scale for w in weights])
        options = options.replace(
            weights=tuple(round(float(w), 3) for w in model.coef_[0]),
            bias=round(float(model.intercept_[0]), 3),
        )
        print(f"weights {options.weights}, bias {options.bias}")
    return options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="gold-story datasets (see storyline eval stories)")
    parser.add_argument("--time-scale", type=float, help="days of the time similarity")
    arguments = parser.parse_args()
    options = ClusterSettings()
    if arguments.time_scale:
        options = options.replace(time_scale_days=arguments.time_scale)
    datasets = []
    for path in arguments.paths:
        data = load_gold(path)
        datasets.append((path, story_docs(data.articles), data.gold))
    fitted = fit(datasets, options)
    print("features:", ", ".join(FEATURES))
    print(f"STORY_MODEL_WEIGHTS = {fitted.weights}")
    print(f"STORY_MODEL_BIAS = {fitted.bias}")


if __name__ == "__main__":
    main()
