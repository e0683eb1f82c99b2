"""Ingest stage: raw inputs -> cleaned ``Article`` objects (plus what was skipped and why).

``load_articles`` reads folders, files and glob patterns (text, HTML, JSON/JSONL, Multi-News
clusters, Timeline17 topic folders), removes page chrome and metadata lines from each text,
and fills in title, publication date, outlet and dateline where the input shows them.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from storyline import settings
from storyline.ingest.clean import clean_text, line_reason, remove_shared_boilerplate
from storyline.ingest.language import detect_language
from storyline.ingest.metadata import ArticleMetadata, extract_metadata
from storyline.ingest.readers import documents_from_record, read_inputs
from storyline.ingest.sanitise import safe_field, safe_text
from storyline.model import (
    Article,
    DateClue,
    IngestResult,
    PublicationDate,
    RawDocument,
    RemovedText,
    SkippedInput,
)
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
    try:
        return _ingest(documents_from_record(record, source, "utf-8"))
    except RecursionError:
        return IngestResult([], [SkippedInput(source, "JSON nested too deeply")])


def _ingest(items: Iterable[RawDocument | SkippedInput]) -> IngestResult:
    """Articles from what the readers found; shared by files and single records.

    Never raises on content: a document that fails any step becomes a skip entry naming it
    and the reason, and the others go on.
    """
    documents: list[RawDocument] = []
    skipped: list[SkippedInput] = []

    def skip(item: SkippedInput) -> None:
        skipped.append(item)
        _log.warning("skipped %s: %s", item.source, item.reason)

    for item in items:
        if isinstance(item, SkippedInput):
            skip(item)
            continue
        safe = _safe_document(item)
        if isinstance(safe, SkippedInput):
            skip(safe)
        else:
            documents.append(safe)

    cleaned: list[tuple[RawDocument, str, list[RemovedText]]] = []
    for document in documents:
        try:
            text, chrome = clean_text(document.text)
        except Exception as error:  # a cleaning bug on strange text must not stop the run
            skip(SkippedInput(document.source, f"could not be cleaned ({_error(error)})"))
            continue
        cleaned.append((document, text, chrome))
    texts = [text for _, text, _ in cleaned]
    try:
        unshared = remove_shared_boilerplate(texts)
    except Exception as error:
        _log.warning("shared boilerplate not removed (%s)", _error(error))
        unshared = [(text, []) for text in texts]

    articles: list[Article] = []
    for (document, _, chrome), (text, shared) in zip(cleaned, unshared):
        article = _article(document, text, [*chrome, *shared], f"a{len(articles) + 1}")
        if isinstance(article, SkippedInput):
            skip(article)
        else:
            for warning in article.warnings:
                _log.warning("%s: %s", article.source, warning)
            articles.append(article)
    return IngestResult(articles=articles, skipped=skipped)


def _error(error: BaseException) -> str:
    message = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _safe_document(document: RawDocument) -> RawDocument | SkippedInput:
    """The document with safe text and fields (see :mod:`storyline.ingest.sanitise`), or a
    skip entry when it is over the length limit."""
    length = len(document.text)
    if length > settings.MAX_ARTICLE_CHARS:
        return SkippedInput(
            document.source,
            f"article too long ({length:,} characters > {settings.MAX_ARTICLE_CHARS:,} limit)",
        )
    limit = settings.MAX_FIELD_CHARS
    return replace(
        document,
        source=safe_field(document.source, limit) or "?",
        text=safe_text(document.text),
        title=safe_field(document.title, limit),
        date_text=safe_field(document.date_text, limit),
        url=safe_field(document.url, limit),
        outlet=safe_field(document.outlet, limit),
        input_id=safe_field(document.input_id, limit),
    )


def _metadata(document: RawDocument, text: str) -> tuple[str, ArticleMetadata, list[RemovedText]]:
    try:
        return extract_metadata(
            text,
            title=document.title,
            date_text=document.date_text,
            outlet=document.outlet,
            url=document.url,
        )
    except Exception as error:  # e.g. a malformed container field: read the text alone
        _log.warning("%s: metadata fields ignored (%s)", document.source, _error(error))
        return extract_metadata(text)


def _article(
    document: RawDocument, text: str, removed: list[RemovedText], article_id: str
) -> Article | SkippedInput:
    """The cleaned, dated article of ``document``, or why it is not one."""
    try:
        body, meta, metadata_lines = _metadata(document, text)
    except Exception as error:
        return SkippedInput(document.source, f"could not be read ({_error(error)})")
    if not body.strip():
        return SkippedInput(document.source, "no text left after removing boilerplate")
    if not _has_prose(body):
        return SkippedInput(document.source, _no_prose_reason(body))
    language = detect_language(body)
    if (
        language is not None
        and language.code not in settings.ANALYSED_LANGUAGES
        and language.confidence >= settings.LANGUAGE_SKIP_CONFIDENCE
    ):
        return SkippedInput(
            document.source,
            f"not in English (language detected: {language.code}, "
            f"confidence {language.confidence:.2f}); not analysed",
            language=language.code,
        )
    title = meta.title
    if title is not None and (line_reason(title) is not None or not _has_letters(title)):
        # "Home", "Menu" or a number is page furniture, never the headline of a brief.
        removed = [
            *removed,
            RemovedText(title, f"title ignored ({line_reason(title) or 'no words'})"),
        ]
        title = None
    return Article(
        id=article_id,
        source=document.source,
        text=body,
        title=title,
        date=meta.date,
        date_inferred=False,
        date_evidence=meta.date_evidence,
        outlet=meta.outlet,
        url=meta.url,
        encoding=document.encoding,
        removed=[*removed, *metadata_lines],
        dateline=meta.dateline,
        published=_read_date(meta),
        dateline_date=meta.dateline_date,
        input_id=document.input_id,
        language=language.code if language and language.confidence >= 0.5 else None,
        warnings=list(document.warnings),
    )


_WORD = re.compile(r"[^\W\d_]{2,}")


def _has_letters(text: str) -> bool:
    return _WORD.search(text) is not None


def _has_prose(body: str) -> bool:
    """Whether some line holds a sentence's worth of words (not only menus or numbers)."""
    return any(len(_WORD.findall(line)) >= settings.MIN_PROSE_WORDS for line in body.split("\n"))


def _no_prose_reason(body: str) -> str:
    if not _has_letters(body):
        return "not an article (numbers and symbols only)"
    return (
        f"not an article (no line of {settings.MIN_PROSE_WORDS} or more words: "
        "navigation or a list)"
    )


def _read_date(meta: ArticleMetadata) -> PublicationDate | None:
    """The publication date as read from the input, or the reason a given one was refused
    (a date-less estimate the date inference starts from)."""
    if meta.date is not None:
        clue = DateClue(meta.date_source or "metadata", meta.date_evidence or "")
        return PublicationDate.on(meta.date, read=True, clues=(clue,))
    if meta.date_problem is not None:
        return PublicationDate(clues=(DateClue("input date not used", meta.date_problem),))
    return None


__all__ = ["DEFAULT_MAX_BYTES", "articles_from_record", "load_articles"]
