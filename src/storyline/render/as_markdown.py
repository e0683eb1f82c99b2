"""The brief as Markdown for people.

Citations read ``[a2:3]``: article ``a2`` (listed under *Sources*), sentence 3 of its cleaned
text, counted from 0 as in the JSON output. Removed boilerplate is shown as counts by reason
only; the JSON output lists the removed lines themselves.

Article text is untrusted: everything taken from an input goes through :func:`_md`, so the
Markdown carries no live HTML (``<script>``, ``<img onerror=...>``), no link syntax and no
terminal control characters from article text, titles or file names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from storyline.ingest.sanitise import safe_text
from storyline.model import Article, Brief, Citation, Figure, FigureReport, Quote
from storyline.render.as_json import contributions, copies_of, own_words, story_quotes

__all__ = ["render_markdown"]

MAX_TABLE_ROWS = 25


_MARKDOWN_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\\": "\\\\",
        "[": "\\[",
        "]": "\\]",
        "`": "\\`",
    }
)


_ORDERED_ITEM = re.compile(r"\d{1,9}[.)](?:\s|$)")


def _md(text: object) -> str:
    """Input text shown as literal text: HTML and link syntax escaped, control characters gone,
    on one line, and never starting a heading or a list."""
    shown = " ".join(safe_text(str(text)).split()).translate(_MARKDOWN_ESCAPES)
    if shown[:1] in ("#", "-", "+", "*", "=") or _ORDERED_ITEM.match(shown):
        shown = "\\" + shown
    return shown


class _Ours(str):
    """Markdown we wrote ourselves (citations): shown as is."""


def _cell(text: object) -> str:
    return text if isinstance(text, _Ours) else _md(text).replace("|", "\\|")


def _cite(citations: Iterable[Citation]) -> str:
    seen: list[str] = []
    for citation in citations:
        label = f"{_md(citation.article_id)}:{citation.sentence_index}"
        if label not in seen:
            seen.append(label)
    return _Ours("[" + ", ".join(seen) + "]")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def _coordinates(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return ""
    north = "N" if latitude >= 0 else "S"
    east = "E" if longitude >= 0 else "W"
    return f"{abs(latitude):.2f} {north} {abs(longitude):.2f} {east}"


MAX_EVIDENCE_CHARS = 120


def _article_date(article: Article) -> str:
    """``2018-05-23``, ``2018-06-05 (inferred)``, ``not before 2016-07 (inferred)``."""
    estimate = article.published
    if estimate is None or not estimate.known:
        if article.date is None:
            return "unknown"
        return article.date.isoformat() + (" (inferred)" if article.date_inferred else "")
    return estimate.describe() + ("" if estimate.read else " (inferred)")


def _date_evidence(article: Article) -> str | None:
    """What an inferred or refused date rests on, quoting the words of the text."""
    estimate = article.published
    if estimate is None or (estimate.read and estimate.known) or not estimate.clues:
        return None
    clues = "; ".join(
        f"{_md(clue.reason)}: “{_md(clue.text[:MAX_EVIDENCE_CHARS])}”" for clue in estimate.clues
    )
    return f"- {_md(article.id)}: {_article_date(article)} — {clues}"


def _carried(item: Quote | FigureReport) -> str:
    """ "(carried by AP, Yahoo, a5)" for an item several articles carry, else nothing."""
    if len(item.outlets) < 2:
        return ""
    return f" (carried by {', '.join(_md(outlet) for outlet in item.outlets)})"


def _figure_line(figure: Figure) -> str:
    about = f" of {_md(figure.subject)}" if figure.subject else ""
    when = f" ({figure.when.iso()})" if figure.when else ""
    head = f"**{_md(figure.category)}{about}: {_md(figure.counted)}**{when}"
    reports = "; ".join(
        f"{_md(report.text)} — {_md(report.reporter)} "
        f"{_cite([report.citation, *report.repeats])}{_carried(report)}"
        for report in figure.reports
    )
    return f"- {head} — {reports}"


def _with_outlet(article: Article) -> str:
    return f"{article.id} ({article.outlet})" if article.outlet else article.id


def render_markdown(brief: Brief) -> str:
    story = brief.story
    articles = brief.articles
    dates = sorted(article.date for article in articles if article.date)
    span = f", {dates[0].isoformat()} to {dates[-1].isoformat()}" if dates else ""
    undated = len(articles) - len(dates)
    if dates and undated:
        span += f" ({undated} without a known day)"
    copies = copies_of(brief)
    copied = sum(len(group) for group in copies.values())
    reports = f" ({len(articles) - copied} independent, {copied} copies)" if copied else ""
    lines = [
        f"# {_md(brief.title)}",
        "",
        f"*{len(articles)} articles{reports}{span}. Citations [a2:3] = article a2, sentence 3 "
        "(counted from 0); see Sources.*",
        "",
    ]
    if story.parsed_words_per_article is not None:
        lines += [
            f"*A long story: actors, places, figures and quotes come from the first "
            f"~{story.parsed_words_per_article} words of each article (raise `--parse-words` "
            "to read more); summary and timeline use all text.*",
            "",
        ]
    lines += [
        "## Summary",
        "",
    ]
    lines += [f"{_md(s.text)} {_cite([s.citation])}" for s in brief.summary] or ["(no summary)"]
    lines += ["", "## Timeline", ""]
    if brief.timeline:
        lines += _table(
            ["Date", "Event", "Sources"],
            [[e.date_text(), e.text, _cite(e.citations)] for e in brief.timeline],
        )
    else:
        lines.append("(no dated events found)")

    lines += ["", "## Actors", ""]
    lines += _table(
        ["Actor", "Type", "Also called", "Mentions", "Articles"],
        [
            [a.name, a.type, ", ".join(a.aliases), a.mentions, ", ".join(a.articles)]
            for a in story.actors[:MAX_TABLE_ROWS]
        ],
    )
    lines += ["", "## Places", ""]
    lines += _table(
        ["Place", "Gazetteer", "Country", "Coordinates", "Mentions"],
        [
            [
                p.name,
                p.geo_name or "",
                p.country or "",
                _coordinates(p.latitude, p.longitude),
                p.mentions,
            ]
            for p in story.places[:MAX_TABLE_ROWS]
        ],
    )

    lines += ["", "## Figures", ""]
    disputed = [f for f in story.figures if f.status == "disagree"]
    agreed = [f for f in story.figures if f.status == "agree"]
    single = [f for f in story.figures if f.status == "single"]
    for heading, figures in (
        ("Sources disagree", disputed),
        ("Sources agree", agreed),
        ("Reported once", single[:MAX_TABLE_ROWS]),
    ):
        if figures:
            lines += [f"### {heading}", ""] + [_figure_line(f) for f in figures] + [""]
    if not story.figures:
        lines += ["(no figures found)", ""]

    quotes = story_quotes(brief)
    lines += ["## Quotes", ""]
    lines += [
        f"- “{_md(q.text)}” — {_md(q.speaker or 'unattributed')} "
        f"{_cite([q.citation, *q.repeats])}{_carried(q)}"
        for q in quotes[:MAX_TABLE_ROWS]
    ] or ["(no quotes found)"]

    lines += ["", "## Sources", ""]
    contributed = contributions(brief)
    rows = []
    # A copy is no source of its own: it is listed with its original, whose row counts what
    # the copies contributed too.
    for article in articles:
        if article.copy_of:
            continue
        group = [article, *copies.get(article.id, [])]
        counts: Counter[str] = Counter()
        for member in group:
            counts.update(contributed[member.id])
        reasons = Counter(r.reason for r in article.removed)
        removed = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        repeated = dict.fromkeys(r.article_id for r in article.repeated)
        own = (
            f"; {own_words(article)} words of its own, the rest repeats " + ", ".join(repeated)
            if repeated
            else ""
        )
        rows.append(
            [
                f"{article.id} ({article.input_id})" if article.input_id else article.id,
                article.outlet or "",
                _article_date(article),
                article.title or "",
                article.words,
                f"{len(article.removed)}: {removed}" if article.removed else "0",
                f"{counts['summary']} summary, {counts['timeline']} timeline, "
                f"{counts['quotes']} quotes, {counts['figures']} figures{own}",
                *([", ".join(_with_outlet(copy) for copy in group[1:])] if copied else []),
                f"{article.source} {article.url}" if article.url else article.source,
            ]
        )
    header = ["Id (input id)", "Outlet", "Date", "Title", "Words kept", "Removed", "Contributed"]
    lines += _table([*header, *(["Copies"] if copied else []), "File, URL"], rows)
    if copied:
        lines += ["", "### Copies", ""]
        lines += [
            f"- {copy.id}{f' ({_md(copy.input_id)})' if copy.input_id else ''}: "
            f"{_md(copy.outlet or 'outlet unknown')}, {_article_date(copy)}, "
            f"{_md(copy.title or 'untitled')}, {_md(copy.source)} — copy of {copy.copy_of}"
            for article in articles
            for copy in copies.get(article.id, [])
        ]
    evidence = [line for line in map(_date_evidence, articles) if line]
    if evidence:
        lines += ["", "### How dates were inferred", "", *evidence]
    lines += ["", "### Skipped inputs", ""]
    lines += [f"- {_md(s.source)}: {_md(s.reason)}" for s in story.skipped] or ["(none)"]
    return "\n".join(lines) + "\n"
