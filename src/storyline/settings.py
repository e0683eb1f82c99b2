"""Thresholds and defaults in one place (no heavy imports: the CLI reads its defaults here)."""

from __future__ import annotations

# ---------------------------------------------------------------- story clustering
# storyline.stories.cluster. Chosen on development data only (basil-dev, Timeline17 mixed,
# Multi-News validation mixed, look-alike pairs drawn from them) with `storyline eval stories`;
# one setting for every dataset. See docs/benchmarks.md ("Story clustering").
# Logistic model of "article belongs to story", weights in the order of
# storyline.stories.cluster.FEATURES; fitted by `python -m storyline.stories.train
# ../shared/data/basil-dev/articles.jsonl ../shared/data/multinews/val.jsonl.gz`; threshold
# chosen on the same data (B-cubed F1 of basil, Multi-News and their look-alike pairs).
STORY_MODEL_WEIGHTS = (6.65, 1.819, -1.285, 4.116, -1.285, 8.297, -1.763, -0.313)
STORY_MODEL_BIAS = -1.698
STORY_JOIN_THRESHOLD = 0.4  # probability of the best story below this opens a new story
STORY_TIME_SCALE_DAYS = 3.0  # time similarity exp(-gap / scale), gap = days outside the story
STORY_CLOSE_DAYS = 30  # a story quiet this long (stream clock) stops attracting articles
STORY_CLOSE_ARTICLES = 50_000  # ... or after this many articles without a new member
STORY_ARTICLE_WORDS = 400  # body words read per article (leads carry the event)
STORY_ARTICLE_TERMS = 150  # terms kept per article vector
STORY_CENTROID_TERMS = 200  # terms kept per story centroid (bounds memory per story)
STORY_QUERY_KEYS = 12  # rarest-weighted terms and names an article looks stories up by
STORY_INDEX_KEYS = 24  # centroid terms and names a story is indexed under
STORY_POSTING_LIMIT = 200  # most recent stories kept per index key
STORY_CANDIDATES = 25  # stories scored in full per article
