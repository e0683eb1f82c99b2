"""Articles sent to the app (uploaded files, pasted text) read by the ingest layer.

Uploaded files are written to a private temporary folder under their own (made safe) names
and read by :func:`storyline.ingest.load_articles`, exactly as files named on the command line
are: same formats, same size limit message, same skip reasons. Pasted text is read as one JSON
record, as a line of a JSONL file is. The ingest layer never raises on content, so a bad file
becomes a skip entry naming it and the reason, and the other inputs go on.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from storyline import settings
from storyline.ingest import articles_from_record, load_articles
from storyline.model import IngestResult, SkippedInput

__all__ = ["Pasted", "Upload", "read_sent"]

UPLOAD_PREFIX = "upload:"
PASTED_PREFIX = "pasted:"


@dataclass(frozen=True)
class Upload:
    name: str  # the file name the browser sent (untrusted)
    data: bytes


@dataclass(frozen=True)
class Pasted:
    """Text pasted into the form (or sent as JSON), with what the person knows about it."""

    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    id: str | None = None  # its own id, kept as a JSONL line's id is


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def safe_file_name(name: str, number: int) -> str:
    """A name to store an upload under: the last part of the sent name, letters, digits and
    ``.-_`` only (the suffix decides how the file is read), never empty or hidden."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE_NAME.sub("_", base).strip("._")[:120]
    return base or f"file-{number}"


def _renamed(source: str, folders: dict[str, str]) -> str:
    for folder, name in folders.items():
        if source == folder or source.startswith(folder + os.sep):
            rest = source[len(folder) + 1 :]
            return UPLOAD_PREFIX + (rest or name)
    return source


def read_uploads(
    uploads: Sequence[Upload], *, max_bytes: int = settings.WEB_MAX_FILE_BYTES
) -> IngestResult:
    """The articles of uploaded files; their sources are ``upload:NAME`` (``:LINE`` for JSONL)."""
    if not uploads:
        return IngestResult([], [])
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as folder:
        folders: dict[str, str] = {}
        paths = []
        for number, upload in enumerate(uploads, 1):
            # One folder per file: two uploads of the same name stay two files.
            holder = Path(folder) / str(number)
            holder.mkdir()
            path = holder / safe_file_name(upload.name, number)
            path.write_bytes(upload.data)
            folders[str(holder)] = path.name
            paths.append(str(path))
        ingested = load_articles(paths, max_bytes=max_bytes)
    for article in ingested.articles:
        article.source = _renamed(article.source, folders)
    ingested.skipped = [
        replace(item, source=_renamed(item.source, folders)) for item in ingested.skipped
    ]
    return ingested


def read_pasted(pasted: Sequence[Pasted], *, first: int = 1) -> IngestResult:
    """The articles of pasted texts, ``pasted:N`` each (N counts from ``first``)."""
    result = IngestResult([], [])
    for number, item in enumerate(pasted, first):
        source = f"{PASTED_PREFIX}{number}"
        if len(item.text) > settings.WEB_MAX_PASTE_CHARS:
            result.skipped.append(
                SkippedInput(
                    source,
                    f"text too long ({len(item.text):,} characters > "
                    f"{settings.WEB_MAX_PASTE_CHARS:,} limit)",
                )
            )
            continue
        if not item.text.strip():
            result.skipped.append(SkippedInput(source, "no text pasted"))
            continue
        record = {"text": item.text}
        for key, value in (
            ("title", item.title),
            ("url", item.url),
            ("date", item.date),
            ("source", item.outlet),
            ("id", item.id),
        ):
            if value and value.strip():
                record[key] = value.strip()
        found = articles_from_record(record, source)
        result.articles.extend(found.articles)
        result.skipped.extend(found.skipped)
    return result


def read_sent(
    uploads: Sequence[Upload],
    pasted: Sequence[Pasted],
    *,
    max_bytes: int = settings.WEB_MAX_FILE_BYTES,
) -> IngestResult:
    """Everything one request sent, as one ingest result (ids a1, a2... across all of it)."""
    result = read_uploads(uploads, max_bytes=max_bytes)
    more = read_pasted(pasted)
    result.articles.extend(more.articles)
    result.skipped.extend(more.skipped)
    for number, article in enumerate(result.articles, 1):
        article.id = f"a{number}"
    return result
