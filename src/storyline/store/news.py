"""What is new in a story's brief since an earlier version: ``brief --store --story --since``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["NewSince", "new_since", "render_news_markdown"]


@dataclass
class NewSince:
    """Parts of the current brief (JSON data) that the earlier brief did not have."""

    since: str
    earlier: str | None  # creation time of the brief compared against (None: none existed)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    changed_figures: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.timeline or self.figures or self.changed_figures or self.quotes or self.sources
        )


def _figure_key(figure: dict[str, Any]) -> tuple[Any, ...]:
    when = figure.get("when") or {}
    return (figure["category"], figure["counted"], figure.get("subject"), when.get("value"))


def _values(figure: dict[str, Any]) -> list[float]:
    return sorted({report["value"] for report in figure["reports"]})


def _all_values(figures: list[dict[str, Any]]) -> list[float]:
    return sorted({value for figure in figures for value in _values(figure)})


def _merged(figures: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure carrying the reports of all ``figures`` (they count the same thing)."""
    return {**figures[0], "reports": [r for figure in figures for r in figure["reports"]]}


def _source_key(source: dict[str, Any]) -> str:
    return source.get("input_id") or source["source"]


def new_since(
    current: dict[str, Any], earlier: dict[str, Any] | None, *, since: str, earlier_time: str | None
) -> NewSince:
    """Compare two briefs of a story (JSON data). Timeline entries are the same when their
    date and text are; quotes when text and speaker are; figures when what they count (category,
    counted, subject, date) is; a figure whose set of reported values differs has changed."""
    news = NewSince(since=since, earlier=earlier_time)
    earlier = earlier or {"timeline": [], "figures": [], "quotes": [], "sources": []}
    old_entries = {(e["date"], e["text"]) for e in earlier["timeline"]}
    news.timeline = [e for e in current["timeline"] if (e["date"], e["text"]) not in old_entries]
    # Several figures can count the same thing (one per disagreeing group of reports): they
    # are compared together, by the values reported for what they count.
    old_figures: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for figure in earlier["figures"]:
        old_figures.setdefault(_figure_key(figure), []).append(figure)
    current_figures: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for figure in current["figures"]:
        current_figures.setdefault(_figure_key(figure), []).append(figure)
    for key, figures in current_figures.items():
        before = old_figures.get(key)
        if before is None:
            news.figures.extend(figures)
        elif _all_values(before) != _all_values(figures):
            news.changed_figures.append((_merged(before), _merged(figures)))
    old_quotes = {(q["text"], q.get("speaker")) for q in earlier["quotes"]}
    news.quotes = [q for q in current["quotes"] if (q["text"], q.get("speaker")) not in old_quotes]
    old_sources = {_source_key(s) for s in earlier["sources"]}
    news.sources = [s for s in current["sources"] if _source_key(s) not in old_sources]
    return news


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def render_news_markdown(title: str, news: NewSince) -> str:
    """The news as Markdown (article text is shown as written, inside table cells escaped)."""
    lines = [f"# {title}: new since {news.since}", ""]
    lines.append(
        f"*Compared with the brief of {news.earlier}.*"
        if news.earlier
        else "*No brief of this story existed then: everything is new.*"
    )
    if news.empty:
        lines += ["", "Nothing new."]
    if news.sources:
        lines += ["", "## New sources", ""]
        for source in news.sources:
            label = " · ".join(
                part
                for part in (source.get("outlet"), source.get("date"), source.get("title"))
                if part
            )
            lines.append(f"- [{source['id']}] {_cell(label or source['source'])}")
    if news.timeline:
        lines += ["", "## New timeline entries", ""]
        for entry in news.timeline:
            cites = ", ".join(f"{c['article']}:{c['sentence']}" for c in entry["citations"][:3])
            lines.append(f"- {entry['date']}: {_cell(entry['text'])} [{cites}]")
    if news.figures:
        lines += ["", "## New figures", ""]
        for figure in news.figures:
            values = ", ".join(_number(v) for v in _values(figure))
            lines.append(f"- {_figure_label(figure)}: {values}")
    if news.changed_figures:
        lines += ["", "## Figures whose reported values changed", ""]
        for before, after in news.changed_figures:
            was = ", ".join(_number(v) for v in _values(before))
            now = ", ".join(_number(v) for v in _values(after))
            lines.append(f"- {_figure_label(after)}: was {was}, now {now}")
    if news.quotes:
        lines += ["", "## New quotes", ""]
        for quote in news.quotes:
            who = quote.get("speaker") or "unknown speaker"
            cite = f"{quote['citation']['article']}:{quote['citation']['sentence']}"
            lines.append(f"- {_cell(who)}: “{_cell(quote['text'])}” [{cite}]")
    return "\n".join(lines) + "\n"


def _figure_label(figure: dict[str, Any]) -> str:
    parts = [figure["category"], figure["counted"]]
    if figure.get("subject"):
        parts.append(f"({figure['subject']})")
    if figure.get("when"):
        parts.append(f"[{figure['when']['value']}]")
    return _cell(" ".join(parts))


def _cell(text: str) -> str:
    # Untrusted article text: one line, no Markdown structure of its own.
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")
