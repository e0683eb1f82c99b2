"""Publication-date inference with the dates removed: how often a date given is right, how
often a range holds the true date, before (the old latest-mention rule) and after.

- basil-dev (50 US political events x 3 outlets, dated): every date removed (the URL too:
  news URLs carry the date), each article inferred alone and within its story's articles;
  events split by the parity of their position in id order (dev = even, held-out = odd)
  so that fitting to one half shows. A last row keeps the URLs (dates read from the path).
- Timeline17: per topic the first ``--t17-articles`` articles, a seeded ``--t17-hide``
  share of them without their dates, the others dated (the story's dated neighbours).
- examples/derna: the three articles whose pages show a date, with that date hidden.

Scores: share dated exactly, share given a range, exact dates right within 7 days (target
>= 90% held out), ranges holding the true date, median error of exact dates (days), and the
median width of closed ranges. Every figure counts articles.

Run: ``python benchmarks/dating.py [--today 2026-12-01] [--t17-articles 60] [--t17-hide 0.25]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from storyline.analyse.dating import infer_missing_dates
from storyline.analyse.temporal import find_time_expressions, is_future_reference
from storyline.analyse.vectors import TfIdf, content_terms, cosine
from storyline.ingest import articles_from_record, load_articles
from storyline.model import GRANULARITY_ORDER, Article, PublicationDate, TimeExpression

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
RIGHT_DAYS = 7


# ---------------------------------------------------------------- the old rule (baseline)


def latest_mention_rule(articles: list[Article]) -> dict[int, dt.date | None]:
    """The rule before issue 8, as it was: the latest day or month the text mentions, else
    (or when that is over a year older) the closest dated article by TF-IDF cosine. Returns
    the date given to each undated article (by ``id()``)."""
    future_limit = dt.timedelta(days=366)
    background_age = dt.timedelta(days=365)
    dated = [(article, article.date) for article in articles if article.date is not None]
    span = (min(d for _, d in dated), max(d for _, d in dated)) if dated else None
    texts = {id(a): f"{a.title}\n{a.text}" if a.title else a.text for a in articles}
    vectors = {}
    if dated:
        terms = {}
        for key, text in texts.items():
            words = content_terms(text)
            terms[key] = words + [f"{first}_{second}" for first, second in pairwise(words)]
        model = TfIdf(terms.values())
        vectors = {key: model.vector(words) for key, words in terms.items()}
    given: dict[int, dt.date | None] = {}
    for article in articles:
        if article.date is not None:
            continue
        text = texts[id(article)]
        own_span = span
        if own_span is None:
            years = [e.when.date.year for e in find_time_expressions(text, None)]
            own_span = (dt.date(min(years), 1, 1), dt.date.today()) if years else None
        expressions = [
            e
            for e in find_time_expressions(text, None, span=own_span)
            if (span is None or e.when.date <= span[1] + future_limit)
            and not is_future_reference(text, e.start, e.end)
        ]
        precise = [e for e in expressions if e.when.granularity != "year"]
        latest = max(precise, key=_chronological, default=None)
        if not dated:
            given[id(article)] = latest.when.date if latest else None
            continue
        _, closest_date = max(
            ((cosine(vectors[id(article)], vectors[id(other)]), day), (other, day))
            for other, day in dated
        )[1]
        if latest is not None:
            keep = latest.when.date >= closest_date - background_age
            given[id(article)] = latest.when.date if keep else closest_date
            continue
        latest_year = max((e.when.date.year for e in expressions), default=None)
        if latest_year is None or closest_date.year >= latest_year:
            given[id(article)] = closest_date
        else:
            given[id(article)] = dt.date(latest_year, 1, 1)
    return given


def _chronological(expression: TimeExpression) -> tuple[dt.date, int]:
    return expression.when.date, GRANULARITY_ORDER[expression.when.granularity]


# ---------------------------------------------------------------- scoring


@dataclass
class Outcome:
    truth: dt.date
    exact: dt.date | None
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def ranged(self) -> bool:
        return self.exact is None and (self.first is not None or self.last is not None)

    def contains(self) -> bool:
        return (self.first is None or self.first <= self.truth) and (
            self.last is None or self.truth <= self.last
        )


def _outcome(article: Article, truth: dt.date) -> Outcome:
    estimate = article.published or PublicationDate()
    return Outcome(truth, estimate.exact, estimate.first_day, estimate.last_day)


def _row(name: str, outcomes: list[Outcome]) -> str:
    total = len(outcomes)
    exact = [o for o in outcomes if o.exact is not None]
    ranged = [o for o in outcomes if o.ranged]
    right = [o for o in exact if abs((o.exact - o.truth).days) <= RIGHT_DAYS]  # type: ignore[operator]
    holding = [o for o in ranged if o.contains()]
    errors = [abs((o.exact - o.truth).days) for o in exact]  # type: ignore[operator]
    closed = [(o.last - o.first).days + 1 for o in ranged if o.first and o.last]
    gaps = [(o.truth - o.first).days for o in holding if o.first]

    def share(part: list[Outcome], whole: list[Outcome]) -> str:
        return f"{len(part) / len(whole):.0%} ({len(part)}/{len(whole)})" if whole else "-"

    wrong_year = sum(o.exact.year != o.truth.year for o in exact)  # type: ignore[union-attr]
    cells = [
        name,
        str(total),
        share(exact, outcomes),
        share(right, exact),
        str(wrong_year),
        f"{statistics.median(errors):.0f}" if errors else "-",
        share(ranged, outcomes),
        share(holding, ranged),
        f"{statistics.median(gaps):.0f}" if gaps else "-",
        f"{statistics.median(closed):.0f} ({len(closed)})" if closed else "-",
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| run | articles | dated exactly | exact right ±7 d | wrong year | median error (d) "
    "| given a range | range holds the date | median days from its lower bound "
    "| median closed width (d) |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


SECONDS = {"before": 0.0, "after": 0.0}


def _before(articles: list[Article], scored: list[Article], truths: list[dt.date]) -> list[Outcome]:
    """The old rule's date for each scored article (a date read at ingest counts as given)."""
    started = time.perf_counter()
    given = latest_mention_rule(articles)
    SECONDS["before"] += time.perf_counter() - started
    return [
        Outcome(truth, given.get(id(article), article.date))
        for article, truth in zip(scored, truths)
    ]


# ---------------------------------------------------------------- basil-dev


def _basil_article(record: dict, *, url: bool) -> Article:
    fields = {"id": record["id"], "title": record["title"], "text": record["text"]}
    if url:
        fields["url"] = record["url"]
    (article,) = articles_from_record(fields, record["id"]).articles
    return article


def basil(today: dt.date) -> list[str]:
    records = [json.loads(line) for line in (DATA / "basil-dev" / "articles.jsonl").open()]
    stories: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        stories[record["story"]].append(record)
    halves = {key: ("dev", "held-out")[index % 2] for index, key in enumerate(sorted(stories))}
    rows: dict[str, list[Outcome]] = defaultdict(list)
    for key, members in sorted(stories.items()):
        truths = [dt.date.fromisoformat(record["date"]) for record in members]
        half = halves[key]
        for mode in ("alone", "story"):
            articles = [_basil_article(record, url=False) for record in members]
            groups = [[article] for article in articles] if mode == "alone" else [articles]
            for group in groups:
                group_truths = [truths[articles.index(article)] for article in group]
                rows[f"before, {mode}, {half}"] += _before(group, group, group_truths)
                started = time.perf_counter()
                infer_missing_dates(group, today=today)
                SECONDS["after"] += time.perf_counter() - started
                rows[f"after, {mode}, {half}"] += [
                    _outcome(article, truth) for article, truth in zip(group, group_truths)
                ]
        shared = _story_lower_bound(articles)
        rows[f"experiment: story's latest lower bound for all, {half}"] += [
            Outcome(truth, None, shared, None) for truth in truths
        ]
        with_url = [_basil_article(record, url=True) for record in members]
        infer_missing_dates(with_url, today=today)
        rows[f"after, story, URLs kept, {half}"] += [
            _outcome(article, truth) for article, truth in zip(with_url, truths)
        ]
    lines = [HEADER]
    for method in ("before", "after"):
        for mode in ("alone", "story"):
            for half in ("dev", "held-out"):
                name = f"{method}, {mode}, {half}"
                lines.append(_row(name, rows[name]))
    for prefix in ("after, story, URLs kept", "experiment: story's latest lower bound for all"):
        for half in ("dev", "held-out"):
            lines.append(_row(f"{prefix}, {half}", rows[f"{prefix}, {half}"]))
    runs = 2 * len(records)
    lines.append(
        f"\nTime per article (both modes): before {1000 * SECONDS['before'] / runs:.1f} ms, "
        f"after {1000 * SECONDS['after'] / runs:.1f} ms "
        f"({SECONDS['after'] / SECONDS['before']:.2f}x the old rule)."
    )
    return lines


def _story_lower_bound(articles: list[Article]) -> dt.date | None:
    """Experiment (not used): the latest lower bound of any article of the story, for all."""
    bounds = [a.published.first_day for a in articles if a.published and a.published.first_day]
    return max(bounds, default=None)


# ---------------------------------------------------------------- Timeline17


def timeline17(today: dt.date, per_topic: int, hide: float, seed: int) -> list[str]:
    root = DATA / "timeline17"
    before: list[Outcome] = []
    after: list[Outcome] = []
    alone: list[Outcome] = []
    closest: list[Outcome] = []
    within: list[Outcome] = []
    rng = random.Random(seed)
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        with gzip.open(folder / "articles.tokenized.jsonl.gz", "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines][:per_topic]
        articles, truths = [], []
        for record in records:
            found = articles_from_record({"text": record["text"]}, record["id"]).articles
            if not found:
                continue  # an empty text in the data set
            (article,) = found
            truth = dt.date.fromisoformat(record["time"][:10])
            article.date = truth  # the known date; hidden below for a share of the articles
            article.published = PublicationDate.on(truth, read=True)
            articles.append(article)
            truths.append(truth)
        hidden = set(rng.sample(range(len(articles)), round(hide * len(articles))))
        for index in hidden:
            articles[index].date, articles[index].published = None, None
        hidden_articles = [articles[index] for index in sorted(hidden)]
        hidden_truths = [truths[index] for index in sorted(hidden)]
        before += _before(articles, hidden_articles, hidden_truths)
        closest += _closest_neighbour(articles, hidden_articles, hidden_truths)
        dated = [a.date for a in articles if a.date is not None]
        within += [Outcome(t, None, min(dated), max(dated)) for t in hidden_truths]
        single = [replace(article) for article in hidden_articles]
        infer_missing_dates(articles, today=today)
        after += [_outcome(a, t) for a, t in zip(hidden_articles, hidden_truths)]
        for article, truth in zip(single, hidden_truths):
            infer_missing_dates([article], today=today)
            alone.append(_outcome(article, truth))
    return [
        HEADER,
        _row("before (with dated neighbours)", before),
        _row("after, with dated neighbours", after),
        _row("after, each article alone", alone),
        _row("experiment: closest dated article by content", closest),
        _row("experiment: between the first and last dated article", within),
    ]


def _closest_neighbour(
    articles: list[Article], scored: list[Article], truths: list[dt.date]
) -> list[Outcome]:
    """Experiment (not used): the date of the most similar dated article (TF-IDF cosine)."""
    model = TfIdf(content_terms(a.text) for a in articles)
    vectors = {id(a): model.vector(content_terms(a.text)) for a in articles}
    dated = [a for a in articles if a.date is not None]
    outcomes = []
    for article, truth in zip(scored, truths):
        best = max(dated, key=lambda other: cosine(vectors[id(article)], vectors[id(other)]))
        outcomes.append(Outcome(truth, best.date))
    return outcomes


# ---------------------------------------------------------------- the example story


def derna(today: dt.date) -> list[str]:
    articles = load_articles([ROOT / "examples" / "derna"]).articles
    lines = [
        "| article | as read | date hidden: inferred | true date | evidence |",
        "|---|---|---|---|---|",
    ]
    shown = {article.id: article.published for article in articles}
    truths = {article.id: article.date for article in articles if article.date is not None}
    for article in articles:
        article.date, article.published = None, None
    infer_missing_dates(articles, today=today)
    shared = _story_lower_bound(articles)
    wrong = [a.id for a in articles if a.id in truths and shared and truths[a.id] < shared]
    for article in articles:
        as_read = shown[article.id]
        truth = truths.get(article.id)
        evidence = (article.date_evidence or "").replace("|", "/")
        lines.append(
            f"| {Path(article.source).name[:3]} | {as_read.describe() if as_read else 'no date'} "
            f"| {article.published.describe() if article.published else 'unknown'} "
            f"| {truth.isoformat() if truth else 'not shown'} | {evidence[:160]} |"
        )
    lines.append(
        f"\nExperiment (not used): the story's latest lower bound ({shared}) for every article "
        f"would exclude the true date of {len(wrong)} of the {len(truths)} dated articles."
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--t17-articles", type=int, default=60)
    parser.add_argument("--t17-hide", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-t17", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"## basil-dev, dates and URLs removed (today = {args.today})\n")
    print("\n".join(basil(args.today)))
    if not args.skip_t17:
        print(
            f"\n## Timeline17: first {args.t17_articles} articles per topic, "
            f"{args.t17_hide:.0%} of their dates hidden (seed {args.seed})\n"
        )
        print("\n".join(timeline17(args.today, args.t17_articles, args.t17_hide, args.seed)))
    print("\n## examples/derna, every date hidden\n")
    print("\n".join(derna(args.today)))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
