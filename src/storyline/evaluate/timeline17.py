"""``storyline eval timeline17``: storyline's timeline builder against simple baselines on
any dataset in the Timeline17 layout (topic folders with ``articles*.jsonl[.gz]``,
``timelines.jsonl`` and ``keywords.json``).

Protocol of the published work (tilse, Martschat & Markert 2017/2018): for each reference
timeline, generate a timeline with the reference's number of dates and its mean number of
sentences per date, with dates inside the reference's first and last date; score concat
ROUGE-1/2 F1, alignment-based ROUGE-1/2 F1 (align+ m:1) and date F1; average over all
reference timelines of all topics as tilse does (F1 of mean precision and mean recall).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tqdm import tqdm

from storyline.analyse import analyse
from storyline.analyse.vectors import cosine
from storyline.evaluate.timeline_metrics import average_timeline_scores, timeline_scores
from storyline.ingest import load_articles
from storyline.model import Story
from storyline.settings import MAX_DEFAULT_WORKERS
from storyline.timeline import build_timeline

__all__ = ["TimelineResult", "evaluate_timeline17", "topic_folders"]

Timeline = dict[dt.date, list[str]]
METRICS = ("align_m1_rouge1", "align_m1_rouge2", "concat_rouge1", "concat_rouge2", "date_f1")


@dataclass(frozen=True)
class Properties:
    """What the protocol lets a system know of the reference timeline."""

    dates: int
    sentences_per_date: int
    start: dt.date
    end: dt.date


@dataclass
class TimelineResult:
    per_timeline: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    analysis_seconds: float = 0.0
    wall_seconds: float = 0.0
    topics: int = 0

    def mean(self, system: str) -> dict[str, float]:
        return average_timeline_scores(self.per_timeline[system])

    def table(self) -> str:
        timelines = len(next(iter(self.per_timeline.values()), []))
        lines = [
            f"Timeline17 layout, {self.topics} topics, {timelines} reference timelines "
            "(tilse metrics, F1 of mean precision and recall); shared analysis "
            f"{self.analysis_seconds / max(self.topics, 1):.1f} s/topic; whole run "
            f"{self.wall_seconds:.0f} s wall",
            "",
            "| system | align+ m:1 R-1 | align+ m:1 R-2 | concat R-1 | concat R-2 | date F1 "
            "| selection time / topic |",
            "|---|---|---|---|---|---|---|",
        ]
        for system in self.per_timeline:
            scores = self.mean(system)
            cells = " | ".join(f"{scores[metric]:.3f}" for metric in METRICS)
            per_topic = self.seconds[system] / max(self.topics, 1)
            lines.append(f"| {system} | {cells} | {per_topic:.3f} s |")
        return "\n".join(lines)


def topic_folders(root: str | Path) -> list[Path]:
    """Folders below ``root`` (or ``root`` itself) holding articles and reference timelines."""
    root = Path(root)
    candidates = [root, *sorted(p for p in root.iterdir() if p.is_dir())]
    return [
        folder
        for folder in candidates
        if (folder / "timelines.jsonl").is_file() and any(folder.glob("articles*.jsonl*"))
    ]


def _references(folder: Path) -> list[Timeline]:
    timelines = []
    for line in (folder / "timelines.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            timelines.append(
                {
                    dt.date.fromisoformat(day[:10]): [s.strip() for s in sentences]
                    for day, sentences in json.loads(line)
                }
            )
    return timelines


def _properties(reference: Timeline) -> Properties:
    sentences = sum(len(s) for s in reference.values())
    return Properties(
        dates=len(reference),
        sentences_per_date=max(1, round(sentences / len(reference))),
        start=min(reference),
        end=max(reference),
    )


def storyline_timeline(story: Story, wanted: Properties) -> Timeline:
    entries = build_timeline(
        story,
        max_dates=wanted.dates,
        sentences_per_date=wanted.sentences_per_date,
        day_only=True,
        within=(wanted.start, wanted.end),
    )
    timeline: Timeline = defaultdict(list)
    for entry in entries:
        timeline[entry.when.date].append(entry.text)
    return dict(timeline)


def _by_publication_day(story: Story, wanted: Properties) -> dict[dt.date, list[str]]:
    """Each publication day's lead sentences, most central first."""
    ranked: dict[dt.date, list[tuple[float, str]]] = defaultdict(list)
    for analysed in story.articles:
        day = analysed.article.date
        if day is None or not wanted.start <= day <= wanted.end:
            continue
        for sentence, vector in list(zip(analysed.sentences, analysed.vectors))[:5]:
            if len(sentence.text.split()) >= 6:
                ranked[day].append((cosine(vector, story.centroid), sentence.text))
    return {day: [t for _, t in sorted(items, reverse=True)] for day, items in ranked.items()}


def _publication_baseline(choose: Callable[[dict[dt.date, list[str]], int], list[dt.date]]):
    def system(story: Story, wanted: Properties) -> Timeline:
        by_day = _by_publication_day(story, wanted)
        days = choose(by_day, wanted.dates)
        return {day: by_day[day][: wanted.sentences_per_date] for day in days}

    return system


def _most_published(by_day: dict[dt.date, list[str]], count: int) -> list[dt.date]:
    # PubCount-style: the days with the most articles (sentences stand in for articles).
    return sorted(by_day, key=lambda day: (-len(by_day[day]), day))[:count]


def _random_days(by_day: dict[dt.date, list[str]], count: int) -> list[dt.date]:
    days = sorted(by_day)
    return random.Random(len(days)).sample(days, min(count, len(days)))


SYSTEMS: dict[str, Callable[[Story, Properties], Timeline]] = {
    "storyline": storyline_timeline,
    "random dates": _publication_baseline(_random_days),
    "most-published dates": _publication_baseline(_most_published),
}


@dataclass
class _TopicOutcome:
    scores: dict[str, list[dict[str, float]]]
    seconds: dict[str, float]
    analysis_seconds: float
    predictions: list[str]


def _quiet_worker() -> None:
    logging.getLogger("storyline").setLevel(logging.ERROR)  # skipped lines: not the point here


def _evaluate_topic(folder: Path) -> _TopicOutcome:
    """Analyse one topic (one parser process) and score every system on its references."""
    started = time.perf_counter()
    story = analyse(load_articles([folder]), workers=1)
    outcome = _TopicOutcome(
        scores={name: [] for name in SYSTEMS},
        seconds=dict.fromkeys(SYSTEMS, 0.0),
        analysis_seconds=time.perf_counter() - started,
        predictions=[],
    )
    for number, reference in enumerate(_references(folder)):
        wanted = _properties(reference)
        for name, system in SYSTEMS.items():
            started = time.perf_counter()
            predicted = system(story, wanted)
            outcome.seconds[name] += time.perf_counter() - started
            outcome.scores[name].append(timeline_scores(predicted, reference))
            if name == "storyline":
                line = {
                    "topic": folder.name,
                    "reference": number,
                    "timeline": [[d.isoformat(), s] for d, s in sorted(predicted.items())],
                }
                outcome.predictions.append(json.dumps(line) + "\n")
    return outcome


def _topic_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("articles*.jsonl*"))


def evaluate_timeline17(
    root: str | Path,
    *,
    predictions: IO[str] | None = None,
    progress: bool = True,
    workers: int | None = None,
) -> TimelineResult:
    """Score storyline and the baselines on every topic folder under ``root``.

    ``workers``: topics analysed at once, one process each (default: the cores, at most 4).
    ``predictions``: where to write storyline's timelines, one JSON line per reference
    timeline: ``{"topic", "reference", "timeline": [[date, [sentences]], ...]}``.
    """
    started = time.perf_counter()
    _quiet_worker()
    folders = topic_folders(root)
    if workers is None:
        workers = max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))
    result = TimelineResult(
        per_timeline={name: [] for name in SYSTEMS}, seconds=dict.fromkeys(SYSTEMS, 0.0)
    )
    bar = tqdm(total=len(folders), desc="topics", unit="topic", disable=not progress)
    outcomes: dict[Path, _TopicOutcome] = {}
    with bar:
        if workers == 1:
            for folder in folders:
                outcomes[folder] = _evaluate_topic(folder)
                bar.update()
        else:
            with ProcessPoolExecutor(workers, initializer=_quiet_worker) as pool:
                # Biggest topics first, so that no large one starts last.
                ordered = sorted(folders, key=_topic_size, reverse=True)
                futures = {pool.submit(_evaluate_topic, folder): folder for folder in ordered}
                for future in as_completed(futures):
                    outcomes[futures[future]] = future.result()
                    bar.update()
    for folder in folders:  # results in folder order, whatever order they finished in
        outcome = outcomes[folder]
        result.topics += 1
        result.analysis_seconds += outcome.analysis_seconds
        for name in SYSTEMS:
            result.per_timeline[name] += outcome.scores[name]
            result.seconds[name] += outcome.seconds[name]
        if predictions is not None:
            predictions.writelines(outcome.predictions)
    result.wall_seconds = time.perf_counter() - started
    return result
