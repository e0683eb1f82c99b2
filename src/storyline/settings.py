"""Thresholds and defaults, in one place (no heavy imports: the CLI reads its defaults here)."""

from __future__ import annotations

# ---------------------------------------------------------------- duplicates (syndicated copies)
# Chosen on Multi-News validation clusters (see benchmarks/duplicates.py, docs/benchmarks.md):
# among pairs of one cluster, the share of the shorter text's word 5-grams found in the longer
# one is bimodal: independent reports of one story share < 20%, copies of one wire story share
# >= 80% (trimmed, retitled, a few paragraphs added); rewritten wire leads fall in between and
# are shared passages, not copies.

# Words per shingle (word n-grams over lower-cased words; numbers are words).
DUPLICATE_SHINGLE_WORDS = 5
# MinHash permutations and seed (fixed: the same input gives the same copies on every run).
DUPLICATE_NUM_PERM = 128
DUPLICATE_SEED = 1
# A text copies an earlier one when at least this share of its shingles is in the earlier one...
DUPLICATE_CONTAINMENT = 0.8
# ... or when the earlier one is (by the share above) inside it and at least this share of the
# new text is the earlier text: the same story with a few paragraphs added. A longer text that
# only embeds an earlier one contributes its own reporting and is not a copy.
DUPLICATE_MIN_SHARED = 0.5
# Texts with fewer shingles than this are never called copies (a headline, a one-line tweet).
DUPLICATE_MIN_SHINGLES = 10
# Jaccard thresholds of the two MinHash-LSH indexes that propose candidates (verified exactly).
DUPLICATE_LSH_THRESHOLD = 0.4
PASSAGE_LSH_THRESHOLD = 0.5
# Passages: paragraphs, long ones cut at sentence ends chosen by the sentence's own hash
# (content-defined, so copies with a paragraph added still cut at the same places).
PASSAGE_MIN_WORDS = 25
PASSAGE_MAX_WORDS = 80
# Two passages are the same when this share of the shorter one's shingles is in the other.
PASSAGE_CONTAINMENT = 0.8
# A passage found in more texts than this is page furniture or a stock phrase: it neither
# proposes candidates nor is indexed again, so the cost of one text stays bounded.
PASSAGE_MAX_MATCHES = 50
# A sentence repeats a sentence of an earlier text (copied wire text, not independent support)
# when this share of its shingles is in it; shorter sentences are never called repeats.
REPEAT_CONTAINMENT = 0.8
REPEAT_MIN_WORDS = 6
