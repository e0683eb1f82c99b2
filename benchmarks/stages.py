"""Where the time of a brief goes, by stage, on Multi-News clusters and on one big topic.

Profiles (cProfile, one process) the batch path on the first N Multi-News validation
clusters and the brief of one Timeline17 topic, and prints each stage's share of the total.
Stages overlap nowhere: spaCy's time is the pipeline's own, extraction excludes it.

Run: ``python benchmarks/stages.py [--clusters 150] [--topic LibyaWar_cnn]``
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
# (label, file suffix, function name): cumulative time of these functions.
STAGES = [
    ("ingest: read, clean, metadata", "storyline/ingest/__init__.py", "_ingest"),
    ("spaCy pipeline (tokenizer, tagger, parser, NER)", "spacy/language.py", "pipe"),
    ("figures", "storyline/analyse/figures.py", "extract_figures"),
    ("quotes", "storyline/analyse/quotes.py", "extract_quotes"),
    ("dates (temporal expressions)", "storyline/analyse/temporal.py", "find_time_expressions"),
    ("sentence vectors", "storyline/analyse/vectors.py", "story_sentence_vectors"),
    ("places (geocoding)", "storyline/analyse/places.py", "geocode_places"),
    ("actors (alias merging)", "storyline/analyse/actors.py", "merge_actors"),
    ("figure comparison", "storyline/analyse/figure_agreement.py", "merge_figures"),
    ("summary", "storyline/summarise/__init__.py", "summarise"),
    ("timeline", "storyline/timeline/__init__.py", "build_timeline"),
    ("JSON rendering", "storyline/render/as_json.py", "brief_to_dict"),
]


def _table(profile: cProfile.Profile, wall: float, title: str) -> None:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    print(f"\n{title} (wall {wall:.1f} s, profiled)")
    print("| stage | seconds | share |")
    print("|---|---|---|")
    seen = 0.0
    for label, suffix, function in STAGES:
        seconds = sum(
            cumulative
            for (path, _, name), (_, _, _, cumulative, _) in stats.items()
            if path.endswith(suffix) and name == function
        )
        seen += seconds
        print(f"| {label} | {seconds:.2f} | {100 * seconds / wall:.0f} % |")
    print(f"| everything else | {wall - seen:.2f} | {100 * (wall - seen) / wall:.0f} % |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=150)
    parser.add_argument("--topic", default="LibyaWar_cnn")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from storyline.batch import _story_lines, _Task
    from storyline.evaluate.multinews import read_clusters
    from storyline.ingest import load_articles
    from storyline.pipeline import brief_from_articles
    from storyline.render import brief_to_dict
    from storyline.settings import (
        DEFAULT_MAX_DATES,
        DEFAULT_PARSE_WORDS,
        DEFAULT_WORDS,
        STORIES_PER_CHUNK,
    )

    brief_from_articles(load_articles([ROOT / "examples" / "derna"]))  # models loaded
    records = list(read_clusters(SHARED / "multinews" / "val.jsonl.gz", args.clusters))
    tasks = [_Task(record["id"], record, f"multinews:{record['id']}") for record in records]
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for start in range(0, len(tasks), STORIES_PER_CHUNK):  # as a batch worker does
        _story_lines(
            tasks[start : start + STORIES_PER_CHUNK],
            words=DEFAULT_WORDS,
            max_dates=DEFAULT_MAX_DATES,
            parse_words=DEFAULT_PARSE_WORDS,
        )
    profile.disable()
    _table(profile, time.perf_counter() - started, f"Multi-News, {len(tasks)} clusters")

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    brief = brief_from_articles(load_articles([SHARED / "timeline17" / args.topic]), workers=1)
    brief_to_dict(brief)
    profile.disable()
    _table(profile, time.perf_counter() - started, f"Timeline17 {args.topic}, one process")


if __name__ == "__main__":
    main()
