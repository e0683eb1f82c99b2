"""``storyline eval stories``: story clustering against gold stories, with baselines.

Inputs that carry gold stories:
- a JSONL(.gz) file of articles with a ``story`` field (basil-dev);
- a JSONL(.gz) file of clusters (``{"id", "documents": [...]}``, Multi-News): a story is a
  cluster, its documents are mixed into one stream (shuffled with a fixed seed);
- a folder in the Timeline17 layout: a story is a topic keyword group (the folder name before
  ``_``: all ``bpoil_*`` folders are one story).

Scores: B-cubed precision/recall/F1 (Bagga & Baldwin 1998), pairwise precision/recall/F1,
stories found against gold, time per 1,000 articles (clustering only: reading and cleaning
the text is shared by every method and by the briefs). The same scores are given on the
dataset's look-alike pairs: each gold story with its most similar other gold story (TF-IDF
centroids), scored on the articles of the two stories alone, from the labels of the full run,
so that merging two similar events shows even when the rest of the clustering is right.

Baselines, run in the same command on the same articles: each article alone; TF-IDF cosine
with average-linkage agglomerative clustering cut at fixed similarity thresholds
(scikit-learn vectors, scipy linkage); a single-pass clusterer (each article joins the most
similar story centroid above a fixed threshold, compared with every story).
"""

from __future__ import annotations

import gzip
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.ingest import articles_from_record
from storyline.model import Article
from storyline.stories.cluster import ClusterSettings, StoryDoc, cluster, stream_order

__all__ = [
    "GoldArticles",
    "StoriesResult",
    "bcubed",
    "evaluate_stories",
    "load_gold",
    "pairwise",
]

AGGLOMERATIVE_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)
SINGLE_PASS_THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
LOOKALIKE_PAIRS = 100  # most similar gold-story pairs scored as look-alikes
SHUFFLE_SEED = 13
# Dense similarity matrices of the baselines cost 8 n^2 bytes: 20,000 articles = 3.2 GB.
BASELINE_MAX_ARTICLES = 20_000


@dataclass
class GoldArticles:
    name: str
    articles: list[Article]
    gold: list[str]
    skipped: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- metrics


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (averages over articles)."""
    count = len(gold)
    if count == 0:
        return 0.0, 0.0, 0.0
    cells = Counter(zip(predicted, gold))
    predicted_size = Counter(predicted)
    gold_size = Counter(gold)
    precision = sum(n * n / predicted_size[p] for (p, _), n in cells.items()) / count
    recall = sum(n * n / gold_size[g] for (_, g), n in cells.items()) / count
    return precision, recall, _f1(precision, recall)


def pairwise(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of articles put in the same story."""

    def pairs(sizes: Iterator[int]) -> int:
        return sum(n * (n - 1) // 2 for n in sizes)

    together = pairs(iter(Counter(zip(predicted, gold)).values()))
    predicted_pairs = pairs(iter(Counter(predicted).values()))
    gold_pairs = pairs(iter(Counter(gold).values()))
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# ---------------------------------------------------------------- data


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield number, json.loads(line)


def load_gold(path: str | Path, *, limit: int | None = None) -> GoldArticles:
    """Articles with their gold story from a file of articles, of clusters, or Timeline17.

    ``limit``: the first N gold stories only (in file order).
    """
    path = Path(path)
    result = GoldArticles(path.name, [], [])
    stories: dict[str, None] = {}

    def take(record: dict[str, Any], source: str, story: str) -> None:
        if story not in stories:
            if limit is not None and len(stories) >= limit:
                return
            stories[story] = None
        ingested = articles_from_record(record, source)
        result.skipped.extend(f"{s.source}: {s.reason}" for s in ingested.skipped)
        for article in ingested.articles:
            result.articles.append(article)
            result.gold.append(story)

    if path.is_dir():
        from storyline.evaluate.timeline17 import topic_folders

        for folder in topic_folders(path):
            for file in sorted(folder.glob("articles*.jsonl*")):
                for number, record in _json_lines(file):
                    take(record, f"{folder.name}/{file.name}:{number}", folder.name.split("_")[0])
        return result
    clustered = False
    for number, record in _json_lines(path):
        source = f"{path.name}:{number}"
        if isinstance(record.get("documents"), list) or isinstance(record.get("articles"), list):
            clustered = True
            take(record, source, str(record.get("id", f"line-{number}")))
        elif "story" in record:
            take(record, source, str(record["story"]))
        else:
            result.skipped.append(f"{source}: no gold 'story' field")
    if clustered:
        # Clusters arrive one after another in the file; a stream mixes them.
        order = list(range(len(result.articles)))
        random.Random(SHUFFLE_SEED).shuffle(order)
        result.articles = [result.articles[i] for i in order]
        result.gold = [result.gold[i] for i in order]
    return result


def story_docs(articles: Sequence[Article]) -> list[StoryDoc]:
    """What the clusterer reads of each article, keyed by position."""
    return [
        StoryDoc(key=str(index), text=article.text, title=article.title, date=article.date)
        for index, article in enumerate(articles)
    ]


# ---------------------------------------------------------------- baselines


def _tfidf_matrix(articles: Sequence[Article]) -> Any:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [
        article.text
        if not article.title or article.text.startswith(article.title)
        else f"{article.title}\n{article.text}"
        for article in articles
    ]
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    return vectorizer.fit_transform(texts)


def _similarities(matrix: Any) -> Any:
    """Dense cosine similarities of the rows (L2-normalised), built in blocks."""
    import numpy as np

    count = matrix.shape[0]
    result = np.empty((count, count), dtype=np.float32)
    transposed = matrix.T.tocsc()
    for start in range(0, count, 1000):
        result[start : start + 1000] = (matrix[start : start + 1000] @ transposed).toarray()
    return result


def agglomerative(similarities: Any, thresholds: Sequence[float]) -> dict[float, list[str]]:
    """Average-linkage clusters cut at each similarity threshold (scipy)."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    count = similarities.shape[0]
    if count < 2:
        return {threshold: ["1"] * count for threshold in thresholds}
    distances = 1.0 - similarities.astype(np.float64)
    np.fill_diagonal(distances, 0.0)
    np.clip(distances, 0.0, 2.0, out=distances)
    tree = linkage(squareform(distances, checks=False), method="average")
    del distances
    return {
        threshold: [str(label) for label in fcluster(tree, 1.0 - threshold, "distance")]
        for threshold in thresholds
    }


def single_pass(similarities: Any, order: Sequence[int], threshold: float) -> list[str]:
    """Each article joins the story whose centroid is most similar (>= threshold), else opens one.

    Exact centroid cosines from the article similarities: dot(x, sum of members) is the sum of
    the member similarities, and the squared norm of a sum grows by 2 dot + 1 per member.
    """
    import numpy as np

    count = len(order)
    labels = np.full(count, -1, dtype=np.int64)
    seen = np.empty(count, dtype=np.int64)
    norms: list[float] = []
    for step, article in enumerate(order):
        if step:
            previous = seen[:step]
            dots = np.bincount(
                labels[previous], weights=similarities[article, previous], minlength=len(norms)
            )
            cosines = dots / np.sqrt(np.asarray(norms))
            best = int(np.argmax(cosines))
            if cosines[best] >= threshold:
                labels[article] = best
                norms[best] += 2.0 * dots[best] + 1.0
            else:
                labels[article] = len(norms)
                norms.append(1.0)
        else:
            labels[article] = 0
            norms.append(1.0)
        seen[step] = article
    return [str(label) for label in labels]


# ---------------------------------------------------------------- look-alikes


def lookalike_pairs(
    articles: Sequence[Article], gold: Sequence[str], *, matrix: Any = None
) -> list[tuple[str, str, float]]:
    """Pairs of different gold stories most alike (cosine of TF-IDF centroids), best first."""
    import numpy as np
    from sklearn.preprocessing import normalize

    matrix = _tfidf_matrix(articles) if matrix is None else matrix
    names = sorted(set(gold))
    if len(names) < 2:
        return []
    index = {name: i for i, name in enumerate(names)}
    from scipy.sparse import csr_matrix

    membership = csr_matrix(
        (np.ones(len(gold)), ([index[g] for g in gold], range(len(gold)))),
        shape=(len(names), len(gold)),
    )
    centroids = normalize(membership @ matrix)
    pairs: dict[tuple[str, str], float] = {}
    for start in range(0, len(names), 1000):
        block = (centroids[start : start + 1000] @ centroids.T).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = -1.0
            j = int(np.argmax(row))
            key = (names[min(i, j)], names[max(i, j)])
            pairs[key] = float(row[j])
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    return [(a, b, similarity) for (a, b), similarity in ranked[:LOOKALIKE_PAIRS]]


def lookalike_scores(
    predicted: Sequence[str], gold: Sequence[str], pairs: Sequence[tuple[str, str, float]]
) -> tuple[float, float, float]:
    """Mean B-cubed P/R/F1 over the look-alike pairs, each scored on its own articles."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, story in enumerate(gold):
        members[story].append(i)
    totals = [0.0, 0.0, 0.0]
    for a, b, _ in pairs:
        items = members[a] + members[b]
        scores = bcubed([predicted[i] for i in items], [gold[i] for i in items])
        totals = [total + score for total, score in zip(totals, scores)]
    return tuple(total / max(len(pairs), 1) for total in totals)  # type: ignore[return-value]


# ---------------------------------------------------------------- runner


@dataclass
class SystemScore:
    name: str
    labels: list[str]
    seconds: float
    shared_seconds: float = 0.0  # vectors and similarities shared by several thresholds


@dataclass
class StoriesResult:
    dataset: str
    articles: int
    gold_stories: int
    gold: list[str]
    systems: list[SystemScore]
    pairs: list[tuple[str, str, float]]
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for system in self.systems:
            b_p, b_r, b_f = bcubed(system.labels, self.gold)
            _, _, p_f = pairwise(system.labels, self.gold)
            *_, l_f = lookalike_scores(system.labels, self.gold, self.pairs)
            rows.append(
                {
                    "system": system.name,
                    "bcubed_p": b_p,
                    "bcubed_r": b_r,
                    "bcubed_f1": b_f,
                    "pairwise_f1": p_f,
                    "lookalike_f1": l_f,
                    "stories": len(set(system.labels)),
                    "ms_per_1000": 1000.0
                    * (system.seconds + system.shared_seconds)
                    * 1000
                    / max(self.articles, 1),
                }
            )
        return rows

    def table(self) -> str:
        lines = [
            f"{self.dataset}: {self.articles} articles, {self.gold_stories} gold stories, "
            f"{len(self.pairs)} look-alike pairs (B-cubed on each pair's articles)",
            "",
            "| system | B³ P | B³ R | B³ F1 | pairwise F1 | look-alike B³ F1 | stories "
            "| time / 1,000 articles |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in self.rows():
            lines.append(
                f"| {row['system']} | {row['bcubed_p']:.3f} | {row['bcubed_r']:.3f} | "
                f"{row['bcubed_f1']:.3f} | {row['pairwise_f1']:.3f} | {row['lookalike_f1']:.3f} "
                f"| {row['stories']} | {_duration(row['ms_per_1000'])} |"
            )
        lines.extend(f"\n{note}" for note in self.notes)
        return "\n".join(lines)


def _duration(milliseconds: float) -> str:
    return f"{milliseconds / 1000:.2f} s" if milliseconds >= 1000 else f"{milliseconds:.0f} ms"


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    """Value and CPU seconds of ``run()`` (CPU time: the machine is shared, wall time is not
    the method's; numpy's threads add up)."""
    start = time.process_time()
    value = run()
    return value, time.process_time() - start


def run_storyline(
    docs: Sequence[StoryDoc], options: ClusterSettings | None = None, copies: Any = None
) -> list[str]:
    return [a.story for a in cluster(docs, options, copies)]


def evaluate_stories(
    path: str | Path,
    *,
    limit: int | None = None,
    baselines: bool = True,
    options: ClusterSettings | None = None,
) -> StoriesResult:
    """Cluster the articles of ``path`` with storyline and the baselines and score them."""
    data = load_gold(path, limit=limit)
    return evaluate_loaded(data, baselines=baselines, options=options)


def evaluate_loaded(
    data: GoldArticles, *, baselines: bool = True, options: ClusterSettings | None = None
) -> StoriesResult:
    docs = story_docs(data.articles)
    # Imported before the clocks start: a library's import is no method's time.
    import scipy.cluster.hierarchy  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    labels, seconds = _timed(lambda: run_storyline(docs, options))
    systems = [SystemScore("storyline", labels, seconds)]
    matrix, vector_seconds = _timed(lambda: _tfidf_matrix(data.articles))
    pairs = lookalike_pairs(data.articles, data.gold, matrix=matrix)
    notes = [f"skipped: {len(data.skipped)} inputs"] if data.skipped else []
    if baselines:
        singles, seconds = _timed(lambda: [str(i) for i in range(len(docs))])
        systems.append(SystemScore("each article alone", singles, seconds))
        if len(docs) <= BASELINE_MAX_ARTICLES:
            similarities, seconds = _timed(lambda: _similarities(matrix))
            shared = vector_seconds + seconds
            cuts, seconds = _timed(lambda: agglomerative(similarities, AGGLOMERATIVE_THRESHOLDS))
            for threshold, cut in cuts.items():
                systems.append(
                    SystemScore(f"TF-IDF average-link, sim ≥ {threshold}", cut, seconds, shared)
                )
            order = stream_order(docs)
            for threshold in SINGLE_PASS_THRESHOLDS:
                labels, seconds = _timed(lambda t=threshold: single_pass(similarities, order, t))
                systems.append(
                    SystemScore(f"single-pass TF-IDF, sim ≥ {threshold}", labels, seconds, shared)
                )
        else:
            notes.append(
                f"TF-IDF baselines skipped: {len(docs)} articles > {BASELINE_MAX_ARTICLES} "
                "(their dense similarity matrix grows with the square); use --limit"
            )
    return StoriesResult(
        dataset=data.name,
        articles=len(docs),
        gold_stories=len(set(data.gold)),
        gold=data.gold,
        systems=systems,
        pairs=pairs,
        notes=notes,
    )
