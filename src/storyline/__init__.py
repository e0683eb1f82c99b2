"""storyline: from a heap of news articles about one story to a sourced brief.

``storyline.brief(paths)`` returns a :class:`storyline.model.Brief`; render it with
``storyline.render.render_markdown`` or ``render_json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["BriefArgumentError", "NoArticlesError", "__version__", "brief"]

if TYPE_CHECKING:
    from storyline.pipeline import BriefArgumentError, NoArticlesError, brief


def __getattr__(name: str) -> Any:
    # Imported lazily so that `import storyline` (and `storyline --help`) stays instant:
    # the pipeline pulls in spaCy.
    if name in ("brief", "NoArticlesError", "BriefArgumentError"):
        from storyline import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
