"""The brief as one self-contained HTML page to read and explore.

The page needs nothing from the network: styles, script, the timeline chart and the map (SVG
drawn here in Python) are inline, and a Content-Security-Policy that allows only the page's
own inline style and script forbids every request, so even a mistake elsewhere cannot make
the page fetch anything. Every article's cleaned text is embedded once, as JSON, and shown on
demand: a citation opens its article with the cited sentence highlighted.

All article text is untrusted. The Jinja2 template escapes everything it prints; the embedded
JSON has ``<``, ``>`` and ``&`` written as ``\\u003c``... so that no text can close its script
element; the script builds the article view with text nodes only.

:func:`render_html` gives the page of a brief; :class:`PageLinks` lets a host (the local web
app) add its own links without a second template.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline import __version__, settings
from storyline.model import Article, Brief, Citation, Figure, Place, Story
from storyline.render.as_json import (
    MAX_REMOVED_TEXT,
    SCHEMA_VERSION,
    contributions,
    story_quotes,
)
from storyline.render.timechart import layout_charts, span_of
from storyline.render.worldmap import draw_maps

__all__ = ["PageLinks", "render_html"]


def _original_url(article: Article) -> str | None:
    """The article's own address, when it is a web address (never ``javascript:``...)."""
    url = (article.url or "").strip()
    return url if re.match(r"https?://", url, re.IGNORECASE) else None


@dataclass(frozen=True)
class PageLinks:
    """Links a host adds to the page. A report written to a file uses the defaults; the local
    web app passes where "back" goes and where each article lives in the app."""

    home_href: str | None = None  # e.g. the story list
    home_label: str = "All stories"
    article_href: Callable[[Article], str | None] = _original_url  # shown in the article view
    extra_nav: list[tuple[str, str]] = field(default_factory=list)  # (label, href)
    notice: str | None = None  # shown under the title, e.g. "a newer brief is being built"


@dataclass(frozen=True)
class Cite:
    """A citation as the page shows it: ``a2:3`` opening article a2 at sentence 3."""

    article: str
    sentence: int
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.article}:{self.sentence}"


def _cites(citations: Iterable[Citation]) -> list[Cite]:
    seen: dict[tuple[str, int], Cite] = {}
    for c in citations:
        seen.setdefault(
            (c.article_id, c.sentence_index), Cite(c.article_id, c.sentence_index, c.start, c.end)
        )
    return list(seen.values())


# ---------------------------------------------------------------- sections


@dataclass(frozen=True)
class _Said:
    """A sentence of an article that the page lists (under a place, say)."""

    text: str
    cite: Cite


def _sentences_naming(place: Place, story: Story, limit: int) -> list[_Said]:
    """The first sentences of the place's articles that write one of its names as a word.

    Read from the sentences themselves rather than from entity mentions, so a brief loaded
    back from its JSON (which keeps no mentions) lists the same sentences.
    """
    forms = sorted({place.name, *place.aliases}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")
    found: list[_Said] = []
    by_id = {analysed.article.id: analysed for analysed in story.articles}
    for article_id in place.articles:
        analysed = by_id.get(article_id)
        if analysed is None:
            continue
        for sentence in analysed.sentences:
            if pattern.search(sentence.text):
                found.append(_Said(sentence.text, _cites([sentence.citation])[0]))
                if len(found) >= limit:
                    return found
    return found


@dataclass(frozen=True)
class _FigureView:
    figure: Figure
    # Reports grouped by value, most reported first: who reports what.
    values: list[tuple[str, list[Any]]]


def _figure_view(figure: Figure) -> _FigureView:
    groups: dict[float, list[Any]] = defaultdict(list)
    for report in figure.reports:
        groups[report.value].append(report)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return _FigureView(figure, [(f"{value:,.10g}", reports) for value, reports in ordered])


@dataclass(frozen=True)
class _SourceView:
    article: Article
    contributed: Counter[str]
    removed_by_reason: list[tuple[str, int]]
    href: str | None


def _source_view(article: Article, contributed: Counter[str], links: PageLinks) -> _SourceView:
    reasons = Counter(removed.reason for removed in article.removed)
    return _SourceView(
        article=article,
        contributed=contributed,
        removed_by_reason=sorted(reasons.items()),
        href=links.article_href(article),
    )


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _articles_data(brief: Brief, links: PageLinks) -> dict[str, dict[str, Any]]:
    return {
        article.id: {
            "title": article.title,
            "outlet": article.outlet,
            "date": article.date.isoformat() if article.date else None,
            "inferred": article.date_inferred,
            "href": links.article_href(article),
            "text": article.text,
            # What cleaning removed, shown under the article on demand (the sources table
            # only counts it: thousands of lines would slow the page).
            "removed": [[r.reason, r.text[:MAX_REMOVED_TEXT]] for r in article.removed],
        }
        for article in brief.articles
    }


# ---------------------------------------------------------------- page


@lru_cache(maxsize=1)
def _environment():  # -> jinja2.Environment; imported here so the CLI's --help stays instant
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("storyline.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cites"] = _cites
    return environment


@lru_cache(maxsize=1)
def _static() -> tuple[str, str]:
    folder = resources.files("storyline.render") / "static"
    return (
        (folder / "report.css").read_text(encoding="utf-8"),
        (folder / "report.js").read_text(encoding="utf-8"),
    )


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_context(brief: Brief, links: PageLinks | None = None) -> dict[str, Any]:
    """What the template shows, from the brief's typed objects."""
    import markupsafe

    links = links or PageLinks()
    story = brief.story
    articles = brief.articles
    dates = sorted(article.date for article in articles if article.date)
    contributed = contributions(brief)
    charts = layout_charts([span_of(entry.when) for entry in brief.timeline])
    shown_places = story.places[: settings.REPORT_MAX_PLACES]
    maps = draw_maps(shown_places)
    popups = {
        marker.place: _sentences_naming(
            shown_places[marker.place], story, settings.REPORT_POPUP_SENTENCES
        )
        for view in maps
        for marker in view.markers
    }
    figures = {
        status: [_figure_view(f) for f in story.figures if f.status == status]
        for status in ("disagree", "agree", "single")
    }
    quotes = story_quotes(brief)  # each once, with the other articles that carry it
    css, script = _static()
    return {
        "brief": brief,
        "title": brief.title,
        "generator": f"storyline {__version__}",
        "schema_version": SCHEMA_VERSION,
        "links": links,
        "stats": {
            "articles": len(articles),
            "outlets": len({a.outlet for a in articles if a.outlet}),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "words": sum(article.words for article in articles),
            "skipped": len(story.skipped),
            "parsed_words_per_article": story.parsed_words_per_article,
        },
        "summary": [(s.text, _cites([s.citation])) for s in brief.summary],
        "timeline": [(entry, _cites(entry.citations)) for entry in brief.timeline],
        "charts": charts,
        "actors": story.actors[: settings.REPORT_MAX_ACTORS],
        "actors_total": len(story.actors),
        "places": shown_places,
        "places_total": len(story.places),
        "maps": maps,
        "popups": popups,
        "popup_limit": settings.REPORT_POPUP_SENTENCES,
        "figures": figures,
        "single_shown": settings.REPORT_MAX_SINGLE_FIGURES,
        "quotes": [
            (quote, _cites([quote.citation, *quote.repeats]))
            for quote in quotes[: settings.REPORT_MAX_QUOTES]
        ],
        "quotes_total": len(quotes),
        "sources": [_source_view(a, contributed[a.id], links) for a in articles],
        "skipped": story.skipped,
        "articles_json": markupsafe.Markup(_script_json(_articles_data(brief, links))),
        "css": markupsafe.Markup(css),
        "script": markupsafe.Markup(script),
        "csp": (
            "default-src 'none'; base-uri 'none'; form-action 'none'; "
            f"style-src {_csp_hash(css)}; script-src {_csp_hash(script)}"
        ),
    }


def render_html(brief: Brief, links: PageLinks | None = None) -> str:
    """The page of ``brief``; ``links`` adds a host's links (see :class:`PageLinks`)."""
    return _environment().get_template("report.html.j2").render(page_context(brief, links))
