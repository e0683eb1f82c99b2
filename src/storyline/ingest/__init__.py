"""Ingest stage: raw inputs -> cleaned ``Article`` objects (plus what was skipped and why).

``load_articles`` reads folders, files and glob patterns (text, HTML, JSON/JSONL, Multi-News
clusters, Timeline17 topic folders), removes page chrome and metadata lines from each text,
and fills in title, publication date, outlet and dateline where the input shows them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from storyline.ingest.clean import clean_text, remove_shared_boilerplate
from storyline.ingest.metadata import extract_metadata
from storyline.ingest.readers import documents_from_record, read_inputs
from storyline.model import Article, IngestResult, RawDocument, SkippedInput
from storyline.settings import DEFAULT_MAX_BYTES

_log = logging.getLogger("storyline")


def load_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    progress: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestResult:
    """Read, clean and date the articles in ``paths``; every input left out is in ``skipped``.

    Article ids are ``a1``, ``a2``... in input order (sorted paths, JSONL line order).
    ``Article.text`` is the cleaned body that every offset in the brief refers to; what
    cleaning and metadata extraction removed is listed in ``Article.removed``.
    """
    return _ingest(read_inputs(paths, max_bytes=max_bytes, progress=progress))


def articles_from_record(record: dict[str, Any], source: str) -> IngestResult:
    """Clean and date the articles of one parsed JSON record (a JSONL line).

    The record is read like a line of a ``.jsonl`` input: one article, or a cluster with a
    "documents"/"articles" list (Multi-News). ``source`` names the record (``file:line``).
    """
    return _ingest(documents_from_record(record, source, "utf-8"))


def _ingest(items: Iterable[RawDocument | SkippedInput]) -> IngestResult:
    """Articles from what the readers found; shared by files and single records."""
    documents: list[RawDocument] = []
    skipped: list[SkippedInput] = []

    def skip(item: SkippedInput) -> None:
        skipped.append(item)
        _log.warning("skipped %s: %s", item.source, item.reason)

    for item in items:
        if isinstance(item, SkippedInput):
            skip(item)
        else:
            documents.append(item)

    cleaned = [clean_text(document.text) for document in documents]
    unshared = remove_shared_boilerplate([text for text, _ in cleaned])
    articles: list[Article] = []
    for document, (_, chrome), (text, shared) in zip(documents, cleaned, unshared):
        body, meta, metadata_lines = extract_metadata(
            text,
            title=document.title,
            date_text=document.date_text,
            outlet=document.outlet,
            url=document.url,
        )
        if not body.strip():
            skip(SkippedInput(document.source, "no text left after removing boilerplate"))
            continue
        articles.append(
            Article(
                id=f"a{len(articles) + 1}",
                source=document.source,
                text=body,
                title=meta.title,
                date=meta.date,
                date_inferred=False,
                date_evidence=meta.date_evidence,
                outlet=meta.outlet,
                url=meta.url,
                encoding=document.encoding,
                removed=[*chrome, *shared, *metadata_lines],
                dateline=meta.dateline,
            )
        )
    return IngestResult(articles=articles, skipped=skipped)


__all__ = ["DEFAULT_MAX_BYTES", "articles_from_record", "load_articles"]
