"""The brief as JSON for programs: a versioned schema (``storyline/schema/brief.schema.json``).

Every citation carries the article id, the sentence index and character offsets into that
article's cleaned text, which the ``sources`` section includes, so a program can always get
from a line of the brief back to the words it came from.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from storyline import __version__
from storyline.model import (
    Article,
    Brief,
    Citation,
    FigureReport,
    PublicationDate,
    Quote,
    SkippedInput,
    TimePoint,
)

__all__ = [
    "SCHEMA_VERSION",
    "brief_to_dict",
    "contributions",
    "copies_of",
    "own_words",
    "render_json",
    "story_quotes",
]

SCHEMA_VERSION = "1.2"
MAX_REMOVED_TEXT = 300


def _citation(citation: Citation) -> dict[str, Any]:
    return {
        "article": citation.article_id,
        "sentence": citation.sentence_index,
        "start": citation.start,
        "end": citation.end,
    }


def _time(when: TimePoint | None) -> dict[str, Any] | None:
    if when is None:
        return None
    return {"value": when.iso(), "granularity": when.granularity, "start": when.date.isoformat()}


def _published(article: Article) -> dict[str, Any]:
    """The publication date with its bounds and evidence (``sources[].published``)."""
    estimate = article.published
    if estimate is None:
        estimate = (
            PublicationDate.on(article.date, read=not article.date_inferred)
            if article.date
            else PublicationDate()
        )
    kind = "unknown" if not estimate.known else "read" if estimate.read else "inferred"
    return {
        "kind": kind,
        "exact": estimate.exact.isoformat() if estimate.exact else None,
        "earliest": _time(estimate.earliest),
        "latest": _time(estimate.latest),
        "not_before": estimate.first_day.isoformat() if estimate.first_day else None,
        "not_after": estimate.last_day.isoformat() if estimate.last_day else None,
        "text": estimate.describe(),
        "evidence": [
            {"reason": clue.reason, "text": clue.text, "start": clue.start, "end": clue.end}
            for clue in estimate.clues
        ],
    }


def contributions(brief: Brief) -> dict[str, Counter[str]]:
    """For each article id: how many summary sentences, timeline entries, ... cite it."""
    counts: dict[str, Counter[str]] = {article.id: Counter() for article in brief.articles}
    for sentence in brief.summary:
        counts[sentence.citation.article_id]["summary"] += 1
    for entry in brief.timeline:
        for citation in entry.citations:
            counts[citation.article_id]["timeline"] += 1
    for quote in story_quotes(brief):
        counts[quote.citation.article_id]["quotes"] += 1
    for figure in brief.story.figures:
        for report in figure.reports:
            counts[report.citation.article_id]["figures"] += 1
    return counts


def story_quotes(brief: Brief) -> list[Quote]:
    """The story's quotes, each once (older stories built without the list: per article)."""
    story = brief.story
    return story.quotes or [quote for analysed in story.articles for quote in analysed.quotes]


def copies_of(brief: Brief) -> dict[str, list[Article]]:
    """Original article id -> the articles that copy it, in input order."""
    found: dict[str, list[Article]] = {}
    for article in brief.articles:
        if article.copy_of:
            found.setdefault(article.copy_of, []).append(article)
    return found


def own_words(article: Article) -> int:
    """Words of the article not repeated from an earlier one (its own reporting)."""
    repeated = sum(len(article.text[r.start : r.end].split()) for r in article.repeated)
    return max(article.words - repeated, 0)


def _outlet(article: Article) -> str:
    return article.outlet or article.id


def _source(article: Article, contributed: Counter[str], copies: list[Article]) -> dict[str, Any]:
    reasons = Counter(removed.reason for removed in article.removed)
    return {
        "id": article.id,
        "input_id": article.input_id,
        "language": article.language,
        "warnings": article.warnings,
        "source": article.source,
        "outlet": article.outlet,
        "url": article.url,
        "retrieved": article.retrieved,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_inferred": article.date_inferred,
        "date_evidence": article.date_evidence,
        "published": _published(article),
        "dateline": article.dateline,
        "encoding": article.encoding,
        "words_kept": article.words,
        "removed": {
            "count": len(article.removed),
            "by_reason": dict(sorted(reasons.items())),
            "items": [
                {"text": removed.text[:MAX_REMOVED_TEXT], "reason": removed.reason}
                for removed in article.removed
            ],
        },
        "contributed": {
            key: contributed.get(key, 0) for key in ("summary", "timeline", "quotes", "figures")
        },
        "copy_of": article.copy_of,
        "copies": [copy.id for copy in copies],
        "outlets": list(dict.fromkeys(_outlet(a) for a in [article, *copies])) if copies else [],
        "own_words": 0 if article.copy_of else own_words(article),
        "repeated": [
            {
                "start": r.start,
                "end": r.end,
                "article": r.article_id,
                "source_start": r.source_start,
                "source_end": r.source_end,
            }
            for r in article.repeated
        ],
        "text": article.text,
    }


def _carried(item: Quote | FigureReport) -> dict[str, Any]:
    return {"repeats": [_citation(c) for c in item.repeats], "outlets": item.outlets}


def _skipped(item: SkippedInput) -> dict[str, Any]:
    entry: dict[str, Any] = {"source": item.source, "reason": item.reason}
    if item.language is not None:  # skipped for its language
        entry["language"] = item.language
    return entry


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """Plain JSON-ready data following the documented schema."""
    story = brief.story
    articles = brief.articles
    dates = sorted(article.date for article in articles if article.date)
    contributed = contributions(brief)
    copies = copies_of(brief)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"storyline {__version__}",
        "title": brief.title,
        "stats": {
            "articles": len(articles),
            "skipped": len(story.skipped),
            "outlets": len({a.outlet for a in articles if a.outlet}),
            "copies": sum(1 for a in articles if a.copy_of),
            "first_date": dates[0].isoformat() if dates else None,
            "last_date": dates[-1].isoformat() if dates else None,
            "words_kept": sum(article.words for article in articles),
            "parsed_words_per_article": story.parsed_words_per_article,
        },
        "summary": [{"text": s.text, "citation": _citation(s.citation)} for s in brief.summary],
        "timeline": [
            {
                "date": entry.when.iso(),
                "granularity": entry.when.granularity,
                "until": entry.until.iso() if entry.until else None,
                "text": entry.text,
                "citations": [_citation(c) for c in entry.citations],
            }
            for entry in brief.timeline
        ],
        "actors": [
            {
                "name": actor.name,
                "type": actor.type,
                "aliases": actor.aliases,
                "mentions": actor.mentions,
                "articles": actor.articles,
            }
            for actor in story.actors
        ],
        "places": [
            {
                "name": place.name,
                "aliases": place.aliases,
                "mentions": place.mentions,
                "articles": place.articles,
                "geo_name": place.geo_name,
                "country": place.country,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "kind": place.kind,
            }
            for place in story.places
        ],
        "figures": [
            {
                "category": figure.category,
                "counted": figure.counted,
                "subject": figure.subject,
                "when": _time(figure.when),
                "status": figure.status,
                "reports": [
                    {
                        "value": report.value,
                        "text": report.text,
                        "qualifier": report.qualifier,
                        "reporter": report.reporter,
                        "citation": _citation(report.citation),
                        **_carried(report),
                    }
                    for report in figure.reports
                ],
            }
            for figure in story.figures
        ],
        "quotes": [
            {
                "text": quote.text,
                "speaker": quote.speaker,
                "citation": _citation(quote.citation),
                **_carried(quote),
            }
            for quote in story_quotes(brief)
        ],
        "sources": [
            _source(article, contributed[article.id], copies.get(article.id, []))
            for article in articles
        ],
        "skipped": [_skipped(item) for item in story.skipped],
    }


def render_json(brief: Brief, *, indent: int | None = 2) -> str:
    return json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=indent)
