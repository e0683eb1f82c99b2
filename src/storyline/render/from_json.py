"""A brief's JSON (``render_json``) read back into the typed objects of ``storyline.model``.

The store keeps briefs as JSON and needs them back as objects (to render them in any format, to
say what is new since a date). What the JSON does not carry stays empty or is rebuilt from what
it does: an article's sentences are the cited ones (text cut from the article's own text at the
cited offsets), entity mentions, temporal expressions and sentence vectors are not kept.
Rendering a loaded brief to JSON again gives the same JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from storyline.model import (
    Actor,
    AnalysedArticle,
    Article,
    Brief,
    Citation,
    DateClue,
    Figure,
    FigureReport,
    Place,
    PublicationDate,
    Quote,
    RemovedText,
    Sentence,
    SkippedInput,
    Story,
    SummarySentence,
    TimelineEntry,
    TimePoint,
)

__all__ = ["brief_from_dict", "load_brief"]


def _citation(data: dict[str, Any]) -> Citation:
    return Citation(data["article"], data["sentence"], data["start"], data["end"])


def _time_point(value: str, granularity: str) -> TimePoint:
    parts = [int(part) for part in value.split("-")]
    point = TimePoint.of(*parts)
    if point.granularity != granularity:
        raise ValueError(f"date {value!r} is not of granularity {granularity!r}")
    return point


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _published(data: dict[str, Any] | None) -> PublicationDate | None:
    if not data:
        return None

    def bound(point: dict[str, Any] | None) -> TimePoint | None:
        return _time_point(point["value"], point["granularity"]) if point else None

    return PublicationDate(
        earliest=bound(data.get("earliest")),
        latest=bound(data.get("latest")),
        read=data.get("kind") == "read",
        clues=tuple(
            DateClue(c["reason"], c["text"], c.get("start"), c.get("end"))
            for c in data.get("evidence", [])
        ),
    )


def _article(source: dict[str, Any]) -> Article:
    return Article(
        id=source["id"],
        source=source["source"],
        text=source["text"],
        title=source.get("title"),
        date=_date(source.get("date")),
        date_inferred=bool(source.get("date_inferred")),
        date_evidence=source.get("date_evidence"),
        outlet=source.get("outlet"),
        url=source.get("url"),
        encoding=source.get("encoding"),
        removed=[
            RemovedText(item["text"], item["reason"])
            for item in source.get("removed", {}).get("items", [])
        ],
        dateline=source.get("dateline"),
        published=_published(source.get("published")),
        dateline_date=source.get("dateline_date"),
        input_id=source.get("input_id"),
        language=source.get("language"),
        warnings=list(source.get("warnings", [])),
    )


def brief_from_dict(data: dict[str, Any]) -> Brief:
    """The :class:`Brief` of JSON data as :func:`storyline.render.brief_to_dict` writes it."""
    articles = [_article(source) for source in data["sources"]]
    by_id = {article.id: article for article in articles}
    citations: dict[str, dict[int, Citation]] = {article.id: {} for article in articles}

    def cite(raw: dict[str, Any]) -> Citation:
        citation = _citation(raw)
        if citation.article_id not in by_id:
            raise ValueError(f"citation of an unknown article {citation.article_id!r}")
        citations[citation.article_id].setdefault(citation.sentence_index, citation)
        return citation

    summary = [SummarySentence(item["text"], cite(item["citation"])) for item in data["summary"]]
    timeline = [
        TimelineEntry(
            _time_point(item["date"], item["granularity"]),
            item["text"],
            [cite(raw) for raw in item["citations"]],
        )
        for item in data["timeline"]
    ]
    quotes: dict[str, list[Quote]] = {article.id: [] for article in articles}
    for item in data["quotes"]:
        quote = Quote(item["text"], item.get("speaker"), cite(item["citation"]))
        quotes[quote.citation.article_id].append(quote)
    figures = [
        Figure(
            category=item["category"],
            counted=item["counted"],
            subject=item.get("subject"),
            when=(
                _time_point(item["when"]["value"], item["when"]["granularity"])
                if item.get("when")
                else None
            ),
            reports=[
                FigureReport(
                    value=report["value"],
                    text=report["text"],
                    qualifier=report.get("qualifier"),
                    reporter=report["reporter"],
                    citation=cite(report["citation"]),
                )
                for report in item["reports"]
            ],
            status=item["status"],
        )
        for item in data["figures"]
    ]
    analysed = []
    for article in articles:
        sentences = [
            Sentence(article.id, c.sentence_index, c.start, c.end, article.text[c.start : c.end])
            for _, c in sorted(citations[article.id].items())
        ]
        analysed.append(AnalysedArticle(article, sentences, [], [], [], quotes[article.id]))
    story = Story(
        articles=analysed,
        skipped=[
            SkippedInput(item["source"], item["reason"], item.get("language"))
            for item in data.get("skipped", [])
        ],
        actors=[
            Actor(a["name"], a["type"], list(a["aliases"]), a["mentions"], list(a["articles"]))
            for a in data["actors"]
        ],
        places=[
            Place(
                name=p["name"],
                aliases=list(p["aliases"]),
                mentions=p["mentions"],
                articles=list(p["articles"]),
                geo_name=p.get("geo_name"),
                country=p.get("country"),
                latitude=p.get("latitude"),
                longitude=p.get("longitude"),
                kind=p.get("kind"),
            )
            for p in data["places"]
        ],
        figures=figures,
        parsed_words_per_article=data.get("stats", {}).get("parsed_words_per_article"),
    )
    return Brief(title=data["title"], summary=summary, timeline=timeline, story=story)


def load_brief(text: str) -> Brief:
    """The :class:`Brief` of a JSON text written by ``render_json``."""
    return brief_from_dict(json.loads(text))
