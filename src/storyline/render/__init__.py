"""Render stage: the brief as Markdown for people and JSON for programs."""

from storyline.render.as_json import SCHEMA_VERSION, brief_to_dict, render_json
from storyline.render.as_markdown import render_markdown

__all__ = ["SCHEMA_VERSION", "brief_to_dict", "render_json", "render_markdown"]
