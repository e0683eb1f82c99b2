"""Thresholds and defaults in one place (no heavy imports: the CLI reads its defaults here)."""

from __future__ import annotations

# ---------------------------------------------------------------- story clustering
# storyline.stories.cluster. Chosen on development data only (basil-dev, Timeline17 mixed,
# Multi-News validation mixed, look-alike pairs drawn from them) with `storyline eval stories`;
# one setting for every dataset. See docs/benchmarks.md ("Story clustering").
STORY_TEXT_WEIGHT = 0.6  # TF-IDF cosine of the article with the story's centroid
STORY_NAME_WEIGHT = 0.25  # cosine of the capitalised names (people, places, organisations)
STORY_TIME_WEIGHT = 0.15  # closeness in publication time
STORY_TIME_SCALE_DAYS = 3.0  # time similarity exp(-gap / scale), gap = days outside the story
STORY_JOIN_THRESHOLD = 0.3  # best score below this opens a new story
STORY_CLOSE_DAYS = 30  # a story quiet this long (stream clock) stops attracting articles
STORY_CLOSE_ARTICLES = 50_000  # ... or after this many articles without a new member
STORY_ARTICLE_WORDS = 400  # body words read per article (leads carry the event)
STORY_ARTICLE_TERMS = 150  # terms kept per article vector
STORY_CENTROID_TERMS = 200  # terms kept per story centroid (bounds memory per story)
STORY_QUERY_KEYS = 12  # rarest-weighted terms and names an article looks stories up by
STORY_INDEX_KEYS = 24  # centroid terms and names a story is indexed under
STORY_POSTING_LIMIT = 200  # most recent stories kept per index key
STORY_CANDIDATES = 25  # stories scored in full per article
