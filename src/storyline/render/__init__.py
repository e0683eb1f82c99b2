"""Render stage: the brief as Markdown for people, JSON for programs and an HTML page to read.

Renderers are a small registry: format name -> :class:`Renderer` (what it writes, the file
suffix, the media type). The command line offers every registered format, and the web app can
serve any of them with the right media type; a new format is one more ``register`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storyline.model import Brief
from storyline.render.as_html import PageLinks, render_html
from storyline.render.as_json import SCHEMA_VERSION, brief_to_dict, render_json
from storyline.render.as_markdown import render_markdown
from storyline.render.from_json import brief_from_dict, load_brief

__all__ = [
    "FORMAT_GROUPS",
    "RENDERERS",
    "SCHEMA_VERSION",
    "PageLinks",
    "Renderer",
    "brief_from_dict",
    "brief_to_dict",
    "formats",
    "get_renderer",
    "load_brief",
    "register",
    "render_html",
    "render_json",
    "render_markdown",
]


@dataclass(frozen=True)
class Renderer:
    name: str
    suffix: str  # file suffix, with its dot
    media_type: str
    render: Callable[[Brief], str]
    description: str


RENDERERS: dict[str, Renderer] = {}

# Names that stand for several formats at once (each written to OUT + its suffix).
FORMAT_GROUPS: dict[str, tuple[str, ...]] = {
    "both": ("md", "json"),
    "all": ("md", "json", "html"),
}


def register(renderer: Renderer) -> Renderer:
    if renderer.name in RENDERERS or renderer.name in FORMAT_GROUPS:
        raise ValueError(f"format {renderer.name!r} is already registered")
    RENDERERS[renderer.name] = renderer
    return renderer


def get_renderer(name: str) -> Renderer:
    try:
        return RENDERERS[name]
    except KeyError:
        known = ", ".join(RENDERERS)
        raise KeyError(f"unknown format {name!r} (known: {known})") from None


def formats(name: str) -> tuple[str, ...]:
    """The registered formats a format name stands for: itself, or a group's members."""
    members = FORMAT_GROUPS.get(name, (name,))
    for member in members:
        get_renderer(member)
    return members


register(
    Renderer("md", ".md", "text/markdown; charset=utf-8", render_markdown, "Markdown for people")
)
register(Renderer("json", ".json", "application/json", render_json, "JSON for programs (schema)"))
register(
    Renderer(
        "html",
        ".html",
        "text/html; charset=utf-8",
        render_html,
        "one self-contained HTML page: timeline, map, articles to open",
    )
)
